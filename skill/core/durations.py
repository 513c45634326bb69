"""Durations both ways: spoken English to ISO 8601 (as Alexa's AMAZON.DURATION gives them) and back.

Also English number words to integers (spelled by `speech.numbers`, whose word lists this
reads), which the utterance resolver uses to read "forty five" and "45" alike. Everything here
is pure text arithmetic.

The ISO form is canonical: the total length split into hours, minutes and seconds, so "ninety
seconds" and "a minute and a half" both become `PT1M30S`. Parsing the ISO form accepts what
Alexa sends (`PT45S`, `PT1M30S`, `PT2M`, `PT1.5M`, `P1D`) and rejects the rest with a
`DurationError` naming the problem; it does not clamp, the session does that.
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction

from speech.numbers import ONES, TENS

__all__ = [
    "DurationError",
    "is_unit",
    "iso_to_seconds",
    "parse_spoken_duration",
    "seconds_to_iso",
    "spoken_to_iso",
    "words_to_number",
]


class DurationError(ValueError):
    """A text that is not a number or a duration this module understands."""


_SMALL_VALUES = {word: value for value, word in enumerate(ONES)}
_TENS = {word: 10 * index for index, word in enumerate(TENS) if word}
# Common misspellings heard from speech recognisers and typists alike.
_ALIASES = {"fourty": "forty", "ninty": "ninety", "oh": "zero", "nought": "zero"}


def _tokens(text: str) -> list[str]:
    """Lower-case words; hyphens and commas between words count as spaces."""
    cleaned = re.sub(r"(?<=[0-9]),(?=[0-9]{3}\b)", "", text.lower())
    return [_ALIASES.get(token, token) for token in re.split(r"[\s,\-]+", cleaned) if token]


def words_to_number(text: str | list[str]) -> int:
    """Read a whole number written in English words or digits ("forty five", "45", "a hundred").

    Accepts "and" after hundreds and thousands, hyphens ("forty-five") and "twelve hundred".
    Raises `DurationError` for anything else, including an empty text.
    """
    tokens = _tokens(text) if isinstance(text, str) else list(text)
    if len(tokens) == 1 and _is_digits(tokens[0]):
        return int(tokens[0])
    value, end = _parse_number(tokens, 0)
    if value is None or end != len(tokens):
        shown = text if isinstance(text, str) else " ".join(text)
        raise DurationError(f"not a number: {shown!r}")
    return value


def _is_digits(token: str) -> bool:
    """Plain ASCII digits of sane length: str.isdigit() also accepts "²", which int() refuses."""
    return token.isascii() and token.isdigit() and len(token) <= 12


def _at(tokens: list[str], k: int) -> str:
    """The token at `k`, or "" past the end (saves a bounds check at every look-ahead)."""
    return tokens[k] if k < len(tokens) else ""


def _parse_under_hundred(tokens: list[str], i: int) -> tuple[int | None, int]:
    if i >= len(tokens):
        return None, i
    token = tokens[i]
    if token in _TENS:
        value = _TENS[token]
        if i + 1 < len(tokens) and 1 <= _SMALL_VALUES.get(tokens[i + 1], 0) <= 9:
            return value + _SMALL_VALUES[tokens[i + 1]], i + 2
        return value, i + 1
    if token in _SMALL_VALUES and token != "zero":
        return _SMALL_VALUES[token], i + 1
    return None, i


def _parse_under_thousand(tokens: list[str], i: int) -> tuple[int | None, int]:
    """Parse "[N hundred [and]] [M]" with N from 1 to 99 ("twelve hundred" is 1200)."""
    if _at(tokens, i) in ("a", "an", "one") and _at(tokens, i + 1) == "hundred":
        hundreds, i = 1, i + 2
    else:
        head, j = _parse_under_hundred(tokens, i)
        if head is None:
            return None, i
        if _at(tokens, j) != "hundred":
            return head, j
        hundreds, i = head, j + 1
    value = hundreds * 100
    j = i + 1 if _at(tokens, i) == "and" else i
    tail, k = _parse_under_hundred(tokens, j)
    if tail is None:
        return value, i
    return value + tail, k


def _parse_number(tokens: list[str], i: int) -> tuple[int | None, int]:
    """Parse the longest whole number starting at `i`; returns (None, i) when there is none."""
    if _at(tokens, i) == "zero":
        return 0, i + 1
    if _is_digits(_at(tokens, i)):
        return int(_at(tokens, i)), i + 1
    if _at(tokens, i) in ("a", "an") and _at(tokens, i + 1) == "thousand":
        thousands, j = 1, i + 1
    else:
        head, j = _parse_under_thousand(tokens, i)
        if head is None:
            return None, i
        if _at(tokens, j) != "thousand" or head >= 1000:
            return head, j
        thousands = head
    value = thousands * 1000
    rest_at = j + 2 if _at(tokens, j + 1) == "and" else j + 1
    rest, k = _parse_under_thousand(tokens, rest_at)
    if rest is None or rest >= 1000:
        return value, j + 1
    return value + rest, k


# --- durations ---------------------------------------------------------------------------

_UNITS = {
    "second": 1,
    "seconds": 1,
    "sec": 1,
    "secs": 1,
    "s": 1,
    "minute": 60,
    "minutes": 60,
    "min": 60,
    "mins": 60,
    "hour": 3600,
    "hours": 3600,
    "hr": 3600,
    "hrs": 3600,
    "h": 3600,
}
_CLOCK = re.compile(r"^(?:([0-9]{1,6}):)?([0-9]{1,2}):([0-9]{2})(?:\s+(?:minutes?|mins?))?$")


def _duration_tokens(text: str) -> list[str]:
    # "45s" and "1m30s" are typed forms; split the digits from their unit letters.
    spaced = re.sub(r"(?<=[0-9])(?=[a-z])|(?<=[a-z])(?=[0-9])", " ", text.lower())
    return ["min" if token == "m" else token for token in _tokens(spaced) if token != "for"]


def _parse_quantity(tokens: list[str], i: int) -> tuple[Fraction | None, int]:
    """A count before a unit: a number, "a"/"an", a decimal, or any of those "and a half"."""
    amount: Fraction | None
    if _at(tokens, i) in ("a", "an") and _at(tokens, i + 1) not in ("thousand", "hundred"):
        amount, j = Fraction(1), i + 1
    elif re.fullmatch(r"[0-9]{1,12}\.[0-9]{1,9}", _at(tokens, i)):
        amount, j = Fraction(_at(tokens, i)), i + 1
    else:
        whole, j = _parse_number(tokens, i)
        if whole is None:
            return None, i
        amount = Fraction(whole)
        if _at(tokens, j) == "point" and _at(tokens, j + 1) in _SMALL_VALUES:
            digits = ""
            j += 1
            while _at(tokens, j) in _SMALL_VALUES and _SMALL_VALUES[_at(tokens, j)] <= 9:
                digits += str(_SMALL_VALUES[_at(tokens, j)])
                j += 1
            amount += Fraction(int(digits), 10 ** len(digits))
    if tokens[j : j + 3] in (["and", "a", "half"], ["and", "one", "half"]):
        amount += Fraction(1, 2)
        j += 3
    return amount, j


def _parse_fraction_of_unit(tokens: list[str], i: int) -> tuple[Fraction | None, int]:
    """ "half a minute", "a quarter of an hour", "three quarters of an hour"."""
    j = i + 1 if _at(tokens, i) in ("a", "an", "one") else i
    share: Fraction | None = None
    if _at(tokens, j) == "half":
        share, j = Fraction(1, 2), j + 1
    elif _at(tokens, j) == "quarter":
        share, j = Fraction(1, 4), j + 1
    elif _at(tokens, j) == "three" and _at(tokens, j + 1) == "quarters":
        share, j = Fraction(3, 4), j + 2
    if share is None:
        return None, i
    if _at(tokens, j) == "of":
        j += 1
    if _at(tokens, j) in ("a", "an"):
        j += 1
    unit = _UNITS.get(_at(tokens, j))
    if unit is None:
        return None, i
    return share * unit, j + 1


def parse_spoken_duration(text: str) -> int:
    """Seconds in a spoken or typed duration, rounded to the nearest second.

    Understands "forty five seconds", "45 seconds", "45s", "a minute and a half", "one and a
    half minutes", "half a minute", "two minutes", "ninety seconds", "1 minute 30 seconds",
    "a minute thirty", "an hour and ten minutes", "1:30". Raises `DurationError` otherwise.
    """
    stripped = text.strip().lower()
    clock = _CLOCK.match(stripped)
    if clock:
        return _clock_seconds(clock, text)
    if stripped.startswith("-") or re.search(r"\b(minus|negative)\b", stripped):
        raise DurationError(f"a duration cannot be negative: {text!r}")
    tokens = _duration_tokens(stripped)
    if not tokens:
        raise DurationError("not a duration: the text is empty")
    return int(_spoken_total(tokens, text) + Fraction(1, 2))


def _clock_seconds(clock: re.Match[str], text: str) -> int:
    """Seconds in a clock-style duration ("1:30", "1:02:03") matched by `_CLOCK`."""
    hours, minutes, seconds = clock.groups()
    if int(seconds) >= 60:
        raise DurationError(f"not a duration: {text!r} (seconds past 59)")
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)


def _spoken_total(tokens: list[str], text: str) -> Fraction:
    """Seconds in the tokens of a spoken duration, unrounded; `text` names it in errors."""
    total = Fraction(0)
    i = 0
    last_unit: int | None = None
    while i < len(tokens):
        if last_unit is not None and tokens[i] in ("and", "plus"):
            i += 1
        part, j = _parse_fraction_of_unit(tokens, i)
        if part is not None:
            total += part
            last_unit = None
            i = j
            continue
        amount, j = _parse_quantity(tokens, i)
        if amount is None:
            raise DurationError(f"not a duration: {text!r}")
        unit = _UNITS.get(tokens[j]) if j < len(tokens) else None
        if unit is None:
            # "a minute thirty": a bare number after a unit counts in the next smaller unit.
            if last_unit in (60, 3600) and j == len(tokens):
                total += amount * (last_unit // 60)
                break
            raise DurationError(f"not a duration: {text!r} (a number without a unit)")
        j += 1
        if tokens[j : j + 3] in (["and", "a", "half"], ["and", "one", "half"]):
            amount += Fraction(1, 2)
            j += 3
        total += amount * unit
        last_unit = unit
        i = j
    return total


def spoken_to_iso(text: str) -> str:
    """The canonical ISO 8601 duration for a spoken one: "a minute and a half" -> "PT1M30S"."""
    return seconds_to_iso(parse_spoken_duration(text))


def seconds_to_iso(seconds: int) -> str:
    """A canonical ISO 8601 duration: 90 -> "PT1M30S", 120 -> "PT2M", 0 -> "PT0S"."""
    if seconds < 0:
        raise DurationError(f"a duration cannot be negative: {seconds} s")
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if secs or seconds == 0:
        text += f"{secs}S"
    return text


# Bounded digit runs: int() of thousands of digits is refused, and no hold is that long.
_NUM = r"([0-9]{1,12}(?:[.,][0-9]{1,9})?)"
_ISO = re.compile(
    rf"^P(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}W)?(?:{_NUM}D)?(?:T(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?$"
)


def iso_to_seconds(value: str) -> int:
    """Seconds in an ISO 8601 duration such as Alexa sends: "PT45S" -> 45, "PT1M30S" -> 90.

    Weeks and days count as 7 and 1 days; fractions are rounded to the nearest second. Raises
    `DurationError` for text that is not a duration, for a negative one, for years or months
    (no fixed length), and for Alexa's unspecified amounts such as "PTXM" ("a few minutes").
    """
    text = value.strip().upper()
    if not text:
        raise DurationError("not an ISO 8601 duration: the text is empty")
    if "-" in text:
        raise DurationError(f"a duration cannot be negative: {value!r}")
    if re.search(r"X[WDHMS]", text):
        raise DurationError(f"the duration {value!r} has no definite amount")
    match = _ISO.match(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        raise DurationError(f"not an ISO 8601 duration: {value!r} (expected a form like PT45S)")
    years, months, weeks, days, hours, minutes, seconds = match.groups()
    if years or months:
        raise DurationError(f"years and months have no fixed length in seconds: {value!r}")
    scale = (7 * 86400, 86400, 3600, 60, 1)
    total = Fraction(0)
    for amount, unit in zip((weeks, days, hours, minutes, seconds), scale, strict=True):
        if amount:
            total += Fraction(amount.replace(",", ".")) * unit
    return int(total + Fraction(1, 2))


@functools.lru_cache(maxsize=4096)
def is_unit(word: str) -> bool:
    """Whether a word is a unit of time ("seconds", "min"), as `spoken_to_iso` knows them."""
    try:
        spoken_to_iso(f"two {word}")
    except DurationError:
        return False
    return True
