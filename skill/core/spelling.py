"""Spelling slips in typed lines: a word the model does not know, one edit from one it does.

Typed lines come with slips ("repaet", "stpo the session", "longr hold"). Before the samples
are matched, a word of four letters or more that is no word the resolver knows is replaced by
the one word of the model's samples that is a single edit away: a letter missing, one too many
(a letter doubled), two neighbours swapped, or one letter wrong. Never when two words of the
model are as near (the slip could be either), and never when the word is itself an English
word: "text" is one letter from "next", "cause" from "pause", and neither is a slip.

Knowing an English word offline: only English words one edit from a word of the model could be
taken for slips, so those are the ones kept, in `near_words.txt` beside this module, drawn
from the pronouncing dictionary that pocketsphinx ships, the safety data's words and a short
list of newer words (`python -m skill.devtools.near_words` writes it again after the model
changes; a test fails while it is stale). The safety detector reads the raw text, not these
corrections: a symptom typed with a slip is its own to find.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final

__all__ = ["MIN_LETTERS", "NEAR_WORDS_FILE", "Speller", "shipped_near_words"]

NEAR_WORDS_FILE: Final = Path(__file__).with_name("near_words.txt")
"""English words one edit from a word of the model, one a line (generated)."""
MIN_LETTERS: Final = 4
"""Shorter words are not corrected: "bak" or "hte" is too near too many words to tell."""
_MEMO_SIZE: Final = 4096


def _deletes(word: str) -> set[str]:
    """`word` and every string it gives with one letter deleted."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _slip(typed: str, word: str) -> int | None:
    """How likely a slip `typed` is for `word`, if it is one edit: 0 two neighbours swapped, 1 a
    letter missing, 2 a letter doubled, 3 a letter wrong, 4 another letter too many (slips of
    the hand first, "paus" is "pause" rather than "pass"); None if it is not."""
    if len(typed) == len(word):
        differ = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(differ) == 1:
            return 3
        if len(differ) != 2 or differ[1] != differ[0] + 1:
            return None
        first, second = differ
        return 0 if (typed[first], typed[second]) == (word[second], word[first]) else None
    if len(typed) + 1 == len(word):
        return 1 if any(word[:i] + word[i + 1 :] == typed for i in range(len(word))) else None
    if len(typed) == len(word) + 1:
        extra = [i for i in range(len(typed)) if typed[:i] + typed[i + 1 :] == word]
        if not extra:
            return None
        doubled = any(i > 0 and typed[i - 1] == typed[i] for i in extra)
        return 2 if doubled else 4
    return None


def shipped_near_words() -> frozenset[str]:
    """The English words kept beside this module (`NEAR_WORDS_FILE`)."""
    return frozenset(NEAR_WORDS_FILE.read_text(encoding="utf-8").split())


class Speller:
    """Corrects a typed word onto the model's words (`correct`)."""

    def __init__(self, vocabulary: Iterable[str], known: Iterable[str] = ()) -> None:
        """`vocabulary`: the words corrections go to (the model's); `known`: other words that
        are never corrected (English words near the model's, words of the safety data)."""
        self._vocabulary = frozenset(vocabulary)
        self._known = self._vocabulary | frozenset(known)
        by_deletion: dict[str, set[str]] = {}
        for word in self._vocabulary:
            for key in _deletes(word):
                by_deletion.setdefault(key, set()).add(word)
        self._by_deletion = {key: frozenset(words) for key, words in by_deletion.items()}
        self._memo: dict[str, str] = {}

    def word(self, typed: str) -> str:
        """The model's word `typed` is a slip for, or `typed` itself."""
        found = self._memo.get(typed)
        if found is None:
            if len(self._memo) >= _MEMO_SIZE:  # a server reads endless new words
                self._memo.clear()
            found = self._memo[typed] = self._corrected(typed)
        return found

    def correct(self, tokens: Iterable[str]) -> list[str]:
        """`tokens` with each slip corrected (`word`)."""
        return [self.word(token) for token in tokens]

    def near(self, typed: str) -> dict[str, int]:
        """The words of the vocabulary one edit from `typed`, with how likely each slip is
        (`_slip`: lower is likelier)."""
        # Two strings one edit apart share a string of at most one deletion from each.
        found = {word for key in _deletes(typed) for word in self._by_deletion.get(key, ())}
        slips = {word: _slip(typed, word) for word in found if word != typed}
        return {word: slip for word, slip in slips.items() if slip is not None}

    def _corrected(self, typed: str) -> str:
        if len(typed) < MIN_LETTERS or typed in self._known or not typed.isalpha():
            return typed
        near = self.near(typed)
        if not near:
            return typed
        likeliest = min(near.values())
        best = [word for word, slip in near.items() if slip == likeliest]
        return best[0] if len(best) == 1 else typed
