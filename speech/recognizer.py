"""Offline recognition of spoken commands with pocketsphinx, from recordings or audio streams.

A `CommandRecognizer` is built from the coach's command phrases (phrase -> intent, or just
phrases). It decodes each utterance with pocketsphinx's English acoustic model against a
finite-state grammar of exactly those phrases, so it never hears words the coach cannot act on.

A grammar alone forces every sound onto its nearest phrase ("pass me the remote" becomes
"previous"), so each decoding is scored and rejected below a threshold:

- Senone scores are normalised by the best of *all* senones in every frame (``compallsen``),
  so the acoustic score of the grammar's path, per 10 ms frame, says how far the utterance is
  from the best any English sound could do there: an unconstrained baseline within one pass.
- Silence may only come before and after the phrase, never inside it, so the extra words of a
  longer sentence cannot hide in a pause: they must be explained by the phrase's own sounds or
  by the edge silences, and either drags the score down.
- The bar is lowered a little for every sound of the phrase: other speech forced onto a long
  phrase scores far worse than onto a short one, while a long command said well scores only a
  little worse than a short one (its many sound boundaries each cost a little).

Every word of the grammar with an "er" before a consonant or a pause is also known with a
plain neutral vowel there, as British, Australian and many other speakers say it ("longer" as
"long-guh"), because the acoustic model is American English.

Measured on generated recordings (`tests/benchmarks/bench_recognition.py`), this one score did
as well as a logistic model over five features (word-only score, stretched words, length...),
and clearly better than a phone loop ("garbage model") beside the phrases, a loop of frequent
words, keyword spotting, the lattice posterior, the margin to the second-best intent, or a
comparison with the general language model (which also takes ~400 ms per utterance).

Safety first: a go-on command ("next", "keep going") must be clearly heard to be obeyed.
The keyword search for the safety phrases (`Keywords`, a keyphrase search on a decoder of
its own) runs after a go-on winner or a rejection: a phrase it spots doubts the go-on command,
or turns a rejection into that safety phrase, doubted. A go-on winner it did not doubt is
doubted when it passed the rejection bar narrowly (`Doubt.clear`) or when a second pass
against the safety phrases alone comes close (`Doubt.margin`). Either way the coach asks "Did
you say it hurts?" and never goes on because of a keyword. Measured on `bench_voices`'
held-out recordings (thresholds fitted on tuning ones, `tests/benchmarks/bench_keywords.py`):
the keyword search changes nothing on single commands and costs 1-5 more questions per 90
other sentences; on a go-on command and a safety phrase said in one breath ("keep going it
hurts", which no grammar phrase fits; 36 per synthesiser) `Doubt.margin` alone took 2, 2, 2
and 0 (espeak-ng, flite 16 kHz, flite 8 kHz, festival) for a go-on command with no question,
with the keyword search 1, 2, 2 and 0. Per utterance, those that slipped through were forced
onto a go-on phrase ("continue it hurts" as "continue the routine") that passed the rejection
bar by only 0.1-6.6, with the safety phrases 3.4-13.8 behind per frame and no keyphrase within
167 of its threshold: the narrow pass is what they share, hence `Doubt.clear`.

Tried for decode time (the grammar pass alone on 744 held-out recordings, CPU on the shared
machine): frame downsampling (`ds` 2) saves 23-25 % and `topn` 2 (of 4) 18-24 %, `topn` 3
10-14 %, but each moves the scores the rejection was fitted on (at today's threshold `ds` 2
hears 19-57 % of commands, `topn` 2 62-87 %, `topn` 3 71-92 %, against 75-93 %); on 124 of them
a pass took 141 ms as shipped then, 113 with `ds` 2, 117 with `topn` 2, 97 with `topn` 1, 94
with both `ds` 2 and `topn` 2, 77 with `ds` 2 and `topn` 1, all still to be refitted for.
Narrower beams and `maxhmmpf` saved 0-8 %, and a profile (perf) says why: half of a pass is
the acoustic model scoring all senones (`compallsen`), a quarter is pocketsphinx walking every
state of the grammar for every phone twice a frame (`fsg_history_end_frame`), whatever the
beams (1e-10 cut the HMMs evaluated from 455 to 40 a frame and no CPU). Kept:

- a phrase's last word leads straight to the final state when nothing can follow it
  (`phrase_tree`): 664 states rather than 1,222 for the microphone's grammar, the very same
  decodings, 14 % less CPU a pass (127 to 109 ms, interleaved on 96 held-out recordings);
  merging every state with the same phrases below it (a minimal automaton, 365 states) saved
  22 % but changed some decodings (pocketsphinx's search is not exact across merged states):
  on `bench_voices` festival's false accepts went from 15.6 to 17.8 % and its commands from
  91.7 to 90.6 %, so it was not kept;
- the keyword search on a decoder of its own without `compallsen` (`_keyword_engine`): the
  same keyphrase scores to the last digit (64 held-out recordings), 59 rather than 87 ms a
  pass, for the model loaded twice (~27 MiB);
- the noise floor added once per utterance for all its passes, and the safety pass only for
  an accepted go-on command the keyword search did not already doubt.

Not kept: the keyword decoder with `ds` 2 and `topn` 2 (`bench_keywords`, its thresholds fitted
again on tuning recordings) halves what the search adds to a decode (15-19 ms of CPU mean
rather than 30-36), but on espeak-ng it rescued 14 rather than 17 of the 36 go-on commands said
with a safety phrase (the coach heard or asked about 17 rather than 20) and asked about 3
rather than 1 of 90 other sentences (flite 16 kHz: 28 rather than 27 heard or asked, 6 rather
than 5 questions); none was taken for go-on with no question either way.

The coach's decode is 143-153 ms CPU mean on `bench_voices` (182-202 before these), the
grammar's one pass alone 99-115 ms: under 100 ms needs less acoustic work (`Effort`: `ds`,
`topn`), and that was measured with every threshold refitted for it (`bench_effort`: each
recording's three passes decoded once per effort, the coach's decisions replayed for every
threshold tried; the rejection refitted for the best tuning accuracy at the shipped false-accept
rate on tuning recordings, `Doubt` for the fewest questions at the shipped number of safety
phrases taken for go-on, the keyphrase thresholds by `bench_keywords`' rule; measured on
`bench_voices`' held-out recordings; espeak-ng / flite 16 kHz / flite 8 kHz / festival, CPU
mean of the replayed coach on a loaded machine, where the shipped effort read 143-157 ms):

- `topn` 1 on both decoders: 97.9 / 98.2 / 99.9 / 96.9 ms, the only set under 100 with no
  `ds`, but the grammar itself hears less (its best phrase right 74 / 76 / 74 / 82 % rather
  than 80 / 83 / 78 / 92): 66.7 / 76.0 / 74.0 / 82.3 % of commands right (with the bars per
  intent below; today's 76.0 / 83.3 / 78.1 / 91.7), 5.6 / 25.6 / 13.3 / 11.1 % false accepts,
  and 12 / 24 / 12 / 22 of 36 go-on-plus-safety utterances heard or asked (19 / 27 / 17 / 24);
- `ds` 2 with `topn` 2 on both: 88-96 ms, 53.1 / 65.6 / 58.3 / 75.0 % right (the grammar alone
  72 / 66 / 65 / 76 %);
- `topn` 2 for the grammar, 1 for the keywords: 120-130 ms, 66.7 / 75.0 / 78.1 / 86.5 %;
- no safety phrase taken for go-on in any of them (0 of 36 per synthesiser).

A 50 ms saving, after an endpointer that already decides ~300 ms late, is not worth 4-9 points
of commands and 2-7 of 36 go-on-plus-safety utterances no longer heard or asked about, so the
effort stays as shipped (`Effort()`) and the decode target is not met with pocketsphinx on this
machine. The refitted values for each effort are what `bench_effort --effort DS,TOPN
--keyword-effort DS,TOPN --raised` prints.

For accuracy and false accepts (same replay, same split): the rejection refitted on all four
synthesisers' tuning recordings (it had been fitted on espeak-ng's alone, with the 40 test
commands' grammar) keeps every synthesiser's commands and moves false accepts by +1.1 to -4.5
points; a bar per intent on top of it (`Rejection.raised`: one intent at a time, the most
tuning commands right less false accepts, no more false accepts than without, three rounds)
lets far fewer everyday sentences through as "yes", "repeat", "show my progress"...: held out,
75.0 / 83.3 / 78.1 / 91.7 % right and 3.3 / 21.1 / 6.7 / 8.9 % false accepts against
76.0 / 83.3 / 78.1 / 91.7 and 7.8 / 27.8 / 14.4 / 15.6, no safety phrase taken for go-on, 19 / 27
/ 17 / 24 of 36 go-on-plus-safety utterances heard or asked (20 / 27 / 18 / 24), so the coach
uses it (`skill/local/rejection.json`). Safety, go-on and halting intents keep the common bar:
raised for every intent, go-on commands narrowly heard were dropped rather than asked about
(15 rather than 17 of 36 heard or asked on flite 8 kHz) and "stop" needed a clearer match.
`Doubt` refitted for it asked fewer go-on questions but let one go-on-plus-safety utterance
through on flite 16 kHz, so `Doubt` is as it was.

A smaller grammar while a routine is under way (`tests/benchmarks/bench_grammar.py`: only the
458 of 675 phrases whose intent a hold or a rest acts on, the same thresholds, `bench_voices`'
held-out recordings) hears the 30 test commands in that set a little better, 73.3 / 85.6 / 84.4
/ 94.4 % right against the full grammar's 73.3 / 83.3 / 76.7 / 91.1 (espeak-ng / flite 16 kHz /
flite 8 kHz / festival), but lets more everyday sentences through, 3.3 / 21.1 / 10.0 / 11.1 %
against 3.3 / 21.1 / 6.7 / 8.9, and accepts 4-6 of the 6 recordings of commands outside the set
("yes", "no") as some routine command; no safety phrase was taken for go-on by either. The gain
(3 points or more on two synthesisers) comes with more false accepts on those two, so the
microphone keeps one grammar; its rejection was not refitted for the smaller one.

`listen` recognises a stream of 16 kHz audio blocks, cut into utterances by pocketsphinx's
voice-activity endpointer; `speech.microphone.MicrophoneListener` feeds it from the default
input device on a background thread, muted while the coach speaks. Nothing here opens a device.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import math
import re
import tempfile
import threading
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from speech.audio import Audio

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
"""The rate the acoustic model was trained on; `bytes` input must be at this rate."""

_NOISE_FLOOR = 16.0
"""Least standard deviation (in int16 steps) of the noise floor added before decoding."""

_FLOOR_BELOW_SPEECH_DB = 35.0
"""The added noise floor is at least this far below the speech's own level.

