"""Generate the ASK skill package (manifest and one interaction model per locale) from `source`.

Run `python -m interaction_model.build` after editing `interaction_model/source.py` and commit
the JSON it writes; `--check` only compares and exits 1 when a committed file is stale. The
output is deterministic (ordered as in the source, two-space indented), so a test can compare
the committed files with a fresh build.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from interaction_model.source import INTENTS, INVOCATION_NAME, LOCALES, SLOT_TYPES

__all__ = [
    "ENDPOINT_PLACEHOLDER",
    "PACKAGE_DIR",
    "TASK",
    "TIMER_PERMISSION",
    "build_interaction_model",
    "build_manifest",
    "build_task_definition",
    "generated_files",
    "main",
    "render",
    "stale",
    "write",
]

PACKAGE_DIR = Path(__file__).resolve().parent / "skill-package"
"""Where the ASK CLI expects the skill package (see ask-resources.json at the repo root)."""

ENDPOINT_PLACEHOLDER = "https://massage-coach.example.com/alexa"
"""Replaced by your own HTTPS endpoint (`massage-coach serve` behind TLS) or a Lambda ARN."""

_COUNTRIES = {"en-US": "US", "en-GB": "GB", "en-CA": "CA", "en-AU": "AU", "en-IN": "IN"}

_SUMMARY = "A hands-free voice coach for gentle self-massage and stretches for sciatica."
_DESCRIPTION = (
    "Massage Coach talks you through short self-massage and stretching routines for "
    "sciatica-related leg pain: the piriformis release, foam rolling, trigger points and "
    "gentle stretches. It tells you where to put your hands, counts each hold for you and "
    "paces the repetitions, so you never need to look at a screen. Ask for a longer or "
    "shorter hold, skip a step, pause, or ask why a technique helps. If something hurts, say "
    "so and the coach stops that technique. Massage Coach does not replace a doctor or "
    "physiotherapist; see one if your pain persists or gets worse."
)


def build_interaction_model(locale: str) -> dict[str, Any]:
    """The ASK interaction model for one locale (the content of `<locale>.json`)."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; expected one of {', '.join(LOCALES)}")
    intents: list[dict[str, Any]] = []
    for intent in INTENTS:
        entry: dict[str, Any] = {"name": intent.name}
        if intent.slots:
            entry["slots"] = [{"name": name, "type": kind} for name, kind in intent.slots]
        entry["samples"] = list(intent.samples)
        intents.append(entry)
    types = [
        {
            "name": type_name,
            "values": [
                {
                    "id": value.id,
                    "name": {"value": value.name, "synonyms": list(value.synonyms)},
                }
                for value in values
            ],
        }
        for type_name, values in SLOT_TYPES.items()
    ]
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": INVOCATION_NAME,
                "intents": intents,
                "types": types,
            }
        }
    }


TIMER_PERMISSION = "alexa::alerts:timers:skill:readwrite"
"""The permission the skill asks for to time long holds with Alexa timers (the skill's own
constant is `skill.core.timers.TIMER_SCOPE`; `model check` compares them)."""

TASK = ("ContinueHold", "1")
"""The task (name, version) a rung timer launches the skill with (`skill.core.timers.TASK_NAME`
and `TASK_VERSION`; `model check` compares them)."""


def build_task_definition() -> dict[str, Any]:
    """The task definition (`tasks/ContinueHold.1.json`, OpenAPI 3): the plan position of the
    hold that the timer counted."""
    name, version = TASK
    return {
        "openapi": "3.0.0",
        "info": {
            "title": "Continue after a timed hold",
            "version": version,
            "x-amzn-alexa-access-scope": "vendor-private",
        },
        "tags": [{"name": name}],
        "paths": {
            f"/{name}": {
                "summary": "Continue the routine after a hold that an Alexa timer counted",
                "description": (
                    "Launched by the skill's own timer when it rings: the routine goes on at "
                    "the pass after the hold."
                ),
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Input"}}
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "The routine went on.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/SuccessfulResponse"}
                                }
                            },
                        },
                        "400": {"description": "The position is not a pass of the routine."},
                    },
                },
            }
        },
        "components": {
            "schemas": {
                "Input": {
                    "type": "object",
                    "properties": {
                        "position": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "The plan position of the hold the timer counted.",
                        }
                    },
                    "required": ["position"],
                },
                "SuccessfulResponse": {"type": "object", "properties": {}},
            }
        },
    }


