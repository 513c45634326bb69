"""Tests for skill.alexa.server: recorded envelopes through the real Flask app on a loopback socket,
signed with certificates made here and verified in full, for every intent and the journeys;
verification failures and bad input answered with a 4xx and nothing stored."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from routines.models import Routine
from skill.alexa.persistence import SQLitePersistenceAdapter
from skill.alexa.server import ServerConfig, ServerConfigError, create_app, is_loopback, serve
from skill.alexa.verify import RequestVerifier
from skill.core.store import SQLiteStore, StoreAccessError
from tests.support.certs import TEST_SKILL_ID, AlexaSigner, CertificateAuthority
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
from tests.support.loopback import LoopbackServer

OTHER_URL = "https://s3.amazonaws.com/echo.api/other.pem"


@pytest.fixture(scope="module")
def signer() -> AlexaSigner:
    return AlexaSigner.create()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "coach.db"


@pytest.fixture
def config(library: dict[str, Routine], db: Path, signer: AlexaSigner) -> ServerConfig:
    verifier = RequestVerifier([TEST_SKILL_ID], **signer.verifier_options())
    return ServerConfig(db=str(db), library=library, verifier=verifier)


@pytest.fixture
def start(config: ServerConfig) -> Iterator[Callable[..., LoopbackServer]]:
    """Starts servers (a new app each time, as after a restart); all stop at the end."""
    servers: list[LoopbackServer] = []

    def run(**changes: Any) -> LoopbackServer:
        server = LoopbackServer(create_app(replace(config, **changes)))
        servers.append(server)
        return server

    yield run
    for server in servers:
        server.close()


@pytest.fixture
def server(start: Callable[..., LoopbackServer]) -> LoopbackServer:
    return start()


@pytest.fixture(autouse=True)
def catch_all_not_reached(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """No journey may end in the skill's catch-all handler (it logs from the server thread)."""
    caplog.set_level(logging.INFO)
    yield
    assert catch_all_records(caplog) == []


def signed_post(
    server: LoopbackServer, signer: AlexaSigner, body: bytes, **headers: str
) -> tuple[int, dict[str, Any]]:
    sent = {"Content-Type": "application/json; charset=utf-8", **signer.headers(body), **headers}
    return server.request("POST", "/alexa", body, sent)


def alexa(server: LoopbackServer, signer: AlexaSigner, **options: Any) -> Conversation:
    """A conversation whose requests go, signed, over HTTP; any status but 200 fails."""

    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        status, answer = signed_post(server, signer, json.dumps(envelope).encode())
        assert status == 200, answer
        return answer

    return Conversation(send, **options)


def stored_state(db: Path) -> dict[str, Any] | None:
    with SQLiteStore(db) as store:
        record = store.load(RECORDED_USER)
    return None if record is None else record["state"]


# Health and configuration.


def test_healthz(server: LoopbackServer) -> None:
    assert server.request("GET", "/healthz") == (200, {"status": "ok", "routines": 2})


def test_verification_can_be_off_only_on_loopback(config: ServerConfig) -> None:
    with pytest.raises(ServerConfigError, match="loopback"):
        create_app(replace(config, verify=False, host="0.0.0.0"))
    assert is_loopback("127.0.0.1")
    assert is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("192.168.1.10")
    assert not is_loopback("example.com")


