"""Tests for dialogs over days and weeks and ``replay --db`` (skill.devtools: alexa_target,
local_target, transports, replay; skill.cli.main): a step's ``at:`` time reaches the turn on
both front-ends (the symptom log's time in the stored record), in process, over HTTP to a real
server on loopback without verification, and refused clearly by a verifying one; a kept store
that a second replay continues; the options that do not go together."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from routines.loader import load_library
from skill.alexa.verify import RequestVerifier
from skill.cli.main import app as cli_app
from skill.core.store import SQLiteStore
from skill.core.symptom_log import reports_in
from skill.devtools.alexa_target import DialogRunner
from skill.devtools.dialogs import parse_dialog
from skill.devtools.local_target import LocalRunner
from skill.devtools.transports import HttpTransport, in_process_transport
from tests.support.certs import TEST_SKILL_ID, AlexaSigner
from tests.support.replaying import replay, write

TWO_DAYS = """\
user: two-days
tests:
  - name: monday, it hurts
    steps:
      - launch: true
        at: 2026-03-02T08:00:00Z
      - say: "start the piriformis release"
      - say: "that hurts"
        expect: {intent: PainIntent, attributes: {state.status: paused}}
      - say: "stop"
        expect: {session_ended: true}
  - name: tuesday, it tingles
    steps:
      - launch: true
        at: 2026-03-03T09:30:00+01:00
        expect: {attributes: {state.offer: resume}}
      - say: "yes"
        expect: {attributes: {state.status: active}}
      - say: "it's tingling"
        at: 2026-03-03T08:41:15
        expect: {speech: "a nerve is being pressed"}
      - say: "stop"
"""
"""Two sessions a day apart; each symptom reported at the time its step says (the first one
at the time held from the launch, the second at its own, offset-less, hence UTC)."""

REPORTED_AT = [
    ("pain", "PAIN", "2026-03-02T08:00:00+00:00"),
    ("nerve", "TINGLING", "2026-03-03T08:41:15+00:00"),
]


def reported(record: Mapping[str, Any] | None) -> list[tuple[str, str, str]]:
    return [(r.category, r.symptom, r.at) for r in reports_in(record)]


def test_a_journey_over_two_days_logs_each_symptom_at_its_time_in_process(tmp_path: Path) -> None:
    transport = in_process_transport(tmp_path / "alexa.db")
    try:
        report = DialogRunner(transport, run_tag="").run([parse_dialog(TWO_DAYS, "days.yaml")])
    finally:
        transport.close()
    assert [outcome.failures for outcome in report.outcomes] == [[], []]
    store = SQLiteStore(tmp_path / "alexa.db")
    try:
        assert reported(store.load("amzn1.ask.account.two-days")) == REPORTED_AT
    finally:
        store.close()


def test_a_journey_over_two_days_logs_each_symptom_at_its_time_on_the_local_coach(
    tmp_path: Path,
) -> None:
    store = SQLiteStore(tmp_path / "local.db")
    try:
        report = LocalRunner(load_library(), store).run([parse_dialog(TWO_DAYS, "days.yaml")])
        assert [outcome.failures for outcome in report.outcomes] == [[], []]
        assert reported(store.load("two-days")) == REPORTED_AT
    finally:
        store.close()


class Capture:
    """A transport that keeps every envelope and answers with an empty response."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
        self.sent.append(dict(envelope))
        return {"version": "1.0", "response": {"shouldEndSession": False}}


def test_each_request_is_stamped_with_its_steps_time_else_the_runners_clock() -> None:
    text = """\
tests:
  - name: a
    steps:
      - launch: true
      - say: "next"
        at: 2026-03-02T08:00:00+01:00
      - say: "next"
      - end_session: true
        at: 2026-03-09T10:00:00Z
"""
    capture = Capture()
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    DialogRunner(capture, clock=lambda: now).run([parse_dialog(text, "a.yaml")])
    assert [envelope["request"]["timestamp"] for envelope in capture.sent] == [
        "2030-01-01T12:00:00Z",
        "2026-03-02T07:00:00Z",
        "2026-03-02T07:00:00Z",
        "2026-03-09T10:00:00Z",
    ]


# Over HTTP: without verification the time goes through; with it, a clear refusal.


def test_http_replay_with_at_times_reaches_a_server_without_verification(
    start_server: Any, tmp_path: Path
) -> None:
    loopback = start_server(db=str(tmp_path / "served.db"))
    runner = DialogRunner(HttpTransport(loopback.url), run_tag="http")
    report = runner.run([parse_dialog(TWO_DAYS, "days.yaml")])
    assert report.summary() == "2 passed, 0 failed"
    store = SQLiteStore(tmp_path / "served.db")
    try:
        assert reported(store.load("amzn1.ask.account.two-days.http")) == REPORTED_AT
    finally:
        store.close()


