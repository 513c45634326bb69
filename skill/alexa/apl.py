"""What a screen shows: an APL document on devices that render APL, a simple card elsewhere.

The words come from the prompt's ``display`` fields (title, cue, step "k of n", hold length),
which `speech/` fills; this module only places them. The APL document is data in
``skill/apl/coach.json``; the fields reach it as the ``coach`` data source.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
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
    "journal_directive",
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
def _document_text(name: str = "coach") -> str:
    return (Path(__file__).parent / "apl" / f"{name}.json").read_text(encoding="utf-8")


def document(name: str = "coach") -> dict[str, Any]:
    """A fresh copy of an APL document (callers may change it freely): ``coach`` shows the
    current technique, ``journal`` the chart of "how am I doing"."""
    loaded: dict[str, Any] = json.loads(_document_text(name))
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


Point = tuple[str, float | None, float | None]
"""A week of the journal: its first day (ISO date), the mean pain before and after."""


def journal_directive(points: Sequence[Point], title: str, legend: str) -> RenderDocumentDirective:
    """The directive that charts the journal's weeks: a pair of bars each, 0 to 10 (a week
    without a rating has no bar)."""
    from ask_sdk_model.interfaces.alexa.presentation.apl.render_document_directive import (
        RenderDocumentDirective,
    )

    weeks = [
        {
            "label": _short_date(first_day),
            "before": 0 if before is None else round(before, 1),
            "after": 0 if after is None else round(after, 1),
        }
        for first_day, before, after in points
    ]
    return RenderDocumentDirective(
        token=DOCUMENT_TOKEN,
        document=document("journal"),
        datasources={"journal": {"title": title, "legend": legend, "weeks": weeks}},
    )


def _short_date(iso_day: str) -> str:
    """``2026-11-02`` as ``2 Nov``."""
    _year, month, day = (int(part) for part in iso_day.split("-"))
    return f"{day} {_MONTHS[month - 1]}"


_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def card(display: Mapping[str, str]) -> SimpleCard:
    """A simple card for the Alexa app and screens without APL: the title, then the rest."""
    fields = _fields(display)
    lines = [fields["step"], fields["side"], fields["hold"], fields["cue"]]
    return SimpleCard(title=fields["title"], content="\n".join(line for line in lines if line))