def test_the_factory_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, signer: AlexaSigner
) -> None:
    monkeypatch.setenv("MASSAGE_COACH_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("MASSAGE_COACH_SKILL_IDS", "amzn1.ask.skill.a, amzn1.ask.skill.b")
    app = create_app()
    server = LoopbackServer(app)
    try:
        assert server.request("GET", "/healthz")[0] == 200
        # The application id is checked before any certificate is fetched.
        status, answer = signed_post(server, signer, recorded_body("launch"))
    finally:
        server.close()
    assert (status, answer["reason"]) == (400, "wrong_application_id")
    assert (tmp_path / "env.db").exists()


def test_serve_reports_a_bad_environment_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("MASSAGE_COACH_SKILL_IDS", "amzn1.ask.skill.a; amzn1.ask.skill.b")
    ran: list[Flask] = []
    assert serve(db=str(tmp_path / "s.db"), run=lambda app, host, port: ran.append(app)) == 2
    assert ran == []
    error = capsys.readouterr().err.strip()
    assert error.startswith(
        "error: MASSAGE_COACH_SKILL_IDS: 'amzn1.ask.skill.a; amzn1.ask.skill.b'"
    )
    assert "\n" not in error


def recorded_body(name: str, now: datetime | None = None, **request: Any) -> bytes:
    envelope = recorded(name)
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    envelope["request"].update(timestamp=stamp, **request)
    return json.dumps(envelope).encode()


# Every intent, and the journeys.

INTENTS = [
    name
    for name in recorded_names()
    if recorded(name)["request"]["type"] == "IntentRequest" and name not in ("yes",)
]


@pytest.mark.parametrize("name", INTENTS)
def test_every_intent_answers_during_a_routine(
    server: LoopbackServer, signer: AlexaSigner, name: str
) -> None:
    talk = alexa(server, signer)
    talk.say("launch")
    talk.say("yes")
    talk.say("rate-pain")  # the pain check answered: the routine is under way
    answer = talk.say(name)
    assert speech(answer).startswith("<speak>")
    assert len(speech(answer)) > 20
    assert ends_session(answer) or reprompt(answer)


def test_first_launch(server: LoopbackServer, signer: AlexaSigner, db: Path) -> None:
    answer = alexa(server, signer).say("launch")
    assert "not a substitute for a doctor" in speech(answer)
    assert "Would you like to start" in speech(answer) or "Shall we start" in speech(answer)
    assert not ends_session(answer)
    assert (stored_state(db) or {}).get("disclaimed") is True


def test_a_full_routine_from_launch_to_finish(
    server: LoopbackServer, signer: AlexaSigner, db: Path
) -> None:
    talk = alexa(server, signer)
    talk.say("launch")
    asked = talk.say("yes")
    assert "from zero to ten" in speech(asked)
    answer = talk.say("rate-pain")
    assert "Thanks, five" in speech(answer)
    positions = [talk.state["position"]]
    while talk.state["status"] != "finished":
        assert reprompt(answer), speech(answer)
        answer = talk.say("next")
        positions.append(talk.state["position"])
        assert len(positions) < 20
    assert positions == [0, 1, 2, 3, 4, 4]
    assert "Well done" in speech(answer)
    # The finished routine asks again; the conversation ends once that is answered.
    assert "How is your pain now" in speech(answer)
    assert not ends_session(answer)
    answer = talk.say("rate-pain")
    assert ends_session(answer)
    assert "Thanks, five, the same as before" in speech(answer)
    assert talk.state["status"] == "finished"
    assert (stored_state(db) or {}).get("status") == "finished"


def test_longer_shorter_and_set_hold(server: LoopbackServer, signer: AlexaSigner) -> None:
    talk = alexa(server, signer)
    talk.say("launch")
    talk.say("yes")
    holds = []
    for name in ("longer-hold", "longer-hold", "shorter-hold", "shorter-hold", "set-hold"):
        answer = talk.say(name)
        holds.append(talk.attributes["hold_seconds"])
    assert holds == [30, 30, 20, 15, 25]
    assert "twenty five seconds" in speech(answer)
    talk.say("next")
    # The preference stays with the step on its next pass.
    assert talk.attributes["hold_seconds"] == 25


def test_pause_and_resume(server: LoopbackServer, signer: AlexaSigner, db: Path) -> None:
    talk = alexa(server, signer)
    talk.say("launch")
    talk.say("yes")
    talk.say("skip")  # the pain check, moved on without a rating
    talk.say("next")
    paused = talk.say("pause")
    assert "paused" in speech(paused).lower()
    assert not ends_session(paused)
    assert (stored_state(db) or {}).get("status") == "paused"
    resumed = talk.say("resume")
    assert "Knee hug" in speech(resumed)
    assert talk.state["status"] == "active"
    assert talk.state["position"] == 1


def test_resume_in_a_new_session_after_a_restart(
    start: Callable[..., LoopbackServer], signer: AlexaSigner
) -> None:
    first = start()
    talk = alexa(first, signer)
    talk.say("launch")
    talk.say("yes")
    talk.say("no")  # the pain check, moved on without a rating
    talk.say("next")
    talk.say("set-hold")
    talk.say("session-ended")
    first.close()

    second = start()
    talk = alexa(second, signer)
    welcome = talk.say("launch")
    assert "not a substitute" not in speech(welcome)
    assert "step one of two" in speech(welcome).lower()
    assert "carry on" in speech(welcome)
    answer = talk.say("yes")
    assert talk.state["position"] == 1
    assert talk.state["status"] == "active"
    assert talk.attributes["hold_seconds"] == 25
    assert "twenty five seconds" in speech(answer)


def test_stop_in_the_middle_of_a_hold_keeps_the_place(
    start: Callable[..., LoopbackServer], signer: AlexaSigner, db: Path
) -> None:
    server = start()
    talk = alexa(server, signer)
    talk.say("launch")
    talk.say("yes")
    talk.say("rate-pain")
    talk.say("next")
    talk.say("next")
    # "Alexa, stop" barges in on the countdown of the third pass.
    answer = talk.say("stop")
    assert ends_session(answer)
    assert "saved" in speech(answer)
    assert stored_state(db) is not None
    assert (stored_state(db) or {}).get("position") == 2
    again = alexa(server, signer)
    again.say("launch")
    again.say("yes")
    assert again.state["position"] == 2


def test_pain_then_a_red_flag(server: LoopbackServer, signer: AlexaSigner, db: Path) -> None:
    talk = alexa(server, signer)
    talk.say("launch")
    talk.say("yes")
    pain = talk.say("pain")
    assert "Numbness or tingling" in speech(pain)
    assert not ends_session(pain)
    flag = talk.say("red-flag")
    assert ends_session(flag)
    assert "urgent" in speech(flag)
    assert (stored_state(db) or {}).get("status") == "halted"
    later = alexa(server, signer)
    later.say("launch")
    answer = later.say("next")
    assert "needs medical care" in speech(answer)


def test_help_and_fallback(server: LoopbackServer, signer: AlexaSigner) -> None:
    talk = alexa(server, signer)
    talk.say("launch")
    idle_help = talk.say("help")
    assert "list routines" in speech(idle_help)
    talk.say("start-routine")
    active_help = talk.say("help")
    assert "longer, shorter" in speech(active_help)
    fallback = talk.say("fallback")
    assert "Sorry" in speech(fallback)
    assert "longer, shorter" in speech(fallback)
    assert not ends_session(fallback)


def test_a_screen_device_gets_the_apl_document(server: LoopbackServer, signer: AlexaSigner) -> None:
    talk = alexa(server, signer, screen=True)
    talk.say("launch")
    talk.say("yes")
    answer = talk.say("resume")  # the pain check, moved on without a rating
    (directive,) = answer["response"]["directives"]
    assert directive["type"] == "Alexa.Presentation.APL.RenderDocument"
    assert directive["document"]["type"] == "APL"
    assert directive["datasources"]["coach"]["step"] == "1 of 2"


class _ReadOnlyStore(SQLiteStore):
    """A store whose writes fail, like a full disk."""

    def save(self, user_id: str, record: dict[str, Any]) -> None:
        raise StoreAccessError(f"{self.path}: disk full")


def test_a_failure_inside_the_skill_is_an_apology_not_a_500(
    start: Callable[..., LoopbackServer],
    signer: AlexaSigner,
    db: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = start(persistence_adapter=SQLitePersistenceAdapter(_ReadOnlyStore(db)))
    answer = alexa(server, signer).say("launch")
    assert "Sorry, something went wrong" in speech(answer)
    assert stored_state(db) is None
    # The detector the other tests rely on sees the catch-all across the server's thread.
    (record,) = catch_all_records(caplog)
    assert record.exc_info is not None
    assert "disk full" in str(record.exc_info[1])
    caplog.clear()


# Verification failures: 400 with the reason; the skill never runs.


def _expired_leaf(ca: CertificateAuthority) -> Any:
    now = datetime.now(UTC)
    return ca.issue_leaf(not_before=now - timedelta(days=30), not_after=now - timedelta(days=1))


def _expired_chain(ca: CertificateAuthority) -> bytes:
    return ca.chain_pem(_expired_leaf(ca))


def _wrong_san_chain(ca: CertificateAuthority) -> bytes:
    return ca.chain_pem(ca.issue_leaf(dns_names=["x.com"]))


def _untrusted_chain(ca: CertificateAuthority) -> bytes:
    stranger = CertificateAuthority.create(label="stranger")
    return stranger.chain_pem(stranger.issue_leaf())


def _assert_refused(
    server: LoopbackServer,
    signer: AlexaSigner,
    db: Path,
    request: tuple[bytes, dict[str, str]],
    reason: str,
) -> None:
    """POST the (body, headers) request; it is refused with `reason` and nothing is stored."""
    body, headers = request
    sent = {"Content-Type": "application/json", **headers}
    status, answer = server.request("POST", "/alexa", body, sent)
    signer.chains.pop(OTHER_URL, None)
    assert (status, answer) == (400, {"error": "verification_failed", "reason": reason})
    assert stored_state(db) is None


@pytest.mark.parametrize(
    ("chain", "reason"),
    [
        pytest.param(_expired_chain, "cert_expired", id="expired"),
        pytest.param(_wrong_san_chain, "cert_wrong_san", id="wrong_san"),
        pytest.param(_untrusted_chain, "untrusted_cert_chain", id="untrusted"),
    ],
)
def test_bad_certificates_are_refused_with_a_reason(
    server: LoopbackServer,
    signer: AlexaSigner,
    db: Path,
    chain: Callable[[CertificateAuthority], bytes],
    reason: str,
) -> None:
    body = recorded_body("launch")
    headers = signer.headers(body)
    signer.chains[OTHER_URL] = chain(signer.ca)
    headers["SignatureCertChainUrl"] = OTHER_URL
    _assert_refused(server, signer, db, (body, headers), reason)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", id="http_url"),
        pytest.param("https://notamazon.com/echo.api/echo-api-cert.pem", id="wrong_host"),
        pytest.param("https://s3.amazonaws.com/echo.api/../invalid.pem", id="escaping_path"),
        pytest.param("https://s3.amazonaws.com:563/echo.api/cert.pem", id="wrong_port"),
    ],
)
def test_bad_cert_urls_are_refused_with_a_reason(
    server: LoopbackServer, signer: AlexaSigner, db: Path, url: str
) -> None:
    body = recorded_body("launch")
    headers = signer.headers(body)
    headers["SignatureCertChainUrl"] = url
    _assert_refused(server, signer, db, (body, headers), "bad_cert_url")


