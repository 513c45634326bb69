"""Tests for skill.alexa.skill: the handlers, the state in session and persistent attributes, the
catch-all, screens, and the envelope checks, in process (the HTTP path is in test_server.py)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model.request_envelope import RequestEnvelope

from routines.models import Routine
from skill.alexa.persistence import SQLitePersistenceAdapter
from skill.alexa.skill import (
    HOLD_ATTRIBUTE,
    STATE_ATTRIBUTE,
    AlexaRequestError,
    build_skill,
    check_envelope,
    handle_envelope,
    slot_values,
)
from skill.core.journal_store import SQLiteJournal
from skill.core.store import SQLiteStore
from tests.support.envelopes import (
    RECORDED_USER,
    Conversation,
    catch_all_records,
    ends_session,
    recorded,
    recorded_names,
    reprompt,
    speech,
)


def rate(talk: Conversation, rating: int | None) -> dict[str, Any]:
    """Answer the pain check: "about a six" (PainRatingIntent), or "I don't know" (the same
    intent with its slot empty)."""
    return talk.ask("PainRatingIntent", rating=rating)


@pytest.fixture
def skill(library: dict[str, Routine], store: SQLiteStore) -> CustomSkill:
    return build_skill(library, SQLitePersistenceAdapter(store))


@pytest.fixture
def talk(skill: CustomSkill) -> Conversation:
    return Conversation(lambda envelope: handle_envelope(skill, envelope))


@pytest.fixture(autouse=True)
def catch_all_not_reached(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every test here fails if the catch-all handler ran (a test that makes it run on purpose
    checks its records and clears them)."""
    caplog.set_level(logging.INFO)
    yield
    assert catch_all_records(caplog) == []


def test_every_recorded_envelope_deserializes_as_alexa_would() -> None:
    serializer = DefaultSerializer()
    names = recorded_names()
    assert len(names) >= 30
    for name in names:
        envelope = recorded(name)
        check_envelope(envelope)
        model = serializer.deserialize(json.dumps(envelope), RequestEnvelope)
        assert model.request.locale == "en-US", name
        assert model.context.system.device.supported_interfaces is not None, name


def test_first_launch_gives_the_disclaimer_and_offers_the_default_routine(
    talk: Conversation, store: SQLiteStore
) -> None:
    answer = talk.say("launch")
    assert "not a substitute for a doctor" in speech(answer)
    assert "Quick relief" in reprompt(answer)
    assert not ends_session(answer)
    assert talk.attributes[STATE_ATTRIBUTE]["disclaimed"] is True
    assert talk.attributes[HOLD_ATTRIBUTE] is None
    saved = store.load(RECORDED_USER)
    assert saved is not None
    assert saved[STATE_ATTRIBUTE]["disclaimed"] is True


def test_yes_starts_the_offered_routine_and_the_hold_is_in_the_attributes(
    talk: Conversation,
) -> None:
    talk.say("launch")
    answer = talk.say("yes")
    assert "Quick relief" in speech(answer)
    assert talk.state["status"] == "active"
    assert talk.state["routine"] == "sciatica-quick-relief"
    assert talk.attributes[HOLD_ATTRIBUTE] == 20
    assert not ends_session(answer)
    assert reprompt(answer)


def test_session_attributes_win_over_persistent_ones_within_a_session(
    talk: Conversation, store: SQLiteStore
) -> None:
    talk.say("launch")
    talk.say("yes")
    stored = store.load(RECORDED_USER)
    assert stored is not None
    # Another device moved the stored progress on; this session keeps its own place.
    moved = {STATE_ATTRIBUTE: {**stored[STATE_ATTRIBUTE], "position": 3}}
    store.save(RECORDED_USER, moved)
    talk.say("progress")
    assert talk.state["position"] == 0


def test_a_new_session_starts_from_the_persistent_state(
    talk: Conversation, store: SQLiteStore
) -> None:
    talk.say("launch")
    asked = talk.say("yes")
    assert "from zero to ten" in speech(asked)
    assert "Thanks, five." in speech(rate(talk, 5))
    talk.say("next")
    talk.start_session()
    answer = talk.say("launch")
    assert "step one of two" in speech(answer).lower()
    assert talk.state["position"] == 1
    assert talk.state["offer"] == "resume"


