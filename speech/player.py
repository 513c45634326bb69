"""The real-time player: a prompt's speech and holds, executed on absolute deadlines.

`Player.play(prompt)` synthesizes every phrase of the prompt first, so that the length of each
utterance is known from its audio, lays the prompt out with `speech.pacing.schedule` using
those lengths, and then executes the plan against a `speech.clock.Clock`: each action waits for
`start + offset`, never for "the end of the previous one", so a hold of N seconds lasts N
seconds from the end of its "begin" cue to the start of its release whatever the speech in
between takes, and nothing drifts over a 20-minute routine.

Audio goes to the sink from a separate output thread, so a device that blocks while it plays
never holds up the clock: screen events (hold ticks) stay on their seconds during speech, and
an interrupt (a command arrived) is noticed at once, the sink is told to stop, and `play`
returns within a few tens of milliseconds with a record of how far it got.

The same player renders whole sessions (`speech.render`): with a `FakeClock` every wait returns
at once, and a sink that implements `TimedSink` receives each utterance with its time on the
clock, so it can write the silences between them.

Phrase edges: espeak-ng pads every utterance with about 0.25 s of silence. The player trims
that padding (`trim=True`), so the end of a "begin" cue in the plan is the moment the voice
stops and a hold is exact as heard; two sentences said one after the other get `sentence_gap_s`
of explicit silence instead, which keeps the natural pause and keeps it visible in the plan.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Protocol, runtime_checkable

from speech.audio import Audio, AudioSink
from speech.clock import Clock
from speech.pacing import Segment, SpeechKind, Timeline, schedule, segments_of
from speech.prompt import Hold, Part, Pause, Prompt, Say
from speech.tts import TTSEngine

DEFAULT_SENTENCE_GAP_S = 0.25
"""Silence between two sentences said back to back (about what espeak-ng itself leaves)."""


@runtime_checkable
class TimedSink(Protocol):
    """A sink that wants to know when, on the player's clock, each piece of audio starts.

    A file renderer implements it to write the silence between utterances; a device does not
    need it (it plays what it gets, when it gets it).
    """

    def play_at(self, audio: Audio, at_s: float) -> None:
        """Consume `audio`, which starts at clock time `at_s`."""
        ...


# -- what a live screen hears about ---------------------------------------------------------


@dataclass(frozen=True)
class SayStarted:
    """The player started saying `text`."""

    text: str
    kind: SpeechKind
    """A prompt's own words (`SAY`) or a cue inside a hold (checkpoint, count, reminder)."""
    at_s: float
    """Clock time the words started."""
    duration_s: float
    """How long the words last."""


@dataclass(frozen=True)
class HoldStarted:
    """A hold began: the "begin" cue has just ended."""

    hold: Hold
    seconds: int
    """The hold's planned length."""
    at_s: float
    """Clock time the hold started."""
    deadline_s: float
    """Clock time the release is due."""


@dataclass(frozen=True)
class HoldTick:
    """Another whole second of a hold has passed (for a countdown on a screen)."""

    hold: Hold
    elapsed_s: int
    remaining_s: int
    at_s: float
    """Clock time of the tick."""


@dataclass(frozen=True)
class HoldEnded:
    """A hold ended: on time (`completed`), or cut short by an interrupt."""

    hold: Hold
    completed: bool
    done_s: float
    """Seconds of the hold done."""
    at_s: float
    """Clock time the hold ended."""


@dataclass(frozen=True)
class RestStarted:
    """A rest between passes began."""

    seconds: float
    at_s: float
    """Clock time the rest started."""


@dataclass(frozen=True)
class RestEnded:
    """A rest ended: on time (`completed`), or cut short by an interrupt."""

    completed: bool
    at_s: float


@dataclass(frozen=True)
class GetReadyStarted:
    """The time to get into position before a hold began (silence, for a screen to count)."""

    seconds: int
    at_s: float
    """Clock time it began."""


PlayEvent = (
    SayStarted | HoldStarted | HoldTick | HoldEnded | RestStarted | RestEnded | GetReadyStarted
)
"""Everything `Player.play` reports to its `on_event` callback."""

EventCallback = Callable[[PlayEvent], None]


