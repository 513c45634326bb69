"""Benchmark: does a smaller microphone grammar, of the commands a routine under way acts on,
hear those commands better than the full grammar? Per synthesiser, on `bench_voices`' recordings.

Run: nice -n 10 .venv/bin/python -m tests.benchmarks.bench_grammar [--per-text 3] [--cache DIR]
(needs `flite`, `festival` and `festvox-kallpc16k` for all four synthesisers)

The full grammar is the one `massage-coach run` listens for (`skill.local.run.voice_grammar`);
the routine grammar keeps only its phrases whose intent is in `ROUTINE_INTENTS`: the commands
the session engine needs a routine under way for (its handlers that answer "no routine is
under way" otherwise: next, previous, repeat, the hold's and the rests' lengths, pause, resume,
skip, start over, progress, ready), what the current step is for (explain), the pain report,
stop, cancel and help. Starting or listing routines, the pain check's answers, the journal,
yes and no, and the settings are left out. Both recognisers are the coach's own
(`skill.local.run.command_recognizer`: the same rejection, with its bars per intent, `Doubt`
and keyword search); nothing is refitted for the smaller grammar.

The recordings are exactly `bench_voices`' held-out ones (the same texts, voices and seeds),
each decoded by both recognisers. For each synthesiser it prints, for both grammars:

- commands right, of the test commands whose intent is in the routine set;
- false accepts among the everyday sentences;
- the test commands outside the set accepted as anything (for the routine grammar these are
  "should be rejected": mid-routine the coach cannot act on them; the full grammar hears them
  as commands, so its figure is commands right among them);
- safety phrases heard as a go-on command with no question asked (must be none).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from skill.core.intents import IntentName
from skill.core.resolver import Resolver
from skill.local.run import command_recognizer
from tests.benchmarks.bench_recognition import Scored, model_grammar, score
from tests.benchmarks.bench_voices import GROUPS, go_on_misses, recording_arguments
from tests.support import recordings
from tests.support.recordings import COMMANDS, NON_COMMANDS

ROUTINE_INTENTS: frozenset[str] = frozenset(
    {
        IntentName.NEXT,
        IntentName.PREVIOUS,
        IntentName.REPEAT,
        IntentName.LONGER_HOLD,
        IntentName.SHORTER_HOLD,
        IntentName.SET_HOLD,
        IntentName.LONGER_REST,
        IntentName.SHORTER_REST,
        IntentName.SET_REST,
        IntentName.PAUSE,
        IntentName.RESUME,
        IntentName.SKIP,
        IntentName.START_OVER,
        IntentName.PROGRESS,
        IntentName.READY,
        IntentName.EXPLAIN,
        IntentName.PAIN,
        IntentName.STOP,
        IntentName.CANCEL,
        IntentName.HELP,
    }
)
"""The intents the coach acts on during a hold or a rest (see the module docstring)."""


def routine_grammar(grammar: Mapping[str, str]) -> dict[str, str]:
    """The phrases of `grammar` (phrase -> intent) whose intent is in `ROUTINE_INTENTS`."""
    return {phrase: intent for phrase, intent in grammar.items() if intent in ROUTINE_INTENTS}


@dataclass(frozen=True)
class Figures:
    """One grammar's figures on one synthesiser's recordings."""

    right: int
    """Test commands in the routine set heard as their intent (accepted)."""
    in_set: int
    """Test commands in the routine set."""
    false_accepts: int
    """Everyday sentences accepted as any command."""
    others: int
    """Everyday sentences."""
    outside_accepted: int
    """Test commands outside the routine set accepted as any command."""
    outside: int
    """Test commands outside the routine set."""
    unsafe: tuple[str, ...]
    """Safety phrases heard as a go-on command with no doubt (``'text'->phrase``)."""

    def line(self, label: str) -> str:
        """The figures as printed."""
        return (
            f"  {label:16s} commands right {self.right / max(1, self.in_set):.3f} "
            f"({self.right}/{self.in_set}), false accepts "
            f"{self.false_accepts / max(1, self.others):.3f} ({self.false_accepts}/{self.others}), "
            f"outside the set accepted {self.outside_accepted}/{self.outside}, "
            f"safety heard as go-on unasked {len(self.unsafe)} {' '.join(self.unsafe)}"
        )


def figures(
    commands: Sequence[Scored], others: Sequence[Scored], intended: Mapping[str, str]
) -> Figures:
    """`commands` and `others` as decoded by one grammar; `intended` is what each test command
    means (text -> intent, in the full grammar), whichever grammar decoded it."""
    inside = [s for s in commands if intended[s.utterance.text] in ROUTINE_INTENTS]
    outside = [s for s in commands if intended[s.utterance.text] not in ROUTINE_INTENTS]
    return Figures(
        right=sum(s.heard == intended[s.utterance.text] for s in inside),
        in_set=len(inside),
        false_accepts=sum(s.heard is not None for s in others),
        others=len(others),
        outside_accepted=sum(s.heard is not None for s in outside),
        outside=len(outside),
        unsafe=tuple(go_on_misses(inside)),
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = recording_arguments(__doc__.splitlines()[0], argv)
    grammar = model_grammar()
    resolver = Resolver.for_locale("en-US")
    small = routine_grammar(grammar)
    recognizers = {
        "full grammar": command_recognizer(resolver),
        "routine grammar": command_recognizer(resolver, small),
    }
    cache = recordings.RecordingCache(args.cache)
    said = [text for text in COMMANDS if text in grammar]
    intended = {text: grammar[text] for text in said}
    kept = sum(intended[text] in ROUTINE_INTENTS for text in said)
    print(
        f"grammar: {len(grammar)} phrases, routine grammar {len(small)}; "
        f"{len(said)} test commands, {kept} of them in the routine set"
    )
    for seed, (group, voices) in enumerate(GROUPS.items(), start=1):
        if not all(recordings.available(voice) for voice in voices):
            print(f"\n{group}: not installed: skipped")
            continue
        # bench_voices' seeds: the same held-out recordings.
        command_utts = recordings.utterances(said, voices, args.per_text, seed=seed)
        other_utts = recordings.utterances(NON_COMMANDS, voices, args.per_text, seed=100 + seed)
        print(f"\n{group} ({', '.join(voices)})")
        for label, recognizer in recognizers.items():
            commands = score(recognizer, cache, command_utts)
            others = score(recognizer, cache, other_utts)
            print(figures(commands, others, intended).line(label))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
