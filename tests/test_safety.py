"""The safety detector (skill/core/safety.py): loading and its errors, negation and relief, red
flags first, the commands it gives, and the labelled corpus in tests/data/safety that proves it.

The corpus has two halves split by family (one situation, several ways to say it): the rules are
written against ``tuning.yaml``; ``heldout.yaml`` is not used to tune them, and the targets are
asserted on it. Run with ``-s`` to see the figures per category for both halves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from routines import events as ev
from skill.core import safety
from skill.core.resolution import Resolution, Slot, concern_question
from skill.core.safety import CATEGORIES, Detector, Finding, SafetyDataError, detect
from speech import phrases, prompts
from tests.support.safety_data import MINIMAL

CORPUS = Path(__file__).resolve().parent / "data" / "safety"
HALVES = ("tuning", "heldout")
NONE = "none"

#: Targets on the held-out half (issue 12).
RED_FLAG_TARGET = 1.0
"""Share of red-flag utterances caught AND given a right red-flag id."""
SYMPTOM_TARGET = 0.97
"""Share of pain and nerve utterances caught (any finding)."""
FALSE_ALARM_TARGET = 0.01
"""Largest share of non-symptom utterances that may be flagged."""
QUESTION_BOUND = 0.02
"""Largest share of non-symptom utterances the coach may ask about (a concern): a question is
milder than a false alarm, but each one interrupts a hold (this project's bound, not the
issue's)."""


# --- the corpus --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One labelled utterance."""

    half: str
    family: str
    text: str
    expect: frozenset[str]
    """The right readings: symptom ids, or {"none"}."""

    @property
    def kind(self) -> str:
        """red_flag, nerve, pain or none: the category of the (first) right reading."""
        first = sorted(self.expect)[0]
        if first == NONE:
            return NONE
        return _category_of(first)


def _category_of(symptom_id: str) -> str:
    for symptom in safety.detector().symptoms:
        if symptom.symptom_id == symptom_id:
            return symptom.category
    raise AssertionError(f"unknown symptom id {symptom_id!r} in the corpus")


def _load(half: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((CORPUS / f"{half}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, list), f"{half}.yaml: must be a list of families"
    return data


def _cases(half: str) -> Iterator[Case]:
    for family in _load(half):
        expect = family["expect"]
        ids = frozenset(expect if isinstance(expect, list) else [expect])
        for text in family["say"]:
            yield Case(half, family["family"], text, ids)


CASES = {half: list(_cases(half)) for half in HALVES}


def test_the_corpus_is_well_formed_and_split_by_family() -> None:
    known = {symptom.symptom_id for symptom in safety.detector().symptoms} | {NONE}
    families: dict[str, set[str]] = {}
    for half in HALVES:
        for family in _load(half):
            assert set(family) == {"family", "expect", "say"}, family
            assert family["say"], family
            assert all(isinstance(t, str) for t in family["say"]), family
            assert all(family["say"]), family
            families.setdefault(half, set()).add(family["family"])
        for case in CASES[half]:
            assert case.expect <= known, case
            assert NONE not in case.expect or case.expect == {NONE}, case
            assert len({_category_of(i) for i in case.expect if i != NONE}) <= 1, case
    assert not families["tuning"] & families["heldout"], "a family straddles the halves"
    texts = {half: {c.text.lower() for c in CASES[half]} for half in HALVES}
    assert not texts["tuning"] & texts["heldout"], "a sentence is in both halves"
    assert sum(len(cases) for cases in CASES.values()) >= 400
    kinds = {case.kind for cases in CASES.values() for case in cases}
    assert kinds == {*CATEGORIES, NONE}
    red_flags = {i for c in CASES["heldout"] for i in c.expect if i.startswith("RED_FLAG_")}
    every_red_flag = {s.symptom_id for s in safety.detector().symptoms if s.category == "red_flag"}
    assert red_flags == every_red_flag, "every red flag category is in the held-out half"


# --- figures per category ----------------------------------------------------------------------


@dataclass
class Tally:
    """How one half did on one kind of utterance."""

    total: int = 0
    caught: int = 0
    """Utterances with a finding (for non-symptoms: false alarms)."""
    right: int = 0
    """Utterances read right: a right id, or no finding for a non-symptom."""
    asked: int = 0
    """Utterances the coach asks about first (`Detector.concern`): for a red flag, those it
    asks about by its right id though no rule found it; for a non-symptom, any question."""

    def share(self, count: int) -> float:
        return count / self.total if self.total else 1.0


def _tally(cases: list[Case]) -> tuple[dict[str, Tally], list[str]]:
    tallies: dict[str, Tally] = {}
    wrong = []
    for case in cases:
        found = detect(case.text)
        got = found.symptom_id if found else NONE
        concern = safety.detector().concern(case.text, found)
        asked = concern is not None and (case.kind == NONE or concern.symptom_id in case.expect)
        for key in (case.kind, *(i for i in case.expect if i != NONE)):
            tally = tallies.setdefault(key, Tally())
            tally.total += 1
            tally.caught += found is not None
            tally.right += got in case.expect
            tally.asked += asked and (case.kind == NONE or got not in case.expect)
        if got not in case.expect:
            wrong.append(f"  {case.family}: {case.text!r} -> {got} (want {'/'.join(case.expect)})")
    return tallies, wrong


def _report(half: str) -> tuple[dict[str, Tally], list[str]]:
    tallies, wrong = _tally(CASES[half])
    print(f"\nsafety corpus, {half} half ({len(CASES[half])} utterances)")
    if half == "heldout":
        print("  (what passed its one blind run; every batch's blind figures: heldout.yaml header)")
    header = f"{'kind':22} {'n':>4} {'caught':>8} {'right id':>9} {'asked':>7}"
    print(f"  {header}  (per category, then per id)")
    for key in sorted(tallies, key=lambda k: (k not in (*CATEGORIES, NONE), k)):
        t = tallies[key]
        caught = f"{t.share(t.caught):.1%}" if key != NONE else f"{t.share(t.caught):.1%} FA"
        right, asked = t.share(t.right), t.share(t.asked)
        print(f"  {key:22} {t.total:>4} {caught:>8} {right:>9.1%} {asked:>7.1%}")
    print("\n".join(wrong) if wrong else "  every utterance read right")
    return tallies, wrong


def test_tuning_half_figures() -> None:
    tallies, wrong = _report("tuning")
    # The rules are written against this half: every utterance is read right.
    assert wrong == []
    assert tallies[NONE].caught == 0


def test_heldout_half_meets_the_targets() -> None:
    tallies, _ = _report("heldout")
    red, nerve, pain, none = (tallies[k] for k in (*CATEGORIES, NONE))
    assert red.share(red.right) >= RED_FLAG_TARGET, "a red flag was missed or misread"
    symptoms = nerve.caught + pain.caught
    assert symptoms / (nerve.total + pain.total) >= SYMPTOM_TARGET
    assert none.share(none.caught) <= FALSE_ALARM_TARGET
    assert none.total >= 100, "too few non-symptoms for a 1% false-alarm rate to mean anything"
    assert none.share(none.asked) <= QUESTION_BOUND, "too many questions about nothing"


def _assert_read(text: str, symptom_id: str | None, *, no_red_flag: bool = False) -> None:
    """`text` is read as `symptom_id`; None: as no symptom, or with `no_red_flag` as no red flag
    (pain or a nerve symptom may be read)."""
    found = detect(text)
    if symptom_id is None:
        assert found is None or (no_red_flag and found.category != "red_flag"), found
    else:
        assert found is not None
        assert found.symptom_id == symptom_id, found


# --- reading: negation, relief, priority -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "symptom_id"),
    [
        ("it doesn't hurt", None),
        ("It DOESN'T hurt.", None),
        ("it doesnt hurt", None),
        ("no pain at all", None),
        ("the pain is gone", None),
        ("I feel great", None),
        ("not numb anymore", None),
        ("it doesn't stop hurting", "PAIN"),
        ("the pain won't go away", "PAIN"),
        ("no, it hurts", "PAIN"),
        ("it doesn't hurt, but my foot is numb", "NUMBNESS"),
        ("shooting pain down my leg", "SHOOTING"),
        ("I can't feel my foot", "NUMBNESS"),
        ("I can feel my foot again", None),
        ("I can't hold my pee", "RED_FLAG_BLADDER"),
        ("I haven't lost control of my bladder", None),
        ("my leg is weak", "RED_FLAG_WEAKNESS"),
        ("my leg isn't weak", None),
        ("I fell asleep", None),
        ("pins and needles", "TINGLING"),
        # A negation reaches over "X or"; "nothing is X" denies X.
        ("I don't have any numbness or tingling", None),
        ("no pain or tingling today", None),
        ("nothing's tingling", None),
        ("nothing is helping, it tingles", "TINGLING"),
        # Relief after a relative clause; a symptom in the past, over in a later clause.
        ("the tingling I had last week has cleared up", None),
        ("my foot went numb yesterday but it's fine now", None),
        ("my foot is numb but it's fine", "NUMBNESS"),
        ("my foot went numb yesterday and now it's worse", "NUMBNESS"),
        ("I wet myself yesterday but it's fine now", "RED_FLAG_BLADDER"),
        # Someone else's fall is not the user's; being knocked over is.
        ("my son fell off his bike last week", None),
        ("I fell off my bike last week", "RED_FLAG_FALL"),
        ("the dog knocked me flying", "RED_FLAG_FALL"),
        ("he hurt my back pushing me", "PAIN"),
        ("she fell on me", "RED_FLAG_FALL"),
        # A question for later is no symptom; without words of the future it is asked about
        # (`test_a_question_about_what_might_happen_is_asked_about_not_acted_on`).
        ("what should I do if both my legs go numb, just asking for the future", None),
        ("my leg is numb, just checking", "NUMBNESS"),
        # A rule that ends at its clause's end still does when a clause follows.
        ("my leg just folds, help me", "RED_FLAG_WEAKNESS"),
        ("my leg folded. what now", "RED_FLAG_WEAKNESS"),
        # A body part woken up has its feeling back; one that woke up tingling does not.
        ("the numb patch on my foot has woken up", None),
        ("my foot woke up all tingly", "TINGLING"),
        # A relief undone is a symptom; a numbness whose feeling came back is not.
        ("the tingling calmed down but now it's back", "TINGLING"),
        ("my foot went to sleep, but it's come back now", None),
        # A question told as asked, answered: no is no, yes is yes.
        ("the doctor asked me do I ever wet myself, no", None),
        ("the doctor asked me do I ever wet myself, yes", "RED_FLAG_BLADDER"),
    ],
)
def test_negation_and_relief_are_understood(text: str, symptom_id: str | None) -> None:
    found = detect(text)
    assert (found.symptom_id if found else None) == symptom_id


@pytest.mark.parametrize(
    ("text", "symptom_id"),
    [
        ("my groin, the left side, has gone numb", "RED_FLAG_SADDLE"),
        ("between my legs, and there is no feeling at all", "RED_FLAG_SADDLE"),
        ("right by the groin, I feel it like cotton wool", "RED_FLAG_SADDLE"),
        ("down there, it feels fine", None),
        ("my bottom, it is not numb at all", None),
    ],
)
def test_a_place_said_on_its_own_goes_with_what_it_feels(text: str, symptom_id: str | None) -> None:
    found = detect(text)
    assert (found.symptom_id if found else None) == symptom_id


# Round 12, group knock: the user's own weakness and fall or blow, said in their own words
# (batches 89-92); each kind with near misses that must not be read as it.


@pytest.mark.parametrize(
    ("text", "symptom_id"),
    [
        # A knee or a leg out from under me is weakness; feet on the ice, a chair, a fall.
        ("my knee went out from under me on the stairs, it just gave way", "RED_FLAG_WEAKNESS"),
        ("the left knee just went out from under me twice today", "RED_FLAG_WEAKNESS"),
        ("leg went out from under me walking to the car, no warning", "RED_FLAG_WEAKNESS"),
        ("my knees went out from under me when I stood up from the sofa", "RED_FLAG_WEAKNESS"),
        ("twice now my leg has gone out from under me in the hallway", "RED_FLAG_WEAKNESS"),
        ("me knee just went out from undr me on the way to the loo", "RED_FLAG_WEAKNESS"),
        ("my feet went out from under me on the ice this morning", "RED_FLAG_FALL"),
        ("the chair slid out from under me and I landed on the floor", "RED_FLAG_FALL"),
        ("the mat slid about under me, can you hold on", None),
        ("my knee went out to the side in the stretch like you said", None),
        ("the ball rolled out from under my knee, let me put it back", None),
        # A side too weak; not tired, nor a side stronger than the other.
        ("on the heel raise my left side is too weak to push me up", "RED_FLAG_WEAKNESS"),
        ("my right side is weak, it just won't lift me on the calf raise", "RED_FLAG_WEAKNESS"),
        ("the left side has gone really weak since yesterday", "RED_FLAG_WEAKNESS"),
        ("my leg is too weak to hold me when I stand on it", "RED_FLAG_WEAKNESS"),
        ("the bad side has no strength at all today", "RED_FLAG_WEAKNESS"),
        ("doing the tiptoe one, the right side is to weak to lift me", "RED_FLAG_WEAKNESS"),
        ("I'm too weak to lift the shopping after this cold, ha", None),
        ("my right side is stronger than my left, always has been", None),
        ("the left side of the stretch felt good", None),
        # Any vehicle that struck me or the one I rode; not mine hitting a pothole.
        ("a car hit my bike on the roundabout yesterday and now my leg aches", "RED_FLAG_FALL"),
        ("a lorry clipped my car on the motorway last week", "RED_FLAG_FALL"),
        ("a bus ran into my scooter on monday and since then my back is sore", "RED_FLAG_FALL"),
        ("the taxi crashed into our car on friday", "RED_FLAG_FALL"),
        ("some van rammed my motorbike from behind two days back", "RED_FLAG_FALL"),
        ("my car hit a pothole on the way here", None),
        ("my bike is in the garage with a flat tyre", None),
        # A blow to the back by anyone or anything; not the pain that "hits", nor the cat.
        ("got kicked in the lower back at football and the leg's been bad since", "RED_FLAG_FALL"),
        ("I was hit in the back by a swing at the park yesterday", "RED_FLAG_FALL"),
        ("the cupboard door whacked me in the small of my back", "RED_FLAG_FALL"),
        ("a ball hit me right in the lower back at cricket", "RED_FLAG_FALL"),
        (
            "my grandson kneed me in the back this morning and now it's shooting down my leg",
            "RED_FLAG_FALL",
        ),
        ("got elbowed in the spine at netball", "RED_FLAG_FALL"),
        ("took a proper kick to the lower back playing five a side", "RED_FLAG_FALL"),
        (
            "had a nasty bang on the lower back from the car door, it's throbbing down my leg",
            "RED_FLAG_FALL",
        ),
        ("caught a knee in the spine during the match", "RED_FLAG_FALL"),
        ("my daughter landed on my back on the trampoline", "RED_FLAG_FALL"),
        (
            "the kids jumped on my back while I was on the floor and now the leg pain is worse",
            "RED_FLAG_FALL",
        ),
        ("his elbow came down on my spine when we were wrestling", "RED_FLAG_FALL"),
        ("my husband's knee landed on my back in bed last night", "RED_FLAG_FALL"),
        ("the dog jumped on my back really hard and now the leg is killing me", "RED_FLAG_FALL"),
        (
            "wee man jumped onto my back from the sofa, my sciatica's gone mad since",
            "RED_FLAG_FALL",
        ),
        ("the pain hits me in the lower back every morning", "PAIN"),
        ("it hit me in the lower back as soon as I sat down", None),
        ("the cat jumped on my back while I was on all fours, she's so funny", None),
        ("the stretch hits me right in the lower back, that's good isn't it", None),
        ("I got a kick out of the stretching today, my back feels looser", None),
        ("the heat pack on my lower back is lovely", None),
        ("my back hit the mat a bit hard when I lay down", None),
        # The leg told or tried and failing; not a stretch's limit, nor a help.
        ("I tell my foot to lift and it just doesn't respond", "RED_FLAG_WEAKNESS"),
        ("I ask the leg to move and it won't budge", "RED_FLAG_WEAKNESS"),
        ("trying to raise my left leg for the bridge and it won't go", "RED_FLAG_WEAKNESS"),
        ("I tried to lift my foot off the floor but it would not move at all", "RED_FLAG_WEAKNESS"),
        ("I want to bend my knee and it does not do it", "RED_FLAG_WEAKNESS"),
        ("my leg is heavy like a log, it won't lift", "RED_FLAG_WEAKNESS"),
        ("i told my leg to go up and it didnt listen", "RED_FLAG_WEAKNESS"),
        ("its heavy as a log, my leg, it just lies there", "RED_FLAG_WEAKNESS"),
        ("im trying to lift my leg on the bed and it wont come up", "RED_FLAG_WEAKNESS"),
        ("I'm trying to lift my leg higher and it won't go any further than yesterday", None),
        ("I tried to straighten my knee and it would not go straight, it's tight", None),
        ("I tell my leg to relax and it does not hurt any more", None),
        ("I asked my son to hold my leg and he did not mind", None),
        ("I'm trying to lift my leg for the hamstring one and it doesn't hurt today", None),
        ("this foam roller is heavy like a brick", None),
        # Typed loosely, said at length.
        (
            "so yeah my lad kneed me in the lower back messing about on saturday,"
            " its been shooting since",
            "RED_FLAG_FALL",
        ),
        ("the garage door came down and hit me on the lower back last night", "RED_FLAG_FALL"),
        (
            "a fella on a bike crashed into my scooter at the lights and now my leg's bad",
            "RED_FLAG_FALL",
        ),
        ("I got whacked in the lower back by a cricket bat at the nets", "RED_FLAG_FALL"),
        (
            "my grandaughter jumped on my back from the stairs and ive had pain down my leg since",
            "RED_FLAG_FALL",
        ),
        ("took a boot to the lower back in the scrum on sunday", "RED_FLAG_FALL"),
        ("a shelf fell on my back at work on tuesday", "RED_FLAG_FALL"),
        (
            "the knee went out from underneath me twice yesterday, I didn't fall but it gave",
            "RED_FLAG_WEAKNESS",
        ),
        (
            "i try and lift my leg off the bed and it just wont move, like its not mine",
            "RED_FLAG_WEAKNESS",
        ),
        ("when I tell my toes to come up for the ankle one they don't do it", "RED_FLAG_WEAKNESS"),
        (
            "I'm asking my left leg to kick out and it just doesn't respond at all today",
            "RED_FLAG_WEAKNESS",
        ),
        ("my right side's too weak to hold me on the step", "RED_FLAG_WEAKNESS"),
        ("my son helped me lift my leg onto the bed, he is so good", None),
        ("the massage ball hit my lower back spot perfectly", None),
        ("my partner stood on my back to crack it like she always does", None),
        ("I'm trying to get my leg straight and it won't go as far as last week", None),
        ("the door was open so I came in, my back is fine today", None),
        ("got the kids to bed and now I can do my back stretches in peace", None),
        # More of each kind, told other ways; a spasm, a massage ball, a knee out to the side.
        ("something heavy fell on my back at work", "RED_FLAG_FALL"),
        ("I banged my lower back on the edge of the table", "RED_FLAG_FALL"),
        ("smacked my lower back on the door frame this morning", "RED_FLAG_FALL"),
        ("my horse kicked me in the back yesterday", "RED_FLAG_FALL"),
        ("got rear ended at the lights on monday", "RED_FLAG_FALL"),
        ("a kid on a scooter went into the back of my legs and I went down", "RED_FLAG_FALL"),
        ("the boy ran into me at full pelt and knocked me over", "RED_FLAG_FALL"),
        ("got speared in training, landed on my back", "RED_FLAG_FALL"),
        ("someone's knee went into my back at jiu jitsu", "RED_FLAG_FALL"),
        ("my little one belly flopped onto my back when I was lying down", "RED_FLAG_FALL"),
        ("a tree branch came down on my back in the storm", "RED_FLAG_FALL"),
        ("I got thumped in the small of my back at the pub", "RED_FLAG_FALL"),
        ("my brother punched me in the back messing about", "RED_FLAG_FALL"),
        ("my leg won't do what I tell it", "RED_FLAG_WEAKNESS"),
        ("the leg just wont listen to me", "RED_FLAG_WEAKNESS"),
        ("my foot isn't listening when I try to lift it", "RED_FLAG_WEAKNESS"),
        ("I cant get my leg to lift for the exercise, its not having it", "RED_FLAG_WEAKNESS"),
        ("my leg feels heavy like a sack of potatoes and won't move", "RED_FLAG_WEAKNESS"),
        ("the right leg gave out walking to the kitchen", "RED_FLAG_WEAKNESS"),
        ("my knee keeps going out on me", "RED_FLAG_WEAKNESS"),
        ("my knee went on me twice on the stairs", "RED_FLAG_WEAKNESS"),
        ("knee gave way on the stairs and I nearly went down", "RED_FLAG_WEAKNESS"),
        ("my leg goes out from under me sometimes", "RED_FLAG_WEAKNESS"),
        ("the foot won't lift off the floor when I try the toe raise", "RED_FLAG_WEAKNESS"),
        ("I can't lift my leg for the straight leg raise, it just won't", "RED_FLAG_WEAKNESS"),
        ("i cant lift myself up on the right side for the calf raise", "RED_FLAG_WEAKNESS"),
        ("my right leg is too weak to do the step up", "RED_FLAG_WEAKNESS"),
        ("the left leg has got no power in it for the bridge", "RED_FLAG_WEAKNESS"),
        ("my back went into spasm on the floor this morning", "CRAMP"),
        ("I hit my lower back with the massage ball too hard, it's sore", "PAIN"),
        ("my knee goes out to the side in this one, is that right", None),
        ("my son went into my room to get the mat", None),
    ],
)
def test_group_12knock_weakness_and_a_fall_or_blow_in_own_words(
    text: str, symptom_id: str | None
) -> None:
    found = detect(text)
    assert (found.symptom_id if found else None) == symptom_id


@pytest.mark.parametrize(
    ("text", "symptom_id"),
    [
        # Round 12, group calm (batches 89-92): paraphrases and near misses, so each rule's
        # reach is pinned. A symptom "thing" or "stuff" that has stopped is relief...
        ("the shooting thing has stopped now", None),
        ("that tingly stuff has gone, feels much better", None),
        ("the burning thing in my calf has eased off now", None),
        ("that zappy business has settled down", None),
        ("the stabbing things have stopped, thank god", None),
        ("teh shooting thing's gone now", None),
        ("the shooting thing is back again", "SHOOTING"),
        ("that burning thing is going down my leg", "BURNING"),
        ("the tingly stuff has not stopped", "TINGLING"),
        # ...the good kind of ache is welcome, and one denied is pain.
        ("that's the good kind of ache", None),
        ("ooh a nice sort of burn in the glute", None),
        ("this is the good type of soreness", None),
        ("lovely, good kind of pain that", None),
        ("mm that's a satisfying kind of ache", None),
        ("that's not the good kind of ache", "PAIN"),
        ("that's not a good pain, ease off", "PAIN"),
        ("this isn't a nice ache at all", "PAIN"),
        ("it's not a good burn this one, stop", "BURNING"),
        ("that's the kind of ache I like", None),
        ("feeling the burn, love it", None),
        ("it aches nicely", None),
        ("that's not the kind of ache I like", "PAIN"),
        ("it's not a pain at all", None),
        # A fever had and gone: over; one still there, or since, is not.
        ("had a bit of a temperature last week, it went after a day", None),
        ("I ran a fever the other day but it passed in a couple of days", None),
        ("caught a temperature a few days ago, it cleared after a day or two", None),
        ("I had the flu back in March, all good now", None),
        ("had a fever back in january, all fine now", None),
        ("I was poorly with a temperature last week but I'm fine now", None),
        ("I had a fever over the weekend, all cleared up", None),
        ("I'm down with a temperature this week", "RED_FLAG_FEVER"),
        ("had a temperature last week and it's still there", "RED_FLAG_FEVER"),
        ("I've had a temperature since last week", "RED_FLAG_FEVER"),
        ("had a fever last week and now my back is hot and sore", "RED_FLAG_FEVER"),
        ("I fell back in march and since then my leg is numb", "RED_FLAG_FALL"),
        # Yesterday's symptom denied today: over; "no better" is not.
        ("yesterday it was tingling, now no tingling", None),
        ("last night my foot was numb, today nothing", None),
        ("the day before was agony, today there is no pain", None),
        ("morning was pain, now not pain", None),
        ("my back was agony last week, much better today", None),
        ("morning was pain, now not so bad", "PAIN"),
        ("my back is agony, much better today than yesterday though", "PAIN"),
        ("yesterday was pain, today no better", "PAIN"),
        ("yesterday my leg was numb, today is no change", "NUMBNESS"),
        # A general question of what is normal in a stretch, or of what would count (asked
        # about, below); one of the user's own is a symptom.
        ("is it normal to feel a bit of numbness in this stretch", None),
        ("would it be normal to have tingling with the pigeon one", None),
        ("is it ok to get cramp during the hold", None),
        ("what kind of numbness would count as an emergency", None),
        ("which symptoms mean I should stop", None),
        ("what bladder trouble would mean I have to ring a doctor", None),
        ("which leg pain would be a warning sign", None),
        ("shud i stop if i get pins and needles", None),
        ("Is it normal to get pins and needles doing this one?", None),
        ("what kind of numbness should I worry about?", None),
        ("when should I worry about numbness?", None),
        ("can this stretch cause numbness?", None),
        ("should I feel a burn in this one?", None),
        ("is numbness a bad sign?", None),
        ("does a fever mean I should stop?", None),
        ("when should I worry about the numbness in my foot", "NUMBNESS"),
        ("should i feel a burn in this one, because i do", "BURNING"),
        ("my foot is numb, is that a bad sign?", "NUMBNESS"),
        ("I feel a burn in this one", "BURNING"),
        ("is it normal that my foot is tingling", "TINGLING"),
        ("is it normal to get pins and needles in the heel after the roller", "TINGLING"),
        ("is it normal to get pins and needles during this one because i have it now", "TINGLING"),
        ("what the hell, my leg has gone numb", "NUMBNESS"),
        # "Too" typed "2" or "to"; not a figure or a direction.
        ("that's 2 hard on my hip", "PAIN"),
        ("you're pressing to hard", "PAIN"),
        ("2 much pressure there", "PAIN"),
        ("ease off its to deep", "PAIN"),
        ("bit to intense that", "PAIN"),
        ("switch to hard mode on the app", None),
        ("I've got 2 hard boiled eggs for lunch", None),
        ("I walked to hard ground", None),
        # Pins and needles slipped; "needless" alone is a word.
        ("pins and needless in my toes", "TINGLING"),
        ("pins n neeldes down my leg", "TINGLING"),
        ("got pins an needless in the heel", "TINGLING"),
        ("needless to say I did my stretches", None),
        ("it was needless worry", None),
        # A muscle "spazzing" is a spasm; the app or the speaker spazzing is not.
        ("my glute is spazzin", "CRAMP"),
        ("calf keeps spazzing out", "CRAMP"),
        ("hamstring spazzing like mad", "CRAMP"),
        ("my bum cheek is spazzing", "CRAMP"),
        ("my hammy is spazzing out", "CRAMP"),
        # More slips of pain words; the same letters in other words are left.
        ("that huts", "PAIN"),
        ("the pian is bad", "PAIN"),
        ("nuumb toes", "NUMBNESS"),
        ("my foot is mumb", "NUMBNESS"),
        ("my siatica is playing up", "PAIN"),
        ("my sciatca is bad", "PAIN"),
        ("that's brutal on my hip", "PAIN"),
        ("we stayed in huts on holiday", None),
        ("the window pane is cold", None),
        ("the news is brutal", None),
        ("the app is spazzing out again", None),
        ("my dog is spazzing", None),
        ("sorry I'm spazzing, lost my place", None),
    ],
)
def test_round_12_calm_ordinary_talk_and_slipped_symptom_words(
    text: str, symptom_id: str | None
) -> None:
    found = detect(text)
    assert (found.symptom_id if found else None) == symptom_id


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        ("is it normal to feel a bit of numbness in this stretch", "NUMBNESS"),
        ("is it ok to get cramp during the hold", "CRAMP"),
        ("what bladder trouble would mean I have to ring a doctor", "RED_FLAG_BLADDER"),
        ("shud i stop if i get pins and needles", "TINGLING"),
        ("does a fever mean I should stop?", "RED_FLAG_FEVER"),
        ("is numbness a bad sign?", "NUMBNESS"),
    ],
)
def test_round_12_calm_a_general_question_is_asked_about(text: str, concern: str) -> None:
    asked = safety.detector().concern(text, detect(text))
    assert (asked.symptom_id if asked else None) == concern


@pytest.mark.parametrize(
    ("text", "symptom_id"),
    [
        # A foot that scrapes the ground is a foot that will not lift.
        ("I have to lift my knee right up or my toes scrape on the stairs", "RED_FLAG_WEAKNESS"),
        ("my toes keep scraping the floor when I walk", "RED_FLAG_WEAKNESS"),
        ("me foot scrapes along the carpet", "RED_FLAG_WEAKNESS"),
        ("the left shoe is scuffing on the pavement again", "RED_FLAG_WEAKNESS"),
        ("my toe scrapes on every step now", "RED_FLAG_WEAKNESS"),
        ("I scraped the mud off my shoes before coming in", None),
        ("I scraped my knee on the patio as a kid", None),
        ("the roller scrapes a bit on the floor", None),
        ("my foot keeps scrapping on the ground", "RED_FLAG_WEAKNESS"),
        # The knee hitched high so the foot clears; not an instruction or a box lifted.
        ("I have to hitch my knee up high so my foot clears the step", "RED_FLAG_WEAKNESS"),
        ("I need to lift my leg right up or I trip", "RED_FLAG_WEAKNESS"),
        ("you have to lift your knee up high in this one", None),
        ("I had to lift the box up high so it fits on the shelf", None),
        ("there's no push-off on the right at all", "RED_FLAG_WEAKNESS"),
        # A heel or foot that will not leave the ground.
        ("my right heel just wouldn't leave the floor", "RED_FLAG_WEAKNESS"),
        ("my heel won't come off the ground when I try", "RED_FLAG_WEAKNESS"),
        ("my heel refuses to come off the ground", "RED_FLAG_WEAKNESS"),
        (
            "i tried to go up on my toes, the right heel stays stuck to the floor",
            "RED_FLAG_WEAKNESS",
        ),
        ("heel just stays on the ground when i try tiptoe", "RED_FLAG_WEAKNESS"),
        ("make sure the heel stays on the floor as you lift your toes", None),
        ("my feet are stuck to the mat, it's so sweaty", None),
        ("my left foot just would not lift off the floor", "RED_FLAG_WEAKNESS"),
        ("the heel will not leave the mat on that side", "RED_FLAG_WEAKNESS"),
        ("keep your heel down, it should not leave the floor", None),
        ("I can't leave the floor until the timer ends", None),
        # A push off the toes with nothing in it, in one clause or two.
        ("when I push off my toes on that side there's nothing there", "RED_FLAG_WEAKNESS"),
        ("pushing up onto my toes on the right and there's nothing, no power", "RED_FLAG_WEAKNESS"),
        ("I go up on my toes and there is no spring in the left one", "RED_FLAG_WEAKNESS"),
        ("I go up on my toes but no push on the left", "RED_FLAG_WEAKNESS"),
        ("going up on tiptoes and nothing happens on the bad side", "RED_FLAG_WEAKNESS"),
        ("I push off my toes and there's nothing to it, easy", None),
        ("going up on my toes and nothing hurts today", None),
        # "Can't stand" a thing borne is no failed stand.
        ("the skin on my shin feels sunburnt, I can't stand my socks on it", "BURNING"),
        ("I can't stand my own weight on it", "RED_FLAG_WEAKNESS"),
        ("I can't stand up from the chair", "RED_FLAG_WEAKNESS"),
        ("I can't stand the waiting", None),
        # Skin that cannot bear a touch burns; a graze or scratchy sheets do not.
        ("it's like my skin is raw, can't bear the sheets on it", "BURNING"),
        ("can't stand my jeans touching my thigh", "BURNING"),
        ("the skin on my calf feels raw", "BURNING"),
        ("my knee is raw from kneeling on the mat", None),
        ("I cant stand the noise", None),
        # Scorching and searing on the body burn; a scorching day does not.
        ("there's a scorching strip down the side of my calf", "BURNING"),
        ("searing line down the back of my thigh", "BURNING"),
        ("a scorching hot day yesterday, lovely", None),
        # A move that sends it through the body.
        ("every step up the stairs sends it right through my bum", "PAIN"),
        ("standing up sends it straight into my hip", "PAIN"),
        ("every step jars it right through my bum", "PAIN"),
        ("that sends a lovely stretch down my leg", None),
        ("she sent it through to my email", None),
        # One named buttock with a path down the leg is a nerve's road, not the saddle.
        ("it's set off pins and needles in my left buttock and down the thigh", "TINGLING"),
        ("tingling in my right buttock and down the back of my leg", "TINGLING"),
        ("numb in the left buttock going down into the calf", "NUMBNESS"),
        ("pins and needles in my right buttock that runs down to the knee", "TINGLING"),
        ("my left bum cheek is tingling and down the back of my leg", "TINGLING"),
        ("numb in my right buttock", "RED_FLAG_SADDLE"),
        ("my bum is numb and down the backs of both legs", "RED_FLAG_SADDLE"),
        ("pins and needles in my left buttock", "RED_FLAG_SADDLE"),
        ("numbness in my buttocks and down my legs", "RED_FLAG_SADDLE"),
    ],
)
def test_round_13_knock_own_weakness_and_nerve_ids(text: str, symptom_id: str | None) -> None:
    found = detect(text)
    assert (found.symptom_id if found else None) == symptom_id


def test_a_red_flag_wins_over_every_other_reading() -> None:
    found = detect("it hurts a lot, my foot is numb, next please, and I wet myself")
    assert found == Finding("red_flag", "RED_FLAG_BLADDER", "wet myself")
    # Nerve symptoms before plain pain, whatever the order of the words.
    assert detect("it hurts and it tingles") == Finding("nerve", "TINGLING", "tingles")


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        # Words that may tell a red flag though no rule says it outright: ask.
        ("I sat down and it felt peculiar underneath", "RED_FLAG_SADDLE"),
        ("my waterworks are being stubborn and slow", "RED_FLAG_BLADDER"),
        ("my right leg feels clumsy today", "RED_FLAG_WEAKNESS"),
        ("everywhere feels odd down my legs", "RED_FLAG_BOTH_LEGS"),
        ("I feel awful today", "RED_FLAG_FEVER"),
        ("my calf feels strange today", "PAIN"),
        # Not while the clause says all is well, nor for a plain request or a denial.
        ("my legs feel great after that", None),
        ("I need the loo, back in a minute", None),
        ("can we do the other side now", None),
        ("no numbness down below", None),
        ("I slipped years ago, it's been fine since", None),
    ],
)
def test_a_concern_is_what_the_words_may_tell(text: str, concern: str | None) -> None:
    found = detect(text)
    asked = safety.detector().concern(text, found)
    assert found is None or found.category != "red_flag"
    assert (asked.symptom_id if asked else None) == concern