# -- what actually happened -----------------------------------------------------------------


@dataclass(frozen=True)
class PlayedSpeech:
    """Words as they were played."""

    text: str
    kind: SpeechKind
    start_s: float
    """Clock time the audio was handed to the sink."""
    end_s: float
    """Clock time the words ended (earlier than planned if an interrupt cut them short)."""
    planned_start_s: float
    """Clock time the plan gave for the start."""
    completed: bool = True


@dataclass(frozen=True)
class PlayedHold:
    """A hold as it happened."""

    hold: Hold
    planned_s: int
    start_s: float
    """Clock time the hold started (the end of the "begin" cue)."""
    end_s: float
    """Clock time the hold ended (the release started, or the interrupt came)."""
    completed: bool

    @property
    def done_s(self) -> float:
        """Seconds of the hold done."""
        return self.end_s - self.start_s

    @property
    def error_s(self) -> float:
        """Measured length minus planned length (meaningful for a completed hold)."""
        return self.done_s - self.planned_s


@dataclass(frozen=True)
class PlayResult:
    """What `Player.play` did: the plan, and what was actually played when."""

    planned: Timeline
    """The plan, on the clock's time axis."""
    started_s: float
    """Clock time of the start of the prompt."""
    ended_s: float
    """Clock time `play` stopped: the end of the plan, or the interrupt."""
    speech: tuple[PlayedSpeech, ...]
    """Every utterance started, in order."""
    holds: tuple[PlayedHold, ...]
    """Every hold started, in order."""
    completed: bool
    """False when an interrupt stopped the prompt."""

    @property
    def elapsed_s(self) -> float:
        """How far into the prompt the player got, in seconds."""
        return self.ended_s - self.started_s

    @property
    def interrupted_hold(self) -> PlayedHold | None:
        """The hold an interrupt cut short, if there was one."""
        if self.holds and not self.holds[-1].completed:
            return self.holds[-1]
        return None

    def segments(self) -> list[Segment]:
        """Speech and silence as played, covering `started_s` to `ended_s` without gaps."""
        spans = ((played.start_s, played.end_s, played.text) for played in self.speech)
        return segments_of(spans, self.started_s, self.ended_s)


# -- the player -----------------------------------------------------------------------------


class _Order(IntEnum):
    """Which action goes first when several fall on the same instant."""

    HOLD_END = 0
    REST_END = 1
    HOLD_START = 2
    REST_START = 3
    TICK = 4
    SPEECH = 5
    GET_READY = 6


@dataclass(order=True)
class _Action:
    offset_s: float
    order: _Order
    index: int
    """Utterance, hold or rest index in the timeline, or the tick's second."""
    hold: int = field(default=-1, compare=False)
    """The hold a tick belongs to."""


