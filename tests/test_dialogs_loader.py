"""Tests for skill.devtools.dialogs: the dialog file schema, patterns, FILE:LINE problems, and the
repository's own dialog suite (it loads, and covers every intent the skill handles)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from skill.core.intents import HANDLED_INTENTS
from skill.core.resolver import Resolver
from skill.devtools.dialogs import (
    CHANNELS,
    DialogFileError,
    load_dialog_file,
    load_dialogs,
    parse_dialog,
    parse_pattern,
)

SUITE = Path(__file__).resolve().parent / "dialogs"

EXAMPLE = """\
locale: en-US            # optional
user: test-user-1        # optional; the same user across tests keeps stored progress
tests:
  - name: start, then a longer hold
    steps:
      - launch: true
        expect: {speech: "/welcome/i", session_ended: false}
      - say: "start the piriformis release"
        expect: {speech: "hold", session_ended: false}
      - intent: SetHoldIntent
        slots: {duration: PT45S}
        expect: {speech: "45", attributes: {"hold_seconds": 45}}
      - say: "stop"
        expect: {session_ended: true}
  - name: leaving
    device: screen
    steps:
      - end_session: EXCEEDED_MAX_REPROMPTS
      - request: recorded/launch.json
        new_session: true
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(DialogFileError) as caught:
        parse_dialog(text, "d.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_the_example_from_the_issue_loads() -> None:
    dialog = parse_dialog(EXAMPLE, "example.yaml", Path("/suite"))
    assert dialog.locale == "en-US"
    assert dialog.user == "test-user-1"
    assert dialog.device == "voice"
    first, second = dialog.tests
    assert first.name == "start, then a longer hold"
    assert first.line == 4
    assert [step.kind for step in first.steps] == ["launch", "say", "intent", "say"]
    assert [step.line for step in first.steps] == [6, 8, 10, 13]
    assert first.steps[2].slots == {"duration": "PT45S"}
    assert first.steps[2].expect.attributes == {"hold_seconds": 45}
    assert first.steps[0].expect.session_ended is False
    assert second.device == "screen"
    assert second.steps[0].session_end_reason == "EXCEEDED_MAX_REPROMPTS"
    assert second.steps[1].new_session is True
    assert dialog.resolve("recorded/launch.json") == Path("/suite/recorded/launch.json")
    assert dialog.location(8) == "example.yaml:8"


def test_step_labels_say_what_the_step_does() -> None:
    dialog = parse_dialog(EXAMPLE, "example.yaml")
    labels = [step.label() for test in dialog.tests for step in test.steps]
    assert labels == [
        "launch",
        'say "start the piriformis release"',
        "intent SetHoldIntent {duration: PT45S}",
        'say "stop"',
        "end_session EXCEEDED_MAX_REPROMPTS",
        "request recorded/launch.json",
    ]
    end = parse_dialog("tests: [{name: a, steps: [{end_session: true}]}]", "d.yaml")
    assert end.tests[0].steps[0].session_end_reason == "USER_INITIATED"


def test_patterns_are_substrings_in_any_case_or_regular_expressions() -> None:
    plain = parse_pattern("Hold")
    assert plain.regex is None
    assert plain.matches("keep the HOLD going")
    assert not plain.matches("keep going")
    assert plain.describe() == 'contain "Hold"'
    regex = parse_pattern("/^welcome.*coach$/i")
    assert regex.matches("Welcome to Massage Coach")
    assert not regex.matches("Well, welcome to Massage Coach")
    assert regex.describe() == "match /^welcome.*coach$/i"
    assert parse_pattern("/a.b/s").matches("a\nb")
    assert not parse_pattern("/A/").matches("a")
    # Slashes inside words, or a lone slash, are text.
    assert parse_pattern("either/or").regex is None
    assert parse_pattern("/").matches("a/b")
    with pytest.raises(ValueError, match="bad regular expression"):
        parse_pattern("/(/")


def test_expectations_compile_their_patterns() -> None:
    dialog = parse_dialog(
        """\
tests:
  - name: a
    steps:
      - launch: true
        expect: {speech: ["a", "/b/i"], reprompt: false, card: "/c/", directives: []}
""",
        "d.yaml",
    )
    expect = dialog.tests[0].steps[0].expect
    assert [p.source for p in expect.speech_patterns] == ["a", "/b/i"]
    assert expect.reprompt is False
    assert expect.reprompt_patterns == []
    assert [p.source for p in expect.card_patterns] == ["/c/"]
    assert expect.directives == []


def test_every_problem_is_reported_at_its_line() -> None:
    text = """\
locale: xx-XX
tests:
  - name: a
    steps:
      - say: hi
        intent: AMAZON.HelpIntent
      - launch: true
        expect:
          speech: 5
          card: "/(/"
      - end_session: SOMETIMES
      - slots: {duration: PT5S}
      - intent: SetHoldIntent
        slots: {duration: [1]}
      - launch: true
        colour: blue
      - launch: true
        expect: {intent: AMAZON.HelpIntent}
"""
    assert problems_of(text) == [
        "d.yaml:5: tests.0.steps.0: a step needs exactly one of launch, say, intent, end_session,"
        " request, permission, timer_rings (got say, intent)",
        "d.yaml:9: tests.0.steps.1.expect.speech: must be a pattern, a list of patterns, or false",
        "d.yaml:10: tests.0.steps.1.expect.card: bad regular expression /(/: missing ),"
        " unterminated subpattern at position 0",
        "d.yaml:11: tests.0.steps.2: end_session reason 'SOMETIMES' is not one of USER_INITIATED,"
        " ERROR, EXCEEDED_MAX_REPROMPTS",
        "d.yaml:12: tests.0.steps.3: a step needs exactly one of launch, say, intent,"
        " end_session, request, permission, timer_rings (got none)",
        "d.yaml:14: tests.0.steps.4.slots.duration: must be words or a whole number",
        "d.yaml:16: tests.0.steps.5.colour: Extra inputs are not permitted",
        "d.yaml:17: tests.0.steps.6: expect.intent checks a say step only",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "tests: [{name: a, steps: [{launch: true}]}]\nlocale: fr-FR\n",
            "d.yaml:1: (file): locale",
        ),
        (
            "tests: [{name: a, steps: [{launch: true}]}, {name: a, steps: [{launch: true}]}]",
            "two tests are called 'a'",
        ),
        ("user: 'no spaces please'\ntests: [{name: a, steps: [{launch: true}]}]", "d.yaml:1: user"),
        ("tests: []", "d.yaml:1: tests: List should have at least 1 item"),
        ("tests: [{name: a, steps: []}]", "tests.0.steps: List should have at least 1 item"),
        ("tests: [{name: a, steps: [{launch: false}]}]", "tests.0.steps.0.launch"),
        ("tests: [{name: a, steps: [{end_session: false}]}]", "never false"),
        ("tests: [{name: a, steps: [{slots: {a: b}, launch: true}]}]", "slots go with an intent"),
        ("- just\n- a list\n", "d.yaml:1: (file): must be a mapping with a list of tests"),
        ("", "d.yaml:1: (file): must be a mapping"),
        ("tests: [\n  {name: a\n", "d.yaml:3: (file): not valid YAML"),
    ],
)
def test_file_level_problems(text: str, expected: str) -> None:
    found = problems_of(text)
    assert any(expected in problem for problem in found), found