def test_with_pain_found_only_a_red_flag_is_a_concern() -> None:
    text = "I stumbled on the kerb and my hip is sore"
    found = detect(text)
    assert found == Finding("pain", "PAIN", "sore")
    concern = safety.detector().concern(text, found)
    assert concern is not None
    assert concern.symptom_id == "RED_FLAG_FALL"
    # A red flag found needs no question; plain pain with nothing more, none.
    assert safety.detector().concern("I wet myself", detect("I wet myself")) is None
    assert safety.detector().concern("my hip is sore", detect("my hip is sore")) is None


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("what should I do if my leg goes numb", "NUMBNESS"),
        ("should I stop if it hurts", "PAIN"),
        ("what if I lose control of my bladder", "RED_FLAG_BLADDER"),
        ("what happens if both my legs go numb", "RED_FLAG_BOTH_LEGS"),
        ("is it okay if it stings a bit", "PAIN"),
        ("is it normal if my foot tingles, just wondering", "TINGLING"),
    ],
)
def test_a_question_about_what_might_happen_is_asked_about_not_acted_on(
    text: str, asked: str
) -> None:
    assert detect(text) is None
    concern = safety.detector().concern(text, None)
    assert concern is not None
    assert concern.symptom_id == asked
    # Said as it happens, it is the symptom itself; said for the future, nothing at all.
    assert detect("it hurts, what should I do") == Finding("pain", "PAIN", "hurts")
    future = "what should I do if I ever get pins and needles"
    assert detect(future) is None
    assert safety.detector().concern(future, None) is None


