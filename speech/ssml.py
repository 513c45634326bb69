"""SSML for Alexa, and a timed transcript, from a prompt.

Alexa speaks for us, so no audio exists on our side: the countdown is planned with an
estimate of how long each phrase takes (`speech.estimate`, a words-per-minute model) and the
silences between phrases become `<break>` tags. Positions are tracked on absolute
milliseconds from the start of the response, so rounding never accumulates.

Alexa's limits, and what this module does about them:

- A `<break>` lasts at most 10 s (the SSML reference: `time` up to "10s" / "10000ms"):
  longer silences are chained breaks.
- `outputSpeech` is at most 8,000 characters (the custom-skill JSON interface reference):
  if a prompt would be longer, the countdown is made sparser (reminders first, then every
  other checkpoint, and so on down to "ten seconds" and the final count); if even that is too
  long, `SsmlError`.
- Audio in one response is capped at 240 s (documented for `<audio>` clips; a response made
  of speech and breaks is not documented either way, so we keep the whole response within
  the same cap to be safe). A hold that would take the response past it (a 15-minute heat
  pack, a five-minute breathing exercise) is not counted: the coach says how long it is and
  asks the user to set a timer, gives the release as an instruction for when it ends, and
  asks them to say next. What follows the hold in the prompt is dropped, because it belongs
  after the user's timer. The user's timer is theirs to start; the skill's session may close
  while they wait, and on their return the launch offers to continue. `long_hold` names that
  hold, so that the Alexa skill can set an Alexa timer for it instead, with the user's
  permission (`skill.core.timers`, `skill.alexa.timers`).
"""

from __future__ import annotations

import math
from functools import lru_cache

from speech.estimate import estimate_seconds
from speech.pacing import Measure, PacingError, SpeechKind, Timeline, schedule
from speech.phrases import duration_words, say
from speech.prompt import GetReady, Hold, Part, Pause, Prompt, Say

#: Alexa's longest single `<break>`.
MAX_BREAK_MS = 10_000
#: Alexa's longest `outputSpeech`, in characters.
MAX_SSML_CHARS = 8_000
#: The longest response, in seconds, that we let Alexa speak (see the module docstring).
MAX_RESPONSE_S = 240.0

#: Countdown densities tried in turn when a prompt is over `MAX_SSML_CHARS`:
#: (reminders, thin) as passed to `speech.pacing.plan_hold`.
_DENSITIES: tuple[tuple[bool, int], ...] = (
    (True, 1),
    (False, 1),
    (False, 2),
    (False, 3),
    (False, 4),
    (False, 1_000_000),
)

# str.translate rather than xml.sax.saxutils.escape, whose import (urllib, http.client, email)
# was about a sixth of a Lambda cold start's own import time.
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})


class SsmlError(ValueError):
    """A prompt cannot be said within Alexa's limits, however sparse its countdown."""


def xml_text(text: str) -> str:
    """`text` escaped for an XML text node (& < > " ')."""
    return text.translate(_XML_ESCAPES)


def breaks(milliseconds: int) -> str:
    """Silence of `milliseconds` as `<break>` tags of at most `MAX_BREAK_MS` each."""
    tags = []
    left = milliseconds
    while left > 0:
        chunk = min(left, MAX_BREAK_MS)
        tags.append(f'<break time="{chunk}ms"/>')
        left -= chunk
    return "".join(tags)


def untimed(prompt: Prompt, hold: Hold, key: str = "pacing.untimed", **values: object) -> Prompt:
    """`prompt` with `hold` replaced by the phrase `key` ("set a timer for ...", filled with
    the hold's `time` and `release` and `values`) and what follows it dropped (and the time to
    get ready before it: a timer, the user's or Alexa's, starts when it is set)."""
    parts: list[Part] = []
    for part in prompt.parts:
        if part is hold:
            parts = [kept for kept in parts if not isinstance(kept, GetReady)]
            time = duration_words(hold.seconds)
            parts.append(Say(say(key, 0, time=time, release=hold.release, **values)))
            break
        parts.append(part)
    return Prompt(tuple(parts), prompt.reprompt, prompt.end_session, dict(prompt.display))


def _seconds(prompt: Prompt, measure: Measure) -> float:
    """`schedule(prompt, measure).duration_s`, added up the same way, without planning what
    is said inside the holds: that never changes how long a hold lasts, and is most of the
    work of a schedule."""
    now = 0.0
    for part in prompt.parts:
        if isinstance(part, Say):
            seconds = measure(part.text)
            if not (math.isfinite(seconds) and seconds >= 0):
                raise PacingError(f"measure gave {seconds!r} seconds for {part.text!r}")
            now += float(seconds)
        elif isinstance(part, Pause | Hold | GetReady):
            now += part.seconds
    return now


def fit_duration(prompt: Prompt, measure: Measure, max_seconds: float = MAX_RESPONSE_S) -> Prompt:
    """`prompt`, with its holds made untimed, first one first, until it lasts at most
    `max_seconds` (a prompt with no hold left is returned as it is, however long)."""
    while prompt.holds and _seconds(prompt, measure) > max_seconds:
        prompt = untimed(prompt, prompt.holds[0])
    return prompt


