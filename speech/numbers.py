"""Whole numbers as English words: the one speller for what the coach says and understands.

Prompts ("step two of five"), countdowns, Alexa SSML and the utterance resolver's grammar all
spell numbers here, so a number sounds the same on every engine and the words the coach says are
the words it reads back (`skill.core.durations.words_to_number` parses with the same lists).
Pure text, no I/O.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MAX_NUMBER", "ONES", "TENS", "number_words"]

ONES: Final[tuple[str, ...]] = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
"""The words for 0 to 19, by value."""

TENS: Final[tuple[str, ...]] = (
    *("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
)
"""The words for 20, 30, ... 90 at index 2 to 9 (0 and 10 have no tens word)."""

MAX_NUMBER: Final = 999_999
"""The largest number spelled."""


def number_words(number: int, *, british: bool = False) -> str:
    """A whole number from 0 to 999,999 as a voice says it: 45 -> "forty five".

    With `british`, "and" joins the hundreds (or thousands) to the rest: "one hundred and five".

    Raises:
        ValueError: for a number out of range.
    """
    if not 0 <= number <= MAX_NUMBER:
        raise ValueError(f"cannot say {number} in words: only 0 to {MAX_NUMBER} are supported")
    if number < 1000:
        return _under_thousand(number, british)
    thousands, rest = divmod(number, 1000)
    words = f"{_under_thousand(thousands, british)} thousand"
    if not rest:
        return words
    return words + (" and " if british and rest < 100 else " ") + _under_thousand(rest, british)


def _under_thousand(number: int, british: bool) -> str:
    if number < 20:
        return ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return TENS[tens] + (f" {ONES[ones]}" if ones else "")
    hundreds, rest = divmod(number, 100)
    words = f"{ONES[hundreds]} hundred"
    if not rest:
        return words
    return words + (" and " if british else " ") + _under_thousand(rest, british)