def test_every_concern_has_its_question() -> None:
    # Any symptom can be a concern: a question about what might happen names any of them.
    for concern in safety.detector().symptoms:
        slot = Slot("symptom", "x", "x", "SYMPTOM", concern.symptom_id)
        check = Resolution("PainIntent", {"symptom": slot})
        assert concern_question(check).startswith("Just to check:")
        assert concern_question(check).endswith("Say yes or no.")


def test_someone_speaking_for_the_user_is_not_someone_else() -> None:
    assert detect("my mum's leg gave way on the stairs") is None
    found = detect("I'm helping Mum with this, her leg gave way on the stairs")
    assert found is not None
    assert found.symptom_id == "RED_FLAG_WEAKNESS"
    # "she" with nobody named: a carer speaking of the user; with someone named, theirs.
    found = detect("she says her leg gave way on the stairs this morning")
    assert found is not None
    assert found.symptom_id == "RED_FLAG_WEAKNESS"
    assert detect("my sister says her leg gave way on the stairs this morning") is None


def test_one_of_the_household_passing_on_a_symptom_speaks_for_the_user() -> None:
    found = detect("my wife is telling me the numbness is in both her legs now")
    assert found is not None
    assert found.symptom_id == "RED_FLAG_BOTH_LEGS"
    # Not a habit of theirs, nor one who would join in, nor someone on a screen.
    assert detect("my son says his legs go numb from sitting") is None
    assert detect("my wife says her legs feel weak, can she also try this one?") is None
    assert detect("the chap on the cooking show just lost the feeling in his legs") is None


@pytest.mark.parametrize(
    ("text", "symptom_id"),
    [
        # One of the household passing it on, the place told with a word or two first.
        ("my husband says the backs of his legs have gone numb", "RED_FLAG_BOTH_LEGS"),
        (
            "my wife told me the inside of her thighs feel dead and she can't feel the seat",
            "RED_FLAG_SADDLE",
        ),
        ("My partner says both of his legs are going weak now", "RED_FLAG_BOTH_LEGS"),
        ("my mum says suddenly both her feet have gone numb", "RED_FLAG_BOTH_LEGS"),
        ("my husband says the skin round his bottom has gone numb", "RED_FLAG_SADDLE"),
        ("my dad says the bottom of his foot has gone to sleep", "NUMBNESS"),
        ("my wife says the sole of her foot is tingling", "TINGLING"),
        ("my husband says the kids have all gone numb with cold", None),
        ("my son says the bottom of his feet go numb when he games", None),
        ("my sister says the insides of her thighs have gone numb", None),
        # A grown-up of the household playing it down: the carer speaks for the user.
        (
            "My husband's knee gave way twice on the stairs, he's brushing it off.",
            "RED_FLAG_WEAKNESS",
        ),
        (
            "My wife's leg went from under her getting off the mat, she's laughing it off.",
            "RED_FLAG_WEAKNESS",
        ),
        ("my dad had a nasty fall in the garden yesterday, he says it's nothing", "RED_FLAG_FALL"),
        ("my wife has wet herself twice today and she won't see the doctor", "RED_FLAG_BLADDER"),
        ("My husband fell down the stairs this morning, he won't admit it hurts", "RED_FLAG_FALL"),
        ("my daughter fell off her bike, she's brushing it off", None),
        ("my son banged his head at football, he says it's nothing", None),
        ("my husband fell asleep on the sofa, he won't admit it", None),
        # Their back worse than usual beside a fever: the one the routine is for.
        ("My husband's got a temperature and his back is worse than usual", "RED_FLAG_FEVER"),
        ("my wife is shivery and her sciatica is worse than normal today", "RED_FLAG_FEVER"),
        ("my husband has the flu and he's more tired than usual", None),
        # "mums dragging": a dropped apostrophe before what they are doing.
        ("mums dragging her left foot since this morning", "RED_FLAG_WEAKNESS"),
        ("dads keeps tripping over his feet", "RED_FLAG_WEAKNESS"),
        ("my mums coming round later", None),
        ("the mums at school are all going on a walk", None),
        # Said for the user: tripping over the foot of one side, a blow, an accident.
        ("she keeps tripping over her right foot", "RED_FLAG_WEAKNESS"),
        ("he's tripping on his left foot all the time", "RED_FLAG_WEAKNESS"),
        ("she keeps stumbling over her bad foot", "RED_FLAG_WEAKNESS"),
        ("my son keeps tripping over his left foot, he's growing so fast", None),
        ("my daughter is tripping over her own feet in those new shoes", None),
        ("she banged her back on the door frame and it's flaring", "RED_FLAG_FALL"),
        ("Mum hit her head on the cupboard door this morning", "RED_FLAG_FALL"),
        ("he knocked his hip hard against the table", "RED_FLAG_FALL"),
        ("my son banged his head on the table", None),
        ("she hit her back with the foam roller", None),
        ("Dad had an accident in his trousers on the way back from the mat", "RED_FLAG_BLADDER"),
        ("my toddler had an accident in her pants at nursery", None),
        ("my son had an accident in his trousers at school", None),
        ("my husband had an accident in his car", None),
    ],
)
def test_who_a_carer_speaks_for_and_who_is_someone_else(text: str, symptom_id: str | None) -> None:
    """Round 12, group who (batches 89-92): a carer's report of the user, and its near misses."""
    found = detect(text)
    assert (found.symptom_id if found else None) == symptom_id


def test_a_red_flag_long_ago_and_over_is_not_one() -> None:
    assert detect("I fell off a ladder last week") is not None  # recent: a red flag
    assert detect("my leg gave way once, but that was years ago and it's fine now") is None
    found = detect("my leg gave way this morning, and it's fine now")
    assert found is not None
    assert found.symptom_id == "RED_FLAG_WEAKNESS"


