"""Tests for skill.alexa.verify: Alexa request verification with certificates made in the test."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
from cryptography import x509
from hypothesis import given
from hypothesis import strategies as st

from skill.alexa.verify import (
    MAX_CHAIN_BYTES,
    Reason,
    RequestVerifier,
    VerificationError,
    fetch_url,
    load_system_roots,
    normalise_cert_url,
)
from skill.devtools.envelopes import alexa_timestamp
from tests.support.certs import (
    ALEXA_CERT_URL,
    TEST_SKILL_ID,
    AlexaSigner,
    CertificateAuthority,
    request_body,
    rsa_key,
    sign_body,
)

NOW = datetime.now(UTC).replace(microsecond=0)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def ca() -> CertificateAuthority:
    return CertificateAuthority.create(NOW)


@pytest.fixture(scope="module")
def other_ca() -> CertificateAuthority:
    return CertificateAuthority.create(NOW, label="other")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def signer(ca: CertificateAuthority) -> AlexaSigner:
    return AlexaSigner.create(NOW, ca=ca)


@pytest.fixture
def verifier(signer: AlexaSigner, clock: FakeClock) -> RequestVerifier:
    return RequestVerifier([TEST_SKILL_ID], clock=clock, **signer.verifier_options())


def reason_of(verifier: RequestVerifier, headers: dict[str, str], body: bytes) -> Reason:
    with pytest.raises(VerificationError) as caught:
        verifier.verify(headers, body)
    return caught.value.reason


def envelope(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(request_body(NOW))
    document.update(overrides)
    return document


# --- the happy path -------------------------------------------------------------------------


def test_valid_request_passes(signer: AlexaSigner, verifier: RequestVerifier) -> None:
    body = request_body(NOW)
    verifier.verify(signer.headers(body), body)
    assert signer.fetched == [ALEXA_CERT_URL]


def test_header_names_are_case_insensitive(signer: AlexaSigner, verifier: RequestVerifier) -> None:
    body = request_body(NOW)
    headers = {name.upper(): value for name, value in signer.headers(body).items()}
    verifier.verify(headers, body)
    headers = {name.lower(): value for name, value in signer.headers(body).items()}
    verifier.verify(headers, body)


def test_no_configured_skill_ids_accepts_any_application(
    signer: AlexaSigner, clock: FakeClock
) -> None:
    verifier = RequestVerifier([], clock=clock, **signer.verifier_options())
    body = request_body(NOW, application_id="amzn1.ask.skill.someone-else")
    verifier.verify(signer.headers(body), body)


def test_application_id_in_session_only_is_enough(
    signer: AlexaSigner, verifier: RequestVerifier
) -> None:
    document = envelope()
    del document["context"]
    body = json.dumps(document).encode()
    verifier.verify(signer.headers(body), body)


def test_naive_clock_is_read_as_utc(signer: AlexaSigner) -> None:
    naive = NOW.replace(tzinfo=None)
    verifier = RequestVerifier([TEST_SKILL_ID], clock=lambda: naive, **signer.verifier_options())
    body = request_body(NOW)
    verifier.verify(signer.headers(body), body)


# --- the certificate chain ------------------------------------------------------------------


def make_verifier(
    ca: CertificateAuthority, leaf: x509.Certificate, clock: FakeClock
) -> tuple[AlexaSigner, RequestVerifier]:
    signer = AlexaSigner.create(NOW, ca=ca, leaf=leaf)
    return signer, RequestVerifier([TEST_SKILL_ID], clock=clock, **signer.verifier_options())


def test_expired_leaf_is_rejected(ca: CertificateAuthority, clock: FakeClock) -> None:
    leaf = ca.issue_leaf(not_before=NOW - timedelta(days=30), not_after=NOW - timedelta(hours=1))
    signer, verifier = make_verifier(ca, leaf, clock)
    body = request_body(NOW)
    assert reason_of(verifier, signer.headers(body), body) is Reason.CERT_EXPIRED


def test_not_yet_valid_leaf_is_rejected(ca: CertificateAuthority, clock: FakeClock) -> None:
    leaf = ca.issue_leaf(not_before=NOW + timedelta(hours=1), not_after=NOW + timedelta(days=30))
    signer, verifier = make_verifier(ca, leaf, clock)
    body = request_body(NOW)
    assert reason_of(verifier, signer.headers(body), body) is Reason.CERT_NOT_YET_VALID


@pytest.mark.parametrize(
    "dns_names",
    [("example.com",), ("echo-api.amazon.com.evil.example",), ("api.amazon.com",), ()],
)
def test_leaf_without_alexa_san_is_rejected(
    ca: CertificateAuthority, clock: FakeClock, dns_names: tuple[str, ...]
) -> None:
    signer, verifier = make_verifier(ca, ca.issue_leaf(dns_names=dns_names), clock)
    body = request_body(NOW)
    assert reason_of(verifier, signer.headers(body), body) is Reason.CERT_WRONG_SAN


def test_alexa_san_among_others_passes(ca: CertificateAuthority, clock: FakeClock) -> None:
    leaf = ca.issue_leaf(dns_names=("example.com", "echo-api.amazon.com"))
    signer, verifier = make_verifier(ca, leaf, clock)
    body = request_body(NOW)
    verifier.verify(signer.headers(body), body)


def test_chain_from_an_untrusted_root_is_rejected(
    ca: CertificateAuthority, other_ca: CertificateAuthority, clock: FakeClock
) -> None:
    impostor = AlexaSigner.create(NOW, ca=other_ca)
    verifier = RequestVerifier([TEST_SKILL_ID], roots=[ca.root], fetch=impostor.fetch, clock=clock)
    body = request_body(NOW)
    assert reason_of(verifier, impostor.headers(body), body) is Reason.UNTRUSTED_CERT_CHAIN


def test_chain_missing_its_intermediate_is_rejected(
    signer: AlexaSigner, verifier: RequestVerifier
) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    signer.chains[ALEXA_CERT_URL] = signer.leaf.public_bytes(Encoding.PEM)
    body = request_body(NOW)
    assert reason_of(verifier, signer.headers(body), body) is Reason.UNTRUSTED_CERT_CHAIN


def test_system_roots_do_not_trust_the_test_ca(signer: AlexaSigner, clock: FakeClock) -> None:
    verifier = RequestVerifier([TEST_SKILL_ID], fetch=signer.fetch, clock=clock)
    body = request_body(NOW)
    assert reason_of(verifier, signer.headers(body), body) is Reason.UNTRUSTED_CERT_CHAIN


@pytest.mark.parametrize("chain", [b"", b"not a certificate", b"-----BEGIN CERTIFICATE-----\nAA\n"])
def test_garbage_chain_is_rejected(
    signer: AlexaSigner, verifier: RequestVerifier, chain: bytes
) -> None:
    signer.chains[ALEXA_CERT_URL] = chain
    body = request_body(NOW)
    assert reason_of(verifier, signer.headers(body), body) is Reason.BAD_CERT_CHAIN


def test_failed_download_is_rejected(signer: AlexaSigner, verifier: RequestVerifier) -> None:
    del signer.chains[ALEXA_CERT_URL]
    body = request_body(NOW)
    assert reason_of(verifier, signer.headers(body), body) is Reason.CERT_FETCH_FAILED


def test_oversized_chain_is_rejected(signer: AlexaSigner, verifier: RequestVerifier) -> None:
    signer.chains[ALEXA_CERT_URL] += b"\n" * MAX_CHAIN_BYTES
    body = request_body(NOW)
    assert reason_of(verifier, signer.headers(body), body) is Reason.CERT_FETCH_FAILED


# --- the certificate cache ------------------------------------------------------------------


def test_chain_is_fetched_once_for_many_requests(
    signer: AlexaSigner, verifier: RequestVerifier
) -> None:
    for _ in range(3):
        body = request_body(NOW)
        verifier.verify(signer.headers(body), body)
    assert signer.fetched == [ALEXA_CERT_URL]


def test_cached_chain_is_dropped_once_it_expires(
    ca: CertificateAuthority, clock: FakeClock
) -> None:
    leaf = ca.issue_leaf(not_before=NOW - timedelta(days=1), not_after=NOW + timedelta(hours=1))
    signer, verifier = make_verifier(ca, leaf, clock)
    body = request_body(NOW)
    verifier.verify(signer.headers(body), body)
    clock.now = NOW + timedelta(hours=2)
    body = request_body(clock.now)
    assert reason_of(verifier, signer.headers(body), body) is Reason.CERT_EXPIRED
    assert signer.fetched == [ALEXA_CERT_URL, ALEXA_CERT_URL]


def test_cache_is_bounded(signer: AlexaSigner, clock: FakeClock) -> None:
    second_url = "https://s3.amazonaws.com/echo.api/second.pem"
    signer.chains[second_url] = signer.chains[ALEXA_CERT_URL]
    verifier = RequestVerifier(
        [TEST_SKILL_ID], clock=clock, cache_size=1, **signer.verifier_options()
    )
    body = request_body(NOW)
    for url in (ALEXA_CERT_URL, second_url, ALEXA_CERT_URL, ALEXA_CERT_URL):
        headers = signer.headers(body) | {"SignatureCertChainUrl": url}
        verifier.verify(headers, body)
    assert signer.fetched == [ALEXA_CERT_URL, second_url, ALEXA_CERT_URL]


def test_failed_chain_is_not_cached(signer: AlexaSigner, verifier: RequestVerifier) -> None:
    good_chain = signer.chains.pop(ALEXA_CERT_URL)
    body = request_body(NOW)
    assert reason_of(verifier, signer.headers(body), body) is Reason.CERT_FETCH_FAILED
    signer.chains[ALEXA_CERT_URL] = good_chain
    verifier.verify(signer.headers(body), body)


# --- the certificate URL --------------------------------------------------------------------

VALID_URLS = [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/./echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api//echo-api-cert.pem",
]

BAD_URLS = [
    "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://notamazon.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
    "https://evil.example/s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com@evil.example/echo.api/echo-api-cert.pem",
    "https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
    "https://s3.amazonaws.com/ECHO.API/echo-api-cert.pem",
    "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../foo",
    "https://s3.amazonaws.com/echo.api/../../echo.api.pem",
    "https://s3.amazonaws.com/echo.api%2F..%2Ffoo/cert.pem",
    "https://s3.amazonaws.com/echo.api/..%2Ffoo",
    "https://s3.amazonaws.com/echo.api\\..\\foo",
    "https://s3.amazonaws.com//echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api",
    "https://s3.amazonaws.com/echo.api/",
    "https://s3.amazonaws.com/",
    "https://s3.amazonaws.com",
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:80/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:99999/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem?x=1",
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem#x",
    "s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "/echo.api/echo-api-cert.pem",
    "https://[::1]/echo.api/echo-api-cert.pem",
]


@pytest.mark.parametrize("url", VALID_URLS)
def test_valid_cert_urls_normalise_to_the_canonical_url(url: str) -> None:
    assert normalise_cert_url(url) == "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"


@pytest.mark.parametrize("url", VALID_URLS)
def test_valid_cert_url_forms_pass_end_to_end(
    signer: AlexaSigner, verifier: RequestVerifier, url: str
) -> None:
    signer.chains[normalise_cert_url(url)] = signer.chains[ALEXA_CERT_URL]
    body = request_body(NOW)
    verifier.verify(signer.headers(body) | {"SignatureCertChainUrl": url}, body)


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_cert_urls_are_rejected_without_download(
    signer: AlexaSigner, verifier: RequestVerifier, url: str
) -> None:
    signer.chains[url] = signer.chains[ALEXA_CERT_URL]
    body = request_body(NOW)
    headers = signer.headers(body) | {"SignatureCertChainUrl": url}
    assert reason_of(verifier, headers, body) is Reason.BAD_CERT_URL
    assert signer.fetched == []


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_cert_url_is_rejected(
    signer: AlexaSigner, verifier: RequestVerifier, value: str | None
) -> None:
    body = request_body(NOW)
    headers = signer.headers(body)
    if value is None:
        del headers["SignatureCertChainUrl"]
    else:
        headers["SignatureCertChainUrl"] = value
    assert reason_of(verifier, headers, body) is Reason.MISSING_CERT_URL


@given(st.text(alphabet="/.aeiopc-%\\", max_size=30))
def test_accepted_cert_urls_never_leave_echo_api(path: str) -> None:
    normalised = _normalised_or_reason("https://s3.amazonaws.com" + path)
    if isinstance(normalised, Reason):
        assert normalised is Reason.BAD_CERT_URL
        return
    accepted_path = normalised.removeprefix("https://s3.amazonaws.com")
    assert accepted_path.startswith("/echo.api/")
    assert ".." not in accepted_path.split("/")
    assert "." not in accepted_path.split("/")


def _normalised_or_reason(url: str) -> str | Reason:
    """The certificate URL as the verifier normalises it, or the reason it refuses it."""
    try:
        return normalise_cert_url(url)
    except VerificationError as error:
        return error.reason


# --- the signature --------------------------------------------------------------------------


def test_tampered_body_is_rejected(signer: AlexaSigner, verifier: RequestVerifier) -> None:
    body = request_body(NOW)
    headers = signer.headers(body)
    tampered = body.replace(b"LaunchRequest", b"IntentRequest")
    assert tampered != body
    assert reason_of(verifier, headers, tampered) is Reason.SIGNATURE_MISMATCH


def test_body_reencoded_with_other_whitespace_is_rejected(
    signer: AlexaSigner, verifier: RequestVerifier
) -> None:
    body = request_body(NOW)
    headers = signer.headers(body)
    same_json = json.dumps(json.loads(body), indent=1).encode()
    assert reason_of(verifier, headers, same_json) is Reason.SIGNATURE_MISMATCH


def test_signature_by_another_key_is_rejected(
    signer: AlexaSigner, verifier: RequestVerifier
) -> None:
    body = request_body(NOW)
    headers = signer.headers(body) | {"Signature-256": sign_body(rsa_key("intruder"), body)}
    assert reason_of(verifier, headers, body) is Reason.SIGNATURE_MISMATCH


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, Reason.MISSING_SIGNATURE),
        ("", Reason.MISSING_SIGNATURE),
        ("not base64 at all!", Reason.BAD_SIGNATURE_ENCODING),
        ("abc", Reason.BAD_SIGNATURE_ENCODING),
        ("====", Reason.BAD_SIGNATURE_ENCODING),
        ("AAAA", Reason.SIGNATURE_MISMATCH),
    ],
)
def test_missing_or_garbage_signature_is_rejected(
    signer: AlexaSigner, verifier: RequestVerifier, value: str | None, reason: Reason
) -> None:
    body = request_body(NOW)
    headers = signer.headers(body)
    if value is None:
        del headers["Signature-256"]
    else:
        headers["Signature-256"] = value
    assert reason_of(verifier, headers, body) is reason


def test_old_sha1_signature_header_alone_is_not_accepted(
    signer: AlexaSigner, verifier: RequestVerifier
) -> None:
    body = request_body(NOW)
    headers = signer.headers(body)
    headers["Signature"] = headers.pop("Signature-256")
    assert reason_of(verifier, headers, body) is Reason.MISSING_SIGNATURE


# --- the body: JSON, timestamp, application id ----------------------------------------------


@pytest.mark.parametrize("body", [b"", b"{", b"[]", b'"text"', b"\xff\xfe{}", b"[" * 100_000])
def test_malformed_body_is_rejected(
    signer: AlexaSigner, verifier: RequestVerifier, body: bytes
) -> None:
    assert reason_of(verifier, signer.headers(body), body) is Reason.MALFORMED_BODY


@pytest.mark.parametrize("offset", [-150, 150, 0, -1, 1])
def test_timestamp_within_150_seconds_passes(
    signer: AlexaSigner, verifier: RequestVerifier, offset: int
) -> None:
    body = request_body(NOW + timedelta(seconds=offset))
    verifier.verify(signer.headers(body), body)


@pytest.mark.parametrize("offset", [-151, 151, -3600, 86_400])
def test_old_or_future_timestamp_is_rejected(
    signer: AlexaSigner, verifier: RequestVerifier, offset: int
) -> None:
    body = request_body(NOW + timedelta(seconds=offset))
    assert reason_of(verifier, signer.headers(body), body) is Reason.STALE_TIMESTAMP


def test_timestamp_with_an_offset_is_compared_in_utc(
    signer: AlexaSigner, verifier: RequestVerifier
) -> None:
    local = NOW.astimezone(datetime.now(UTC).astimezone().tzinfo).isoformat()
    plus_two = (NOW + timedelta(hours=2)).replace(tzinfo=None).isoformat() + "+02:00"
    for stamp in (local, plus_two):
        document = envelope()
        document["request"]["timestamp"] = stamp
        body = json.dumps(document).encode()
        verifier.verify(signer.headers(body), body)


def test_missing_timestamp_is_rejected(signer: AlexaSigner, verifier: RequestVerifier) -> None:
    document = envelope()
    del document["request"]["timestamp"]
    body = json.dumps(document).encode()
    assert reason_of(verifier, signer.headers(body), body) is Reason.MISSING_TIMESTAMP


def test_body_without_request_has_no_timestamp(
    signer: AlexaSigner, verifier: RequestVerifier
) -> None:
    body = json.dumps({"version": "1.0", "request": "LaunchRequest"}).encode()
    assert reason_of(verifier, signer.headers(body), body) is Reason.MISSING_TIMESTAMP


@pytest.mark.parametrize("stamp", ["yesterday", "", 1_700_000_000, ["2024-01-01T00:00:00Z"]])
def test_unreadable_timestamp_is_rejected(
    signer: AlexaSigner, verifier: RequestVerifier, stamp: object
) -> None:
    document = envelope()
    document["request"]["timestamp"] = stamp
    body = json.dumps(document).encode()
    assert reason_of(verifier, signer.headers(body), body) is Reason.BAD_TIMESTAMP


def test_wrong_application_id_is_rejected(signer: AlexaSigner, verifier: RequestVerifier) -> None:
    body = request_body(NOW, application_id="amzn1.ask.skill.someone-else")
    assert reason_of(verifier, signer.headers(body), body) is Reason.WRONG_APPLICATION_ID


def test_mismatched_application_ids_are_rejected(
    signer: AlexaSigner, verifier: RequestVerifier
) -> None:
    document = envelope()
    document["session"]["application"] = {"applicationId": "amzn1.ask.skill.someone-else"}
    body = json.dumps(document).encode()
    assert reason_of(verifier, signer.headers(body), body) is Reason.WRONG_APPLICATION_ID


def test_missing_application_id_is_rejected(signer: AlexaSigner, verifier: RequestVerifier) -> None:
    document = envelope()
    del document["session"]
    del document["context"]
    body = json.dumps(document).encode()
    assert reason_of(verifier, signer.headers(body), body) is Reason.MISSING_APPLICATION_ID


def test_one_of_several_configured_skill_ids_passes(signer: AlexaSigner, clock: FakeClock) -> None:
    verifier = RequestVerifier(
        ["amzn1.ask.skill.a", TEST_SKILL_ID], clock=clock, **signer.verifier_options()
    )
    body = request_body(NOW)
    verifier.verify(signer.headers(body), body)


def test_junk_is_rejected_before_any_download(
    signer: AlexaSigner, verifier: RequestVerifier
) -> None:
    body = request_body(NOW - timedelta(hours=1))
    assert reason_of(verifier, signer.headers(body), body) is Reason.STALE_TIMESTAMP
    assert signer.fetched == []


# --- the API itself -------------------------------------------------------------------------


def test_error_carries_a_short_string_reason() -> None:
    error = VerificationError(Reason.STALE_TIMESTAMP, "off by an hour")
    assert error.reason == "stale_timestamp"
    assert json.dumps({"reason": error.reason}) == '{"reason": "stale_timestamp"}'
    assert "off by an hour" in str(error)


def test_skill_ids_must_not_be_one_string(signer: AlexaSigner) -> None:
    with pytest.raises(TypeError):
        RequestVerifier(TEST_SKILL_ID, **signer.verifier_options())


def test_cache_size_must_be_positive(signer: AlexaSigner) -> None:
    with pytest.raises(ValueError, match="cache_size"):
        RequestVerifier([TEST_SKILL_ID], cache_size=0, **signer.verifier_options())


def test_system_roots_load_without_warnings() -> None:
    roots = load_system_roots()
    assert len(roots) > 10
    assert all(isinstance(root, x509.Certificate) for root in roots)


def test_alexa_timestamp_format() -> None:
    moment = datetime(2024, 5, 1, 12, 0, 0, 999, tzinfo=UTC)
    assert alexa_timestamp(moment) == "2024-05-01T12:00:00Z"


# --- the default downloader, against a real HTTP server on loopback -------------------------


class _ChainHandler(http.server.BaseHTTPRequestHandler):
    payloads: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        payload = self.payloads.get(self.path)
        if payload is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean


@pytest.fixture
def chain_server(signer: AlexaSigner) -> Iterator[str]:
    _ChainHandler.payloads = {
        "/chain.pem": signer.chains[ALEXA_CERT_URL],
        "/huge.pem": b"x" * (MAX_CHAIN_BYTES + 1),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ChainHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_fetch_url_downloads_a_chain(chain_server: str, signer: AlexaSigner) -> None:
    assert fetch_url(chain_server + "/chain.pem") == signer.chains[ALEXA_CERT_URL]


def test_fetch_url_fails_on_http_error(chain_server: str) -> None:
    with pytest.raises(OSError, match="404"):
        fetch_url(chain_server + "/missing.pem")


def test_fetch_url_refuses_oversized_answers(chain_server: str) -> None:
    with pytest.raises(OSError, match="larger"):
        fetch_url(chain_server + "/huge.pem")