Exact digital silence, common in synthesized or edited files, leaves the decoder's noise
estimate at zero, and very clean speech scores unlike the noisy speech the threshold was fitted
on: clean recordings lost up to 40% of their accuracy. Raising every input's floor to 35 dB
below its speech brings clean files in line and leaves noisy audio (a real room) as it is.
"""

_MIN_LEVEL = 100.0
"""Audio whose loudest 30 ms stays below this RMS (-50 dB full scale) holds no command."""

_PAD_S = 0.25
"""Audio kept before the first and after the last voiced frame when a file is trimmed."""

_PRE_ROLL_S = 0.6
"""Audio kept from before the endpointer noticed speech (it notices ~0.3 s late)."""

_MAX_UTTERANCE_S = 8.0
"""Longer stretches of speech are not commands: they are dropped without decoding."""

_MIN_UTTERANCE_S = 0.15
"""Shorter sounds (clicks, a cough's edge) are not decoded either."""

_LOG_BASE = math.log(1.0001)
"""pocketsphinx's log base: scores are reported as integers in base 1.0001."""

_WORD = re.compile(r"[a-z0-9']+")


# -- errors -----------------------------------------------------------------------------------


class RecognizerError(Exception):
    """Root of the errors raised by this module."""


class GrammarError(RecognizerError):
    """No phrase could be turned into a grammar (all empty or with unknown words)."""


# -- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recognition:
    """A command heard in an utterance."""

    text: str
    """The phrase, as it was given to the recognizer."""
    intent: str | None
    """The intent the phrase was given with; None when only phrases were given."""
    confidence: float
    """0..1: how clearly the utterance passed the rejection checks (0.5 is the threshold)."""
    score: float
    """Mean acoustic score per 10 ms frame of the utterance against the best any sound could
    do in that frame (0 is a perfect match; clear commands score about -20 to -45)."""
    phones: int
    """How many sounds (phones) the phrase has: the rejection allows more for longer ones."""
    duration_s: float
    """Length of the utterance that was decoded."""
    doubt: str | None = None
    """A safety phrase (as given) that came close behind this go-on command (see `Doubt`), or
    that the keyword search spotted in it (see `Keywords`): the front-end should ask before
    going on. Equal to `text` for a safety phrase spotted in speech the grammar rejected: the
    front-end should ask before acting."""


@dataclass(frozen=True)
class Decoding:
    """Everything one decoding found, accepted or not (for tuning and benchmarks)."""

    phrase: str | None
    """The grammar's best phrase (normalised), or None when no phrase fits the audio at all."""
    score: float
    """Mean acoustic score per frame over the whole utterance (see `Recognition.score`)."""
    word_score: float
    """The same over the phrase's words only, edge silences left out."""
    frames: int
    """Frames decoded (10 ms each)."""
    phones: int
    """Phones in the phrase's dictionary pronunciation (0 when there is no phrase)."""
    confidence: float
    """0..1, at least 0.5 exactly when the score passed the rejection threshold."""
    doubt: str | None = None
    """The safety phrase (normalised) that scored within `Doubt.margin` of this go-on phrase,
    or that the keyword search spotted in it (see `Keywords`)."""
    spotted: str | None = None
    """The safety keyphrase (normalised) the keyword search found past its threshold, if it
    ran (see `Keywords`)."""
    spotted_margin: float = -math.inf
    """How far the spotted keyphrase's score passed its threshold."""

    @property
    def accepted(self) -> bool:
        """Whether the phrase passed the rejection check."""
        return self.phrase is not None and self.confidence >= 0.5


@dataclass(frozen=True)
class Rejection:
    """When a decoding is believed: `Decoding.score` plus `per_phone` for each phone of the
    phrase must reach `min_score`.

    The defaults are the ones with the best accuracy at no more than 5% false accepts on the
    benchmark's tuning recordings (`bench_recognition --fit`), for the default `Effort`. The
    microphone's coach uses its own, fitted on all four synthesisers' tuning recordings against
    its grammar, with a bar per intent (`skill.local.run.voice_rejection`). Lower `min_score`
    to hear more commands and more mistakes.
    """

    min_score: float = -38.0
    """Lowest acceptable score, once the phrase's length is allowed for."""
    per_phone: float = 0.6
    """Score allowed per phone of the phrase: the 4-phone "stop" must score -40.4 or more, the
    22-phone "hold for forty five seconds" -51.2."""
    enabled: bool = True
    """False accepts the grammar's best phrase whatever it sounds like (a baseline)."""
    raised: Mapping[str, float] = field(default_factory=dict)
    """Intent -> how much more (negative: less) its phrases must score than `min_score`.

    Other speech is forced onto some intents' phrases far more often than onto others' ("yes",
    "stop", "never mind" catch many an everyday sentence): a bar of their own lets fewer of
    those through for the same commands heard. Never raised for a safety intent."""

    def margin(self, score: float, phones: int, intent: str | None = None) -> float:
        """How far `score` passes the threshold for a phrase of `phones` phones of `intent`
        (negative: rejected); infinite when rejection is disabled."""
        if not self.enabled:
            return math.inf
        raised = self.raised.get(intent, 0.0) if intent is not None else 0.0
        return score + self.per_phone * phones - self.min_score - raised

    def confidence(self, score: float, phones: int, intent: str | None = None) -> float:
        """0..1 from the margin to the threshold (0.5 on it; 0.88 at 10 above it)."""
        if not self.enabled:
            return 1.0
        margin = self.margin(score, phones, intent) / 5.0
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, margin))))