#: Symptom ids the pain or nerve advice names already, with no sentence of their own.
NAMED_BY_THE_ADVICE = frozenset({"PAIN", "NUMBNESS", "TINGLING"})


def test_every_symptom_found_is_said_in_words_of_its_own() -> None:
    for symptom in safety.detector().symptoms:
        if symptom.symptom_id in NAMED_BY_THE_ADVICE:
            continue
        key = prompts.SYMPTOM_KEYS[symptom.symptom_id]
        specific = phrases.say(key)
        event: ev.Event = (
            ev.RedFlag(symptom.symptom_id)
            if symptom.category == "red_flag"
            else ev.PainAdvice(symptom.symptom_id, None)
        )
        prompt = prompts.build_prompt([event])
        assert specific in prompt.text
        assert prompt.end_session == (symptom.category == "red_flag")
    assert set(prompts.SYMPTOM_KEYS) <= {s.symptom_id for s in safety.detector().symptoms}


def _rewritten_one_by_one(text: str) -> str:
    normal = text.lower()
    for pattern, replacement in safety.detector().rewrites:
        normal = pattern.sub(replacement, normal)
    return normal


def test_rewrites_skipped_a_run_at_a_time_give_the_same_text() -> None:
    # A rewrite none of whose needles is in the text is skipped (`Detector._rewritten`).
    for case in CASES["tuning"][::7] + CASES["heldout"][::3]:
        assert safety.detector()._rewritten(case.text) == _rewritten_one_by_one(case.text)


@given(st.text(alphabet="abcdeilmnorstuwy ',.!?-", max_size=60))
def test_rewrites_skipped_a_run_at_a_time_give_the_same_text_for_any_text(text: str) -> None:
    assert safety.detector()._rewritten(text) == _rewritten_one_by_one(text)


# --- loading ---------------------------------------------------------------------------------


def test_a_detector_is_built_from_plain_data() -> None:
    detector = Detector.from_yaml(MINIMAL, "mini.yaml")
    assert detector.detect("my leg is numb") == Finding("nerve", "NUMBNESS", "numb")
    assert detector.detect("numb") is None  # the body part must be in the same clause
    assert detector.detect("my leg, numb") is None
    assert detector.detect("it does not hurts") is None
    assert detector.detect("fever and it hurts") == Finding("red_flag", "RED_FLAG_X", "fever")
    assert detector.concern("my leg is odd") is None  # no concerns in this file


def test_concerns_are_plain_data_too() -> None:
    data = yaml.safe_load(MINIMAL)
    data["concerns"] = {"calm": "fine", "ask": {"RED_FLAG_X": [["hot", "{limb}"]]}}
    detector = Detector.from_dict(data, "mini.yaml")
    assert detector.detect("my leg is hot") is None
    assert detector.concern("my leg is hot") == Finding("red_flag", "RED_FLAG_X", "hot")
    assert detector.concern("my leg is hot but fine") is None
    assert detector.concern("my leg is not hot") is None
    data["concerns"]["hypothetical"] = "what if"
    detector = Detector.from_dict(data, "mini.yaml")
    assert detector.detect("what if I get a fever") is None
    assert detector.concern("what if I get a fever") == Finding("red_flag", "RED_FLAG_X", "fever")
    assert detector.detect("I have a fever, what if it is bad") is not None


def test_the_shipped_file_loads_from_a_path_and_as_package_data(tmp_path: Path) -> None:
    shipped = Path(safety.__file__).with_name(safety.DATA_FILE)
    # The shipped detector is the file's rules with the word model (skill.core.word_model).
    assert Detector.from_file(shipped) == replace(safety.detector(), word_model=None)
    assert safety.detector() is safety.detector()
    with pytest.raises(SafetyDataError, match=r"nope\.yaml: cannot read"):
        Detector.from_file(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("clause_break"), r"mini\.yaml: clause_break: missing"),
        (lambda d: d.update(extra=1), r"mini\.yaml: extra: unknown section"),
        (lambda d: d["symptoms"].pop("pain"), r"mini\.yaml: symptoms\.pain: missing"),
        (lambda d: d["symptoms"].update(other={}), r"symptoms\.other: unknown category"),
        (
            lambda d: d["symptoms"]["pain"].update(PAIN=["(unclosed"]),
            r"mini\.yaml: symptoms\.pain\.PAIN\[0\]: bad pattern",
        ),
        (
            lambda d: d["symptoms"]["pain"].update(PAIN=["{nowhere}"]),
            r"symptoms\.pain\.PAIN\[0\]: unknown word list \{nowhere\}",
        ),
        (lambda d: d["symptoms"]["pain"].update(PAIN=[]), r"symptoms\.pain\.PAIN: must be a non"),
        (
            lambda d: d["symptoms"]["pain"].update(RED_FLAG_Y=["x"]),
            r"symptoms\.pain\.RED_FLAG_Y: red flags, and only they, start with RED_FLAG_",
        ),
        (
            lambda d: d["symptoms"]["nerve"].update(PAIN=["x"]),
            r"symptoms\.pain\.PAIN: this id is already in another category",
        ),
        (lambda d: d["symptoms"]["pain"].update(pain=["x"]), r"symptoms\.pain\.pain: a symptom"),
        (lambda d: d.update(rewrite=[["a"]]), r"mini\.yaml: rewrite\[0\]: must be"),
        (lambda d: d["negation"].update(after="x"), r"negation\.after: must be a list"),
        (lambda d: d["words"].update(limb=""), r"words\.limb: must be a non-empty string"),
        (
            lambda d: d.update(concerns={"ask": {"NOPE": ["x"]}}),
            r"concerns\.ask\.NOPE: not a symptom id of `symptoms`",
        ),
        (lambda d: d.update(concerns={"ask": []}), r"concerns\.ask: must be a mapping"),
        (lambda d: d.update(concerns={"calm": "(", "ask": {}}), r"concerns\.calm: bad pattern"),
        (
            lambda d: d.update(concerns={"hypothetical": "(", "ask": {}}),
            r"concerns\.hypothetical: bad pattern",
        ),
    ],
)
def test_errors_name_the_file_and_the_key(change: Any, message: str) -> None:
    data = yaml.safe_load(MINIMAL)
    change(data)
    with pytest.raises(SafetyDataError, match=message):
        Detector.from_dict(data, "mini.yaml")


def test_files_that_are_not_safety_data_are_refused() -> None:
    with pytest.raises(SafetyDataError, match=r"x\.yaml: not valid YAML"):
        Detector.from_yaml("key: [unclosed", "x.yaml")
    with pytest.raises(SafetyDataError, match=r"x\.yaml: must be a mapping"):
        Detector.from_yaml("- a list", "x.yaml")


# --- round 12, group bowel: the user's own bladder, bowel, saddle and both-legs red flags -------

_OWN_RED_FLAG_WORDS = [
    # bowel accident slang (want RED_FLAG_BLADDER)
    ("I sharted in the glute stretch and didn't feel a thing", "RED_FLAG_BLADDER"),
    ("sorry tmi but i sharted and couldnt hold it at all", "RED_FLAG_BLADDER"),
    ("i think i just sharted on the mat", "RED_FLAG_BLADDER"),
    ("I've sharted myself twice today without knowing", "RED_FLAG_BLADDER"),
    ("ugh i shartd a bit during the bridge", "RED_FLAG_BLADDER"),
    ("had a little shart in my leggings just now, didn't even feel it", "RED_FLAG_BLADDER"),
    (
        "I followed through in my pants on that last stretch and didn't feel it coming",
        "RED_FLAG_BLADDER",
    ),
    ("I've crapped myself and never felt it", "RED_FLAG_BLADDER"),
    ("i pooed my pants a bit and couldn't stop it", "RED_FLAG_BLADDER"),
    ("I nearly sharted laughing at that", None),
    ("the dog sharted on the rug, gross", None),
    ("haha shart is such a funny word", None),
    ("I didn't shart, it was only wind", None),
    ("did you just shart lol", None),
    ("the baby sharted in his nappy", None),
    ("I nearly crapped myself when the dog barked", None),
    ("I almost sharted myself laughing", None),
    # accident in the clothes
    (
        "stop the timer, I've had an accident in my shorts, I couldn't hold it at all",
        "RED_FLAG_BLADDER",
    ),
    ("I just had an accident in my joggers", "RED_FLAG_BLADDER"),
    ("pause, i had a accident in my jeans", "RED_FLAG_BLADDER"),
    ("I had a bit of an accident in my leggings during the stretch", "RED_FLAG_BLADDER"),
    ("had an accident in my trousers on the way here and didn't feel it", "RED_FLAG_BLADDER"),
    ("I've had an accident in me shorts", "RED_FLAG_BLADDER"),
    ("I couldn't hold it at all, the stretch was too much", None),
    ("I had an accident in the car last year but I'm fine", None),
    ("spilled tea on my shorts, what an accident", None),
    # retention, learner's words
    (
        "Excuse my English, I want to do toilet but water not come out, belly is full.",
        "RED_FLAG_BLADDER",
    ),
    ("I go to toilet but the urine not come", "RED_FLAG_BLADDER"),
    ("since morning my pee not coming out and my belly is hard", "RED_FLAG_BLADDER"),
    ("I am sitting on toilet long time, water not coming", "RED_FLAG_BLADDER"),
    ("the wee is not coming out even though I'm bursting", "RED_FLAG_BLADDER"),
    ("i try pass water but it not come out", "RED_FLAG_BLADDER"),
    ("the water not come out of the tap, I will use the bottle", None),
    ("the hot water not coming in the shower so I am cold", None),
    ("the bottle water not coming out, the cap is stuck", None),
    # a question with a fact in it
    (
        "should I keep going if since yesterday I can't tell when I need the loo?",
        "RED_FLAG_BLADDER",
    ),
    (
        "should I carry on if I've not been able to feel when I need a wee since this morning?",
        "RED_FLAG_BLADDER",
    ),
    ("do I stop if since last night I can't tell when I need the toilet", "RED_FLAG_BLADDER"),
    (
        "what should I do if I've had no idea when I need the loo since yesterday",
        "RED_FLAG_BLADDER",
    ),
    (
        "is it okay to keep going if for the past two days I never know when I need a wee",
        "RED_FLAG_BLADDER",
    ),
    ("what should I do if I can't tell when I need the loo?", None),
    ("should I stop if I ever can't tell when I need the toilet", None),
    ("what happens if I need the loo halfway through", None),
    # the seat not there
    (
        "pause, when I sat on the loo earlier the seat felt like it wasn't even there",
        "RED_FLAG_SADDLE",
    ),
    ("on the toilet this morning it felt like the seat wasn't there", "RED_FLAG_SADDLE"),
    ("sitting on the loo my bum felt like it was not there at all", "RED_FLAG_SADDLE"),
    ("when I sit on the toilet seat it feels as if it isn't there", "RED_FLAG_SADDLE"),
    ("the toilet seat felt like it wasnt even there when i sat down", "RED_FLAG_SADDLE"),
    ("when I sat on the loo earlier my back pain felt like it wasn't even there", None),
    ("I went to the loo earlier and the soap wasn't even there", None),
    ("the ache was like it wasn't even there after the stretch", None),
    # saddle slang
    ("my inner thigh and my taint feel dead", "RED_FLAG_SADDLE"),
    ("my gooch has gone numb", "RED_FLAG_SADDLE"),
    ("i cant feel my taint at all", "RED_FLAG_SADDLE"),
    ("my taint's all tingly and dead since this morning", "RED_FLAG_SADDLE"),
    ("the gooch area feels like it belongs to someone else", "RED_FLAG_SADDLE"),
    ("my grundle is numb", "RED_FLAG_SADDLE"),
    ("my taint is sore from the bike seat", None),
    ("it taint my fault the ball rolled", None),
    ("the ball is pressing on my gooch a bit, that's fine", None),
    # both legs typo
    ("boht legs feel dead from the knees down", "RED_FLAG_BOTH_LEGS"),
    ("bth feet are numb", "RED_FLAG_BOTH_LEGS"),
    ("bofe legs are tingling", "RED_FLAG_BOTH_LEGS"),
    ("both my legz feel dead", "RED_FLAG_BOTH_LEGS"),
    ("my legs are numb from the knees down", "RED_FLAG_BOTH_LEGS"),
    ("boath my feet have gone to sleep", "RED_FLAG_BOTH_LEGS"),
    ("boht legs feel great after that", None),
    ("both legs up on the sofa now", None),
    ("my legs are dead tired after the run lol", None),
    ("botht legs have gone numb", "RED_FLAG_BOTH_LEGS"),
    ("both legs feel good", None),
    # the other side started
    (
        "It was only ever the left, but today the right one's started with the same shooting thing",
        "RED_FLAG_BOTH_LEGS",
    ),
    ("the right leg has started with the same tingling now", "RED_FLAG_BOTH_LEGS"),
    ("now the other side's starting with the same burning", "RED_FLAG_BOTH_LEGS"),
    (
        "always my right, but this morning the left one started with the same numb feeling",
        "RED_FLAG_BOTH_LEGS",
    ),
    ("the good leg has begun with the same pins and needles", "RED_FLAG_BOTH_LEGS"),
    ("the left has started getting the same shooting pain as the right", "RED_FLAG_BOTH_LEGS"),
    ("the right one started with the same stretch as the left", None),
    ("my right leg started the same exercise", None),
    ("the other side started with the same warm up", None),
    ("the left one has the same stretch as the right", None),
    # more ways to say each kind, and near misses (the user switching sides, massage balls)
    ("I've soiled myself a bit and didn't notice", "RED_FLAG_BLADDER"),
    ("bit of poo came out when I did the bridge and I didn't feel it", "RED_FLAG_BLADDER"),
    ("I pooed a little in my undies without knowing", "RED_FLAG_BLADDER"),
    ("i had a poo accident on the mat", "RED_FLAG_BLADDER"),
    ("I've messed my pants and didn't even feel it happening", "RED_FLAG_BLADDER"),
    ("skidmarks in my pants and i never felt a thing", "RED_FLAG_BLADDER"),
    ("I crapped my pants", "RED_FLAG_BLADDER"),
    ("i leaked a bit of poo", "RED_FLAG_BLADDER"),
    ("i cant hold my poo in", "RED_FLAG_BLADDER"),
    ("I peed myself a little on the roller and didn't feel it", "RED_FLAG_BLADDER"),
    ("wet my shorts during that hold without noticing", "RED_FLAG_BLADDER"),
    ("my joggers are wet and i didnt feel myself go", "RED_FLAG_BLADDER"),
    ("I haven't had a wee since last night even though I've drunk loads", "RED_FLAG_BLADDER"),
    ("i need to pee so bad but nothing comes out", "RED_FLAG_BLADDER"),
    ("my bladder feels full but I can't go", "RED_FLAG_BLADDER"),
    ("i cant pee even tho im bursting", "RED_FLAG_BLADDER"),
    ("I sit on toilet and urine is not coming only drops", "RED_FLAG_BLADDER"),
    ("the pee won't come out even though I'm desperate", "RED_FLAG_BLADDER"),
    ("I can't feel when I need to go to the loo anymore", "RED_FLAG_BLADDER"),
    ("dont know when i need a wee these days", "RED_FLAG_BLADDER"),
    ("I don't get the urge to pee anymore", "RED_FLAG_BLADDER"),
    ("haven't felt the need to wee all day", "RED_FLAG_BLADDER"),
    ("I can't tell if I need a poo anymore", "RED_FLAG_BLADDER"),
    ("my bum just let go, I couldn't stop it", "RED_FLAG_BLADDER"),
    ("my bum has gone numb on the loo", "RED_FLAG_SADDLE"),
    ("can't feel the toilet paper when I wipe", "RED_FLAG_SADDLE"),
    ("wiping feels like it's someone else's bum", "RED_FLAG_SADDLE"),
    ("my undercarriage is numb", "RED_FLAG_SADDLE"),
    ("my bits feel dead", "RED_FLAG_SADDLE"),
    ("pins and needles round my back passage", "RED_FLAG_SADDLE"),
    ("my crotch feels numb like after the dentist", "RED_FLAG_SADDLE"),
    ("i cant feel my balls", "RED_FLAG_SADDLE"),
    ("my ballsack is numb", "RED_FLAG_SADDLE"),
    ("my nuts have gone numb", "RED_FLAG_SADDLE"),
    ("my vag feels numb", "RED_FLAG_SADDLE"),
    ("my minge has gone numb", "RED_FLAG_SADDLE"),
    ("my fanny is tingling and numb", "RED_FLAG_SADDLE"),
    ("my butthole feels numb", "RED_FLAG_SADDLE"),
    ("my ring piece is numb", "RED_FLAG_SADDLE"),
    ("my cheeks are numb where i sit", "RED_FLAG_SADDLE"),
    ("no feeling in my taint", "RED_FLAG_SADDLE"),
    ("the chair feels like it isn't there when I sit", "RED_FLAG_SADDLE"),
    ("i sat down and couldnt feel the seat", "RED_FLAG_SADDLE"),
    ("my perinium is numb", "RED_FLAG_SADDLE"),
    ("my groin feels dead", "RED_FLAG_SADDLE"),
    ("my private area feels numb", "RED_FLAG_SADDLE"),
    ("both my legs are tingling", "RED_FLAG_BOTH_LEGS"),
    ("both legs have gone weak and numb", "RED_FLAG_BOTH_LEGS"),
    ("its in both my legs now", "RED_FLAG_BOTH_LEGS"),
    ("my legs are both numb", "RED_FLAG_BOTH_LEGS"),
    ("now the other leg is doing it too", "RED_FLAG_BOTH_LEGS"),
    ("the left one has started with the sciatica too", "RED_FLAG_BOTH_LEGS"),
    ("the good leg's started tingling as well", "RED_FLAG_BOTH_LEGS"),
    ("it's gone into my other leg", "RED_FLAG_BOTH_LEGS"),
    ("the other leg has started going numb", "RED_FLAG_BOTH_LEGS"),
    ("both feet feel like they're asleep", "RED_FLAG_BOTH_LEGS"),
    ("both my feet are numb", "RED_FLAG_BOTH_LEGS"),
    ("bothe legs have pins and needles", "RED_FLAG_BOTH_LEGS"),
    ("my legs are dead from the waist down", "RED_FLAG_BOTH_LEGS"),
    ("its spread to the other side now", "RED_FLAG_BOTH_LEGS"),
    ("now its down the right leg as well as the left", "RED_FLAG_BOTH_LEGS"),
    ("the shooting has started in the other leg", "RED_FLAG_BOTH_LEGS"),
    (
        "the tingling has started in my right leg now too, it used to be just the left",
        "RED_FLAG_BOTH_LEGS",
    ),
    ("its moved over to the other leg as well", "RED_FLAG_BOTH_LEGS"),
    ("i've got it down both sides now", "RED_FLAG_BOTH_LEGS"),
    ("ok going to the other leg now", None),
    ("I moved to the other leg like you said", None),
    ("now move to the other side", None),
    ("I've gone to the other side of the mat", None),
    ("can we go to the other leg now", None),
    ("my glute just let go of all that tension, lovely", None),
    ("the bottom of the roller gave way", None),
    ("the tennis balls are under my feet", None),
    ("my balls are rolling everywhere, the massage ones", None),
    ("my legs are tired from the waist down after the gym", None),
    ("I'm full but I can't go for a walk", None),
    ("this is bollocks, my foot is numb", None),
    ("my boss is an arsehole", None),
    ("the ball of my left foot is numb", None),
    ("i cant feel my balls", "RED_FLAG_SADDLE"),
    ("my bladder's bursting and I just can't go", "RED_FLAG_BLADDER"),
    ("the pain has spread to my other leg", "RED_FLAG_BOTH_LEGS"),
    ("the tingling went down my other leg too", "RED_FLAG_BOTH_LEGS"),
    ("numb from the waist down", "RED_FLAG_BOTH_LEGS"),
]


