"""A record stored by the current release loads and continues on both front-ends.

The record is written literally, in the shape users have in their stores today (the skill's
persistent attributes and the local store hold the same ``{"state": ...}``): mid-routine,
stopped at the third pass of the small routine, with a preferred hold of 25 s for the knee hug.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from routines.models import Routine
from skill.alexa.persistence import SQLitePersistenceAdapter
from skill.alexa.skill import HOLD_ATTRIBUTE, build_skill, handle_envelope
from skill.core.store import SQLiteStore
from skill.local.coach import USER_ID, Coach, Outcome, Startup
from skill.local.inputs import Ended, InputQueue, Source
from speech.audio import NullSink
from speech.clock import FakeClock
from speech.player import Player
from speech.tts import TextOnlyEngine
from tests.support.envelopes import RECORDED_USER, Conversation, speech, stored_state
from tests.test_coach import Recorder, command

TODAYS_RECORD = """
{
  "state": {
    "version": 1,
    "status": "stopped",
    "routine": "small",
    "position": 2,
    "holds": {"knee-hug": 25},
    "seen": ["knee-hug"],
    "disclaimed": true,
    "red_flag": null,
    "offer": null,
    "offer_routine": null
  }
}
"""


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "coach.sqlite3")


def test_alexa_continues_a_record_of_the_current_release(
    library: dict[str, Routine], store: SQLiteStore
) -> None:
    store.save(RECORDED_USER, json.loads(TODAYS_RECORD))
    skill = build_skill(library, SQLitePersistenceAdapter(store))
    talk = Conversation(lambda envelope: handle_envelope(skill, envelope))
    opening = speech(talk.say("launch"))
    assert "step one of two of Small routine" in opening
    assert "carry on" in opening
    assert "not a substitute" not in opening
    resumed = speech(talk.say("yes"))
    assert "Knee hug, left side" in resumed
    assert "twenty five seconds" in resumed
    assert talk.attributes[HOLD_ATTRIBUTE] == 25
    talk.say("next")
    talk.say("stop")
    state = stored_state(store, RECORDED_USER)
    assert (state["status"], state["position"], state["holds"]) == ("stopped", 3, {"knee-hug": 25})


def test_the_local_coach_continues_a_record_of_the_current_release(
    library: dict[str, Routine], store: SQLiteStore
) -> None:
    store.save(USER_ID, json.loads(TODAYS_RECORD))
    clock, inputs, screen = FakeClock(), InputQueue(), Recorder()
    player = Player(TextOnlyEngine(), NullSink(), clock)
    coach = Coach(library, store, player, screen, inputs, clock, sources=frozenset({Source.KEY}))
    for text in ("yes", "stop"):
        inputs.put(command(text))
    inputs.put(Ended(Source.KEY))
    assert coach.run(Startup(ask=True)) is Outcome.STOPPED
    opening, resumed = coach.spoken[0].text, coach.spoken[1].text
    assert "step one of two of Small routine" in opening
    assert "carry on" in opening
    assert "Knee hug, left side" in resumed
    assert "twenty five seconds" in resumed
    assert [hold.seconds for hold in coach.spoken[1].holds] == [25]
    state = stored_state(store, USER_ID)
    assert (state["status"], state["position"], state["holds"]) == ("stopped", 2, {"knee-hug": 25})