def test_folders_are_loaded_in_order_and_all_problems_reported(tmp_path: Path) -> None:
    good = "tests: [{name: a, steps: [{launch: true}]}]\n"
    (tmp_path / "b.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "a.yml").write_text(good, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a dialog", encoding="utf-8")
    assert [d.source for d in load_dialogs([tmp_path])] == [
        str(tmp_path / "a.yml"),
        str(tmp_path / "b.yaml"),
    ]
    (tmp_path / "c.yaml").write_text("tests: 3\n", encoding="utf-8")
    (tmp_path / "d.yaml").write_bytes(b"\xff\xfe")
    with pytest.raises(DialogFileError) as caught:
        load_dialogs([tmp_path, tmp_path / "missing.yaml"])
    assert [(p.file, p.line) for p in caught.value.problems] == [
        (str(tmp_path / "c.yaml"), 1),
        (str(tmp_path / "d.yaml"), 0),
        (str(tmp_path / "missing.yaml"), 0),
    ]
    assert "cannot read" in str(caught.value)


def test_a_loaded_file_resolves_request_paths_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("tests: [{name: a, steps: [{request: r/launch.json}]}]\n", encoding="utf-8")
    dialog = load_dialog_file(path)
    assert dialog.source == str(path)
    assert dialog.resolve("r/launch.json") == tmp_path / "r" / "launch.json"
    assert dialog.resolve("/abs/x.json") == Path("/abs/x.json")


# Times: at: on a step, held until the next one.

