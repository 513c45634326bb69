"""Checks an Alexa interaction model against Alexa's rules and against this skill.

`massage-coach model check [PATH...] [--locale L]` runs these. Each rule is a small function
that returns `Problem`s, all of them found at once: every intent has a handler and every
handled intent is declared; slots used in samples are declared with a type that exists; no
sample repeats; samples hold only what Alexa accepts; the invocation name follows Alexa's rules;
the built-ins Alexa requires are present; ROUTINE_NAME matches the routine library; the locales
agree on intents, slots and slot value ids. The project's own package (`model check` with no
path) has its manifest checked too (`check_manifest`): it declares the timer permission and the
task a timer launches, as the skill names them (`skill.core.timers`), and each declared task
has its definition file. The pure part (`check_documents`) takes parsed
JSON, so tests build small broken models inline.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

from skill.core.intents import (
    BUILTIN_PREFIX,
    HANDLED_INTENTS,
    REQUIRED_BUILTINS,
    IntentName,
    is_builtin,
)
from skill.core.paths import dig
from skill.core.samples import slot_only
from skill.core.timers import TASK_NAME, TASK_VERSION, TIMER_SCOPE

__all__ = [
    "Problem",
    "Severity",
    "check_documents",
    "check_manifest",
    "check_model",
    "library_titles",
    "run_check",
]

Severity = Literal["error", "warning"]

_SLOT = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"^[A-Za-z][A-Za-z_]*$")
_BUILTIN_INTENT = re.compile(rf"^{re.escape(BUILTIN_PREFIX)}[A-Za-z]+$")
_LOCALE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
_LAUNCH_WORDS = frozenset(
    [
        "ask",
        "begin",
        "enable",
        "launch",
        "load",
        "open",
        "play",
        "resume",
        "run",
        "start",
        "talk",
        "tell",
        "use",
    ]
)
_WAKE_WORDS = frozenset(["alexa", "amazon", "echo", "computer", "skill", "app"])
_CONNECTING_WORDS = frozenset(
    ["to", "from", "by", "if", "and", "whether", "for", "with", "about", "using", "that", "of"]
)
_TWO_WORD_FORBIDDEN = frozenset(["the", "a", "an", "for", "to", "of"])
_PACKAGE_DIR = "interaction_model/skill-package"
_MODEL_DIR = f"{_PACKAGE_DIR}/interactionModels/custom"
_FORMATTED_BUILTINS = frozenset(
    [
        "AMAZON.DURATION",
        "AMAZON.NUMBER",
        "AMAZON.FOUR_DIGIT_NUMBER",
        "AMAZON.Ordinal",
        "AMAZON.DATE",
        "AMAZON.TIME",
        "AMAZON.PhoneNumber",
    ]
)
"""Built-in slot types that take only well-formed amounts, so a slot-only sample stays narrow."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a model, located for a person to fix."""

    file: str
    """The model file (or a label such as `routine library`)."""
    message: str
    """What is wrong, in plain words."""
    intent: str | None = None
    """The intent concerned, if any."""
    slot_type: str | None = None
    """The slot type concerned, if any (and no intent)."""
    severity: Severity = "error"
    """Errors fail the check; warnings are printed only."""

    def __str__(self) -> str:
        where = [self.file]
        if self.intent:
            where.append(f"intent {self.intent}")
        elif self.slot_type:
            where.append(f"type {self.slot_type}")
        prefix = "warning: " if self.severity == "warning" else ""
        return ": ".join(where) + f": {prefix}{self.message}"


