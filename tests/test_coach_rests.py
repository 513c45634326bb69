"""The local coach's rests on its injected clock (issue #14): each rest between passes is shown
on the screen as a hold is and lasts exactly its seconds, and a rest chosen mid-hold changes
the next rest while the hold goes on for its time left."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from routines.commands import Command, CommandKind
from routines.models import Routine
from skill.local.coach import Outcome, Startup
from skill.local.inputs import Heard, Source
from tests.test_coach import SMALL_HOLDS, Rig


@pytest.fixture
def rig(library: dict[str, Routine], tmp_path: Path) -> Callable[[], Rig]:
    return lambda: Rig(library, tmp_path / "coach.sqlite3")


def _timed(r: Rig) -> tuple[list[tuple[int, float]], list[float]]:
    """Record each rest's (seconds, start) and each rest's end on the coach's clock."""
    rests: list[tuple[int, float]] = []
    ended: list[float] = []

    def rest(seconds: int, started: float) -> None:
        rests.append((seconds, started))

    def rest_over(completed: bool) -> None:
        assert completed
        ended.append(r.clock.now())

    r.screen.rest = rest  # type: ignore[method-assign]
    r.screen.rest_over = rest_over  # type: ignore[method-assign]
    return rests, ended


def test_each_rest_is_on_the_screen_and_lasts_exactly_its_seconds(
    rig: Callable[[], Rig],
) -> None:
    r = rig()
    started, ended = _timed(r)
    assert r.coach.run(Startup(routine="small")) is Outcome.FINISHED
    # Two 5 s rests: between the knee hug's reps on the right, then on the left.
    assert [seconds for seconds, _ in started] == [5, 5]
    assert [end - at for (_, at), end in zip(started, ended, strict=True)] == [5.0, 5.0]
    holds = r.screen.of("hold")
    assert [seconds for seconds, _ in holds] == SMALL_HOLDS
    # A rest comes after the first hold on a side and ends before the second begins.
    assert holds[0][1] + 20 <= started[0][1] < ended[0] <= holds[1][1]
    assert holds[2][1] + 20 <= started[1][1] < ended[1] <= holds[3][1]


def test_a_rest_chosen_mid_hold_is_the_next_rest_and_the_hold_goes_on(
    rig: Callable[[], Rig],
) -> None:
    r = rig()
    started, ended = _timed(r)
    hold = r.screen.hold

    def ask_eight_seconds_in(seconds: int, started: float) -> None:
        hold(seconds, started)
        if len(r.screen.of("hold")) == 1:
            rest = Command(CommandKind.SET_REST, seconds=20)
            heard = Heard(rest, "SetRestIntent", "rest for twenty seconds", Source.KEY)
            r.clock.call_at(started + 8, lambda: r.inputs.put(heard))

    r.screen.hold = ask_eight_seconds_in  # type: ignore[method-assign]
    assert r.coach.run(Startup(routine="small")) is Outcome.FINISHED
    assert [seconds for seconds, _ in r.screen.of("hold")] == [20, 12, *SMALL_HOLDS[1:]]
    assert "ests are now twenty seconds" in r.said()
    assert [seconds for seconds, _ in started] == [20, 20]
    assert [end - at for (_, at), end in zip(started, ended, strict=True)] == [20.0, 20.0]
    assert r.stored()["rest"] == 20
