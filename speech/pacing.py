"""Exact countdown pacing: when each word of a prompt starts, on absolute deadlines.

A hold of N seconds lasts N seconds, from the end of the cue before it ("... Begin.") to the
start of the release, whatever the speech in between takes. Inside it, each checkpoint starts
when that many seconds really remain ("twenty seconds left" at N - 20), the final "five, four,
three, two, one" puts each number on its second, and the release starts at exactly N. Times
are computed from the hold's start, never from the end of the previous phrase, so nothing
drifts over a 20-minute routine.

Everything here is pure: the caller passes `measure(text) -> seconds`, the length of a phrase
as it will be heard. Locally that is the length of the synthesized audio; for Alexa, where no
audio exists on our side, it is a words-per-minute estimate. A cue that would overlap the
next one is dropped, never shifted, and the later cue wins (the final count matters most);
reminders ("breathe slowly") go only into gaps where they fit with room to spare.

`schedule(prompt, measure)` lays a whole prompt on one time axis for the local player, the
WAV renderer and the SSML renderer alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from speech.numbers import number_words
from speech.phrases import duration_words, say
from speech.prompt import GetReady, Hold, Pause, Prompt, Say

#: How long a phrase takes to say, in seconds.
Measure = Callable[[str], float]

#: No checkpoint in the first seconds of a hold: the user is still settling after "begin".
LEAD_S = 3.0
#: Silence kept on each side of a reminder, so it never runs into a count.
REMINDER_MARGIN_S = 1.0
#: The final count starts at this many seconds left.
COUNT_FROM = 5


class PacingError(ValueError):
    """A measure gave an impossible length (negative or not a number)."""


class CueKind(StrEnum):
    """What a spoken cue inside a hold is for."""

    CHECKPOINT = "checkpoint"
    """Time left: "twenty seconds left", "ten seconds"."""
    COUNT = "count"
    """The final "five, four, three, two, one"."""
    REMINDER = "reminder"
    """One of the step's during-cues, said in a free gap."""


@dataclass(frozen=True)
class TimedCue:
    """A phrase said inside a hold."""

    at_s: float
    """Seconds from the start of the hold to the start of the phrase."""
    text: str
    duration_s: float
    """How long the phrase takes, as measured."""
    kind: CueKind = CueKind.CHECKPOINT

    @property
    def end_s(self) -> float:
        """Seconds from the start of the hold to the end of the phrase."""
        return self.at_s + self.duration_s


def checkpoints(seconds: int, *, thin: int = 1) -> list[int]:
    """The seconds-left values announced during a hold of `seconds`, largest first, not
    counting the final count. Spacing grows with the hold: every 10 s up to 45 s, every 15 s
    up to two minutes, every 30 s up to five minutes, then every minute (then 30 and 10).
    `thin` keeps only every `thin`-th of them, counted from the end ("ten seconds" stays)."""
    if seconds <= 20:
        marks = [10]
    elif seconds <= 45:
        marks = list(range(10, seconds, 10))
    elif seconds <= 120:
        marks = [10, *range(15, seconds, 15)]
    elif seconds < 300:
        marks = [10, *range(30, seconds, 30)]
    else:
        marks = [10, 30, *range(60, seconds, 60)]
    marks = [mark for mark in marks if COUNT_FROM < mark <= seconds - LEAD_S]
    return sorted(marks[:: max(1, thin)], reverse=True)


def checkpoint_text(remaining: int, variant: int = 0) -> str:
    """What a checkpoint says: "ten seconds", "twenty seconds left", "four minutes left"."""
    if remaining == 10:
        return say("pacing.ten", variant)
    return say("pacing.left", variant, time=duration_words(remaining))


def _measured(measure: Measure, text: str) -> float:
    seconds = measure(text)
    if not (math.isfinite(seconds) and seconds >= 0):
        raise PacingError(f"measure gave {seconds!r} seconds for {text!r}")
    return float(seconds)


