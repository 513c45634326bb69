"""``massage-coach replay``: dialog files and recorded traffic, run and reported.

The paths are split into dialog files (:mod:`skill.devtools.dialogs`) and recordings
(:mod:`skill.alexa.recording`), loaded (every problem reported, exit 2), and run on one
channel: the Alexa skill in process over the built-in routines with a fresh temporary database
(the default), a running endpoint over HTTP (``--url``), or the local coach on a virtual clock
with a fresh temporary store (``--local``; recorded Alexa traffic is skipped there). The report
(:mod:`skill.devtools.report`) lists each failing expectation with the answer, what was skipped,
then ``N passed, M failed``; the exit status is 0 when nothing failed, 1 on a failure, 2 for
unusable input.

``--db PATH`` runs in process or locally against the SQLite store at PATH instead (created if
missing) and keeps it, so that ``massage-coach history`` can read what the replay wrote, and
a dialog file's ``user`` is then its user id as written (``amzn1.ask.account.USER`` on Alexa,
``USER`` locally) rather than one tagged per run, so a second replay continues the first's
history. Over HTTP the server keeps its own store (``serve --db``), so ``--db`` is refused
there.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TextIO

from skill.alexa.recording import RecordedConversation, RecordingError, load_recordings
from skill.core.store import StoreError
from skill.devtools.alexa_target import DialogRunner
from skill.devtools.dialogs import DIALOG_SUFFIXES, DialogFile, DialogFileError, load_dialogs
from skill.devtools.report import ReplayReport, TestOutcome, write_report
from skill.devtools.transports import HttpTransport, Transport, in_process_transport

__all__ = ["RunnerFactory", "run_replay"]


class RunnerFactory(Protocol):
    """Makes the Alexa-side runner (:class:`DialogRunner` and its kind)."""

    def __call__(self, transport: Transport, *, run_tag: str | None = None) -> DialogRunner:
        """A runner sending through ``transport``; ``run_tag`` as :class:`DialogRunner`'s."""
        ...


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
    db_path: Path,
) -> ReplayReport:
    from routines.loader import load_library
    from skill.core.store import SQLiteStore
    from skill.devtools.local_target import LocalRunner

    store = SQLiteStore(db_path)
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
    db: Path | None = None,
    out: TextIO | None = None,
    runner_factory: RunnerFactory = DialogRunner,
) -> int:
    """``massage-coach replay``: run dialog files and recordings; return the exit status.

    In process (no ``url``, not ``local``) the skill runs over the built-in routines (plus
    ``routine_files``) with a fresh, temporary database, so runs repeat exactly; ``local``
    runs the dialogs against the local coach, with a fresh temporary store. With ``db`` both
    use (and keep) the SQLite store at that path, with user ids that stay the same from run
    to run. ``runner_factory`` makes the Alexa runner from a transport and a ``run_tag``.
    """
    stream = out or sys.stdout
    if local and url is not None:
        print("give --url or --local, not both", file=stream)
        return 2
    if db is not None and url is not None:
        print(
            "--db does not apply with --url: the server keeps its own store "
            "(massage-coach serve --db PATH)",
            file=stream,
        )
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
    # A kept store keeps its users: the same id for a file's user in every run.
    run_tag = "" if db is not None else None
    with tempfile.TemporaryDirectory(prefix="massage-coach-replay-") as scratch:
        try:
            if local:
                db_path = db or Path(scratch) / "local.db"
                report = _run_local(dialogs, recordings, routine_files, db_path)
            elif url is not None:
                try:
                    transport = HttpTransport(url)
                except ValueError as error:
                    print(error, file=stream)
                    return 2
                report = runner_factory(transport, run_tag=run_tag).run(dialogs, recordings)
            else:
                skill = in_process_transport(db or Path(scratch) / "replay.db", routine_files)
                try:
                    report = runner_factory(skill, run_tag=run_tag).run(dialogs, recordings)
                finally:
                    skill.close()
        except StoreError as error:
            print(f"cannot use the store: {error}", file=stream)
            return 2
    write_report(report, stream)
    return 0 if report.failed == 0 else 1
