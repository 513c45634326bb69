"""What a screen shows: an APL document on devices that render APL, a simple card elsewhere.

The words come from the prompt's ``display`` fields (title, cue, step "k of n", hold length),
which `speech/` fills; this module only places them. The APL document is data in
``skill/apl/coach.json``; the fields reach it as the ``coach`` data source.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ask_sdk_model.ui.simple_card import SimpleCard

if TYPE_CHECKING:
    from ask_sdk_model.interfaces.alexa.presentation.apl.render_document_directive import (
        RenderDocumentDirective,
    )
    from ask_sdk_model.request_envelope import RequestEnvelope

__all__ = [
    "DISPLAY_FIELDS",
    "DOCUMENT_TOKEN",
    "card",
    "document",
    "has_screen",
    "render_directive",
]

DOCUMENT_TOKEN: Final = "massage-coach"
"""The token naming the rendered document (for later commands that update it)."""

DISPLAY_FIELDS: Final = ("title", "cue", "step", "hold", "side")
"""The prompt display fields the screen shows; a missing one shows as empty."""


def has_screen(envelope: RequestEnvelope) -> bool:
    """True when the requesting device lists ``Alexa.Presentation.APL`` among its interfaces."""
    context = getattr(envelope, "context", None)
    system = getattr(context, "system", None)
    device = getattr(system, "device", None)
    interfaces = getattr(device, "supported_interfaces", None)
    return getattr(interfaces, "alexa_presentation_apl", None) is not None


@cache
def _document_text() -> str:
    return (Path(__file__).parent / "apl" / "coach.json").read_text(encoding="utf-8")


def document() -> dict[str, Any]:
    """A fresh copy of the APL document (callers may change it freely)."""
    loaded: dict[str, Any] = json.loads(_document_text())
    return loaded


def _fields(display: Mapping[str, str]) -> dict[str, str]:
    return {name: display.get(name, "") for name in DISPLAY_FIELDS}


def render_directive(display: Mapping[str, str]) -> RenderDocumentDirective:
    """The directive that shows ``display`` with the coach's APL document."""
    # Imported for screens only: ask-sdk's APL model package is a tenth of a cold start.
    from ask_sdk_model.interfaces.alexa.presentation.apl.render_document_directive import (
        RenderDocumentDirective,
    )

    return RenderDocumentDirective(
        token=DOCUMENT_TOKEN,
        document=document(),
        datasources={"coach": _fields(display)},
    )


def card(display: Mapping[str, str]) -> SimpleCard:
    """A simple card for the Alexa app and screens without APL: the title, then the rest."""
    fields = _fields(display)
    lines = [fields["step"], fields["side"], fields["hold"], fields["cue"]]
    return SimpleCard(title=fields["title"], content="\n".join(line for line in lines if line))