def plan_hold(
    hold: Hold,
    measure: Measure,
    *,
    reminders: bool = True,
    thin: int = 1,
    variant: int = 0,
) -> list[TimedCue]:
    """The cues said during `hold`, in order, with offsets from the start of the hold.

    Guarantees, whatever `measure` says: cues are in order and never overlap, none starts
    before 0 or ends after `hold.seconds`, each checkpoint starts exactly when its seconds
    remain, and each number of the final count starts on its second (a number too long for
    its second is dropped rather than shifted). `reminders=False` leaves the during-cues out
    and `thin` drops checkpoints, both for renderers with a size limit.
    """
    length = hold.seconds
    wanted: list[TimedCue] = []
    for remaining in checkpoints(length, thin=thin):
        text = checkpoint_text(remaining, variant)
        wanted.append(TimedCue(length - remaining, text, _measured(measure, text)))
    for number in range(min(COUNT_FROM, length), 0, -1):
        text = number_words(number)
        wanted.append(TimedCue(length - number, text, _measured(measure, text), CueKind.COUNT))
    # Later cues win: walk back from the end, keeping a cue only if it is over in time.
    kept: list[TimedCue] = []
    deadline = float(length)
    for cue in reversed(wanted):
        if cue.end_s <= deadline:
            kept.append(cue)
            deadline = cue.at_s
    kept.reverse()
    if reminders and hold.reminders:
        kept = _with_reminders(kept, hold.reminders, length, measure)
    return kept


def _with_reminders(
    cues: list[TimedCue], reminders: tuple[str, ...], length: int, measure: Measure
) -> list[TimedCue]:
    """Put each reminder once, in order, into the earliest free gaps it fits."""
    pending = list(reminders)
    placed: list[TimedCue] = []
    starts = [0.0, *(cue.end_s for cue in cues)]
    ends = [*(cue.at_s for cue in cues), float(length)]
    for start, end in zip(starts, ends, strict=True):
        if not pending:
            break
        at = start + REMINDER_MARGIN_S
        duration = _measured(measure, pending[0])
        if at + duration + REMINDER_MARGIN_S <= end:
            placed.append(TimedCue(at, pending.pop(0), duration, CueKind.REMINDER))
    return sorted([*cues, *placed], key=lambda cue: cue.at_s)


# A whole prompt on a time axis.


class SpeechKind(StrEnum):
    """Where an utterance comes from."""

    SAY = "say"
    CHECKPOINT = "checkpoint"
    COUNT = "count"
    REMINDER = "reminder"


@dataclass(frozen=True)
class Utterance:
    """Words on the time axis."""

    start_s: float
    """Seconds from the start of the prompt (or of the session, once shifted)."""
    text: str
    duration_s: float
    kind: SpeechKind = SpeechKind.SAY

    @property
    def end_s(self) -> float:
        """When the words end."""
        return self.start_s + self.duration_s


@dataclass(frozen=True)
class Span:
    """A stretch of time: a pause, or the silence between words."""

    start_s: float
    end_s: float


@dataclass(frozen=True)
class HoldSpan:
    """A hold on the time axis: from the end of its "begin" cue to the start of its release."""

    start_s: float
    end_s: float
    hold: Hold
    cues: tuple[TimedCue, ...]
    """The cues said during the hold, with offsets from `start_s`."""


@dataclass(frozen=True)
class Segment:
    """Speech or silence, for a timeline file: together the segments cover the whole prompt."""

    kind: str
    """ "speech" or "silence"."""
    start_s: float
    end_s: float
    text: str = ""


def segments_of(
    speech: Iterable[tuple[float, float, str]], start_s: float, end_s: float
) -> list[Segment]:
    """Speech spans (start, end, text) and the silences between them, covering `start_s` to
    `end_s` without gaps."""
    found: list[Segment] = []
    now = start_s
    for speech_start, speech_end, text in speech:
        if speech_start > now:
            found.append(Segment("silence", now, speech_start))
        found.append(Segment("speech", speech_start, speech_end, text))
        now = max(now, speech_end)
    if end_s > now:
        found.append(Segment("silence", now, end_s))
    return found


