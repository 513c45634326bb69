"""A Flask app served for real on 127.0.0.1, for the tests that talk HTTP to the skill's server.

`LoopbackServer` runs werkzeug's server on a free port in a thread; `request` sends one HTTP
request and reads the JSON answer. The `loopback_server` fixture (tests/conftest.py) starts
servers of `skill.alexa.server.create_app` and closes them after the test.
"""

from __future__ import annotations

import http.client
import json
import threading
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

__all__ = ["LoopbackServer"]


class LoopbackServer:
    """A Flask app served by werkzeug on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, app: Flask) -> None:
        self.server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/alexa"
        """The skill's endpoint."""
        # A short poll keeps shutdown() quick: it waits for the loop's next turn.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Send one HTTP request; the status and the JSON answer."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        return response.status, json.loads(payload) if payload else {}
