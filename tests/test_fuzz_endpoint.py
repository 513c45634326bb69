"""Property-based fuzzing of ``POST /alexa`` (hypothesis) with well-formed and malformed envelopes.

Envelopes start from the recorded ones and are broken on purpose: fields deleted, values of the
wrong type, huge and odd Unicode strings (lone surrogates, NULs, right-to-left marks), deep
nesting, unknown intents and slots, absurd durations ("hold for ten hours", ``PT-5S``), bodies
that are not JSON at all. Most go through the in-process Flask test client with verification
off; a smaller set is signed with the test CA and goes through the real verifier.

For every request:

- the status is never 5xx and the body is JSON without a traceback;
- a refused request (any status but 200) leaves the SQLite file exactly as it was;
- an answered one is a real Alexa response that never reached the skill's catch-all handler
  (which would turn a crash into a polite 200), and never holds longer or shorter than the
  current step's safe bounds.

Before each example the user's record is reset to the same mid-routine state, so every example
runs from the same start and hypothesis can replay and shrink what it finds.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from routines.loader import load_library
from routines.models import Routine
from routines.plan import expand
from skill.alexa.server import ServerConfig, create_app
from skill.alexa.skill import HOLD_ATTRIBUTE, STATE_ATTRIBUTE
from skill.alexa.verify import RequestVerifier
from skill.core.commands import INTENT_COMMANDS
from skill.core.store import SQLiteStore
from skill.devtools.envelopes import alexa_timestamp
from tests.support.certs import TEST_SKILL_ID, AlexaSigner
from tests.support.envelopes import RECORDED_USER, Conversation, recorded, recorded_names

ABSURD_DURATIONS = [
    "hold for ten hours",
    "ten hours",
    "PT-5S",
    "-PT5S",
    "PT10H",
    "P1Y",
    "P1DT2H",
    "PT0S",
    "PT0.0001S",
    "PT",
    "P",
    "PT1e9S",
    "PT99999999999999999999999999S",
    "PT9" + "9" * 5000 + "S",
    "PT5,5S",
    "forever",
    "minus five seconds",
    "a million seconds",
    "\u0663\u0660",  # thirty in Arabic-Indic digits
    "PT\u0663\u0660S",
    "\x00",
    "",
]

# A failing example may hold a huge string; hypothesis warns when it prints one, and the
# warning (an error under filterwarnings=error) would hide the failure itself.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

SETTINGS = settings(
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- values that break things -------------------------------------------------------------------


@dataclass(frozen=True)
class Huge:
    """A huge string, written out only when the body is encoded (its repr stays short)."""

    piece: str
    times: int


@dataclass(frozen=True)
class Deep:
    """A value nested ``depth`` levels deep, written out as JSON text when the body is encoded
    (Python's own encoder would refuse such depth)."""

    depth: int


short_text = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=4),
    st.sampled_from(
        [
            "\x00",
            "\u202e",  # right-to-left override
            "\ufeff",  # byte order mark
            "\U0001f600" * 50,
            "\U0001d55f\U0001d556\U0001d569\U0001d565",  # "next" in double-struck letters
            "\u01c5",  # a titlecase digraph
            "\u0130",  # dotted capital I: lowercases to two characters
            "\u00df",  # sharp s: uppercases to two characters
        ]
    ),
)
"""Strings: random, lone surrogates, control and direction marks, emoji."""

odd_text = short_text | st.builds(Huge, st.text(min_size=1, max_size=3), st.integers(1000, 20_000))
"""Those strings, and huge ones."""

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    odd_text,
)
junk = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(short_text, children, max_size=4)
    ),
    max_leaves=12,
)
"""Any JSON value."""


def deep_text(depth: int) -> str:
    """JSON text nested ``depth`` levels deep (lists and objects alternating)."""
    opening = "".join("[" if level % 2 else '{"x": ' for level in range(depth))
    closing = "".join("]" if level % 2 else "}" for level in reversed(range(depth)))
    return f'{opening}"bottom"{closing}'


def encode(document: Any) -> bytes:
    """The request body for ``document``, with :class:`Huge` and :class:`Deep` written out."""
    deep: list[int] = []

    def default(value: object) -> str:
        if isinstance(value, Huge):
            return value.piece * value.times
        if isinstance(value, Deep):
            deep.append(value.depth)
            return f"@@deep{len(deep) - 1}@@"
        raise TypeError(f"cannot encode {value!r}")

    text = json.dumps(document, default=default)
    for index, depth in enumerate(deep):
        text = text.replace(f'"@@deep{index}@@"', deep_text(depth), 1)
    return text.encode()


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside a JSON document (dict keys and list indexes)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from paths(item, (*prefix, index))


