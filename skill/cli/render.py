"""The `render` and `script` commands: a whole guided session as a WAV file, or as a script.

The session is the core's turns of START then NEXT (`skill.core.session_script`), the same
turns every front-end takes. `render` plays it with the local coach's player on a virtual clock
into one WAV file (`speech.render`), prints a progress line while it works and, at the end,
the length of the audio and how many times faster than real time it was made. `script`
prints the session as text with times, or as the SSML of each Alexa response.

Both use the user's stored preferences (holds, rests, brief mode and the steps they know,
time to get ready): the local coach's user in the store `run` uses by default, `--user` and
`--db` for another, `--as-new` for a new user's session. A store is only read, never created:
with no store at the default place every default applies; a store named with `--db` that does
not exist, or one that cannot be read, is an error. An unknown user or a damaged state gets the
defaults, with a notice.

Every error a user can cause (an unknown routine, a broken routine file, an unwritable path,
an unknown voice, no speech engine) is one clear line on stderr and exit status 1.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from routines.errors import RoutineError, RoutineFileError
from routines.loader import find_routine, load_library
from routines.models import Routine
from skill.core.session_script import session_turns
from skill.core.store import LOCAL_USER_ID, SQLiteStore, StoreError, default_db_path
from skill.core.turn import restore_stored
from skill.local.coach import STATE_KEY
from speech.render import RenderError, render_session, script_session
from speech.tts import TextOnlyEngine, TTSError, open_engine


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _routine(routine_id: str, extra: Sequence[Path]) -> Routine | None:
    """The routine asked for, or None after printing why there is none."""
    try:
        return find_routine(load_library(extra), routine_id)
    except RoutineFileError as error:
        # Plain FILE:LINE lines, like `routines validate`, so editors can jump to them.
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return None
    except RoutineError as error:
        _error(str(error))
        return None


def _prepared(
    routine_id: str, extra: Sequence[Path], db: Path | None, user: str | None, as_new: bool
) -> tuple[Routine, Mapping[str, Any] | None] | None:
    """The routine and the stored state whose preferences to use (`stored_state`), or None
    after printing why not."""
    routine = _routine(routine_id, extra)
    if routine is None:
        return None
    try:
        return routine, stored_state(routine, db, user, as_new)
    except _NoStore as error:
        _error(str(error))
        return None


class _NoStore(Exception):
    """The store could not be read, or `--db` names none (the reason is the message)."""


def stored_state(
    routine: Routine, db: Path | None, user: str | None, as_new: bool = False
) -> Mapping[str, Any] | None:
    """The stored state of `user` (the local coach's when None) in the store at `db` (the
    default store when None), for their preferences; None for a new user's session (`as_new`,
    no store at the default place, no such user, a damaged state: a notice says so).

    Raises:
        _NoStore: `db` names a store that does not exist (none is created), or the store
            cannot be read.
    """
    if as_new:
        return None
    path = db if db is not None else default_db_path()
    if not path.exists():
        if db is not None:
            raise _NoStore(f"no store at {path}")
        return None
    try:
        with SQLiteStore(path) as store:
            record = store.load(user or LOCAL_USER_ID)
    except StoreError as error:
        raise _NoStore(str(error)) from None
    if record is None:
        if user is not None:
            print(f"no user {user!r} in {path}; using the default preferences", file=sys.stderr)
        return None
    restored = restore_stored(record.get(STATE_KEY), {routine.id: routine}, "stored")
    if restored.damaged:
        print("the stored preferences could not be read; using the defaults", file=sys.stderr)
    return restored.state


def length(seconds: float) -> str:
    """A length of audio as people read it: 26:05, or 1:02:03 past an hour."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class _Progress:
    """One progress line: rewritten in place on a terminal, printed once at the end otherwise."""

    def __init__(self, label: str, stream: TextIO) -> None:
        self.label = label
        self.stream = stream
        self.live = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.live or done == total:
            end = "\n" if done == total else ""
            start = "\r" if self.live else ""
            print(f"{start}{self.label}: prompt {done} of {total}", end=end, file=self.stream)
            self.stream.flush()


def render_routine(
    routine_id: str,
    output: Path,
    timeline: Path | None,
    voice: str | None,
    rate: int | None,
    extra: Sequence[Path],
    db: Path | None = None,
    user: str | None = None,
    as_new: bool = False,
) -> int:
    """Render a routine's whole session to `output` (and its timeline) with the preferences of
    `user` in the store at `db` (default: the local coach's; none with `as_new`); 0 on
    success."""
    if rate is not None and rate <= 0:
        return _error(f"--rate must be a positive number of words per minute, not {rate}")
    prepared = _prepared(routine_id, extra, db, user, as_new)
    if prepared is None:
        return 1
    routine, stored = prepared
    engine, notice = open_engine(voice, rate)
    if isinstance(engine, TextOnlyEngine):
        return _error(f"cannot render audio: {notice}")
    if notice:
        print(notice, file=sys.stderr)
    progress = _Progress(f"Rendering {routine.id}", sys.stderr)
    began = time.perf_counter()
    try:
        result = render_session(
            session_turns(routine, stored), engine, output, timeline, on_progress=progress
        )
    except (RenderError, TTSError) as error:
        return _error(str(error))
    wall = time.perf_counter() - began
    factor = result.duration_s / wall if wall > 0 else float("inf")
    print(
        f"Wrote {output}: {length(result.duration_s)} of audio, {len(result.holds)} holds,"
        f" in {wall:.1f} s ({factor:.0f}x real time)"
    )
    if timeline is not None:
        print(f"Wrote {timeline}: {len(result.segments)} segments")
    return 0


def script_routine(
    routine_id: str,
    ssml: bool,
    extra: Sequence[Path],
    db: Path | None = None,
    user: str | None = None,
    as_new: bool = False,
) -> int:
    """Print a routine's whole session as a timed script or as SSML, with the preferences of
    `user` in the store at `db` (default: the local coach's; none with `as_new`); 0 on
    success."""
    prepared = _prepared(routine_id, extra, db, user, as_new)
    if prepared is None:
        return 1
    routine, stored = prepared
    sys.stdout.write(script_session(session_turns(routine, stored), ssml))
    return 0