class _Report:
    """Collects problems for one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, message: str, *, intent: str | None = None, type_: str | None = None) -> None:
        self.problems.append(Problem(self.file, message, intent, type_))

    def warning(self, message: str, *, intent: str | None = None, type_: str | None = None) -> None:
        self.problems.append(Problem(self.file, message, intent, type_, "warning"))


# --- rules on one model ---------------------------------------------------------------------


def _language_model(document: Any, report: _Report) -> Mapping[str, Any] | None:
    language = dig(document, "interactionModel", "languageModel")
    if not isinstance(language, Mapping):
        report.error("no interactionModel.languageModel object; is this an ASK model file?")
        return None
    if not isinstance(language.get("intents"), list):
        report.error("languageModel.intents must be a list of intents")
        return None
    return language


def _check_invocation_name(name: Any, report: _Report) -> None:
    if not isinstance(name, str) or not name.strip():
        report.error("invocation name: missing")
        return
    words = name.lower().split()
    stripped = [word.strip(".'") for word in words]
    problems = [
        *_invocation_spelling_problems(name),
        *_invocation_word_problems(words),
        *_invocation_vocabulary_problems(stripped),
    ]
    for problem in problems:
        report.error(f"invocation name {name!r}: {problem}")


def _invocation_spelling_problems(name: str) -> list[str]:
    """Case, digits, characters and spacing of the whole name."""
    problems: list[str] = []
    if name != name.lower():
        problems.append("must be lower case")
    if re.search(r"\d", name):
        problems.append("spell numbers out as words")
    bad = sorted({ch for ch in name if not (ch.isalpha() or ch in " '.")})
    if bad:
        problems.append(
            "only letters, spaces, possessive apostrophes "
            f"and periods in abbreviations are allowed, not {' '.join(bad)}"
        )
    if "  " in name or name != name.strip():
        problems.append("use single spaces between words")
    return problems


def _invocation_word_problems(words: list[str]) -> list[str]:
    """Apostrophes and periods inside each word, and the number of words."""
    problems: list[str] = []
    for word in words:
        core = word.rstrip(".")
        if "'" in word and not re.fullmatch(r"[^\W\d_]+'s|[^\W\d_]+s'", word):
            problems.append("an apostrophe may only mark a possessive")
        if "." in core or (word.endswith(".") and len(core) != 1):
            problems.append("periods only follow single letters (a. b.)")
    if len(words) < 2:
        problems.append("must have at least two words")
    return problems


def _invocation_vocabulary_problems(stripped: list[str]) -> list[str]:
    """Words the name must not hold (launch and wake words), or not start, end or pair with."""
    problems = [
        f"must not contain the launch word {word!r}"
        for word in sorted(set(stripped) & _LAUNCH_WORDS)
    ]
    problems += [f"must not contain {word!r}" for word in sorted(set(stripped) & _WAKE_WORDS)]
    if len(stripped) == 2 and set(stripped) & _TWO_WORD_FORBIDDEN:
        problems.append("a two-word name must not include an article or 'for', 'to', 'of'")
    if stripped and (stripped[0] in _CONNECTING_WORDS or stripped[-1] in _CONNECTING_WORDS):
        problems.append("must not start or end with a connecting word")
    return problems


def _sample_problems(sample: str) -> list[str]:
    """What Alexa would refuse in one sample utterance (slot references already checked)."""
    if not sample.strip():
        return ["an empty sample"]
    problems: list[str] = []
    if sample != sample.strip() or "  " in sample:
        problems.append("use single spaces and no leading or trailing space")
    without_slots = _SLOT.sub(" ", sample)
    if "{" in without_slots or "}" in without_slots:
        problems.append("braces must enclose a slot name, as in {slot}")
    if re.search(r"\}\{", sample):
        problems.append("two slots need a space or word between them")
    if re.search(r"\d", without_slots):
        problems.append("numbers must be spelled out as words")
    if any(ch.isupper() for ch in without_slots):
        problems.append("samples must be lower case")
    bad = sorted(
        {ch for ch in without_slots if not (ch.isalpha() or ch.isdigit() or ch in " '.{}")}
    )
    if bad:
        problems.append(f"characters not allowed in a sample: {' '.join(bad)}")
    if re.search(r"(?<![^\W\d_])\.", without_slots):
        problems.append("a period may only follow a letter, as in an abbreviation")
    return problems


def _check_intents(
    language: Mapping[str, Any],
    custom_types: Collection[str],
    report: _Report,
) -> set[str]:
    """Per-intent rules; returns the custom types that some slot uses."""
    _check_intent_names_unique(language["intents"], report)
    used_types: set[str] = set()
    owner: dict[str, str] = {}
    for intent in language["intents"]:
        if not isinstance(intent, Mapping) or not isinstance(intent.get("name"), str):
            report.error(f"an intent without a name: {json.dumps(intent)[:80]}")
            continue
        name = intent["name"]
        _check_intent_name(name, report)
        slots, slot_types = _check_slots(intent.get("slots", []) or [], custom_types, name, report)
        used_types |= slot_types
        samples = intent.get("samples", []) or []
        used_slots = _check_samples(samples, slots, custom_types, name, owner, report)
        for slot_name in slots.keys() - used_slots:
            report.warning(f"slot {slot_name!r} is used in no sample", intent=name)
    return used_types


def _check_intent_names_unique(intents: list[Any], report: _Report) -> None:
    names = Counter(intent.get("name") for intent in intents if isinstance(intent, Mapping))
    for name, count in names.items():
        if count > 1:
            report.error(f"declared {count} times", intent=str(name))


def _check_intent_name(name: str, report: _Report) -> None:
    builtin = is_builtin(name)
    if builtin and not _BUILTIN_INTENT.match(name):
        report.error("not a valid built-in intent name", intent=name)
    if not builtin and not _NAME.match(name):
        report.error("custom intent names use only letters and underscores", intent=name)


def _check_slots(
    declared: list[Any], custom_types: Collection[str], intent: str, report: _Report
) -> tuple[dict[str, str], set[str]]:
    """Rules on an intent's slots; returns its slots' types by name, and every type used."""
    slots: dict[str, str] = {}
    used_types: set[str] = set()
    for slot in declared:
        slot_name, slot_type = slot.get("name"), slot.get("type")
        if not isinstance(slot_name, str) or not _NAME.match(slot_name):
            report.error(f"slot name {slot_name!r}: use letters and underscores", intent=intent)
            continue
        if slot_name in slots:
            report.error(f"slot {slot_name!r} is declared twice", intent=intent)
        if not isinstance(slot_type, str) or not slot_type:
            report.error(f"slot {slot_name!r} has no type", intent=intent)
            continue
        if not is_builtin(slot_type) and slot_type not in custom_types:
            report.error(
                f"slot {slot_name!r} has type {slot_type}, which is neither built in "
                f"({BUILTIN_PREFIX}*) nor declared under types",
                intent=intent,
            )
        used_types.add(slot_type)
        slots[slot_name] = slot_type
    return slots, used_types


def _check_samples(
    samples: list[Any],
    slots: Mapping[str, str],
    custom_types: Collection[str],
    intent: str,
    owner: dict[str, str],
    report: _Report,
) -> set[str]:
    """Rules on an intent's samples; `owner` maps each sample seen so far (in any intent) to its
    intent. Returns the slots the samples use."""
    if intent == IntentName.FALLBACK and samples:
        report.error(f"{IntentName.FALLBACK} cannot have sample utterances", intent=intent)
    if not is_builtin(intent) and not samples:
        report.error("a custom intent needs at least one sample utterance", intent=intent)
    used_slots: set[str] = set()
    for sample in samples:
        if not isinstance(sample, str):
            report.error(f"sample {sample!r} is not a string", intent=intent)
            continue
        for message in _sample_problems(sample):
            report.error(f"sample {sample!r}: {message}", intent=intent)
        used_slots |= _check_slot_references(sample, slots, intent, report)
        _check_slot_only(sample, slots, custom_types, intent, report)
        _check_sample_unique(sample, intent, owner, report)
    return used_slots


def _check_slot_references(
    sample: str, slots: Mapping[str, str], intent: str, report: _Report
) -> set[str]:
    """Each slot a sample names is declared and named once; returns the slots it names."""
    referenced = _SLOT.findall(sample)
    for slot_name, count in Counter(referenced).items():
        if count > 1:
            report.error(f"sample {sample!r} uses {{{slot_name}}} twice", intent=intent)
        if slot_name not in slots:
            report.error(
                f"sample {sample!r} uses {{{slot_name}}}, which the intent does not declare",
                intent=intent,
            )
    return set(referenced)


def _check_sample_unique(sample: str, intent: str, owner: dict[str, str], report: _Report) -> None:
    """A sample appears once in the whole model; records it in `owner`."""
    key = " ".join(sample.lower().split())
    if key in owner:
        where = "twice in this intent" if owner[key] == intent else f"also in {owner[key]}"
        report.error(f"sample {sample!r} repeats ({where})", intent=intent)
    else:
        owner[key] = intent


def _check_slot_only(
    sample: str,
    slots: Mapping[str, str],
    custom_types: Collection[str],
    intent: str,
    report: _Report,
) -> None:
    """A sample that is only a slot (and fillers) catches any sentence unless the slot is closed:
    a custom type with values, or a built-in that takes only well-formed amounts."""
    if not slot_only(sample):
        return
    for slot_name in _SLOT.findall(sample):
        slot_type = slots.get(slot_name)
        if slot_type is None or slot_type in custom_types or slot_type in _FORMATTED_BUILTINS:
            continue
        report.error(
            f"sample {sample!r} is only the slot {{{slot_name}}} of open type {slot_type}: "
            "it would catch everyday sentences; add words around it",
            intent=intent,
        )


def _check_types(language: Mapping[str, Any], report: _Report) -> dict[str, Mapping[str, Any]]:
    """Rules on custom slot types; returns them by name."""
    types: dict[str, Mapping[str, Any]] = {}
    for entry in language.get("types", []) or []:
        type_name = entry.get("name") if isinstance(entry, Mapping) else None
        if not isinstance(type_name, str) or not type_name:
            report.error("a slot type without a name")
            continue
        if type_name in types:
            report.error("declared twice", type_=type_name)
        types[type_name] = entry
        if not is_builtin(type_name) and not _NAME.match(type_name):
            report.error("custom type names use only letters and underscores", type_=type_name)
        _check_type_values(entry.get("values"), type_name, report)
    return types


def _check_type_values(values: Any, type_name: str, report: _Report) -> None:
    """A type has values; each id is used once and each phrase belongs to one value."""
    if not isinstance(values, list) or not values:
        report.error("has no values", type_=type_name)
        return
    ids: Counter[str] = Counter()
    phrase_owner: dict[str, str] = {}
    for value in values:
        value_id = _check_type_value(value, type_name, phrase_owner, report)
        if value_id is not None:
            ids[value_id] += 1
    for value_id, count in ids.items():
        if count > 1:
            report.error(f"value id {value_id!r} is used {count} times", type_=type_name)


def _check_type_value(
    value: Any, type_name: str, phrase_owner: dict[str, str], report: _Report
) -> str | None:
    """Rules on one value and its synonyms; `phrase_owner` maps each phrase seen so far in the
    type to its value id. Returns the value's id (None for a value without a name)."""
    name = value.get("name", {}).get("value") if isinstance(value, Mapping) else None
    if not isinstance(name, str) or not name.strip():
        report.error(f"a value without name.value: {json.dumps(value)[:80]}", type_=type_name)
        return None
    value_id = str(value.get("id") or name)
    phrases = [name, *value["name"].get("synonyms", [])]
    for phrase in phrases:
        if not isinstance(phrase, str) or not phrase.strip():
            report.error(f"value {value_id!r} has an empty synonym", type_=type_name)
            continue
        key = " ".join(phrase.lower().split())
        other = phrase_owner.setdefault(key, value_id)
        if other != value_id:
            report.error(f"{phrase!r} belongs to both {other!r} and {value_id!r}", type_=type_name)
    if len({" ".join(str(p).lower().split()) for p in phrases}) < len(phrases):
        report.warning(f"value {value_id!r} lists a synonym twice", type_=type_name)
    return value_id


