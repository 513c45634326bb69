"""Persistent attributes for the Alexa skill: the SQLite store by default, DynamoDB on demand.

ask-sdk-core keeps a user's persistent attributes through an ``AbstractPersistenceAdapter``.
:class:`SQLitePersistenceAdapter` puts them in a :class:`skill.core.store.Store` keyed by the
Alexa user id. :func:`make_persistence_adapter` turns a configuration string into an adapter:

- ``"sqlite:PATH"`` or a plain ``PATH`` (``"sqlite:"`` or ``""``: the default path): SQLite;
- ``"dynamodb:TABLE"``: the official ``ask_sdk_dynamodb.adapter.DynamoDbAdapter`` (the optional
  extra ``massage-coach[dynamodb]``), with the region and credentials from the usual AWS
  environment and ``$MASSAGE_COACH_DYNAMODB_ENDPOINT`` for a local DynamoDB-compatible server
  (the variables are read by :mod:`skill.alexa.config`).

:func:`journal_for` gives the pain journal (:class:`skill.core.journal.Journal`) kept beside
an adapter's attributes: the SQLite store's file, or the DynamoDB adapter's table; and
:func:`sharing_store` whether the journal shares the SQLite store's file and connections (a
session's journal entry and the record's save are then one transaction).

Whatever the backend, the skill sees plain JSON-safe dicts: DynamoDB's ``Decimal`` numbers are
turned back into ints and floats, and floats into ``Decimal`` on the way in. (DynamoDB keeps
numbers only: a whole float such as ``2.0`` comes back as the equal int ``2``.)
"""

from __future__ import annotations

import functools
import os
import re
import sys
import threading
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

from skill.alexa.config import DYNAMODB_ENDPOINT_ENV_VAR, dynamodb_endpoint
from skill.core.journal import Journal
from skill.core.journal_store import SQLiteJournal
from skill.core.store import SQLiteStore, Store, StoreError, default_db_path

if TYPE_CHECKING:
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter
    from ask_sdk_model.request_envelope import RequestEnvelope

__all__ = [
    "DYNAMODB_ENDPOINT_ENV_VAR",
    "PersistenceConfigError",
    "SQLitePersistenceAdapter",
    "from_dynamodb",
    "journal_for",
    "make_persistence_adapter",
    "sharing_store",
    "to_dynamodb",
    "user_id_of",
]

_DYNAMODB_INSTALL_HINT: Final = (
    "DynamoDB support is not installed; install it with: pip install 'massage-coach[dynamodb]'"
)
_TABLE_NAME: Final = re.compile(r"[A-Za-z0-9_.-]{3,255}")
# A scheme is two letters or more, so that a Windows drive ("C:\...") stays a plain path.
_SCHEME: Final = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")


class PersistenceConfigError(StoreError):
    """The persistence configuration string cannot be turned into an adapter."""


def user_id_of(request_envelope: RequestEnvelope) -> str:
    """The Alexa user id of a request (``context.System.user.userId``).

    Raises ``PersistenceException`` when the envelope carries none, as the official keygen does.
    """
    context = getattr(request_envelope, "context", None)
    system = getattr(context, "system", None)
    user = getattr(system, "user", None)
    user_id = getattr(user, "user_id", None)
    if not isinstance(user_id, str) or not user_id:
        raise PersistenceException(
            "the request envelope has no user id (context.System.user.userId)"
        )
    return user_id


class SQLitePersistenceAdapter(AbstractPersistenceAdapter):
    """ask-sdk persistence adapter over a :class:`Store` (a :class:`SQLiteStore` by default).

    Attributes are keyed by the Alexa user id. Store failures surface as ask-sdk's
    ``PersistenceException`` (chained to the :class:`StoreError`), like the official adapters.
    """

    def __init__(self, store: Store | str | os.PathLike[str] | None = None) -> None:
        """Use ``store``, or open a :class:`SQLiteStore` at that path (default path if None)."""
        self.store: Final[Store] = store if isinstance(store, Store) else SQLiteStore(store)

    def __repr__(self) -> str:
        return f"SQLitePersistenceAdapter({self.store!r})"

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        """The user's stored attributes, or ``{}`` for a new user."""
        user_id = user_id_of(request_envelope)
        try:
            record = self.store.load(user_id)
        except StoreError as err:
            raise PersistenceException(f"cannot read persistent attributes: {err}") from err
        return {} if record is None else record

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any]
    ) -> None:
        """Replace the user's stored attributes with ``attributes`` (atomically)."""
        user_id = user_id_of(request_envelope)
        try:
            self.store.save(user_id, attributes)
        except StoreError as err:
            raise PersistenceException(f"cannot save persistent attributes: {err}") from err

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        """Forget the user's stored attributes."""
        user_id = user_id_of(request_envelope)
        try:
            self.store.delete(user_id)
        except StoreError as err:
            raise PersistenceException(f"cannot delete persistent attributes: {err}") from err