@dataclass(frozen=True)
class Doubt:
    """Errs on the side of the user's body: a go-on command must be clearly heard to be obeyed.

    A go-on command ("next", "keep going") the grammar accepts is doubted, and the front-end
    asks ("Did you say it hurts?") instead of going on, when either:

    - it passed the rejection threshold by less than `clear` (heard narrowly: "continue it
      hurts" forced onto "continue" scores just past the bar), or
    - a second pass against the safety phrases alone puts the best of them within `margin`
      of it ("ouch" heard as "i'm fine").

    `Decoding.doubt` names the nearest safety phrase (from that second pass), or the command
    itself when the grammar has no safety phrase ("Did you say next?"). The second pass costs
    as much as the first, only for accepted go-on commands.
    """

    go_on: frozenset[str]
    """Intents that carry on with the routine."""
    safety: frozenset[str]
    """Intents that report pain or a symptom."""
    margin: float | None = 3.0
    """Score difference per frame (see `Decoding.score`) within which a safety phrase is doubt;
    None: no second pass unless the command was heard narrowly.

    Chosen on tuning recordings (espeak-ng and flite voices, other draws than the benchmarks'),
    against the microphone's grammar: safety phrases the grammar took for a go-on command
    trailed it by 1.9 and 2.8 (one by 7.8, out of reach); real go-on commands led the best
    safety phrase by less than 3.0 in 5 of 63. Without it (`clear` alone), one more of the 11
    tuning safety phrases heard as go-on slipped through ("ouch" as "i'm fine", clearly
    heard, 0.9 behind), for 2 fewer questions on 101 tuning go-on commands."""
    clear: float = 8.5
    """Least `Rejection.margin` at which a go-on command is obeyed without a question.

    Fitted on tuning recordings only, against the grammar of 555 phrases the microphone had
    then (`bench_voices`' tuning draws of its commands, 8 other go-on commands, and a go-on
    command and a safety phrase said in one breath, "skip this hurts", none of them measured
    on): of the 11 safety phrases there heard as a go-on command, neither `margin` nor the
    keyword search doubted 4, three with margins 0.9, 6.6 and 8.0 (and "it burns" heard as
    "keep going" at 11.1, out of reach); 8.5 doubts the three, for 17 questions on 101 tuning
    go-on commands (espeak-ng 8 of 26, flite 16 kHz 3 of 23, 8 kHz 4 of 25, festival 2 of 27)
    where `margin` alone asked 6."""