def test_tampered_session_state_falls_back_to_the_stored_state(
    talk: Conversation, caplog: pytest.LogCaptureFixture
) -> None:
    talk.say("launch")
    talk.say("yes")
    talk.attributes[STATE_ATTRIBUTE] = {"version": 99, "status": "dancing"}
    answer = talk.say("progress")
    assert "step one of two" in speech(answer).lower()
    assert any("ignoring session state" in r.getMessage() for r in caplog.records)


def test_longer_shorter_and_set_hold_change_the_hold_within_bounds(
    talk: Conversation, store: SQLiteStore
) -> None:
    talk.say("launch")
    talk.say("yes")
    talk.say("longer-hold")
    assert talk.attributes[HOLD_ATTRIBUTE] == 30
    talk.say("shorter-hold")
    assert talk.attributes[HOLD_ATTRIBUTE] == 20
    talk.say("set-hold")
    assert talk.attributes[HOLD_ATTRIBUTE] == 25
    answer = talk.say("longer-hold-by")
    assert talk.attributes[HOLD_ATTRIBUTE] == 30
    assert "thirty seconds" in speech(answer)
    stored = store.load(RECORDED_USER)
    assert stored is not None
    assert stored[STATE_ATTRIBUTE]["holds"] == {"knee-hug": 30}


def test_a_vague_duration_asks_how_long(talk: Conversation) -> None:
    talk.say("launch")
    talk.say("yes")
    answer = talk.say("set-hold-vague")
    assert "how long" in speech(answer).lower()
    assert talk.attributes[HOLD_ATTRIBUTE] == 20


def test_pause_keeps_listening_and_saves(talk: Conversation, store: SQLiteStore) -> None:
    talk.say("launch")
    talk.say("yes")
    answer = talk.say("pause")
    assert "paused" in speech(answer).lower()
    assert "resume" in reprompt(answer).lower()
    assert not ends_session(answer)
    stored = store.load(RECORDED_USER)
    assert stored is not None
    assert stored[STATE_ATTRIBUTE]["status"] == "paused"


@pytest.mark.parametrize("name", ["stop", "cancel", "navigate-home"])
def test_stop_cancel_and_home_save_progress_and_end(
    talk: Conversation, store: SQLiteStore, name: str
) -> None:
    talk.say("launch")
    talk.say("yes")
    talk.say("skip")  # answers the pain check: on to the first pass
    talk.say("next")
    answer = talk.say(name)
    assert ends_session(answer)
    assert "progress is saved" in speech(answer)
    stored = store.load(RECORDED_USER)
    assert stored is not None
    assert stored[STATE_ATTRIBUTE]["status"] == "stopped"
    assert stored[STATE_ATTRIBUTE]["position"] == 1


def test_session_ended_saves_and_answers_nothing(talk: Conversation, store: SQLiteStore) -> None:
    talk.say("launch")
    talk.say("yes")
    store.delete(RECORDED_USER)  # so that only the SessionEndedRequest can write it back
    answer = talk.say("session-ended")
    assert "outputSpeech" not in answer["response"]
    stored = store.load(RECORDED_USER)
    assert stored is not None
    assert stored[STATE_ATTRIBUTE]["status"] == "active"


def test_a_session_ended_by_an_error_is_logged(
    talk: Conversation, caplog: pytest.LogCaptureFixture
) -> None:
    talk.say("launch")
    talk.say("session-ended-error")
    assert any("INVALID_RESPONSE" in r.getMessage() for r in caplog.records)


