"""What the local coach shows: a live rich screen on a terminal, plain lines anywhere else.

The runner tells a screen what happens (a prompt begins, a phrase is spoken, a hold, a rest
or a time to get ready starts, a command was heard, the position changed) through the
`Screen` methods; the screen never asks the engine anything. `LiveScreen` redraws a panel
several times a second: the routine, step k of n, technique, side, rep, the current cue, a bar
and the seconds left for the hold, the rest or the time to get ready, the time left in the
routine and the keys. `PlainScreen` writes one line per happening, so a log or a test can read
what the coach said.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import IO, Any, Final, Protocol

from rich.columns import Columns
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from routines.models import Side
from routines.session import Status
from skill.core.view import StateView
from skill.local.inputs import Ended, Heard, Input, Key, Rejected, Unsure
from speech.clock import Clock

__all__ = [
    "LiveScreen",
    "PlainScreen",
    "Position",
    "Screen",
    "clock_text",
    "position_of",
]

_MAX_NOTICES: Final = 3


@dataclass(frozen=True)
class Position:
    """Where the session stands, as the screen shows it."""

    routine: str
    """The routine's title."""
    status: Status
    step: int
    """1-based step number."""
    steps: int
    title: str
    """The step's title."""
    technique: str
    """The technique in plain words ("trigger point")."""
    side: Side
    rep: int
    reps: int
    hold: int
    """The hold of the current pass, in seconds, at the user's preference."""
    seconds_left: int
    """Estimated seconds from the start of this pass to the end of the routine."""
    cue: str
    """The step's one-line cue."""


def position_of(view: StateView) -> Position | None:
    """The position a session's state points at, or None when no routine is chosen."""
    if view.routine is None or view.item is None or view.hold_seconds is None:
        return None
    item, step = view.item, view.item.step
    return Position(
        routine=view.routine.title,
        status=view.status,
        step=item.step_index + 1,
        steps=len(view.routine.steps),
        title=step.title,
        technique=step.technique.value.replace("_", " "),
        side=item.side,
        rep=item.rep,
        reps=step.reps,
        hold=view.hold_seconds,
        seconds_left=view.seconds_left,
        cue=step.cues.brief,
    )


def clock_text(seconds: float) -> str:
    """A length as a screen shows it: 0:45, 12:05."""
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _where(position: Position) -> str:
    side = "" if position.side is Side.BOTH else f", {position.side.value} side"
    reps = f", rep {position.rep} of {position.reps}" if position.reps > 1 else ""
    return f"step {position.step} of {position.steps}: {position.title}{side}{reps}"


class Screen(Protocol):
    """What the runner tells a screen. Every method is quick and safe from any thread."""

    def start(self) -> None:
        """Begin showing (a live screen takes over the terminal here)."""
        ...

    def stop(self) -> None:
        """Stop showing and leave the terminal as it was (safe to call twice)."""
        ...

    def notice(self, text: str) -> None:
        """A one-off message: a missing device, a saved session, an error."""
        ...

    def prompt(self, text: str) -> None:
        """The coach begins a new prompt; `text` is all of its words."""
        ...

    def speaking(self, text: str) -> None:
        """The coach starts saying `text` (a phrase, a checkpoint or a count)."""
        ...

    def hold(self, seconds: int, started: float) -> None:
        """A hold of `seconds` began at clock time `started`."""
        ...

    def get_ready(self, seconds: int, started: float) -> None:
        """The `seconds` to get into position before a hold began at clock time `started`."""
        ...

    def hold_over(self, completed: bool) -> None:
        """The hold ended: run to its end, or cut short by a command."""
        ...

    def rest(self, seconds: int, started: float) -> None:
        """A rest of `seconds` between passes began at clock time `started`."""
        ...

    def rest_over(self, completed: bool) -> None:
        """The rest ended: run to its end, or cut short by a command."""
        ...

    def position(self, position: Position | None) -> None:
        """The session moved (or left its routine: None)."""
        ...

    def heard(self, item: Input) -> None:
        """Input arrived: a command, something rejected, or a source that ended."""
        ...

    def keys(self, keys: Sequence[Key]) -> None:
        """The keys to list as available (empty when keys are not read)."""
        ...

    def waiting(self, hint: str | None) -> None:
        """The coach waits for the user (`hint` says for what), or no longer waits (None)."""
        ...


