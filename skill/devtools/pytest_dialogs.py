"""A pytest plugin: every test in a dialog file is a pytest item.

Dialog files in a folder named ``dialogs`` (``tests/dialogs/*.yaml``) are collected; each of
their tests becomes an item named after it, run in process against the skill over the
built-in routines with a temporary SQLite database per file. A failing item lists each
failed expectation with the skill's answer.

Tests in one file share a database, so a file's ``user`` carries progress from test to test.
When an item runs without the tests before it (``-k``, ``--lf``), those run first, unreported,
so that the stored progress it builds on is there.

To use it, bring the hook into a ``conftest.py``::

    from skill.devtools.pytest_dialogs import pytest_collect_file  # noqa: F401
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.devtools.dialogs import (
    DIALOG_SUFFIXES,
    DialogFile,
    DialogFileError,
    DialogTest,
    load_dialog_file,
)
from skill.devtools.replay import (
    DialogRunner,
    SkillTransport,
    TestOutcome,
    format_failures,
    in_process_transport,
)

__all__ = ["DIALOGS_FOLDER", "DialogFailed", "DialogItem", "DialogModule", "pytest_collect_file"]

DIALOGS_FOLDER = "dialogs"
"""The name of the folders whose YAML files are dialog files."""


class DialogFailed(AssertionError):
    """A dialog test answered differently from what it expects."""

    def __init__(self, outcome: TestOutcome) -> None:
        self.outcome: TestOutcome = outcome
        """The test's outcome, with its failures."""
        super().__init__(format_failures(outcome.failures))


class DialogModule(pytest.File):
    """A dialog file: its tests share one skill, one database and one runner."""

    dialog: DialogFile | None = None
    _runner: DialogRunner | None = None
    _transport: SkillTransport | None = None
    _done: int = 0

    def collect(self) -> Iterator[DialogItem]:
        """One item per test in the file."""
        try:
            self.dialog = load_dialog_file(self.path)
        except DialogFileError as error:
            raise self.CollectError(str(error)) from None
        for index, test in enumerate(self.dialog.tests):
            yield DialogItem.from_parent(self, name=test.name, test=test, index=index)

    def runner(self) -> DialogRunner:
        """The file's runner, made on first use and closed at the end of the session."""
        if self._runner is None:
            scratch = Path(tempfile.mkdtemp(prefix="massage-coach-dialog-"))
            transport = in_process_transport(scratch / "dialogs.db")
            self._transport = transport
            self._runner = DialogRunner(transport, run_tag="")

            def clean_up() -> None:
                transport.close()
                shutil.rmtree(scratch, ignore_errors=True)

            self.config.add_cleanup(clean_up)
        return self._runner

    def run_through(self, index: int) -> TestOutcome:
        """Run the file's tests up to ``index`` (those not run yet), and return its outcome."""
        assert self.dialog is not None
        runner = self.runner()
        while self._done < index:
            runner.run_test(self.dialog, self.dialog.tests[self._done])
            self._done += 1
        outcome = runner.run_test(self.dialog, self.dialog.tests[index])
        self._done = max(self._done, index + 1)
        return outcome


class DialogItem(pytest.Item):
    """One dialog test."""

    def __init__(self, *, test: DialogTest, index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.test = test
        """The test as loaded."""
        self.index = index
        """Its position in the file."""

    def runtest(self) -> None:
        """Replay the test; raise :class:`DialogFailed` listing what did not match."""
        parent = self.parent
        assert isinstance(parent, DialogModule)
        outcome = parent.run_through(self.index)
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
        """Where the test is: the file, its line and its name."""
        return self.path, max(self.test.line - 1, 0), f"dialog: {self.test.name}"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> DialogModule | None:
    """Collect ``dialogs/*.yaml`` files as dialog modules."""
    if file_path.suffix in DIALOG_SUFFIXES and file_path.parent.name == DIALOGS_FOLDER:
        module: DialogModule = DialogModule.from_parent(parent, path=file_path)
        return module
    return None
