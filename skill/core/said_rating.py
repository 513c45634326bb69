"""A pain rating said inside a sentence, read while the pain check waits for one.

The interaction model's samples take the usual answers ("six", "about a six", "my pain is a
four"). People also answer in their own words: "it's about a 6 I guess", "pretty bad, like an
eight", "nine today", "not bad, a 3". While the check waits, and only then (elsewhere "I did
5 reps" is no rating), a sentence the samples do not read is taken as the rating when it names
exactly one whole number from zero to ten as a rating: not an amount ("two minutes", "three
times"), not "one" used as a word ("that one", "one more"), "out of ten" aside. Two numbers
("between five and six", "six point five") are no single answer: the check asks again.
"""

from __future__ import annotations

from typing import Final

from routines.session import MAX_RATING
from skill.core.words import normalize
from speech.numbers import number_words

_VALUES: Final = {number_words(value): value for value in range(MAX_RATING + 1)}
"""The number words of the ratings ("zero" .. "ten"), as `normalize` spells digits."""
_UNITS: Final = frozenset(
    """second seconds sec secs minute minutes min mins hour hours day days week weeks month
    months year years time times rep reps set sets step steps percent oclock am pm""".split()  # noqa: SIM905
)
"""Words after a number that make it an amount, not a rating."""
_NOT_A_NUMBER: Final = frozenset(
    "this that the next last another which each every no any other".split()  # noqa: SIM905
)
"""Words before "one" that make it a word ("that one"), not a rating."""
_MORE: Final = frozenset(["more", "of", "side", "leg", "foot", "thing", "bit"])
"""Words after "one" that make it a word ("one more", "one side")."""


def rating_said(text: str) -> int | None:
    """The one rating from zero to ten that `text` names, or None if it names none or more."""
    tokens = normalize(text)
    found: set[int] = set()
    for index, token in enumerate(tokens):
        value = _VALUES.get(token)
        if value is None:
            continue
        before = tokens[index - 1] if index > 0 else ""
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        if after in _UNITS:
            continue
        if token == "one" and (before in _NOT_A_NUMBER or after in _MORE):
            continue
        if value == MAX_RATING and (
            tokens[index - 2 : index] == ["out", "of"] or before in _VALUES
        ):
            continue  # the scale: "six out of ten", "6/10"
        found.add(value)
        if after == "point":
            return None  # "six point five": not a whole rating
    return found.pop() if len(found) == 1 else None
