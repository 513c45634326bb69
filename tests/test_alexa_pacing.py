"""Rests and brief mode on the Alexa skill (issue #14): the user's rest is SSML silence and is
kept in the persistent attributes, and so are the steps heard and "always explain", so that
the next session is brief for what was done in this one."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

from routines.models import Routine
from skill.alexa.skill import build_skill, handle_envelope
from skill.core.store import SQLiteStore
from tests.support.envelopes import Conversation, catch_all_records, speech, stored_state


@pytest.fixture(autouse=True)
def catch_all_not_reached(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.INFO)
    yield
    assert catch_all_records(caplog) == []


def begin(talk: Conversation) -> dict[str, Any]:
    """Open the skill, start the small routine and skip the pain check: its first pass."""
    talk.start_session()
    talk.ask("StartRoutineIntent", routine="small")
    return talk.ask("PainRatingIntent")


def silence_after(text: str, ssml: str) -> int:
    """Milliseconds of `<break>` right after `text` in `ssml`."""
    found = re.search(re.escape(text) + r"((?:<break time=\"\d+ms\"/>)+)", ssml)
    assert found is not None, ssml
    return sum(int(ms) for ms in re.findall(r"(\d+)ms", found.group(1)))


def test_the_users_rest_is_ssml_silence_and_persists(
    talk: Conversation, store: SQLiteStore
) -> None:
    begin(talk)
    answer = talk.ask("SetRestIntent", duration="PT20S")
    assert "rests are now twenty seconds" in speech(answer).lower()
    assert stored_state(store)["rest"] == 20
    after = speech(talk.ask("AMAZON.NextIntent"))
    assert silence_after("for twenty seconds.", after) >= 20_000
    talk.ask("AMAZON.StopIntent")
    # Another day, another session: the same rest.
    begin(talk)
    after = speech(talk.ask("AMAZON.NextIntent"))
    assert silence_after("for twenty seconds.", after) >= 20_000


def test_brief_next_session_and_always_explain_persist(
    talk: Conversation, store: SQLiteStore
) -> None:
    first = speech(begin(talk))
    assert "Lie on your back." in first
    assert stored_state(store)["seen"] == ["knee-hug"]
    talk.ask("AMAZON.StopIntent")
    again = speech(begin(talk))
    # Brief, then the time to get ready, then the hold starts.
    assert "Knee hug, right side, for twenty seconds. Get into position." in again
    assert "Starting now." in again
    assert "Lie on your back." not in again
    assert "Lie on your back." in speech(talk.ask("AMAZON.RepeatIntent"))
    answer = talk.ask("AlwaysExplainIntent")
    assert "full instructions for every step" in speech(answer)
    assert stored_state(store)["brief"] is False
    talk.ask("AMAZON.StopIntent")
    assert "Lie on your back." in speech(begin(talk))
    talk.ask("BriefInstructionsIntent")
    talk.ask("AMAZON.StopIntent")
    assert "Starting now." in speech(begin(talk))


def test_on_dynamodb_the_next_session_is_brief_at_the_users_rest(
    library: dict[str, Routine], aws_env: str
) -> None:
    """On Lambda the preferences live in DynamoDB: a new adapter (another instance) reads them."""
    from skill.alexa.persistence import make_persistence_adapter
    from tests.support.dynamodb import create_table

    table = create_table(aws_env)

    def conversation() -> Conversation:
        skill = build_skill(library, make_persistence_adapter(f"dynamodb:{table}"))
        return Conversation(lambda envelope: handle_envelope(skill, envelope))

    talk = conversation()
    assert "Lie on your back." in speech(begin(talk))
    talk.ask("SetRestIntent", duration="PT15S")
    talk.ask("AMAZON.StopIntent")
    later = conversation()  # the same user, on another Lambda instance
    assert "Starting now." in speech(begin(later))
    assert silence_after("for fifteen seconds.", speech(later.ask("AMAZON.NextIntent"))) >= 15_000
