"""What the coach says, as data: phrase tables keyed by name, with variants, per locale.

The words live in `speech/phrases/<locale>.yaml` (Open Voice OS style); code refers to keys
only. A key maps to a list of variants with `{placeholders}`; nested mappings in the file
flatten to dotted keys (`perform.hold.stretch`). Variants are picked deterministically from a
counter the caller passes (a plan position, a turn number), so tests and replays say exactly
the same words every time while a session still sounds varied.

Loading is a chain of small constructors (`load` -> `Phrases.from_yaml` ->
`Phrases.from_dict`) so the part that checks never touches files. Lengths of time are spoken
as words (`duration_words`, with numbers from `speech.numbers`) by pure functions here, because
the same words must come out of every engine (Alexa, espeak-ng, a transcript).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from routines import yamlcache
from speech.numbers import number_words

DEFAULT_LOCALE = "en"


class PhraseError(Exception):
    """Root of every phrase problem."""


class PhraseFileError(PhraseError):
    """A phrase file is missing or malformed."""


class UnknownPhraseError(PhraseError, KeyError):
    """Code asked for a key the phrase table does not have."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class MissingValueError(PhraseError):
    """A phrase needs a placeholder value the caller did not pass."""


# Pure, and asked for every phrase spoken: parsing the template once is enough.
@lru_cache(maxsize=1024)
def placeholders(template: str) -> frozenset[str]:
    """The `{names}` a template needs."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            names.add(name)
    return frozenset(names)


@dataclass(frozen=True)
class Phrases:
    """One locale's phrase table."""

    locale: str
    """The locale the table speaks, such as "en"."""
    table: Mapping[str, tuple[str, ...]]
    """Each key's variants, in file order."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], locale: str, source: str = "<dict>") -> Phrases:
        """Check and flatten a parsed phrase file; `source` names it in errors."""
        table: dict[str, tuple[str, ...]] = {}
        _flatten(data, "", table, source)
        if not table:
            raise PhraseFileError(f"{source}: has no phrases")
        return cls(locale, table)

    @classmethod
    def from_yaml(cls, text: str, locale: str, source: str = "<yaml>") -> Phrases:
        """Parse a phrase file's text."""
        import yaml  # only when a file is parsed (the shipped ones are read from yamlcache)

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise PhraseFileError(f"{source}: not valid YAML: {error}") from None
        if not isinstance(data, dict):
            raise PhraseFileError(f"{source}: must be a mapping of keys to lists of phrases")
        return cls.from_dict(data, locale, source)

    def variants(self, key: str) -> tuple[str, ...]:
        """Every variant of `key`."""
        try:
            return self.table[key]
        except KeyError:
            raise UnknownPhraseError(f"no phrase {key!r} in locale {self.locale!r}") from None

    def placeholders(self, key: str) -> frozenset[str]:
        """Every placeholder any variant of `key` uses."""
        found: frozenset[str] = frozenset()
        for variant in self.variants(key):
            found |= placeholders(variant)
        return found

    def say(self, key: str, /, variant: int = 0, **values: object) -> str:
        """The words for `key`: variant number `variant` (wrapping round) with `values` filled.

        Values a variant does not use are ignored, so callers pass the same values whichever
        variant comes up; a value the variant needs and the caller did not pass is an error.
        """
        options = self.table.get(key) or self.variants(key)
        template = options[variant % len(options)]
        if "{" not in template and "}" not in template:
            return template  # nothing to fill (and no braces to unescape)
        missing = placeholders(template) - values.keys()
        if missing:
            raise MissingValueError(f"phrase {key!r} needs {', '.join(sorted(missing))}")
        return template.format_map(values)


def _flatten(
    data: Mapping[Any, Any], prefix: str, out: dict[str, tuple[str, ...]], source: str
) -> None:
    for raw_key, value in data.items():
        key = f"{prefix}{raw_key}"
        if isinstance(value, dict):
            _flatten(value, f"{key}.", out, source)
        elif isinstance(value, str):
            out[key] = (value,)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            out[key] = tuple(value)
        else:
            raise PhraseFileError(f"{source}: {key}: must be a phrase or a non-empty list of them")
        for template in out.get(key, ()):
            try:
                placeholders(template)
            except ValueError as error:
                raise PhraseFileError(f"{source}: {key}: bad placeholder: {error}") from None


@cache
def load(locale: str = DEFAULT_LOCALE) -> Phrases:
    """The phrase table shipped for `locale` (loaded once; see `routines.yamlcache`)."""
    name = f"{locale}.yaml"
    folder = Path(__file__).parent / "phrases"
    try:
        text = (folder / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PhraseFileError(f"phrases/{name}: cannot read: {error}") from None
    data = yamlcache.cached(yamlcache.read_cache(folder), name, text)
    if isinstance(data, dict):
        return Phrases.from_dict(data, locale, f"phrases/{name}")
    return Phrases.from_yaml(text, locale, f"phrases/{name}")


def say(key: str, /, variant: int = 0, **values: object) -> str:
    """The words for `key` in the default locale; see `Phrases.say`."""
    return load().say(key, variant, **values)


def _unit(number: int, unit: str) -> str:
    return f"{number_words(number)} {unit}{'' if number == 1 else 's'}"


def duration_words(seconds: int) -> str:
    """A length of time as spoken: "forty five seconds", "one minute thirty", "two minutes",
    "one minute and five seconds" (a bare "one minute five" is easy to mishear)."""
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative: {seconds}")
    if seconds < 60:
        return _unit(seconds, "second")
    minutes, rest = divmod(seconds, 60)
    if rest == 0:
        return _unit(minutes, "minute")
    if rest < 10:
        return f"{_unit(minutes, 'minute')} and {_unit(rest, 'second')}"
    return f"{_unit(minutes, 'minute')} {number_words(rest)}"


def minutes_words(seconds: int) -> str:
    """A rough length in whole minutes, at least one: 610 -> "ten minutes"."""
    return _unit(max(1, round(seconds / 60)), "minute")


def join_words(items: list[str], conjunction: str = "and") -> str:
    """A spoken list: "a, b and c"."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
