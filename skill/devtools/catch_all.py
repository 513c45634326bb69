"""Noticing that the skill's catch-all exception handler answered, which always fails a step.

In process (or in a server thread of this process) the handler's ``logger.exception`` is seen
on the ``skill.alexa.skill`` logger (:class:`CatchAllWatch`); over HTTP only the apology it
speaks gives it away (:func:`is_apology`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from skill.devtools.answers import Answer, strip_ssml

__all__ = ["CATCH_ALL_LOGGER", "CatchAllWatch", "crash_message", "is_apology"]

CATCH_ALL_LOGGER: Final = "skill.alexa.skill"
"""The logger the skill's catch-all exception handler reports to (``logger.exception``)."""


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class CatchAllWatch:
    """Notices the skill's catch-all exception handler: errors logged on ``skill.alexa.skill``.

    Only skills in this process (or in a server thread of it) can be watched this way; over
    HTTP the replay also recognises the apology the handler speaks.
    """

    def __init__(self, logger_name: str = CATCH_ALL_LOGGER) -> None:
        self._logger = logging.getLogger(logger_name)
        self._collector = _Collector()
        self._seen = 0

    @contextmanager
    def watching(self) -> Iterator[CatchAllWatch]:
        """Collect the logger's errors while the block runs."""
        self._logger.addHandler(self._collector)
        try:
            yield self
        finally:
            self._logger.removeHandler(self._collector)

    def take(self) -> list[str]:
        """The errors logged since the last call, each with its exception."""
        records = self._collector.records[self._seen :]
        self._seen = len(self._collector.records)
        messages = []
        for record in records:
            message = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                error = record.exc_info[1]
                message += f": {type(error).__name__}: {error}"
            messages.append(message)
        return messages


@functools.cache
def _apology(locale: str) -> str:
    from speech import phrases

    return strip_ssml(phrases.say("error.apology")).casefold()


def is_apology(answer: Answer, locale: str) -> bool:
    """Whether the answer holds the catch-all handler's apology for an internal error."""
    return answer.speech is not None and _apology(locale) in answer.speech.casefold()


def crash_message(watch: CatchAllWatch, answer: Answer, locale: str) -> str | None:
    """Why the answer came from the catch-all handler (seen by ``watch`` or by its apology)."""
    errors = watch.take()
    if errors:
        return f"the skill's catch-all exception handler was reached: {errors[0]}"
    if is_apology(answer, locale):
        return "the skill answered with its apology for an internal error"
    return None
