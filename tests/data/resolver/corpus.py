"""The resolver corpus: utterances that must resolve to a command, and chit-chat that must not.

`tuning.tsv` is the half the resolver was tuned on, `heldout.tsv` the half it never was. Each
line is `utterance<TAB>intent<TAB>slot=value,...`; the intent `-` means the utterance is
ordinary talk that must stay unresolved. `blind_tuning.tsv` and `blind_heldout.tsv` are a
corpus written later by an author who read nothing of ours (commands inside longer sentences
with their reasons, chat with command words), split by family the same way; `blind2_*` a second
one by another author (older speakers, English as a second language). Their held-out halves were
read after two rounds of mending and then retired to tuning material, as were those of `blind3_*`
(typed lines: typos, texting shorthand) and `blind4_*` (spoken mid-exercise, terse, slangy) after
one round; then those of `blind5_*` (older and polite speakers, English as a second language)
and `blind6_*` (the routine's own situations: the count, the props, amounts in every form), after
one round each. `blind7_*` (first-time users who do not know the command words) and `blind8_*`
(recogniser transcripts mid-exercise: self-corrections, repeats, slips) were measured before and
after one round; `blind9_*` (a cross-section of users who know the coach a little) and
`blind10_*` (out of breath or distracted), written later, are the measure now.
A sentence no sample reads may carry a guess (`Resolution.guess`), which the local coach asks
about: the figures count commands asked about with the right guess or a wrong one, commands
ignored (neither guessed nor checked), and chit-chat asked about.
`python tests/data/resolver/corpus.py` prints the figures of every half and the mean time per
utterance and per guess; `tests/test_resolver.py` asserts them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from skill.core.resolution import Resolution
from skill.core.resolver import Resolver

HERE = Path(__file__).parent
HALVES = ("tuning", "heldout")
BLIND_HALVES = ("blind_tuning", "blind_heldout")
BLIND2_HALVES = ("blind2_tuning", "blind2_heldout")
BLIND3_HALVES = ("blind3_tuning", "blind3_heldout")
BLIND4_HALVES = ("blind4_tuning", "blind4_heldout")
BLIND5_HALVES = ("blind5_tuning", "blind5_heldout")
BLIND6_HALVES = ("blind6_tuning", "blind6_heldout")
BLIND7_HALVES = ("blind7_tuning", "blind7_heldout")
BLIND8_HALVES = ("blind8_tuning", "blind8_heldout")
BLIND9_HALVES = ("blind9_tuning", "blind9_heldout")
BLIND10_HALVES = ("blind10_tuning", "blind10_heldout")


@dataclass(frozen=True)
class Case:
    """One line of the corpus."""

    text: str
    intent: str | None
    """The expected intent, or None for chit-chat."""
    slots: dict[str, str]


@dataclass(frozen=True)
class Figures:
    """How one half of the corpus fared."""

    commands: int
    commands_right: int
    chat: int
    chat_resolved: int
    wrong: tuple[str, ...]
    """The utterances that went wrong, with what they resolved to."""
    asked_right: int = 0
    """Commands no sample read (the fallback) whose guess, asked about, is the command meant."""
    asked_wrong: int = 0
    """Commands no sample read whose guess is another command."""
    ignored: int = 0
    """Commands no sample read, with nothing guessed nor checked: the coach said nothing."""
    chat_asked: int = 0
    """Chit-chat no sample read but asked about as a guessed command (a "no" to say)."""

    @property
    def command_rate(self) -> float:
        """The share of commands resolved to the right intent and slots."""
        return self.commands_right / self.commands

    @property
    def chat_rate(self) -> float:
        """The share of chit-chat resolved to anything."""
        return self.chat_resolved / self.chat


def load(half: str) -> list[Case]:
    """The cases of one half (`tuning` or `heldout`)."""
    cases = []
    for line in (HERE / f"{half}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, intent, *rest = line.split("\t")
        slots = dict(pair.split("=", 1) for pair in rest[0].split(",")) if rest else {}
        cases.append(Case(text, None if intent == "-" else intent, slots))
    return cases


def _slots(resolution: Resolution) -> dict[str, str | None]:
    return {name: resolution.value(name) for name in resolution.slots}


def evaluate(resolver: Resolver, cases: list[Case]) -> Figures:
    """Resolve every case and count what went right, and what the guesses of the fallback
    (`Resolution.guess`) would ask."""
    commands = right = chat = resolved = 0
    asked_right = asked_wrong = ignored = chat_asked = 0
    wrong: list[str] = []
    for case in cases:
        resolution = resolver.resolve(case.text)
        slots = _slots(resolution)
        guess = resolution.guess
        if case.intent is None:
            chat += 1
            if not resolution.is_fallback:
                resolved += 1
                wrong.append(f"{case.text!r} -> {resolution.intent} {slots}")
            elif guess is not None:
                chat_asked += 1
                wrong.append(f"{case.text!r} -> asked {guess.intent} {_slots(guess)}")
            continue
        commands += 1
        if resolution.intent == case.intent and slots == case.slots:
            right += 1
            continue
        if guess is not None:
            if guess.intent == case.intent and _slots(guess) == case.slots:
                asked_right += 1
                continue
            asked_wrong += 1
            shown = f"asked {guess.intent} {_slots(guess)}"
        else:
            ignored += resolution.is_fallback and resolution.check is None
            shown = f"{resolution.intent} {slots}"
        wrong.append(f"{case.text!r} -> {shown}, not {case.intent}")
    return Figures(
        commands,
        right,
        chat,
        resolved,
        tuple(wrong),
        asked_right,
        asked_wrong,
        ignored,
        chat_asked,
    )


def mean_seconds(resolver: Resolver, rounds: int = 20) -> float:
    """The mean wall-clock time of one `resolve` over the whole corpus."""
    texts = [case.text for half in HALVES for case in load(half)]
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            resolver.resolve(text)
    return (time.perf_counter() - start) / (rounds * len(texts))


def mean_guess_seconds(resolver: Resolver, rounds: int = 20) -> float:
    """The mean wall-clock time of one guess (`Resolver.guess`) over the corpus's sentences
    that no sample reads, the only ones that meet it."""
    texts = [
        case.text
        for half in (*HALVES, *BLIND_HALVES, *BLIND2_HALVES)
        for case in load(half)
        if resolver.resolve(case.text).is_fallback
    ]
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            resolver.guess(text)
    return (time.perf_counter() - start) / (rounds * len(texts))


def main() -> None:
    """Print the figures of both halves and the mean time per utterance."""
    resolver = Resolver.for_locale()
    for half in (
        *HALVES,
        *BLIND_HALVES,
        *BLIND2_HALVES,
        *BLIND3_HALVES,
        *BLIND4_HALVES,
        *BLIND5_HALVES,
        *BLIND6_HALVES,
        *BLIND7_HALVES,
        *BLIND8_HALVES,
        *BLIND9_HALVES,
        *BLIND10_HALVES,
    ):
        figures = evaluate(resolver, load(half))
        print(
            f"{half}: commands {figures.commands_right}/{figures.commands}"
            f" ({figures.command_rate:.1%}), chit-chat resolved {figures.chat_resolved}/"
            f"{figures.chat} ({figures.chat_rate:.1%})"
        )
        print(
            f"    guesses: commands asked right {figures.asked_right}, asked wrong"
            f" {figures.asked_wrong}, ignored {figures.ignored}; chit-chat asked"
            f" {figures.chat_asked}/{figures.chat}"
        )
        if half == "tuning":
            for line in figures.wrong:
                print("   ", line)
    print(f"mean resolve time: {mean_seconds(resolver) * 1000:.3f} ms")
    print(f"mean guess time: {mean_guess_seconds(resolver) * 1000:.3f} ms")


if __name__ == "__main__":
    main()