def parent_of(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        document = document[key]
    return document


def mutate(data: st.DataObject, envelope: dict[str, Any]) -> dict[str, Any]:
    """Apply one to four random breakages to ``envelope`` (in place) and return it."""
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        found = list(paths(envelope))
        if not found:
            break
        path = data.draw(st.sampled_from(found), label="path")
        parent = parent_of(envelope, path)
        action = data.draw(st.sampled_from(["delete", "replace", "add", "deep"]), label="action")
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = data.draw(junk, label="value")
        elif action == "deep":
            parent[path[-1]] = Deep(data.draw(st.integers(50, 5000), label="depth"))
        elif isinstance(parent, dict):
            parent[data.draw(short_text, label="key")] = data.draw(junk, label="value")
        else:
            parent.append(data.draw(junk, label="value"))
    return envelope


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"name": name, "value": value, "confirmationStatus": "NONE"}


intent_names = st.one_of(
    st.sampled_from(sorted(INTENT_COMMANDS)),
    st.sampled_from(["AMAZON.ScrollUpIntent", "UnknownIntent", "", "AMAZON."]),
    odd_text,
)
slot_values = st.one_of(st.sampled_from(ABSURD_DURATIONS), odd_text, junk)


@st.composite
def intent_envelopes(draw: st.DrawFn) -> dict[str, Any]:
    """Well-formed IntentRequests with any intent name and any slots (names and values)."""
    envelope = recorded("next")
    known = st.sampled_from(["duration", "routine", "symptom", "seconds"])
    names = draw(st.lists(known | short_text, max_size=3))
    slots = {name: slot(name, draw(slot_values)) for name in names}
    envelope["request"]["intent"] = {
        "name": draw(intent_names),
        "confirmationStatus": "NONE",
        "slots": slots,
    }
    return envelope


@st.composite
def timed_intents(draw: st.DrawFn) -> dict[str, Any]:
    """Set, longer or shorter hold with an absurd duration."""
    envelope = recorded(draw(st.sampled_from(["set-hold", "longer-hold", "shorter-hold"])))
    value = draw(st.sampled_from(ABSURD_DURATIONS) | odd_text)
    envelope["request"]["intent"]["slots"] = {"duration": slot("duration", value)}
    return envelope


# -- the endpoint under test --------------------------------------------------------------------