TIMED = """\
user: over-days
tests:
  - name: monday
    steps:
      - launch: true
        at: 2026-03-02T08:00:00Z
      - say: "start the foam roller"
      - say: "next"
        at: "2026-03-02 09:15:30+01:00"
  - name: tuesday
    steps:
      - launch: true
        at: 2026-03-03T07:45
      - say: "stop"
  - name: a week later
    steps:
      - launch: true
        at: 2026-03-10
"""


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_step_time_holds_until_the_next_one_across_the_files_tests() -> None:
    dialog = parse_dialog(TIMED, "t.yaml")
    steps = [step for test in dialog.tests for step in test.steps]
    assert [step.when for step in steps] == [
        utc("2026-03-02T08:00:00"),
        utc("2026-03-02T08:00:00"),
        datetime(2026, 3, 2, 9, 15, 30, tzinfo=timezone(timedelta(hours=1))),
        utc("2026-03-03T07:45:00"),
        utc("2026-03-03T07:45:00"),
        utc("2026-03-10T00:00:00"),
    ]
    # Only the steps that say so carry a time of their own; an offset is kept as written.
    assert [step.at is not None for step in steps] == [True, False, True, True, False, True]
    assert steps[2].when == utc("2026-03-02T08:15:30")
    assert dialog.timed


def test_without_at_every_step_happens_now() -> None:
    dialog = parse_dialog(EXAMPLE, "example.yaml")
    assert not dialog.timed
    assert all(step.when is None for test in dialog.tests for step in test.steps)
    later = parse_dialog(
        "tests: [{name: a, steps: [{launch: true}, {say: next, at: 2026-03-02T08:00:00Z}]}]\n",
        "later.yaml",
    )
    assert [step.when for step in later.tests[0].steps] == [None, utc("2026-03-02T08:00:00")]


def test_times_that_go_backwards_or_are_no_times_are_problems_at_their_line() -> None:
    text = """\
tests:
  - name: a
    steps:
      - launch: true
        at: 2026-03-03T08:00:00Z
      - say: next
        at: 2026-03-03T09:00:00+02:00
  - name: b
    steps:
      - launch: true
        at: 2026-03-03T08:30:00Z
      - say: next
        at: 2026-03-02T08:30:00Z
"""
    assert problems_of(text) == [
        "d.yaml:7: tests.0.steps.1.at: 2026-03-03T07:00:00Z is earlier than the time before it"
        " (2026-03-03T08:00:00Z, line 5): times must not go backwards",
        "d.yaml:13: tests.1.steps.1.at: 2026-03-02T08:30:00Z is earlier than the time before it"
        " (2026-03-03T08:30:00Z, line 11): times must not go backwards",
    ]
    for value in ("tuesday", "5", "true", "'2026-13-01T00:00:00Z'", "[2026]"):
        found = problems_of(f"tests: [{{name: a, steps: [{{launch: true, at: {value}}}]}}]\n")
        assert len(found) == 1, found
        assert found[0].startswith("d.yaml:1: tests.0.steps.0.at: ")
        assert found[0].endswith(
            "is not an ISO 8601 time such as 2026-03-02T08:00:00Z (without an offset it is UTC)"
        )
    # Unquoted, YAML reads it as a date: one that does not exist is found there.
    assert problems_of("tests: [{name: a, steps: [{launch: true, at: 2026-13-01}]}]\n") == [
        "d.yaml:1: (file): not a real date or time: month must be in 1..12"
    ]


def test_a_file_with_backward_times_is_reported_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "journey.yaml"
    path.write_text(
        "tests:\n  - name: a\n    steps:\n      - launch: true\n        at: 2026-03-03\n"
        "      - say: next\n        at: 2026-03-02\n",
        encoding="utf-8",
    )
    with pytest.raises(DialogFileError) as caught:
        load_dialogs([tmp_path])
    assert str(caught.value).startswith(f"{path}:7: tests.0.steps.1.at: 2026-03-02T00:00:00Z is")


# The repository's suite.


def suite_intents() -> set[str]:
    """Every intent the suite sends: resolved utterances, intent steps, recorded requests."""
    sent: set[str] = set()
    for dialog in load_dialogs([SUITE]):
        resolver = Resolver.for_locale(dialog.locale)
        for test in dialog.tests:
            for step in test.steps:
                if step.say is not None:
                    sent.add(resolver.resolve(step.say).intent)
                elif step.intent is not None:
                    sent.add(step.intent)
                elif step.request is not None:
                    envelope = json.loads(dialog.resolve(step.request).read_text(encoding="utf-8"))
                    intent = envelope["request"].get("intent", {}).get("name")
                    sent.add(intent or envelope["request"]["type"])
    return sent