def build_manifest() -> dict[str, Any]:
    """The `skill.json` manifest: publishing information per locale, the endpoint, interfaces,
    the timer permission and the task a timer launches."""
    locales = {
        locale: {
            "name": "Massage Coach",
            "summary": _SUMMARY,
            "description": _DESCRIPTION,
            "examplePhrases": [
                f"Alexa, open {INVOCATION_NAME}",
                f"Alexa, ask {INVOCATION_NAME} to start the piriformis release",
                f"Alexa, ask {INVOCATION_NAME} to list the routines",
            ],
            "keywords": ["sciatica", "massage", "stretching", "back pain", "self care"],
            "smallIconUri": "https://massage-coach.example.com/icons/108.png",
            "largeIconUri": "https://massage-coach.example.com/icons/512.png",
        }
        for locale in LOCALES
    }
    return {
        "manifest": {
            "manifestVersion": "1.0",
            "publishingInformation": {
                "locales": locales,
                "isAvailableWorldwide": False,
                "distributionCountries": [_COUNTRIES[locale] for locale in LOCALES],
                "category": "HEALTH_AND_FITNESS",
                "testingInstructions": (
                    "Say 'Alexa, open massage coach', accept the offered routine, then try "
                    "'hold twenty seconds longer', 'skip', 'why does this help', 'that hurts' "
                    "and 'stop'. No account linking or device setup is needed."
                ),
            },
            "privacyAndCompliance": {
                "allowsPurchases": False,
                "usesPersonalInfo": False,
                "isChildDirected": False,
                "isExportCompliant": True,
                "containsAds": False,
            },
            "apis": {
                "custom": {
                    "endpoint": {"uri": ENDPOINT_PLACEHOLDER, "sslCertificateType": "Trusted"},
                    "interfaces": [
                        {
                            "type": "ALEXA_PRESENTATION_APL",
                            "supportedViewports": [
                                {
                                    "mode": "HUB",
                                    "shape": "ROUND",
                                    "minWidth": 100,
                                    "maxWidth": 599,
                                    "minHeight": 100,
                                    "maxHeight": 599,
                                },
                                {
                                    "mode": "HUB",
                                    "shape": "RECTANGLE",
                                    "minWidth": 600,
                                    "maxWidth": 1920,
                                    "minHeight": 320,
                                    "maxHeight": 1200,
                                },
                            ],
                        }
                    ],
                    "tasks": [{"name": TASK[0], "version": TASK[1]}],
                }
            },
            "permissions": [{"name": TIMER_PERMISSION}],
        }
    }


def render(document: dict[str, Any]) -> str:
    """The JSON text as committed: two-space indent, UTF-8 kept readable, final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def generated_files() -> dict[str, str]:
    """Every generated file, keyed by its path relative to the skill package directory."""
    files = {"skill.json": render(build_manifest())}
    files[f"tasks/{TASK[0]}.{TASK[1]}.json"] = render(build_task_definition())
    for locale in LOCALES:
        files[f"interactionModels/custom/{locale}.json"] = render(build_interaction_model(locale))
    return files


def write(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Write the generated files under `package_dir`; returns the paths whose content changed."""
    changed: list[Path] = []
    for relative, text in generated_files().items():
        path = package_dir / relative
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed


def stale(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The files under `package_dir` that are missing or differ from a fresh build."""
    return [
        package_dir / relative
        for relative, text in generated_files().items()
        if not (package_dir / relative).exists()
        or (package_dir / relative).read_text(encoding="utf-8") != text
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the skill package, or with `--check` report stale files (exit 1)."""
    parser = argparse.ArgumentParser(
        prog="python -m interaction_model.build", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 if stale")
    parser.add_argument("--out", type=Path, default=PACKAGE_DIR, help="skill package directory")
    args = parser.parse_args(argv)
    if args.check:
        outdated = stale(args.out)
        for path in outdated:
            sys.stderr.write(f"{path}: stale; run python -m interaction_model.build\n")
        return 1 if outdated else 0
    for path in write(args.out):
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
