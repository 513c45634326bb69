"""A pytest plugin: every test in a dialog file is a pytest item on each channel.

Dialog files in a folder named ``dialogs`` (``tests/dialogs/*.yaml``) are collected; each of
their tests becomes one item per channel, named after it: ``NAME[alexa]`` runs in process
against the skill over the built-in routines, ``NAME[local]`` against the local coach on a
virtual clock (:mod:`skill.devtools.local_target`). A test whose ``channels`` leave one out is
skipped there, with the reason. A failing item lists each failed expectation with the answer;
the expectations a channel cannot check are listed in the item's report.

Tests in one file share a database per channel, so a file's ``user`` carries progress from
test to test. When an item runs without the tests before it (``-k``, ``--lf``), those run
first, unreported, so that the stored progress it builds on is there.

To use it, bring the hook into a ``conftest.py``::

    from skill.devtools.pytest_dialogs import pytest_collect_file  # noqa: F401
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.devtools.dialogs import (
    CHANNELS,
    DIALOG_SUFFIXES,
    Channel,
    DialogFile,
    DialogFileError,
    DialogTest,
    load_dialog_file,
)
from skill.devtools.report import TestOutcome, format_failures

__all__ = ["DIALOGS_FOLDER", "DialogFailed", "DialogItem", "DialogModule", "pytest_collect_file"]

DIALOGS_FOLDER = "dialogs"
"""The name of the folders whose YAML files are dialog files."""

_RunTest = Callable[[DialogFile, DialogTest], TestOutcome]


class DialogFailed(AssertionError):
    """A dialog test answered differently from what it expects."""

    def __init__(self, outcome: TestOutcome) -> None:
        self.outcome: TestOutcome = outcome
        """The test's outcome, with its failures."""
        super().__init__(format_failures(outcome.failures))


def _alexa(scratch: Path) -> tuple[_RunTest, Callable[[], None]]:
    from skill.devtools.alexa_target import DialogRunner
    from skill.devtools.transports import in_process_transport

    transport = in_process_transport(scratch / "alexa.db")
    return DialogRunner(transport, run_tag="").run_test, transport.close


def _local(scratch: Path) -> tuple[_RunTest, Callable[[], None]]:
    from routines.loader import load_library
    from skill.core.store import SQLiteStore
    from skill.devtools.local_target import LocalRunner

    store = SQLiteStore(scratch / "local.db")
    return LocalRunner(load_library(), store).run_test, store.close


_TARGETS: dict[Channel, Callable[[Path], tuple[_RunTest, Callable[[], None]]]] = {
    "alexa": _alexa,
    "local": _local,
}


class DialogModule(pytest.File):
    """A dialog file: on each channel, its tests share one front-end and one database."""

    dialog: DialogFile | None = None

    def collect(self) -> Iterator[DialogItem]:
        """One item per test in the file and channel."""
        try:
            self.dialog = load_dialog_file(self.path)
        except DialogFileError as error:
            raise self.CollectError(str(error)) from None
        self._runners: dict[Channel, _RunTest] = {}
        self._done: dict[Channel, int] = dict.fromkeys(CHANNELS, 0)
        for index, test in enumerate(self.dialog.tests):
            for channel in CHANNELS:
                yield DialogItem.from_parent(
                    self, name=f"{test.name}[{channel}]", test=test, index=index, channel=channel
                )

    def runner(self, channel: Channel) -> _RunTest:
        """The file's runner on ``channel``, made on first use and closed at the end."""
        if channel not in self._runners:
            scratch = Path(tempfile.mkdtemp(prefix=f"massage-coach-dialog-{channel}-"))
            run_test, close = _TARGETS[channel](scratch)
            self._runners[channel] = run_test

            def clean_up() -> None:
                close()
                shutil.rmtree(scratch, ignore_errors=True)

            self.config.add_cleanup(clean_up)
        return self._runners[channel]

    def run_through(self, channel: Channel, index: int) -> TestOutcome:
        """Run the file's tests on ``channel`` up to ``index`` (those not run yet)."""
        assert self.dialog is not None
        run_test = self.runner(channel)
        while self._done[channel] < index:
            run_test(self.dialog, self.dialog.tests[self._done[channel]])
            self._done[channel] += 1
        outcome = run_test(self.dialog, self.dialog.tests[index])
        self._done[channel] = max(self._done[channel], index + 1)
        return outcome


class DialogItem(pytest.Item):
    """One dialog test on one channel."""

    def __init__(self, *, test: DialogTest, index: int, channel: Channel, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.test = test
        """The test as loaded."""
        self.index = index
        """Its position in the file."""
        self.channel: Channel = channel
        """The front-end it runs on."""

    def runtest(self) -> None:
        """Replay the test; raise :class:`DialogFailed` listing what did not match."""
        parent = self.parent
        assert isinstance(parent, DialogModule)
        outcome = parent.run_through(self.channel, self.index)
        if outcome.skipped is not None:
            pytest.skip(outcome.skipped)
        if outcome.unchecked:
            lines = (u.format(outcome.name, self.channel) for u in outcome.unchecked)
            self.add_report_section("call", "not checked", "\n".join(lines))
        if not outcome.passed:
            raise DialogFailed(outcome)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str:
        """The failed expectations and the answers, without a Python traceback."""
        if isinstance(excinfo.value, DialogFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the test is: the file, its line, its name and channel."""
        return self.path, max(self.test.line - 1, 0), f"dialog: {self.test.name} [{self.channel}]"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> DialogModule | None:
    """Collect ``dialogs/*.yaml`` files as dialog modules."""
    if file_path.suffix in DIALOG_SUFFIXES and file_path.parent.name == DIALOGS_FOLDER:
        module: DialogModule = DialogModule.from_parent(parent, path=file_path)
        return module
    return None
