"""The safety detector's prefilter (`skill.core.needles`, `Detector.prefilter`) changes no answer.

A search is skipped only when the pattern's needles are all missing from the text; if the
needles were ever wrong, a match would be dropped silently. These tests hold the needles to
every string a pattern matches (hypothesis writes the strings from the pattern itself), and the
fast detector to the plain one (every rule searched) on rules written for the test and on the
safety corpus.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.core import needles as needles_module
from skill.core import safety
from skill.core.needles import needles, starts_with
from skill.core.safety import Detector

CORPUS = Path(__file__).parent / "data" / "safety"

#: Patterns of the kinds rule writers use: alternations, optional groups, character classes,
#: repeats, lookarounds, word lists in groups, an inline flag.
PATTERNS = [
    r"hurt\w*|pain(?:s|ful)?|ach(?:e|es|ing|y)",
    r"\bboth (?:legs|feet)(?: (?:are|feel))? (?:numb|dead)\b",
    r"(?<!not )(?:tingl|prickl)\w* (?:in|down) (?:my |the )?(?:left |right )?leg",
    "[\u2019'`]s (?:gone|been) (?:dead|numb)",
    r"ow+|a+r+g+h+",
    r"(?:can|could) not (?:feel|tell)(?! the difference)",
    r"fe[ve]{1,2}r(?=ish\b)|temp(?:erature)?s?",
    r"(?:it|they)(?:'s|'ve| is| has)? (?:been|gone to) (?:a)?sleep",
    r"\b(\w+) and \1\b",
    r"(?i:numb)|tingling",
    r"^(?=.*\bme\b)",
    r"x{2,4}yz|(?:ab|cd){2}ef",
    r"[^a-z]pins|\d+ out of ten",
]


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_match_holds_a_needle(pattern: str, data: st.DataObject) -> None:
    compiled = re.compile(pattern)
    text = data.draw(st.from_regex(compiled, fullmatch=False))
    match = compiled.search(text)
    found = needles(compiled)
    if match is None or found is None:
        return
    assert any(needle in match.group(0) for needle in found), (text, found)


def test_needles_of_the_kinds_of_pattern() -> None:
    assert needles(re.compile(r"hurt\w*|pain(?:s|ful)?")) == ("hurt", "pain")
    assert needles(re.compile(r"\bboth (?:legs|feet)\b")) == ("both ",)
    assert needles(re.compile(r"(?<=my )bomb\b")) == ("bomb",)
    assert needles(re.compile(r"ow+")) == ("ow",)
    assert needles(re.compile(r"\w+ing")) == ("ing",)
    # Nothing is certain in these: they are always searched.
    assert needles(re.compile(r"(?:a|\w+)s?")) is None
    assert needles(re.compile(r"(?i)numb")) is None
    assert needles(re.compile(r"^(?=.*\bme\b)")) is None


TEST_RULES = {
    "rewrite": [
        [r"\bpins? (?:and|n) needles\b", "pinsneedles"],
        [r"\bcan'?t\b", "can not"],
        [r"'s\b", " is"],
    ],
    "clause_break": r"[.;:!?,]+|\bbut\b",
    # Figures of speech that overlap ("numb to it" inside "numb to it all"): which one a
    # text holds decides what is cut.
    "ignore": ["what a pain", "numb to it all", "numb to it", r"(\w+) and \1 again"],
    "words": {
        "limb": r"legs?|foot|feet|knees?|hips?",
        "odd": r"odd|weird|not right",
        "who": r"he|she|my (?:son|wife|dog)",
    },
    "negation": {
        "before": [r"\b(?:not|no|never)\b(?: [a-z]+){0,2} $", r"{odd}? not $"],
        "after": [r"^ (?:is|has) gone\b"],
        # Rules that start with a word list, and some that only seem to: optional, repeated,
        # one of two alternatives, without the \b.
        "someone_else": [
            r"\b(?:his|her) $",
            r"\b{who} (?:has |had )(?:\w+ ){0,2}$",
            r"\b{who} is $",
            r"{who} says $",
            r"\b{who}? said $",
            r"\b{who}+ told me $",
            r"\b{who} got|her (?:\w+ )?$",
        ],
        "past": [r"yesterday|last week"],
        "over_later": [r"^ (?:it is )?(?:fine|gone) now\b"],
        "affirm": [r"(?:will|does) not stop"],
    },
    "symptoms": {
        "red_flag": {
            "RED_FLAG_BLADDER": [
                [r"(?:can|could) not (?:hold|stop|feel)|lost control", r"bladder|wee|pee"],
                r"wet (?:my|the) (?:bed|pants)(?! laughing)",
            ],
            "RED_FLAG_BOTH_LEGS": [[r"numb\w*|dead|{odd}", r"both (?:{limb})|each (?:leg|foot)"]],
        },
        "nerve": {
            "NUMBNESS": [r"numb(?!ers?\b)\w*|(?:gone|went) dead", "[\u2019'`]s? asleep"],
            "TINGLING": [r"tingl\w*|pinsneedles|fizz(?:y|ing)?|buzz+"],
        },
        "pain": {
            "PAIN": [
                r"hurt\w*|pain(?:s|ful)?|ach(?:e|es|ing|y)|ow+",
                r"(?<!drink )too (?:deep|hard)(?= for me)?",
                [r"sore", r"(?:left|right)? ?(?:{limb})"],
                r"(\w+) and \1 (?:hurts|aches)",
            ]
        },
    },
    "concerns": {
        "calm": r"good|fine|great",
        "ask": {"RED_FLAG_BLADDER": [[r"{odd}|slow", r"bladder|waterworks"]]},
    },
}

TEST_TEXTS = [
    "it hurts",
    "ow",
    "owww that aches",
    "oh that's painful",
    "it doesn't hurt",
    "no pain at all",
    "what a pain",
    "the pain is gone",
    "my left knee is sore",
    "her knee is sore",
    "that's too hard for me",
    "I drink too hard",
    "push and push hurts",
    "both legs are numb",
    "each foot feels weird",
    "my foot went dead yesterday but it is fine now",
    "my foot's asleep",
    "pins and needles in my toes",
    "pin n needles",
    "fizzy feeling, buzzzz",
    "I can't hold my wee",
    "I wet the bed",
    "I wet my pants laughing",
    "I lost control of my bladder, it's not fine",
    "my waterworks are slow",
    "my bladder is odd but I feel great",
    "the numbers are up",
    "start the stretches",
    "",
    "numb numb numb",
    "it won't stop hurting, not at all",
    "my son has bad pain",
    "my wife is numb",
    "she says pain",
    "i said pain",
    "he told me pain",
    "she got pain",
    "her old pain",
    "my dog says my knee is sore",
    "weird not painful",
    "I am numb to it all, it hurts",
    "numb to it",
    "pain and pain again",
]


def _both(detector: Detector) -> tuple[Detector, Detector]:
    return detector, replace(detector, prefilter=False)


def test_the_test_rules_give_the_same_answers_both_ways() -> None:
    fast, plain = _both(Detector.from_dict(TEST_RULES, "<test>"))
    found = 0
    for text in TEST_TEXTS:
        assert fast.clauses(text) == plain.clauses(text), text
        assert fast.detect(text) == plain.detect(text), text
        assert fast.concern(text) == plain.concern(text), text
        found += fast.detect(text) is not None
    assert found >= 15  # the texts do reach the rules


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(
            [
                "it",
                "i",
                "my",
                "both",
                "legs",
                "feet",
                "knee",
                "is",
                "are",
                "not",
                "no",
                "numb",
                "dead",
                "weird",
                "hurts",
                "painful",
                "ow",
                "owww",
                "aches",
                "too",
                "hard",
                "for",
                "me",
                "sore",
                "left",
                "pins",
                "and",
                "needles",
                "n",
                "can't",
                "hold",
                "wee",
                "bladder",
                "wet",
                "bed",
                "pants",
                "laughing",
                "slow",
                "fine",
                "but",
                ",",
                ".",
                "'s",
                "asleep",
                "fizzy",
                "buzz",
                "tingling",
                "her",
                "his",
                "he",
                "she",
                "my",
                "son",
                "wife",
                "has",
                "had",
                "says",
                "said",
                "told",
                "got",
                "what a pain",
                "numb to it",
                "all",
                "again",
            ]
        ),
        max_size=14,
    )
)
def test_the_test_rules_give_the_same_answers_both_ways_for_any_words(words: list[str]) -> None:
    text = " ".join(words)
    fast, plain = _both(Detector.from_dict(TEST_RULES, "<test>"))
    assert fast.detect(text) == plain.detect(text)
    assert fast.concern(text) == plain.concern(text)


def _corpus() -> list[str]:
    texts: list[str] = []
    for half in ("tuning", "heldout"):
        for family in yaml.safe_load((CORPUS / f"{half}.yaml").read_text(encoding="utf-8")):
            texts.extend(str(text) for text in family["say"])
    return texts


def test_the_shipped_rules_give_the_same_answers_both_ways_on_the_corpus() -> None:
    fast, plain = _both(safety.detector())
    sample = _corpus()[::11]
    for text in sample:
        assert fast.detect(text) == plain.detect(text), text
    for text in sample[::5]:
        assert fast.concern(text) == plain.concern(text), text
        assert fast.denies(text) == plain.denies(text), text


def test_a_pattern_is_filed_under_a_word_list_only_when_every_match_starts_with_it() -> None:
    lead = r"\b(?:he|she)"
    assert starts_with(re.compile(r"\b(?:he|she) has $"), lead)
    assert starts_with(re.compile(r"\b(?:he|she)(?<!x) is"), lead)
    for pattern in [
        r"\b(?:he|she)? has",  # optional
        r"\b(?:he|she)+ has",  # repeated
        r"\b(?:he|she) has|her",  # one of two alternatives
        r"\b(?:he|she|they) has",  # another list
        r"(?:he|she) has",  # no \b
    ]:
        assert not starts_with(re.compile(pattern), lead), pattern
    fast = Detector.from_dict(TEST_RULES, "<test>")
    fast.detect("x")
    _negated, theirs, _relieved = fast._any_of
    filed = {lead.pattern if lead else None: len(group) for lead, group in theirs.groups}
    # "{who} says" is filed under the list without the \b; the optional, the repeated and
    # the alternatives are searched as they are.
    assert filed == {
        None: 4,
        r"\b(?:he|she|my (?:son|wife|dog))": 2,
        "(?:he|she|my (?:son|wife|dog))": 1,
    }


def test_only_the_figures_of_speech_in_a_text_are_joined() -> None:
    rules = dict(TEST_RULES, ignore=["what a pain", "numb to it all", "numb to it"])
    fast, plain = _both(Detector.from_dict(rules, "<test>"))
    assert fast._figures("it is fine") is None
    one = fast._figures("numb to it")
    assert one is not None
    assert one.pattern == fast.figures[2].pattern
    both = fast._figures(" i am numb to it all ")
    assert both is not None
    assert both.pattern == "|".join(p.pattern for p in fast.figures[1:3])
    for text in ["I am numb to it all, it hurts", "numb to it, what a pain", "it is numb"]:
        assert fast.clauses(text) == plain.clauses(text), text
    # A back-reference's group number would move: such figures are searched all together.
    with_reference = Detector.from_dict(TEST_RULES, "<test>")
    assert with_reference._figures("it is fine") is with_reference.ignore


def test_a_wrong_word_list_filing_would_be_caught() -> None:
    # The checks above can fail: a pattern filed under a list its matches need not start
    # with ("{who}? said" matches "i said" with no one named) finds a cancelled symptom.
    fast, plain = _both(Detector.from_dict(TEST_RULES, "<test>"))
    fast.detect("x")
    negated, theirs, relieved = fast._any_of
    wrong = tuple((lead or re.compile("zzz"), group) for lead, group in theirs.groups)
    fast.__dict__["_any_of"] = (negated, safety._AnyOf(wrong), relieved)  # made for the test
    assert plain.detect("i said pain") is None
    assert fast.detect("i said pain") is not None


def test_a_wrong_needle_would_be_caught() -> None:
    # The check above can fail: with a needle no match holds, the fast path drops a finding.
    fast, plain = _both(Detector.from_dict(TEST_RULES, "<test>"))
    rule = next(s for s in fast.symptoms if s.symptom_id == "TINGLING").rules[0]
    object.__setattr__(rule, "needles", (("zzz",),))  # this detector only, made for the test
    assert fast.detect("my toes are tingling") is None
    assert plain.detect("my toes are tingling") is not None


def test_the_shipped_needles_are_found_again() -> None:
    # Generated: after safety.yaml changes, run `python -m skill.core.needles` and commit
    # needles.json (it only makes loading faster: a pattern it lacks is read when loaded).
    shipped = json.loads(needles_module.DATA_FILE.read_text(encoding="utf-8"))
    assert needles_module.recorded() == shipped, "needles.json is stale"


def test_the_generator_s_help_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    before = needles_module.DATA_FILE.stat().st_mtime_ns
    with pytest.raises(SystemExit) as exited:
        needles_module.main(["--help"])
    assert exited.value.code == 0
    assert "needles.json" in capsys.readouterr().out
    assert needles_module.DATA_FILE.stat().st_mtime_ns == before
