"""The web endpoint of the Alexa skill: a Flask app factory, ``POST /alexa`` and ``GET /healthz``.

``create_app(config=None)`` wires nothing at import time. Without a config it reads the
environment, which is how production servers start it::

    MASSAGE_COACH_DB=/var/lib/massage-coach/coach.db \\
    MASSAGE_COACH_SKILL_IDS=amzn1.ask.skill.1234 \\
    gunicorn --workers 4 --bind 0.0.0.0:8000 'skill.server:create_app()'

Environment variables are those of :mod:`skill.alexa.config`, as for the Lambda function:
``MASSAGE_COACH_DB`` (a persistence spec; the default SQLite file when unset),
``MASSAGE_COACH_SKILL_IDS`` (empty accepts any skill, which is logged as a warning),
``MASSAGE_COACH_ROUTINES``, ``MASSAGE_COACH_CREATE_TABLE`` and
``MASSAGE_COACH_DYNAMODB_ENDPOINT``. Verification cannot be turned off from the environment;
put TLS in front (a reverse proxy), as Alexa only calls https endpoints.

Every request is verified as Amazon requires (:mod:`skill.alexa.verify`) unless the app was made
with ``verify=False``, which is refused for anything but a loopback host. What the endpoint
refuses, it refuses before the skill runs, so nothing stored changes:

- a failed verification: 400 ``{"error": "verification_failed", "reason": ...}``;
- a content type other than JSON: 415; a body over ``max_body_bytes``: 413;
- a body that is not JSON, or not an envelope the skill can answer (an unknown request type,
  no user id...): 400 ``{"error": "bad_request", "reason": ...}``.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from routines.errors import RoutineFileError
from routines.loader import load_library
from routines.models import Routine
from skill.alexa.config import (
    DB_ENV_VAR,
    ROUTINES_ENV_VAR,
    SKILL_IDS_ENV_VAR,
    EnvironmentConfigError,
    read_environment,
)
from skill.alexa.persistence import make_persistence_adapter
from skill.alexa.recording import record_exchange
from skill.alexa.skill import AlexaRequestError, build_skill, handle_envelope
from skill.alexa.verify import RequestVerifier, VerificationError
from skill.core.store import StoreError

__all__ = [
    "DB_ENV_VAR",
    "MAX_BODY_BYTES",
    "ROUTINES_ENV_VAR",
    "SKILL_IDS_ENV_VAR",
    "ServerConfig",
    "ServerConfigError",
    "create_app",
    "is_loopback",
    "serve",
]

logger = logging.getLogger(__name__)

MAX_BODY_BYTES: Final = 256 * 1024
"""The largest request body accepted; Alexa's requests are a few kilobytes."""

_EXTENSION_KEY: Final = "massage_coach"


class ServerConfigError(ValueError):
    """The server cannot start with this configuration."""


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServerConfig:
    """How the endpoint runs."""

    db: str = ""
    """The persistence spec: a SQLite path, ``sqlite:PATH``, ``dynamodb:TABLE``; "" = default."""
    skill_ids: tuple[str, ...] = ()
    """Accepted application ids; empty accepts any (logged as a warning)."""
    verify: bool = True
    """Verify that requests come from Alexa; False only for a loopback ``host``."""
    host: str = "127.0.0.1"
    """The host the server binds, checked when ``verify`` is False."""
    routine_files: tuple[Path, ...] = ()
    """Extra routine files or folders, besides the built-in library."""
    max_body_bytes: int = MAX_BODY_BYTES
    """The largest request body accepted (413 above it)."""
    verifier: RequestVerifier | None = None
    """A ready verifier (tests give one with their own roots and clock); made from
    ``skill_ids`` and the system's trusted roots when None."""
    library: Mapping[str, Routine] | None = field(default=None, compare=False)
    """A ready routine library; loaded from the built-in one and ``routine_files`` when None."""
    persistence_adapter: Any = field(default=None, compare=False)
    """A ready ask-sdk persistence adapter; made from ``db`` when None."""
    create_table: bool = False
    """Create a missing DynamoDB table when making the adapter from ``db``."""
    record_dir: Path | None = None
    """Write each answered request and its response as a pair of JSON files here
    (:func:`skill.alexa.recording.record_exchange`); None records nothing."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServerConfig:
        """The configuration in ``MASSAGE_COACH_*`` environment variables (verification on).

        Raises:
            skill.alexa.config.EnvironmentConfigError: for a value that cannot be used.
        """
        env = read_environment(environ)
        return cls(
            db=env.db,
            skill_ids=env.skill_ids,
            routine_files=env.routine_files,
            create_table=env.create_table,
        )


@dataclass
class _Endpoint:
    """What the app's views share, kept on ``app.extensions`` (never in module globals)."""

    config: ServerConfig
    verifier: RequestVerifier | None
    skill: Any
    routines: int


