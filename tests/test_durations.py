"""Tests for skill.core.durations: reading number words, spoken durations and ISO 8601 durations."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.core.durations import (
    DurationError,
    iso_to_seconds,
    parse_spoken_duration,
    seconds_to_iso,
    spoken_to_iso,
    words_to_number,
)
from speech.numbers import number_words
from speech.phrases import duration_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zero", 0),
        ("seven", 7),
        ("nineteen", 19),
        ("forty five", 45),
        ("forty-five", 45),
        ("fourty five", 45),
        ("45", 45),
        ("a hundred", 100),
        ("one hundred and five", 105),
        ("one hundred five", 105),
        ("twelve hundred", 1200),
        ("a thousand and one", 1001),
        ("two thousand three hundred forty", 2340),
        ("nine hundred ninety nine thousand nine hundred ninety nine", 999_999),
        ("1,000", 1000),
    ],
)
def test_words_to_number_reads_english_and_digits(text: str, expected: int) -> None:
    assert words_to_number(text) == expected


@pytest.mark.parametrize(
    "text", ["", "five five", "twenty ninety", "hundred", "one and", "zero five", "lots", "a"]
)
def test_words_to_number_rejects_what_is_not_one_number(text: str) -> None:
    with pytest.raises(DurationError, match="not a number"):
        words_to_number(text)


@given(st.integers(min_value=0, max_value=999_999), st.booleans())
def test_number_words_round_trip(number: int, british: bool) -> None:
    assert words_to_number(number_words(number, british=british)) == number


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("forty five seconds", "PT45S"),
        ("Forty-Five Seconds", "PT45S"),
        ("45 seconds", "PT45S"),
        ("45s", "PT45S"),
        ("45 sec", "PT45S"),
        ("for 45 seconds", "PT45S"),
        ("a minute and a half", "PT1M30S"),
        ("one and a half minutes", "PT1M30S"),
        ("a minute thirty", "PT1M30S"),
        ("1 minute 30 seconds", "PT1M30S"),
        ("one minute and thirty seconds", "PT1M30S"),
        ("ninety seconds", "PT1M30S"),
        ("1.5 minutes", "PT1M30S"),
        ("one point five minutes", "PT1M30S"),
        ("1m30s", "PT1M30S"),
        ("1:30", "PT1M30S"),
        ("half a minute", "PT30S"),
        ("two minutes", "PT2M"),
        ("a minute", "PT1M"),
        ("an hour and ten minutes", "PT1H10M"),
        ("a quarter of an hour", "PT15M"),
        ("three quarters of an hour", "PT45M"),
        ("zero seconds", "PT0S"),
        ("one hundred and twenty seconds", "PT2M"),
    ],
)
def test_spoken_to_iso(text: str, iso: str) -> None:
    assert spoken_to_iso(text) == iso


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("seconds", "not a duration"),
        ("forty five", "without a unit"),
        ("five five seconds", "without a unit"),
        ("hold longer", "not a duration"),
        ("-5 seconds", "negative"),
        ("minus five seconds", "negative"),
        ("1:75", "past 59"),
    ],
)
def test_parse_spoken_duration_rejects_garbage(text: str, reason: str) -> None:
    with pytest.raises(DurationError, match=reason):
        parse_spoken_duration(text)


@pytest.mark.parametrize(
    ("iso", "seconds"),
    [
        ("PT45S", 45),
        ("PT1M30S", 90),
        ("PT90S", 90),
        ("PT2M", 120),
        ("PT10H", 36_000),
        ("PT1.5M", 90),
        ("PT0,5M", 30),
        ("P1D", 86_400),
        ("P1W", 604_800),
        ("P1DT1S", 86_401),
        (" pt45s ", 45),
        ("PT0S", 0),
    ],
)
def test_iso_to_seconds(iso: str, seconds: int) -> None:
    assert iso_to_seconds(iso) == seconds


@pytest.mark.parametrize(
    ("iso", "reason"),
    [
        ("PT-5S", "negative"),
        ("-PT5S", "negative"),
        ("", "empty"),
        ("P", "not an ISO 8601 duration"),
        ("PT", "not an ISO 8601 duration"),
        ("P1DT", "not an ISO 8601 duration"),
        ("45S", "not an ISO 8601 duration"),
        ("PTS", "not an ISO 8601 duration"),
        ("PT5X", "not an ISO 8601 duration"),
        ("PT1S2M", "not an ISO 8601 duration"),
        ("forty five", "not an ISO 8601 duration"),
        ("PTXM", "no definite amount"),
        ("P1Y", "no fixed length"),
        ("P2M", "no fixed length"),
    ],
)
def test_iso_to_seconds_rejects_garbage_with_a_reason(iso: str, reason: str) -> None:
    with pytest.raises(DurationError, match=reason):
        iso_to_seconds(iso)


def test_duration_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not an ISO 8601 duration: 'nonsense'"):
        iso_to_seconds("nonsense")


def test_seconds_to_iso_is_canonical() -> None:
    assert [seconds_to_iso(s) for s in (0, 45, 60, 90, 3600, 3725)] == [
        "PT0S",
        "PT45S",
        "PT1M",
        "PT1M30S",
        "PT1H",
        "PT1H2M5S",
    ]
    with pytest.raises(DurationError, match="negative"):
        seconds_to_iso(-1)


@given(st.integers(min_value=0, max_value=10 * 3600))
def test_iso_round_trip(seconds: int) -> None:
    assert iso_to_seconds(seconds_to_iso(seconds)) == seconds


@given(st.integers(min_value=0, max_value=10 * 3600))
def test_spoken_round_trip(seconds: int) -> None:
    """A duration as the coach says it is read back as itself."""
    assert parse_spoken_duration(duration_words(seconds)) == seconds


@given(st.text(max_size=40))
def test_any_text_is_a_duration_or_a_duration_error(text: str) -> None:
    for parse in (parse_spoken_duration, iso_to_seconds):
        with contextlib.suppress(DurationError):
            assert parse(text) >= 0


def test_absurdly_long_digit_runs_are_a_duration_error() -> None:
    digits = "9" * 5000
    with pytest.raises(DurationError):
        iso_to_seconds(f"PT{digits}S")
    with pytest.raises(DurationError):
        parse_spoken_duration(f"{digits} seconds")
    with pytest.raises(DurationError):
        parse_spoken_duration(f"{digits}.5 seconds")
