"""Writes `skill/core/near_words.txt`: the English words one edit from a word of the model.

The resolver corrects a typed word that it does not know onto the one word of the model a
single edit away (`skill.core.spelling`), unless the typed word is English in its own right
("text" is no slip for "next"). Only English words that near a word of the model matter, so
only those are kept, drawn from the English pronouncing dictionary that pocketsphinx ships
(134,000 words, names among them: a name is never corrected either), the words of the safety
data, the coach's own words (routines and phrases), and `NEWER_WORDS`,
which the dictionary is too old for. Run `python -m skill.devtools.near_words` after the
interaction model changes; `tests/test_spelling.py` fails while the file is stale.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

from skill.core.resolver import Resolver
from skill.core.spelling import MIN_LETTERS, NEAR_WORDS_FILE, Speller

__all__ = ["NEWER_WORDS", "english_words", "main", "near_words"]

ROOT: Final = Path(__file__).resolve().parents[2]
NEWER_WORDS: Final = frozenset(
    """zoom wifi selfie emoji online app apps texting texted googled vape vaping hashtag
    podcast podcasts covid laptop smartphone uber netflix youtube""".split()  # noqa: SIM905
)
"""English words too new for the pronouncing dictionary."""
_WORD: Final = re.compile(r"[a-z]+")
_STEM: Final = re.compile(r"[a-z]+(?=\\w|[(\[{*+])")
"""In a pattern of the safety data, the stem of words, no word ("tingl\\w*", "stopp(?:ed|ing)")."""
_ESCAPE: Final = re.compile(r"\\[a-z]")
"""In a pattern, an escape: "\\bback" is "back"."""


def _dictionary_words() -> Iterable[str]:
    import pocketsphinx  # a dependency of the local coach; read here, never at run time

    path = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"
    for line in path.read_text(encoding="utf-8").splitlines():
        yield line.split(" ", 1)[0].split("(", 1)[0]


def _text_words(paths: Iterable[Path]) -> Iterable[str]:
    for path in paths:
        text = _STEM.sub(" ", path.read_text(encoding="utf-8").lower())
        yield from _WORD.findall(_ESCAPE.sub(" ", text))


def english_words() -> frozenset[str]:
    """Every word of the sources above, lower case."""
    core = ROOT / "skill" / "core"
    texts = [
        core / "safety.yaml",
        *sorted((ROOT / "routines" / "library").glob("*.yaml")),
        *sorted((ROOT / "speech" / "phrases").glob("*.yaml")),
    ]
    return frozenset(
        word for word in (*_dictionary_words(), *_text_words(texts), *NEWER_WORDS) if word.isalpha()
    )


def near_words(vocabulary: frozenset[str], english: Iterable[str]) -> list[str]:
    """The words of `english` that a typed slip could be taken for: of `MIN_LETTERS` or more,
    not in `vocabulary`, one edit from a word of it; sorted."""
    speller = Speller(vocabulary)
    return sorted(
        word
        for word in set(english)
        if len(word) >= MIN_LETTERS and word not in vocabulary and speller.near(word)
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Write the file for the project's model."""
    parser = argparse.ArgumentParser(
        prog="python -m skill.devtools.near_words",
        description=f"Write {NEAR_WORDS_FILE.name}: the English words one edit from a word of the "
        "interaction model, which typed-slip correction never touches; run it after the model "
        "changes (a test fails while the file is stale).",
    )
    parser.parse_args(argv)
    words = near_words(Resolver.for_locale().words, english_words())
    NEAR_WORDS_FILE.write_text("".join(f"{word}\n" for word in words), encoding="utf-8")
    print(f"{NEAR_WORDS_FILE}: {len(words)} words")


if __name__ == "__main__":
    main()
