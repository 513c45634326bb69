"""Long holds on Alexa with the Alexa Timers API: the skill in process against a Timers API peer
on loopback (`skill.devtools.timers_peer`), whose address and token the envelopes carry.

The default routine opens with five minutes of heat, too long for one response: with the
permission the skill sets a timer for it; without, it asks once; refused, failing or hanging,
it says "set a timer yourself" and keeps the user's progress."""

from __future__ import annotations

import html
import logging
import re
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model.services.api_client_request import ApiClientRequest

import interaction_model
from routines.loader import load_library
from skill.alexa.persistence import SQLitePersistenceAdapter
from skill.alexa.skill import build_skill, handle_envelope
from skill.alexa.timers import TimedApiClient
from skill.core.store import SQLiteStore
from skill.core.timers import TIMER_SCOPE
from skill.devtools.envelopes import (
    DEFAULT_SKILL_ID,
    TIMERS_GRANTED,
    intent_request,
    launch_request,
    permission_response,
    timer_launch_request,
)
from skill.devtools.timers_peer import TimersPeer
from tests.support.envelopes import (
    Conversation,
    catch_all_records,
    ends_session,
    speech,
    stored_state,
)

MODEL = interaction_model.load("en-US")
HEAT = "Heat on the lower back"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Clock:
    """The one clock of a test: the requests' timestamps and the peer's."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def peer(clock: Clock) -> Iterator[TimersPeer]:
    with TimersPeer(now=clock) as started:
        yield started


@pytest.fixture
def skill(store: SQLiteStore) -> CustomSkill:
    # A short timeout keeps the hanging peer's test quick; the default is API_TIMEOUT_S.
    client = TimedApiClient(timeout=0.3)
    return build_skill(load_library(), SQLitePersistenceAdapter(store), api_client=client)


@pytest.fixture(autouse=True)
def catch_all_not_reached(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.INFO)
    yield
    assert catch_all_records(caplog) == []


def conversation(
    skill: CustomSkill, clock: Clock, endpoint: str, *, granted: bool = True
) -> Conversation:
    talk = Conversation(lambda envelope: handle_envelope(skill, envelope))
    talk.alexa.caller = replace(
        talk.alexa.caller, api_endpoint=endpoint, permissions=TIMERS_GRANTED if granted else None
    )
    talk.alexa.clock = clock
    return talk


def send(talk: Conversation, request: dict[str, Any], *, new: bool = False) -> dict[str, Any]:
    if new:
        talk.start_session()
    return talk.send(talk.alexa.envelope(request))


def ask(talk: Conversation, intent: str, *, new: bool = False, **slots: object) -> dict[str, Any]:
    return send(talk, intent_request(intent, slots or None, MODEL), new=new)


def to_the_heat(talk: Conversation) -> dict[str, Any]:
    """Start the default routine, answer the pain check, and ask for five minutes of heat: a
    hold too long for one response (its five minutes fit in one)."""
    send(talk, launch_request(), new=True)
    ask(talk, "AMAZON.YesIntent")
    counted = ask(talk, "PainRatingIntent", rating=4)
    assert "Time's up." in text(counted)
    assert not directives(counted)
    return ask(talk, "SetHoldIntent", duration="PT5M")


def text(answer: dict[str, Any]) -> str:
    """The words a response speaks, tags removed and entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", speech(answer)))


def stored(store: SQLiteStore) -> dict[str, Any]:
    """The one user's state as saved."""
    (user_id,) = store.user_ids()
    return stored_state(store, user_id)