def test_a_verifying_server_refusing_a_steps_time_says_to_use_no_verify(
    start_server: Any, tmp_path: Path
) -> None:
    signer = AlexaSigner.create()
    verifier = RequestVerifier([TEST_SKILL_ID], **signer.verifier_options())
    loopback = start_server(verify=True, verifier=verifier)
    runner = DialogRunner(HttpTransport(loopback.url, sign=signer.headers))
    first, second = runner.run([parse_dialog(TWO_DAYS, "days.yaml")]).outcomes
    (failure,) = first.failures
    assert failure.step == "step 1 (launch)"
    assert failure.message.startswith(f"{loopback.url} answered HTTP 400:")
    assert "stale_timestamp" in failure.message
    assert failure.message.endswith(
        "a verifying server refuses a request whose timestamp is more than 150 s from now "
        "(Alexa's rule), and this step happens at 2026-03-02T08:00:00Z: replay dialogs with at: "
        "times against a server started with --no-verify (massage-coach serve --no-verify), "
        "or in process"
    )
    assert "2026-03-03T08:30:00Z: replay dialogs with at:" in second.failures[0].message
    # A step that happens now is verified and answered as before.
    untimed = parse_dialog("tests: [{name: a, steps: [{launch: true}]}]\n", "now.yaml")
    assert runner.run([untimed]).summary() == "1 passed, 0 failed"
    # The command does not sign, so the server refuses it on another rule first: a timed
    # step's failure still says what would let it through, an untimed one's does not.
    days = write(tmp_path / "days.yaml", TWO_DAYS)
    status, lines = replay([days], url=loopback.url)
    assert (status, lines[-1]) == (1, "0 passed, 2 failed")
    assert lines[0].startswith(f"{days}:5: monday, it hurts: step 1 (launch): {loopback.url}")
    assert "missing_cert_url" in lines[0]
    assert lines[0].endswith("(massage-coach serve --no-verify), or in process")
    now = write(tmp_path / "now.yaml", "tests: [{name: a, steps: [{launch: true}]}]\n")
    status, lines = replay([now], url=loopback.url)
    assert status == 1
    assert "missing_cert_url" in lines[0]
    assert "--no-verify" not in lines[0]


# replay --db: a kept store that the next replay continues.

WEEK_ONE = """\
user: kept
tests:
  - name: a first session, left unfinished
    steps:
      - launch: true
        at: 2026-03-02T08:00:00Z
      - say: "start the foam roller"
        expect: {speech: "from zero to ten"}
      - say: "six"
        expect: {speech: "thanks, six", attributes: {state.pain_before: 6}}
      - say: "next"
      - say: "that hurts"
      - say: "stop"
        expect: {session_ended: true}
"""

WEEK_TWO = """\
user: kept
tests:
  - name: a week later, the coach offers to carry on
    steps:
      - launch: true
        at: 2026-03-09T08:00:00Z
        expect: {attributes: {state.offer: resume, state.position: 1}}
      - say: "yes"
        expect: {attributes: {state.status: active, state.position: 1}}
      - say: "it's tingling"
      - say: "stop"
"""


@pytest.mark.parametrize(
    ("local", "user_id"),
    [(False, "amzn1.ask.account.kept"), (True, "kept")],
    ids=["alexa", "local"],
)
def test_replay_db_keeps_the_store_and_a_second_replay_continues_it(
    tmp_path: Path, local: bool, user_id: str
) -> None:
    first = write(tmp_path / "week-one.yaml", WEEK_ONE)
    second = write(tmp_path / "week-two.yaml", WEEK_TWO)
    db = tmp_path / "kept" / "coach.sqlite3"
    # Without --db each replay has a fresh store: nothing to carry on.
    status, lines = replay([second], local=local)
    assert (status, lines[-1]) == (1, "0 passed, 1 failed")
    assert replay([first], local=local, db=db) == (0, ["1 passed, 0 failed"])
    assert db.is_file()
    assert replay([second], local=local, db=db) == (0, ["1 passed, 0 failed"])
    store = SQLiteStore(db)
    try:
        record = store.load(user_id)
    finally:
        store.close()
    assert reported(record) == [
        ("pain", "PAIN", "2026-03-02T08:00:00+00:00"),
        ("nerve", "TINGLING", "2026-03-09T08:00:00+00:00"),
    ]


def test_replay_db_on_the_command_line(tmp_path: Path) -> None:
    first = write(tmp_path / "week-one.yaml", WEEK_ONE)
    second = write(tmp_path / "week-two.yaml", WEEK_TWO)
    db = tmp_path / "coach.sqlite3"
    for path in (first, second):
        result = CliRunner().invoke(cli_app, ["replay", "--db", str(db), str(path)])
        assert (result.exit_code, result.output) == (0, "1 passed, 0 failed\n")
    store = SQLiteStore(db)
    try:
        assert len(reported(store.load("amzn1.ask.account.kept"))) == 2
    finally:
        store.close()


def test_replay_db_refuses_a_url_and_a_damaged_store(tmp_path: Path) -> None:
    first = write(tmp_path / "week-one.yaml", WEEK_ONE)
    db = tmp_path / "coach.sqlite3"
    assert replay([first], url="http://127.0.0.1:1/alexa", db=db) == (
        2,
        [
            "--db does not apply with --url: the server keeps its own store "
            "(massage-coach serve --db PATH)"
        ],
    )
    assert not db.exists()
    damaged = write(tmp_path / "damaged.sqlite3", "not a database, and it must stay so")
    for local in (False, True):
        status, lines = replay([first], local=local, db=damaged)
        assert status == 2
        assert lines[0].startswith(f"cannot use the store: {damaged}")
    assert damaged.read_text(encoding="utf-8") == "not a database, and it must stay so"