def test_a_body_changed_after_signing_is_refused_with_a_reason(
    server: LoopbackServer, signer: AlexaSigner, db: Path
) -> None:
    body = recorded_body("launch")
    headers = signer.headers(body)
    tampered = body.replace(b"LaunchRequest", b"IntentRequest")
    _assert_refused(server, signer, db, (tampered, headers), "signature_mismatch")


def _old_body() -> bytes:
    return recorded_body("launch", datetime.now(UTC) - timedelta(seconds=200))


def _future_body() -> bytes:
    return recorded_body("launch", datetime.now(UTC) + timedelta(seconds=200))


def _other_skills_body() -> bytes:
    return recorded_body("launch").replace(TEST_SKILL_ID.encode(), b"amzn1.ask.skill.someone-else")


@pytest.mark.parametrize(
    ("make_body", "reason"),
    [
        pytest.param(_old_body, "stale_timestamp", id="old_timestamp"),
        pytest.param(_future_body, "stale_timestamp", id="future_timestamp"),
        pytest.param(_other_skills_body, "wrong_application_id", id="wrong_app_id"),
    ],
)
def test_well_signed_but_unacceptable_bodies_are_refused_with_a_reason(
    server: LoopbackServer,
    signer: AlexaSigner,
    db: Path,
    make_body: Callable[[], bytes],
    reason: str,
) -> None:
    body = make_body()
    _assert_refused(server, signer, db, (body, signer.headers(body)), reason)


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        pytest.param("Signature-256", "missing_signature", id="no_signature"),
        pytest.param("SignatureCertChainUrl", "missing_cert_url", id="no_cert_url"),
    ],
)
def test_missing_signature_headers_are_refused_with_a_reason(
    server: LoopbackServer, signer: AlexaSigner, db: Path, header: str, reason: str
) -> None:
    body = recorded_body("launch")
    headers = signer.headers(body)
    del headers[header]
    _assert_refused(server, signer, db, (body, headers), reason)


