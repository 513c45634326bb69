"""Verify that an HTTP request really comes from Alexa, as Amazon requires of self-hosted skills.

Amazon's rules for a skill served as a web service (rather than from AWS Lambda):

1. The ``SignatureCertChainUrl`` header names a PEM certificate chain on
   ``https://s3.amazonaws.com[:443]/echo.api/...`` (scheme and host case-insensitive, path
   case-sensitive and checked after ``.``/``..`` normalisation).
2. The chain is valid at the current time, leads to a trusted root, and the signing (leaf)
   certificate names ``echo-api.amazon.com`` in its Subject Alternative Name.
3. The ``Signature-256`` header is the base64 RSA PKCS#1 v1.5 SHA-256 signature of the raw
   request body, made with the leaf's key. The older ``Signature`` header (SHA-1) is deprecated
   by Amazon and is ignored here: a request carrying only ``Signature`` is rejected.
4. ``request.timestamp`` is within 150 seconds of now, in either direction.
5. The application id (``context.System.application.applicationId`` and/or
   ``session.application.applicationId``) is one of the configured skill ids, if any are set.

This module is pure apart from one edge: the certificate download, which goes through an
injectable ``fetch`` callable (``urllib`` with a short timeout by default). The clock and the
trusted roots are injectable too, so tests run with certificates they generate, offline.

The verifier parses the JSON body itself: a body that is not a JSON object fails with the
reason ``malformed_body``, so the web layer may rely on :meth:`RequestVerifier.verify` alone
(it still parses the body again for the skill; that is cheap).

Checks run cheapest first (headers, body, timestamp, application id, then the certificate
chain and the signature) so junk requests never make the server download anything. Every check
must pass; only the reported reason depends on the order.
"""

from __future__ import annotations

import base64
import binascii
import http.client
import json
import logging
import posixpath
import re
import ssl
import threading
import urllib.request
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store
from cryptography.x509.verification import VerificationError as PathValidationError

from skill.core.paths import dig

__all__ = [
    "ALEXA_SAN",
    "CERT_URL_HEADER",
    "MAX_CHAIN_BYTES",
    "SIGNATURE_HEADER",
    "TIMESTAMP_TOLERANCE",
    "Reason",
    "RequestVerifier",
    "VerificationError",
    "fetch_url",
    "load_system_roots",
    "normalise_cert_url",
]

logger = logging.getLogger(__name__)

CERT_URL_HEADER = "SignatureCertChainUrl"
"""The header naming the signing certificate chain."""

SIGNATURE_HEADER = "Signature-256"
"""The header holding the base64 SHA-256 RSA signature of the body."""

ALEXA_SAN = "echo-api.amazon.com"
"""The DNS name the signing certificate must carry in its Subject Alternative Name."""

TIMESTAMP_TOLERANCE = timedelta(seconds=150)
"""How far ``request.timestamp`` may be from now, either way."""

MAX_CHAIN_BYTES = 64 * 1024
"""A certificate chain larger than this is refused (Amazon's is a few kilobytes)."""

FETCH_TIMEOUT_SECONDS = 5.0
"""Timeout of the default certificate download; Alexa waits about 8 s for the whole answer."""

_CERT_HOST = "s3.amazonaws.com"
_CERT_PATH_PREFIX = "/echo.api/"
_CERT_PORT = 443
_DEFAULT_CACHE_SIZE = 32

_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----\s.+?\s-----END CERTIFICATE-----", re.DOTALL)


class Reason(StrEnum):
    """Why a request failed verification: short, stable, safe to return to the caller."""

    MISSING_CERT_URL = "missing_cert_url"
    BAD_CERT_URL = "bad_cert_url"
    MISSING_SIGNATURE = "missing_signature"
    BAD_SIGNATURE_ENCODING = "bad_signature_encoding"
    MALFORMED_BODY = "malformed_body"
    MISSING_TIMESTAMP = "missing_timestamp"
    BAD_TIMESTAMP = "bad_timestamp"
    STALE_TIMESTAMP = "stale_timestamp"
    MISSING_APPLICATION_ID = "missing_application_id"
    WRONG_APPLICATION_ID = "wrong_application_id"
    CERT_FETCH_FAILED = "cert_fetch_failed"
    BAD_CERT_CHAIN = "bad_cert_chain"
    CERT_EXPIRED = "cert_expired"
    CERT_NOT_YET_VALID = "cert_not_yet_valid"
    CERT_WRONG_SAN = "cert_wrong_san"
    UNTRUSTED_CERT_CHAIN = "untrusted_cert_chain"
    SIGNATURE_MISMATCH = "signature_mismatch"


