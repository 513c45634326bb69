"""Tests for the replay (skill.devtools: replay, alexa_target, local_target, answers, transports,
recorded, report) and skill.alexa.recording: dialogs replayed in process, over HTTP to a real
Flask server on loopback (with and without Alexa's signatures) and against the local coach on a
virtual clock; failing expectations and their messages, what a channel does not check, the
catch-all detector, ``serve --record`` pairs and ``ask dialog`` save-skill-io files replayed as
regression tests, the CLI, and the pytest plugin."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from typer.testing import CliRunner
from werkzeug.serving import make_server

from routines.loader import load_library
from skill.alexa.persistence import SQLitePersistenceAdapter
from skill.alexa.recording import (
    REQUEST_SUFFIX,
    RESPONSE_SUFFIX,
    RecordingError,
    load_recording,
    read_pairs,
    record_exchange,
)
from skill.alexa.server import serve
from skill.alexa.skill import build_skill
from skill.alexa.verify import RequestVerifier
from skill.cli.main import app as cli_app
from skill.core.store import SQLiteStore, StoreAccessError
from skill.devtools.alexa_target import DialogRunner
from skill.devtools.answers import (
    MISSING,
    attribute_at,
    card_text,
    directive_types,
    reprompt_text,
    speech_text,
    strip_ssml,
)
from skill.devtools.dialogs import load_dialogs, parse_dialog
from skill.devtools.local_target import LocalRunner
from skill.devtools.report import TestOutcome, format_failures
from skill.devtools.transports import (
    HttpTransport,
    SkillTransport,
    TransportError,
    in_process_transport,
)
from tests.support.certs import TEST_SKILL_ID, AlexaSigner
from tests.support.replaying import replay, write

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "dialogs"

JOURNEY = """\
user: journey
tests:
  - name: start and stop
    steps:
      - launch: true
        expect: {speech: "/welcome/i", session_ended: false}
      - say: "start the foam roller"
        expect: {speech: "from zero to ten", attributes: {state.position: 0}}
      - say: "about a three"
        expect:
          speech: ["thanks, three", "foam roll the lower back"]
          attributes: {state.position: 0, state.pain_before: 3}
      - say: "next"
        expect: {attributes: {state.position: 1}}
      - say: "stop"
        expect: {session_ended: true}
  - name: carry on next time
    steps:
      - launch: true
        expect: {attributes: {state.offer: resume, state.position: 1}}
      - say: "yes"
        expect: {attributes: {state.status: active}}
"""

WRONG = """\
tests:
  - name: everything wrong
    steps:
      - launch: true
        expect:
          speech: ["welcome", "/^goodbye/i"]
          reprompt: false
          session_ended: true
          attributes: {state.status: active, state.nothing: 1}
          card: true
          directives: [Alexa.Presentation.APL.RenderDocument]
      - say: "help"
        expect: {intent: AMAZON.StopIntent}
      - end_session: true
        expect: {speech: "bye"}
