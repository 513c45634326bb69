"""Compiling the interaction model: its samples and slot types, in the form the resolver matches.

The resolver reads the same ASK JSON that Alexa builds from (`compile_model`): each sample
becomes its normalised words and `{slot}` references (`Sample`), each custom slot type a lookup
from every normalised value and synonym to its id and canonical name (`CustomType`), and Alexa's
own phrasings of the built-in intents (`BUILTIN_PHRASES`) join the model's samples. A sample
that is only a slot and fillers (`slot_only`: "{symptom}", "the {routine}") takes known values
only, and only a sample with words of its own may take unknown words in a slot that words
enclose ("start the {routine} routine"). Pure; the model document comes in already read.
Tests: `tests/test_samples.py`; the project's model in `tests/test_interaction_model.py`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from skill.core.fillers import SKIPPABLE, WEAK_LITERALS
from skill.core.intents import IntentName, is_builtin
from skill.core.words import normalize

__all__ = [
    "BUILTIN_PHRASES",
    "SLOT_PATTERN",
    "CompiledModel",
    "CustomType",
    "ModelError",
    "Sample",
    "SlotRef",
    "compile_model",
    "slot_only",
]

BUILTIN_PHRASES: Final[Mapping[str, tuple[str, ...]]] = {
    IntentName.STOP: ("stop", "off", "shut up", "be quiet", "exit", "quit"),
    IntentName.CANCEL: ("cancel", "never mind", "forget it"),
    IntentName.HELP: ("help", "help me", "can you help me", "what can i ask"),
    IntentName.YES: ("yes", "yeah", "yep", "sure", "okay", "ok", "yes please"),
    IntentName.NO: ("no", "nope", "no thanks", "no thank you"),
    IntentName.NEXT: ("next", "go next", "next one"),
    IntentName.PREVIOUS: ("previous", "go back", "back"),
    IntentName.REPEAT: ("repeat", "say that again", "repeat that"),
    IntentName.PAUSE: ("pause", "pause that", "wait"),
    IntentName.RESUME: ("resume", "continue", "keep going"),
    IntentName.START_OVER: ("start over", "restart", "start again"),
    IntentName.NAVIGATE_HOME: ("go home", "go to the home screen"),
}
"""Alexa's own phrasings of the built-in intents, which a model need not repeat as samples."""

SLOT_PATTERN: Final = re.compile(r"\{([^{}\s]+)\}")
"""A `{slot}` reference in a sample's text; group 1 is the slot's name."""


class ModelError(ValueError):
    """An interaction model the resolver cannot use (missing language model, bad slot type)."""


def slot_only(sample: str) -> bool:
    """Whether a sample is nothing but slots and filler words ("{symptom}", "the {routine}").

    Such a sample fits any sentence unless its slot can only take known values: the resolver
    lets it take nothing else, and `massage-coach model check` flags it for an open slot type.
    """
    if not SLOT_PATTERN.search(sample):
        return False
    return all(word in WEAK_LITERALS for word in normalize(SLOT_PATTERN.sub(" ", sample)))


@dataclass(frozen=True)
class SlotRef:
    """A `{slot}` in a compiled sample."""

    name: str
    """The slot's name in the intent."""
    slot_type: str
    """The slot's declared type."""


_Element = str | SlotRef


@dataclass(frozen=True)
class Sample:
    """One sample utterance, compiled: its normalised words and slot references in order."""

    intent: str
    """The intent the sample belongs to."""
    text: str
    """The sample as the model writes it ("start the {routine} routine")."""
    elements: tuple[_Element, ...]
    """Its normalised words and slot references, in order."""
    literals: frozenset[str]
    """Its words."""
    literal_count: int
    """How many words it has (a word said twice counts twice)."""
    rank: int
    """Lower ranks win ties: model samples in model order, then Alexa's built-in phrasings."""
    strong: bool = True
    """Whether the sample has a word that is no filler: only such samples match inside a longer
    utterance ("okay" alone is yes, "okay then" is nothing)."""
    open_slots: frozenset[int] = frozenset()
    """Indexes of the slot elements that may take unknown words: enclosed by literals, in a
    sample with words of its own."""


