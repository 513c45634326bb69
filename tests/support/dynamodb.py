"""A local DynamoDB for tests: moto's server over real HTTP, and tables made in it.

The fixtures ``moto_endpoint`` and ``aws_env`` (in ``tests/conftest.py``) start one server per
test session and point boto3 and massage-coach at it; each test makes its own table
(:func:`create_table`, a fresh name), so tests never see each other's items.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from skill.alexa.persistence import DYNAMODB_ENDPOINT_ENV_VAR

REGION = "us-east-1"


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on a free loopback port, as its endpoint URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def use_moto(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """Fake credentials, a region, and massage-coach's DynamoDB endpoint set to ``endpoint``."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv(DYNAMODB_ENDPOINT_ENV_VAR, endpoint)


def client(endpoint: str) -> Any:
    """A low-level boto3 DynamoDB client of the server at ``endpoint``."""
    return boto3.client("dynamodb", region_name=REGION, endpoint_url=endpoint)


def create_table(endpoint: str) -> str:
    """A new table keyed as the official adapter keys it (``id``, a string); its name."""
    name = f"coach-{uuid.uuid4().hex[:12]}"
    client(endpoint).create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name