def test_a_failed_verification_is_logged(
    server: LoopbackServer, signer: AlexaSigner, caplog: pytest.LogCaptureFixture
) -> None:
    body = recorded_body("launch")
    headers = {"Content-Type": "application/json", **signer.headers(body)}
    status, _ = server.request("POST", "/alexa", body + b" ", headers)
    assert status == 400
    assert any("signature_mismatch" in r.getMessage() for r in caplog.records)


# Bad input: a clear 4xx, never a 500, nothing stored.


def test_bad_input_is_refused_before_the_skill_runs(
    server: LoopbackServer, signer: AlexaSigner, db: Path
) -> None:
    launch = recorded_body("launch")
    assert signed_post(server, signer, launch, **{"Content-Type": "text/plain"})[0] == 415
    assert server.request("POST", "/alexa", launch, signer.headers(launch))[0] == 415

    oversized = launch[:-1] + b', "padding": "' + b"x" * (300 * 1024) + b'"}'
    status, answer = signed_post(server, signer, oversized)
    assert status == 413
    assert answer["error"] == "request_entity_too_large"

    status, answer = signed_post(server, signer, b'{"version": "1.0", ')
    assert (status, answer["reason"]) == (400, "malformed_body")

    unknown = recorded_body("launch", type="Alexa.Presentation.APL.UserEvent")
    status, answer = signed_post(server, signer, unknown)
    assert (status, answer) == (400, {"error": "bad_request", "reason": "unsupported_request_type"})

    no_user = recorded("next")
    del no_user["context"]["System"]["user"]
    no_user["request"]["timestamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, answer = signed_post(server, signer, json.dumps(no_user).encode())
    assert (status, answer["reason"]) == (400, "malformed_envelope")

    assert server.request("GET", "/alexa")[0] == 405
    assert server.request("GET", "/nowhere")[0] == 404
    assert stored_state(db) is None


def test_without_verification_bad_json_is_still_a_4xx(
    start: Callable[..., LoopbackServer], db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = start(verify=False, verifier=None)
    assert any("verification is OFF" in r.getMessage() for r in caplog.records)
    headers = {"Content-Type": "application/json"}
    for body, reason in [
        (b"{not json", "malformed_json"),
        (b"\xff\xfe", "malformed_json"),
        (b"[1, 2]", "malformed_envelope"),
        (b'{"request": {"type": "LaunchRequest"}}', "malformed_envelope"),
    ]:
        status, answer = server.request("POST", "/alexa", body, headers)
        assert (status, answer["reason"]) == (400, reason), body
    status, answer = server.request("POST", "/alexa", recorded_body("launch"), headers)
    assert status == 200
    assert "not a substitute" in answer["response"]["outputSpeech"]["ssml"]
    assert stored_state(db) is not None


# The serve command.


def test_serve_refuses_no_verify_off_loopback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from skill.cli.main import app

    ran: list[tuple[Flask, str, int]] = []
    monkeypatch.setattr(
        "skill.alexa.server._run_development_server", lambda *args: ran.append(args)
    )
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    refused = runner.invoke(app, ["serve", "--no-verify", "--host", "0.0.0.0", "--db", db])
    assert refused.exit_code == 2
    assert "loopback" in refused.output
    assert ran == []

    served = runner.invoke(
        app, ["serve", "--port", "5055", "--db", db, "--skill-id", "a", "--skill-id", "b"]
    )
    assert served.exit_code == 0, served.output
    ((flask_app, host, port),) = ran
    assert (host, port) == ("127.0.0.1", 5055)
    assert (flask_app.test_client().get("/healthz").json or {}).get("status") == "ok"