@dataclass(frozen=True)
class Keywords:
    """A keyword search for safety phrases, run on the same audio beside the grammar.

    pocketsphinx's keyphrase search scores each keyphrase against a loop of all phones at
    every point of the utterance, so it finds "it hurts" inside speech the grammar cannot
    place ("keep going it hurts"). Its use is one-sided: a keyphrase spotted never makes the
    coach go on. When the grammar's winner is a go-on command (`go_on`) and a keyphrase is
    spotted, the decoding carries it as `Decoding.doubt` (the coach asks "Did you say it
    hurts?"); when the grammar rejects the utterance and a keyphrase is spotted, the
    utterance is heard as that safety phrase, with the low confidence of the rejection and
    itself as the doubt, so the coach asks before acting. The search is a second pass over
    the audio (on the keyword decoder), so it runs only where its answer changes something:
    after a go-on winner or a rejection.
    """

    phrases: Mapping[str, float]
    """Keyphrase (one of the recognizer's phrases, as given) -> threshold: the least score,
    in pocketsphinx's log units against the phone loop, at which it counts as spotted."""
    go_on: frozenset[str]
    """Intents that carry on with the routine."""


_KWS_FLOOR = "1e-100"
"""The threshold given to pocketsphinx: low enough that every keyphrase reports its best
score, so that `Keywords.phrases` decides (and tuning sees every score)."""

# -- the shared decoder -----------------------------------------------------------------------


@dataclass
class _Engine:
    """One pocketsphinx decoder (model and dictionary loaded once) shared by all recognizers."""

    decoder: Any
    lock: threading.Lock = field(default_factory=threading.Lock)
    names: Iterator[int] = field(default_factory=itertools.count)
    active: str | None = None
    """The search in use (pocketsphinx crashes when asked while none is active)."""
    retired: list[str] = field(default_factory=list)
    """Searches of recognizers that are gone, removed the next time the lock is held."""

    def sweep(self) -> None:
        """Drop retired searches but the active one (call with the lock held)."""
        kept = []
        while self.retired:
            name = self.retired.pop()
            if name == self.active:
                kept.append(name)
                continue
            with contextlib.suppress(KeyError, RuntimeError):
                self.decoder.remove_search(name)
        self.retired.extend(kept)


@dataclass(frozen=True)
class Effort:
    """How much acoustic work a decoder does per utterance (pocketsphinx's ``ds`` and ``topn``).

    Half of a grammar pass is the acoustic model scoring every senone in every frame: scoring
    every other frame (`frame_step` 2) or fewer Gaussians of each codebook (`gaussians`) cuts
    that work, and moves every score the thresholds were fitted on (`Rejection`, `Doubt`,
    `Keywords`): those thresholds belong to one effort.
    """

    frame_step: int = 1
    """Acoustic scores computed every this many frames (``ds``), kept in between."""
    gaussians: int = 4
    """Gaussians of each codebook scored per frame (``topn``; the model has 4... 256)."""