def _check_handlers(language: Mapping[str, Any], handled: Collection[str], report: _Report) -> None:
    declared: set[str] = {
        str(intent["name"])
        for intent in language["intents"]
        if isinstance(intent, Mapping) and isinstance(intent.get("name"), str)
    }
    for name in sorted(REQUIRED_BUILTINS - declared):
        report.error("required built-in intent is missing", intent=name)
    for name in sorted(declared - set(handled)):
        report.error(
            "has no handler in the skill (not in skill.core.intents.HANDLED_INTENTS)", intent=name
        )
    for name in sorted(set(handled) - declared - REQUIRED_BUILTINS):
        report.error("is handled by the skill but missing from the model", intent=name)


def _check_routines(
    types: Mapping[str, Mapping[str, Any]], routines: Mapping[str, str], report: _Report
) -> None:
    entry = types.get("ROUTINE_NAME")
    if entry is None or not isinstance(entry.get("values"), list):
        return
    model_ids: dict[str, list[str]] = {}
    for value in entry["values"]:
        if not isinstance(value, Mapping) or not isinstance(value.get("name"), Mapping):
            continue
        name = value["name"].get("value")
        if not value.get("id"):
            report.error(
                f"value {name!r} has no id; the id must be a routine id", type_="ROUTINE_NAME"
            )
            continue
        phrases = [name, *value["name"].get("synonyms", [])]
        model_ids.setdefault(value["id"], []).extend(str(phrase).lower() for phrase in phrases)
    for value_id in sorted(model_ids.keys() - routines.keys()):
        known = ", ".join(sorted(routines)) or "none"
        report.error(
            f"value id {value_id!r} is not a routine in the library (known: {known})",
            type_="ROUTINE_NAME",
        )
    for routine_id in sorted(routines.keys() - model_ids.keys()):
        report.error(
            f"routine {routine_id!r} ({routines[routine_id]}) has no value", type_="ROUTINE_NAME"
        )
    for routine_id in sorted(routines.keys() & model_ids.keys()):
        title = routines[routine_id]
        if title.lower() not in model_ids[routine_id]:
            report.warning(
                f"routine title {title!r} is neither the value nor a synonym of {routine_id!r}",
                type_="ROUTINE_NAME",
            )


