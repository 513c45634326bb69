"""Tests for skill.core.clauses: clauses, words of address and talk to someone else, on the
words alone (the resolver's readings of them are in tests/test_resolver.py)."""

from __future__ import annotations

import pytest

from skill.core.clauses import (
    about_someone_else,
    corrections,
    last_command_starts,
    said_by_subject,
    split_clauses,
    takes_object,
    tells_no_command,
    to_someone_else,
)
from skill.core.words import normalize

ROUTINE_WORDS = frozenset("skip the stretch this one hold routine".split())  # noqa: SIM905
"""What a request to the coach may be about, as the resolver gathers it from the model."""


def test_clauses_split_at_punctuation_opening_words_and_words_of_address() -> None:
    assert split_clauses("hang on, the phone is ringing", normalize) == [
        [["hang", "on"]],
        [["the", "phone", "is", "ringing"]],
    ]
    assert split_clauses("i need a minute to get the towel", normalize) == [
        [
            ["i", "need", "a", "minute", "to", "get", "the", "towel"],
            ["i", "need", "a", "minute"],
            ["to", "get"],
            ["the", "towel"],
        ]
    ]
    # A word of address is no clause of its own.
    assert split_clauses("next one please mate", normalize) == [
        [["next", "one", "mate"], ["next", "one"]]
    ]


@pytest.mark.parametrize(
    ("text", "theirs"),
    [
        ("love, can you pass the remote", True),
        ("can you pause the telly", True),
        ("go back to your homework", True),
        ("can you pause the routine", False),
        ("love is all you need", False),
        ("pause please", False),
        ("hang on pet i will feed you in a minute", True),  # doing something to them
        ("wait let me walk you out", True),
        ("hang on i will tell you when i am ready", False),  # telling the coach
        ("sorry, are you talking to me", True),  # the coach speaks to no one else
        ("what are you saying", False),
    ],
)
def test_talk_to_someone_else_is_told_from_talk_to_the_coach(text: str, theirs: bool) -> None:
    assert to_someone_else(text, normalize(text), normalize, ROUTINE_WORDS) is theirs


def test_an_object_after_a_command_is_the_routine_or_someone_elses() -> None:
    assert takes_object(["i", "keep", "counting"], ["the", "days"], ROUTINE_WORDS)
    assert takes_object(["pause"], ["the", "telly"], ROUTINE_WORDS)
    assert not takes_object(["skip"], ["the", "stretch"], ROUTINE_WORDS)


def test_a_verb_after_a_thing_named_is_that_things() -> None:
    assert said_by_subject(["the", "potatoes"], ["need", "more", "time"], ROUTINE_WORDS)
    assert not said_by_subject(["the", "stretch"], ["need", "more", "time"], ROUTINE_WORDS)
    assert not said_by_subject(["my", "legs"], ["need", "more", "time"], ROUTINE_WORDS)


def test_a_clause_about_someone_else_and_clauses_that_say_no_command() -> None:
    assert about_someone_else(split_clauses("no, he's back thursday", normalize))
    assert not about_someone_else(split_clauses("no, not yet", normalize))
    assert tells_no_command(normalize("the phone is ringing"))
    assert tells_no_command(normalize("hold on to"))
    assert not tells_no_command(normalize("keep going"))


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("right doors sorted keep going", [3]),
        ("she always says keep going", []),  # their words
        ("i will stop at the bank", []),  # a verb of the story
        ("okay keep going", []),  # only fillers before: the whole sentence is read
        ("my son sad hang on", []),  # a story's opening
        ("that meeting was way too long", []),  # said of something else
        ("is that builder nearly done", []),
        ("these holds are way too long", [4]),  # said of the routine
    ],
)
def test_a_command_said_last_starts_where_a_sample_can(text: str, starts: list[int]) -> None:
    first_words = frozenset(["keep", "hang", "stop", "too", "nearly"])
    routine_words = ROUTINE_WORDS | {"holds"}
    assert list(last_command_starts(normalize(text), first_words, routine_words)) == starts


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("next no i mean skip it", [(2, 4), (1, 2)]),
        ("stop no not stop just pause", [(4, 5), (1, 2)]),  # "not" then "just"
        ("okay sorry i mean it", []),  # only fillers before it
        ("sorry about that resume", []),
        ("just pause", []),  # no "not" before "just"
    ],
)
def test_a_correction_is_found_after_words_begun(text: str, found: list[tuple[int, int]]) -> None:
    assert corrections(normalize(text)) == found