@functools.cache
def _engine(effort: Effort) -> _Engine:
    """The process's decoder for grammars at `effort`: loading the model takes ~0.1 s, so it
    is done once."""
    import pocketsphinx

    decoder = pocketsphinx.Decoder(
        lm=None,
        loglevel="FATAL",
        # On a grammar, the lattice pass returns paths that stop short of the final state.
        bestpath=False,
        # Normalise by the best of all senones each frame: the score becomes a confidence.
        compallsen=True,
        # Silence goes only where the grammar puts it (before and after the phrase).
        fsgusefiller=False,
        ds=effort.frame_step,
        topn=effort.gaussians,
    )
    return _Engine(decoder)


@functools.cache
def _keyword_engine(effort: Effort) -> _Engine:
    """The process's decoder for keyword searches at `effort`, loaded once, the first time
    one is made.

    Apart from the grammars' decoder because a keyphrase's score is taken against the phone
    loop's in the same frames, so the senone normalisation cancels out and `compallsen` buys
    nothing: without it the same audio gives exactly the same keyphrase scores for about a
    third less CPU (the acoustic model's scores only for the senones the search has active).
    The price is the model loaded twice, about 27 MiB more.
    """
    import pocketsphinx

    return _Engine(
        pocketsphinx.Decoder(
            lm=None,
            loglevel="FATAL",
            compallsen=False,
            ds=effort.frame_step,
            topn=effort.gaussians,
        )
    )


def normalize(phrase: str) -> str:
    """A phrase as the grammar holds it: lower-case words and numbers, apostrophes kept."""
    return " ".join(_WORD.findall(phrase.lower().replace("\u2019", "'")))


# -- the recognizer ---------------------------------------------------------------------------