@pytest.mark.parametrize(("text", "symptom_id"), _OWN_RED_FLAG_WORDS)
def test_own_bladder_bowel_saddle_and_both_legs_in_own_words(
    text: str, symptom_id: str | None
) -> None:
    """Batches 89-92: slang ("sharted", "my taint"), a learner's "water not come out", a typo
    ("boht legs"), a question that tells a fact; each kind with near misses that must not be a
    red flag (None: no red flag, though pain may be read)."""
    _assert_read(text, symptom_id, no_red_flag=True)


# Batches 93-96: whose symptom it is. Pets and the vet's words, people outside the household
# and in stories (theirs, None: no red flag), against carers reporting for the one doing the
# routine (the user's), each with near misses the other way.
_WHOSE_SYMPTOM = [
    ("the dog keeps dragging his back leg, poor thing", None),
    ("my labrador's been limping and the vet says her leg is weak", None),
    ("our cat is wetting the floor again, she's ancient", None),
    ("the vet reckons the puppy can't feel his back paws", None),
    ("my old terrier is wobbly and keeps falling over", None),
    ("sorry, the vet thinks the dog has lost control of his bladder, anyway, ready", None),
    ("I was walking the dog and my leg gave way", "RED_FLAG_WEAKNESS"),
    ("the dog knocked me over and I landed on my back", "RED_FLAG_FALL"),
    ("my colleague came in with a fever and the shivers, so I sent her home", None),
    ("my neighbour's little girl wet herself in the park", None),
    ("Priya from church has numbness in both legs, bless her", None),
    ("a man at my gym was telling us he couldn't feel his legs", None),
    ("there's a podcast about a runner who lost control of her bowels", None),
    ("my friend's husband has sciatica down both legs", None),
    ("bfs off work with a temperature, I'm fine", None),
    ("my aunt's numb down both legs, she's in hospital now, I'm just doing my stretches", None),
    ("my colleague bumped into me and now both my legs are numb", "RED_FLAG_BOTH_LEGS"),
    ("I have a fever and the shivers", "RED_FLAG_FEVER"),
    ("my legs are both numb, my mum is in hospital so I'm stressed", "RED_FLAG_BOTH_LEGS"),
    ("my wife says she feels feverish and shivery", "RED_FLAG_FEVER"),
    ("my dad says he has a temperature and the chills", "RED_FLAG_FEVER"),
    (
        "my mum tried to stand on her toes like the physio said and the right one won't lift",
        "RED_FLAG_WEAKNESS",
    ),
    ("my husband says the tingling has gone into his other leg", "RED_FLAG_BOTH_LEGS"),
    ("my grandmother slipped in the bathroom and since then this back", "RED_FLAG_FALL"),
    ("the pain has spread into my good leg", "RED_FLAG_BOTH_LEGS"),
    ("the pain has spread into his good leg now", "RED_FLAG_BOTH_LEGS"),
    ("my wife says she feels fine today", None),
    ("I'm moving on to the good leg now", None),
]


@pytest.mark.parametrize(("text", "symptom_id"), _WHOSE_SYMPTOM)
def test_whose_symptom_carers_against_pets_others_and_stories(
    text: str, symptom_id: str | None
) -> None:
    """A red flag of a pet, a colleague or someone in a documentary is not the user's; a carer's
    report of the one doing the routine is."""
    _assert_read(text, symptom_id, no_red_flag=True)


# Batches 93-96, group bowel: the user's own bladder, bowel, saddle, both-legs and fever red
# flags in their own words, each kind with near misses that must not be a red flag.
_OWN_RED_FLAGS_ROUND_13 = [
    ("I've missed the loo twice today, I just don't get any warning anymore", "RED_FLAG_BLADDER"),
    ("didn't make it to the toilet again, there's no warning at all now", "RED_FLAG_BLADDER"),
    ("i get no warning any more before i need a wee", "RED_FLAG_BLADDER"),
    (
        "idk when i need a wee now, no urge at all, just clocked i havent gone all day",
        "RED_FLAG_BLADDER",
    ),
    ("I haven't been to the toilet all day and I haven't felt any urge", "RED_FLAG_BLADDER"),
    (
        "the feeling of wanting to pass water has gone, I only notice when I am wet",
        "RED_FLAG_BLADDER",
    ),
    ("the feeling of needing a wee has just gone", "RED_FLAG_BLADDER"),
    (
        "that need to go to the loo feeling has vanished, I only find out when I'm wet",
        "RED_FLAG_BLADDER",
    ),
    ("i only notice when my pants are already wet", "RED_FLAG_BLADDER"),
    ("i dont feel the need to pee anymore, i just find i'm wet", "RED_FLAG_BLADDER"),
    ("I just don't get any warning before the stretch ends", None),
    ("no warning about the next exercise please", None),
    ("the feeling of tightness has gone, lovely", None),
    ("I only notice when the timer is already done", None),
    ("feels like I need a wee really badly but I can't get a single drop out", "RED_FLAG_BLADDER"),
    (
        "I need to spend a penny very badly but nothing will come",
        "RED_FLAG_BLADDER",
    ),
    ("desperate for a pee but not a drop will come out", "RED_FLAG_BLADDER"),
    ("i really need to go but i cant get anything out", "RED_FLAG_BLADDER"),
    ("busting for the loo and can't squeeze out a drop", "RED_FLAG_BLADDER"),
    ("I need to pass water badly but nothing comes", "RED_FLAG_BLADDER"),
    ("I need a wee, back in a sec", None),
    ("I need the loo badly, can we pause", None),
    ("can't get a single drop of sweat out of me today", None),
    ("I need a drink badly but the bottle is empty", None),
    (
        "woke up soaked in wee again, that's the third night running I've had to strip the bed",
        "RED_FLAG_BLADDER",
    ),
    ("I woke up lying in pee this morning", "RED_FLAG_BLADDER"),
    ("the bed was soaked with urine when I woke", "RED_FLAG_BLADDER"),
    ("i've wet the bed two nights running", "RED_FLAG_BLADDER"),
    ("my son wet the bed last night so I'm tired", None),
    ("I had to strip the bed because the dog was sick on it", None),
    (
        "my bum and the insides of my thighs feel like they've been sat on all day, no feeling",
        "RED_FLAG_SADDLE",
    ),
    ("my bottom feels odd, no feeling at all", "RED_FLAG_SADDLE"),
    ("dude my junk feels numb, like totally numb, not even joking", "RED_FLAG_SADDLE"),
    ("my junk has gone numb", "RED_FLAG_SADDLE"),
    ("no feeling in my junk at all", "RED_FLAG_SADDLE"),
    (
        "I went to the lavatory and round the back passage it is all without feeling",
        "RED_FLAG_SADDLE",
    ),
    ("down there is without any feeling", "RED_FLAG_SADDLE"),
    ("my backside is without sensation since this morning", "RED_FLAG_SADDLE"),
    ("I went to the lavatory and came back", None),
    ("I'm clearing out the junk in my garage, my back hurts", None),
    ("said it without feeling, like a robot", None),
    ("my bum feels sore after sitting all day", None),
    ("I stood up and neither foot could feel the cold tiles", "RED_FLAG_BOTH_LEGS"),
    ("neither of my feet can feel the floor", "RED_FLAG_BOTH_LEGS"),
    ("neither leg can feel the bath water", "RED_FLAG_BOTH_LEGS"),
    (
        "it started in the left but now the right's gone pins and needles as well",
        "RED_FLAG_BOTH_LEGS",
    ),
    ("it was only the right, now the left has gone numb as well", "RED_FLAG_BOTH_LEGS"),
    ("the left is tingling too now", "RED_FLAG_BOTH_LEGS"),
    ("my good leg has started hurting the exact same way now", "RED_FLAG_BOTH_LEGS"),
    ("the other leg is hurting in the same way", "RED_FLAG_BOTH_LEGS"),
    ("my good leg has started tingling the same", "RED_FLAG_BOTH_LEGS"),
    ("wtf now the right sides doing it as well as the left", "RED_FLAG_BOTH_LEGS"),
    ("the right side is doing it as well as the left now", "RED_FLAG_BOTH_LEGS"),
    ("now the left leg is at it as well as the right", "RED_FLAG_BOTH_LEGS"),
    ("It has jumped across to my other leg now", "RED_FLAG_BOTH_LEGS"),
    ("the pain has crept across into the other leg", "RED_FLAG_BOTH_LEGS"),
    ("its spread over to my other leg", "RED_FLAG_BOTH_LEGS"),
    ("I stood up and the tiles were cold", None),
    ("I'll do the right side as well as the left", None),
    ("I jumped across to the other side of the mat", None),
    ("moving across to my other leg now", None),
    ("neither foot is comfortable in these shoes", None),
    ("neither of us could feel the heating", None),
    ("my good leg has started the stretch", None),
    (
        "woke at three in the morning dripping wet and freezing cold at the same time",
        "RED_FLAG_FEVER",
    ),
    ("i woke up drenched and shivering", "RED_FLAG_FEVER"),
    ("I keep waking in the night soaking wet but cold", "RED_FLAG_FEVER"),
    (
        "my T-shirt was wringing wet when I woke up and it's not even warm in my room",
        "RED_FLAG_FEVER",
    ),
    ("my pyjamas were dripping wet when I woke", "RED_FLAG_FEVER"),
    ("woke up and my top was soaked through with sweat", "RED_FLAG_FEVER"),
    ("my T-shirt was wringing wet after the run", None),
    ("I got caught in the rain, dripping wet and freezing cold", None),
    ("I woke up and the cat had knocked a glass of water over, my top was soaked", None),
    ("the washing was still wringing wet when I woke up", None),
    ("I've been to the toilet, no warning signs of anything else", None),
    ("my left side has started the stretch as well as the right", None),
    ("neither foot can feel the difference between the mats", None),
    ("I switched over to the other leg", None),
    ("I jumped over to the other side", None),
    ("the floor was covered in wee from the puppy", None),
    ("I need a wee, can't be long", None),
    ("I need a wee but I can't stop now", None),
    ("the pain jumped over to the other side", "RED_FLAG_BOTH_LEGS"),
    ("now my left leg's tingling as well as the right", "RED_FLAG_BOTH_LEGS"),
    ("my privates feel dead, no sensation", "RED_FLAG_SADDLE"),
]


