"""The Alexa skill's time to get ready, in process: silence before the count, and waiting for
"ready" as a response that asks for it, with the hold in the next response; remembered in the
persistent store."""

from __future__ import annotations

import re
from typing import Any

from skill.core.store import SQLiteStore
from tests.support.envelopes import Conversation, ends_session, reprompt, speech, stored_state


def started(talk: Conversation) -> dict[str, Any]:
    """Launch, yes, and "I don't know" to the pain check: the first pass's response."""
    talk.say("launch")
    talk.say("yes")
    return talk.ask("PainRatingIntent", rating=None)


def test_the_time_to_get_ready_is_silence_before_the_count(talk: Conversation) -> None:
    ssml = speech(started(talk))
    assert re.search(
        r'into position\.<break time="5000ms"/>Hold for twenty seconds\. Begin\.', ssml
    )
    answer = talk.ask("MoreReadyTimeIntent")
    assert "ten seconds to get ready" in speech(answer)
    ssml = speech(talk.say("next"))
    assert re.search(r'into position\.<break time="10000ms"/>Hold (it )?for twenty seconds', ssml)
    talk.ask("NoReadyTimeIntent")
    ssml = speech(talk.say("next"))
    assert "into position" not in ssml
    assert talk.state["get_ready"] == 0


def test_waiting_ends_the_response_asking_for_ready_and_the_hold_comes_next(
    talk: Conversation, store: SQLiteStore
) -> None:
    started(talk)
    answer = talk.ask("WaitForReadyIntent")
    assert "I&apos;ll wait until you say ready" in speech(answer)
    waiting = talk.say("next")
    ssml = speech(waiting)
    assert ssml.endswith("Say ready when you&apos;re in position.</speak>")
    assert "Begin" not in ssml  # no hold, no count
    assert "into position.<break" not in ssml  # no time to get ready: it waits instead
    assert not ends_session(waiting)
    assert "Say ready" in reprompt(waiting)
    held = talk.ask("ReadyIntent")  # "go"
    ssml = speech(held)
    assert re.match(r"<speak>Hold (it )?for twenty seconds\. Begin\.", ssml)
    assert "five" in ssml
    assert "<break" in ssml
    # "I'm ready" is a yes, and starts the hold that waits just the same.
    talk.ask("AMAZON.NextIntent")
    assert talk.state["ready_pending"] is True
    held = talk.ask("AMAZON.YesIntent")
    assert "Begin." in speech(held)
    assert stored_state(store)["wait_ready"] is True


def test_waiting_is_remembered_in_the_next_session_and_turned_off_on_request(
    talk: Conversation,
) -> None:
    started(talk)
    talk.ask("WaitForReadyIntent")
    talk.say("stop")
    talk.start_session()
    talk.say("launch")
    resumed = talk.say("yes")  # carry on where you left off
    assert speech(resumed).endswith("Say ready when you&apos;re in position.</speak>")
    answer = talk.ask("StopWaitingIntent")  # "don't wait for me": the hold comes now
    ssml = speech(answer)
    assert "five seconds to get ready" in ssml
    assert re.search(r'into position\.<break time="5000ms"/>Hold for', ssml)
    assert talk.state["wait_ready"] is False