# --- rules across locales -------------------------------------------------------------------


def _signature(
    language: Mapping[str, Any],
) -> tuple[dict[str, dict[str, str]], dict[str, set[str]]]:
    """Intents with their slot types, and custom types with their value ids."""
    intents: dict[str, dict[str, str]] = {}
    for intent in language["intents"]:
        if isinstance(intent, Mapping) and isinstance(intent.get("name"), str):
            intents[intent["name"]] = {
                str(slot.get("name")): str(slot.get("type"))
                for slot in intent.get("slots", []) or []
                if isinstance(slot, Mapping)
            }
    types: dict[str, set[str]] = {}
    for entry in language.get("types", []) or []:
        if isinstance(entry, Mapping) and isinstance(entry.get("values"), list):
            types[str(entry.get("name"))] = {
                str(value.get("id") or value.get("name", {}).get("value"))
                for value in entry["values"]
                if isinstance(value, Mapping)
            }
    return intents, types


def _check_locales_agree(languages: Mapping[str, Mapping[str, Any]]) -> list[Problem]:
    """Every model against the first one: same intents, slots and slot value ids."""
    if len(languages) < 2:
        return []
    labels = list(languages)
    reference = labels[0]
    ref_intents, ref_types = _signature(languages[reference])
    problems: list[Problem] = []
    for label in labels[1:]:
        report = _Report(label)
        intents, types = _signature(languages[label])
        for name in sorted(ref_intents.keys() - intents.keys()):
            report.error(f"missing here but declared in {reference}", intent=name)
        for name in sorted(intents.keys() - ref_intents.keys()):
            report.error(f"declared here but not in {reference}", intent=name)
        for name in sorted(intents.keys() & ref_intents.keys()):
            if intents[name] != ref_intents[name]:
                report.error(
                    f"slots {_slots_text(intents[name])} differ from {reference}'s "
                    f"{_slots_text(ref_intents[name])}",
                    intent=name,
                )
        for type_name in sorted(ref_types.keys() ^ types.keys()):
            where = "here only" if type_name in types else f"only in {reference}"
            report.error(f"declared {where}", type_=type_name)
        for type_name in sorted(ref_types.keys() & types.keys()):
            if ref_types[type_name] != types[type_name]:
                missing = sorted(ref_types[type_name] - types[type_name])
                extra = sorted(types[type_name] - ref_types[type_name])
                report.error(
                    f"value ids differ from {reference}: missing {missing}, extra {extra}",
                    type_=type_name,
                )
        problems.extend(report.problems)
    return problems