@pytest.mark.parametrize(("text", "symptom_id"), _OWN_RED_FLAGS_ROUND_13)
def test_own_red_flags_round_13_bowel(text: str, symptom_id: str | None) -> None:
    """No warning or urge and no drop, said in a clause after the toilet's; woken soaked in
    wee; "my junk", "without feeling", "..., no feeling" said last; neither foot can feel, the
    other side "as well as" the first, a jump across; woken wet through and cold (None: no red
    flag, though pain may be read)."""
    _assert_read(text, symptom_id, no_red_flag=True)


_CALM_QUESTIONS_FOR_LATER = [
    ("if my feet ever went numb at the same time, would that be an emergency?", None),
    ("what if both my legs start going weak, do I phone 111?", None),
    ("if my leg should ever give out on me, do you want me to stop?", None),
    ("if the numbness comes back during the hold, do I tell you straight away?", None),
    ("is it a concern if you cant feel yourself when you wipe?", None),
    ("would it be an emergency if I couldn't pee all of a sudden?", None),
    ("what would it mean if I suddenly lost control of my bladder?", None),
    ("so if either foot starts dragging, should I stop or keep going?", None),
    ("If the tingling ever comes back, what should I say to you?", None),
    ("do I just say it hurts, or is there a special word?", None),
    ("my physio talked about numbness in the saddle being serious, what does that mean?", None),
    ("if my legs ever go numb what do I do", None),
    ("suppose my leg gave way halfway through, what would you do?", None),
    ("I suppose my leg gave way because it's so weak", "RED_FLAG_WEAKNESS"),
    ("imagine my surprise when both legs went numb this morning", "RED_FLAG_BOTH_LEGS"),
    ("suppose both legs go numb right now, what then?", "RED_FLAG_BOTH_LEGS"),
    # Near misses: told as now, or a habit.
    ("my both legs start tingling if I sit too long", "RED_FLAG_BOTH_LEGS"),
    ("when I sit both legs start tingling", "RED_FLAG_BOTH_LEGS"),
    ("if I start walking my foot drags", "RED_FLAG_WEAKNESS"),
    ("the tingling has come back now in both legs", "RED_FLAG_BOTH_LEGS"),
    ("I have to sit down if both legs start going numb", "RED_FLAG_BOTH_LEGS"),
    ("my doctor mentioned my bladder problems are getting worse", "RED_FLAG_BLADDER"),
    ("I can't feel the toilet paper when I wipe", "RED_FLAG_SADDLE"),
    ("I have to say it hurts a lot now", "PAIN"),
    ("it's a worry, I can't feel my bum", "RED_FLAG_SADDLE"),
]


@pytest.mark.parametrize(("text", "symptom_id"), _CALM_QUESTIONS_FOR_LATER)
def test_calm_questions_for_later(text: str, symptom_id: str | None) -> None:
    """Batches 93-96 (group calm): a question about what might happen ("if my leg ever started to
    give way", "if both legs start tingling", "is it a worry if..."), with near misses told as
    now or as a habit. None: nothing detected (a question may be asked)."""
    _assert_read(text, symptom_id)


_CALM_PAST_AND_RELIEF = [
    ("had a bad dose of flu a couple of weeks back, well over it now", None),
    ("I was in bed with a fever a few weeks ago, a nasty bug, but I'm completely over it", None),
    ("we all had a temperature last week, the whole house, but we're all better now", None),
    ("had the flu over christmas, shivering and everything, but I feel myself again", None),
    ("caught covid last month, night sweats and all, but I'm fine now", None),
    ("I had sciatica and numb toes years ago but it's been years since then", None),
    ("the tingling in my foot's buggered off, lovely", None),
    ("my back pain has done one, I'm grand", None),
    ("the pain down me leg has finally pissed off", None),
    ("the ache I used to get in my hip isn't there anymore", None),
    ("that shooting pain down my leg isnt there any more", None),
    (
        "Last winter I was laid up with a chest infection, fever, the shakes, but I've been"
        " right as rain since, so let's crack on.",
        None,
    ),
    ("I had a fever on and off in the spring but that's long gone now", None),
    ("I've had a fever since the spring and it's still there", "RED_FLAG_FEVER"),
    ("fever, the shakes, since last night", "RED_FLAG_FEVER"),
    # Near misses: still here, back again, or told by likeness.
    ("I've had a fever since last night and I'm shivering", "RED_FLAG_FEVER"),
    ("I had a fever last week and it's back again today", "RED_FLAG_FEVER"),
    ("I had flu a few weeks back and now I have a fever again", "RED_FLAG_FEVER"),
    ("the numbness is still there", "NUMBNESS"),
    ("my foot feels numb, like it is not there anymore", "NUMBNESS"),
    ("my foot is so numb it feels like it's not there any more", "NUMBNESS"),
    ("I'm so over it, my leg is killing me", "PAIN"),
    ("I'm fecked, my leg went numb", "NUMBNESS"),
]


@pytest.mark.parametrize(("text", "symptom_id"), _CALM_PAST_AND_RELIEF)
def test_calm_past_over_and_relief(text: str, symptom_id: str | None) -> None:
    """Batches 93-96 (group calm): an illness had and over ("well over it", "we're all better
    now", a verbless "a proper flu" in the tense of the story), long since ("it's been years
    since then"), relief in slang ("fecked off") or "not there any more"; with near misses."""
    _assert_read(text, symptom_id)


_ROUND_14_wfpn = [
    # b97-weak-foot-drop: the foot's failing tripped me, told once in the past: weakness.
    ("my foot drooped and I tripped over the mat", "RED_FLAG_WEAKNESS"),
    ("the front of my foot dropped and I stumbled on the step", "RED_FLAG_WEAKNESS"),
    ("getting off the mat my toes dragged and I tripped", "RED_FLAG_WEAKNESS"),
    ("my left foot sagged and I tripped on the rug, it won't lift properly", "RED_FLAG_WEAKNESS"),
    ("walking to the kitchen my foot just hung there and I stumbled", "RED_FLAG_WEAKNESS"),
    ("my toes wouldn't lift and I tripped over the doorstep", "RED_FLAG_WEAKNESS"),
    # Near misses: a trip that ended on the floor, or a trip over a thing, is a fall.
    ("I tripped over the ball and fell on the floor", "RED_FLAG_FALL"),
    ("my foot drooped and I tripped and landed flat on my back", "RED_FLAG_FALL"),
    ("I dropped the tennis ball and I tripped over it", "RED_FLAG_FALL"),
    # b97-fall-during-routine: dropped hard onto the bum, a wooden floor no feeling lost.
    ("the roller shot out and I dropped straight onto my bum", "RED_FLAG_FALL"),
    ("I dropped hard onto my backside on the wooden floorboards", "RED_FLAG_FALL"),
    ("lost the ball and dropped right onto my tailbone on the wooden decking", "RED_FLAG_FALL"),
    ("I dropped straight down onto my bottom on the kitchen floor", "RED_FLAG_FALL"),
    ("dropped heavily onto my bum, a proper bump, and now my leg hurts", "RED_FLAG_FALL"),
    # Near misses: the bum that feels wooden is the saddle; sitting on a wooden floor is nothing.
    ("my bum feels wooden on this chair", "RED_FLAG_SADDLE"),
    ("my bum is numb on the wooden bench", "RED_FLAG_SADDLE"),
    ("I'm sitting on the wooden floor doing the stretch", None),
    ("I dropped straight onto the mat for the next stretch", None),
    # b97-fall-crash-blow: someone's knee or elbow taken in the back is a blow.
    ("I took my son's elbow right in the lower back playing rugby", "RED_FLAG_FALL"),
    ("wrestling with my lad I took his knee in my back", "RED_FLAG_FALL"),
    ("at the weekend I copped her elbow straight into my spine", "RED_FLAG_FALL"),
    ("took their boot right in the small of my back at training", "RED_FLAG_FALL"),
    ("I took the keeper's knee into my lower back going for a header", "RED_FLAG_FALL"),
    ("playing with my grandson at the weekend I got his head into my lower back", "RED_FLAG_FALL"),
    # Near misses: theirs, or no blow at all.
    ("my lad took a knee to the back playing football", None),
    ("I took his knee brace back to the shop", None),
    ("my mate at the gym fell off the treadmill", None),
    ("with my lad at the weekend, he fell off his bike", None),
    # b98-weak-tiptoe: a raise tried and "that side" fails, one clause.
    ("tried a heel raise and that leg just won't do it", "RED_FLAG_WEAKNESS"),
    ("did the toe raises and this side just can't", "RED_FLAG_WEAKNESS"),
    ("single leg calf raise, that side just won't", "RED_FLAG_WEAKNESS"),
    ("I went up on my toes and that foot just wouldn't", "RED_FLAG_WEAKNESS"),
    ("calf raises on the left and that one just won't go", "RED_FLAG_WEAKNESS"),
    # Near misses: the raise went fine.
    ("tried a calf raise and that felt fine", None),
    ("calf raises done, that side is fine", None),
    ("I tried a calf raise and that's it for today", None),
    # b98-burn-foot: like being on something hot for cooking.
    ("the sole of my foot feels like I'm standing on a hotplate", "BURNING"),
    ("it's like my heel is pressed against a griddle", "BURNING"),
    ("feels as if my foot is on a frying pan", "BURNING"),
    ("like walking on a hot tin roof with my left foot", "BURNING"),
    ("my calf feels like someone's holding it against a hot stove", "BURNING"),
    ("the bottom of my foot is like it's on the barbecue", "BURNING"),
    # Near misses: the thing itself.
    ("I left the pan on the hot plate", None),
    ("the hot plate in the kitchen is broken", None),
    ("it's like a hot plate in here, open a window", None),
    # b100-weakness-vague: the limb named, then "it" gone weak.
    ("my right leg feels off, it's gone really weak", "RED_FLAG_WEAKNESS"),
    ("my foot isn't right today, it feels feeble", "RED_FLAG_WEAKNESS"),
    ("this leg's not behaving, it's getting weaker", "RED_FLAG_WEAKNESS"),
    ("my left leg, it's gone all floppy", "RED_FLAG_WEAKNESS"),
    ("my leg's not itself, it is weak and won't hold me", "RED_FLAG_WEAKNESS"),
    ("my knee's strange today, and it's gone weak", "RED_FLAG_WEAKNESS"),
    # Near misses: something else is weak, or the leg is something else.
    ("my leg is fine, it's the coffee that's weak", None),
    ("the wifi, it's gone weak again", None),
    ("my leg isn't weak, it's just stiff", None),
    ("my leg's not itself, it's gone a bit achy", "PAIN"),
    ("my leg's not numb, it's weak", "RED_FLAG_WEAKNESS"),
    ("my leg doesn't hurt, but it's gone weak", "RED_FLAG_WEAKNESS"),
    ("my son's leg, it's gone weak", None),
    # b100-fall-postfall-clinical: "post-fall".
    ("my GP says it's post-fall sciatica", "RED_FLAG_FALL"),
    ("this is all post fall, it started after the stairs", "RED_FLAG_FALL"),
    ("post-fall back pain, that's what they wrote on my notes", "RED_FLAG_FALL"),
    ("I'm a week postfall and the leg's worse", "RED_FLAG_FALL"),
    ("it's a post-fall thing, started on Monday", "RED_FLAG_FALL"),
    # Near misses: the season, the post, an operation.
    ("we went up north to see the fall colours", None),
    ("I went down the stairs yesterday to post a letter", None),
    ("post-op, no falls, just doing my stretches", None),
    # b100-numb-clinical: hypoaesthesia.
    ("there's hypoesthesia over my outer calf", "NUMBNESS"),
    ("the physio found hypoaesthesia on the sole of my foot", "NUMBNESS"),
    ("hypaesthesia down the back of my thigh", "NUMBNESS"),
    ("I have patchy hypoesthesia in the big toe", "NUMBNESS"),
    ("my shin feels hypoaesthetic", "NUMBNESS"),
    # Near misses: denied, or over.
    ("no hypoaesthesia anywhere today", None),
    ("the hypoaesthesia in my shin has gone now", None),
    ("I've never had hypoaesthesia", None),
    # b100-numb-clinical: reduced sensation.
    ("decreased sensation on the outside of my foot", "NUMBNESS"),
    ("I've got reduced feeling in my big toe", "NUMBNESS"),
    ("there's diminished sensation down my calf", "NUMBNESS"),
    ("less feeling in my heel than yesterday", "NUMBNESS"),
    ("impaired sensation along the shin", "NUMBNESS"),
    # Near misses: denied, a feeling of a stretch, pressure reduced; in the groin, the saddle.
    ("no reduced sensation at all, all normal", None),
    ("less feeling of tightness in my calf now", None),
    ("I've reduced the pressure on my foot", None),
    ("reduced sensation in my groin", "RED_FLAG_SADDLE"),
    # b100-shoot-clinical: radiating.
    ("the pain radiates down the back of my leg", "SHOOTING"),
    ("it's radiating into my calf again", "SHOOTING"),
    ("radiating sciatic pain into my foot", "SHOOTING"),
    ("this is the radiating nerve pain I get", "SHOOTING"),
    ("a radiating ache right along my thigh", "SHOOTING"),
    # Near misses: heat radiating, a radiator; the pain that does not travel.
    ("the heat pack is radiating warmth into my back", None),
    ("the radiator is on full", None),
    ("the pain isn't radiating, it just aches in my back", "PAIN"),
    # b100-shoot-clinical: lancinating.
    ("I get lancinating pains in my shin", "SHOOTING"),
    ("a lancinating feeling down the back of my thigh", "SHOOTING"),
    ("it's lancinating, right down to my ankle", "SHOOTING"),
    ("lancinating sciatic pain this morning", "SHOOTING"),
    ("sharp lancinating jabs into my foot", "SHOOTING"),
    # Near misses: denied, over, or a dull ache.
    ("no lancinating pain today", None),
    ("no radiating pain today", None),
    ("the lancinating pain has settled", None),
    ("it's a dull ache in my calf, nothing lancinating", "PAIN"),
]


