"""What the words around a command say: for how long, where, why, and how much.

People rarely say a command alone: "hang on a tick", "more time on this one please", "stop
there for tonight", "hang on kids are yelling", "can we take a quick break". The resolver
matches the model's samples literally and charges each word left outside a match; this module
reads those words by what they are, so that the resolver charges a time phrase, a place of the
routine or a word of degree as a filler, and a reason told as a clause of its own as an aside.
Anything else ("hang on to the receipt", "next time I'll bring a towel", "stop taking the
tablets") is none of these and keeps its full cost.

Pure functions on normalised words (`skill.core.words.normalize`); no model, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from speech.numbers import number_words

__all__ = [
    "DEGREE_WORDS",
    "Tail",
    "View",
    "inner_views",
    "read_tail",
]

DEGREE_WORDS: Final = frozenset(
    """quick quickly little tiny teeny wee whole tad touch short brief small bit altogether
    completely entirely actually even""".split()  # noqa: SIM905
)
"""Words of degree or size inside a command ("a quick break", "a whole minute longer", "a
tiny bit shorter", "a touch longer", "skip it altogether"), and of emphasis ("what is the
roller actually achieving", "how does skipping even work"): fillers of that command."""
_SESSION_TIMES: Final = (
    ("now",),
    ("today",),
    ("tonight",),
    ("the", "day"),
    ("the", "night"),
    ("the", "moment"),
    ("the", "time", "being"),
    ("this", "evening"),
    ("this", "morning"),
    ("this", "session"),
)
"""What "for" takes to say how long a command holds ("stop for now", "that's it for tonight"),
after any command."""
_WAIT_UNITS: Final = frozenset(
    """tick ticks second seconds moment moments mo minute minutes min mins jiffy jiff bit
    while""".split()  # noqa: SIM905
)
_QUANTITIES: Final = frozenset(
    ["a", "an", "few", "couple", "of", "half", "another", "more", "just"]
    + [word for n in range(1, 31) for word in number_words(n).split()]
)
"""A wait's length: a quantity, words of degree, a unit ("a tick", "two ticks", "a wee minute",
"for a bit", "five minutes"); it says how long only of a wait ("stop for a minute" is a pause,
not the end of the session, so it is left to the samples)."""
_MANNERS: Final = tuple(
    tuple(phrase.split())
    for phrase in (
        "with my hands full",
        "with my hands busy",
        "with my hands tied up",
        "with full hands",
        "without my hands",
        "without using my hands",
        "without touching anything",
        "without touching it",
        "without touching the phone",
        "hands free",
        "with one hand",
        "with no hands",
    )
)
"""How a request to the coach is to be done, as people doing the routine ask it: with hands
busy on the roller or the ball ("how do I control you with my hands full")."""
_PLACE_WORDS: Final = frozenset(["here", "there"])
_PLACE_PREPOSITIONS: Final = frozenset("on for with in at past over through to".split())  # noqa: SIM905
_PLACE_DETERMINERS: Final = frozenset("this that these those the my".split())  # noqa: SIM905
_EXERCISE_NOUNS: Final = frozenset(
    """one ones stretch stretches step steps exercise exercises hold holds side bit move
    position technique pose set rep part""".split()  # noqa: SIM905
)
_SIDES: Final = frozenset("left right other".split())  # noqa: SIM905
_TAGS: Final = frozenset("yeah yes yep yup ok okay alright right eh".split())  # noqa: SIM905
"""A tag said last after a command ("skip this one yeah", "a bit longer okay"): asks for
agreement, costs a filler, is no answer of its own."""
_ELSEWHERE: Final = frozenset("next last previous following first before".split())  # noqa: SIM905
"""A place or object of the routine: "here", "on this one", "on this stretch", "the roller
stretch", "the floor one", "on the left side"; not another step ("go to the next one" asks
for it)."""
_SUBJECTS: Final = frozenset(
    "i we he she they someone somebody someones somebodys everyone nobody".split()  # noqa: SIM905
)
_TELLING_VERBS: Final = frozenset(
    """is are was were has have had keeps keep kept will would just can not is still always
    never""".split()  # noqa: SIM905
)
_BECAUSE: Final = frozenset("because cause since as".split())  # noqa: SIM905
_NOT_SUBJECTS: Final = frozenset(
    """to for of at in on by with from the a an and or but so then this that these those it
    there here what when how why where which who not no yes okay please""".split()  # noqa: SIM905
)
_INTERRUPTIONS: Final = frozenset(
    "door doorbell phone kids kid baby dog cat kettle oven toilet loo bathroom delivery".split()  # noqa: SIM905
)
"""What interrupts a session, said alone after a wait ("brb door", "one sec phone")."""
_HOLD_VERBS: Final = frozenset("hold make keep stay do be need have go".split())  # noqa: SIM905
_NEGATION_GAP: Final = _HOLD_VERBS | frozenset(
    "it them this that these each one the hold holds stretch stretches in to for holding".split()  # noqa: SIM905
)
_AS_LONG: Final = frozenset(["as", "so", "that"])
"""A negated request of a hold: "not" and a verb of holding with its object, then "as long",
"so long" or "that long" ("can we not hold it as long", "don't make it so long") says what
the model's "not so long" says."""


@dataclass(frozen=True)
class Tail:
    """What the words after a command are."""

    light: int
    """Phrases that say for how long or where, and fillers among them: each costs a filler
    ("on this one" as much as "please")."""
    reason: int | None = None
    """Where a reason told as a clause of its own opens, ending the tail; None when none
    does."""


def read_tail(
    tokens: list[str],
    end: int,
    *,
    wait: bool,
    one_word: bool,
    ending: bool,
    fillers: frozenset[str],
    addresses: frozenset[str],
) -> Tail | None:
    """What `tokens[end:]`, the words after a command, are: time phrases, places or objects of
    the routine, how it is to be done ("with my hands full"), fillers, words of address and a
    last tag ("yeah"), then perhaps a reason of its own; None when they are anything else.
    `wait`: the command is a pause, whose wait a length may tell; `ending`: it ends the
    session; `one_word`: the command is one word, which a story may take as its modifier
    ("wait times are long", "next we go back to manila"), unless a pause's or an ending's
    reason follows with its subject ("wait i need the door", "stop i have to cook dinner")."""
    index = end
    light = 0
    timed = False
    while index < len(tokens):
        word = tokens[index]
        if _reason(tokens, index, wait=wait, one_word=one_word, ending=ending, timed=timed):
            return Tail(light, index)
        timing = _time(tokens, index, wait=wait)
        size = timing or _place(tokens, index) or _manner(tokens, index)
        if size:
            timed = timed or timing > 0
        elif (
            word in fillers
            or word in addresses
            or word in DEGREE_WORDS
            or (word in _TAGS and index == len(tokens) - 1)
        ):
            size = 1
        else:
            return None
        index += size
        light += 1
    return Tail(light) if index > end else None


def _time(tokens: list[str], index: int, *, wait: bool) -> int:
    """How many words from `index` say for how long: "for now", "for tonight", after any
    command; "a tick", "for a bit", "two minutes" after a wait. Zero when none do."""
    start = index
    if tokens[index] == "for":
        index += 1
        for phrase in _SESSION_TIMES:
            if tuple(tokens[index : index + len(phrase)]) == phrase:
                return index + len(phrase) - start
    elif tokens[index] in ("today", "tonight"):
        return 1
    if not wait:
        return 0
    while index < len(tokens):
        if tokens[index] in _WAIT_UNITS and index > start:  # after a quantity or "for"
            return index + 1 - start
        if tokens[index] not in _QUANTITIES and tokens[index] not in DEGREE_WORDS:
            break
        index += 1
    return 0


def _manner(tokens: list[str], index: int) -> int:
    """How many words from `index` say how a request is to be done (`_MANNERS`: "with my
    hands full"). Zero when none do."""
    for phrase in _MANNERS:
        if tuple(tokens[index : index + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _place(tokens: list[str], index: int) -> int:
    """How many words from `index` name a place or object of the routine ("here", "on this
    one", "the floor one", "on the left side"). Zero when none do."""
    if tokens[index] in _PLACE_WORDS:
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        return 0 if following in _TELLING_VERBS else 1
    start = index
    if tokens[index] in _PLACE_PREPOSITIONS:
        index += 1
    if index >= len(tokens) or tokens[index] not in _PLACE_DETERMINERS:
        return 0
    determiner = tokens[index]
    for size in (1, 2, 3):
        noun = index + size
        if noun < len(tokens) and tokens[noun] in _EXERCISE_NOUNS:
            modifiers = tokens[index + 1 : noun]
            if all(
                (word not in _NOT_SUBJECTS or word in _SIDES) and word not in _ELSEWHERE
                for word in modifiers
            ):
                return noun + 1 - start
    if start < index and determiner in ("this", "that"):
        return index + 1 - start  # "more time on this", "skip past that"
    return 0


def _reason(
    tokens: list[str], index: int, *, wait: bool, one_word: bool, ending: bool, timed: bool
) -> bool:
    """Whether the words from `index` to the end tell why, as a clause of their own: "i have
    to cook dinner", "kids are yelling", "the dog is barking", "because ...", "door" after a
    wait, "to get a towel" after a wait's length."""
    rest = tokens[index:]
    first = rest[0]
    second = rest[1] if len(rest) > 1 else ""
    if first in _BECAUSE and second:
        return True
    if first == "to":  # "hang on to the receipt" holds it; "hang on a tick to get it" waits
        return timed and bool(second) and second not in _NOT_SUBJECTS
    if one_word and not (wait or ending):
        return False
    if first in _SUBJECTS:
        return bool(second) and second not in _NOT_SUBJECTS
    if first in ("the", "my", "our", "your"):
        return not _telling(second) and any(_telling(word) for word in rest[2:4])
    if len(rest) == 1:
        return wait and first in _INTERRUPTIONS
    return first not in _NOT_SUBJECTS and not one_word and _telling(second)


def _telling(word: str) -> bool:
    """Whether `word` is the verb of a clause that tells what happens ("are", "keeps",
    "barking")."""
    return word in _TELLING_VERBS or (word.endswith("ing") and len(word) > 4)


@dataclass(frozen=True)
class View:
    """The words of an utterance with some left out or read as others, for matching."""

    indexes: tuple[int, ...]
    """The position in the utterance of each word kept (a word put in shares the position of
    the word after it)."""
    words: tuple[str, ...]
    """The words kept, as they are to be read."""
    waits_only: bool = False
    """Whether only a pause's sample may read this view: a wait's length read as "a second"
    ("give me two ticks") is no hold of a second."""


_BEFORE_A_WANT: Final = frozenset(
    "okay ok so well oh sorry just right alright now then yeah um hmm".split()  # noqa: SIM905
)
"""Words that may come before a request said without its subject ("okay need a minute")."""
_WANTS: Final = frozenset(["need", "want", "have"])
"""A request said without its subject ("need a minute", "want to stop"): read with "i"."""
_MORE: Final = frozenset(["more", "extra"])
_AMOUNTS: Final = frozenset(["a", "an", "another"]) | frozenset(
    word for n in range(1, 100) for word in number_words(n).split()
)
_UNITS: Final = frozenset("second seconds minute minutes".split())  # noqa: SIM905
"""An amount, then "more" or "extra", then its unit ("twenty more seconds", "an extra minute")
reads as the amount, its unit, then "more"."""


def inner_views(tokens: list[str]) -> Iterator[View]:
    """Readings of `tokens` without the words inside a command that only say how much or on
    what ("take a quick break", "hold this one longer", "hold it a bit longer"), with a
    negated request of a hold as "not so long", "twenty more seconds" as "twenty seconds
    more", a count said without its unit as seconds ("ten less"), "i" before a request said
    without it ("need a minute"); and for a pause only, a wait's length as "a second" ("gimme
    two secs", "two ticks"); and apart, the sentence without the words that only name which
    step is meant ("back to the glute one": "the one"). Nothing when no such words are in the
    sentence (first and last words are never left out: only words inside a match are)."""
    kept: list[tuple[int, str]] = []
    index = 0
    changed = False
    while index < len(tokens):
        if tokens[index] in _WANTS and all(token in _BEFORE_A_WANT for token in tokens[:index]):
            kept.append((index, "i"))
            changed = True
        step = _step(tokens, index)
        if step is None:
            kept.append((index, tokens[index]))
            index += 1
            continue
        size, words = step
        kept += words
        index += size
        changed = True
    if changed:
        yield View(tuple(i for i, _ in kept), tuple(w for _, w in kept))
        # "hold it a bit longer": the article goes with the degree that was left out.
        dropped = [
            (i, w)
            for n, (i, w) in enumerate(kept)
            if not (w == "a" and n + 1 < len(kept) and kept[n + 1][0] > i + 1)
        ]
        if len(dropped) < len(kept):
            yield View(tuple(i for i, _ in dropped), tuple(w for _, w in dropped))
    waited = _waits(kept if changed else list(enumerate(tokens)), tokens)
    if waited is not None:
        yield waited
    named = [i for i in range(1, len(tokens) - 1) if not _names_the_step(tokens, i)]
    if len(named) < len(tokens) - 2:
        kept_named = [0, *named, len(tokens) - 1]
        yield View(tuple(kept_named), tuple(tokens[i] for i in kept_named))


def _step(tokens: list[str], index: int) -> tuple[int, list[tuple[int, str]]] | None:
    """How many words from `index` an inner view reads otherwise, and what it keeps of them
    (positions and words); None when the word at `index` is kept as it is."""
    word = tokens[index]
    inside = 0 < index < len(tokens) - 1
    size = _negated_hold(tokens, index) if word == "not" else 0
    if size:
        return size, [(index, "not"), (index + size - 2, "so"), (index + size - 1, "long")]
    size = _more_between(tokens, index)
    if size:
        amount = ["a" if token == "an" else token for token in tokens[index : index + size - 2]]
        words = [*amount, tokens[index + size - 1], "more"]
        return size, list(zip(range(index, index + size), words, strict=True))
    if _counted_seconds(tokens, index):
        return 1, [(index, word), (index, "seconds")]
    if not inside:
        return None
    if word in DEGREE_WORDS:
        return 1, []
    size = _place(tokens, index) if word not in _PLACE_WORDS else 0
    if not size and word in ("this", "that") and tokens[index - 1] in _HOLD_VERBS:
        size = 1  # "hold this a bit longer"; not "it is not that long"
    return (size, []) if size and index + size < len(tokens) else None


_NAMING_DETERMINERS: Final = frozenset("the that this".split())  # noqa: SIM905


def _names_the_step(tokens: list[str], index: int) -> bool:
    """Whether the word at `index` only names which step is meant, between a determiner and a
    step's noun ("back to the glute one we just did"): not a word of order or side ("the
    next one", "the other one"), nor a number."""
    word = tokens[index]
    if tokens[index - 1] not in _NAMING_DETERMINERS or tokens[index + 1] not in _EXERCISE_NOUNS:
        return False
    told = _NOT_SUBJECTS | _ELSEWHERE | _SIDES | _AMOUNTS | _EXERCISE_NOUNS
    return word not in told and word not in ("same", "one", "last", "final", "new")


_SECOND_COUNTS: Final = frozenset("five ten fifteen twenty thirty forty fifty sixty".split())  # noqa: SIM905
_CHANGES: Final = frozenset("less more off shorter longer".split())  # noqa: SIM905
"""Round counts of seconds a hold is changed by, and the words of the change that follow them."""


def _counted_seconds(tokens: list[str], index: int) -> bool:
    """Whether the word at `index` is a count of seconds said without its unit, before the
    change it makes to a hold ("ten less", "shave five off", "fifteen more"): only the round
    counts a hold is changed by, never "one" or "two" ("one more", "two more then we're
    done")."""
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    return tokens[index] in _SECOND_COUNTS and following in _CHANGES


def _more_between(tokens: list[str], index: int) -> int:
    """How many words from `index` are an amount, "more" or "extra", and a unit; zero when
    they are not."""
    end = index
    while end < len(tokens) and tokens[end] in _AMOUNTS:
        end += 1
    if end == index or end + 1 >= len(tokens):
        return 0
    if tokens[end] in _MORE and tokens[end + 1] in _UNITS:
        return end + 2 - index
    return 0


def _waits(kept: list[tuple[int, str]], tokens: list[str]) -> View | None:
    """`kept` with each wait's length read as "a second", for a pause's samples alone; None
    when no length is there to read."""
    words = [word for _, word in kept]
    result: list[tuple[int, str]] = []
    at = 0
    changed = False
    while at < len(kept):
        size = _time(words, at, wait=True) if words[at] != "for" else 0
        if size and words[at : at + size] != ["a", "second"]:
            result += [(kept[at][0], "a"), (kept[at + size - 1][0], "second")]
            at += size
            changed = True
            continue
        result.append(kept[at])
        at += 1
    if not changed:
        return None
    return View(tuple(i for i, _ in result), tuple(w for _, w in result), waits_only=True)


def _negated_hold(tokens: list[str], index: int) -> int:
    """How many words from a "not" at `index` make a negated request of a hold ("not hold it
    as long", "not need to be in it that long"); zero when they do not."""
    end = index + 1
    while end < len(tokens) and tokens[end] in _NEGATION_GAP and tokens[end] not in _AS_LONG:
        end += 1
    gap = tokens[index + 1 : end]
    if end + 1 >= len(tokens) or tokens[end] not in _AS_LONG or tokens[end + 1] != "long":
        return 0
    if not any(word in _HOLD_VERBS for word in gap):
        return 0
    return end + 2 - index