def test_fallback_and_unknown_intents_say_what_the_coach_can_do(
    talk: Conversation, caplog: pytest.LogCaptureFixture
) -> None:
    talk.say("launch")
    answer = talk.say("fallback")
    assert "Sorry" in speech(answer)
    assert "You can say" in speech(answer)
    envelope = talk.envelope("help")
    envelope["request"]["intent"]["name"] = "SingASongIntent"
    unknown = handle_envelope_via(talk, envelope)
    assert "You can say" in speech(unknown)
    assert any("SingASongIntent" in r.getMessage() for r in caplog.records)
    envelope = talk.envelope("help")
    envelope["request"]["intent"]["name"] = "Huge" * 50_000
    caplog.clear()
    assert "You can say" in speech(handle_envelope_via(talk, envelope))
    (logged,) = [r.getMessage() for r in caplog.records if "Huge" in r.getMessage()]
    assert len(logged) < 200


def handle_envelope_via(talk: Conversation, envelope: dict[str, Any]) -> dict[str, Any]:
    return talk.send_envelope(envelope)


def test_pain_pauses_and_a_red_flag_ends_the_session(talk: Conversation) -> None:
    talk.say("launch")
    talk.say("yes")
    pain = talk.say("pain")
    assert "nerve" in speech(pain)
    assert talk.state["status"] == "paused"
    assert not ends_session(pain)
    flag = talk.say("red-flag")
    assert ends_session(flag)
    assert "urgent" in speech(flag)
    assert talk.state["status"] == "halted"


def test_an_unknown_routine_name_is_answered_with_the_known_ones(talk: Conversation) -> None:
    talk.say("launch")
    answer = talk.say("start-routine-unknown")
    assert "yoga for cats" in speech(answer)
    assert talk.state["status"] == "idle"


def test_screens_get_apl_and_speakers_get_a_card(skill: CustomSkill) -> None:
    show = Conversation(lambda envelope: handle_envelope(skill, envelope), screen=True)
    show.say("launch")
    asked = show.say("yes")
    assert "from zero to ten" in speech(asked)
    answer = rate(show, 3)  # "about a three"
    assert "Thanks, three." in speech(answer)
    directives = answer["response"].get("directives") or []
    assert [d["type"] for d in directives] == ["Alexa.Presentation.APL.RenderDocument"]
    fields = directives[0]["datasources"]["coach"]
    assert fields["title"] == "Knee hug"
    assert fields["step"] == "1 of 2"
    assert fields["hold"] == "20 seconds"
    assert fields["side"] == "right"
    assert "card" not in answer["response"]

    dot = Conversation(
        lambda envelope: handle_envelope(skill, envelope), user_id="amzn1.ask.account.DOT"
    )
    dot.say("launch")
    dot.say("yes")
    answer = dot.say("next")  # "next" answers the pain check too
    assert "directives" not in answer["response"] or not answer["response"]["directives"]
    card = answer["response"]["card"]
    assert card["type"] == "Simple"
    assert card["title"] == "Knee hug"
    assert "1 of 2" in card["content"]
    assert "20 seconds" in card["content"]


def test_slot_values_prefer_the_resolved_id_and_fall_back_to_the_words() -> None:
    def intent_of(name: str) -> Any:
        model = DefaultSerializer().deserialize(json.dumps(recorded(name)), RequestEnvelope)
        return model.request.intent

    assert slot_values(intent_of("start-routine")) == {"routine": "sciatica-quick-relief"}
    assert slot_values(intent_of("start-routine-unknown")) == {"routine": "yoga for cats"}
    assert slot_values(intent_of("start-routine-default")) == {"routine": None}
    assert slot_values(intent_of("red-flag")) == {"symptom": "RED_FLAG_BLADDER"}
    assert slot_values(intent_of("set-hold")) == {"duration": "PT25S"}
    assert slot_values(intent_of("help")) == {}
    assert slot_values(None) == {}


def test_skills_are_independent(library: dict[str, Routine], tmp_path: Path) -> None:
    first = build_skill(library, SQLitePersistenceAdapter(tmp_path / "one.db"))
    second = build_skill(library, SQLitePersistenceAdapter(tmp_path / "two.db"))
    assert first is not second
    Conversation(lambda envelope: handle_envelope(first, envelope)).say("launch")
    answer = Conversation(lambda envelope: handle_envelope(second, envelope)).say("launch")
    assert "not a substitute for a doctor" in speech(answer)  # the second store is empty