@dataclass(frozen=True)
class Timeline:
    """A prompt laid out in time: what a player says when, and where the holds are."""

    utterances: tuple[Utterance, ...]
    """Every phrase in order, cues inside holds included."""
    holds: tuple[HoldSpan, ...]
    pauses: tuple[Span, ...]
    """The prompt's explicit pauses (rests)."""
    start_s: float
    end_s: float
    rests: tuple[Span, ...] = ()
    """Those of `pauses` that are rests between passes (shown on a screen like holds)."""
    readies: tuple[Span, ...] = ()
    """The times to get ready before a hold (silence, counted down on a screen)."""

    @property
    def duration_s(self) -> float:
        """Seconds from start to end."""
        return self.end_s - self.start_s

    def segments(self) -> list[Segment]:
        """Speech and the silences between it, covering `start_s` to `end_s` without gaps."""
        spans = ((u.start_s, u.end_s, u.text) for u in self.utterances)
        return segments_of(spans, self.start_s, self.end_s)

    def shifted(self, seconds: float) -> Timeline:
        """The same timeline, `seconds` later (to chain prompts into a whole session)."""
        return Timeline(
            utterances=tuple(replace(u, start_s=u.start_s + seconds) for u in self.utterances),
            holds=tuple(
                replace(h, start_s=h.start_s + seconds, end_s=h.end_s + seconds) for h in self.holds
            ),
            pauses=tuple(Span(p.start_s + seconds, p.end_s + seconds) for p in self.pauses),
            start_s=self.start_s + seconds,
            end_s=self.end_s + seconds,
            rests=tuple(Span(r.start_s + seconds, r.end_s + seconds) for r in self.rests),
            readies=tuple(Span(r.start_s + seconds, r.end_s + seconds) for r in self.readies),
        )


_CUE_SPEECH = {
    CueKind.CHECKPOINT: SpeechKind.CHECKPOINT,
    CueKind.COUNT: SpeechKind.COUNT,
    CueKind.REMINDER: SpeechKind.REMINDER,
}


def schedule(
    prompt: Prompt,
    measure: Measure,
    *,
    start_s: float = 0.0,
    reminders: bool = True,
    thin: int = 1,
    variant: int = 0,
) -> Timeline:
    """Lay `prompt` out in time from `start_s`: each `Say` starts when the part before it ends,
    a `Pause` and a `GetReady` are silence, and a `Hold` spans exactly its seconds, filled by
    `plan_hold`.
    The options are passed to `plan_hold` for every hold."""
    utterances: list[Utterance] = []
    holds: list[HoldSpan] = []
    pauses: list[Span] = []
    rests: list[Span] = []
    readies: list[Span] = []
    now = start_s
    for part in prompt.parts:
        if isinstance(part, Say):
            utterance = Utterance(now, part.text, _measured(measure, part.text))
            utterances.append(utterance)
            now = utterance.end_s
        elif isinstance(part, Pause):
            pauses.append(Span(now, now + part.seconds))
            if part.rest:
                rests.append(pauses[-1])
            now += part.seconds
        elif isinstance(part, GetReady):
            readies.append(Span(now, now + part.seconds))
            now += part.seconds
        elif isinstance(part, Hold):
            cues = plan_hold(part, measure, reminders=reminders, thin=thin, variant=variant)
            for cue in cues:
                utterances.append(
                    Utterance(now + cue.at_s, cue.text, cue.duration_s, _CUE_SPEECH[cue.kind])
                )
            holds.append(HoldSpan(now, now + part.seconds, part, tuple(cues)))
            now += part.seconds
    return Timeline(
        tuple(utterances),
        tuple(holds),
        tuple(pauses),
        start_s,
        now,
        rests=tuple(rests),
        readies=tuple(readies),
    )