@pytest.mark.parametrize(("text", "symptom_id"), _ROUND_14_wfpn)
def test_round_14_wfpn(text: str, symptom_id: str | None) -> None:
    """Batches 97-100 (group wfpn): weakness against a fall (a foot that droops and trips me is
    weak, a drop onto the bum a fall, not the saddle; a knee or elbow taken in the back a blow;
    "post-fall"), a limb named then "it's gone weak", a raise "that side won't do", burning like a
    hot plate, and nerve ids in clinical words (hypoaesthesia, reduced sensation, radiating,
    lancinating); each with near misses. None: no symptom."""
    _assert_read(text, symptom_id)


_ROUND_14_calm = [
    # b97 figures of speech: a landscape "on fire" with colour.
    ("the trees were on fire with reds and oranges on our drive, now back to the stretches", None),
    ("the woods are on fire with autumn colours at the moment, gorgeous, what's next?", None),
    ("the whole hillside was on fire with golds and yellows this weekend", None),
    ("the sky was on fire at sunset last night, anyway I'm ready", None),
    ("the maples in the park are absolutely on fire, so pretty, let's carry on", None),
    ("the garden is ablaze with colour, right, next stretch", None),
    ("my leg is on fire", "BURNING"),
    ("the back of my thigh is on fire after the trees stretch", "BURNING"),
    ("the trees were lovely but my calf is on fire now", "BURNING"),
    # b97 questions for later: what someone said of anyone, with sciatica.
    (
        "my friend was saying that with sciatica you can lose control of your bladder, true?",
        None,
    ),
    (
        "my neighbour told me people can lose feeling down there with a bad disc, right?",
        None,
    ),
    ("a lady at work said that sometimes you can wet yourself with sciatica, really?", None),
    ("my brother reckons people can end up dragging a foot with this, is that a thing?", None),
    (
        "my mate said with a slipped disc someone can lose bladder control, is that rare?",
        None,
    ),
    ("my wife says I can't feel my foot properly", "NUMBNESS"),
    ("my friend said I've been dragging my foot all week", "RED_FLAG_WEAKNESS"),
    (
        "my mate was saying you can lose control, and I have lost control of my bladder",
        "RED_FLAG_BLADDER",
    ),
    # b97 questions for later: a leaflet's advice, two symptoms joined by "or".
    (
        "my leaflet says if my leg goes weak or I start dragging my foot I should stop, right?",
        None,
    ),
    ("the booklet says if my foot drops or I start tripping I should ring someone, who?", None),
    (
        "the physio said if my leg gives way or my foot starts dragging I must stop straight away",
        None,
    ),
    (
        "my handout says if both legs go numb or I lose bladder control it's an emergency, true?",
        None,
    ),
    (
        "the doctor told me if I get numb down below or can't pee I should go to A and E",
        None,
    ),
    ("my leaflet is on the table and my leg is weak", "RED_FLAG_WEAKNESS"),
    ("I've read the leaflet, I'm dragging my foot now", "RED_FLAG_WEAKNESS"),
    ("the physio said I should stop but my leg keeps giving way", "RED_FLAG_WEAKNESS"),
    # b97 a general question of what is normal when one starts with the kit.
    ("is it normal to feel some tingling when I first start with the roller?", None),
    ("is it normal to get a bit of pins and needles when you start with the massage ball?", None),
    ("would it be normal to feel tingling once I get going on the foam roller?", None),
    ("is it normal to have numbness when I first try the stretches?", None),
    ("is it common to feel a little tingling when you begin the routine?", None),
    ("is it normal to feel tingling now when I use the tennis ball?", "TINGLING"),
    ("I feel tingling when I first start with the tennis ball", "TINGLING"),
    ("is it normal that my foot tingles when I use the ball?", "TINGLING"),
    # b98 a burn that is welcome.
    ("love that burn, keep it coming", None),
    ("I like this burn, let's keep going", None),
    ("loving the burn in my hamstring, more please", None),
    ("oh I enjoy that burn, one more round", None),
    ("I love the stretchy burn, keep going", None),
    ("I'd love that burn to stop", "BURNING"),
    ("I like that burn, but the burning down my leg is new", "BURNING"),
    ("I love that burn going down into my foot", "BURNING"),
    ("love that burn down my leg, not", "BURNING"),
    # b98 if I go numb..., should I stop? A question for later.
    ("if I go numb down there, do I stop?", None),
    ("if I go numb in my bum, should I keep going?", None),
    ("if I go tingly in my foot, should I stop?", None),
    ("if I turn numb between my legs, what do I do?", None),
    ("if I go numb around the saddle area, should I carry on?", None),
    ("I go numb down there, should I stop?", "RED_FLAG_SADDLE"),
    ("if I go numb like I am now, should I stop?", "NUMBNESS"),
    ("I've gone numb down there, should I stop?", "RED_FLAG_SADDLE"),
    # b99 relief with the place dropped.
    ("the tingle in has gone now", None),
    ("the numbness in has gone", None),
    ("the tingling in has stopped now", None),
    ("the pins and needles down has eased now", None),
    ("the ache in has gone away", None),
    ("the tingle in has gone numb now", "NUMBNESS"),
    ("the tingle in my foot has gone worse", "TINGLING"),
    ("the tingle in has not gone", "TINGLING"),
    # b100 a question for later: should I tell you if...
    ("Should I tell you if I get foot drop?", None),
    ("should I let you know if I get any numbness down below?", None),
    ("do I tell you if my leg goes weak?", None),
    ("should I tell you if I lose control of my bladder?", None),
    ("should I say if I get pins and needles?", None),
    ("should I tell you my foot is dropping?", "RED_FLAG_WEAKNESS"),
    ("should I tell you if my foot keeps dropping, because it is", "RED_FLAG_WEAKNESS"),
    ("I should tell you I've got foot drop", "RED_FLAG_WEAKNESS"),
    # b100 denied with a word of the place or the kind before the symptom.
    ("No saddle numbness and no bladder problems, all good", None),
    ("no groin numbness, no bowel trouble, fine", None),
    ("there's no saddle tingling and no problems peeing", None),
    ("no foot drop and no weakness, all fine", None),
    ("no urinary problems and no sudden weakness, carry on", None),
    ("saddle numbness since this morning", "RED_FLAG_SADDLE"),
    ("no bladder problems but I have saddle numbness", "RED_FLAG_SADDLE"),
    ("no, saddle numbness is what I've got", "RED_FLAG_SADDLE"),
    # b100 long ago and recovered.
    ("Years ago after a fall I had weakness in my foot, but it recovered fully", None),
    ("years ago I fell and my leg was weak for a while, but it recovered completely", None),
    ("ages ago after a fall my foot dragged, but my foot recovered fully", None),
    ("a long time ago I slipped on ice and hurt my back, it got better in the end", None),
    ("decades ago I had a weak leg after a car crash but it has recovered", None),
    ("after a fall yesterday I had weakness in my foot, but it recovered fully", "RED_FLAG_FALL"),
    ("years ago after a fall I had weakness in my foot, and it never recovered", "RED_FLAG_FALL"),
    ("years ago I had a fall, it recovered, but now my foot is weak again", "RED_FLAG_WEAKNESS"),
]


@pytest.mark.parametrize(("text", "symptom_id"), _ROUND_14_calm)
def test_round_14_calm(text: str, symptom_id: str | None) -> None:
    """Batches 97-100 (group calm): false alarms. A landscape "on fire" with colour, a burn that
    is welcome ("love that burn"), what anyone said of anyone ("my mate was saying that with
    sciatica you can lose control") or a leaflet's advice over two symptoms joined by "or", a
    general question of what is normal when one starts with the kit, a question for later ("if
    I go numb down there, should I stop?", "should I tell you if I get foot drop?"), relief with
    the place dropped ("the tingle in has gone now"), a denial over a word of the place ("no
    saddle numbness") and a fall long ago that "recovered fully"; with near misses told as now,
    not over or not welcome. None: nothing detected (a question may be asked)."""
    _assert_read(text, symptom_id)


_ROUND_14_bsbf = [
    # b98-bladder-cant-go: at the urinal, not a drop (then near misses: rain, a good wee, a drink).
    (
        "stood at the urinal on site five minutes, not a drop, and I'm desperate",
        "RED_FLAG_BLADDER",
    ),
    ("been at the urinal ages, not a drop, and I'm bursting", "RED_FLAG_BLADDER"),
    ("I stood in the gents for ten minutes, not a single drop", "RED_FLAG_BLADDER"),
    ("at the urinals at work for ages and not a drop came", "RED_FLAG_BLADDER"),
    ("went to the loo twice, not a drop, even though I'm desperate", "RED_FLAG_BLADDER"),
    ("stood at the urinal and couldn't squeeze out a drop", "RED_FLAG_BLADDER"),
    ("five minutes at the urinal, not one drop", "RED_FLAG_BLADDER"),
    ("no rain on site all week, not a drop, lovely", None),
    ("went to the urinal, had a good long wee, all fine", None),
    ("I've not had a drop to drink all day, I'm desperate for a brew", None),
    # b98-bladder-bowel-accident: soiled what is worn below the waist (near misses: tea, rain, mud).
    ("I've soiled my joggers on the roller, no warning, nothing", "RED_FLAG_BLADDER"),
    ("I've messed my trackies on the mat and didn't feel it coming", "RED_FLAG_BLADDER"),
    ("just wet my jogging bottoms doing the stretch", "RED_FLAG_BLADDER"),
    ("I've pooed my tracksuit bottoms, no warning at all", "RED_FLAG_BLADDER"),
    ("I soiled my leggings on the roller just now", "RED_FLAG_BLADDER"),
    ("I've wet my skirt, it just came out", "RED_FLAG_BLADDER"),
    ("I've spilt my tea on my joggers, hang on", None),
    ("my joggers are soaked from the rain, back in a sec", None),
    ("I've got mud all over my joggers from the garden", None),
    # b98-saddle-groin-numb: all the feeling lost in the groin (near misses: a foot, a stretch).
    ("lost all the feeling in my tackle, mate, I'm not joking", "RED_FLAG_SADDLE"),
    ("I've lost all of the feeling in my bits", "RED_FLAG_SADDLE"),
    ("lost all my feeling down there since lunch", "RED_FLAG_SADDLE"),
    ("losing all the sensation in my crotch, honest", "RED_FLAG_SADDLE"),
    ("I've lost all the feeling round my back passage", "RED_FLAG_SADDLE"),
    ("lost all the feeling between my legs", "RED_FLAG_SADDLE"),
    ("lost all the feeling in my foot", "NUMBNESS"),
    ("I haven't lost any feeling in my tackle, all fine", None),
    ("I've lost all the feeling of the stretch in my groin", None),
    # b99-feaver-temp: fever misspelt, a vowel added or changed (near misses: a son's, denied).
    ("ive got a feaver as well and my backs killing", "RED_FLAG_FEVER"),
    ("i think i have a feever", "RED_FLAG_FEVER"),
    ("got a bit of a fevar tonight", "RED_FLAG_FEVER"),
    ("running a feaver since yesterday", "RED_FLAG_FEVER"),
    ("my son says i feel hot, i think its a feaver", "RED_FLAG_FEVER"),
    ("my little boy has a feaver, I'm fine myself", None),
    ("no feaver, just my back", None),
    ("i dont have a feever", None),
    # b100-saddle-clinical: reduced or altered sensation round the perianal area (near misses).
    (
        "I'm getting reduced sensation around the perianal area since this morning",
        "RED_FLAG_SADDLE",
    ),
    ("there's decreased sensation in my perineal area", "RED_FLAG_SADDLE"),
    ("I've noticed altered sensation around my back passage", "RED_FLAG_SADDLE"),
    ("diminished sensation in the peri-anal region today", "RED_FLAG_SADDLE"),
    ("reduced feeling in my groin since I got up", "RED_FLAG_SADDLE"),
    ("the perianal skin has impaired sensation now", "RED_FLAG_SADDLE"),
    ("normal sensation around the perianal area, I checked", None),
    ("I've got reduced sensation of the stretch in my bum", None),
    ("no reduced sensation around my bottom, all normal", None),
    # b100-saddle-toilet: sat, as if there were no seat (near misses: no seat to be had, a floor).
    ("I sat on the toilet and it felt like there was no seat under me", "RED_FLAG_SADDLE"),
    ("on the loo it's like there's no seat", "RED_FLAG_SADDLE"),
    ("when I sit down it feels as if there isn't a chair under me", "RED_FLAG_SADDLE"),
    ("sitting on the bike it felt like there was no saddle", "RED_FLAG_SADDLE"),
    ("it feels as though there's no seat beneath me when I sit", "RED_FLAG_SADDLE"),
    ("I sat down and it was like there was no cushion under me at all", "RED_FLAG_SADDLE"),
    ("there was no seat on the train so I stood all the way", None),
    ("it felt like there was no floor under me when I stood up too fast", None),
    (
        "I sat on the toilet and it felt like there was no end to the wait for the kettle",
        None,
    ),
    # b100-saddle-vague: the private parts feel odd, like a numbing (near misses: a jaw, a tooth).
    (
        "My private parts feel weird, like they've been injected at the dentist",
        "RED_FLAG_SADDLE",
    ),
    ("my bits feel funny, like I've had a jab at the dentist", "RED_FLAG_SADDLE"),
    ("down below feels strange, like it's been numbed", "RED_FLAG_SADDLE"),
    ("my privates feel odd, like they've had an anaesthetic", "RED_FLAG_SADDLE"),
    ("my groin feels peculiar, like after novocaine", "RED_FLAG_SADDLE"),
    ("my backside feels weird, like it's been injected", "RED_FLAG_SADDLE"),
    ("my jaw feels weird, like I've been injected at the dentist", "NUMBNESS"),
    ("my private parts feel fine, the dentist was yesterday", None),
    ("my tooth feels odd, like the dentist numbed it", "NUMBNESS"),
    # b100-both-bilateral-clinical: bilateral (near misses: the hands, a stretch, knees replaced).
    ("I think this has turned into bilateral sciatica", "RED_FLAG_BOTH_LEGS"),
    ("I've had bilateral leg numbness since this morning", "RED_FLAG_BOTH_LEGS"),
    ("the tingling is bilateral now", "RED_FLAG_BOTH_LEGS"),
    ("I've got bilateral leg pain today", "RED_FLAG_BOTH_LEGS"),
    ("my feet are numb bilaterally", "RED_FLAG_BOTH_LEGS"),
    ("the sciatica has gone bilateral", "RED_FLAG_BOTH_LEGS"),
    ("bilateral pins and needles in my feet", "RED_FLAG_BOTH_LEGS"),
    ("bilateral lower limb numbness since I woke up", "RED_FLAG_BOTH_LEGS"),
    ("I've got bilateral foot numbness today", "RED_FLAG_BOTH_LEGS"),
    ("bilateral numbness in my legs since breakfast", "RED_FLAG_BOTH_LEGS"),
    ("the numbness in my legs is bilateral", "RED_FLAG_BOTH_LEGS"),
    ("I've had bilateral leg tingling since this morning", "RED_FLAG_BOTH_LEGS"),
    ("I've got bilateral carpal tunnel so my hands tingle", "TINGLING"),
    ("I've had bilateral hand numbness since this morning", "NUMBNESS"),
    ("I've had left leg numbness since this morning, only the one side", "NUMBNESS"),
    ("the numbness isn't bilateral, it's just my left foot", "NUMBNESS"),
    ("the physio gave me a bilateral stretch, feels good", None),
    ("I had bilateral knee replacements years ago, they're fine", None),
    # b100-both-spreading: the good leg like the bad one (near misses: one leg, the good one fine).
    ("Now my good leg is tingling like the bad one", "RED_FLAG_BOTH_LEGS"),
    ("my good leg's gone numb like the bad one", "RED_FLAG_BOTH_LEGS"),
    ("the other leg is burning like the bad one now", "RED_FLAG_BOTH_LEGS"),
    ("my right leg is as numb as the left one", "RED_FLAG_BOTH_LEGS"),
    ("my good foot has pins and needles like the bad foot", "RED_FLAG_BOTH_LEGS"),
    ("the good side's started aching like the sore side", "RED_FLAG_BOTH_LEGS"),
    ("my bad leg is tingling like it did yesterday", "TINGLING"),
    ("my good leg is fine, it's the bad one that's tingling", "TINGLING"),
    ("my good leg is fine, not like the bad one", None),
    # b100-fever-clinical: pyrexial, febrile (near misses: apyrexial, afebrile, denied, a patient).
    ("I'm pyrexial, 38.6 this morning, and the back pain is worse", "RED_FLAG_FEVER"),
    ("I've been febrile since last night", "RED_FLAG_FEVER"),
    ("I think I'm pyrexic, I feel boiling", "RED_FLAG_FEVER"),
    ("the nurse said I'm febrile today", "RED_FLAG_FEVER"),
    ("I've had a pyrexia since lunch", "RED_FLAG_FEVER"),
    ("I'm apyrexial today, the back is just stiff", None),
    ("afebrile this morning, no temperature at all", None),
    ("the doctor checked and I'm not febrile", None),
    ("one of my patients was pyrexial on the ward today", None),
]