def test_an_empty_library_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty"):
        build_skill({}, SQLitePersistenceAdapter(tmp_path / "coach.db"))


class _FailingStore:
    """A store that reads fine and fails every write, like a full disk."""

    def __init__(self, inner: SQLiteStore) -> None:
        self.inner = inner

    def load(self, user_id: str) -> dict[str, Any] | None:
        return self.inner.load(user_id)

    def save(self, user_id: str, record: dict[str, Any]) -> None:
        from skill.core.store import StoreAccessError

        raise StoreAccessError("disk full")

    def delete(self, user_id: str) -> None:
        self.inner.delete(user_id)


def test_the_catch_all_apologises_logs_and_keeps_progress(
    library: dict[str, Routine], store: SQLiteStore, caplog: pytest.LogCaptureFixture
) -> None:
    good = build_skill(library, SQLitePersistenceAdapter(store))
    talk = Conversation(lambda envelope: handle_envelope(good, envelope))
    talk.say("launch")
    talk.say("yes")
    rate(talk, None)  # "I don't know"
    before = dict(talk.attributes)
    stored = store.load(RECORDED_USER)

    # The journal is given: none can be found beside a store the adapter does not know.
    failing = build_skill(
        library, SQLitePersistenceAdapter(_FailingStore(store)), journal=SQLiteJournal(store)
    )
    talk.send_envelope = lambda envelope: handle_envelope(failing, envelope)
    answer = talk.say("next")
    assert "Sorry, something went wrong" in speech(answer)
    assert reprompt(answer)
    assert not ends_session(answer)
    assert talk.attributes == before
    assert store.load(RECORDED_USER) == stored
    records = catch_all_records(caplog)
    assert len(records) == 1
    assert records[0].exc_info is not None
    assert "disk full" in str(records[0].exc_info[1])

    ended = talk.say("session-ended")
    assert "outputSpeech" not in ended["response"]
    assert len(catch_all_records(caplog)) == 2
    caplog.clear()


@pytest.mark.parametrize(
    ("envelope", "reason"),
    [
        ([], "malformed_envelope"),
        ({"version": "1.0"}, "malformed_envelope"),
        ({"request": {"type": "Alexa.Presentation.APL.UserEvent"}}, "unsupported_request_type"),
        ({"request": {"type": 7}}, "unsupported_request_type"),
        ({"request": {"type": "LaunchRequest"}}, "malformed_envelope"),
    ],
)
def test_envelopes_the_skill_cannot_answer_are_refused(envelope: Any, reason: str) -> None:
    with pytest.raises(AlexaRequestError) as caught:
        check_envelope(envelope)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: e["context"]["System"].pop("user"),
        lambda e: e["session"].update(attributes=[1, 2]),
        lambda e: e["request"].pop("intent"),
        lambda e: e["request"]["intent"].update(slots="routine"),
        lambda e: e["request"].update(timestamp={"not": "a time"}),
    ],
)
def test_damaged_envelopes_are_refused_and_nothing_is_stored(
    skill: CustomSkill, store: SQLiteStore, damage: Any
) -> None:
    envelope = Conversation(lambda e: e).envelope("next")
    damage(envelope)
    with pytest.raises(AlexaRequestError):
        handle_envelope(skill, envelope)
    assert store.user_ids() == []


def test_alexa_errors_about_earlier_responses_are_acknowledged_silently(
    skill: CustomSkill, caplog: pytest.LogCaptureFixture
) -> None:
    envelope = recorded("launch")
    envelope.pop("session")
    envelope["request"] = {
        "type": "System.ExceptionEncountered",
        "requestId": "amzn1.echo-api.request.x",
        "timestamp": envelope["request"]["timestamp"],
        "locale": "en-US",
        "error": {"type": "INVALID_RESPONSE", "message": "bad directive"},
        "cause": {"requestId": "amzn1.echo-api.request.y"},
    }
    answer = handle_envelope(skill, envelope)
    assert "outputSpeech" not in answer["response"]
    assert any("earlier response" in r.getMessage() for r in caplog.records)
