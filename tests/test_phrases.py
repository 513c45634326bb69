"""Phrase tables: loading, deterministic variants, placeholders, durations as words, and a static
check that every phrase key the speech modules use exists with its placeholders filled."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from speech import phrases
from speech.phrases import (
    MissingValueError,
    PhraseFileError,
    Phrases,
    UnknownPhraseError,
    duration_words,
    join_words,
    minutes_words,
)

SPEECH = Path(__file__).resolve().parent.parent / "speech"
#: The modules whose words come from the phrase table.
#: The Alexa skill adds its own few phrases (fallback, apology) to the same table, and the
#: resolver its clarifying question.
USERS = (
    "prompts.py",
    "pacing.py",
    "ssml.py",
    "../skill/alexa/skill.py",
    "../skill/alexa/long_holds.py",
    "../skill/core/resolution.py",
    "../skill/local/inputs.py",
)

TABLE = """\
greet:
  - Hello {name}.
  - Hi {name}, welcome.
  - Hi.
nested:
  deeper:
    key: One phrase.
"""


def test_nested_mappings_flatten_to_dotted_keys() -> None:
    table = Phrases.from_yaml(TABLE, "xx")
    assert set(table.table) == {"greet", "nested.deeper.key"}
    assert table.say("nested.deeper.key") == "One phrase."


def test_variants_are_picked_by_the_counter_and_wrap_round() -> None:
    table = Phrases.from_yaml(TABLE, "xx")
    said = [table.say("greet", n, name="Sam") for n in range(6)]
    assert said == ["Hello Sam.", "Hi Sam, welcome.", "Hi."] * 2
    assert table.say("greet", 1, name="Sam") == table.say("greet", 1, name="Sam")


def test_a_missing_value_or_key_is_a_clear_error() -> None:
    table = Phrases.from_yaml(TABLE, "xx")
    with pytest.raises(MissingValueError, match="'greet' needs name"):
        table.say("greet", 0)
    with pytest.raises(UnknownPhraseError, match="no phrase 'nope' in locale 'xx'"):
        table.say("nope")
    assert table.placeholders("greet") == {"name"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[a, b]", "must be a mapping"),
        ("key: []", "key: must be a phrase or a non-empty list"),
        ("key: [1, 2]", "key: must be a phrase or a non-empty list"),
        ("key: 'broken {name'", "key: bad placeholder"),
        ("key: [unclosed", "not valid YAML"),
        ("{}", "has no phrases"),
    ],
)
def test_malformed_phrase_files_are_rejected(text: str, message: str) -> None:
    with pytest.raises(PhraseFileError, match=message):
        Phrases.from_yaml(text, "xx", "bad.yaml")


def test_the_shipped_english_table_loads_and_is_cached() -> None:
    table = phrases.load("en")
    assert table is phrases.load("en")
    assert table.say("hold.stretch", time="thirty seconds") == "Hold for thirty seconds. Begin."
    assert phrases.say("pacing.ten") == "ten seconds"
    with pytest.raises(PhraseFileError, match="cannot read"):
        phrases.load("zz-no-such-locale")


def test_negative_durations_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        duration_words(-5)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "one second"),
        (10, "ten seconds"),
        (45, "forty five seconds"),
        (60, "one minute"),
        (65, "one minute and five seconds"),
        (90, "one minute thirty"),
        (120, "two minutes"),
        (1200, "twenty minutes"),
    ],
)
def test_durations_are_spoken_naturally(seconds: int, words: str) -> None:
    assert duration_words(seconds) == words


def test_rough_minutes_and_spoken_lists() -> None:
    assert minutes_words(20) == "one minute"
    assert minutes_words(610) == "ten minutes"
    assert join_words([]) == ""
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"], "or") == "a, b or c"


def _phrase_calls() -> list[tuple[str, int, str, set[str] | None]]:
    """Every `say("key", ...)` call with a literal key in the speech modules: (file, line, key,
    keyword names passed, or None when `**values` makes them unknowable)."""
    calls = []
    for name in USERS:
        path = SPEECH / name
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            key = node.args[0]
            if called != "say" or not isinstance(key, ast.Constant):
                continue
            if not isinstance(key.value, str):
                continue
            keywords = {kw.arg for kw in node.keywords}
            given_names = None if None in keywords else {str(k) for k in keywords}
            calls.append((name, node.lineno, key.value, given_names))
    return calls


def _string_constants() -> set[str]:
    found = set()
    for name in USERS:
        path = SPEECH / name
        if path.exists():
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.add(node.value)
    return found


def test_every_key_used_in_code_exists_with_its_placeholders_filled() -> None:
    table = phrases.load("en")
    calls = _phrase_calls()
    assert calls, "no phrase calls found: the scan is broken"
    problems = []
    for name, line, key, given_names in calls:
        if key not in table.table:
            problems.append(f"{name}:{line}: unknown phrase {key!r}")
        elif given_names is not None and not table.placeholders(key) <= given_names:
            missing = table.placeholders(key) - given_names
            problems.append(f"{name}:{line}: {key!r} is not given {sorted(missing)}")
    assert problems == []


def test_every_phrase_in_the_table_is_used_by_code() -> None:
    used = _string_constants()
    unused = sorted(key for key in phrases.load("en").table if key not in used)
    assert unused == []