class CommandRecognizer:
    """Recognises one of a fixed set of command phrases in an utterance, or rejects it.

    Phrases with words missing from the pronouncing dictionary are skipped (logged, and listed
    in `skipped`); a `GrammarError` says when none is left. Decoding is serialised on one
    shared decoder, so recognizers may be used from several threads.
    """

    def __init__(
        self,
        phrases: Mapping[str, str] | Iterable[str],
        *,
        rejection: Rejection | None = None,
        doubt: Doubt | None = None,
        keywords: Keywords | None = None,
        effort: Effort | None = None,
        keyword_effort: Effort | None = None,
    ) -> None:
        self.rejection = rejection if rejection is not None else Rejection()
        self.effort = effort if effort is not None else Effort()
        """The grammar decoder's acoustic work (the thresholds are fitted for one)."""
        self.keyword_effort = keyword_effort if keyword_effort is not None else Effort()
        """The keyword decoder's acoustic work (`Keywords.phrases` are fitted for one)."""
        given: Mapping[str, str | None] = (
            dict(phrases) if isinstance(phrases, Mapping) else dict.fromkeys(phrases)
        )
        self.doubt = doubt
        """How go-on commands are checked against safety phrases; None: not at all."""
        safety = {text: i for text, i in given.items() if doubt and i in doubt.safety}
        self._safety = (
            CommandRecognizer(safety, rejection=self.rejection, effort=self.effort)
            if safety
            else None
        )
        self._engine = _engine(self.effort)
        decoder = self._engine.decoder
        self._phrases: dict[str, tuple[str, str | None]] = {}
        self._phones: dict[str, int] = {}
        skipped = []
        for text, intent in given.items():
            words = normalize(text).split()
            if not words:
                skipped.append(text)
                continue
            pronunciations = [decoder.lookup_word(word) for word in words]
            if any(p is None for p in pronunciations):
                unknown = [w for w, p in zip(words, pronunciations, strict=True) if p is None]
                logger.warning("skipping %r: not in the dictionary: %s", text, ", ".join(unknown))
                skipped.append(text)
                continue
            phrase = " ".join(words)
            if phrase not in self._phrases:
                self._phrases[phrase] = (text, intent)
                self._phones[phrase] = sum(len(p.split()) for p in pronunciations if p)
        self.skipped: tuple[str, ...] = tuple(skipped)
        """Phrases left out of the grammar (empty, or with words the dictionary lacks)."""
        if not self._phrases:
            raise GrammarError("no usable command phrase: " + (", ".join(skipped) or "none given"))
        with self._engine.lock:
            _add_non_rhotic(decoder, {w for phrase in self._phrases for w in phrase.split()})
            self._engine.sweep()
            self._search = f"commands{next(self._engine.names)}"
            decoder.add_fsg(self._search, _grammar(decoder, self._search, list(self._phrases)))
        self.keywords, self._keyphrases, self._kws = self._add_keywords(keywords)
        # Not a lock in a finalizer: it may run inside a decoding that holds it.
        weakref.finalize(self, self._engine.retired.append, self._search)
        if self._kws is not None:
            weakref.finalize(self, _keyword_engine(self.keyword_effort).retired.append, self._kws)

    def _add_keywords(
        self, keywords: Keywords | None
    ) -> tuple[Keywords | None, dict[str, float], str | None]:
        """The keyword search for `keywords`' phrases that are in the grammar, on the keyword
        decoder: the keywords, their thresholds by normalised phrase, its name."""
        if keywords is None:
            return None, {}, None
        thresholds = {normalize(text): value for text, value in keywords.phrases.items()}
        missing = [phrase for phrase in thresholds if phrase not in self._phrases]
        if missing:
            logger.warning("keyphrases not in the grammar, left out: %s", ", ".join(missing))
        thresholds = {k: v for k, v in thresholds.items() if k in self._phrases}
        if not thresholds:
            return None, {}, None
        engine = _keyword_engine(self.keyword_effort)
        with engine.lock, tempfile.TemporaryDirectory() as folder:
            # The same words, and the same non-rhotic variants, as the grammar hears.
            _add_non_rhotic(engine.decoder, {w for phrase in thresholds for w in phrase.split()})
            engine.sweep()
            name = f"keywords{next(engine.names)}"
            path = Path(folder) / "keyphrases.txt"
            path.write_text("".join(f"{phrase} /{_KWS_FLOOR}/\n" for phrase in thresholds))
            engine.decoder.add_kws(name, str(path))
        return keywords, thresholds, name

    @property
    def phrases(self) -> dict[str, str | None]:
        """The phrases in the grammar (as given) and their intents."""
        return dict(self._phrases.values())

    # -- one utterance --------------------------------------------------------------------

    def recognize(self, audio: Audio | bytes) -> Recognition | None:
        """The command in one recorded utterance, or None when there is none to believe.

        `audio` is an `Audio` of any rate, or raw 16 kHz mono 16-bit PCM. Silence at the ends
        is trimmed first, so a file may hold a command with pauses around it.
        """
        pcm = _as_pcm(audio)
        trimmed = _trim(pcm)
        if trimmed is None:
            return None
        return self._recognition(self.decode_pcm(trimmed), trimmed)

    def decode(self, audio: Audio | bytes) -> Decoding:
        """The full decoding of one trimmed utterance, accepted or not (for tuning)."""
        pcm = _as_pcm(audio)
        return self.decode_pcm(_trim(pcm) or pcm)

    def decode_pcm(self, pcm: bytes) -> Decoding:
        """Decode 16 kHz mono 16-bit PCM as one utterance, without trimming it."""
        # The noise floor is added once: every pass of this utterance hears the same audio.
        return self._decode(_with_floor(pcm))

    def _decode(self, pcm: bytes) -> Decoding:
        """`decode_pcm` of audio whose noise floor is already added."""
        hypothesis, frames, segments = self._pass(self._engine, self._search, pcm)
        phrase = hypothesis.hypstr if hypothesis is not None else None
        if phrase not in self._phrases or not frames:
            return self._spotted(Decoding(None, -math.inf, -math.inf, frames, 0, 0.0), pcm)
        words = [(s.end_frame - s.start_frame + 1, s.ascore) for s in segments if _is_word(s.word)]
        word_score = sum(_log(a) for _, a in words) / max(1, sum(n for n, _ in words))
        score = sum(_log(s.ascore) for s in segments if s.word != "(NULL)") / frames
        phones = self._phones[phrase]
        confidence = self.rejection.confidence(score, phones, self._intent(phrase))
        decoding = Decoding(phrase, score, word_score, frames, phones, confidence)
        # The keyword search first: a keyphrase it spots names the doubt without another pass.
        return self._doubted(self._spotted(decoding, pcm), pcm)

    def keyword_scores(self, pcm: bytes) -> dict[str, float]:
        """The best score of each keyphrase (normalised) found anywhere in 16 kHz PCM, against
        the phone loop; a keyphrase missing was not found at all (for tuning `Keywords`)."""
        return self._keyword_scores(_with_floor(pcm))

    def _keyword_scores(self, pcm: bytes) -> dict[str, float]:
        """`keyword_scores` of audio whose noise floor is already added."""
        if self._kws is None:
            return {}
        scores: dict[str, float] = {}
        engine = _keyword_engine(self.keyword_effort)
        for segment in self._pass(engine, self._kws, pcm)[2]:
            phrase = segment.word.strip()
            if phrase in self._keyphrases:
                scores[phrase] = max(scores.get(phrase, -math.inf), _log(segment.prob))
        return scores

    @staticmethod
    def _pass(engine: _Engine, search: str, pcm: bytes) -> tuple[Any, int, list[Any]]:
        """One decoding of `pcm` (its noise floor added) with `engine`'s `search`: the
        hypothesis, frames and segments."""
        decoder = engine.decoder
        with engine.lock:
            if engine.active != search:
                decoder.activate_search(search)
                engine.active = search
                engine.sweep()
            with warnings.catch_warnings():
                # Deprecated as "unnecessary", yet without it the noise estimate of the last
                # utterance leaks into this one and the same audio decodes differently.
                warnings.simplefilter("ignore", DeprecationWarning)
                decoder.start_stream()
            decoder.start_utt()
            decoder.process_raw(pcm, full_utt=True)
            decoder.end_utt()
            return decoder.hyp(), decoder.n_frames(), list(decoder.seg() or ())

    def _spotted(self, decoding: Decoding, pcm: bytes) -> Decoding:
        """`decoding`, with the safety keyphrase the keyword search found past its threshold,
        when the search can change the outcome: after a go-on winner or a rejection."""
        if self.keywords is None:
            return decoding
        go_on = decoding.accepted and self._intent(decoding.phrase) in self.keywords.go_on
        if decoding.accepted and not go_on:
            return decoding
        margins = {
            phrase: score - self._keyphrases[phrase]
            for phrase, score in self._keyword_scores(pcm).items()
        }
        best = max(margins, key=margins.__getitem__, default=None)
        if best is None or margins[best] < 0:
            return decoding
        doubt = decoding.doubt if decoding.doubt is not None else best if go_on else None
        return replace(decoding, doubt=doubt, spotted=best, spotted_margin=margins[best])

    def _intent(self, phrase: str | None) -> str | None:
        return self._phrases[phrase][1] if phrase is not None else None

    def _doubted(self, decoding: Decoding, pcm: bytes) -> Decoding:
        """`decoding`, doubted if it is an accepted go-on command heard narrowly (see
        `Doubt.clear`) or close to a safety phrase (`Doubt.margin`): the doubt names the
        nearest safety phrase, or the command itself when the grammar has none."""
        doubt = self.doubt
        if doubt is None or decoding.doubt is not None or not decoding.accepted:
            return decoding
        if self._intent(decoding.phrase) not in doubt.go_on:
            return decoding
        margin = self.rejection.margin(
            decoding.score, decoding.phones, self._intent(decoding.phrase)
        )
        narrow = margin < doubt.clear
        if not narrow and doubt.margin is None:
            return decoding  # clearly heard: no second pass
        rival = self._safety._decode(pcm) if self._safety is not None else None
        nearest = rival.phrase if rival is not None else None
        close = (
            rival is not None
            and doubt.margin is not None
            and rival.score >= decoding.score - doubt.margin
        )
        if nearest is not None and close:
            return replace(decoding, doubt=nearest)
        return replace(decoding, doubt=nearest or decoding.phrase) if narrow else decoding

    def _recognition(self, decoding: Decoding, pcm: bytes) -> Recognition | None:
        duration = len(pcm) / 2 / SAMPLE_RATE
        if decoding.phrase is None or not decoding.accepted:
            if decoding.spotted is None:
                return None
            # A rejected utterance with a safety phrase spotted in it: heard as that phrase,
            # and doubted, so the coach asks rather than acts.
            text, intent = self._phrases[decoding.spotted]
            return Recognition(
                text, intent, decoding.confidence, decoding.score, 0, duration, doubt=text
            )
        text, intent = self._phrases[decoding.phrase]
        doubt = self._phrases[decoding.doubt][0] if decoding.doubt is not None else None
        return Recognition(
            text, intent, decoding.confidence, decoding.score, decoding.phones, duration, doubt
        )

    @staticmethod
    def heard_as_safety(decoding: Decoding) -> bool:
        """Whether a rejected decoding is heard as its spotted safety phrase (with doubt)."""
        return not decoding.accepted and decoding.spotted is not None

    # -- a stream -------------------------------------------------------------------------

    def listen(
        self, chunks: Iterable[bytes], *, muted: Callable[[], bool] | None = None
    ) -> Iterator[Recognition]:
        """Recognitions from a stream of 16 kHz mono 16-bit PCM blocks of any size.

        Utterances are cut by voice activity; each one is decoded when it ends. An empty block
        marks a gap in the audio (blocks were dropped, say while the coach spoke): the
        utterance in progress is discarded. While `muted()` is true, audio is ignored the same
        way.
        """
        for segment in _utterances(chunks, muted):
            # Trimmed like a file, so that live and recorded speech score alike.
            utterance = _trim(segment) or segment
            recognition = self._recognition(self.decode_pcm(utterance), utterance)
            if recognition is not None:
                yield recognition


