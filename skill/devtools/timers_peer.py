"""A stand-in for the Alexa Timers API, served on loopback, for tests and dialog journeys.

:class:`TimersPeer` keeps timers in memory and answers the calls the skill makes (create,
get, pause, resume, delete under ``/v1/alerts/timers``) as the Timers API reference describes
them, on a clock the caller gives (`now`), so "how long is left" is exact. Every call is noted
in `calls` as a short line ("create PT3M Heat", "pause 1", "delete 1"), which tests and the
dialogs' ``expect.timers`` compare. `fail` makes every call fail: an HTTP status (500, 404),
or ``"hang"`` (the peer answers nothing until it is closed, so the skill's client times out).

The skill reaches it because the envelope's ``context.System.apiEndpoint`` names it
(`url`); a call without a bearer token is refused with 401, as the real API does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from flask import Flask, Response, jsonify, request
from werkzeug.serving import BaseWSGIServer, make_server

from skill.core.durations import iso_to_seconds, seconds_to_iso

__all__ = ["Failure", "PeerTimer", "TimersPeer"]

Failure = int | Literal["hang"] | None
"""How every call fails: an HTTP status, "hang" (no answer), or None (they succeed)."""

HANG_LIMIT_S = 30.0
"""The longest a hanging call waits for the peer to close (a stuck test ends anyway)."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class PeerTimer:
    """One timer the peer holds."""

    id: str
    seconds: int
    label: str
    body: dict[str, Any]
    """The create request's body, as sent."""
    created: datetime
    ends: datetime | None
    """When it rings (None while paused)."""
    left_when_paused: int | None = None

    def as_json(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "id": self.id,
            "status": "PAUSED" if self.ends is None else "ON",
            "duration": seconds_to_iso(self.seconds),
            "timerLabel": self.label,
            "createdTime": _stamp(self.created),
            "updatedTime": _stamp(self.created),
        }
        if self.ends is not None:
            answer["triggerTime"] = _stamp(self.ends)
        if self.left_when_paused is not None:
            answer["remainingTimeWhenPaused"] = seconds_to_iso(self.left_when_paused)
        return answer


class TimersPeer:
    """The Timers API on 127.0.0.1 and a free port (see the module docstring)."""

    def __init__(self, now: Callable[[], datetime] = _utc_now) -> None:
        self.now = now
        """The peer's clock (the tests' own, so that times left are exact)."""
        self.timers: dict[str, PeerTimer] = {}
        self.calls: list[str] = []
        """Each call as a short line, in order."""
        self.fail: Failure = None
        self._count = 0
        self._closing = threading.Event()
        self.app = self._app()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL to put in envelopes as ``apiEndpoint``."""
        assert self._server is not None, "the peer is not started"
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> TimersPeer:
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        # A short poll keeps close() quick: shutdown waits for the loop's next turn.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()

    def __enter__(self) -> TimersPeer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # The API.

    def _app(self) -> Flask:
        app = Flask(__name__)
        app.add_url_rule("/v1/alerts/timers", "create", self._create, methods=["POST"])
        app.add_url_rule("/v1/alerts/timers/<timer_id>", "get", self._get, methods=["GET"])
        app.add_url_rule("/v1/alerts/timers/<timer_id>", "delete", self._delete, methods=["DELETE"])
        app.add_url_rule(
            "/v1/alerts/timers/<timer_id>/pause", "pause", self._pause, methods=["POST"]
        )
        app.add_url_rule(
            "/v1/alerts/timers/<timer_id>/resume", "resume", self._resume, methods=["POST"]
        )
        return app

    def _refusal(self, call: str) -> tuple[Response, int] | None:
        """Note the call; the failing answer to give, if any."""
        self.calls.append(call)
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return jsonify(code="UNAUTHORIZED", message="no token"), 401
        if self.fail == "hang":
            self._closing.wait(HANG_LIMIT_S)
            return jsonify(code="INTERNAL_ERROR", message="hung"), 500
        if self.fail is not None:
            return jsonify(code="FAILED", message="made to fail"), self.fail
        return None

    def _found(self, timer_id: str) -> PeerTimer | tuple[Response, int]:
        timer = self.timers.get(timer_id)
        if timer is None:
            return jsonify(code="TIMER_NOT_FOUND", message="no such timer"), 404
        return timer

    def _create(self) -> tuple[Response, int]:
        body = request.get_json(silent=True) or {}
        seconds = iso_to_seconds(str(body.get("duration", "")))
        label = str(body.get("timerLabel", ""))
        refused = self._refusal(f"create {seconds_to_iso(seconds)} {label}")
        if refused is not None:
            return refused
        self._count += 1
        now = self.now()
        timer = PeerTimer(
            str(self._count), seconds, label, body, now, now + timedelta(seconds=seconds)
        )
        self.timers[timer.id] = timer
        return jsonify(timer.as_json()), 200

    def _get(self, timer_id: str) -> tuple[Response, int]:
        refused = self._refusal(f"get {timer_id}")
        if refused is not None:
            return refused
        found = self._found(timer_id)
        return found if isinstance(found, tuple) else (jsonify(found.as_json()), 200)

    def _pause(self, timer_id: str) -> tuple[Response, int]:
        refused = self._refusal(f"pause {timer_id}")
        if refused is not None:
            return refused
        found = self._found(timer_id)
        if isinstance(found, tuple):
            return found
        if found.ends is not None:
            found.left_when_paused = max(0, round((found.ends - self.now()).total_seconds()))
            found.ends = None
        return jsonify({}), 200

    def _resume(self, timer_id: str) -> tuple[Response, int]:
        refused = self._refusal(f"resume {timer_id}")
        if refused is not None:
            return refused
        found = self._found(timer_id)
        if isinstance(found, tuple):
            return found
        if found.ends is None:
            found.ends = self.now() + timedelta(seconds=found.left_when_paused or 0)
            found.left_when_paused = None
        return jsonify({}), 200

    def _delete(self, timer_id: str) -> tuple[Response, int]:
        refused = self._refusal(f"delete {timer_id}")
        if refused is not None:
            return refused
        found = self._found(timer_id)
        if isinstance(found, tuple):
            return found
        del self.timers[timer_id]
        return jsonify({}), 200