"""


@pytest.fixture
def local(tmp_path: Path) -> Iterator[SkillTransport]:
    transport = in_process_transport(tmp_path / "local.db")
    yield transport
    transport.close()


class _BrokenStore(SQLiteStore):
    """A store that cannot be read, like a disk that went away."""

    def load(self, user_id: str) -> dict[str, Any] | None:
        raise StoreAccessError(f"{self.path}: input/output error")


# Reading answers.


def test_strip_ssml_leaves_the_words() -> None:
    ssml = '<speak>Let&apos;s go.<break time="1s"/>Hold   it &amp; breathe.</speak>'
    assert strip_ssml(ssml) == "Let's go. Hold it & breathe."


def test_answer_readers() -> None:
    answer: dict[str, Any] = {
        "sessionAttributes": {"state": {"holds": {"a": 30}, "offer": None}, "list": [1, 2]},
        "response": {
            "outputSpeech": {"type": "PlainText", "text": "Hello  there"},
            "reprompt": {"outputSpeech": {"type": "SSML", "ssml": "<speak>Say next</speak>"}},
            "card": {"type": "Standard", "title": "Knee hug", "text": "1 of 2"},
            "directives": [{"type": "Alexa.Presentation.APL.RenderDocument"}],
        },
    }
    assert speech_text(answer) == "Hello there"
    assert reprompt_text(answer) == "Say next"
    assert card_text(answer) == "Knee hug\n1 of 2"
    assert directive_types(answer) == ["Alexa.Presentation.APL.RenderDocument"]
    attributes = answer["sessionAttributes"]
    assert attribute_at(attributes, "state.holds.a") == 30
    assert attribute_at(attributes, "list.1") == 2
    assert attribute_at(attributes, "state.offer") is None
    assert attribute_at(attributes, "state.offer") is not MISSING
    assert attribute_at(attributes, "state.nothing") is MISSING
    assert attribute_at(attributes, "list.7") is MISSING
    empty: dict[str, Any] = {"response": {}}
    assert speech_text(empty) is None
    assert reprompt_text(empty) is None
    assert card_text(empty) is None
    assert directive_types(empty) == []


# Dialogs in process.


def test_a_journey_passes_in_process(local: SkillTransport) -> None:
    dialog = parse_dialog(JOURNEY, "journey.yaml")
    report = DialogRunner(local).run([dialog])
    assert [outcome.failures for outcome in report.outcomes] == [[], []]
    assert report.summary() == "2 passed, 0 failed"
    # Seven answers, one per step; the session attributes carried between them.
    assert sum(len(outcome.answers) for outcome in report.outcomes) == 7


def test_failing_expectations_are_each_reported(local: SkillTransport) -> None:
    dialog = parse_dialog(WRONG, "wrong.yaml")
    (outcome,) = DialogRunner(local).run([dialog]).outcomes
    assert [(f.location, f.step, f.message) for f in outcome.failures] == [
        ("wrong.yaml:4", "step 1 (launch)", "speech should match /^goodbye/i"),
        ("wrong.yaml:4", "step 1 (launch)", "reprompt should be absent, but there is one"),
        ("wrong.yaml:4", "step 1 (launch)", "the session should end, but it stayed open"),
        (
            "wrong.yaml:4",
            "step 1 (launch)",
            'session attribute state.status should be "active", not "idle"',
        ),
        ("wrong.yaml:4", "step 1 (launch)", "session attribute state.nothing should be 1: missing"),
        ("wrong.yaml:4", "step 1 (launch)", "a card should be shown, but there is none"),
        (
            "wrong.yaml:4",
            "step 1 (launch)",
            "directive Alexa.Presentation.APL.RenderDocument should be present (found: none)",
        ),
        (
            "wrong.yaml:12",
            'step 2 (say "help")',
            "the utterance should resolve to AMAZON.StopIntent, not AMAZON.HelpIntent",
        ),
        (
            "wrong.yaml:14",
            "step 3 (end_session USER_INITIATED)",
            'speech should contain "bye", but there is no speech',
        ),
    ]
    text = outcome.failures[0].format()
    assert text.startswith("wrong.yaml:4: everything wrong: step 1 (launch): speech should")
    assert "    speech:   Before we begin" in text
    assert "    reprompt: Say yes to start" in text
    assert "    shouldEndSession: false" in text


def test_the_command_prints_failures_with_the_answer_and_a_summary(tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", JOURNEY)
    bad = write(tmp_path / "bad.yaml", WRONG)
    status, lines = replay([good])
    assert (status, lines) == (0, ["2 passed, 0 failed"])
    status, lines = replay([tmp_path])
    assert status == 1
    assert lines[-1] == "2 passed, 1 failed"
    assert (
        lines[0] == f"{bad}:4: everything wrong: step 1 (launch): speech should match /^goodbye/i"
    )
    # The answer is printed once per step, after the step's failed expectations.
    assert sum(1 for line in lines if line.startswith("    speech:")) == 3


def test_unusable_input_exits_with_2_and_says_where(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.yaml", "tests:\n  - name: a\n    steps: 3\n")
    status, lines = replay([broken])
    assert status == 2
    assert lines == [f"{broken}:3: tests.0.steps: Input should be a valid list"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert replay([empty]) == (2, ["nothing to replay: give dialog files (*.yaml) or recordings"])
    good = write(tmp_path / "ok" / "good.yaml", JOURNEY)
    assert replay([good], url="ftp://example.com") == (
        2,
        ["not an http(s) URL: 'ftp://example.com'"],
    )


def test_a_step_that_cannot_be_built_fails_its_test(local: SkillTransport, tmp_path: Path) -> None:
    text = """\
