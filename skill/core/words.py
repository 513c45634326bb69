"""Reading words as people type them: an utterance to the words the resolver compares.

Words are read as people type them: texting shorthand and number forms ("pls", "gimme a sec", "2
mins", "done 4 today") are expanded by `normalize`, contractions written out ("I'm" -> "i am"),
digits spelled as words, a letter held down said twice at most, a recogniser's slips for the
command words read as meant ("longer hole", "re zoom"). The model's samples and slot
values go through the same `normalize`, so both sides of a match read alike. Spelling slips are
not corrected here: that needs the model's words (`skill.core.spelling`, `skill.core.resolver`).
Pure functions; no model, no I/O. Tests: `tests/test_words.py`; typed lines resolved in
`tests/test_resolver.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from skill.core.durations import is_unit
from speech.numbers import number_words

__all__ = ["normalize"]

_FILLER_WORDS = frozenset({"please", "um", "uh", "erm", "er", "hmm", "umm"})

_APOSTROPHE_S_IS = frozenset(
    [
        "it",
        "that",
        "what",
        "there",
        "here",
        "where",
        "who",
        "he",
        "she",
        "how",
        "this",
        "everything",
        "something",
    ]
)
_CONTRACTIONS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "let's": "let us",
    "ain't": "is not",
    # Typed without the apostrophe, where the word is no other word.
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "cant": "can not",
    "isnt": "is not",
    "wasnt": "was not",
    "arent": "are not",
    "couldnt": "could not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "havent": "have not",
    "hasnt": "has not",
    "im": "i am",
    "ive": "i have",
    "thats": "that is",
    "whats": "what is",
    "theres": "there is",
    "youre": "you are",
    "youve": "you have",
    "youll": "you will",
    "theyre": "they are",
    "weve": "we have",
    "wheres": "where is",
    "hows": "how is",
    "whos": "who is",
    "heres": "here is",
    "itll": "it will",
}
_SHORTHAND: Final[Mapping[str, str]] = {
    # Only forms that are no other word: "ill", "were", "id" and "its" are words.
    "u": "you",
    "yu": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "plse": "please",
    "pleez": "please",
    "thx": "thanks",
    "thnx": "thanks",
    "thanx": "thanks",
    "thnks": "thanks",
    "tx": "thanks",
    "ty": "thank you",
    "nxt": "next",
    "prev": "previous",
    "agn": "again",
    "bak": "back",
    "bk": "back",
    "hlp": "help",
    "rdy": "ready",
    "brb": "hang on",  # "be right back": wait for me
    "sec": "second",
    "secs": "seconds",
    "sek": "second",
    "min": "minute",
    "mins": "minutes",
    "hr": "hour",
    "hrs": "hours",
    "hm": "hmm",
    "k": "okay",
    "kk": "okay",
    "okk": "okay",
    "okey": "okay",
    "okie": "okay",
    "oki": "okay",
    "okies": "okay",
    "okai": "okay",
    "ohk": "okay",
    "okayy": "okay",
    "yea": "yeah",
    "yeh": "yeah",
    "yup": "yep",
    "nah": "no",
    "naw": "no",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "hafta": "have to",
    "tryna": "trying to",
    "lemme": "let me",
    "gimme": "give me",
    "gimmie": "give me",
    "dunno": "do not know",
    "idk": "i do not know",
    "kinda": "kind of",
    "sorta": "sort of",
    "outta": "out of",
    "lotta": "lot of",
    "lets": "let us",  # typed, nearly always "let's"
    "enuf": "enough",
    "nuff": "enough",
    "tho": "though",
    "thru": "through",
    "til": "until",
    "abt": "about",
    "cuz": "because",
    "coz": "because",
    "cos": "because",
    "bc": "because",
    "wat": "what",
    "wut": "what",
    "wht": "what",
    "wot": "what",
    "wats": "what is",
    "cn": "can",
    "cud": "could",
    "cld": "could",
    "shld": "should",
    "wud": "would",
    "wld": "would",
    "rly": "really",
    "rlly": "really",
    "prolly": "probably",
    "ppl": "people",
    "smth": "something",
    "sth": "something",
    "nvm": "never mind",
    "btw": "by the way",
    "tbh": "to be honest",
    "asap": "as soon as possible",
    "atm": "at the moment",
    "rn": "right now",
    "b4": "before",
    "2day": "today",
    "2nite": "tonight",
    "2night": "tonight",
    "tonite": "tonight",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tmrw": "tomorrow",
    "l8r": "later",
    "gr8": "great",
    "w8": "wait",
    "any1": "anyone",
    "some1": "someone",
    "every1": "everyone",
    "no1": "no one",
    "whn": "when",
    "becuz": "because",
    "bcuz": "because",
    "bcoz": "because",
    # Words typed run together that are two words of a sample nowhere.
    "abit": "a bit",
    "alot": "a lot",
    "aswell": "as well",
    "atleast": "at least",
    "incase": "in case",
    "noone": "no one",
    "thankyou": "thank you",
    "imdone": "i am done",
    "imback": "i am back",
}
"""Texting shorthand and spoken forms as typed, and the words of the model's samples they
stand for (`normalize`); forms with digits are read before digits are spelled out."""
_HEARD_AS: Final[Mapping[tuple[str, str], tuple[str, ...]]] = {
    ("longer", "hole"): ("longer", "hold"),
    ("longer", "holes"): ("longer", "holds"),
    ("shorter", "hole"): ("shorter", "hold"),
    ("shorter", "holes"): ("shorter", "holds"),
    ("re", "zoom"): ("resume",),
}
"""A recogniser's slips for the command words, two words heard for the words meant ("longer
hole please", "re zoom"): only pairs that are no ordinary talk. Not "shorter hose", which a
gardener says of a hose."""
_FOR_NEXT: Final = frozenset(
    """today tonight tomorrow now later me you us him her them it this that the a an real sure
    ever""".split()  # noqa: SIM905
)
_TO_NEXT: Final = frozenset(
    """the my your me you it this that go do get be see stop start keep make take come bed
    work""".split()  # noqa: SIM905
)
_TO_BEFORE: Final = frozenset(
    "want need have has got going ready able wanted used".split()  # noqa: SIM905
)
_NUMBER_BEFORE: Final = frozenset(
    """a an about around like is was its it's be at maybe than or and to of my only just say
    probably roughly another from between""".split()  # noqa: SIM905
)
_COUNTED: Final = frozenset("more or of times extra less".split())  # noqa: SIM905
"""The digit typed for a word: "4" is "for" before these or a number ("done 4 today", "hold 4
30 secs") but not first or after a word that counts ("it's a 4 today"); "2" is "to" before these or
after a word that takes "to" ("go back 2 the start", "want 2 stop") unless what follows is
counted ("want 2 more", "2 mins"); else each is a number."""
_TYPED_DIGIT: Final = re.compile(r"(?<!\w)(?<!\d[:.,])[24](?!\w|[:.,]\d)")
_DIGIT: Final = re.compile(r"[0-9]")
_TYPED_WITH_DIGIT: Final = re.compile(r"\b[a-z]*[0-9][a-z0-9]*\b")
_ILL_AS_I_WILL: Final = re.compile(
    r"\bill (?=(?:stop|skip|be|do|go|leave|finish|pause|wait|try|just|carry|keep|come|have|take)\b)"
)
""""I'll" typed without its apostrophe before a verb ("ill stop there", "ill be right back");
"ill" the word stays ("feeling ill today")."""
_ELONGATED: Final = re.compile(r"([a-z])\1{2,}(\b)?")
"""A letter held down: said twice inside a word ("loooong", then a slip for "long"), once at
its end ("sooo", "nooo", "pleaseee")."""


def _expand(token: str) -> list[str]:
    """Contractions and shorthand to full words, so "I'm" and "i am", "pls" and "please" match
    alike; other apostrophes dropped."""
    if token in _SHORTHAND:
        return _SHORTHAND[token].split()
    if token in _CONTRACTIONS:
        return _CONTRACTIONS[token].split()
    for suffix, word in (("n't", "not"), ("'re", "are"), ("'ve", "have"), ("'ll", "will")):
        if token.endswith(suffix) and len(token) > len(suffix):
            return [token[: -len(suffix)], word]
    if token.endswith("'m"):
        return [token[:-2], "am"]
    if token.endswith("'d"):
        return [token[:-2], "would"]
    if token.endswith("'s") and token[:-2] in _APOSTROPHE_S_IS:
        return [token[:-2], "is"]
    stripped = token.replace("'", "")
    return [stripped] if stripped else []


def _spell_numbers(text: str) -> str:
    """Digits to words ("45" -> "forty five", "1.5" -> "one point five", "1:30" -> minutes)."""

    def clock(match: re.Match[str]) -> str:
        minutes, seconds = int(match.group(1)), int(match.group(2))
        return f" {number_words(minutes)} minutes {number_words(seconds)} seconds "

    def decimal(match: re.Match[str]) -> str:
        whole, digits = match.group(1), match.group(2)
        spoken = " ".join(number_words(int(d)) for d in digits)
        return f" {number_words(int(whole))} point {spoken} "

    def whole(match: re.Match[str]) -> str:
        digits = match.group(0).replace(",", "")
        if len(digits) > 6:  # beyond what number_words spells; int() of a huge run is slow
            return match.group(0)
        return f" {number_words(int(digits))} "

    text = re.sub(r"\b([0-9]{1,3}):([0-5][0-9])\b", clock, text)
    text = re.sub(r"\b([0-9]{1,6})\.([0-9]+)\b", decimal, text)
    return re.sub(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+", whole, text)


def _typed_forms(text: str) -> str:
    """Lower-case `text` with the forms of typing undone: a letter held down said twice at most
    ("loooong"), shorthand with digits spelled ("b4"), a "2" or "4" that stands for a word, and
    "ill" for "I'll" before a verb."""

    def digit(match: re.Match[str]) -> str:
        before = re.findall(r"[a-z']+", text[: match.start()])[-1:]
        after = re.match(r" *([a-z0-9']+)", text[match.end() :])
        following = after.group(1) if after else ""
        if match.group(0) == "4":
            # "4 today" and "a 4 today" answer the pain check; "done 4 today" does not.
            counted = not before or before[0] in _NUMBER_BEFORE
            for_next = following in _FOR_NEXT or following.isdigit()
            return " for " if for_next and not counted else match.group(0)
        counts = following in _COUNTED or is_unit(following)
        takes_to = bool(before) and before[0] in _TO_BEFORE and not counts
        return " to " if following in _TO_NEXT or takes_to else match.group(0)

    text = text.replace("&", " and ")
    text = _ILL_AS_I_WILL.sub("i will ", text)
    if _ELONGATED.search(text):
        text = _ELONGATED.sub(lambda held: held[1] if held[2] is not None else held[1] * 2, text)
    if not _DIGIT.search(text):
        return text
    text = _TYPED_WITH_DIGIT.sub(lambda match: _SHORTHAND.get(match[0], match[0]), text)
    return _TYPED_DIGIT.sub(digit, text)


_HEDGE: Final = re.compile(r",\s*like\s*,")
"""A "like" set off by commas: a hedge, no word of the sentence ("can you just, like, wait")."""


def _literal_tokens(text: str) -> list[str]:
    text = _typed_forms(text.lower().replace("\u2019", "'").replace("\u2018", "'"))
    text = _HEDGE.sub(" ", text)
    text = re.sub(r"(?<=[0-9])(?=[a-z])|(?<=[a-z])(?=[0-9])", " ", text)
    text = _spell_numbers(text)
    text = re.sub(r"[^\w' ]+", " ", text.replace("_", " "))
    tokens: list[str] = []
    for raw in text.split():
        tokens.extend(_expand(raw.strip("'")))
    return _heard_as_meant(tokens)


def _heard_as_meant(tokens: list[str]) -> list[str]:
    """`tokens` with each pair of `_HEARD_AS` read as the words meant."""
    result: list[str] = []
    for token in tokens:
        meant = _HEARD_AS.get((result[-1], token)) if result else None
        if meant is None:
            result.append(token)
        else:
            result[-1:] = meant
    return result


def normalize(text: str) -> list[str]:
    """The words of an utterance as the resolver compares them.

    Lower case, punctuation dropped, digits spelled out, contractions expanded ("I'm" -> "i
    am"), texting shorthand too ("pls nxt", "gimme 2 mins", "done 4 today": `_SHORTHAND`,
    `_typed_forms`), a letter held down at most twice ("sooo" -> "so"), hesitations and
    "please" removed unless nothing else is left. Spelling slips are the resolver's to correct
    (`skill.core.resolver.Resolver._words`): they need the model's words.
    """
    tokens = _literal_tokens(text)
    kept = [token for token in tokens if token not in _FILLER_WORDS]
    return kept or tokens