@dataclass(frozen=True)
class CustomType:
    """A custom slot type of the model, as entity resolution reads it."""

    name: str
    """The type's name (`ROUTINE_NAME`)."""
    lookup: Mapping[str, tuple[str, str]]
    """Normalised value or synonym -> (id, canonical name)."""
    spoken: tuple[tuple[str, ...], ...]
    """Per value: the canonical name then its synonyms, as written (for example phrases)."""

    def name_of(self, value_id: str) -> str | None:
        """The canonical name of the value with this id; None if the type has no such value."""
        return next((name for known, name in self.lookup.values() if known == value_id), None)


@dataclass(frozen=True)
class CompiledModel:
    """One locale's interaction model, compiled (`compile_model`)."""

    samples: tuple[Sample, ...]
    """Every sample of the model in model order, then Alexa's built-in phrasings of the
    built-in intents the model declares."""
    types: Mapping[str, CustomType]
    """The custom slot types by name."""
    intent_slots: Mapping[str, tuple[tuple[str, str], ...]]
    """(name, type) of every slot of each intent, by intent, in model order."""
    invocation_name: str
    """The skill's invocation name ("massage coach"), or ""."""


def compile_model(model: Mapping[str, Any]) -> CompiledModel:
    """An ASK model document (or its `languageModel` part), compiled; raises ModelError for a
    document that is no interaction model, an unknown slot type or an undeclared slot."""
    language = _language_model(model)
    types: dict[str, CustomType] = {}
    for entry in language.get("types", []) or []:
        lookup: dict[str, tuple[str, str]] = {}
        spoken: list[tuple[str, ...]] = []
        for value in entry.get("values", []):
            name = value["name"]["value"]
            value_id = value.get("id") or name
            synonyms = tuple(value["name"].get("synonyms", []))
            spoken.append((name, *synonyms))
            for phrase in (name, *synonyms):
                lookup.setdefault(" ".join(normalize(phrase)), (value_id, name))
        types[entry["name"]] = CustomType(entry["name"], lookup, tuple(spoken))
    samples: list[Sample] = []
    intent_slots: dict[str, tuple[tuple[str, str], ...]] = {}
    rank = itertools.count()
    for intent in language["intents"]:
        declared = {slot["name"]: slot["type"] for slot in intent.get("slots", []) or []}
        for slot_type in declared.values():
            if not is_builtin(slot_type) and slot_type not in types:
                raise ModelError(f"intent {intent['name']}: unknown slot type {slot_type}")
        intent_slots[intent["name"]] = tuple(declared.items())
        for text in intent.get("samples", []) or []:
            samples.append(_compile(intent["name"], text, declared, next(rank)))
    for intent_name, phrases in BUILTIN_PHRASES.items():
        if intent_name in intent_slots:
            samples.extend(_compile(intent_name, text, {}, next(rank)) for text in phrases)
    invocation = str(language.get("invocationName", ""))
    return CompiledModel(tuple(samples), types, intent_slots, invocation)


def _compile(intent: str, text: str, slots: Mapping[str, str], rank: int) -> Sample:
    """A sample's words and slot references; raises ModelError for an undeclared slot."""
    elements: list[_Element] = []
    position = 0
    for match in SLOT_PATTERN.finditer(text):
        elements.extend(normalize(text[position : match.start()]))
        name = match.group(1)
        if name not in slots:
            raise ModelError(f"intent {intent}: sample {text!r} uses undeclared slot {{{name}}}")
        elements.append(SlotRef(name, slots[name]))
        position = match.end()
    elements.extend(normalize(text[position:]))
    literals = [element for element in elements if isinstance(element, str)]
    strong = any(literal not in WEAK_LITERALS for literal in literals)
    open_slots = frozenset(
        index
        for index, element in enumerate(elements)
        if strong
        and isinstance(element, SlotRef)
        and 0 < index < len(elements) - 1
        and isinstance(elements[index - 1], str)
        and isinstance(elements[index + 1], str)
    )
    return Sample(
        intent,
        text,
        tuple(elements),
        frozenset(literals),
        len(literals),
        rank,
        any(literal not in SKIPPABLE for literal in literals),
        open_slots,
    )


def _language_model(model: Mapping[str, Any]) -> Mapping[str, Any]:
    if "interactionModel" in model:
        model = model["interactionModel"]
    language = model.get("languageModel", model)
    if not isinstance(language, Mapping) or not isinstance(language.get("intents"), list):
        raise ModelError("not an interaction model: no languageModel with a list of intents")
    return language
