"""Tests for speech.numbers: the one number speller, American and British."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from speech.numbers import number_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (20, "twenty"),
        (45, "forty five"),
        (99, "ninety nine"),
        (100, "one hundred"),
        (215, "two hundred fifteen"),
        (1200, "one thousand two hundred"),
        (999_999, "nine hundred ninety nine thousand nine hundred ninety nine"),
    ],
)
def test_numbers_are_spoken_as_words(number: int, words: str) -> None:
    assert number_words(number) == words


@given(st.integers(0, 999_999))
def test_number_words_are_plain_lowercase_words(number: int) -> None:
    words = number_words(number).split(" ")
    assert all(word.isalpha() and word.islower() for word in words)
    # Distinct numbers never sound the same.
    if number:
        assert number_words(number) != number_words(number - 1)


def test_numbers_are_spelled_american_or_british() -> None:
    assert number_words(0) == "zero"
    assert number_words(45) == "forty five"
    assert number_words(105) == "one hundred five"
    assert number_words(105, british=True) == "one hundred and five"
    assert number_words(2005, british=True) == "two thousand and five"
    assert number_words(120_000) == "one hundred twenty thousand"


@pytest.mark.parametrize("number", [-1, 1_000_000])
def test_numbers_out_of_range_are_refused(number: int) -> None:
    with pytest.raises(ValueError, match=f"cannot say {number} in words: only 0 to 999999"):
        number_words(number)