class Player:
    """Plays prompts with a TTS engine into a sink, paced by a clock."""

    _KEPT_PHRASES = 512

    def __init__(
        self,
        engine: TTSEngine,
        sink: AudioSink,
        clock: Clock,
        *,
        trim: bool = True,
        sentence_gap_s: float = DEFAULT_SENTENCE_GAP_S,
        ticks: bool = True,
    ) -> None:
        if sentence_gap_s < 0:
            raise ValueError(f"sentence_gap_s cannot be negative: {sentence_gap_s}")
        self.engine = engine
        self.sink = sink
        self.clock = clock
        self.trim = trim
        """Cut the silence a TTS engine leaves around each phrase (see the module docstring)."""
        self.sentence_gap_s = sentence_gap_s
        self.ticks = ticks
        """Report a `HoldTick` every second of a hold."""
        self._audio: dict[str, Audio] = {}

    def audio_for(self, text: str) -> Audio:
        """The audio the player plays for `text` (synthesized once, then kept)."""
        audio = self._audio.get(text)
        if audio is None:
            if len(self._audio) >= self._KEPT_PHRASES:
                # The engine keeps its own cache; this one only saves re-trimming.
                self._audio.clear()
            audio = self.engine.synthesize(text)
            if self.trim:
                trimmed = audio.trim_silence()
                # A text-only engine gives pure silence: keep its length, it is the estimate.
                if trimmed.frames:
                    audio = trimmed
            self._audio[text] = audio
        return audio

    def measure(self, text: str) -> float:
        """Seconds `text` lasts as played: the length of its synthesized audio."""
        return self.audio_for(text).duration_s

    def plan(self, prompt: Prompt, start_s: float = 0.0) -> Timeline:
        """The prompt laid out in time from `start_s`, with every phrase synthesized."""
        return schedule(self._with_gaps(prompt), self.measure, start_s=start_s)

    def play(
        self,
        prompt: Prompt,
        *,
        on_event: EventCallback | None = None,
        interrupt: threading.Event | None = None,
    ) -> PlayResult:
        """Say `prompt` in real time (real for the clock); return what was played when.

        Blocks until the prompt is over or `interrupt` is set; then the sink is stopped and the
        result tells how far the prompt got (`PlayResult.interrupted_hold.done_s` for a hold
        cut short). `on_event` is called on this thread, in order, and should return quickly.
        """
        plan = self.plan(prompt)
        start = self.clock.now()
        planned = plan.shifted(start)
        run = _Run(self, planned, on_event, interrupt)
        return run.execute(start)

    def _with_gaps(self, prompt: Prompt) -> Prompt:
        if not self.sentence_gap_s:
            return prompt
        parts: list[Part] = []
        for part in prompt.parts:
            if isinstance(part, Say) and parts and isinstance(parts[-1], Say):
                parts.append(Pause(self.sentence_gap_s))
            parts.append(part)
        return Prompt(tuple(parts), prompt.reprompt, prompt.end_session, dict(prompt.display))


class _Output:
    """The thread that hands audio to the sink, so a blocking device never holds up the clock."""

    _STOP_RETRY_S = 0.005

    def __init__(self, sink: AudioSink) -> None:
        self.sink = sink
        self._queue: queue.SimpleQueue[tuple[Audio, float] | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="player-output", daemon=True)
        self._thread.start()

    def submit(self, audio: Audio, at_s: float) -> None:
        """Queue `audio`, due at clock time `at_s`."""
        self._queue.put((audio, at_s))

    def cancel(self) -> None:
        """Drop what is queued and cut short what is playing."""
        self._cancelled.set()
        self.sink.stop()

    def raise_if_failed(self) -> None:
        """Re-raise a sink failure now, rather than at the end of the prompt."""
        if self._error is not None:
            raise self._error

    def finish(self) -> None:
        """Wait until everything queued was consumed; re-raise a sink failure."""
        self._queue.put(None)
        if self._cancelled.is_set():
            # A stop can land just before the sink's play() starts and be forgotten by it;
            # repeating it until the thread is done bounds the wait either way.
            while self._thread.is_alive():
                self.sink.stop()
                self._thread.join(self._STOP_RETRY_S)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _loop(self) -> None:
        timed = isinstance(self.sink, TimedSink)
        while (item := self._queue.get()) is not None:
            if self._cancelled.is_set() or self._error is not None:
                continue
            audio, at_s = item
            try:
                if timed:
                    self.sink.play_at(audio, at_s)  # type: ignore[attr-defined]
                else:
                    self.sink.play(audio)
            except BaseException as error:  # re-raised on the player's thread by finish()
                self._error = error