tests:
  - name: odd steps
    steps:
      - end_session: true
  - name: unknown intent
    steps:
      - intent: DanceIntent
  - name: missing file
    steps:
      - request: nowhere.json
"""
    dialog = parse_dialog(text, "odd.yaml", tmp_path)
    messages = [f.message for o in DialogRunner(local).run([dialog]).outcomes for f in o.failures]
    assert messages[0] == "no session is open to end (the skill already ended it)"
    assert messages[1] == "the interaction model has no intent 'DanceIntent'"
    assert messages[2].startswith(f"cannot read the request file {tmp_path / 'nowhere.json'}")


def test_reaching_the_catch_all_handler_fails_the_step(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    skill = build_skill(load_library(), SQLitePersistenceAdapter(_BrokenStore(tmp_path / "x.db")))
    dialog = parse_dialog(
        "tests: [{name: a, steps: [{launch: true}, {say: next}]}]\n", "crash.yaml"
    )
    (outcome,) = DialogRunner(SkillTransport(skill)).run([dialog]).outcomes
    (failure,) = outcome.failures
    assert failure.step == "step 1 (launch)"
    assert failure.message.startswith("the skill's catch-all exception handler was reached:")
    assert "input/output error" in failure.message
    caplog.clear()


def test_the_apology_alone_gives_the_crash_away_over_http() -> None:
    class Apologetic:
        def send(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
            ssml = (
                "<speak>Sorry, something went wrong on my side. Your progress is safe. "
                "Please say that again.</speak>"
            )
            return {"response": {"outputSpeech": {"type": "SSML", "ssml": ssml}}}

    dialog = parse_dialog("tests: [{name: a, steps: [{launch: true}]}]\n", "a.yaml")
    (outcome,) = DialogRunner(Apologetic()).run([dialog]).outcomes
    assert [f.message for f in outcome.failures] == [
        "the skill answered with its apology for an internal error"
    ]


# Dialogs against the local coach, on a virtual clock.


@pytest.fixture
def coach_store(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "coach.db")
    yield store
    store.close()


def run_local(text: str, store: Any, source: str = "local.yaml") -> list[TestOutcome]:
    return LocalRunner(load_library(), store).run([parse_dialog(text, source)]).outcomes


def test_a_journey_passes_on_the_local_coach(coach_store: SQLiteStore) -> None:
    report = LocalRunner(load_library(), coach_store).run([parse_dialog(JOURNEY, "journey.yaml")])
    assert [outcome.failures for outcome in report.outcomes] == [[], []]
    assert report.summary() == "2 passed, 0 failed"
    assert sum(len(outcome.answers) for outcome in report.outcomes) == 7
    # The file's user is the coach's user: what the second test resumed is stored under it.
    record = coach_store.load("journey")
    assert record is not None
    assert record["state"]["position"] == 1


def test_failing_expectations_are_reported_on_local_with_the_answer(
    coach_store: SQLiteStore,
) -> None:
    (outcome,) = run_local(WRONG, coach_store, "wrong.yaml")
    assert [(f.location, f.step, f.message) for f in outcome.failures] == [
        ("wrong.yaml:4", "step 1 (launch)", "speech should match /^goodbye/i"),
        ("wrong.yaml:4", "step 1 (launch)", "reprompt should be absent, but there is one"),
        ("wrong.yaml:4", "step 1 (launch)", "the session should end, but it stayed open"),
        ("wrong.yaml:4", "step 1 (launch)", "session attribute state.nothing should be 1: missing"),
        (
            "wrong.yaml:12",
            'step 2 (say "help")',
            "the utterance should resolve to AMAZON.StopIntent, not AMAZON.HelpIntent",
        ),
        (
            "wrong.yaml:14",
            "step 3 (end_session USER_INITIATED)",
            'speech should contain "bye", but there is no speech',
        ),
    ]
    # The card and the directives mean nothing to the local coach: counted, not passed.
    assert [(u.location, u.step, u.expectations) for u in outcome.unchecked] == [
        ("wrong.yaml:4", "step 1 (launch)", ("card", "directives"))
    ]
    text = format_failures(outcome.failures)
    assert text.startswith("wrong.yaml:4: everything wrong: step 1 (launch): speech should")
    assert "    speech:   Before we begin" in text
    # The local coach's start-up begins the default routine, with the pain check.
    assert "    reprompt: Say a number from zero to ten, or skip." in text
    assert "    ends the conversation: false" in text
    assert text.endswith("    ends the conversation: true")


def test_a_line_the_coach_does_not_understand_gets_no_answer(coach_store: SQLiteStore) -> None:
    text = """\
