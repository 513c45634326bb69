"""The Alexa interaction model per locale (ASK JSON): the one source of utterances.

Data only. `skill` reads it for Alexa, for the local utterance resolver and for the
speech-recognition grammar. The JSON under `skill-package/` is generated from `source.py` by
`python -m interaction_model.build` and shipped in the wheel; `load` reads it from the package.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from interaction_model.source import INVOCATION_NAME, LOCALES

__all__ = ["INVOCATION_NAME", "LOCALES", "load", "model_file", "skill_package"]


def skill_package() -> Traversable:
    """The packaged ASK skill package directory (`skill.json`, `interactionModels/custom/`)."""
    return resources.files("interaction_model") / "skill-package"


def model_file(locale: str = "en-US") -> Traversable:
    """The packaged interaction model file of one locale; `ValueError` for an unknown locale."""
    if locale not in LOCALES:
        raise ValueError(f"no interaction model for locale {locale!r}; have {', '.join(LOCALES)}")
    return skill_package() / "interactionModels" / "custom" / f"{locale}.json"


def load(locale: str = "en-US") -> dict[str, Any]:
    """The interaction model of one locale, as the ASK JSON document (a fresh dict each call)."""
    document: dict[str, Any] = json.loads(model_file(locale).read_text(encoding="utf-8"))
    return document
