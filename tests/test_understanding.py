"""The safety detector reads every utterance first, on every text path, with the same answer.

`skill.core.resolver.Resolver.resolve` is the one place words become an intent: typed lines and
recognised speech in the local coach (`skill.local.inputs.resolve_text`) and ``say:`` in dialog
replays (Alexa envelopes built by `skill.devtools.envelopes`) all go through it. These tests
take every utterance of the safety and resolver corpora down both paths and compare the
engine commands they end in: the local coach and Alexa must obey the same words the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.intent import Intent

from routines.commands import Command, CommandKind
from skill.alexa.skill import slot_values
from skill.core.alexa_intent import to_alexa_slots
from skill.core.commands import to_command
from skill.core.resolver import Resolver
from skill.local.inputs import Source, Unsure, resolve_text

DATA = Path(__file__).resolve().parent / "data"


def _utterances() -> Iterator[str]:
    for half in ("tuning", "heldout"):
        for family in yaml.safe_load((DATA / "safety" / f"{half}.yaml").read_text("utf-8")):
            yield from family["say"]
        for line in (DATA / "resolver" / f"{half}.tsv").read_text("utf-8").splitlines():
            if line and not line.startswith("#"):
                yield line.split("\t")[0]


UTTERANCES = sorted(set(_utterances()))


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.for_locale("en-US")


def _by_alexa(resolver: Resolver, text: str) -> Command | None:
    """The command the skill would run for `text` said to Alexa (None: the fallback intent)."""
    resolution = resolver.resolve(text)
    if resolution.is_fallback:
        return None
    document: dict[str, Any] = {"name": resolution.intent, "confirmationStatus": "NONE"}
    if resolution.declared_slots:
        document["slots"] = to_alexa_slots(resolution)
    intent = DefaultSerializer().deserialize(json.dumps(document), Intent)
    return to_command(resolution.intent, slot_values(intent))


def _by_typing(resolver: Resolver, text: str) -> Command | Unsure | None:
    """The command the local coach would run for `text` typed (None: not a command), or the
    question it asks first when two readings are close."""
    heard = resolve_text(resolver, text, Source.LINE)
    return heard if isinstance(heard, Unsure) else getattr(heard, "command", None)


def test_the_corpora_are_read() -> None:
    assert len(UTTERANCES) > 900


def test_typed_lines_and_alexa_obey_every_corpus_utterance_alike(resolver: Resolver) -> None:
    different, asked, checked, guessed = [], [], [], []
    for text in UTTERANCES:
        typed, said = _by_typing(resolver, text), _by_alexa(resolver, text)
        if isinstance(typed, Unsure) and typed.guessed is not None:
            # No sample reads the words, but they most likely mean a command: the local coach
            # asks about it, and a no carries on; Alexa's NLU has its fallback.
            guessed.append(text)
            assert said is None, text
            assert typed.yes is not None, text
            assert typed.no == Command(CommandKind.STATUS), text
        elif (
            isinstance(typed, Unsure)
            and typed.yes is not None
            and typed.yes.kind is CommandKind.START
        ):
            # A routine named in passing: the local coach asks before it starts it, Alexa's NLU
            # decides by itself; a yes is what the words say.
            asked.append(text)
            assert said is None or said == typed.yes, text
        elif isinstance(typed, Unsure) and typed.yes is not None:
            # A symptom the words may tell (the detector's concern): the local coach asks
            # first, and a no does what the sentence said outright, which is what Alexa does
            # (or Alexa cannot place the sentence, and its fallback says how to report pain).
            checked.append(text)
            assert typed.yes.kind in (CommandKind.PAIN, CommandKind.RED_FLAG), text
            assert said is None or said == typed.no, text
        elif isinstance(typed, Unsure):
            # The local coach asks where two readings are close; Alexa's own NLU picks one.
            # A symptom is never second-guessed.
            asked.append(text)
            assert said is None or said.kind not in (CommandKind.PAIN, CommandKind.RED_FLAG)
        elif typed != said:
            different.append((text, typed, said))
    assert different == []
    assert len(asked) < len(UTTERANCES) // 50, asked
    print(f"\n{len(checked)} of {len(UTTERANCES)} utterances asked about as a concern")
    print(f"{len(guessed)} of {len(UTTERANCES)} asked about as a guessed command: {guessed}")


@pytest.mark.parametrize(
    ("text", "kind", "symptom"),
    [
        ("it hurts a lot", CommandKind.PAIN, "PAIN"),
        ("okay so my hip is killing me right now", CommandKind.PAIN, "PAIN"),
        ("shooting pain down my leg", CommandKind.PAIN, "SHOOTING"),
        ("I lost control of my bladder", CommandKind.RED_FLAG, "RED_FLAG_BLADDER"),
        ("I fell and now it hurts", CommandKind.RED_FLAG, "RED_FLAG_FALL"),
        ("I have a fever and back pain", CommandKind.RED_FLAG, "RED_FLAG_FEVER"),
        ("both legs are numb", CommandKind.RED_FLAG, "RED_FLAG_BOTH_LEGS"),
        # A red flag wins over every other reading of the sentence.
        ("next please, oh and I can't hold my pee", CommandKind.RED_FLAG, "RED_FLAG_BLADDER"),
    ],
)
def test_symptoms_said_in_any_sentence_become_pain_or_red_flags(
    resolver: Resolver, text: str, kind: CommandKind, symptom: str
) -> None:
    assert _by_typing(resolver, text) == Command(kind, symptom=symptom)


@pytest.mark.parametrize(
    "text",
    [
        "I feel great",
        "it doesn't hurt",
        "the pain is gone",
        "no fever",
        "what a pain",
        "the weather is lovely today",
    ],
)
def test_denied_and_relieved_symptoms_and_chit_chat_are_no_command(
    resolver: Resolver, text: str
) -> None:
    assert _by_typing(resolver, text) is None
    assert _by_alexa(resolver, text) is None


@pytest.mark.parametrize("text", ["no pain at all", "no pain", "zero pain", "none"])
def test_no_pain_is_a_rating_of_zero_never_a_report(resolver: Resolver, text: str) -> None:
    zero = Command(CommandKind.RATE_PAIN, rating=0)
    assert _by_typing(resolver, text) == zero
    assert _by_alexa(resolver, text) == zero


def test_without_a_detector_the_samples_alone_read_the_words() -> None:
    import interaction_model

    plain = Resolver.from_model(interaction_model.load("en-US"))
    assert plain.safety is None
    # The samples cannot read negation: "no fever" matches the fever red flag's synonym.
    assert plain.resolve("no fever").value("symptom") == "RED_FLAG_FEVER"
    assert Resolver.for_locale("en-US").resolve("no fever").is_fallback
