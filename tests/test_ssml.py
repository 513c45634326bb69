"""SSML for Alexa: valid XML, escaping, breaks of at most 10 s, at most 8,000 characters for
every prompt of every built-in routine, hold timing that sums up, long holds handed to the
user's timer, and the timed transcript."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from routines import events as ev
from routines.commands import Command, CommandKind
from routines.loader import builtin_library
from routines.models import Routine, Side, Technique
from routines.plan import Item, expand
from routines.session import apply
from speech.estimate import estimate_seconds
from speech.prompt import Hold, Pause, Prompt, Say
from speech.prompts import build_prompt
from speech.ssml import (
    MAX_BREAK_MS,
    MAX_RESPONSE_S,
    MAX_SSML_CHARS,
    SsmlError,
    breaks,
    clock,
    fit_duration,
    reprompt_ssml,
    to_ssml,
    to_text_with_times,
)

K = CommandKind

Piece = tuple[str, Any]


def pieces(ssml: str) -> list[Piece]:
    """The SSML as ("text", words) and ("break", milliseconds) in order; it must parse."""
    root = ET.fromstring(ssml)
    assert root.tag == "speak"
    found: list[Piece] = []
    if root.text and root.text.strip():
        found.append(("text", root.text.strip()))
    for child in root:
        assert child.tag == "break", f"unexpected tag {child.tag}"
        match = re.fullmatch(r"(\d+)ms", child.attrib["time"])
        assert match, child.attrib
        found.append(("break", int(match.group(1))))
        if child.tail and child.tail.strip():
            found.append(("text", child.tail.strip()))
    return found


def seconds_of(found: list[Piece]) -> float:
    """The estimated length of SSML pieces: text estimated, breaks as written."""
    return sum(
        value / 1000 if kind == "break" else estimate_seconds(value) for kind, value in found
    )


def library_or_fixture(fixture: dict[str, Routine]) -> dict[str, Routine]:
    return builtin_library() or fixture


def every_prompt(library: dict[str, Routine]) -> list[tuple[str, Prompt]]:
    """Prompts for every event a user meets in each routine: launch, start, every pass, and
    the other commands on the way (status, explain, help, hold changes, pain, stop...)."""
    found: list[tuple[str, Prompt]] = []
    for routine in library.values():
        state: dict[str, Any] | None = None
        side_trips = [
            Command(K.STATUS),
            Command(K.EXPLAIN),
            Command(K.HELP),
            Command(K.LONGER, seconds=10_000),
            Command(K.SHORTER, seconds=10_000),
            Command(K.REPEAT),
        ]
        script = [Command(K.LAUNCH), Command(K.LIST), Command(K.START, routine=routine.id)]
        for position in range(len(expand(routine))):
            if position % 3 == 0:
                script.append(side_trips[position // 3 % len(side_trips)])
            script.append(Command(K.NEXT))
        script += [
            Command(K.START, routine="no-such-routine"),
            Command(K.START_OVER),
            Command(K.PAUSE),
            Command(K.PAIN, symptom="NUMBNESS"),
            Command(K.RESUME),
            Command(K.SKIP),
            Command(K.STOP),
            Command(K.LAUNCH),
            Command(K.RED_FLAG, symptom="RED_FLAG_SADDLE"),
        ]
        for turn, command in enumerate(script):
            state, events = apply(state, command, library)
            found.append(
                (f"{routine.id} #{turn} {command.kind}", build_prompt(events, variant=turn))
            )
    return found


def test_every_prompt_of_every_routine_is_valid_bounded_ssml(
    library: dict[str, Routine],
) -> None:
    prompts = every_prompt(library_or_fixture(library))
    assert len(prompts) > 40
    longest = 0
    for name, prompt in prompts:
        ssml = to_ssml(prompt)
        longest = max(longest, len(ssml))
        assert len(ssml) <= MAX_SSML_CHARS, name
        found = pieces(ssml)
        assert all(value <= MAX_BREAK_MS for kind, value in found if kind == "break"), name
        assert seconds_of(found) <= MAX_RESPONSE_S + 0.5, name
        reprompt = reprompt_ssml(prompt)
        if reprompt is not None:
            pieces(reprompt)
    assert longest > 500


def test_text_is_escaped() -> None:
    nasty = """Tom & "Jerry" <b>it's</b> > 2"""
    ssml = to_ssml(Prompt((Say(nasty),), reprompt=nasty))
    assert "&amp;" in ssml
    assert "&lt;b&gt;" in ssml
    assert "&quot;" in ssml
    assert "&apos;" in ssml
    assert pieces(ssml) == [("text", nasty)]
    reprompt = reprompt_ssml(Prompt((Say(nasty),), reprompt=nasty))
    assert reprompt is not None
    assert ET.fromstring(reprompt).text == nasty
    assert reprompt_ssml(Prompt((Say("Bye."),))) is None


