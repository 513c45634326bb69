"""`bench_effort`'s replay of the coach's decisions from each recording's three passes, checked
against the coach's own recogniser on real espeak-ng recordings.

The benchmark fits every threshold on those replays rather than decoding again for each value
tried, so a replay that drifted from `CommandRecognizer` would fit thresholds for another
recogniser than the coach's.
"""

from __future__ import annotations

import pytest

from skill.core.intents import GO_ON_INTENTS
from skill.core.resolver import Resolver
from skill.local.run import command_recognizer, voice_grammar, voice_keyphrases
from speech.recognizer import normalize
from tests.benchmarks.bench_effort import Thresholds, simulate
from tests.benchmarks.effort_data import Sample, decode_all
from tests.support import recordings
from tests.support.recordings import RecordingCache, Utterance

pytestmark = pytest.mark.skipif(not recordings.espeak_available(), reason="needs espeak-ng")

SAID = [
    Utterance("next", "en-us", 160, 30),
    Utterance("keep going", "en-us+f3", 160, 30),
    Utterance("it hurts", "en-gb-x-rp", 140, 25),
    Utterance("continue it hurts", "en-us", 160, 25.0, seed=28807623),
    Utterance("pass me the remote", "en", 180, 30),
    Utterance("repeat", "en-us+m3", 160, 20),
    Utterance("the dog is barking outside", "en-us-nyc", 160, 25),
]


def test_the_replay_decides_as_the_coach_does(tmp_path_factory: pytest.TempPathFactory) -> None:
    cache = RecordingCache(tmp_path_factory.mktemp("recordings"))
    resolver = Resolver.for_locale("en-US")
    coach = command_recognizer(resolver)
    grammar = voice_grammar(resolver)
    intents = {normalize(p): i for p, i in grammar.items()}
    keyphrases = {normalize(p): v for p, v in voice_keyphrases().items()}
    assert coach.doubt is not None
    assert coach.doubt.margin is not None
    thresholds = Thresholds(coach.rejection, coach.doubt.margin, coach.doubt.clear, keyphrases)
    chosen = [Sample(u, "espeak-ng", "command", False, False) for u in SAID]
    passes = decode_all(grammar, coach.effort, coach.keyword_effort, cache, chosen)
    outcomes = []
    for utterance, replayed in zip(SAID, passes, strict=True):
        decoding = coach.decode(cache.get(utterance))
        heard = intents[decoding.phrase] if decoding.accepted and decoding.phrase else None
        outcome = simulate(replayed, intents, thresholds)
        go_on = heard in GO_ON_INTENTS
        assert (outcome.heard, outcome.rescued) == (heard, coach.heard_as_safety(decoding))
        assert outcome.doubted == (go_on and decoding.doubt is not None), utterance
        outcomes.append(outcome)
    # The recordings reach every branch: go-on obeyed or asked, rejected, rescued, accepted.
    assert any(o.heard in GO_ON_INTENTS for o in outcomes)
    assert any(o.heard is None for o in outcomes)
    assert any(o.heard is not None and o.heard not in GO_ON_INTENTS for o in outcomes)
