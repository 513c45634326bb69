"""The environment variables of the Alexa endpoints, and how they are read: one place for both.

The Flask server (:mod:`skill.alexa.server`), the Lambda function
(:mod:`skill.alexa.lambda_function`) and the DynamoDB adapter (:mod:`skill.alexa.persistence`)
take their settings from :func:`read_environment`:

- ``MASSAGE_COACH_DB``: a persistence spec (a SQLite path, ``sqlite:PATH`` or
  ``dynamodb:TABLE``, see :func:`skill.alexa.persistence.make_persistence_adapter`); when unset
  each front-end has its default. The name is :data:`skill.core.store.DB_ENV_VAR`, which the
  local coach reads too.
- ``MASSAGE_COACH_SKILL_IDS``: the accepted application ids, separated by commas (blanks
  around them ignored); unset or empty accepts any skill.
- ``MASSAGE_COACH_ROUTINES``: extra routine files or folders, separated by the path separator
  (``:`` on Linux).
- ``MASSAGE_COACH_CREATE_TABLE``: ``1``/``true``/``yes``/``on`` to create a missing DynamoDB
  table, ``0``/``false``/``no``/``off`` or unset not to.
- ``MASSAGE_COACH_DYNAMODB_ENDPOINT``: the URL of a DynamoDB-compatible server (local runs and
  tests); unset for AWS itself.

A value that cannot be meant (an id with a space or ``;`` in it, a flag that is neither on nor
off) raises :class:`EnvironmentConfigError` naming the variable, rather than being ignored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from skill.core.store import DB_ENV_VAR

__all__ = [
    "CREATE_TABLE_ENV_VAR",
    "DB_ENV_VAR",
    "DYNAMODB_ENDPOINT_ENV_VAR",
    "ROUTINES_ENV_VAR",
    "SKILL_IDS_ENV_VAR",
    "EnvironmentConfig",
    "EnvironmentConfigError",
    "dynamodb_endpoint",
    "parse_flag",
    "parse_routine_paths",
    "parse_skill_ids",
    "read_environment",
]

SKILL_IDS_ENV_VAR: Final = "MASSAGE_COACH_SKILL_IDS"
ROUTINES_ENV_VAR: Final = "MASSAGE_COACH_ROUTINES"
CREATE_TABLE_ENV_VAR: Final = "MASSAGE_COACH_CREATE_TABLE"
DYNAMODB_ENDPOINT_ENV_VAR: Final = "MASSAGE_COACH_DYNAMODB_ENDPOINT"

_SKILL_ID: Final = re.compile(r"[A-Za-z0-9._-]+")
_ON: Final = frozenset({"1", "true", "yes", "on"})
_OFF: Final = frozenset({"", "0", "false", "no", "off"})


class EnvironmentConfigError(ValueError):
    """An environment variable holds a value that cannot be used; the message names it."""


@dataclass(frozen=True)
class EnvironmentConfig:
    """What the ``MASSAGE_COACH_*`` variables say; each front-end adds its own defaults."""

    db: str = ""
    """The persistence spec, stripped; "" when unset."""
    skill_ids: tuple[str, ...] = ()
    """Accepted application ids; empty accepts any."""
    routine_files: tuple[Path, ...] = ()
    """Extra routine files or folders."""
    create_table: bool = False
    """Create the DynamoDB table when it is missing."""
    dynamodb_endpoint: str | None = None
    """The URL of a DynamoDB-compatible server; None for AWS."""


def parse_skill_ids(text: str) -> tuple[str, ...]:
    """Comma-separated application ids; blanks around them and empty items are dropped.

    Raises:
        EnvironmentConfigError: for an id with other characters than letters, digits, ``.``,
            ``_`` and ``-`` (such as two ids separated by a space or ``;``).
    """
    ids = tuple(part.strip() for part in text.split(",") if part.strip())
    for skill_id in ids:
        if not _SKILL_ID.fullmatch(skill_id):
            raise EnvironmentConfigError(
                f"{SKILL_IDS_ENV_VAR}: {skill_id!r} is not an application id; "
                "separate several ids with commas"
            )
    return ids


def parse_routine_paths(text: str) -> tuple[Path, ...]:
    """Paths separated by :data:`os.pathsep`; blanks around them and empty items are dropped."""
    return tuple(Path(part.strip()) for part in text.split(os.pathsep) if part.strip())


def parse_flag(name: str, text: str) -> bool:
    """An on/off variable: ``1``, ``true``, ``yes``, ``on`` or the opposite (any case); "" is off.

    Raises:
        EnvironmentConfigError: for any other value.
    """
    value = text.strip().lower()
    if value in _ON:
        return True
    if value in _OFF:
        return False
    raise EnvironmentConfigError(f"{name}: {text!r} is neither on (1, true) nor off (0, false)")


def dynamodb_endpoint(environ: Mapping[str, str] | None = None) -> str | None:
    """The DynamoDB-compatible server in ``environ`` (default :data:`os.environ`), if any."""
    env = os.environ if environ is None else environ
    return env.get(DYNAMODB_ENDPOINT_ENV_VAR, "").strip() or None


def read_environment(environ: Mapping[str, str] | None = None) -> EnvironmentConfig:
    """The configuration in ``environ`` (default :data:`os.environ`).

    Raises:
        EnvironmentConfigError: for a value that cannot be used.
    """
    env = os.environ if environ is None else environ
    return EnvironmentConfig(
        db=env.get(DB_ENV_VAR, "").strip(),
        skill_ids=parse_skill_ids(env.get(SKILL_IDS_ENV_VAR, "")),
        routine_files=parse_routine_paths(env.get(ROUTINES_ENV_VAR, "")),
        create_table=parse_flag(CREATE_TABLE_ENV_VAR, env.get(CREATE_TABLE_ENV_VAR, "")),
        dynamodb_endpoint=dynamodb_endpoint(env),
    )