def _slots_text(slots: Mapping[str, str]) -> str:
    return "{" + ", ".join(f"{name}: {kind}" for name, kind in sorted(slots.items())) + "}"


# --- entry points ---------------------------------------------------------------------------


def library_titles() -> dict[str, str]:
    """Routine id -> title of the routine library (imported only when a check needs it)."""
    from routines.loader import load_library

    return {routine_id: routine.title for routine_id, routine in load_library().items()}


def check_documents(
    documents: Mapping[str, Any],
    *,
    handled: Collection[str] = HANDLED_INTENTS,
    routines: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Check parsed model documents, keyed by file label; all problems, errors and warnings.

    `routines` maps routine ids to titles; None loads the routine library.
    """
    problems: list[Problem] = []
    if routines is None:
        try:
            routines = library_titles()
        except Exception as error:  # any failure to load is reported, not raised
            problems.append(Problem("routine library", f"cannot load it: {error}"))
            routines = None
    languages: dict[str, Mapping[str, Any]] = {}
    for label, document in documents.items():
        report = _Report(label)
        language = _language_model(document, report)
        if language is not None:
            languages[label] = language
            _check_invocation_name(language.get("invocationName"), report)
            types = _check_types(language, report)
            used = _check_intents(language, types.keys(), report)
            for type_name in sorted(types.keys() - used):
                report.warning("is used by no slot", type_=type_name)
            _check_handlers(language, handled, report)
            if routines is not None:
                _check_routines(types, routines, report)
        problems.extend(report.problems)
    problems.extend(_check_locales_agree(languages))
    return problems


def check_manifest(
    manifest: Any, tasks: Mapping[str, Any], label: str = "skill.json"
) -> list[Problem]:
    """Check a parsed ``skill.json`` against the skill: the timer permission and the timer's
    task are declared, and every declared task has its definition (`tasks`, parsed, keyed by
    file name such as ``ContinueHold.1.json``) with the one path ``/<name>`` taking a POST."""
    report = _Report(label)
    body = manifest.get("manifest") if isinstance(manifest, Mapping) else None
    if not isinstance(body, Mapping):
        report.error("has no manifest object")
        return report.problems
    permissions = body.get("permissions")
    names = (
        [p.get("name") for p in permissions if isinstance(p, Mapping)]
        if isinstance(permissions, list)
        else []
    )
    if TIMER_SCOPE not in names:
        report.error(f"does not declare the permission {TIMER_SCOPE} (long holds use timers)")
    declared = dig(body, "apis", "custom", "tasks")
    declared = declared if isinstance(declared, list) else []
    pairs = [(t.get("name"), t.get("version")) for t in declared if isinstance(t, Mapping)]
    if (TASK_NAME, TASK_VERSION) not in pairs:
        report.error(f"does not declare the task {TASK_NAME} version {TASK_VERSION}")
    for name, version in pairs:
        file = f"{name}.{version}.json"
        definition = tasks.get(file)
        paths = definition.get("paths") if isinstance(definition, Mapping) else None
        if definition is None:
            report.error(f"declares the task {name} but tasks/{file} is missing")
        elif not isinstance(paths, Mapping) or list(paths) != [f"/{name}"]:
            report.error(f"tasks/{file} must have the one path /{name}")
        elif not isinstance(paths[f"/{name}"], Mapping) or "post" not in paths[f"/{name}"]:
            report.error(f"tasks/{file}: /{name} takes no POST")
    return report.problems


def _read_manifest() -> tuple[Any, dict[str, Any]]:
    """The project's own ``skill.json`` and task definitions, parsed."""
    import interaction_model

    package = interaction_model.skill_package()
    manifest = json.loads((package / "skill.json").read_text(encoding="utf-8"))
    folder = package / "tasks"
    tasks = {
        entry.name: json.loads(entry.read_text(encoding="utf-8"))
        for entry in (folder.iterdir() if folder.is_dir() else [])
        if entry.name.endswith(".json")
    }
    return manifest, tasks


def _package_manifest_problems() -> list[Problem]:
    """`check_manifest` on the project's own skill package."""
    label = f"{_PACKAGE_DIR}/skill.json"
    try:
        manifest, tasks = _read_manifest()
    except (OSError, ValueError) as error:
        return [Problem(label, f"cannot read it: {error}")]
    return check_manifest(manifest, tasks, label)


def _expand(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Model files named by `paths`: files as given; folders searched for ASK model JSON."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            custom = path / "interactionModels" / "custom"
            folder = custom if custom.is_dir() else path
            found = sorted(p for p in folder.glob("*.json") if p.name != "skill.json")
            if not found:
                problems.append(Problem(str(path), "no interaction model (*.json) in this folder"))
            files.extend(found)
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    return files, problems


def check_model(
    paths: Sequence[Path] | None = None,
    locale: str | None = None,
    *,
    handled: Collection[str] = HANDLED_INTENTS,
    routines: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Check model files (or the project's own models when `paths` is empty or None).

    `locale` keeps only the file of that locale (`en-US.json`); the locales checked must agree.
    """
    documents: dict[str, Any] = {}
    problems: list[Problem] = []
    if not paths:
        import interaction_model

        wanted = [locale] if locale else list(interaction_model.LOCALES)
        for code in wanted:
            label = f"{_MODEL_DIR}/{code}.json"
            try:
                text = interaction_model.model_file(code).read_text(encoding="utf-8")
            except (ValueError, OSError) as error:
                problems.append(Problem(label, f"cannot read it: {error}"))
                continue
            _parse(label, text, documents, problems)
        problems.extend(_package_manifest_problems())
    else:
        files, problems = _expand(paths)
        if locale:
            files = [path for path in files if path.stem == locale]
            if not files:
                problems.append(
                    Problem(", ".join(map(str, paths)), f"no model for locale {locale}")
                )
        for path in files:
            if not _LOCALE.match(path.stem):
                problems.append(
                    Problem(
                        str(path),
                        "file name is not a locale such as en-US.json",
                        severity="warning",
                    )
                )
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                problems.append(Problem(str(path), f"cannot read it: {error}"))
                continue
            _parse(str(path), text, documents, problems)
    return problems + check_documents(documents, handled=handled, routines=routines)


def _parse(label: str, text: str, documents: dict[str, Any], problems: list[Problem]) -> None:
    try:
        documents[label] = json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(
            Problem(label, f"line {error.lineno} column {error.colno}: not valid JSON: {error.msg}")
        )


def run_check(
    paths: Sequence[Path] | None = None, locale: str | None = None, *, out: TextIO | None = None
) -> int:
    """The CLI's work: print every problem and a summary; 1 if any error, else 0."""
    stream = out if out is not None else sys.stdout
    problems = check_model(paths, locale)
    for problem in problems:
        stream.write(f"{problem}\n")
    errors = sum(1 for problem in problems if problem.severity == "error")
    warnings = len(problems) - errors
    stream.write(
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}\n"
    )
    return 1 if errors else 0