def test_long_silences_are_chained_breaks() -> None:
    assert breaks(25_000) == (
        '<break time="10000ms"/><break time="10000ms"/><break time="5000ms"/>'
    )
    assert breaks(0) == ""
    ssml = to_ssml(Prompt((Say("Rest."), Pause(25.0), Say("Go."))))
    assert pieces(ssml) == [
        ("text", "Rest."),
        ("break", 10_000),
        ("break", 10_000),
        ("break", 5_000),
        ("text", "Go."),
    ]


def perform(step_technique: Technique, seconds: int, library: dict[str, Routine]) -> Prompt:
    routine = library["small"]
    step = dataclasses.replace(routine.steps[0], technique=step_technique)
    item = Item(0, 0, step, Side.RIGHT, 1)
    return build_prompt([ev.Perform(item, seconds, 5, 2, ev.Detail.CUE)])


@pytest.mark.parametrize("seconds", [15, 30, 45, 60, 90, 180])
def test_a_hold_in_ssml_sums_to_its_length(library: dict[str, Routine], seconds: int) -> None:
    prompt = perform(Technique.STRETCH, seconds, library)
    found = pieces(to_ssml(prompt))
    texts = [value for kind, value in found if kind == "text"]
    begin = next(i for i, (k, v) in enumerate(found) if k == "text" and v.endswith("Begin."))
    release = next(
        i for i, (k, v) in enumerate(found) if k == "text" and v.startswith("And release.")
    )
    inside = found[begin + 1 : release]
    # Each break is rounded to the millisecond from absolute positions: no error builds up.
    assert seconds_of(inside) == pytest.approx(seconds, abs=0.002)
    assert ("text", "one") in inside
    if seconds == 30:
        assert ("text", "twenty seconds left") in inside
        assert "Breathe slowly." in texts


def test_a_hold_too_long_for_one_response_goes_to_the_users_timer(
    library: dict[str, Routine],
) -> None:
    prompt = perform(Technique.HEAT, 900, library)
    ssml = to_ssml(prompt)
    found = pieces(ssml)
    text = " ".join(value for kind, value in found if kind == "text")
    assert "set a timer for fifteen minutes" in text
    assert "When it ends: Time's up. Let the knee go. Then say next." in text
    assert not any(kind == "break" for kind, _ in found)
    assert seconds_of(found) < 60
    # A hold that fits is still counted in full.
    assert "set a timer" not in to_ssml(perform(Technique.HEAT, 120, library))


def test_fit_duration_keeps_prompts_that_fit_and_prompts_without_holds() -> None:
    talk = Prompt(tuple(Say("Many words here.") for _ in range(400)))
    assert fit_duration(talk, estimate_seconds) is talk
    short = Prompt((Say("Go."), Hold(30, "x", Side.BOTH, 1, (), "Stop.")))
    assert fit_duration(short, estimate_seconds) is short


def test_a_big_prompt_gets_a_sparser_countdown_or_a_clear_error(
    library: dict[str, Routine],
) -> None:
    prompt = perform(Technique.DEEP_TISSUE, 180, library)
    full = to_ssml(prompt)
    sparse = to_ssml(prompt, max_chars=len(full) - 1)
    assert len(sparse) < len(full)
    assert "Breathe slowly." in full
    assert "Breathe slowly." not in sparse
    sparser = to_ssml(prompt, max_chars=len(sparse) - 1)
    assert sparser.count("left") < sparse.count("left")
    for ssml in (sparse, sparser):
        assert seconds_of(pieces(ssml)) == pytest.approx(seconds_of(pieces(full)), abs=0.05)
    with pytest.raises(SsmlError, match="characters of SSML"):
        to_ssml(prompt, max_chars=200)
    with pytest.raises(SsmlError):
        to_ssml(Prompt((Say("word " * 100),)), max_chars=100)


def test_clock_format() -> None:
    assert clock(0) == "00:00.0"
    assert clock(12.34) == "00:12.3"
    assert clock(59.96) == "01:00.0"
    assert clock(3725.0) == "62:05.0"


def test_transcript_has_one_line_per_part_with_times() -> None:
    prompt = Prompt(
        (
            Say("Rest for five seconds."),
            Pause(5.0),
            Say("Hold for fifteen seconds. Begin."),
            Hold(15, "x", Side.BOTH, 1, (), "And release."),
            Say("And release."),
        )
    )

    def measure(text: str) -> float:
        return 1.0

    lines = to_text_with_times(prompt, measure, start_s=60.0).splitlines()
    assert lines == [
        "01:00.0  Rest for five seconds.",
        "01:01.0  [pause 5 s]",
        "01:06.0  Hold for fifteen seconds. Begin.",
        "01:07.0  [hold 15 s]",
        "01:12.0    ten seconds",
        "01:17.0    five",
        "01:18.0    four",
        "01:19.0    three",
        "01:20.0    two",
        "01:21.0    one",
        "01:22.0  And release.",
    ]
