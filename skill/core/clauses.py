"""Cutting an utterance into clauses, and reading who is addressed and what is talk to others.

A command may be said in a clause of its own beside a story of why ("hang on, the phone is
ringing", "I need a minute to get the towel"): `split_clauses` cuts a sentence at punctuation,
before a word that opens a clause or a story, and around a word of address, for the resolver to
read each clause (`skill.core.resolver.Resolver._aside`). A clause that opens as a story or ends
cut short says no command (`tells_no_command`).

Talk to someone else in the room is no command: a request whose object is not the routine ("can
you pause the telly", "go on then, have the last biscuit"), an endearment first ("love, hang
on"), their family or home named ("your sister", "from yours"), a question about a thing not of
the routine ("how long is left on the oven"), a yes or a no beside a story about someone else
or talk with them ("no, he's back Thursday", "hi mum, yeah, i'm doing my exercises";
`to_someone_else`, `about_someone_else`), a promise to do something to them ("let me put you on
speaker"), asking whether they spoke to the speaker ("were you talking to me"), and what a
thing not of the routine is or needs ("that meeting was way too long", "the spuds | need more
time"; `said_by_subject`). A word of address after a command is its addressee ("hang on
mate"; `ADDRESS_WORDS`), and a command said last after what happened, with no
punctuation, is read as a clause of its own ("right doors sorted keep going";
`last_command_starts`). A speaker who corrects what they began to say means what they say
after the correction ("next no i mean skip it", "set it to forty no fifty seconds";
`corrections`).

Pure functions on normalised words (`skill.core.words.normalize`); the model's words come in
as arguments. Tests: `tests/test_clauses.py`; the resolver's readings of talk to others,
asides and commands said last in `tests/test_resolver.py`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from typing import Final

from skill.core.fillers import SKIPPABLE, WEAK_LITERALS

__all__ = [
    "ADDRESS_WORDS",
    "about_someone_else",
    "after_an_object_word",
    "corrections",
    "cut_short",
    "last_command_starts",
    "said_by_subject",
    "split_clauses",
    "takes_object",
    "tells_no_command",
    "to_someone_else",
]

_CLAUSE_BREAK: Final = re.compile(r"[,;:.!?]+|\s[-\u2013\u2014]+\s")
"""Punctuation that ends a clause."""
_CLAUSE_OPENERS: Final = frozenset(
    """i we you so and but then okay ok alright right let sorry thanks got gotta need
    what how""".split()  # noqa: SIM905
)
"""Words that open a new clause in speech without punctuation ("hang on | i need to get the
door"); normalised (contractions expanded)."""
_STORY_OPENERS: Final = frozenset(
    "to the my your someone somebody because cause cos coz since while when".split()  # noqa: SIM905
)
"""Words that open a clause that tells why or what happened, never a command of its own ("i
need a minute | to get | the towel", "hang on | the phone is ringing")."""
_STORY_SUBJECTS: Final = frozenset(["it", "there", "that"])
_STORY_VERBS: Final = frozenset(["is", "was", "has", "had", "will", "would", "keeps"])
"""Also a story's opening: one of these subjects before one of these verbs ("skip it" is a
command; "it is all bunched up" a story)."""

_ADDRESSES: Final = frozenset("mate coach pal buddy dear".split())  # noqa: SIM905
"""Words that address the coach after a command ("hang on mate", "move along coach"); not
first ("oh dear")."""
_ENDEARMENTS: Final = frozenset(
    "love darling sweetheart sweetie honey hun babe pet lads guys".split()  # noqa: SIM905
)
"""Words that address a person: said first, the sentence is for someone else in the room
("love, can you pass the remote"); said after a command, its addressee ("carry on love")."""


ADDRESS_WORDS: Final = _ADDRESSES | _ENDEARMENTS


def _address(token: str) -> bool:
    """Whether `token` is a word that addresses someone (`_ADDRESSES`, `_ENDEARMENTS`)."""
    return token in ADDRESS_WORDS


def split_clauses(text: str, words: Callable[[str], list[str]]) -> list[list[list[str]]]:
    """The clauses of `text`, each as its `words` and then the shorter clauses that open
    within it: split at punctuation, then before an opening word (`_CLAUSE_OPENERS`,
    `_STORY_OPENERS`) that follows a word of another kind, and around a word of address,
    which is no clause of its own ("next one please mate")."""
    clauses: list[list[list[str]]] = []
    for part in _CLAUSE_BREAK.split(text):
        tokens = words(part)
        if not tokens:
            continue
        cuts = [0]
        cuts += [
            i
            for i in range(1, len(tokens))
            if _opens(tokens, i) > _opens(tokens, i - 1)
            or _address(tokens[i])
            or _address(tokens[i - 1])
        ]
        cuts.append(len(tokens))
        inner = [tokens[a:b] for a, b in itertools.pairwise(cuts)] if len(cuts) > 2 else []
        inner = [clause for clause in inner if not all(map(_address, clause))]
        clauses.append([tokens, *inner])
    return clauses


def _addressed_first(tokens: list[str]) -> bool:
    """Whether the sentence opens by addressing someone in the room by an endearment ("love,
    can you pass the remote", "no darling, I'm doing my stretches") or greeting one of the
    family ("hi mum, yes, i'm fine"), not as the subject of a
    story ("love is all you need") or a verb ("love this one, keep going")."""
    index = 0
    while index < len(tokens) and tokens[index] in _LEAD_INS:
        index += 1
    if tokens[index : index + 1] and tokens[index] in _GREETINGS:
        return _greets_kin(tokens[index:])  # "hi mum"
    if index == len(tokens) or tokens[index] not in _ENDEARMENTS:
        return False
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    return following not in _SUBJECT_OR_VERB_OF


_SUBJECT_OR_VERB_OF: Final = _STORY_VERBS | frozenset(
    "are were it this that the these those my your me us him her them".split()  # noqa: SIM905
)
"""Words after which an endearment is a subject or a verb, not a word of address."""
_LEAD_INS: Final = frozenset(
    """okay ok so well oh hey alright right now then just please can could would will you
    yeah yes yep no nope aye not""".split()  # noqa: SIM905
)
"""Words that may come before the verb of a request ("okay can you pass the salt", "no, you
can't have another biscuit")."""
_OBJECT_PRONOUNS: Final = frozenset("me us him her them".split())  # noqa: SIM905
_OBJECT_DETERMINERS: Final = frozenset(
    "the a an your my his her their our that this these those some another".split()  # noqa: SIM905
)
_PARTICLE_WORDS: Final = frozenset(
    "back on off up down out over to with".split()  # noqa: SIM905
)
"""Words between a verb and its object ("go back to your homework", "carry on with the
gardening")."""
_PREPOSITIONS: Final = frozenset(
    "on in off for with at to by from behind of about into up down out again back".split()  # noqa: SIM905
)
"""Words that end the noun phrase of an object ("grab the towel | off the radiator")."""
_NOT_VERBS: Final = (
    _LEAD_INS
    | _OBJECT_PRONOUNS
    | _OBJECT_DETERMINERS
    | _CLAUSE_OPENERS
    | _STORY_OPENERS
    | _STORY_SUBJECTS
    | _PARTICLE_WORDS
    | _PREPOSITIONS
    | _STORY_VERBS
    | frozenset("i we he she they it not never there here gotta are were".split())  # noqa: SIM905
    | frozenset("had done did got gone went came left made took gave found lost".split())  # noqa: SIM905
)
"""Words that are never the verb of a request: function words, and verbs in the past ("had
my drink", "done with the door")."""
_INTRANSITIVE: Final = frozenset(["wait"])
"""Verbs whose object needs a preposition: what follows them is the story ("wait wait | the
doorbell")."""


def _object_head(tokens: list[str], verb: int) -> str | None:
    """The head noun of the object of the verb at `verb` ("pass | me the salt": "salt"; "go
    back to your homework": "homework"), or None when no determiner opens an object."""
    index = verb + 1
    while index < len(tokens) and tokens[index] in _PARTICLE_WORDS:
        index += 1
    if index > verb + 1 and tokens[index - 1] == "on":
        return None  # "hang on | the phone is ringing" tells why; "carry on with" has an object
    if index < len(tokens) and tokens[index] in _OBJECT_PRONOUNS:
        index += 1
        while index < len(tokens) and tokens[index] in _PARTICLE_WORDS:
            index += 1  # "take me back to the hotel"
    if index >= len(tokens) or tokens[index] not in _OBJECT_DETERMINERS:
        return None
    phrase: list[str] = []
    for token in tokens[index + 1 : index + 4]:
        if token in _STORY_VERBS or token in ("are", "were"):
            return None  # a clause of its own ("pause | the dog is barking")
        if token in _PREPOSITIONS or token in _OBJECT_DETERMINERS:
            break
        phrase.append(token)
    return phrase[-1] if phrase else None


def _requests_of_others(tokens: list[str], routine_words: frozenset[str]) -> bool:
    """Whether a clause is a request whose object is not the routine ("can you pause the
    telly", "have the last biscuit", "go back to your homework", "help me remember"): talk to
    someone else. The
    request's verb opens the clause, after lead-ins; a verb in the past or in -ing
    ("finished that side", "skipping this") tells what was done, not what to do."""
    index = 0
    while index < len(tokens) and tokens[index] in _LEAD_INS:
        index += 1
    if index == len(tokens):
        return False
    verb = tokens[index]
    if verb in _NOT_VERBS or verb in _INTRANSITIVE or verb.endswith(("ed", "ing")):
        return False
    if verb == "help" and tokens[index + 1 : index + 2] in (["me"], ["us"]):
        # "help me remember": help to do something that is not the routine.
        task = tokens[index + 2] if index + 2 < len(tokens) else ""
        return bool(task) and task not in _NOT_VERBS and task not in routine_words
    head = _object_head(tokens, index)
    return head is not None and head not in routine_words


_THIRD_PERSONS: Final = frozenset("he she they his her their".split())  # noqa: SIM905
"""A clause about someone else: a yes or a no beside it answers whoever asked about them."""
_REPORTING: Final = frozenset(
    "say says said saying tell tells told telling asked asks shouted goes went".split()  # noqa: SIM905
)
"""Words that report what someone said: a command after them is theirs ("she always says keep
going")."""
_BEFORE_A_VERB: Final = frozenset(
    """i we you he she they it to will would can could should must not never always did do
    does kept keeps is am are was were be been""".split()  # noqa: SIM905
)
"""Words after which a command's first word is a verb or a word of the story ("I will stop at
the bank", "the film was too long"), not a command said last."""


_COPULAS: Final = frozenset("is are was were".split())  # noqa: SIM905
_INTENSIFIERS: Final = frozenset(
    "way far much so really quite pretty rather nearly almost still all a bit lot".split()  # noqa: SIM905
)
"""Words between a verb "to be" and what it says of its subject ("was way | too long")."""


def _said_of_other(tokens: list[str], start: int, routine_words: frozenset[str]) -> bool:
    """Whether the words from `start` say what something that is not the routine is: after its
    noun and a verb "to be" ("that meeting was way | too long"), or in a question that opens
    with the verb ("is that builder | nearly done"). Not of the routine ("these holds are way
    too long") nor of a pronoun ("this is way too long")."""
    copula = start - 1
    while copula > 0 and tokens[copula] in _INTENSIFIERS:
        copula -= 1
    if tokens[copula] not in _COPULAS:
        if tokens[0] not in _COPULAS:
            return False
        copula = 0
    if copula == 0:
        subject = [word for word in tokens[1:start] if word not in _INTENSIFIERS]
    else:
        subject = tokens[copula - 1 : copula]
    if not subject:
        return False
    noun = subject[-1]
    return noun not in routine_words and noun not in _NOT_VERBS and noun not in _SUBJECT_PRONOUNS


_SUBJECT_PRONOUNS: Final = frozenset(
    "i we you it this that these those there here what everything something".split()  # noqa: SIM905
)
"""Subjects that may be the routine's step or the speaker ("this is way too long", "are we
nearly done")."""


_ASKING: Final = frozenset(
    (subject, verb) for subject in ("you", "we") for verb in ("can", "could", "may")
)
"""A subject and a modal that ask for the command after them, not tell a story ("phone calls
done you can unpause now", not "I will stop at the bank")."""


def after_an_object_word(tokens: list[str], index: int) -> bool:
    """Whether the word at `index` follows a determiner or a preposition: the noun of a phrase
    ("it was a pass", "the telly is on pause"), not a command of one word said last."""
    return index > 0 and tokens[index - 1] in _OBJECT_DETERMINERS | _PREPOSITIONS


_DANGLING: Final = frozenset("to the a an my your for with of at into".split())  # noqa: SIM905
"""A clause that ends on one of these is cut short, no command ("hold on to | my glasses")."""
_DETERMINERS: Final = frozenset(["the", "my", "your"])
_PARTICLES: Final = frozenset(["on"])
"""After one of these, "to" goes on the verb's phrase ("hold on to my glasses"), where after a
whole command it says what for ("wait a minute | to get the towel"). Not "back": "go back to
the stretch before" asks for it."""


def _opens(tokens: list[str], index: int) -> bool:
    """Whether the word at `index` can open a clause (`_CLAUSE_OPENERS`, `_opens_story`)."""
    before = tokens[index - 1] if index > 0 else ""
    if tokens[index] == "to" and before in _PARTICLES:
        return False
    if tokens[index] in _DETERMINERS and before == "to":
        return False  # "move on to the next": the phrase goes on
    return tokens[index] in _CLAUSE_OPENERS or _opens_story(tokens, index)


def _opens_story(tokens: list[str], index: int) -> bool:
    """Whether the words from `index` open a story rather than a command."""
    word = tokens[index]
    if word in _STORY_OPENERS:
        return True
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    return word in _STORY_SUBJECTS and following in _STORY_VERBS


def to_someone_else(
    text: str,
    tokens: list[str],
    words: Callable[[str], list[str]],
    routine_words: frozenset[str],
) -> bool:
    """Whether `text` (its words `tokens`) is said to someone else in the room: opened by
    an endearment (`_addressed_first`), naming their family or home (`_of_the_listeners`),
    asking about a thing not of the routine (`_asks_of_other_things`), or asking them for
    something (`_for_someone_else`);
    `words` reads a clause's words as the resolver does, and `routine_words` are what a request
    to the coach may be about."""
    if _addressed_first(tokens) or _acts_on_listener(tokens) or _asks_if_spoken_to(tokens):
        return True
    if _of_the_listeners(tokens) or _asks_of_other_things(tokens, routine_words):
        return True
    return _for_someone_else(split_clauses(text, words), routine_words)


_QUESTION_WORDS: Final = frozenset("how what when where which".split())  # noqa: SIM905
_ASKED_OF: Final = frozenset("on in of for".split())  # noqa: SIM905
"""Words after which a question names what it asks about ("how long is left on the oven")."""


def _asks_of_other_things(tokens: list[str], routine_words: frozenset[str]) -> bool:
    """Whether the words are a question about a thing that is not the routine ("how long is
    left on the oven", "how many episodes are left in that series"): for whoever is in the
    room, or the speaker themselves; not about the routine ("how long is left on this side")."""
    if not tokens or tokens[0] not in _QUESTION_WORDS:
        return False
    for index in range(1, len(tokens)):
        if tokens[index] in _ASKED_OF:
            head = _object_head(tokens, index)
            if head is not None and head not in routine_words:
                return True
    return False


_SPEAKING: Final = frozenset("talking speaking calling".split())  # noqa: SIM905


def _asks_if_spoken_to(tokens: list[str]) -> bool:
    """Whether the speaker asks whether "you" spoke to them ("pardon, were you talking to
    me"): a question for someone else, for the coach speaks to no one but the user."""
    for index in range(1, len(tokens)):
        spoken_to = tokens[index + 1 : index + 3] in (["to", "me"], ["me"])
        if tokens[index] in _SPEAKING and tokens[index - 1] == "you" and spoken_to:
            return True
    return False


_PROMISES: Final = (("i", "will"), ("ill",), ("let", "me"), ("going", "to"), ("gonna",))
"""Words with which a speaker says what they are about to do."""
_TALK_VERBS: Final = frozenset("tell let ask show say answer hear".split())  # noqa: SIM905
"""Verbs whose object may be the coach ("i will tell you when i'm ready")."""


def _acts_on_listener(tokens: list[str]) -> bool:
    """Whether the speaker says they are about to do something to whoever listens ("i'll feed
    you in a minute", "let me put you on speaker", "i'll help you with the boxes"): a person
    or a pet, never the coach; but for telling or asking it something (`_TALK_VERBS`)."""
    for index in range(len(tokens)):
        for promise in _PROMISES:
            verb = index + len(promise)
            if tuple(tokens[index:verb]) != promise or verb + 1 >= len(tokens):
                continue
            if tokens[verb + 1] != "you":
                continue
            if tokens[verb] not in _NOT_VERBS and tokens[verb] not in _TALK_VERBS:
                return True
    return False


def _for_someone_else(clauses: list[list[list[str]]], routine_words: frozenset[str]) -> bool:
    """Whether one of the `clauses` asks something of someone else in the room: a request
    whose object is not the routine (`_requests_of_others`), where a clause opens."""
    for part, *_ in clauses:
        for index in range(len(part)):
            opens = index == 0 or _opens(part, index)
            if opens and _requests_of_others(part[index:], routine_words):
                return True
    return False


def takes_object(clause: list[str], following: list[str], routine_words: frozenset[str]) -> bool:
    """Whether the words after a command's clause are its object, and not the routine
    ("i keep counting | the days", "pause | the telly"): no command for the coach."""
    verb = clause[-1]
    if verb in _NOT_VERBS or verb in _INTRANSITIVE or len(following) > 3:
        return False
    head = _object_head([verb, *following], 0)
    return head is not None and head not in routine_words


_SUBJECT_VERBS: Final = frozenset(["need", "got", "gotta"])
"""Clause openers that are verbs: after a noun they are its verb ("the spuds | need more
time")."""
_OTHERS_DETERMINERS: Final = frozenset("the that those these your his her their our".split())  # noqa: SIM905
"""Determiners of a thing not the speaker's own ("my legs need more time" may ask the coach)."""


def said_by_subject(previous: list[str], clause: list[str], routine_words: frozenset[str]) -> bool:
    """Whether `clause` opens with the verb of the thing named just before it, which is not
    the routine ("the spuds | need more time"): what that thing needs, no command."""
    if clause[0] not in _SUBJECT_VERBS or len(previous) < 2:
        return False
    noun = previous[-1]
    if previous[0] not in _OTHERS_DETERMINERS or noun in routine_words:
        return False
    return noun not in _NOT_VERBS


_KIN: Final = frozenset(
    """mum mom mummy mommy mother dad daddy father nan nana gran granny grandma grandad grandpa
    sister brother son daughter wife husband aunt auntie uncle cousin nephew niece boss
    friend""".split()  # noqa: SIM905
)
"""People in the speaker's or the listener's life: the coach is none of them."""
_GREETINGS: Final = frozenset("hi hello hiya".split())  # noqa: SIM905
_DAYS: Final = frozenset(
    f"{day}{end}"
    for day in "monday tuesday wednesday thursday friday saturday sunday".split()  # noqa: SIM905
    for end in ("", "s")
)
_CALLS: Final = frozenset("ring call phone".split())  # noqa: SIM905


def _with_others(part: list[str]) -> bool:
    """Whether a clause is talk with someone else: it greets a person ("hi mum"), names a day
    to meet ("thursday's fine"), or promises to call back ("i'll call the bank back later",
    "can i ring you back in ten")."""
    if _greets_kin(part):
        return True
    if any(word in _DAYS for word in part):
        return True
    return any(word in _CALLS and "back" in part[index + 1 :] for index, word in enumerate(part))


def about_someone_else(clauses: list[list[list[str]]]) -> bool:
    """Whether one of the `clauses` (`split_clauses`) is about someone else or talk with them:
    a yes or a no beside it answers whoever asked ("no, he's back Thursday", "hi mum, yeah,
    i'm just doing my exercises", "no, i'll call the bank back later"; `_with_others`)."""
    return any(part[0] in _THIRD_PERSONS or _with_others(part) for part, *_ in clauses)


def _greets_kin(words: list[str]) -> bool:
    """Whether `words` open by greeting one of the family ("hi mum", "hello nan")."""
    return len(words) > 1 and words[0] in _GREETINGS and _kin(words[1])


_AT_HOME: Final = frozenset("from to at round".split())  # noqa: SIM905
"""Before "yours", the listener's home ("from yours"); not "i'm all yours"."""


def _of_the_listeners(tokens: list[str]) -> bool:
    """Whether the words name the listener's family or home ("your sister", "from yours"): the
    coach has neither."""
    for before, word in itertools.pairwise(tokens):
        if (word == "yours" and before in _AT_HOME) or (before == "your" and _kin(word)):
            return True
    return False


def _kin(word: str) -> bool:
    """Whether `word` names one of `_KIN`, or their home ("mums": "your mum's")."""
    return word in _KIN or (word.endswith("s") and word[:-1] in _KIN)


def tells_no_command(clause: list[str]) -> bool:
    """Whether `clause` cannot say a command as a whole: it opens as a story does
    (`_STORY_OPENERS`) or ends cut short (`_DANGLING`)."""
    return _opens_story(clause, 0) or cut_short(clause)


def cut_short(clause: list[str]) -> bool:
    """Whether `clause` ends on a word that needs more after it (`_DANGLING`: "set it to")."""
    return clause[-1] in _DANGLING


def last_command_starts(
    tokens: list[str], first_words: frozenset[str], routine_words: frozenset[str]
) -> Iterator[int]:
    """Where in `tokens` a command said last, after what happened with no punctuation between,
    may start ("right doors sorted | keep going"), first to last: at a word a sample can start
    with (`first_words`), not after only fillers (the whole sentence was read), nor where the
    word before makes its first word a verb of the story ("I will stop at the bank"), nor where
    it says what a thing that is not the routine (`routine_words`) is ("that meeting was way
    too long", "is that builder nearly done"; `_said_of_other`). None at all after a story's
    opening or someone else's words ("my son sad hang on", typed with a slip), and none from
    where the words before report what someone said ("she always says keep going")."""
    if _opens_story(tokens, 0) or tokens[0] in _THIRD_PERSONS:
        return
    for start in range(1, len(tokens)):
        if tokens[start - 1] in _REPORTING:
            return
        if tokens[start] in WEAK_LITERALS:
            continue
        if tokens[start - 1] in _BEFORE_A_VERB and tuple(tokens[start - 2 : start]) not in _ASKING:
            continue
        if _said_of_other(tokens, start, routine_words):
            continue
        if tokens[start] not in first_words:
            continue  # no sample starts there
        if all(token in SKIPPABLE for token in tokens[:start]):
            continue  # only fillers before it: the whole sentence was read
        yield start


_CORRECTIONS: Final = (
    ("i", "mean"),
    ("i", "meant"),
    ("or", "rather"),
    ("scratch", "that"),
    ("forget", "it"),
    ("forget", "that"),
    ("no",),
    ("nope",),
    ("sorry",),
    ("actually",),
    ("wait",),
)
"""Words with which a speaker takes back what they began to say ("next no i mean skip it")."""
_INSTEAD: Final = frozenset(["just", "but"])
_NEGATION_REACH: Final = 3
"""After "not" and up to this many words, "just" or "but" tells what is meant instead ("no
not stop just pause", "not next but skip")."""


def corrections(tokens: list[str]) -> list[tuple[int, int]]:
    """Where in `tokens` the speaker corrects what they began to say, last first: the start and
    end of each word or words of correction (`_CORRECTIONS`) said after a word that is not a
    filler, and of "just" or "but" after a "not" ("stop no not stop just pause")."""
    found: list[tuple[int, int]] = []
    index = 1
    while index < len(tokens):
        size = next(
            (
                len(marker)
                for marker in _CORRECTIONS
                if tuple(tokens[index : index + len(marker)]) == marker
            ),
            0,
        )
        if not size and tokens[index] in _INSTEAD:
            size = int("not" in tokens[max(0, index - _NEGATION_REACH) : index])
        if size and not all(token in SKIPPABLE for token in tokens[:index]):
            found.append((index, index + size))
        index += max(size, 1)
    return found[::-1]
