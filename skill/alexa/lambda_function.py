"""The AWS Lambda entry point of the Alexa skill: set the function's handler to
``skill.alexa.lambda_function.handler``.

Configuration comes from the function's environment, read by :mod:`skill.alexa.config` as
for the server: ``MASSAGE_COACH_DB`` (default ``dynamodb:massage-coach`` here; the DynamoDB
adapter is the optional extra ``massage-coach[dynamodb]``, region and credentials come from the
Lambda role), ``MASSAGE_COACH_CREATE_TABLE`` (``1`` to create the DynamoDB table on a cold start
if it is missing; give the role ``dynamodb:CreateTable``), ``MASSAGE_COACH_SKILL_IDS``
(recommended, on top of the skill-id condition on the Lambda trigger) and
``MASSAGE_COACH_ROUTINES`` (extra routine files or folders in the deployment package).

Lambda requests are not signed (AWS invokes the function), so there is no certificate check
here. A request the skill cannot take (another skill's, an unknown request type, a damaged
envelope) raises :class:`skill.alexa.skill.AlexaRequestError` after logging it: the invocation fails
and nothing is stored, which is what Alexa expects of an invalid request. The skill is built
on the first invocation and reused while the container lives; nothing is wired at import.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from ask_sdk_core.skill import CustomSkill

from routines.loader import load_library
from skill.alexa.config import read_environment
from skill.alexa.persistence import make_persistence_adapter
from skill.alexa.skill import AlexaRequestError, build_skill, handle_envelope

__all__ = ["DEFAULT_DB", "LambdaConfig", "handler", "skill_for"]

logger = logging.getLogger(__name__)

DEFAULT_DB: Final = "dynamodb:massage-coach"
"""The persistence used when ``MASSAGE_COACH_DB`` is not set."""


@dataclass(frozen=True)
class LambdaConfig:
    """The function's configuration, read from its environment."""

    db: str = DEFAULT_DB
    """The persistence spec."""
    create_table: bool = False
    """Create the DynamoDB table when missing."""
    skill_ids: tuple[str, ...] = ()
    """Accepted application ids; empty accepts any."""
    routine_files: tuple[Path, ...] = ()
    """Extra routine files or folders."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LambdaConfig:
        """The configuration in ``MASSAGE_COACH_*`` environment variables.

        Raises:
            skill.alexa.config.EnvironmentConfigError: for a value that cannot be used.
        """
        env = read_environment(environ)
        return cls(
            db=env.db or DEFAULT_DB,
            create_table=env.create_table,
            skill_ids=env.skill_ids,
            routine_files=env.routine_files,
        )


@functools.lru_cache(maxsize=4)
def skill_for(config: LambdaConfig) -> CustomSkill:
    """The skill for a configuration, built once per container (and per configuration)."""
    library = load_library(config.routine_files)
    adapter = make_persistence_adapter(config.db, create_table=config.create_table)
    return build_skill(library, adapter)


def _application_id(event: Any) -> Any:
    context = event.get("context") if isinstance(event, dict) else None
    system = context.get("System") if isinstance(context, dict) else None
    application = system.get("application") if isinstance(system, dict) else None
    return application.get("applicationId") if isinstance(application, dict) else None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answer one Alexa request delivered by AWS Lambda; return the response envelope.

    Raises:
        AlexaRequestError: for a request the skill does not take (logged first).
    """
    config = LambdaConfig.from_env()
    try:
        if config.skill_ids and _application_id(event) not in config.skill_ids:
            raise AlexaRequestError("wrong_application_id", f"got {_application_id(event)!r}")
        return handle_envelope(skill_for(config), event, context)
    except AlexaRequestError as error:
        logger.warning("refused a request: %s", error)
        raise
