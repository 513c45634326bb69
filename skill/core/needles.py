"""The needles of a regular expression: strings one of which is in every text it matches in.

The safety detector searches a few hundred patterns an utterance, and most of them cannot
match: "numb" is not in "start the gentle stretches". :func:`needles` reads a pattern once,
when the rules are loaded, and finds a set of plain strings such that every match of the
pattern contains one of them ("hurt\\w*|pain(?:s|ful)?" gives ``("hurt", "pain")``). A
pattern whose needles are all absent from a text cannot match in it, so its search can be
skipped with a few ``in`` tests, which cost far less than the search. The result is the same
by construction: a search is skipped only when it would have found nothing.

How: the pattern is parsed by Python's own regular-expression parser, and each piece is read
as either the finite set of strings it can match (a literal, a small character class, an
alternation or optional group of those), or a gap (``\\w*``, ``.``, a large class). Pieces of a
sequence are joined while they stay finite ("both (?:legs|feet)" gives "both legs", "both
feet"); a gap ends a run, and a run whose strings are never empty is a set of which the match
must contain one. An alternation needs one of each alternative's needles; ``x+`` is read as
``x*`` then ``x``; a lookaround, ``\\b``, ``^`` and ``$`` match no characters and are read as
the empty string. Whatever the reader does not know (a back-reference, a conditional group, a
case-insensitive flag) is a gap, so it can only make the needles fewer, never wrong. When no
needle can be found, :func:`needles` returns None: the pattern is always searched.

Parsing every pattern again costs more than loading the rules does, so the needles of the
shipped rules are kept in ``needles.json`` beside this module, by pattern: ``python -m
skill.core.needles`` writes it again after ``safety.yaml`` changes (a test fails while it is
stale). The file is keyed by a digest of each pattern's text, so a pattern edited or added in
``safety.yaml`` is not in it and has its needles found when it is loaded, as before.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import importlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

__all__ = ["DATA_FILE", "find", "needles", "starts_with"]

DATA_FILE: Final = Path(__file__).with_name("needles.json")
"""The shipped rules' needles, by `key` (generated: ``python -m skill.core.needles``)."""

_parser: Any = importlib.import_module("re._parser")  # CPython's parser; it has no stubs

_MOST_STRINGS: Final = 64
"""A finite piece with more strings than this is read as a gap (a needle set stays small)."""
_MOST_CLASS: Final = 8
"""A character class of more characters than this ("[a-z]") is read as a gap."""
_FEW_LETTERS: Final = 5
"""Needles this long are rare enough in an utterance to be worth a test each."""
_ZERO_WIDTH: Final = frozenset({"AT", "ASSERT", "ASSERT_NOT"})
_REPEATS: Final = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})
_EMPTY: Final = frozenset({""})


@dataclass(frozen=True)
class _Piece:
    """What a part of a pattern must match."""

    exact: frozenset[str] | None
    """Every string it can match, when they are few; None when they are not."""
    required: tuple[frozenset[str], ...] = ()
    """Sets of strings each of which has one in every match (beyond `exact`)."""


_GAP: Final = _Piece(None)


_asked: dict[str, re.Pattern[str]] = {}
"""Every pattern whose needles were asked for in this process, by `key` (`recorded`)."""


def key(pattern: re.Pattern[str]) -> str:
    """How ``needles.json`` names a pattern: a digest of its flags and its text."""
    return hashlib.sha256(f"{pattern.flags}:{pattern.pattern}".encode()).hexdigest()[:20]


