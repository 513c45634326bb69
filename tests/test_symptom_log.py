"""Every symptom reported is kept in the user's record, on both front-ends, and nothing else is
lost when the record is saved again (skill.core.symptom_log)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_model.request_envelope import RequestEnvelope

from routines import events as ev
from routines.commands import Command, CommandKind
from routines.models import Routine
from skill.alexa.persistence import SQLitePersistenceAdapter
from skill.alexa.skill import build_skill, handle_envelope
from skill.core.store import SQLiteStore
from skill.core.symptom_log import (
    MAX_REPORTS,
    SYMPTOMS_KEY,
    SymptomReport,
    report_of,
    reports_in,
    with_report,
)
from skill.core.turn import TurnContext, take_turn
from skill.core.view import view_of
from skill.local.coach import USER_ID, Coach, Outcome, Startup
from skill.local.inputs import Ended, InputQueue, Source
from speech.audio import NullSink
from speech.clock import FakeClock
from speech.player import Player
from speech.tts import TextOnlyEngine
from tests.support.envelopes import RECORDED_USER, Conversation
from tests.test_coach import Recorder, command

AT = "2026-12-01T09:30:00+00:00"


def _started(library: dict[str, Routine]) -> dict[str, object]:
    """The small routine started and its pain check answered ("five"): the first step is
    being done."""
    asked = take_turn(None, Command(CommandKind.START, routine="small"), library)
    assert "from zero to ten" in asked.prompt.text
    return take_turn(asked.state, Command(CommandKind.RATE_PAIN, rating=5), library).state


def test_a_pain_report_names_the_step_being_done(library: dict[str, Routine]) -> None:
    result = take_turn(
        _started(library),
        Command(CommandKind.PAIN, symptom="numbness"),
        library,
        TurnContext(at=AT),
    )
    assert result.reported == SymptomReport("nerve", "NUMBNESS", "small", "knee-hug", AT)
    assert result.save


def test_a_red_flag_report_names_the_step_it_stopped(library: dict[str, Routine]) -> None:
    result = take_turn(
        _started(library),
        Command(CommandKind.RED_FLAG, symptom="RED_FLAG_FALL"),
        library,
        TurnContext(at=AT),
    )
    assert result.reported == SymptomReport("red_flag", "RED_FLAG_FALL", "small", "knee-hug", AT)


def test_pain_outside_a_routine_and_other_turns(library: dict[str, Routine]) -> None:
    idle = take_turn(None, Command(CommandKind.PAIN), library, TurnContext(at=AT))
    assert idle.reported == SymptomReport("pain", "PAIN", None, None, AT)
    assert take_turn(None, Command(CommandKind.HELP), library).reported is None
    view = view_of(None, library)
    assert report_of([ev.Paused()], view, AT) is None


def test_the_log_is_bounded_and_keeps_the_rest_of_the_record() -> None:
    report = SymptomReport("pain", "PAIN", None, None, AT)
    record: dict[str, object] = {"state": {"status": "idle"}, "other": 1}
    for _ in range(MAX_REPORTS + 3):
        record = with_report(record, report)
    assert len(record[SYMPTOMS_KEY]) == MAX_REPORTS  # type: ignore[arg-type]
    assert record["state"] == {"status": "idle"}
    assert record["other"] == 1
    assert reports_in(record) == [report] * MAX_REPORTS


def test_old_and_damaged_logs_read_as_what_they_hold() -> None:
    assert reports_in(None) == []
    assert reports_in({"state": {}}) == []
    good = SymptomReport("pain", "PAIN", None, None, AT).to_json()
    assert reports_in({SYMPTOMS_KEY: "nonsense"}) == []
    assert len(reports_in({SYMPTOMS_KEY: [good, {"bad": 1}, 7, good]})) == 2


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "coach.sqlite3")


def test_alexa_keeps_every_report_in_the_record(
    library: dict[str, Routine], store: SQLiteStore
) -> None:
    skill = build_skill(library, SQLitePersistenceAdapter(store))
    talk = Conversation(lambda envelope: handle_envelope(skill, envelope))
    talk.say("launch")
    talk.say("yes")
    talk.say("next")  # the pain check: moved on without a rating
    talk.say("pain")  # "my leg is numb"
    talk.say("resume")
    talk.say("stop")  # a save without a report keeps the log
    talk.start_session()
    talk.say("launch")
    talk.say("yes")
    talk.say("red-flag")  # "I can't control my bladder"
    record = store.load(RECORDED_USER)
    reports = reports_in(record)
    assert [(r.category, r.symptom, r.routine) for r in reports] == [
        ("nerve", "NUMBNESS", "sciatica-quick-relief"),
        ("red_flag", "RED_FLAG_BLADDER", "sciatica-quick-relief"),
    ]
    assert all(r.step for r in reports)
    for report in reports:
        moment = datetime.fromisoformat(report.at)
        assert moment.tzinfo is not None
        assert abs((moment - datetime.now(UTC)).total_seconds()) < 3600
    assert record is not None
    assert record["state"]["status"] == "halted"


def test_the_local_coach_keeps_every_report_in_the_record(
    library: dict[str, Routine], store: SQLiteStore
) -> None:
    store.save(
        USER_ID,
        {
            "state": None,
            SYMPTOMS_KEY: [
                json.loads(
                    json.dumps(
                        SymptomReport(
                            "pain", "PAIN", "small", "knee-hug", "2026-11-30T08:00:00+00:00"
                        ).to_json()
                    )
                )
            ],
        },
    )
    clock, inputs, screen = FakeClock(), InputQueue(), Recorder()
    coach = Coach(
        library,
        store,
        Player(TextOnlyEngine(), NullSink(), clock),
        screen,
        inputs,
        clock,
        sources=frozenset({Source.KEY}),
        wall_clock=lambda: datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
    )
    for text in ("pain", "resume", "red"):
        inputs.put(command(text))
    inputs.put(Ended(Source.KEY))
    assert coach.run(Startup(routine="small")) is Outcome.HALTED
    reports = reports_in(store.load(USER_ID))
    assert [(r.symptom, r.routine, r.step, r.at) for r in reports] == [
        ("PAIN", "small", "knee-hug", "2026-11-30T08:00:00+00:00"),
        ("PAIN", "small", "knee-hug", AT),
        ("RED_FLAG_BLADDER", "small", "knee-hug", AT),
    ]


class CountingAdapter(SQLitePersistenceAdapter):
    """The SQLite adapter, counting the records it reads."""

    reads = 0

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        self.reads += 1
        return super().get_attributes(request_envelope)


def test_saving_reads_the_record_only_when_it_holds_more_than_the_state(
    library: dict[str, Routine], store: SQLiteStore
) -> None:
    adapter = CountingAdapter(store)
    skill = build_skill(library, adapter)
    talk = Conversation(lambda envelope: handle_envelope(skill, envelope))
    talk.say("launch")  # a new session reads the record: nothing but a state in it
    talk.say("yes")
    talk.say("next")
    assert adapter.reads == 1
    talk.say("pain")  # the first report: from now on saves keep the log
    talk.say("resume")
    talk.say("next")
    assert adapter.reads >= 2
    reports = reports_in(store.load(RECORDED_USER))
    assert [r.symptom for r in reports] == ["NUMBNESS"]