tests:
  - name: a stray sentence
    steps:
      - launch: true
      - say: "start the foam roller"
      - say: "I don't know"
        expect: {speech: ["okay, let's begin", "foam roll the lower back"]}
      - say: "blah blah purple elephant"
        expect: {intent: AMAZON.FallbackIntent, speech: false, attributes: {state.position: 0}}
      - say: "next"
        expect: {speech: "foam roll the glutes", attributes: {state.position: 1}}
      - say: "the weather is nice"
        expect: {speech: "sorry"}
"""
    (outcome,) = run_local(text, coach_store)
    assert [(f.step, f.message) for f in outcome.failures] == [
        (
            'step 6 (say "the weather is nice")',
            'speech should contain "sorry", but there is no speech',
        )
    ]


def test_leaving_the_local_coach_saves_the_progress(coach_store: SQLiteStore) -> None:
    text = """\
user: leaver
tests:
  - name: leave mid-routine and come back
    steps:
      - launch: true
      - say: "start the foam roller"
        expect: {speech: "from zero to ten"}
      - say: "no"
        expect: {attributes: {state.position: 0, state.asking: null}}
      - say: "next"
      - end_session: EXCEEDED_MAX_REPROMPTS
        expect:
          speech: false
          session_ended: true
          attributes: {state.status: stopped, state.position: 1}
      - launch: true
        expect:
          speech: "/carry on|continue/i"
          attributes: {state.offer: resume, state.position: 1}
      - say: "yes"
        expect: {attributes: {state.status: active, state.position: 1}}
      # Leaves, comes back and asks at once: the coach starts again, greets, then hears it.
      - say: "how many are left"
        new_session: true
        expect: {intent: ProgressIntent, speech: "step two of six", attributes: {state.position: 1}}
      - say: "stop"
        expect: {session_ended: true}
      - end_session: true
"""
    (outcome,) = run_local(text, coach_store)
    assert [(f.step, f.message) for f in outcome.failures] == [
        (
            "step 10 (end_session USER_INITIATED)",
            "no session is open to end (the coach already ended it)",
        )
    ]
    record = coach_store.load("leaver")
    assert record is not None
    assert (record["state"]["status"], record["state"]["position"]) == ("stopped", 1)


def test_steps_the_coach_cannot_take_fail_their_test(tmp_path: Path) -> None:
    text = """\
tests:
  - name: unknown intent
    steps:
      - launch: true
      - intent: DanceIntent
      - say: "next"
  - name: a store that cannot be read
    steps:
      - launch: true
