"""``massage-coach replay``: dialog files and recorded traffic, run and reported.

The paths are split into dialog files (:mod:`skill.devtools.dialogs`) and recordings
(:mod:`skill.alexa.recording`), loaded (every problem reported, exit 2), and run on one
channel: the Alexa skill in process over the built-in routines with a fresh temporary database
(the default), a running endpoint over HTTP (``--url``), or the local coach on a virtual clock
with a fresh temporary store (``--local``; recorded Alexa traffic is skipped there). The report
(:mod:`skill.devtools.report`) lists each failing expectation with the answer, what was skipped,
then ``N passed, M failed``; the exit status is 0 when nothing failed, 1 on a failure, 2 for
unusable input.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from skill.alexa.recording import RecordedConversation, RecordingError, load_recordings
from skill.devtools.alexa_target import DialogRunner
from skill.devtools.dialogs import DIALOG_SUFFIXES, DialogFile, DialogFileError, load_dialogs
from skill.devtools.report import ReplayReport, TestOutcome, write_report
from skill.devtools.transports import HttpTransport, Transport, in_process_transport

__all__ = ["run_replay"]


def _split(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Dialog files and folders on one side, recordings on the other."""
    dialogs: list[Path] = []
    recordings: list[Path] = []
    for path in paths:
        if path.is_dir():
            if any(p.suffix in DIALOG_SUFFIXES for p in path.iterdir()):
                dialogs.append(path)
            from skill.alexa.recording import is_recording

            if is_recording(path):
                recordings.append(path)
            if path not in dialogs and path not in recordings:
                dialogs.append(path)
        elif path.suffix == ".json":
            recordings.append(path)
        else:
            dialogs.append(path)
    return dialogs, recordings


def _run_local(
    dialogs: Sequence[DialogFile],
    recordings: Sequence[RecordedConversation],
    routine_files: Sequence[Path],
    scratch: Path,
) -> ReplayReport:
    from routines.loader import load_library
    from skill.core.store import SQLiteStore
    from skill.devtools.local_target import LocalRunner

    store = SQLiteStore(scratch / "local.db")
    try:
        report = LocalRunner(load_library(routine_files), store).run(dialogs)
    finally:
        store.close()
    for conversation in recordings:
        skipped = TestOutcome(conversation.source, conversation.name, conversation.source)
        skipped.skipped = "recorded Alexa traffic"
        report.outcomes.append(skipped)
    return report


def run_replay(
    paths: Sequence[Path],
    *,
    url: str | None = None,
    local: bool = False,
    routine_files: Sequence[Path] = (),
    out: TextIO | None = None,
    runner_factory: Callable[[Transport], DialogRunner] = DialogRunner,
) -> int:
    """``massage-coach replay``: run dialog files and recordings; return the exit status.

    In process (no ``url``, not ``local``) the skill runs over the built-in routines (plus
    ``routine_files``) with a fresh, temporary database, so runs repeat exactly; ``local``
    runs the dialogs against the local coach, with a fresh temporary store.
    """
    stream = out or sys.stdout
    if local and url is not None:
        print("give --url or --local, not both", file=stream)
        return 2
    dialog_paths, recording_paths = _split(paths)
    try:
        dialogs = load_dialogs(dialog_paths)
        recordings = load_recordings(recording_paths)
    except (DialogFileError, RecordingError) as error:
        for problem in error.problems:
            print(problem, file=stream)
        return 2
    if not dialogs and not recordings:
        print("nothing to replay: give dialog files (*.yaml) or recordings", file=stream)
        return 2
    with tempfile.TemporaryDirectory(prefix="massage-coach-replay-") as scratch:
        if local:
            report = _run_local(dialogs, recordings, routine_files, Path(scratch))
        elif url is not None:
            try:
                transport = HttpTransport(url)
            except ValueError as error:
                print(error, file=stream)
                return 2
            report = runner_factory(transport).run(dialogs, recordings)
        else:
            skill = in_process_transport(Path(scratch) / "replay.db", routine_files)
            try:
                report = runner_factory(skill).run(dialogs, recordings)
            finally:
                skill.close()
    write_report(report, stream)
    return 0 if report.failed == 0 else 1