class PlainScreen:
    """One line per happening, for a pipe, a log file or a test.

    Lines start with a marker: ``coach:`` the words of a prompt, ``hold:`` a hold, ``rest:`` a
    rest, ``get ready:`` a time to get ready, ``heard:`` a command, ``unsure:`` input the coach
    asks about, ``ignored:`` input that is no command, ``at:`` the position, ``note:`` notices,
    ``waiting:`` what the coach waits for.
    """

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self._lock = threading.Lock()
        self._last_position: Position | None = None

    def _line(self, text: str) -> None:
        with self._lock:
            self.out.write(text + "\n")
            self.out.flush()

    def start(self) -> None:
        """Nothing to set up."""

    def stop(self) -> None:
        """Nothing to restore."""

    def notice(self, text: str) -> None:
        """``note: ...``."""
        self._line(f"note: {text}")

    def prompt(self, text: str) -> None:
        """``coach: ...`` with every word of the prompt."""
        if text:
            self._line(f"coach: {text}")

    def speaking(self, text: str) -> None:
        """Phrases are already in the prompt line; nothing more to write."""

    def hold(self, seconds: int, started: float) -> None:
        """``hold: 30 s``."""
        self._line(f"hold: {seconds} s")

    def get_ready(self, seconds: int, started: float) -> None:
        """``get ready: 5 s``."""
        self._line(f"get ready: {seconds} s")

    def hold_over(self, completed: bool) -> None:
        """``hold: done`` or ``hold: cut short``."""
        self._line("hold: done" if completed else "hold: cut short")

    def rest(self, seconds: int, started: float) -> None:
        """``rest: 10 s``."""
        self._line(f"rest: {seconds} s")

    def rest_over(self, completed: bool) -> None:
        """``rest: done`` or ``rest: cut short``."""
        self._line("rest: done" if completed else "rest: cut short")

    def position(self, position: Position | None) -> None:
        """``at: routine, step k of n ...`` when it changed."""
        if position == self._last_position:
            return
        self._last_position = position
        if position is None:
            return
        self._line(
            f"at: {position.routine}, {_where(position)} ({position.status.value}, "
            f"hold {position.hold} s, {clock_text(position.seconds_left)} left)"
        )

    def heard(self, item: Input) -> None:
        """``heard: text -> Intent`` or ``ignored: text``."""
        if isinstance(item, Heard):
            self._line(f"heard: {item.text} -> {item.intent} ({item.source.value})")
        elif isinstance(item, Unsure):
            self._line(f"unsure: {item.text} ({item.source.value}: asking)")
        elif isinstance(item, Rejected):
            self._line(f"ignored: {item.text} ({item.source.value}: not a command)")
        elif isinstance(item, Ended) and item.notice:
            self._line(f"note: {item.notice}")

    def keys(self, keys: Sequence[Key]) -> None:
        """Keys are not read when the screen is plain; nothing to write."""

    def waiting(self, hint: str | None) -> None:
        """``waiting: ...``."""
        if hint:
            self._line(f"waiting: {hint}")


@dataclass
class _View:
    """Everything the live screen draws, changed under the screen's lock."""

    position: Position | None = None
    cue: str = ""
    hold_seconds: int = 0
    hold_started: float | None = None
    bar: str = "Hold"
    """What the bar times: a hold, or a rest between passes."""
    ready_seconds: int = 0
    ready_started: float | None = None
    heard: str = ""
    hint: str | None = None
    notices: list[str] = field(default_factory=list)
    keys: tuple[Key, ...] = ()