def long_hold(
    prompt: Prompt, measure: Measure = estimate_seconds, max_seconds: float = MAX_RESPONSE_S
) -> Hold | None:
    """The first hold that `fit_duration` makes untimed in `prompt` (a hold too long for one
    response), or None: the fact a front-end with timers reads to count that hold itself."""
    # The cache answers for equal parts; the hold returned must be this prompt's own
    # (`untimed` finds it by identity).
    return prompt.holds[0] if _first_hold_is_long(prompt.parts, measure, max_seconds) else None


@lru_cache(maxsize=1024)
def _first_hold_is_long(parts: tuple[Part, ...], measure: Measure, max_seconds: float) -> bool:
    # `untimed` drops what follows the hold, so only ever the first hold is made untimed.
    prompt = Prompt(parts=parts)
    return len(fit_duration(prompt, measure, max_seconds).holds) < len(prompt.holds)


def render(timeline: Timeline) -> str:
    """The SSML for a timeline: its words, escaped, with breaks for the silences between."""
    body: list[str] = []
    cursor = round(timeline.start_s * 1000)
    for utterance in timeline.utterances:
        start = round(utterance.start_s * 1000)
        if start > cursor:
            body.append(breaks(start - cursor))
        elif body and not body[-1].endswith("/>"):
            body.append(" ")
        body.append(xml_text(utterance.text))
        cursor = max(cursor, start) + round(utterance.duration_s * 1000)
    end = round(timeline.end_s * 1000)
    if end > cursor:
        body.append(breaks(end - cursor))
    return f"<speak>{''.join(body)}</speak>"


def to_ssml(
    prompt: Prompt,
    measure: Measure = estimate_seconds,
    *,
    max_chars: int = MAX_SSML_CHARS,
    max_seconds: float = MAX_RESPONSE_S,
    variant: int = 0,
) -> str:
    """The prompt as Alexa SSML: `<speak>` with escaped text and `<break>`s of at most 10 s,
    within `max_seconds` of speech (long holds become untimed) and `max_chars` characters
    (the countdown made sparser if needed). `measure` estimates how long a phrase takes."""
    # Everyone on the same step of the same routine hears the same parts, and the SSML of
    # the parts is pure: make it once (this is a third of an Alexa request's time).
    return _ssml_of_parts(prompt.parts, measure, max_chars, max_seconds, variant)


@lru_cache(maxsize=1024)
def _ssml_of_parts(
    parts: tuple[Part, ...], measure: Measure, max_chars: int, max_seconds: float, variant: int
) -> str:
    fitted = fit_duration(Prompt(parts=parts), measure, max_seconds)
    for reminders, thin in _DENSITIES:
        timeline = schedule(fitted, measure, reminders=reminders, thin=thin, variant=variant)
        ssml = render(timeline)
        if len(ssml) <= max_chars:
            return ssml
        if not fitted.holds:
            break
    raise SsmlError(f"the prompt needs {len(ssml)} characters of SSML, over {max_chars}")


def reprompt_ssml(prompt: Prompt) -> str | None:
    """The prompt's reprompt as SSML, or None when it has none."""
    if prompt.reprompt is None:
        return None
    return f"<speak>{xml_text(prompt.reprompt)}</speak>"


def clock(seconds: float) -> str:
    """ "mm:ss.d" (minutes run past 59 rather than adding hours)."""
    tenths = round(seconds * 10)
    minutes, rest = divmod(tenths, 600)
    return f"{minutes:02d}:{rest // 10:02d}.{rest % 10}"


def to_text_with_times(
    prompt: Prompt,
    measure: Measure = estimate_seconds,
    *,
    start_s: float = 0.0,
    variant: int = 0,
) -> str:
    """The prompt as a transcript, one line per phrase, pause and hold, each with the time
    it starts ("00:12.3  hold for thirty seconds"); cues inside a hold are indented."""
    timeline = schedule(prompt, measure, start_s=start_s, variant=variant)
    lines: list[tuple[float, int, str]] = []
    for order, utterance in enumerate(timeline.utterances):
        indent = "" if utterance.kind is SpeechKind.SAY else "  "
        lines.append((utterance.start_s, order, f"{indent}{utterance.text}"))
    for pause in timeline.pauses:
        seconds = pause.end_s - pause.start_s
        lines.append((pause.start_s, -1, f"[pause {seconds:g} s]"))
    for span in timeline.holds:
        lines.append((span.start_s, -1, f"[hold {span.hold.seconds} s]"))
    for ready in timeline.readies:
        lines.append((ready.start_s, -1, f"[get ready {ready.end_s - ready.start_s:g} s]"))
    lines.sort(key=lambda line: (line[0], line[1]))
    return "\n".join(f"{clock(at)}  {text}" for at, _, text in lines)