def directives(answer: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = answer["response"].get("directives") or []
    return found


# With the permission.


def test_the_heat_hold_sets_a_timer_with_its_length_and_label_and_the_session_ends(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    answer = to_the_heat(conversation(skill, clock, peer.url))
    assert "The hold has started: I've set a timer for five minutes, called " + HEAT in text(answer)
    assert "set a timer yourself" not in text(answer)
    assert ends_session(answer)
    assert "reprompt" not in answer["response"]
    assert peer.calls == [f"create PT5M {HEAT}"]
    body = peer.timers["1"].body
    operation = body["triggeringBehavior"]["operation"]
    assert operation["type"] == "LAUNCH_TASK"
    assert operation["task"] == {
        "name": f"{DEFAULT_SKILL_ID}.ContinueHold",
        "version": "1",
        "input": {"position": 0},
    }
    (confirm,) = operation["textToConfirm"]
    assert confirm["locale"] == "en-US"
    assert "{continueWithSkillName}" in confirm["text"]
    assert body["triggeringBehavior"]["notificationConfig"] == {"playAudible": True}
    state = stored(store)
    assert (state["timer_id"], state["timer_position"], state["position"]) == ("1", 0, 0)


def test_the_timer_ringing_brings_the_user_back_at_the_next_step(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    clock.advance(300)
    answer = send(talk, timer_launch_request(DEFAULT_SKILL_ID, 0), new=True)
    assert text(answer).startswith("Welcome back.")
    assert "Knee to chest" in text(answer)
    assert peer.calls == [f"create PT5M {HEAT}"]  # the timer rang: nothing left to delete
    state = stored(store)
    assert (state["position"], state["timer_id"], state["timer_position"]) == (1, None, None)


def test_a_stale_timer_launch_is_an_ordinary_launch(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    ask(talk, "AMAZON.NextIntent", new=True)  # moved on by hand: the timer is deleted
    answer = send(talk, timer_launch_request(DEFAULT_SKILL_ID, 0), new=True)
    assert "Welcome back." not in text(answer)
    assert stored(store)["position"] == 1


def test_pause_and_resume_pause_and_resume_the_timer(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    clock.advance(60)
    paused = ask(talk, "AMAZON.PauseIntent", new=True)
    assert "Your timer is paused too." in text(paused)
    assert peer.timers["1"].left_when_paused == 240
    clock.advance(300)  # a long break: the paused timer does not run
    resumed = ask(talk, "AMAZON.ResumeIntent")
    assert f"Your {HEAT} timer is running again, with four minutes left." in text(resumed)
    assert ends_session(resumed)
    assert peer.calls == [f"create PT5M {HEAT}", "pause 1", "get 1", "resume 1"]
    assert peer.timers["1"].ends == clock.now + timedelta(seconds=240)
    assert stored(store)["timer_id"] == "1"


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.NextIntent", "SkipIntent"])
def test_stop_next_and_skip_delete_the_timer(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore, intent: str
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    answer = ask(talk, intent, new=True)
    assert peer.calls == [f"create PT5M {HEAT}", "delete 1"]
    assert peer.timers == {}
    assert "cancel the timer" not in text(answer)
    assert stored(store)["timer_id"] is None


def test_previous_and_repeat_on_the_heat_step_replace_the_timer(
    skill: CustomSkill, clock: Clock, peer: TimersPeer
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    answer = ask(talk, "AMAZON.RepeatIntent", new=True)
    assert peer.calls == [f"create PT5M {HEAT}", "delete 1", f"create PT5M {HEAT}"]
    assert list(peer.timers) == ["2"]
    assert "I've set a timer" in text(answer)


def test_relaunching_while_the_timer_runs_says_how_long_is_left(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    clock.advance(90)
    answer = send(talk, launch_request(), new=True)
    assert text(answer).startswith(f"Your {HEAT} timer has three minutes thirty left.")
    assert peer.calls[-1] == "get 1"
    assert "1" in peer.timers
    assert stored(store)["timer_id"] == "1"


def test_a_relaunch_after_the_timer_was_dismissed_forgets_it(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    peer.timers.clear()  # the user said "Alexa, stop" to the ringing timer
    answer = send(talk, launch_request(), new=True)
    assert "timer" not in text(answer)
    assert stored(store)["timer_id"] is None


# Without the permission.


def test_without_the_permission_the_skill_asks_once_by_voice_and_with_a_card(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url, granted=False)
    answer = to_the_heat(talk)
    assert "I can set an Alexa timer for it" in text(answer)
    (directive,) = directives(answer)
    assert directive["type"] == "Connections.SendRequest"
    assert directive["name"] == "AskFor"
    assert directive["payload"]["@type"] == "AskForPermissionsConsentRequest"
    assert directive["payload"]["permissionScopes"] == [
        {"permissionScope": TIMER_SCOPE, "consentLevel": "ACCOUNT"}
    ]
    assert answer["response"]["card"] == {
        "type": "AskForPermissionsConsent",
        "permissions": [TIMER_SCOPE],
    }
    assert "reprompt" not in answer["response"]
    assert "shouldEndSession" not in answer["response"]
    assert peer.calls == []
    assert stored(store)["timer_asked_at"] == "2026-03-02T08:00:00+00:00"


def test_permission_granted_by_voice_sets_the_timer(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url, granted=False)
    to_the_heat(talk)
    talk.alexa.caller = replace(talk.alexa.caller, permissions=TIMERS_GRANTED)
    answer = send(talk, permission_response("ACCEPTED"))
    assert "I've set a timer for five minutes, called " + HEAT in text(answer)
    assert ends_session(answer)
    assert peer.calls == [f"create PT5M {HEAT}"]
    state = stored(store)
    assert (state["timer_id"], state["timer_position"], state["timer_asked_at"]) == ("1", 0, None)


@pytest.mark.parametrize("status", ["DENIED", "NOT_ANSWERED"])
def test_permission_refused_falls_back_briefly_and_is_not_asked_again_for_a_week(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, status: str
) -> None:
    talk = conversation(skill, clock, peer.url, granted=False)
    to_the_heat(talk)
    refused = send(talk, permission_response(status))
    assert text(refused) == (
        "Okay, set a timer yourself for five minutes. When it ends: "
        f"{load_library()['sciatica-quick-relief'].steps[0].cues.release} Then say next."
    )
    assert not ends_session(refused)
    clock.advance(timedelta(days=6).total_seconds())
    again = ask(talk, "AMAZON.RepeatIntent", new=True)
    assert "set a timer yourself for five minutes" in text(again)
    assert directives(again) == []
    clock.advance(timedelta(days=1).total_seconds())
    week = ask(talk, "AMAZON.RepeatIntent", new=True)
    assert [d["type"] for d in directives(week)] == ["Connections.SendRequest"]
    assert peer.calls == []


def test_no_timers_api_in_the_request_is_the_brief_fallback(
    skill: CustomSkill, clock: Clock, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, "")
    answer = to_the_heat(talk)
    assert "Okay, set a timer yourself for five minutes." in text(answer)
    assert directives(answer) == []
    assert stored(store)["position"] == 0


# The Timers API failing.


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("failure", [500, 404, 401, "hang", "closed"])
def test_a_failing_timers_api_costs_a_spoken_fallback_and_no_progress(
    skill: CustomSkill,
    clock: Clock,
    peer: TimersPeer,
    store: SQLiteStore,
    caplog: pytest.LogCaptureFixture,
    failure: int | str,
) -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}" if failure == "closed" else peer.url
    peer.fail = None if failure == "closed" else failure  # type: ignore[assignment]
    talk = conversation(skill, clock, endpoint)
    answer = to_the_heat(talk)
    assert "I couldn't set the timer, so set one yourself for five minutes." in text(answer)
    assert "Sorry" not in text(answer)
    assert not ends_session(answer)
    state = stored(store)
    assert (state["position"], state["status"], state["timer_id"]) == (0, "active", None)
    logged = caplog.text
    assert "Alexa timer create failed" in logged
    assert talk.alexa.caller.user_id not in logged
    assert "replay." not in logged


def test_a_failing_pause_says_so_and_keeps_the_pause(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    peer.fail = 500
    answer = ask(talk, "AMAZON.PauseIntent", new=True)
    assert "I couldn't pause the timer; stop it yourself if it rings." in text(answer)
    state = stored(store)
    assert (state["status"], state["timer_id"]) == ("paused", "1")


def test_a_failing_delete_says_so_and_moves_on(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    peer.fail = 500
    answer = ask(talk, "AMAZON.NextIntent", new=True)
    assert "I couldn't cancel the timer; stop it yourself if it rings." in text(answer)
    state = stored(store)
    assert (state["position"], state["timer_id"]) == (1, None)


def test_the_api_client_refuses_plain_http_but_to_loopback() -> None:
    request = ApiClientRequest(url="http://api.example.com/v1/alerts/timers", method="GET")
    with pytest.raises(ApiClientException, match="only HTTPS"):
        TimedApiClient().invoke(request)


def test_a_hanging_api_costs_one_timeout_per_request(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    peer.fail = "hang"
    answer = ask(talk, "AMAZON.RepeatIntent", new=True)  # would delete, then create
    assert peer.calls == [f"create PT5M {HEAT}", "delete 1"]
    assert "I couldn't set the timer, so set one yourself for five minutes." in text(answer)
    assert stored(store)["timer_id"] is None


def test_pausing_a_timer_the_user_stopped_forgets_it_quietly(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    peer.timers.clear()  # "Alexa, stop" while it ran
    answer = ask(talk, "AMAZON.PauseIntent", new=True)
    assert peer.calls[-1] == "pause 1"
    assert "timer" not in text(answer)
    state = stored(store)
    assert (state["status"], state["timer_id"]) == ("paused", None)


def test_it_hurts_pauses_the_timer_and_a_red_flag_deletes_it(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    hurt = ask(talk, "PainIntent", new=True)
    assert "Your timer is paused too." in text(hurt)
    assert peer.calls[-1] == "pause 1"
    ask(talk, "PainIntent", symptom="RED_FLAG_FEVER")
    assert peer.calls[-1] == "delete 1"
    assert stored(store)["timer_id"] is None


def test_yes_to_carry_on_while_the_timer_runs_keeps_it(
    skill: CustomSkill, clock: Clock, peer: TimersPeer, store: SQLiteStore
) -> None:
    talk = conversation(skill, clock, peer.url)
    to_the_heat(talk)
    clock.advance(60)
    send(talk, launch_request(), new=True)
    clock.advance(60)
    answer = ask(talk, "AMAZON.YesIntent")
    assert f"Your {HEAT} timer is still running, with three minutes left." in text(answer)
    assert ends_session(answer)
    assert peer.calls == [f"create PT5M {HEAT}", "get 1", "get 1"]
    assert stored(store)["timer_id"] == "1"