class _Run:
    """One `play` call: walks the actions of a plan on absolute deadlines."""

    def __init__(
        self,
        player: Player,
        planned: Timeline,
        on_event: EventCallback | None,
        interrupt: threading.Event | None,
    ) -> None:
        self.player = player
        self.clock = player.clock
        self.planned = planned
        self.on_event = on_event
        self.interrupt = interrupt
        self.speech: list[PlayedSpeech] = []
        self.holds: list[PlayedHold] = []
        self._hold_starts: dict[int, float] = {}
        self._holds_ended: set[int] = set()
        self._rest_under_way: int | None = None

    def actions(self) -> list[_Action]:
        """Everything to do, in time order, as offsets from the start of the plan."""
        origin = self.planned.start_s
        found = [
            _Action(u.start_s - origin, _Order.SPEECH, index)
            for index, u in enumerate(self.planned.utterances)
        ]
        for index, ready in enumerate(self.planned.readies):
            found.append(_Action(ready.start_s - origin, _Order.GET_READY, index))
        for index, span in enumerate(self.planned.holds):
            found.append(_Action(span.start_s - origin, _Order.HOLD_START, index))
            found.append(_Action(span.end_s - origin, _Order.HOLD_END, index))
            if self.player.ticks:
                for second in range(1, span.hold.seconds):
                    found.append(
                        _Action(span.start_s - origin + second, _Order.TICK, second, hold=index)
                    )
        for index, rest in enumerate(self.planned.rests):
            found.append(_Action(rest.start_s - origin, _Order.REST_START, index))
            found.append(_Action(rest.end_s - origin, _Order.REST_END, index))
        return sorted(found)

    def execute(self, start: float) -> PlayResult:
        output = _Output(self.player.sink)
        completed = False
        try:
            for action in self.actions():
                if not self.clock.sleep_until(start + action.offset_s, self.interrupt):
                    break
                output.raise_if_failed()
                self._do(action, output)
            else:
                # The last utterance may end after the last action started.
                completed = self.clock.sleep_until(self.planned.end_s, self.interrupt)
        finally:
            if not completed:
                output.cancel()
            output.finish()
        ended = self.clock.now()
        if not completed:
            self._cut_short(ended)
        return PlayResult(
            planned=self.planned,
            started_s=start,
            ended_s=ended,
            speech=tuple(self.speech),
            holds=tuple(self.holds),
            completed=completed,
        )

    def _do(self, action: _Action, output: _Output) -> None:
        now = self.clock.now()
        if action.order is _Order.SPEECH:
            utterance = self.planned.utterances[action.index]
            audio = self.player.audio_for(utterance.text)
            output.submit(audio, now)
            self.speech.append(
                PlayedSpeech(
                    utterance.text, utterance.kind, now, now + audio.duration_s, utterance.start_s
                )
            )
            self._emit(SayStarted(utterance.text, utterance.kind, now, audio.duration_s))
        elif action.order is _Order.HOLD_START:
            span = self.planned.holds[action.index]
            self._hold_starts[action.index] = now
            deadline = now + (span.end_s - span.start_s)
            self._emit(HoldStarted(span.hold, span.hold.seconds, now, deadline))
        elif action.order is _Order.REST_START:
            rest = self.planned.rests[action.index]
            self._rest_under_way = action.index
            self._emit(RestStarted(rest.end_s - rest.start_s, now))
        elif action.order is _Order.REST_END:
            self._rest_under_way = None
            self._emit(RestEnded(True, now))
        elif action.order is _Order.GET_READY:
            ready = self.planned.readies[action.index]
            self._emit(GetReadyStarted(round(ready.end_s - ready.start_s), now))
        elif action.order is _Order.HOLD_END:
            span = self.planned.holds[action.index]
            played = PlayedHold(
                span.hold, span.hold.seconds, self._hold_starts[action.index], now, True
            )
            self._holds_ended.add(action.index)
            self.holds.append(played)
            self._emit(HoldEnded(span.hold, True, played.done_s, now))
        else:
            span = self.planned.holds[action.hold]
            remaining = span.hold.seconds - action.index
            self._emit(HoldTick(span.hold, action.index, remaining, now))

    def _cut_short(self, now: float) -> None:
        """Record what the interrupt cut: the utterance still sounding, the hold or the rest
        under way."""
        if self._rest_under_way is not None:
            self._rest_under_way = None
            self._emit(RestEnded(False, now))
        if self.speech and self.speech[-1].end_s > now:
            last = self.speech[-1]
            self.speech[-1] = PlayedSpeech(
                last.text, last.kind, last.start_s, now, last.planned_start_s, completed=False
            )
        for index, start in self._hold_starts.items():
            span = self.planned.holds[index]
            if index not in self._holds_ended:
                played = PlayedHold(span.hold, span.hold.seconds, start, now, completed=False)
                self.holds.append(played)
                self._emit(HoldEnded(span.hold, False, played.done_s, now))

    def _emit(self, event: PlayEvent) -> None:
        if self.on_event is not None:
            self.on_event(event)
