"""A prompt: what the coach says next, as a sequence of parts, independent of how it is voiced.

Front-ends render a prompt: Alexa as SSML, the local coach as synthesized audio played on a
monotonic clock, `render` as one WAV file. A `Hold` is not text: it is a timed span whose
spoken checkpoints are planned by `speech.pacing` once the front-end knows how long each
phrase takes to say (measured audio locally, an estimate for Alexa).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from routines.models import Side


@dataclass(frozen=True)
class Say:
    """Words to speak."""

    text: str


@dataclass(frozen=True)
class Pause:
    """Silence, in seconds."""

    seconds: float
    rest: bool = False
    """A rest between passes, which a screen shows as it shows a hold (False: a gap between
    phrases)."""

    def __post_init__(self) -> None:
        if self.seconds < 0:
            raise ValueError(f"a pause cannot be negative: {self.seconds}")


@dataclass(frozen=True)
class Hold:
    """A timed hold: `seconds` from the end of the cue before it to the start of the release.

    The pacer fills it with a countdown (checkpoints, the final five to one) and, where there
    is room, the reminders.
    """

    seconds: int
    step_id: str
    side: Side
    rep: int
    reminders: tuple[str, ...] = ()
    """Things to say during the hold if there is room (breathe, relax the shoulders)."""
    release: str = ""
    """The release cue, spoken by the `Say` right after the hold. Kept here too so that a
    front-end that cannot time the hold (an Alexa response has a length limit) can tell the
    user how to release when their own timer ends, instead of saying it at once."""

    def __post_init__(self) -> None:
        if self.seconds < 1:
            raise ValueError(f"a hold lasts at least one second, not {self.seconds}")


@dataclass(frozen=True)
class GetReady:
    """Time to get into position before a hold: silence of `seconds`, counted down on a screen
    ("Get ready 5 4 3"), timed on the same clock as the hold that follows."""

    seconds: int

    def __post_init__(self) -> None:
        if self.seconds < 1:
            raise ValueError(f"time to get ready lasts at least one second, not {self.seconds}")


Part = Say | Pause | Hold | GetReady


@dataclass(frozen=True)
class Prompt:
    """Parts in order, and what to say if the user is silent (Alexa's reprompt)."""

    parts: tuple[Part, ...] = ()
    reprompt: str | None = None
    end_session: bool = False
    """True when the conversation ends after this prompt (stop, red flag, finished)."""
    display: dict[str, str] = field(default_factory=dict)
    """Short fields for a screen: title, cue, step ("3 of 12"), hold ("30 seconds")."""

    @property
    def text(self) -> str:
        """The words alone, for logs, cards and text-only output."""
        return " ".join(part.text for part in self.parts if isinstance(part, Say))

    @property
    def holds(self) -> tuple[Hold, ...]:
        """The holds in this prompt, in order."""
        return tuple(part for part in self.parts if isinstance(part, Hold))
