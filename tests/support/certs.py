"""A test certificate authority that signs requests the way Alexa does.

Shared by the verifier tests, the Flask server tests and the load benchmarks: they all need
real X.509 chains and real signatures, made here, never downloaded. Typical use::

    signer = AlexaSigner.create()
    verifier = RequestVerifier(["amzn1.ask.skill.test"], **signer.verifier_options())
    body = request_body(now, application_id="amzn1.ask.skill.test")
    verifier.verify(signer.headers(body), body)

RSA key generation is the slow part (tens of milliseconds per key), so keys are made once per
process and per label, and every certificate reuses them.
"""

from __future__ import annotations

import base64
import functools
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from skill.core.alexa_intent import DEFAULT_SKILL_ID
from skill.devtools.envelopes import alexa_timestamp

ALEXA_SAN = "echo-api.amazon.com"
"""The name Alexa's signing certificate carries."""

ALEXA_CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
"""Where the test chain claims to live; :meth:`AlexaSigner.fetch` serves it."""

TEST_SKILL_ID = DEFAULT_SKILL_ID
"""The application id of the recorded envelopes and replays, for tests that configure one skill."""


@functools.cache
def rsa_key(label: str) -> rsa.RSAPrivateKey:
    """A 2048-bit RSA key, the same object for the same label within one process."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "massage-coach tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CertificateAuthority:
    """A root and one intermediate, both CA certificates fit for WebPKI path validation."""

    root: x509.Certificate
    """The self-signed root; give it to the verifier as a trusted root."""
    root_key: rsa.RSAPrivateKey
    """The root's private key."""
    intermediate: x509.Certificate
    """The issuing CA, signed by the root; it signs the leaves."""
    intermediate_key: rsa.RSAPrivateKey
    """The intermediate's private key."""

    @classmethod
    def create(cls, now: datetime | None = None, *, label: str = "main") -> CertificateAuthority:
        """Make a root and an intermediate valid from a year before ``now`` for ten years.

        CAs with different labels have different keys, so one does not trust the other.
        """
        now = now or _now()
        root_key = rsa_key(f"{label}-root")
        intermediate_key = rsa_key(f"{label}-intermediate")
        root_name = _name(f"massage-coach {label} test root")
        root = (
            _builder(root_name, root_name, root_key.public_key(), root_key.public_key())
            .not_valid_before(now - timedelta(days=365))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_ca_key_usage(), critical=True)
            .sign(root_key, hashes.SHA256())
        )
        intermediate = (
            _builder(
                _name(f"massage-coach {label} test intermediate"),
                root_name,
                intermediate_key.public_key(),
                root_key.public_key(),
            )
            .not_valid_before(now - timedelta(days=365))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_ca_key_usage(), critical=True)
            .sign(root_key, hashes.SHA256())
        )
        return cls(root, root_key, intermediate, intermediate_key)

    def issue_leaf(
        self,
        *,
        dns_names: Sequence[str] = (ALEXA_SAN,),
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        key: rsa.RSAPrivateKey | None = None,
    ) -> x509.Certificate:
        """A server certificate signed by the intermediate (valid from yesterday for a year)."""
        now = _now()
        key = key or rsa_key("leaf")
        names: list[x509.GeneralName] = [x509.DNSName(name) for name in dns_names]
        return (
            _builder(
                _name(dns_names[0] if dns_names else "no name"),
                self.intermediate.subject,
                key.public_key(),
                self.intermediate_key.public_key(),
            )
            .not_valid_before(not_before or now - timedelta(days=1))
            .not_valid_after(not_after or now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=True,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .sign(self.intermediate_key, hashes.SHA256())
        )

    def chain_pem(self, leaf: x509.Certificate) -> bytes:
        """The PEM chain as Amazon publishes it: the leaf first, then the intermediate."""
        return b"".join(
            cert.public_bytes(serialization.Encoding.PEM) for cert in (leaf, self.intermediate)
        )


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: rsa.RSAPublicKey,
    issuer_key: rsa.RSAPublicKey,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(secrets.randbits(63) + 1)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key), critical=False
        )
    )


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def sign_body(key: rsa.RSAPrivateKey, body: bytes) -> str:
    """The ``Signature-256`` header value: base64 RSA PKCS#1 v1.5 SHA-256 over ``body``."""
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


@dataclass
class AlexaSigner:
    """Plays Alexa's part: hosts a certificate chain and signs request bodies with its key."""

    ca: CertificateAuthority
    """The authority that issued ``leaf``; its root is the one to trust."""
    leaf: x509.Certificate
    """The signing certificate."""
    leaf_key: rsa.RSAPrivateKey
    """The signing key."""
    cert_url: str = ALEXA_CERT_URL
    """The URL sent in ``SignatureCertChainUrl``."""
    chains: dict[str, bytes] = field(default_factory=dict)
    """What :meth:`fetch` serves, by URL; ``cert_url`` maps to the CA's chain by default."""
    fetched: list[str] = field(default_factory=list)
    """Every URL :meth:`fetch` was asked for, in order (to observe the verifier's cache)."""

    def __post_init__(self) -> None:
        self.chains.setdefault(self.cert_url, self.ca.chain_pem(self.leaf))

    @classmethod
    def create(
        cls,
        now: datetime | None = None,
        *,
        ca: CertificateAuthority | None = None,
        leaf: x509.Certificate | None = None,
        cert_url: str = ALEXA_CERT_URL,
    ) -> AlexaSigner:
        """A signer with a fresh (or given) CA and a valid ``echo-api.amazon.com`` leaf."""
        ca = ca or CertificateAuthority.create(now)
        return cls(ca, leaf or ca.issue_leaf(), rsa_key("leaf"), cert_url)

    @property
    def roots(self) -> list[x509.Certificate]:
        """The trusted roots to configure the verifier with."""
        return [self.ca.root]

    def fetch(self, url: str) -> bytes:
        """Serve a chain like S3 would; an unknown URL fails like a 404 (OSError)."""
        self.fetched.append(url)
        try:
            return self.chains[url]
        except KeyError:
            raise OSError(f"HTTP Error 404: Not Found ({url})") from None

    def headers(self, body: bytes) -> dict[str, str]:
        """The verification headers Alexa would send with ``body``."""
        return {
            "SignatureCertChainUrl": self.cert_url,
            "Signature-256": sign_body(self.leaf_key, body),
        }

    def verifier_options(self) -> dict[str, Any]:
        """Keyword arguments for ``RequestVerifier``: ``roots`` and ``fetch``."""
        fetch: Callable[[str], bytes] = self.fetch
        return {"roots": self.roots, "fetch": fetch}


def request_body(
    now: datetime | None = None,
    *,
    application_id: str = TEST_SKILL_ID,
    request: dict[str, Any] | None = None,
) -> bytes:
    """A minimal LaunchRequest envelope (or ``request``, timestamped ``now``) as JSON bytes."""
    now = now or _now()
    application = {"applicationId": application_id}
    user = {"userId": "amzn1.ask.account.TEST"}
    inner = {"type": "LaunchRequest", "requestId": "amzn1.echo-api.request.test", "locale": "en-US"}
    inner.update(request or {})
    inner["timestamp"] = alexa_timestamp(now)
    envelope = {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": "amzn1.echo-api.session.test",
            "application": application,
            "user": user,
        },
        "context": {"System": {"application": application, "user": user}},
        "request": inner,
    }
    return json.dumps(envelope).encode()