def make_persistence_adapter(
    spec: str, *, create_table: bool = False
) -> AbstractPersistenceAdapter:
    """Build the persistence adapter that ``spec`` names.

    ``"sqlite:PATH"``, a plain ``PATH``, ``"sqlite:"`` or ``""`` (default path) give a
    :class:`SQLitePersistenceAdapter`; ``"dynamodb:TABLE"`` gives the official DynamoDB adapter
    (creating the table first if ``create_table``). Raises :class:`PersistenceConfigError`
    for an unknown kind, a bad table name or DynamoDB support not installed, and
    :class:`skill.core.store.StoreError` for an unusable SQLite file.
    """
    spec = spec.strip()
    match = _SCHEME.match(spec)
    kind = match.group(1).lower() if match else "sqlite"
    target = spec[match.end() :].strip() if match else spec
    if kind == "sqlite":
        return SQLitePersistenceAdapter(Path(target).expanduser() if target else default_db_path())
    if kind == "dynamodb":
        return _make_dynamodb_adapter(target, create_table=create_table)
    raise PersistenceConfigError(
        f"unknown persistence {kind!r} in {spec!r}: use 'sqlite:PATH', a plain path, "
        "or 'dynamodb:TABLE'"
    )


def journal_for(adapter: AbstractPersistenceAdapter) -> Journal:
    """The journal kept where ``adapter`` keeps attributes (one made by
    :func:`make_persistence_adapter`): a :class:`SQLiteJournal` sharing the SQLite store's
    connections, or a DynamoDB journal in the DynamoDB adapter's table, under its partition key.

    Raises :class:`PersistenceConfigError` for any other adapter or store.
    """
    if isinstance(adapter, SQLitePersistenceAdapter) and isinstance(adapter.store, SQLiteStore):
        return SQLiteJournal(adapter.store)
    # A DynamoDbAdapter exists only once its module is imported, which needs a region.
    dynamodb = sys.modules.get("ask_sdk_dynamodb.adapter")
    if dynamodb is not None and isinstance(adapter, dynamodb.DynamoDbAdapter):
        from skill.alexa.journal_dynamodb import DynamoDbJournal

        return DynamoDbJournal(adapter.table_name, adapter.dynamodb, adapter.partition_key_name)
    raise PersistenceConfigError(f"no journal can be kept beside {adapter!r}")


def sharing_store(
    adapter: AbstractPersistenceAdapter, journal: Journal | None
) -> SQLiteJournal | None:
    """``journal``, when it keeps its rows through the adapter's own store (as
    :func:`journal_for` makes it): a session's entry and the record beside it (the state, the
    copy of the trend rule's window) can then be written in one transaction, with one commit,
    and the record read with the journal's count in one statement; None otherwise (DynamoDB,
    a journal of its own), and each write stands alone, as it always did."""
    if (
        isinstance(adapter, SQLitePersistenceAdapter)
        and isinstance(journal, SQLiteJournal)
        and journal.store is adapter.store
    ):
        return journal
    return None


def to_dynamodb(value: Any) -> Any:
    """A JSON-safe value made storable by boto3: floats become ``Decimal`` (exactly as printed)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: to_dynamodb(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_dynamodb(item) for item in value]
    return value


def from_dynamodb(value: Any) -> Any:
    """A value read by boto3 made JSON-safe: a whole ``Decimal`` becomes an int, others floats.

    DynamoDB trims trailing zeros, so a whole float (``2.0``) comes back as the equal int.
    """
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: from_dynamodb(item) for key, item in value.items()}
    if isinstance(value, list):
        return [from_dynamodb(item) for item in value]
    return value


def _make_dynamodb_adapter(table: str, *, create_table: bool) -> AbstractPersistenceAdapter:
    if not _TABLE_NAME.fullmatch(table):
        raise PersistenceConfigError(
            f"bad DynamoDB table name {table!r}: 3 to 255 letters, digits, '_', '-' or '.'"
        )
    try:
        import boto3
    except ImportError as err:
        raise PersistenceConfigError(_DYNAMODB_INSTALL_HINT) from err
    region = _aws_region(os.environ, boto3)
    adapter_class = _json_dynamodb_adapter_class(region)
    resource = boto3.resource("dynamodb", region_name=region, endpoint_url=dynamodb_endpoint())
    return adapter_class(table_name=table, create_table=create_table, dynamodb_resource=resource)


def _aws_region(environ: Mapping[str, str], boto3: Any) -> str:
    region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION")
    if not region:
        # A region set in ~/.aws/config for the active profile.
        region = boto3.session.Session().region_name
    if not region:
        raise PersistenceConfigError(
            "DynamoDB needs an AWS region: set AWS_REGION or AWS_DEFAULT_REGION "
            "(any region will do for a local server)"
        )
    return str(region)


_IMPORT_LOCK: Final = threading.Lock()


@functools.cache
def _json_dynamodb_adapter_class(region: str) -> type[DynamoDbAdapter]:
    # ask_sdk_dynamodb.adapter builds a default boto3 resource when it is imported, which
    # fails without a region; lend it ours for the import only.
    with _IMPORT_LOCK:
        own = os.environ.get("AWS_DEFAULT_REGION")
        if not own:
            os.environ["AWS_DEFAULT_REGION"] = region
        try:
            from ask_sdk_dynamodb.adapter import DynamoDbAdapter
        except ImportError as err:
            raise PersistenceConfigError(_DYNAMODB_INSTALL_HINT) from err
        finally:
            if own is None:
                del os.environ["AWS_DEFAULT_REGION"]
            else:
                os.environ["AWS_DEFAULT_REGION"] = own

    class JsonDynamoDbAdapter(DynamoDbAdapter):
        """The official DynamoDB adapter, reading and writing plain JSON-safe dicts."""

        def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
            attributes: dict[str, Any] = from_dynamodb(super().get_attributes(request_envelope))
            return attributes

        def save_attributes(
            self, request_envelope: RequestEnvelope, attributes: dict[str, Any]
        ) -> None:
            super().save_attributes(request_envelope, to_dynamodb(attributes))

    return JsonDynamoDbAdapter