"""
    unknown, _ = run_local(text, SQLiteStore(tmp_path / "good.db"))
    assert [(f.step, f.message) for f in unknown.failures] == [
        ("step 2 (intent DanceIntent)", "the interaction model has no intent 'DanceIntent'")
    ]
    assert len(unknown.answers) == 1  # the test stops there
    _, broken = run_local(text, _BrokenStore(tmp_path / "broken.db"))
    assert [(f.step, f.message) for f in broken.failures] == [
        (
            "step 1 (launch)",
            f"the coach raised StoreAccessError: {tmp_path / 'broken.db'}: input/output error",
        )
    ]


SKIPPING = """\
tests:
  - name: on both
    steps:
      - launch: true
      - say: "start the foam roller"
        expect: {card: "/foam roll/i", directives: [], attributes: {state.position: 0}}
      - request: ../requests/launch-show.json
  - name: on alexa only
    channels: [alexa]
    steps:
      - launch: true
"""


def test_the_command_on_local_reports_what_it_skips(tmp_path: Path) -> None:
    skipping = write(tmp_path / "skipping.yaml", SKIPPING)
    status, lines = replay([skipping], local=True)
    assert status == 0
    assert lines == [
        f'{skipping}:5: on both: step 2 (say "start the foam roller"): not checked on local: '
        "card, directives (no Alexa card or APL on the local coach)",
        f"{skipping}:7: on both: step 3 (request ../requests/launch-show.json): not checked on "
        "local: the step (a recorded Alexa request)",
        f"{skipping}:8: on alexa only: skipped on local: the test runs on Alexa only",
        "1 passed, 0 failed, 1 skipped; not checked on local: 1 step, 2 expectations",
    ]
    # The same file on Alexa checks everything (the request file is not there: a failure).
    status, lines = replay([skipping])
    assert status == 1
    assert lines[-1] == "1 passed, 1 failed"


def test_the_command_on_local_exits_1_on_failure_and_2_on_unusable_input(tmp_path: Path) -> None:
    good = write(tmp_path / "good" / "journey.yaml", JOURNEY)
    bad = write(tmp_path / "bad" / "wrong.yaml", WRONG)
    assert replay([good], local=True) == (0, ["2 passed, 0 failed"])
    status, lines = replay([bad], local=True)
    assert (status, lines[-1]) == (1, "0 passed, 1 failed; not checked on local: 2 expectations")
    assert replay([good], local=True, url="http://127.0.0.1:1/alexa") == (
        2,
        ["give --url or --local, not both"],
    )
    broken = write(
        tmp_path / "broken.yaml",
        "tests:\n  - name: a\n    channels: [echo]\n    steps: [{launch: true}]\n",
    )
    status, lines = replay([broken], local=True)
    assert status == 2
    assert lines[0].startswith(f"{broken}:3: tests.0.channels: unknown channel 'echo'")
    result = CliRunner().invoke(cli_app, ["replay", "--local", str(bad)])
    assert result.exit_code == 1
    result = CliRunner().invoke(cli_app, ["replay", "--local", str(good)])
    assert (result.exit_code, result.output) == (0, "2 passed, 0 failed\n")


# Over HTTP, to a real server on loopback.


def test_http_replay_against_a_real_server(start_server: Any, tmp_path: Path) -> None:
    server = start_server()
    journey = write(tmp_path / "journey.yaml", JOURNEY)
    assert replay([journey], url=server.url) == (0, ["2 passed, 0 failed"])
    # A second run against the same server and database meets none of the first run's progress.
    assert replay([journey], url=server.url) == (0, ["2 passed, 0 failed"])


def test_every_dialog_file_replays_over_http(start_server: Any) -> None:
    server = start_server()
    dialogs = load_dialogs([SUITE])
    on_alexa = sum(1 for d in dialogs for test in d.tests if d.runs_on(test, "alexa"))
    # Tests for the local coach alone (in a file that runs on both) are named as skipped.
    local_only = sum(
        1
        for d in dialogs
        for test in d.tests
        if not d.runs_on(test, "alexa") and d.runs_on(test, "local")
    )
    assert len(dialogs) == len(list(SUITE.glob("*.yaml")))
    assert on_alexa >= 25
    code, lines = replay([SUITE], url=server.url)
    assert code == 0
    assert lines[-1] == f"{on_alexa} passed, 0 failed, {local_only} skipped"
    assert len(lines) == local_only + 1
    assert all("skipped on alexa: the test runs on the local coach only" in x for x in lines[:-1])


def test_http_replay_signs_requests_for_a_verifying_server(
    start_server: Any, tmp_path: Path
) -> None:
    signer = AlexaSigner.create()
    verifier = RequestVerifier([TEST_SKILL_ID], **signer.verifier_options())
    server = start_server(verify=True, verifier=verifier)
    dialog = parse_dialog(JOURNEY, "journey.yaml")
    signed = DialogRunner(HttpTransport(server.url, sign=signer.headers)).run([dialog])
    assert signed.summary() == "2 passed, 0 failed"
    unsigned = DialogRunner(HttpTransport(server.url)).run([dialog])
    first = unsigned.outcomes[0].failures[0]
    assert first.message.startswith(f"{server.url} answered HTTP 400:")
    assert "verification_failed" in first.message
    assert first.answer is None


def test_the_catch_all_is_seen_across_the_server_thread(
    start_server: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    adapter = SQLitePersistenceAdapter(_BrokenStore(tmp_path / "broken.db"))
    server = start_server(persistence_adapter=adapter)
    dialog = parse_dialog("tests: [{name: a, steps: [{launch: true}]}]\n", "a.yaml")
    (outcome,) = DialogRunner(HttpTransport(server.url)).run([dialog]).outcomes
    (failure,) = outcome.failures
    assert "catch-all exception handler was reached" in failure.message
    caplog.clear()


def test_an_unreachable_endpoint_fails_the_test(tmp_path: Path) -> None:
    probe = make_server("127.0.0.1", 0, Flask("closed"))
    port = probe.server_port
    probe.server_close()
    dialog = parse_dialog(JOURNEY, "journey.yaml")
    report = DialogRunner(HttpTransport(f"http://127.0.0.1:{port}/alexa", timeout=2)).run([dialog])
    assert report.summary() == "0 passed, 2 failed"
    assert report.outcomes[0].failures[0].message.startswith("cannot reach http://127.0.0.1:")
    with pytest.raises(TransportError, match="cannot reach"):
        HttpTransport(f"http://127.0.0.1:{port}/alexa", timeout=2).send({})


# Recording and replaying real traffic.


def record_journey(start_server: Any, tmp_path: Path) -> Path:
    record_dir = tmp_path / "recorded"
    server = start_server(record_dir=record_dir)
    journey = write(tmp_path / "journey.yaml", JOURNEY)
    assert replay([journey], url=server.url) == (0, ["2 passed, 0 failed"])
    return record_dir


def test_serve_record_writes_pairs_that_replay_green(start_server: Any, tmp_path: Path) -> None:
    record_dir = record_journey(start_server, tmp_path)
    requests = sorted(record_dir.glob(f"*{REQUEST_SUFFIX}"))
    responses = sorted(record_dir.glob(f"*{RESPONSE_SUFFIX}"))
    assert len(requests) == len(responses) == 7
    kinds = [json.loads(p.read_text())["request"]["type"] for p in requests]
    launch, intent = "LaunchRequest", "IntentRequest"
    assert kinds == [launch, intent, intent, intent, intent, launch, intent]
    conversations = load_recording(record_dir)
    assert [len(c.exchanges) for c in conversations] == [5, 2]
    assert conversations[0].name == "session 1 (5 requests, from LaunchRequest)"
    status, lines = replay([record_dir])
    assert (status, lines) == (0, ["2 passed, 0 failed"])


def test_a_recording_from_another_time_replays_green(start_server: Any, tmp_path: Path) -> None:
    # Recorded an hour ago: the state's times are the recording's, the replay stamps its own.
    record_dir = record_journey(start_server, tmp_path)
    responses = sorted(record_dir.glob(f"*{RESPONSE_SUFFIX}"))
    second = json.loads(responses[1].read_text())
    state = second["sessionAttributes"]["state"]
    assert state["last_at"] is not None
    state["last_at"] = state["started_at"] = "2026-01-01T07:00:00Z"
    responses[1].write_text(json.dumps(second))
    assert replay([record_dir]) == (0, ["2 passed, 0 failed"])
    # Whether a time is set is still compared.
    state["last_at"] = None
    responses[1].write_text(json.dumps(second))
    status, lines = replay([record_dir])
    assert status == 1
    assert any(line.endswith('state.last_at is "a time", was null') for line in lines), lines


def test_a_changed_answer_fails_the_recorded_replay(start_server: Any, tmp_path: Path) -> None:
    record_dir = record_journey(start_server, tmp_path)
    responses = sorted(record_dir.glob(f"*{RESPONSE_SUFFIX}"))
    second = json.loads(responses[1].read_text())
    second["response"]["outputSpeech"]["ssml"] = "<speak>Something else entirely.</speak>"
    second["sessionAttributes"]["state"]["position"] = 5
    second["sessionAttributes"]["state"]["extra"] = True
    responses[1].write_text(json.dumps(second))
    status, lines = replay([record_dir])
    assert status == 1
    assert lines[-1] == "1 passed, 1 failed"
    request = str(responses[1]).replace(RESPONSE_SUFFIX, REQUEST_SUFFIX)
    assert lines[0] == (
        f"{request}: session 1 (5 requests, from LaunchRequest): "
        "request 2 (StartRoutineIntent): speech differs:"
    )
    assert lines[1] == "      was: Something else entirely."
    assert lines[2].startswith("      now: Let's begin Foam roller")
    assert any(
        line.endswith("session state differs: state.extra is gone (was true)") for line in lines
    )
    assert any(line.endswith("session state differs: state.position is 0, was 5") for line in lines)


def skill_io_document(record_dir: Path) -> dict[str, Any]:
    """What ``ask dialog --save-skill-io`` writes for the recorded exchanges: one entry per
    poll of each simulation, the first still in progress."""
    invocations: list[dict[str, Any]] = []
    for number, exchange in enumerate(read_pairs([record_dir])):
        utterance = {"utterance": f"utterance {number}", "newSession": number == 0}
        simulation = f"simulation-{number}"
        invocations.append(
            {
                "request": utterance,
                "response": {"body": {"id": simulation, "status": "IN_PROGRESS"}},
            }
        )
        caption = speech_text(exchange.response) or ""
        result = {
            "skillExecutionInfo": {
                "invocations": [
                    {
                        "invocationRequest": {
                            "endpoint": "https://example.com/alexa",
                            "body": exchange.request,
                        },
                        "invocationResponse": {"body": exchange.response},
                        "metrics": {"skillExecutionTimeInMilliseconds": 42},
                    }
                ]
            },
            "alexaExecutionInfo": {
                "alexaResponses": [{"type": "Speech", "content": {"caption": caption}}],
                "consideredIntents": [],
            },
            "error": None,
        }
        body = {"id": simulation, "status": "SUCCESSFUL", "result": result}
        invocations.append({"request": utterance, "response": {"body": body}})
    return {"invocations": invocations}


def test_an_ask_dialog_skill_io_file_replays(start_server: Any, tmp_path: Path) -> None:
    record_dir = record_journey(start_server, tmp_path)
    document = skill_io_document(record_dir)
    skill_io = write(tmp_path / "skill-io.json", json.dumps(document))
    conversations = load_recording(skill_io)
    assert [len(c.exchanges) for c in conversations] == [5, 2]
    assert conversations[0].exchanges[0].source == f"{skill_io}#1"
    assert replay([skill_io]) == (0, ["2 passed, 0 failed"])
    last = document["invocations"][-1]["response"]["body"]["result"]["skillExecutionInfo"]
    last["invocations"][0]["invocationResponse"]["body"]["response"]["shouldEndSession"] = True
    write(skill_io, json.dumps(document))
    status, lines = replay([skill_io])
    assert status == 1
    assert f"{skill_io}#13" in lines[0]
    assert lines[0].endswith("shouldEndSession is false, was true")


def test_unreadable_recordings_are_reported(tmp_path: Path) -> None:
    alone = write(tmp_path / "pairs" / f"x{REQUEST_SUFFIX}", "{}")
    not_a_list = write(tmp_path / "io.json", '{"invocations": 3}')
    not_json = write(tmp_path / "bad.json", "{")
    with pytest.raises(RecordingError) as caught:
        read_pairs([alone.parent])
    assert str(caught.value) == f"{alone}:0: (file): no response recorded (x{RESPONSE_SUFFIX})"
    status, lines = replay([not_a_list, not_json])
    assert status == 2
    assert lines[0] == f"{not_a_list}:1: invocations: expected a list"
    assert lines[1].startswith(f"{not_json}:1: (file): not valid JSON")


def test_recording_never_breaks_serving(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = write(tmp_path / "a-file", "")
    with caplog.at_level(logging.WARNING, logger="skill.alexa.recording"):
        assert record_exchange(blocker, {"request": {}}, {"response": {}}) is None
    assert "could not record the exchange" in caplog.text
    paths = record_exchange(tmp_path / "new", {"request": {"type": "LaunchRequest"}}, {"a": 1})
    assert paths is not None
    request_path, response_path = paths
    assert json.loads(request_path.read_text()) == {"request": {"type": "LaunchRequest"}}
    assert json.loads(response_path.read_text()) == {"a": 1}
    later = record_exchange(tmp_path / "new", {}, {})
    assert later is not None
    assert request_path.name < later[0].name


def test_serve_passes_the_record_folder_to_the_app(tmp_path: Path) -> None:
    record_dir = tmp_path / "rec"
    launch = (ROOT / "tests" / "requests" / "launch.json").read_text(encoding="utf-8")

    def run(app: Flask, host: str, port: int) -> None:
        reply = app.test_client().post("/alexa", data=launch, content_type="application/json")
        assert reply.status_code == 200

    assert serve(db=str(tmp_path / "s.db"), verify=False, run=run, record_dir=record_dir) == 0
    assert len(list(record_dir.glob(f"*{REQUEST_SUFFIX}"))) == 1


# The command line and the pytest plugin.


def test_the_replay_command_exits_non_zero_on_failure(tmp_path: Path) -> None:
    write(tmp_path / "bad.yaml", WRONG)
    result = CliRunner().invoke(cli_app, ["replay", str(tmp_path / "bad.yaml")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "0 passed, 1 failed"
    good = write(tmp_path / "good" / "good.yaml", JOURNEY)
    result = CliRunner().invoke(cli_app, ["replay", str(good)])
    assert (result.exit_code, result.output) == (0, "2 passed, 0 failed\n")


@pytest.mark.slow
def test_every_dialog_test_is_a_pytest_item_on_each_channel(tmp_path: Path) -> None:
    write(
        tmp_path / "tests" / "conftest.py",
        "from skill.devtools.pytest_dialogs import pytest_collect_file  # noqa: F401\n",
    )
    write(tmp_path / "tests" / "dialogs" / "journey.yaml", JOURNEY)
    write(tmp_path / "tests" / "dialogs" / "wrong.yaml", WRONG)
    write(
        tmp_path / "tests" / "dialogs" / "only.yaml",
        "channels: [alexa]\ntests: [{name: alexa only, steps: [{launch: true}]}]\n",
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pytest", "-q", "-rfs", "-p", "no:cacheprovider", "tests"]
    run = subprocess.run(
        command, cwd=tmp_path, env=environment, capture_output=True, text=True, check=False
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "2 failed, 5 passed, 1 skipped" in run.stdout
    assert "FAILED tests/dialogs/wrong.yaml::everything wrong[alexa]" in run.stdout
    assert "FAILED tests/dialogs/wrong.yaml::everything wrong[local]" in run.stdout
    assert "wrong.yaml:4: everything wrong: step 1 (launch): speech should match" in run.stdout
    assert "the test runs on Alexa only" in run.stdout
    # The second test alone still finds the progress the first one stored, on each channel.
    for channel in ("alexa", "local"):
        alone = subprocess.run(
            [*command[:-1], f"tests/dialogs/journey.yaml::carry on next time[{channel}]"],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert alone.returncode == 0, alone.stdout + alone.stderr
        assert "1 passed" in alone.stdout