Transition = tuple[int, int, float] | tuple[int, int, float, str]
"""A grammar's arc: from state, to state, probability, and its word (none: a null arc)."""


def phrase_tree(phrases: list[str]) -> tuple[int, list[Transition]]:
    """`phrases` as a prefix tree of word arcs, every phrase equally likely: its number of
    states and its transitions. State 0 starts and state 1 is final.

    Shared first words share states, so a long phrase list stays a small search. A phrase's
    last word leads straight to the final state when nothing can follow it; only a phrase
    that is the start of a longer one ("start", "start over") ends on a null arc from its own
    state. pocketsphinx walks every state of a grammar twice per frame, for each phone
    (`fsg_history_end_frame`), so a state saved is CPU saved, and a final word's own state
    would only lead on to the final state, where every phrase's end meets anyway.
    """
    final = 1
    children: dict[tuple[int, str], int] = {}
    ends: dict[int, int] = {}
    below: dict[int, int] = {0: len(phrases)}
    for phrase in phrases:
        node = 0
        for word in phrase.split():
            key = (node, word)
            if key not in children:
                children[key] = len(below)
                below[children[key]] = 0
            node = children[key]
            below[node] += 1
        ends[node] = ends.get(node, 0) + 1
    inner = {0} | {node for node, _ in children}
    number = {0: 0} | {node: index + 2 for index, node in enumerate(sorted(inner - {0}))}
    transitions: list[Transition] = [
        (number[node], number.get(target, final), below[target] / below[node], word)
        for (node, word), target in children.items()
    ]
    transitions += [
        (number[node], final, count / below[node]) for node, count in ends.items() if node in inner
    ]
    return len(number) + 1, transitions


def _grammar(decoder: Any, name: str, phrases: list[str]) -> Any:
    """A finite-state grammar of `phrases` (see `phrase_tree`). Silence may loop only at the
    start and at the end."""
    final = 1
    fsg = decoder.create_fsg(name, 0, final, phrase_tree(phrases)[1])
    fsg.add_silence("<sil>", 0, 0.1)
    fsg.add_silence("<sil>", final, 0.1)
    return fsg


_VOWELS = frozenset(
    ["AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"]
)


def _non_rhotic(phones: list[str]) -> list[str]:
    """A pronunciation with the "er" of "longer" or "over" said as the neutral vowel "AH", as
    non-rhotic accents say it before a consonant or at the end of a word.

    Only "ER" changes: dropping every "R" after a vowel made "start" sound like "stop".
    """
    return [
        "AH"
        if phone == "ER" and (index + 1 == len(phones) or phones[index + 1] not in _VOWELS)
        else phone
        for index, phone in enumerate(phones)
    ]