class CatchAllWatch(logging.Handler):
    """Collects what the skill's catch-all handler logs (errors from ``skill.alexa.skill``)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass(repr=False)
class Endpoint:
    """A Flask app over a real SQLite file, a user with progress, and the means to check."""

    client: FlaskClient
    db: Path
    store: SQLiteStore
    seed: dict[str, Any]
    library: dict[str, Routine]
    watch: CatchAllWatch

    def __repr__(self) -> str:
        return f"Endpoint({self.db})"

    def reset(self) -> None:
        """Put the user's record back to the seeded mid-routine state."""
        for user_id in self.store.user_ids():
            if user_id != RECORDED_USER:
                self.store.delete(user_id)
        self.store.save(RECORDED_USER, self.seed)
        self.watch.records.clear()

    def snapshot(self) -> list[tuple[str, bytes]]:
        """Every row of the file, byte for byte."""
        connection = sqlite3.connect(self.db)
        try:
            rows = connection.execute("SELECT user_id, data FROM records ORDER BY user_id")
            return [(user_id, bytes(data)) for user_id, data in rows]
        finally:
            connection.close()

    def post(self, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        response = self.client.post(
            "/alexa", data=body, headers={"Content-Type": "application/json", **(headers or {})}
        )
        return response.status_code, response.get_data()

    def check(self, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """Send ``body``; assert every property; return the status and the parsed answer."""
        self.reset()
        before = self.snapshot()
        status, raw = self.post(body, headers)
        after = self.snapshot()
        if currently_in_test_context():
            event(f"HTTP {status}")
        assert status < 500, raw[:500]
        assert b"Traceback" not in raw, raw[:500]
        assert b'File "' not in raw, raw[:500]
        answer = json.loads(raw)
        if status != 200:
            assert after == before, "a refused request changed the store"
            assert set(answer) == {"error", "reason"}, answer
            return status, answer
        assert self.watch.records == [], [r.getMessage() for r in self.watch.records]
        assert answer.get("version") == "1.0"
        assert isinstance(answer.get("response"), dict)
        self.check_hold(answer)
        return status, answer

    def check_hold(self, answer: dict[str, Any]) -> None:
        """The hold the answer reports is within the current step's safe bounds."""
        attributes = answer.get("sessionAttributes") or {}
        hold = attributes.get(HOLD_ATTRIBUTE)
        if hold is None:
            return
        state = attributes[STATE_ATTRIBUTE]
        step = expand(self.library[state["routine"]])[state["position"]].step
        assert step.hold.min <= hold <= step.hold.max, (step.id, hold)


def seeded_state(client: FlaskClient) -> dict[str, Any]:
    """Take the recorded user into the foam-roller routine, at its second pass, over the app."""

    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        response = client.post("/alexa", json=envelope)
        assert response.status_code == 200, response.get_data()
        answer: dict[str, Any] = response.get_json()
        return answer

    talk = Conversation(send)
    talk.say("launch")
    talk.say("yes")
    talk.say("rate-pain")  # the pain check answered, as a user would
    talk.say("next")
    return {STATE_ATTRIBUTE: talk.state}


def make_endpoint(db: Path, verifier: RequestVerifier | None) -> Endpoint:
    library = load_library()
    config = ServerConfig(
        db=str(db), library=library, verify=verifier is not None, verifier=verifier
    )
    client = create_app(config).test_client()
    watch = CatchAllWatch()
    logging.getLogger("skill.alexa.skill").addHandler(watch)
    store = SQLiteStore(db)
    endpoint = Endpoint(client, db, store, {}, library, watch)
    if verifier is None:
        endpoint.seed = seeded_state(client)
    return endpoint


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    made = make_endpoint(tmp_path_factory.mktemp("fuzz") / "coach.db", None)
    yield made
    logging.getLogger("skill.alexa.skill").removeHandler(made.watch)
    made.store.close()


def stamped(envelope: dict[str, Any]) -> dict[str, Any]:
    """The envelope with a current timestamp and the seeded session carried over."""
    request = envelope.get("request")
    if isinstance(request, dict) and "timestamp" in request:
        request["timestamp"] = alexa_timestamp(datetime.now(UTC))
    return envelope


# -- the properties ----------------------------------------------------------------------------


def test_the_seed_is_mid_routine(endpoint: Endpoint) -> None:
    state = endpoint.seed[STATE_ATTRIBUTE]
    assert state["status"] == "active"
    assert state["position"] == 1
    status, answer = endpoint.check(encode(stamped(recorded("next"))))
    assert status == 200
    assert answer["sessionAttributes"]["state"]["position"] == 2


@SETTINGS
@given(name=st.sampled_from(recorded_names()), data=st.data())
def test_broken_recorded_envelopes(endpoint: Endpoint, name: str, data: st.DataObject) -> None:
    endpoint.check(encode(mutate(data, stamped(recorded(name)))))


@pytest.mark.parametrize("user_id", ["\ud800", "amzn1.ask.account.\udfff"])
def test_a_user_id_that_is_not_text_is_refused(endpoint: Endpoint, user_id: str) -> None:
    # Found by Hypothesis: a lone surrogate passed the checks and failed in the store.
    envelope = stamped(recorded("next"))
    envelope["context"]["System"]["user"]["userId"] = user_id
    status, _ = endpoint.check(encode(envelope))
    assert status == 400


@SETTINGS
@given(envelope=intent_envelopes())
@example(
    envelope={
        **recorded("next"),
        "request": {**recorded("next")["request"], "intent": {"name": "X", "slots": {"a": None}}},
    }
)
def test_unknown_intents_and_slots(endpoint: Endpoint, envelope: dict[str, Any]) -> None:
    status, _ = endpoint.check(encode(stamped(envelope)))
    assert status in (200, 400, 413)


@SETTINGS
@given(envelope=timed_intents())
def test_absurd_durations_never_leave_the_safe_bounds(
    endpoint: Endpoint, envelope: dict[str, Any]
) -> None:
    status, answer = endpoint.check(encode(stamped(envelope)))
    assert status in (200, 413)
    if status == 200:
        assert answer["sessionAttributes"][HOLD_ATTRIBUTE] is not None


@pytest.mark.parametrize("value", ABSURD_DURATIONS)
def test_each_absurd_duration(endpoint: Endpoint, value: str) -> None:
    envelope = recorded("set-hold")
    envelope["request"]["intent"]["slots"] = {"duration": slot("duration", value)}
    status, answer = endpoint.check(encode(stamped(envelope)))
    assert status == 200
    # check() has compared it with the step's bounds.
    assert answer["sessionAttributes"][HOLD_ATTRIBUTE] is not None


@SETTINGS
@given(document=junk)
def test_any_json_document(endpoint: Endpoint, document: Any) -> None:
    status, _ = endpoint.check(encode(document))
    assert status in (400, 413)


@SETTINGS
@given(body=st.binary(max_size=2000))
@example(body=b"\xff\xfe{}")
@example(body=b'{"request": ' * 100_000)
@example(body=b"[" * 100_000 + b"]" * 100_000)
@example(body=b'{"a": 1e999999}')
@example(body=b'{"request": {"type": "LaunchRequest"}, "request": 5}')
def test_any_bytes(endpoint: Endpoint, body: bytes) -> None:
    status, _ = endpoint.check(body)
    assert status in (400, 413)


@pytest.mark.parametrize("depth", [100, 500, 990, 5000, 50_000])
def test_deep_nesting_in_every_place(endpoint: Endpoint, depth: int) -> None:
    for name in ("launch", "next", "set-hold"):
        for where in ("session.attributes", "request.intent.slots.duration.value", "context.x"):
            envelope = stamped(recorded(name))
            *keys, last = where.split(".")
            parent = envelope
            for key in keys:
                parent = parent.setdefault(key, {}) if isinstance(parent, dict) else parent
            if isinstance(parent, dict):
                parent[last] = Deep(depth)
            endpoint.check(encode(envelope))


def test_a_huge_body_is_413_and_changes_nothing(endpoint: Endpoint) -> None:
    envelope = stamped(recorded("next"))
    envelope["request"]["intent"]["slots"] = {"duration": slot("duration", "x" * 400_000)}
    status, answer = endpoint.check(encode(envelope))
    assert status == 413
    assert answer["error"] == "request_entity_too_large"


def test_the_checks_can_fail(endpoint: Endpoint) -> None:
    """A refused request that did write would be caught: the snapshot sees any change."""
    before = endpoint.snapshot()
    endpoint.store.save("someone-else", {"x": 1})
    assert endpoint.snapshot() != before


# -- the same through the real verifier ---------------------------------------------------------


@pytest.fixture(scope="module")
def signed(
    tmp_path_factory: pytest.TempPathFactory, endpoint: Endpoint
) -> Iterator[tuple[Endpoint, AlexaSigner]]:
    signer = AlexaSigner.create()
    verifier = RequestVerifier([TEST_SKILL_ID], **signer.verifier_options())
    made = make_endpoint(tmp_path_factory.mktemp("signed") / "coach.db", verifier)
    made.seed = endpoint.seed
    yield made, signer
    logging.getLogger("skill.alexa.skill").removeHandler(made.watch)
    made.store.close()


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(recorded_names()), data=st.data())
def test_signed_broken_envelopes_through_the_verifier(
    signed: tuple[Endpoint, AlexaSigner], name: str, data: st.DataObject
) -> None:
    endpoint, signer = signed
    body = encode(mutate(data, stamped(recorded(name))))
    status, answer = endpoint.check(body, signer.headers(body))
    if status == 400:
        assert answer["error"] in ("verification_failed", "bad_request")


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(envelope=st.one_of(timed_intents(), intent_envelopes()))
def test_signed_absurd_intents_through_the_verifier(
    signed: tuple[Endpoint, AlexaSigner], envelope: dict[str, Any]
) -> None:
    endpoint, signer = signed
    body = encode(stamped(envelope))
    status, answer = endpoint.check(body, signer.headers(body))
    assert status in (200, 400, 413), answer


def test_a_tampered_signed_body_changes_nothing(signed: tuple[Endpoint, AlexaSigner]) -> None:
    endpoint, signer = signed
    body = encode(stamped(recorded("next")))
    headers = signer.headers(body)
    status, answer = endpoint.check(body.replace(b"NextIntent", b"PreviousIntent"), headers)
    assert (status, answer["reason"]) == (400, "signature_mismatch")