def test_the_suite_covers_every_intent_the_skill_handles() -> None:
    assert HANDLED_INTENTS - suite_intents() == set()


def test_the_suite_covers_the_main_journeys() -> None:
    names = {path.stem for path in SUITE.glob("*.yaml")}
    journeys = {
        "first-launch",
        "whole-routine",
        "hold-length",
        "pause-resume",
        "resume-new-session",
        "pain",
        "red-flag",
        "help-fallback",
        "unknown-routine",
        "stop-mid-hold",
        "over-days",
        "alexa-timers",
        "alexa-timers-permission",
    }
    assert journeys <= names
    assert any(dialog.timed for dialog in load_dialogs([SUITE]))
    tests = [test for dialog in load_dialogs([SUITE]) for test in dialog.tests]
    kinds = {step.kind for test in tests for step in test.steps}
    assert kinds == {
        "launch",
        "say",
        "intent",
        "end_session",
        "request",
        "permission",
        "timer_rings",
    }


def test_channels_choose_the_front_ends_a_test_runs_on() -> None:
    dialog = parse_dialog(
        """\
channels: [alexa]
tests:
  - name: file's channels
    steps: [{launch: true}]
  - name: its own
    channels: [local, alexa]
    steps: [{launch: true}]
""",
        "c.yaml",
    )
    first, second = dialog.tests
    assert (dialog.runs_on(first, "alexa"), dialog.runs_on(first, "local")) == (True, False)
    assert (dialog.runs_on(second, "alexa"), dialog.runs_on(second, "local")) == (True, True)
    everywhere = parse_dialog("tests: [{name: a, steps: [{launch: true}]}]\n", "e.yaml")
    assert all(everywhere.runs_on(everywhere.tests[0], channel) for channel in CHANNELS)


def test_unknown_or_no_channels_are_problems_at_their_line() -> None:
    assert problems_of(
        "tests:\n  - name: a\n    channels: [alexa, lokal]\n    steps: [{launch: true}]\n"
    ) == [
        "d.yaml:3: tests.0.channels: unknown channel 'lokal': the channels are alexa (the skill, "
        "in process or over HTTP) and local (the local coach)"
    ]
    assert problems_of("channels: []\ntests: [{name: a, steps: [{launch: true}]}]\n") == [
        "d.yaml:1: channels: channels needs at least one of alexa, local"
    ]


def test_every_suite_test_that_skips_a_channel_says_why() -> None:
    # A test marked for one channel carries a comment on the line above or beside the mark.
    for path in sorted(SUITE.glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.strip().startswith("channels:"):
                above = lines[number - 1].strip() if number else ""
                assert "#" in line or above.startswith("#"), f"{path.name}:{number + 1}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "tests: [{name: a, steps: [{permission: ACCEPTED}]}]\nchannels: [alexa]\n",
            "permission, timer_rings and expect.timers need the file's timers",
        ),
        (
            "tests: [{name: a, steps: [{launch: true, expect: {timers: []}}]}]\n",
            "permission, timer_rings and expect.timers need the file's timers",
        ),
        (
            "timers: granted\ntests: [{name: a, steps: [{timer_rings: true}]}]\n",
            "a file with timers runs on Alexa only: say channels: [alexa]",
        ),
        (
            "timers: granted\nchannels: [alexa]\ntests: [{name: a, steps: [{permission: MAYBE}]}]",
            "d.yaml:3: tests.0.steps.0.permission: Input should be 'ACCEPTED', 'DENIED' or"
            " 'NOT_ANSWERED'",
        ),
        (
            "timers: always\nchannels: [alexa]\ntests: [{name: a, steps: [{launch: true}]}]",
            "d.yaml:1: timers: Input should be 'granted' or 'ask'",
        ),
    ],
)
def test_timer_steps_need_a_file_with_timers_on_alexa(text: str, expected: str) -> None:
    assert any(expected in problem for problem in problems_of(text)), problems_of(text)


def test_timer_steps_load_with_their_labels() -> None:
    dialog = parse_dialog(
        "timers: ask\nchannels: [alexa]\ntests:\n  - name: a\n    steps:\n"
        "      - permission: DENIED\n      - timer_rings: true\n"
        "        expect: {timers: [get 1]}\n",
        "d.yaml",
    )
    first, second = dialog.tests[0].steps
    assert (first.kind, first.label()) == ("permission", "permission DENIED")
    assert (second.kind, second.label(), second.expect.timers) == (
        "timer_rings",
        "timer rings",
        ["get 1"],
    )