def create_app(config: ServerConfig | None = None) -> Flask:
    """A Flask app serving the skill; ``config`` from the environment when None.

    Raises:
        ServerConfigError: verification off on a host that is not loopback.
        skill.alexa.config.EnvironmentConfigError: a bad ``MASSAGE_COACH_*`` value (when
            ``config`` is None).
        skill.core.store.StoreError, routines.errors.RoutineFileError: an unusable database or
            routine file (with a message that names it).
    """
    config = ServerConfig.from_env() if config is None else config
    if not config.verify and not is_loopback(config.host):
        raise ServerConfigError(
            f"request verification may only be turned off on a loopback host, not {config.host!r}"
        )
    if config.max_body_bytes < 1:
        raise ServerConfigError(f"max_body_bytes must be positive, not {config.max_body_bytes}")
    library = (
        dict(config.library) if config.library is not None else load_library(config.routine_files)
    )
    verifier: RequestVerifier | None = None
    if config.verify:
        verifier = config.verifier or RequestVerifier(config.skill_ids)
        if not verifier.skill_ids:
            logger.warning("no skill id configured: requests from any Alexa skill are accepted")
    else:
        logger.warning("request verification is OFF: for local development on %s only", config.host)
    adapter = config.persistence_adapter or make_persistence_adapter(
        config.db, create_table=config.create_table
    )
    skill = build_skill(library, adapter)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.extensions[_EXTENSION_KEY] = _Endpoint(config, verifier, skill, len(library))
    app.add_url_rule("/alexa", "alexa", _alexa, methods=["POST"])
    app.add_url_rule("/healthz", "healthz", _healthz, methods=["GET"])
    app.register_error_handler(HTTPException, _http_error)
    return app


def _endpoint() -> _Endpoint:
    from flask import current_app

    endpoint: _Endpoint = current_app.extensions[_EXTENSION_KEY]
    return endpoint


def _refuse(status: int, error: str, reason: str, detail: str = "") -> tuple[Response, int]:
    logger.warning("refused a request with %d %s (%s) %s", status, error, reason, detail)
    return jsonify(error=error, reason=reason), status


def _alexa() -> tuple[Response, int]:
    endpoint = _endpoint()
    if request.mimetype != "application/json":
        return _refuse(415, "unsupported_media_type", "expected application/json", request.mimetype)
    body = request.get_data(cache=False)
    if endpoint.verifier is not None:
        try:
            endpoint.verifier.verify(dict(request.headers), body)
        except VerificationError as error:
            return _refuse(400, "verification_failed", error.reason.value, error.detail)
    try:
        envelope = json.loads(body)
    except (ValueError, RecursionError):
        return _refuse(400, "bad_request", "malformed_json")
    try:
        answer = handle_envelope(endpoint.skill, envelope)
    except AlexaRequestError as error:
        return _refuse(400, "bad_request", error.reason, error.detail)
    if endpoint.config.record_dir is not None:
        record_exchange(endpoint.config.record_dir, envelope, answer)
    return jsonify(answer), 200


def _healthz() -> tuple[Response, int]:
    endpoint = _endpoint()
    return jsonify(status="ok", routines=endpoint.routines), 200


def _http_error(error: HTTPException) -> tuple[Response, int]:
    """Werkzeug's errors (404, 405, 413...) as short JSON instead of HTML pages."""
    status = error.code or 500
    name = (error.name or "error").lower().replace(" ", "_")
    if status >= 500:
        logger.error("HTTP %d: %s", status, error.description)
    return jsonify(error=name, reason=name), status


def _run_development_server(app: Flask, host: str, port: int) -> None:
    app.run(host=host, port=port, debug=False, use_reloader=False)


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 5000,
    db: str | None = None,
    skill_ids: Sequence[str] = (),
    verify: bool = True,
    routine_files: Sequence[Path] = (),
    run: Callable[[Flask, str, int], None] | None = None,
    record_dir: Path | None = None,
) -> int:
    """``massage-coach serve``: run the endpoint on Flask's development server; the exit code.

    ``db`` and ``skill_ids`` fall back to ``MASSAGE_COACH_DB`` and ``MASSAGE_COACH_SKILL_IDS``.
    A configuration problem is printed as one line on stderr (exit code 2). For production,
    run gunicorn on :func:`create_app` instead (see the module docstring).
    """
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        from_env = ServerConfig.from_env()
        config = ServerConfig(
            db=from_env.db if db is None else db,
            skill_ids=tuple(skill_ids) or from_env.skill_ids,
            verify=verify,
            host=host,
            routine_files=tuple(routine_files) or from_env.routine_files,
            record_dir=record_dir,
            create_table=from_env.create_table,
        )
        app = create_app(config)
    except (ServerConfigError, EnvironmentConfigError, StoreError, RoutineFileError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    (run or _run_development_server)(app, host, port)
    return 0
