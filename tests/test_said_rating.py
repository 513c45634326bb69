"""A pain rating said in the user's own words, while the pain check waits (`rating_said`)."""

from __future__ import annotations

import pytest

from skill.core.said_rating import rating_said


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("its about a 6 i guess", 6),
        ("seven-ish", 7),
        ("not bad, a 3", 3),
        ("pretty bad, like an eight", 8),
        ("nine today", 9),
        ("maybe one", 1),
        ("a solid 10 today", 10),
        ("ten out of ten", 10),
        ("5/10", 5),
        ("zero", 0),
        ("about 2 minutes ago it was a four", 4),  # an amount is no rating
    ],
)
def test_the_one_rating_a_sentence_names(text: str, rating: int) -> None:
    assert rating_said(text) == rating


@pytest.mark.parametrize(
    "text",
    [
        "between 5 and 6",  # two answers: asked again
        "6.5",
        "honestly i dunno",
        "that one was hard",
        "one more minute",
        "I did it 3 times",
        "eleven",  # off the scale
        "",
    ],
)
def test_no_rating_when_a_sentence_names_none_or_two(text: str) -> None:
    assert rating_said(text) is None