class VerificationError(Exception):
    """A request failed Alexa verification; ``reason`` says which rule it broke."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        self.reason: Reason = reason
        """The broken rule, a short machine-friendly string (a :class:`Reason`)."""
        self.detail: str = detail
        """A longer human explanation for logs; do not send it to the caller."""
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)


@dataclass(frozen=True)
class _TrustedLeaf:
    """A signing certificate whose chain was validated, and until when that result holds."""

    public_key: rsa.RSAPublicKey
    valid_from: datetime
    valid_until: datetime


def normalise_cert_url(url: str) -> str:
    """Check a ``SignatureCertChainUrl`` against Amazon's rules; return the URL to fetch.

    The returned URL is rebuilt from the checked parts (``https://s3.amazonaws.com`` and the
    normalised path), so what is fetched is exactly what was checked. Stricter than Amazon's
    wording in three harmless ways: user info, a query or fragment, and percent-escapes or
    backslashes in the path are refused, since Alexa never sends them and they could make the
    path mean something else to S3 than to this check.

    Raises:
        VerificationError: with reason ``bad_cert_url``.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise VerificationError(Reason.BAD_CERT_URL, f"unparsable URL {url!r}") from error
    if parts.scheme.lower() != "https":
        raise VerificationError(Reason.BAD_CERT_URL, f"scheme is not https: {url!r}")
    if (parts.hostname or "") != _CERT_HOST:
        raise VerificationError(Reason.BAD_CERT_URL, f"host is not {_CERT_HOST}: {url!r}")
    if parts.username is not None or parts.password is not None:
        raise VerificationError(Reason.BAD_CERT_URL, f"URL carries user info: {url!r}")
    if port is not None and port != _CERT_PORT:
        raise VerificationError(Reason.BAD_CERT_URL, f"port is not {_CERT_PORT}: {url!r}")
    if parts.query or parts.fragment:
        raise VerificationError(Reason.BAD_CERT_URL, f"URL has a query or fragment: {url!r}")
    if "%" in parts.path or "\\" in parts.path:
        raise VerificationError(Reason.BAD_CERT_URL, f"escaped path: {url!r}")
    path = posixpath.normpath(parts.path) if parts.path else ""
    if not path.startswith(_CERT_PATH_PREFIX):
        raise VerificationError(
            Reason.BAD_CERT_URL, f"path does not start with {_CERT_PATH_PREFIX}: {url!r}"
        )
    return f"https://{_CERT_HOST}{path}"


