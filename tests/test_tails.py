"""Tests for skill.core.tails: what the words around a command are, read alone (the resolver's
use of it is tested in test_resolver.py)."""

from __future__ import annotations

import pytest

from skill.core.tails import Tail, View, inner_views, read_tail

FILLERS = frozenset(["please", "a", "the", "this", "one", "for", "i", "to", "now", "okay"])
ADDRESSES = frozenset(["mate"])


def _tail(text: str, end: int, *, wait: bool = False, ending: bool = False) -> Tail | None:
    tokens = text.split()
    return read_tail(
        tokens,
        end,
        wait=wait,
        one_word=end == 1,
        ending=ending,
        fillers=FILLERS,
        addresses=ADDRESSES,
    )


@pytest.mark.parametrize(
    ("text", "end", "wait", "light"),
    [
        ("hang on a tick", 2, True, 1),
        ("hang on two ticks please", 2, True, 2),
        ("stop for now", 1, False, 1),
        ("stop there for tonight", 1, False, 2),
        ("more time on this one please", 2, False, 2),
        ("skip the roller stretch", 1, False, 1),
        ("twenty seconds more on the left side mate", 3, False, 2),
        ("skip this one yeah", 1, False, 2),  # a tag said last
    ],
)
def test_a_time_or_a_place_costs_one_filler_a_phrase(
    text: str, end: int, wait: bool, light: int
) -> None:
    assert _tail(text, end, wait=wait) == Tail(light)


@pytest.mark.parametrize(
    ("text", "end", "wait", "ending", "opens"),
    [
        ("hang on kids are yelling", 2, True, False, 2),
        ("hang on the dog is barking", 2, True, False, 2),
        ("brb door", 1, True, False, 1),
        ("stop there i have to cook dinner", 1, False, True, 2),
        ("hang on a tick to get the towel", 2, True, False, 4),
        ("skip this one because i have no ball", 3, False, False, 3),
    ],
)
def test_a_reason_of_its_own_ends_the_tail(
    text: str, end: int, wait: bool, ending: bool, opens: int
) -> None:
    tail = _tail(text, end, wait=wait, ending=ending)
    assert tail is not None
    assert tail.reason == opens


@pytest.mark.parametrize(
    ("text", "end", "wait", "ending"),
    [
        ("hang on to the receipt", 2, True, False),  # holds it: "to" after no length
        ("next time i will bring a towel", 1, False, False),
        ("stop taking the tablets", 1, False, True),
        ("wait times are long", 1, True, False),  # a one-word command as a modifier
        ("next we go back to manila", 1, False, False),
        ("stop for a minute", 1, False, True),  # a wait's length, and stop is no wait
        ("go to the next exercise", 1, False, False),  # another step, not a place
        ("next door", 1, False, False),  # only a wait is told by what interrupts it
        ("skip yeah i will do it", 1, False, False),  # a tag only when said last
    ],
)
def test_other_words_are_no_tail_of_a_command(
    text: str, end: int, wait: bool, ending: bool
) -> None:
    assert _tail(text, end, wait=wait, ending=ending) is None


def _views(text: str) -> list[View]:
    return list(inner_views(text.split()))


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("take a quick break", "take a break"),
        ("go a whole minute longer", "go a minute longer"),
        ("hold this one longer", "hold longer"),
        ("stay on this one longer", "stay longer"),
        ("can we not hold it as long", "can we not so long"),
        ("do not make it that long", "do not so long"),
        ("twenty more seconds", "twenty seconds more"),
        ("an extra minute please", "a minute more please"),
        ("need a minute", "i need a minute"),
    ],
)
def test_an_inner_view_reads_the_command_the_words_inside_only_qualify(
    text: str, read: str
) -> None:
    views = _views(text)
    assert views
    assert " ".join(views[0].words) == read
    assert not views[0].waits_only


def test_the_article_of_a_degree_left_out_goes_too() -> None:
    assert [" ".join(view.words) for view in _views("hold it a bit longer")] == [
        "hold it a longer",
        "hold it longer",
    ]


def test_a_wait_length_reads_as_a_second_for_a_pause_only() -> None:
    (view,) = _views("give me two ticks to get it")
    assert view.words == ("give", "me", "a", "second", "to", "get", "it")
    assert view.indexes == (0, 1, 2, 3, 4, 5, 6)
    assert view.waits_only


@pytest.mark.parametrize(
    "text",
    [
        "skip this one",  # the place ends the sentence: a tail, not inside
        "i do not hold grudges as long as my sister",  # no verb of holding's object
        "it is not that long",
        "i need a second",
    ],
)
def test_no_view_without_words_inside_to_read(text: str) -> None:
    assert _views(text) == []