def _add_non_rhotic(decoder: Any, words: Iterable[str]) -> None:
    """Add the non-rhotic pronunciation of each word as an alternative (`word(N)`), where it
    differs from every pronunciation the dictionary has. Call with the engine's lock held."""
    for word in words:
        known: list[str] = []
        while (pronunciation := decoder.lookup_word(_alternative(word, len(known)))) is not None:
            known.append(pronunciation)
        for pronunciation in list(known):
            variant = " ".join(_non_rhotic(pronunciation.split()))
            if variant not in known:
                decoder.add_word(_alternative(word, len(known)), variant, False)
                known.append(variant)


def _alternative(word: str, index: int) -> str:
    """The dictionary's name of a word's pronunciation: `word`, then `word(2)`, `word(3)`..."""
    return word if index == 0 else f"{word}({index + 1})"


def _is_word(word: str) -> bool:
    return not (word.startswith(("<", "[", "+")) or word == "(NULL)")


def _log(probability: float) -> float:
    return math.log(probability) / _LOG_BASE if probability > 0 else -1e6


# -- audio ------------------------------------------------------------------------------------


def _as_pcm(audio: Audio | bytes) -> bytes:
    if isinstance(audio, Audio):
        return audio.resample(SAMPLE_RATE).pcm
    if len(audio) % 2:
        raise ValueError("16-bit PCM must have an even number of bytes")
    return bytes(audio)


def _with_floor(pcm: bytes) -> bytes:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    step = SAMPLE_RATE // 100
    usable = len(samples) // step * step
    powers = (samples[:usable].reshape(-1, step) ** 2).mean(axis=1) if usable else np.zeros(1)
    # The speech level: the mean power of the frames within 30 dB of the loudest.
    speech_power = float(powers[powers >= powers.max() / 1000].mean()) if powers.max() > 0 else 0
    spread = max(_NOISE_FLOOR, math.sqrt(speech_power / 10 ** (_FLOOR_BELOW_SPEECH_DB / 10)))
    # A fixed seed: the same audio always decodes the same way.
    floor = np.random.default_rng(0).normal(0.0, spread, len(samples))
    return np.clip(np.round(samples + floor), -32768, 32767).astype("<i2").tobytes()


def _rms(pcm: bytes) -> float:
    return float(np.sqrt(np.mean(np.frombuffer(pcm, dtype="<i2").astype(np.float64) ** 2)))


def _trim(pcm: bytes) -> bytes | None:
    """`pcm` from a little before its first voiced frame to a little after its last one;
    None when nothing in it is voiced."""
    import pocketsphinx

    vad = pocketsphinx.Vad(pocketsphinx.Vad.LOOSE, SAMPLE_RATE)
    size = vad.frame_bytes
    frames = [pcm[start : start + size] for start in range(0, len(pcm) - size + 1, size)]
    if not frames or max(_rms(frame) for frame in frames) < _MIN_LEVEL:
        return None
    voiced = [vad.is_speech(frame) for frame in frames]
    # Three voiced frames in a row (90 ms) make speech; a lone click does not.
    runs = [i for i in range(len(voiced) - 2) if voiced[i] and voiced[i + 1] and voiced[i + 2]]
    if not runs:
        return None
    pad = round(_PAD_S * SAMPLE_RATE) * 2
    start = max(0, runs[0] * size - pad)
    end = min(len(pcm), (runs[-1] + 3) * size + pad)
    if (end - start) / 2 / SAMPLE_RATE < _MIN_UTTERANCE_S:
        return None
    return pcm[start:end]


def _utterances(chunks: Iterable[bytes], muted: Callable[[], bool] | None) -> Iterator[bytes]:
    """Cut a stream of 16 kHz PCM blocks into utterances with pocketsphinx's endpointer.

    The endpointer decides ~0.3 s after speech starts and ends, so each utterance is taken
    from our own copy of the stream, from `_PRE_ROLL_S` before the decision to the end
    decision; `_trim` then cuts it like a file.
    """
    import pocketsphinx

    endpointer = pocketsphinx.Endpointer(sample_rate=SAMPLE_RATE)
    size = endpointer.frame_bytes
    pre_roll = round(_PRE_ROLL_S * SAMPLE_RATE) * 2
    limit = round(_MAX_UTTERANCE_S * SAMPLE_RATE) * 2 + pre_roll
    pending = b""
    recent = bytearray()
    too_long = False
    for chunk in chunks:
        if not chunk or (muted is not None and muted()):
            # A gap: whatever was being said is lost, and the endpointer must start afresh.
            endpointer = pocketsphinx.Endpointer(sample_rate=SAMPLE_RATE)
            pending, recent, too_long = b"", bytearray(), False
            continue
        pending += chunk
        while len(pending) >= size:
            frame, pending = pending[:size], pending[size:]
            was_in_speech = endpointer.in_speech
            endpointer.process(frame)
            recent += frame
            if endpointer.in_speech:
                if len(recent) > limit:  # not a command: keep listening, but not storing
                    too_long = True
                    del recent[:-pre_roll]
            elif was_in_speech:
                if not too_long:
                    yield bytes(recent)
                recent, too_long = bytearray(), False
            else:
                del recent[:-pre_roll]
    if endpointer.in_speech and not too_long:
        yield bytes(recent + pending)
