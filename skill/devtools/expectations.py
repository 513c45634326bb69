"""Checking one answer against a step's expectations, the same way on every front-end.

:func:`check_answer` lists every expectation of a step (:class:`skill.devtools.dialogs.Expect`)
that an :class:`skill.devtools.answers.Answer` does not meet, as a message saying what was
expected and what came instead. A front-end that has no such thing as a card or a directive
names those expectations in ``unchecked``: they are neither passed nor failed, and
:func:`unchecked_expectations` lists the ones a step set, so that the report can count them.
"""

from __future__ import annotations

import json
from collections.abc import Collection

from skill.devtools.answers import MISSING, Answer, attribute_at
from skill.devtools.dialogs import Expect, Pattern

__all__ = ["EXPECTATIONS", "check_answer", "unchecked_expectations"]

EXPECTATIONS: tuple[str, ...] = tuple(Expect.model_fields)
"""The names of the expectations a step can set (``speech``, ``card``...)."""


def _check_text(
    what: str, text: str | None, expected: str | list[str] | bool | None, patterns: list[Pattern]
) -> list[str]:
    if expected is None:
        return []
    if expected is False:
        return [] if not text else [f"{what} should be absent, but there is one"]
    if text is None:
        return [f"{what} should {patterns[0].describe()}, but there is no {what}"]
    return [f"{what} should {p.describe()}" for p in patterns if not p.matches(text)]


def unchecked_expectations(expect: Expect, unchecked: Collection[str]) -> list[str]:
    """The expectations ``expect`` sets among ``unchecked``, in :data:`EXPECTATIONS` order."""
    return [
        name for name in EXPECTATIONS if name in unchecked and getattr(expect, name) is not None
    ]


def check_answer(
    expect: Expect,
    answer: Answer,
    intent: str | None,
    *,
    unchecked: Collection[str] = (),
) -> list[str]:
    """Every expectation of ``expect`` that ``answer`` does not meet, as a message.

    ``intent`` is what a ``say`` step resolved to; expectations named in ``unchecked`` are left
    alone.
    """
    problems: list[str] = []

    def wanted(name: str) -> bool:
        return name not in unchecked and getattr(expect, name) is not None

    if wanted("intent") and intent != expect.intent:
        problems.append(f"the utterance should resolve to {expect.intent}, not {intent}")
    if wanted("speech"):
        problems += _check_text("speech", answer.speech, expect.speech, expect.speech_patterns)
    if wanted("reprompt"):
        problems += _check_text(
            "reprompt", answer.reprompt, expect.reprompt, expect.reprompt_patterns
        )
    if wanted("session_ended"):
        problems += _check_session_ended(expect, answer)
    if wanted("attributes"):
        problems += _check_attributes(expect, answer)
    if wanted("card"):
        problems += _check_card(expect, answer)
    if wanted("directives"):
        problems += _check_directives(expect, answer)
    return problems


def _check_session_ended(expect: Expect, answer: Answer) -> list[str]:
    ended = answer.ends is True
    if ended == expect.session_ended:
        return []
    state = "ended" if ended else "stayed open"
    return [f"the session should {'end' if expect.session_ended else 'stay open'}, but it {state}"]


def _check_attributes(expect: Expect, answer: Answer) -> list[str]:
    problems: list[str] = []
    for path, value in (expect.attributes or {}).items():
        actual = attribute_at(answer.attributes, path)
        if actual is MISSING:
            problems.append(f"session attribute {path} should be {json.dumps(value)}: missing")
        elif actual != value:
            problems.append(
                f"session attribute {path} should be {json.dumps(value)}, not {json.dumps(actual)}"
            )
    return problems


def _check_card(expect: Expect, answer: Answer) -> list[str]:
    if expect.card is True and answer.card is None:
        return ["a card should be shown, but there is none"]
    if expect.card is False and answer.card is not None:
        return [f"no card should be shown, but there is one: {answer.card!r}"]
    if isinstance(expect.card, str):
        return _check_text("card", answer.card, expect.card, expect.card_patterns)
    return []


def _check_directives(expect: Expect, answer: Answer) -> list[str]:
    assert expect.directives is not None
    problems: list[str] = []
    present = list(answer.directives)
    if not expect.directives and present:
        problems.append(f"there should be no directive, but there are {', '.join(present)}")
    missing = [kind for kind in expect.directives if kind not in present]
    if missing:
        found = ", ".join(present) or "none"
        problems.append(f"directive {', '.join(missing)} should be present (found: {found})")
    return problems
