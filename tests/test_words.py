"""Tests for skill.core.words: the words of an utterance as people type them (their readings
by the resolver are in tests/test_resolver.py)."""

from __future__ import annotations

import pytest

from skill.core.words import normalize


def test_normalize_treats_cases_contractions_digits_and_punctuation_alike() -> None:
    assert normalize("I'm DONE!") == normalize("i am done") == ["i", "am", "done"]
    assert normalize("I\u2019m done") == ["i", "am", "done"]
    assert normalize("What's next?") == ["what", "is", "next"]
    assert normalize("can't") == ["can", "not"] == normalize("cannot")
    # Typed without the apostrophe: "I dont know" answers the pain check as "I don't know".
    assert normalize("I dont know") == normalize("I don't know") == ["i", "do", "not", "know"]
    assert normalize("thats it im done") == ["that", "is", "it", "i", "am", "done"]
    assert normalize("hold 45s") == ["hold", "forty", "five", "s"]
    assert normalize("1.5 minutes") == ["one", "point", "five", "minutes"]
    assert normalize("1:30") == ["one", "minutes", "thirty", "seconds"]
    assert normalize("the leg's sore") == ["the", "legs", "sore"]
    assert normalize("um please") == ["um", "please"]  # nothing else left: keep it


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("nxt pls", ["next"]),
        ("thx u", ["thanks", "you"]),
        ("gimme a sec", ["give", "me", "a", "second"]),
        ("brb", ["hang", "on"]),
        ("lemme rest", ["let", "me", "rest"]),
        ("gonna stop", ["going", "to", "stop"]),
        ("lets go", ["let", "us", "go"]),
        ("wheres the next one", ["where", "is", "the", "next", "one"]),
        ("k", ["okay"]),
        ("okie dokie", ["okay", "dokie"]),
        ("enuf", ["enough"]),
        ("2 mins", ["two", "minutes"]),
        ("want 2 stop", ["want", "to", "stop"]),
        ("go back 2 the start", ["go", "back", "to", "the", "start"]),
        ("want 2 more secs", ["want", "two", "more", "seconds"]),
        ("done 4 today", ["done", "for", "today"]),
        ("its a 4 today", ["its", "a", "four", "today"]),  # a rating, for the pain check
        ("4 today i guess", ["four", "today", "i", "guess"]),
        ("pain is like 2 today", ["pain", "is", "like", "two", "today"]),
        ("hold 4 30 secs", ["hold", "for", "thirty", "seconds"]),
        ("add 4 secs", ["add", "four", "seconds"]),
        ("2.5 mins", ["two", "point", "five", "minutes"]),
        ("b4 breakfast", ["before", "breakfast"]),
        ("sooo loooong", ["so", "loong"]),  # held down; "loong" is a slip for the resolver
        ("thx & bye", ["thanks", "and", "bye"]),
        ("I think Ill stop there", ["i", "think", "i", "will", "stop", "there"]),
        ("ill skip this one", ["i", "will", "skip", "this", "one"]),
        ("feeling ill today", ["feeling", "ill", "today"]),  # the word, not "I'll"
        ("ill give the mat back", ["ill", "give", "the", "mat", "back"]),
        ("imdone 4 today", ["i", "am", "done", "for", "today"]),
        # A recogniser's slips for the command words, but not a hose, which is a hose.
        ("longer hole please", ["longer", "hold"]),
        ("shorter holes", ["shorter", "holds"]),
        ("resume uh re zoom", ["resume", "resume"]),
        ("a shorter hose", ["a", "shorter", "hose"]),
    ],
)
def test_normalize_reads_texting_shorthand_and_number_forms(typed: str, words: list[str]) -> None:
    assert normalize(typed) == words