@pytest.mark.parametrize(("text", "symptom_id"), _ROUND_14_bsbf)
def test_round_14_bsbf(text: str, symptom_id: str | None) -> None:
    """Round 14 (group bsbf), red flags told in slang or a clinician's words: a wee that will not
    come at the urinal ("not a drop"), an accident in any clothes ("soiled my joggers"), all the
    feeling lost in the groin ("my tackle"), reduced sensation round the perianal area, no seat felt
    under me on the toilet, the private parts odd "like they've been injected at the dentist";
    both legs said "bilateral" or "the good leg like the bad one"; a fever misspelt ("feaver") or
    clinical ("pyrexial", "febrile"). Each with paraphrases, then near misses read otherwise (a
    jaw numbed at the dentist is numbness, not the saddle). None: nothing detected."""
    _assert_read(text, symptom_id)


_ROUND_14_whose = [
    # Doing the routine beside the user, or asked about going on: theirs is for the coach.
    (
        "My husband is doing the routine with me tonight and he's burning up, he's got "
        "the shivers too, is it ok for him to keep going?",
        "RED_FLAG_FEVER",
    ),
    (
        "Mum's doing the stretches alongside me and she's got a temperature, she feels all clammy",
        "RED_FLAG_FEVER",
    ),
    (
        "My wife has been doing this with me and she's come over all shivery and hot, she"
        " thinks she's got a temperature",
        "RED_FLAG_FEVER",
    ),
    (
        "My dad is joining in with the exercises beside me but he's running a fever, "
        "should he really carry on?",
        "RED_FLAG_FEVER",
    ),
    (
        "my daughter is doing this with us and she's got a high temperature and the chills",
        "RED_FLAG_FEVER",
    ),
    ("she's running a fever and she's shivering, can she still keep going?", "RED_FLAG_FEVER"),
    # Near misses: not doing it with the user, or the user's own.
    ("My son has a fever, should he really be going to school tomorrow?", None),
    ("My husband's got a temperature, can he still go to work?", None),
    ("My wife is watching me do this and she's running a fever", None),
    ("My wife is doing this with me and I've got a fever myself now", "RED_FLAG_FEVER"),
    # One who rang or wrote to the user is not here.
    (
        "My mum phoned me this morning, she's been wetting herself and can't feel her "
        "legs, I'm worried sick about her",
        None,
    ),
    (
        "my brother texted me, he's lost feeling in both legs and keeps falling over, "
        "I've told him to go to A&E",
        None,
    ),
    (
        "My friend called me from work, she's got numbness down below and can't pee, I "
        "said ring 111",
        None,
    ),
    (
        "My uncle rang me last night, he's had a fall and now he can't feel his feet, but"
        " I'm fine, let's carry on",
        None,
    ),
    (
        "my gran gave me a ring, she can't hold her water and her legs keep giving way, "
        "I'm going round later",
        None,
    ),
    # Near misses: the user's own, or one here doing it.
    (
        "My dad rang me earlier, I've been wetting myself at night and can't feel my feet",
        "RED_FLAG_BLADDER",
    ),
    ("My dad rang me earlier and I can't feel my feet properly", "NUMBNESS"),
    (
        "My dad's here doing this with me, he's been wetting himself at night and can't "
        "feel his feet",
        "RED_FLAG_BLADDER",
    ),
    ("my sister texted me about her dog, but my legs are both numb", "RED_FLAG_BOTH_LEGS"),
    # More of someone else's complaint after a comma, a list of it.
    (
        "My brother's got sciatica really bad, burning down both legs, he's seeing the GP tomorrow",
        None,
    ),
    (
        "my friend has terrible sciatica, tingling in both feet and all that, she keeps "
        "messaging me about it",
        None,
    ),
    (
        "My husband's had the flu all week, shivering and sweating through the sheets, "
        "but I'm fine",
        None,
    ),
    ("my neighbour has sciatica, numbness down both legs and everything", None),
    (
        "My mum has a chest infection, fever, the shakes, the lot, so I'm doing this on "
        "my own today",
        None,
    ),
    ("my son is ill, fever, chills, the lot", None),
    # Near misses: the user's own words after the comma.
    ("My sister's got sciatica, and now I've got it shooting down both legs", "RED_FLAG_BOTH_LEGS"),
    ("my husband says I have sciatica, shooting down both legs", "RED_FLAG_BOTH_LEGS"),
    ("My brother's got sciatica, shooting down both legs for me too", "RED_FLAG_BOTH_LEGS"),
    ("my son is ill, I've got a fever and chills", "RED_FLAG_FEVER"),
    # Someone on a screen just named.
    (
        "My wife's watching a hospital drama beside me and some poor woman on it has just"
        " lost control of her bladder, I'm fine though",
        None,
    ),
    ("we're watching a documentary and a man on it can't feel his legs after a crash", None),
    ("I'm watching the news and some poor bloke on there fell off a roof, awful", None),
    (
        "There's a soap on the telly, a lady in it just collapsed, her legs went from under her",
        None,
    ),
    ("the kids have a film on and a girl in it has a fever and the shivers", None),
    # Near misses: the user's own, the screen beside them.
    ("I'm watching a hospital drama and my legs just gave way", "RED_FLAG_WEAKNESS"),
    ("my husband's watching a drama, my leg just collapsed under me", "RED_FLAG_WEAKNESS"),
    ("the telly is on and my foot's gone numb", "NUMBNESS"),
    # Come home or woken with it.
    (
        "My daughter came home from nursery with a temperature and the shivers, so she's "
        "on the sofa while I do this",
        None,
    ),
    ("my husband got sent home from work with the flu and chills", None),
    ("My son came back from school early with a fever", None),
    ("the little one woke up with a high temperature, so I'm doing the routine quietly", None),
    ("my wife came in from the garden with a fever and shaking", None),
    # Near misses: the user came home or woke with it.
    ("I came home from work with a fever and chills", "RED_FLAG_FEVER"),
    ("My son came home from school and I've got a fever and chills", "RED_FLAG_FEVER"),
    ("I woke up with a high temperature and the shivers", "RED_FLAG_FEVER"),
    # A nurse's own retention ("void").
    ("As a nurse, I'm telling you I can't pass urine, my bladder is full", "RED_FLAG_BLADDER"),
    ("I'm a nurse and I've been unable to void since this morning", "RED_FLAG_BLADDER"),
    (
        "I work on a ward so I know what this means, I think I'm in urinary retention",
        "RED_FLAG_BLADDER",
    ),
    ("I'm a nurse and I can barely void, it's just a dribble", "RED_FLAG_BLADDER"),
    ("I haven't voided since last night and my bladder feels full", "RED_FLAG_BLADDER"),
    # Near misses: a patient's, or another void.
    ("As a nurse I had a patient today who couldn't void at all", None),
    ("the contract is null and void, I'm just stretching now", None),
    ("I'm a nurse, we had a man in retention on the ward today, anyway, next stretch", None),
    # Those seen or looked after at work.
    ("I work on a ward and we saw loads of people with incontinence this week", None),
    ("I'm a carer and I looked after two residents with fevers today", None),
    ("we had a lady come in with foot drop and numbness down below", None),
    ("At work I saw a patient with saddle anaesthesia, scary stuff", None),
    ("I treated an old man who had lost control of his bladder", None),
    # Near misses: the nurse's or carer's own, work words beside.
    ("I'm a nurse and I've got incontinence myself now", "RED_FLAG_BLADDER"),
    ("At work today I went numb down below, sitting at the nurses' station", "RED_FLAG_SADDLE"),
    ("I work in a care home and I've got a fever and rigors", "RED_FLAG_FEVER"),
    # A resident or patient at a care home or hospital.
    ("A patient at the hospital had rigors last night, I was with him for hours", None),
    ("a resident at the nursing home had a fall this morning, I picked her up", None),
    ("One of the residents at the home had a temperature, I nursed her all day", None),
    ("the tenant at the care home next door had the shakes and a fever", None),
    # Near misses: the user's own there.
    ("I had rigors yesterday at the care home where I work", "RED_FLAG_FEVER"),
    ("I had a fall at the care home where I work this morning", "RED_FLAG_FALL"),
    (
        "I'm a resident at the care home and I've got the shivers and a temperature",
        "RED_FLAG_FEVER",
    ),
    # Work words and someone else's complaint beside the user's own.
    (
        "I'm a nurse, I had a patient with incontinence today and now I'm leaking myself",
        "RED_FLAG_BLADDER",
    ),
    (
        "At work we had a man with cauda equina, and now I've got saddle numbness myself",
        "RED_FLAG_SADDLE",
    ),
    (
        "we had a man come in with cauda equina, now I've got numbness down below too",
        "RED_FLAG_SADDLE",
    ),
    (
        "My husband's watching a hospital drama next to me and my leg just gave way",
        "RED_FLAG_WEAKNESS",
    ),
    ("my husband had the flu last week, now I've got a fever and chills", "RED_FLAG_FEVER"),
    ("my husband had the flu last week, shivering, aching, the lot", None),
    ("my husband had the flu last week, and I'm shivering now", "RED_FLAG_FEVER"),
]


@pytest.mark.parametrize(("text", "symptom_id"), _ROUND_14_whose)
def test_round_14_whose(text: str, symptom_id: str | None) -> None:
    """Batches 97-100 (group whose): whose symptom it is. Someone else's: one who rang or wrote to
    the user, someone on a screen just named, a child come home with a fever, patients and residents
    at work, and a complaint listed after a comma ("shooting down both legs", "saddle numbness and
    everything"). The user's to hear: one of the household doing the routine beside the user, or a
    carer asking if they may go on. A nurse's own retention ("I can't void"). With near misses:
    the user's own words beside the work words or the other person's. None: nothing detected."""
    _assert_read(text, symptom_id)