@functools.cache
def _shipped() -> dict[str, list[str] | None]:
    try:
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def needles(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """`find`'s needles of ``pattern``, read from ``needles.json`` when it holds them."""
    name = key(pattern)
    _asked[name] = pattern
    shipped = _shipped()
    if name not in shipped:
        return find(pattern)
    value = shipped[name]
    return None if value is None else tuple(value)


def find(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which is in every match of ``pattern``, or None when none are known.

    Shortest first; a needle that holds another ("painful" and "pain") is left out, since
    the shorter one is found wherever the longer is.
    """
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    sets = _sets(_sequence(parsed.data))
    if not sets:
        return None
    strongest: frozenset[str] = max(sets, key=_strength)
    return _fewest(strongest)


def starts_with(pattern: re.Pattern[str], prefix: str) -> bool:
    """Whether every match of ``pattern`` starts with a match of the pattern ``prefix``, so
    that a text in which ``prefix`` (with ``pattern``'s flags) finds nothing holds no match of
    ``pattern`` either.

    True only when ``pattern``'s text starts with ``prefix`` and Python's parser reads its
    first items as exactly those of ``prefix`` alone: ``prefix?``, ``prefix+`` or
    ``prefix|other`` are read otherwise, and are not. False whenever unsure.
    """
    if not pattern.pattern.startswith(prefix):
        return False
    try:
        whole = _parser.parse(pattern.pattern, pattern.flags).data
        first = _parser.parse(prefix, pattern.flags).data
    except (re.error, RecursionError):
        return False
    return len(first) > 0 and repr(whole[: len(first)]) == repr(first)


def _sets(piece: _Piece) -> list[frozenset[str]]:
    """Every needle set of ``piece``: one string of each is in all its matches."""
    sets = list(piece.required)
    if piece.exact is not None and "" not in piece.exact:
        sets.append(piece.exact)
    return sets


def _strength(strings: frozenset[str]) -> tuple[int, int]:
    """A better filter has longer needles (a short one is in most texts: a search skipped
    saves far more than a needle costs), up to a few letters; then fewer of them."""
    return (min(_FEW_LETTERS, *(len(s) for s in strings)), -len(strings))


def _fewest(strings: Iterable[str]) -> tuple[str, ...]:
    kept: list[str] = []
    for string in sorted(set(strings), key=lambda s: (len(s), s)):
        if not any(shorter in string for shorter in kept):
            kept.append(string)
    return tuple(kept)


def _sequence(items: Sequence[tuple[Any, Any]]) -> _Piece:
    """A sequence: finite pieces joined into runs, each run a needle set."""
    pieces = [piece for op, av in items for piece in _pieces(op.name, av)]
    run: frozenset[str] = _EMPTY
    literal = ""  # the run's last stretch of pieces of one string each, a needle alone
    required: list[frozenset[str]] = []
    finite = True
    for piece in pieces:
        required.extend(piece.required)
        if piece.exact is not None and len(piece.exact) == 1:
            literal += next(iter(piece.exact))
        else:
            if literal:
                required.append(frozenset({literal}))
            literal = ""
        if piece.exact is not None and "" not in piece.exact:
            required.append(piece.exact)  # the piece's own strings are needles too
        if piece.exact is not None and len(run) * len(piece.exact) <= _MOST_STRINGS:
            run = frozenset(a + b for a in run for b in piece.exact)
            continue
        finite = False
        if "" not in run:
            required.append(run)
        run = piece.exact if piece.exact is not None else _EMPTY
    if literal:
        required.append(frozenset({literal}))
    if finite:
        return _Piece(run, tuple(required))
    if "" not in run:
        required.append(run)
    return _Piece(None, tuple(required))


def _pieces(op: str, av: Any) -> list[_Piece]:
    """One parsed item as pieces of a sequence (a repeat can be two)."""
    if op == "LITERAL":
        return [_Piece(frozenset({chr(av)}))]
    if op in _ZERO_WIDTH:
        return [_Piece(_EMPTY)]
    if op == "IN":
        return [_character_class(av)]
    if op == "SUBPATTERN":
        _group, add_flags, _del_flags, inner = av
        return [_GAP if add_flags & re.IGNORECASE else _sequence(inner.data)]
    if op == "ATOMIC_GROUP":
        return [_sequence(av.data)]
    if op == "BRANCH":
        return [_branch([_sequence(alternative.data) for alternative in av[1]])]
    if op in _REPEATS:
        return _repeat(*av)
    return [_GAP]


def _character_class(items: Sequence[tuple[Any, Any]]) -> _Piece:
    chars: set[str] = set()
    for op, av in items:
        if op.name == "LITERAL":
            chars.add(chr(av))
        elif op.name == "RANGE" and av[1] - av[0] < _MOST_CLASS:
            chars.update(chr(code) for code in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY (\w, \s), a wide range
            return _GAP
    return _Piece(frozenset(chars)) if 0 < len(chars) <= _MOST_CLASS else _GAP


def _branch(alternatives: Sequence[_Piece]) -> _Piece:
    """An alternation: finite when every alternative is; else one needle of each."""
    exact: frozenset[str] | None = None
    if all(a.exact is not None for a in alternatives):
        union = frozenset(s for a in alternatives if a.exact is not None for s in a.exact)
        exact = union if len(union) <= _MOST_STRINGS else None
    best: set[str] = set()
    for alternative in alternatives:
        sets = _sets(alternative)
        if not sets:  # this alternative needs nothing: neither does the alternation
            return _Piece(exact)
        strongest: frozenset[str] = max(sets, key=_strength)
        best.update(strongest)
    return _Piece(exact, (frozenset(best),))


def _repeat(least: int, most: int, body: Any) -> list[_Piece]:
    """``x{least,most}``: at most once is an optional piece; at least once, ``x``, a gap,
    then ``x`` (the first time round is next to what comes before, the last next to what
    follows; when they are one time round, each needle found is still in the match)."""
    inner = _sequence(body.data)
    if most == 0:
        return [_Piece(_EMPTY)]
    if least == 0:
        if most == 1 and inner.exact is not None:
            return [_Piece(inner.exact | _EMPTY)]
        return [_GAP]
    if least == most == 1:
        return [inner]
    return [inner, _GAP, inner]


def recorded() -> dict[str, list[str] | None]:
    """What ``needles.json`` should hold: `find`'s needles of every pattern the shipped rules
    ask for, found again."""
    from skill.core.safety import DATA_FILE as RULES
    from skill.core.safety import Detector

    _asked.clear()
    rules = Detector.from_file(Path(__file__).with_name(RULES))
    rules.detect("x")  # the needles of the rewrites and of the scope rules are asked lazily
    rules.concern("x")
    table = {name: find(pattern) for name, pattern in sorted(_asked.items())}
    return {name: None if found is None else list(found) for name, found in table.items()}


def main(argv: Sequence[str] | None = None) -> None:
    """Write ``needles.json`` (after ``safety.yaml`` changes)."""
    parser = argparse.ArgumentParser(
        prog="python -m skill.core.needles",
        description=f"Find every shipped pattern's needles again and write {DATA_FILE.name}; run "
        "it after editing skill/core/safety.yaml (a test fails while the file is stale).",
    )
    parser.parse_args(argv)
    table = recorded()
    DATA_FILE.write_text(json.dumps(table, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {DATA_FILE.name}: {len(table)} patterns")


if __name__ == "__main__":
    from skill.core import needles as imported  # the module the rules ask, not this __main__

    imported.main()
