"""skill.local.screen: the position shown, plain lines, and the live panel drawn on a fake clock."""

from __future__ import annotations

import io

from rich.console import Console

from routines import session
from routines.commands import Command, CommandKind
from routines.models import Routine, Side
from routines.session import Status
from skill.core.view import view_of
from skill.local.inputs import KEYS, Ended, Heard, Rejected, Source
from skill.local.screen import LiveScreen, PlainScreen, Position, clock_text, position_of
from speech.clock import FakeClock


def started(library: dict[str, Routine], *commands: CommandKind) -> dict[str, object]:
    """The state after starting the small routine, answering its pain check ("about a
    three"), then these commands."""
    state, _ = session.apply(None, Command(CommandKind.START, routine="small"), library)
    assert state["asking"] == "pain_before"
    state, _ = session.apply(state, Command(CommandKind.RATE_PAIN, rating=3), library)
    for kind in commands:
        state, _ = session.apply(state, Command(kind), library)
    return state


def test_position_of_a_new_user_is_none(library: dict[str, Routine]) -> None:
    assert position_of(view_of(session.new_state(), library)) is None


def test_position_follows_the_state_and_the_users_holds(library: dict[str, Routine]) -> None:
    state = started(library, CommandKind.NEXT, CommandKind.LONGER)
    position = position_of(view_of(state, library))
    assert position == Position(
        routine="Small routine",
        status=Status.ACTIVE,
        step=1,
        steps=2,
        title="Knee hug",
        technique="stretch",
        side=Side.RIGHT,
        rep=2,
        reps=2,
        hold=30,
        seconds_left=position.seconds_left if position else 0,
        cue="Hug your knee in.",
    )
    assert position is not None
    # From the start of this pass: three knee hugs of 30 s (the longer hold), one press of
    # 45 s, 12 s of set-up each, and the 5 s rest between the two reps on the left side.
    assert position.seconds_left == (30 + 12) + (30 + 12) * 2 + 5 + (45 + 12)
    paused = position_of(view_of(started(library, CommandKind.SKIP, CommandKind.PAUSE), library))
    assert paused is not None
    assert (paused.step, paused.technique, paused.side, paused.status) == (
        2,
        "trigger point",
        Side.BOTH,
        Status.PAUSED,
    )


def test_clock_text() -> None:
    assert [clock_text(s) for s in (0, 9.6, 45, 60, 725, -3)] == [
        "0:00",
        "0:10",
        "0:45",
        "1:00",
        "12:05",
        "0:00",
    ]


def test_plain_screen_writes_one_marked_line_per_happening(library: dict[str, Routine]) -> None:
    out = io.StringIO()
    screen = PlainScreen(out)
    position = position_of(view_of(started(library), library))
    screen.start()
    screen.notice("No audio output.")
    screen.position(position)
    screen.position(position)  # unchanged: not repeated
    screen.prompt("Knee hug. Hold for twenty seconds.")
    screen.prompt("")
    screen.speaking("twenty")
    screen.hold(20, 0.0)
    screen.hold_over(completed=True)
    screen.hold(20, 0.0)
    screen.hold_over(completed=False)
    screen.heard(Heard(Command(CommandKind.NEXT), "AMAZON.NextIntent", "next", Source.LINE))
    screen.heard(Rejected("hello", Source.VOICE))
    screen.heard(Ended(Source.VOICE, "The microphone stopped."))
    screen.heard(Ended(Source.LINE))
    screen.keys(KEYS)
    screen.waiting("Say resume.")
    screen.waiting(None)
    screen.stop()
    assert out.getvalue().splitlines() == [
        "note: No audio output.",
        "at: Small routine, step 1 of 2: Knee hug, right side, rep 1 of 2 "
        "(active, hold 20 s, 3:15 left)",
        "coach: Knee hug. Hold for twenty seconds.",
        "hold: 20 s",
        "hold: done",
        "hold: 20 s",
        "hold: cut short",
        "heard: next -> AMAZON.NextIntent (line)",
        "ignored: hello (voice: not a command)",
        "note: The microphone stopped.",
        "waiting: Say resume.",
    ]


def draw(screen: LiveScreen) -> str:
    console = Console(record=True, width=100, file=io.StringIO(), color_system=None)
    console.print(screen.render())
    return console.export_text()


def test_live_screen_shows_step_hold_time_left_and_keys(library: dict[str, Routine]) -> None:
    clock = FakeClock(start=100.0)
    screen = LiveScreen(Console(file=io.StringIO()), clock)
    assert "Massage coach" in draw(screen)
    screen.position(position_of(view_of(started(library), library)))
    screen.speaking("Hug your knee to your chest.")
    screen.hold(20, 100.0)
    screen.keys(KEYS)
    screen.heard(Heard(Command(CommandKind.LONGER), "LongerHoldIntent", "+", Source.KEY))
    clock.advance(5)
    text = draw(screen)
    assert "Small routine" in text
    assert "Step 1 of 2: Knee hug, right side, rep 1 of 2" in text
    assert "stretch: Hug your knee in." in text
    assert "Hug your knee to your chest." in text
    assert "0:15 left" in text  # the hold
    assert "about 3:10 left" in text  # the routine: 3:15 less the 5 s held
    assert "Heard: + (key)" in text
    assert "space  pause/resume" in text
    assert "q  quit" in text
    screen.hold_over(completed=False)
    assert "0:15 left" not in draw(screen)


def test_live_screen_shows_status_hint_and_the_last_notices(library: dict[str, Routine]) -> None:
    screen = LiveScreen(Console(file=io.StringIO()), FakeClock())
    screen.position(position_of(view_of(started(library, CommandKind.PAUSE), library)))
    screen.waiting("Say resume to carry on, or stop to finish for now.")
    screen.heard(Rejected("the weather is nice", Source.VOICE))
    for number in range(5):
        screen.notice(f"notice {number}")
    text = draw(screen)
    assert "[paused]" in text
    assert "Say resume to carry on" in text
    assert "not a command: the weather is nice" in text
    assert "notice 0" not in text
    assert "notice 1" not in text
    assert "notice 2" in text
    assert "notice 4" in text


def test_live_screen_starts_and_stops_on_a_terminal() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    screen = LiveScreen(console, FakeClock())
    screen.start()
    screen.notice("hello from the live screen")
    screen.stop()
    screen.stop()  # twice is fine
    assert "hello from the live screen" in out.getvalue()


def test_screens_show_a_rest_as_they_show_a_hold(library: dict[str, Routine]) -> None:
    clock = FakeClock(start=50.0)
    screen = LiveScreen(Console(file=io.StringIO()), clock)
    screen.position(position_of(view_of(started(library), library)))
    screen.rest(20, 50.0)
    clock.advance(8)
    text = draw(screen)
    assert "Rest" in text
    assert "0:12 left" in text
    screen.rest_over(completed=True)
    assert "0:12 left" not in draw(screen)
    screen.hold(20, clock.now())
    assert "Rest " not in draw(screen)
    out = io.StringIO()
    plain = PlainScreen(out)
    plain.rest(20, 50.0)
    plain.rest_over(completed=True)
    plain.rest(20, 80.0)
    plain.rest_over(completed=False)
    assert out.getvalue().splitlines() == [
        "rest: 20 s",
        "rest: done",
        "rest: 20 s",
        "rest: cut short",
    ]
