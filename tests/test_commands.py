"""Tests for skill.core.commands: the one intent-to-command table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routines.commands import Command, CommandKind
from skill.core.commands import INTENT_COMMANDS, UnknownIntentError, to_command
from skill.core.intents import HANDLED_INTENTS

ISSUE_INTENTS = {
    "StartRoutineIntent",
    "ListRoutinesIntent",
    "LongerHoldIntent",
    "ShorterHoldIntent",
    "SetHoldIntent",
    "SkipIntent",
    "ProgressIntent",
    "ExplainIntent",
    "PainIntent",
    "AMAZON.NextIntent",
    "AMAZON.PreviousIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.PauseIntent",
    "AMAZON.ResumeIntent",
    "AMAZON.StartOverIntent",
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "PainRatingIntent",
    "NoPainIntent",
    "PainCheckOffIntent",
    "PainCheckOnIntent",
    "JournalIntent",
    "ForgetJournalIntent",
    # Rests and brief mode (issue #14).
    "LongerRestIntent",
    "ShorterRestIntent",
    "SetRestIntent",
    "AlwaysExplainIntent",
    "BriefInstructionsIntent",
    # Time to get ready before a hold (issue #14).
    "ReadyIntent",
    "MoreReadyTimeIntent",
    "LessReadyTimeIntent",
    "NoReadyTimeIntent",
    "WaitForReadyIntent",
    "StopWaitingIntent",
}


def test_the_table_covers_exactly_the_intents_of_the_skill() -> None:
    assert set(INTENT_COMMANDS) == ISSUE_INTENTS
    # The list the interaction model is checked against names the same intents.
    assert set(INTENT_COMMANDS) == HANDLED_INTENTS


@pytest.mark.parametrize(
    ("intent", "kind"),
    [
        ("ListRoutinesIntent", CommandKind.LIST),
        ("SkipIntent", CommandKind.SKIP),
        ("ProgressIntent", CommandKind.STATUS),
        ("ExplainIntent", CommandKind.EXPLAIN),
        ("AMAZON.NextIntent", CommandKind.NEXT),
        ("AMAZON.PreviousIntent", CommandKind.PREVIOUS),
        ("AMAZON.RepeatIntent", CommandKind.REPEAT),
        ("AMAZON.PauseIntent", CommandKind.PAUSE),
        ("AMAZON.ResumeIntent", CommandKind.RESUME),
        ("AMAZON.StartOverIntent", CommandKind.START_OVER),
        ("AMAZON.HelpIntent", CommandKind.HELP),
        ("AMAZON.FallbackIntent", CommandKind.HELP),
        ("AMAZON.StopIntent", CommandKind.STOP),
        ("AMAZON.CancelIntent", CommandKind.STOP),
        ("AMAZON.NavigateHomeIntent", CommandKind.STOP),
        ("AMAZON.YesIntent", CommandKind.YES),
        ("AMAZON.NoIntent", CommandKind.NO),
        ("AlwaysExplainIntent", CommandKind.FULL_INSTRUCTIONS),
        ("BriefInstructionsIntent", CommandKind.BRIEF_INSTRUCTIONS),
        ("ReadyIntent", CommandKind.READY),
        ("MoreReadyTimeIntent", CommandKind.READY_LONGER),
        ("LessReadyTimeIntent", CommandKind.READY_SHORTER),
        ("NoReadyTimeIntent", CommandKind.READY_NONE),
        ("WaitForReadyIntent", CommandKind.WAIT_READY_ON),
        ("StopWaitingIntent", CommandKind.WAIT_READY_OFF),
    ],
)
def test_plain_intents_map_to_their_command(intent: str, kind: CommandKind) -> None:
    assert to_command(intent, {}) == Command(kind)


def test_start_takes_the_routine_id_or_none_for_the_default() -> None:
    assert to_command("StartRoutineIntent", {"routine": "foam-roller"}) == Command(
        CommandKind.START, routine="foam-roller"
    )
    assert to_command("StartRoutineIntent", {}) == Command(CommandKind.START)
    assert to_command("StartRoutineIntent", {"routine": "  "}) == Command(CommandKind.START)
    assert to_command("StartRoutineIntent", {"routine": None}) == Command(CommandKind.START)


@pytest.mark.parametrize(
    ("intent", "kind"),
    [
        ("LongerHoldIntent", CommandKind.LONGER),
        ("ShorterHoldIntent", CommandKind.SHORTER),
        ("SetHoldIntent", CommandKind.SET_HOLD),
        ("LongerRestIntent", CommandKind.LONGER_REST),
        ("ShorterRestIntent", CommandKind.SHORTER_REST),
        ("SetRestIntent", CommandKind.SET_REST),
    ],
)
@pytest.mark.parametrize(
    ("duration", "seconds"),
    [
        ("PT45S", 45),
        ("PT1M30S", 90),
        ("pt2m", 120),
        (None, None),
        ("", None),
        ("PTXM", None),  # Alexa's "a few minutes"
        ("PT0S", None),
        ("PT-5S", None),
        ("forty five", None),
    ],
)
def test_durations_arrive_in_seconds_or_none(
    intent: str, kind: CommandKind, duration: str | None, seconds: int | None
) -> None:
    assert to_command(intent, {"duration": duration}) == Command(kind, seconds=seconds)


def test_pain_keeps_the_symptom_and_red_flags_end_the_session() -> None:
    assert to_command("PainIntent", {"symptom": "NUMBNESS"}) == Command(
        CommandKind.PAIN, symptom="NUMBNESS"
    )
    assert to_command("PainIntent", {}) == Command(CommandKind.PAIN)
    assert to_command("PainIntent", {"symptom": "red_flag_bladder"}) == Command(
        CommandKind.RED_FLAG, symptom="RED_FLAG_BLADDER"
    )


def test_an_unknown_intent_is_a_clear_error() -> None:
    with pytest.raises(UnknownIntentError, match="SingIntent") as caught:
        to_command("SingIntent", {})
    assert caught.value.intent_name == "SingIntent"


@given(
    intent=st.sampled_from(sorted(ISSUE_INTENTS)),
    slots=st.dictionaries(
        st.sampled_from(["routine", "duration", "symptom", "other"]),
        st.none() | st.text(max_size=40),
    ),
)
def test_any_slot_values_give_a_command(intent: str, slots: dict[str, str | None]) -> None:
    command = to_command(intent, slots)
    assert isinstance(command.kind, CommandKind)
    assert command.seconds is None or command.seconds > 0