def fetch_url(url: str) -> bytes:
    """Download a certificate chain with a short timeout and a size cap.

    Raises:
        OSError: on any network or HTTP failure, or when the answer is too large.
    """
    request = urllib.request.Request(url, headers={"User-Agent": "massage-coach"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            data: bytes = response.read(MAX_CHAIN_BYTES + 1)
    except http.client.HTTPException as error:
        raise OSError(f"download of {url} failed: {error}") from error
    if len(data) > MAX_CHAIN_BYTES:
        raise OSError(f"certificate chain at {url} is larger than {MAX_CHAIN_BYTES} bytes")
    return data


def _load_pem_certificates(data: bytes) -> list[x509.Certificate]:
    """Parse every PEM certificate in ``data``, skipping those cryptography cannot read."""
    certificates = []
    for block in _PEM_BLOCK.findall(data):
        # Some system bundles hold old roots with non-RFC-5280 serials: cryptography warns
        # now and will refuse later; neither should break loading the rest.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                certificates.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                logger.debug("skipping an unreadable certificate in a CA bundle")
    return certificates


def load_system_roots() -> list[x509.Certificate]:
    """The trusted roots of this machine: OpenSSL's default CA file, else certifi's bundle.

    Raises:
        FileNotFoundError: when neither source exists or holds a certificate.
    """
    candidates: list[str] = []
    paths = ssl.get_default_verify_paths()
    candidates.extend(path for path in (paths.cafile, paths.openssl_cafile) if path)
    try:
        import certifi  # optional: present in many environments, never required

        candidates.append(certifi.where())
    except ImportError:
        pass
    for candidate in candidates:
        file = Path(candidate)
        if file.is_file():
            roots = _load_pem_certificates(file.read_bytes())
            if roots:
                return roots
    raise FileNotFoundError(f"no CA bundle with certificates found among {candidates}")


def _utc(moment: datetime) -> datetime:
    """Make a datetime timezone-aware, reading a naive one as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _system_clock() -> datetime:
    return datetime.now(UTC)


def _lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


class RequestVerifier:
    """Checks Alexa requests against Amazon's rules; one instance serves many requests.

    Thread-safe: the certificate cache is guarded by a lock, everything else is read-only.

    Args:
        skill_ids: the accepted application ids; empty accepts any (not for production).
        roots: trusted root certificates; the system CA bundle when None.
        fetch: downloads a certificate chain given its URL, raising OSError on failure;
            :func:`fetch_url` when None.
        clock: the current time (timezone-aware; naive is read as UTC); UTC now when None.
        cache_size: how many certificate chains (by URL) to keep validated.
    """

    def __init__(
        self,
        skill_ids: Sequence[str],
        *,
        roots: Sequence[x509.Certificate] | None = None,
        fetch: Callable[[str], bytes] | None = None,
        clock: Callable[[], datetime] | None = None,
        cache_size: int = _DEFAULT_CACHE_SIZE,
    ) -> None:
        if isinstance(skill_ids, str):
            raise TypeError("skill_ids must be a sequence of ids, not one string")
        if cache_size < 1:
            raise ValueError(f"cache_size must be at least 1, not {cache_size}")
        self.skill_ids: frozenset[str] = frozenset(skill_ids)
        self._store = Store(list(roots) if roots is not None else load_system_roots())
        self._fetch = fetch if fetch is not None else fetch_url
        self._clock = clock if clock is not None else _system_clock
        self._cache_size = cache_size
        self._cache: OrderedDict[str, _TrustedLeaf] = OrderedDict()
        self._lock = threading.Lock()

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        """Accept the request silently or raise :class:`VerificationError`.

        Args:
            headers: the HTTP request headers; names are matched case-insensitively.
            body: the raw request body, exactly as received (the signature covers its bytes).
        """
        now = _utc(self._clock())
        lowered = _lower_keys(headers)
        cert_url = lowered.get(CERT_URL_HEADER.lower(), "").strip()
        if not cert_url:
            raise VerificationError(Reason.MISSING_CERT_URL)
        fetch_from = normalise_cert_url(cert_url)
        signature = self._decode_signature(lowered.get(SIGNATURE_HEADER.lower(), ""))
        envelope = self._parse_body(body)
        self._check_timestamp(envelope, now)
        self._check_application_id(envelope)
        leaf = self._trusted_leaf(fetch_from, now)
        try:
            leaf.public_key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as error:
            raise VerificationError(Reason.SIGNATURE_MISMATCH) from error

    @staticmethod
    def _decode_signature(value: str) -> bytes:
        value = value.strip()
        if not value:
            raise VerificationError(Reason.MISSING_SIGNATURE, f"no {SIGNATURE_HEADER} header")
        try:
            signature = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as error:
            raise VerificationError(Reason.BAD_SIGNATURE_ENCODING, "not base64") from error
        if not signature:
            raise VerificationError(Reason.BAD_SIGNATURE_ENCODING, "empty signature")
        return signature

    @staticmethod
    def _parse_body(body: bytes) -> dict[str, Any]:
        try:
            envelope = json.loads(body)
        except (ValueError, RecursionError) as error:
            # UnicodeDecodeError and JSONDecodeError are both ValueErrors.
            raise VerificationError(Reason.MALFORMED_BODY, "body is not JSON") from error
        if not isinstance(envelope, dict):
            raise VerificationError(Reason.MALFORMED_BODY, "body is not a JSON object")
        return envelope

    @staticmethod
    def _check_timestamp(envelope: dict[str, Any], now: datetime) -> None:
        stamp = dig(envelope, "request", "timestamp")
        if stamp is None:
            raise VerificationError(Reason.MISSING_TIMESTAMP)
        if not isinstance(stamp, str):
            raise VerificationError(Reason.BAD_TIMESTAMP, f"timestamp {stamp!r} is no string")
        try:
            sent = _utc(datetime.fromisoformat(stamp))
        except ValueError as error:
            raise VerificationError(Reason.BAD_TIMESTAMP, f"unreadable {stamp!r}") from error
        if abs(now - sent) > TIMESTAMP_TOLERANCE:
            raise VerificationError(
                Reason.STALE_TIMESTAMP, f"timestamp {stamp} is too far from {now.isoformat()}"
            )

    def _check_application_id(self, envelope: dict[str, Any]) -> None:
        if not self.skill_ids:
            return
        found = [
            value
            for value in (
                dig(envelope, "context", "System", "application", "applicationId"),
                dig(envelope, "session", "application", "applicationId"),
            )
            if value is not None
        ]
        if not found:
            raise VerificationError(Reason.MISSING_APPLICATION_ID)
        # Both places, when both are present, must name a configured skill.
        for value in found:
            # A list or object here must not reach the frozenset lookup (unhashable).
            if not isinstance(value, str) or value not in self.skill_ids:
                raise VerificationError(Reason.WRONG_APPLICATION_ID, f"got {value!r}")

    def _trusted_leaf(self, url: str, now: datetime) -> _TrustedLeaf:
        """The validated signing certificate for ``url``, from the cache or freshly checked."""
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None:
                if cached.valid_from <= now <= cached.valid_until:
                    self._cache.move_to_end(url)
                    return cached
                del self._cache[url]
        # Downloading outside the lock: two threads may fetch the same chain once, which is
        # cheaper than making every request wait behind one slow download.
        leaf = self._validate_chain(url, self._download(url), now)
        with self._lock:
            self._cache[url] = leaf
            self._cache.move_to_end(url)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return leaf

    def _download(self, url: str) -> bytes:
        try:
            data = self._fetch(url)
        except (OSError, ValueError) as error:
            logger.warning("could not download the Alexa certificate chain %s: %s", url, error)
            raise VerificationError(Reason.CERT_FETCH_FAILED, str(error)) from error
        if len(data) > MAX_CHAIN_BYTES:
            raise VerificationError(Reason.CERT_FETCH_FAILED, "certificate chain too large")
        return data

    def _validate_chain(self, url: str, data: bytes, now: datetime) -> _TrustedLeaf:
        chain = _load_pem_certificates(data)
        if not chain:
            raise VerificationError(Reason.BAD_CERT_CHAIN, f"no certificate at {url}")
        leaf, intermediates = chain[0], chain[1:]
        # Dates and SAN are checked by hand first only to report a precise reason; the path
        # validation below checks them again, along with every issuer up to a trusted root.
        if now > leaf.not_valid_after_utc:
            raise VerificationError(Reason.CERT_EXPIRED, f"expired {leaf.not_valid_after_utc}")
        if now < leaf.not_valid_before_utc:
            raise VerificationError(
                Reason.CERT_NOT_YET_VALID, f"valid from {leaf.not_valid_before_utc}"
            )
        if ALEXA_SAN not in self._dns_names(leaf):
            raise VerificationError(Reason.CERT_WRONG_SAN, f"{ALEXA_SAN} not in the SAN")
        try:
            public_key = leaf.public_key()
        except (ValueError, UnsupportedAlgorithm) as error:
            raise VerificationError(Reason.BAD_CERT_CHAIN, "unreadable signing key") from error
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise VerificationError(Reason.BAD_CERT_CHAIN, "signing key is not RSA")
        verifier = (
            PolicyBuilder()
            .store(self._store)
            .time(now)
            .build_server_verifier(x509.DNSName(ALEXA_SAN))
        )
        try:
            validated = verifier.verify(leaf, intermediates)
        except PathValidationError as error:
            raise VerificationError(Reason.UNTRUSTED_CERT_CHAIN, str(error)) from error
        return _TrustedLeaf(
            public_key=public_key,
            valid_from=max(cert.not_valid_before_utc for cert in validated),
            valid_until=min(cert.not_valid_after_utc for cert in validated),
        )

    @staticmethod
    def _dns_names(certificate: x509.Certificate) -> list[str]:
        try:
            san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        except x509.ExtensionNotFound:
            return []
        except ValueError as error:
            raise VerificationError(Reason.BAD_CERT_CHAIN, "unreadable extensions") from error
        return [name.lower() for name in san.value.get_values_for_type(x509.DNSName)]