class LiveScreen:
    """A panel redrawn several times a second on a terminal (rich `Live`).

    Hold and routine times are read from `clock` at each redraw, so the bar moves smoothly
    between the runner's updates, and runs fast under `--time-scale`.
    """

    def __init__(self, console: Console, clock: Clock, refresh_per_second: float = 8) -> None:
        self.console = console
        self.clock = clock
        self._view = _View()
        self._lock = threading.Lock()
        self._live = Live(
            console=console,
            get_renderable=self.render,
            refresh_per_second=refresh_per_second,
            transient=False,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._started = False

    def _change(self, **values: Any) -> None:
        with self._lock:
            self._view = replace(self._view, **values)

    def start(self) -> None:
        """Take over the terminal's bottom lines."""
        if not self._started:
            self._live.start()
            self._started = True

    def stop(self) -> None:
        """Draw a last time and give the terminal back."""
        if self._started:
            self._live.stop()
            self._started = False

    def notice(self, text: str) -> None:
        """Show `text` among the last few notices."""
        with self._lock:
            notices = [*self._view.notices, text][-_MAX_NOTICES:]
            self._view = replace(self._view, notices=notices)

    def prompt(self, text: str) -> None:
        """A new prompt: its first words show until the player reports the first phrase."""
        self._change(cue=text)

    def speaking(self, text: str) -> None:
        """Show the phrase being said."""
        self._change(cue=text)

    def hold(self, seconds: int, started: float) -> None:
        """Start the hold bar."""
        self._change(hold_seconds=seconds, hold_started=started, bar="Hold", ready_started=None)

    def get_ready(self, seconds: int, started: float) -> None:
        """Start the get-ready bar: "Get ready", counting down the seconds left."""
        self._change(ready_seconds=seconds, ready_started=started)

    def hold_over(self, completed: bool) -> None:
        """Clear the hold bar."""
        self._change(hold_started=None)

    def rest(self, seconds: int, started: float) -> None:
        """Start the bar for a rest, as for a hold."""
        self._change(hold_seconds=seconds, hold_started=started, bar="Rest")

    def rest_over(self, completed: bool) -> None:
        """Clear the rest bar."""
        self._change(hold_started=None)

    def position(self, position: Position | None) -> None:
        """Show the new position."""
        self._change(position=position)

    def heard(self, item: Input) -> None:
        """Show what was heard (or why it was ignored)."""
        if isinstance(item, Heard):
            self._change(heard=f"{item.text} ({item.source.value})")
        elif isinstance(item, Unsure):
            self._change(heard=f"{item.text}? ({item.source.value})")
        elif isinstance(item, Rejected):
            self._change(heard=f"not a command: {item.text}")
        elif isinstance(item, Ended) and item.notice:
            self.notice(item.notice)

    def keys(self, keys: Sequence[Key]) -> None:
        """List these keys at the bottom."""
        self._change(keys=tuple(keys))

    def waiting(self, hint: str | None) -> None:
        """Show what the coach waits for."""
        self._change(hint=hint)

    def render(self) -> RenderableType:
        """The panel as it should look now."""
        with self._lock:
            view = self._view
        now = self.clock.now()
        rows: list[RenderableType] = []
        position = view.position
        title = "Massage coach"
        if position is not None:
            title = position.routine
            status = "" if position.status is Status.ACTIVE else f"  [{position.status.value}]"
            where = _where(position)
            rows.append(Text(where[:1].upper() + where[1:] + status, style="bold"))
            rows.append(Text(f"{position.technique}: {position.cue}", style="dim"))
        if view.cue:
            rows.append(Text(view.cue, style="cyan"))
        ready = _ready_row(view, now)
        if ready is not None:
            rows.append(ready)
        elapsed = 0.0
        if view.hold_started is not None and view.hold_seconds:
            elapsed = min(max(now - view.hold_started, 0.0), float(view.hold_seconds))
            left = view.hold_seconds - elapsed
            bar = _bar_row(
                view.bar,
                ProgressBar(total=float(view.hold_seconds), completed=elapsed),
                f"{clock_text(left)} left",
            )
            rows.append(bar)
        if position is not None:
            remaining = max(0.0, position.seconds_left - elapsed)
            rows.append(Text(f"Routine: about {clock_text(remaining)} left"))
        if view.heard:
            rows.append(Text(f"Heard: {view.heard}", style="green"))
        if view.hint:
            rows.append(Text(view.hint, style="yellow"))
        for notice in view.notices:
            rows.append(Text(notice, style="magenta"))
        if view.keys:
            # One cell per key, so a key never ends a line apart from what it does.
            cells = [
                Text.assemble((f" {binding.label} ", "reverse"), f" {binding.does}")
                for binding in view.keys
            ]
            rows.append(Columns(cells, padding=(0, 2)))
        return Panel(Group(*rows), title=title, border_style="blue")


def _bar_row(label: str, bar: ProgressBar, left: str) -> Table:
    """One timed span as the screen shows it: a label, a bar and the time left."""
    row = Table.grid(padding=(0, 1))
    row.add_column(width=9)
    row.add_column(ratio=1)
    row.add_column(width=10, justify="right")
    row.add_row(label, bar, left)
    return row


def _ready_row(view: _View, now: float) -> Table | None:
    """The time to get ready, shown as a hold is ("Get ready", a bar, 5 4 3 ... seconds
    left), while it lasts."""
    if view.ready_started is None or not view.ready_seconds:
        return None
    elapsed = max(now - view.ready_started, 0.0)
    if elapsed >= view.ready_seconds:
        return None
    left = math.ceil(round(view.ready_seconds - elapsed, 6))
    bar = ProgressBar(total=float(view.ready_seconds), completed=elapsed)
    return _bar_row("Get ready", bar, f"{left}")
