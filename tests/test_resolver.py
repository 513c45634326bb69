"""Tests for skill.core.resolver: resolving utterances with the project's model and small inline
models."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import interaction_model
from interaction_model import source
from skill.core.alexa_intent import to_alexa_slots
from skill.core.durations import seconds_to_iso
from skill.core.intents import IntentName
from skill.core.resolution import (
    CLARIFY_MARGIN,
    COMMAND_CONFIDENCE,
    Clarification,
    Confirmation,
    Resolution,
    decide,
)
from skill.core.resolver import MIN_CONFIDENCE, Resolver
from skill.core.samples import ModelError


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.for_locale("en-US")


def _model(
    intents: list[dict[str, Any]], types: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    language: dict[str, Any] = {"invocationName": "test coach", "intents": intents}
    if types is not None:
        language["types"] = types
    return {"interactionModel": {"languageModel": language}}


def _slots(resolution: Resolution) -> dict[str, str | None]:
    return {name: resolution.value(name) for name in resolution.slots}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # A command in a clause of its own, the rest a story of why.
        ("I need a minute to get the towel", "AMAZON.PauseIntent"),
        ("hang on the phone's ringing", "AMAZON.PauseIntent"),
        ("hold on a second I need to get the door", "AMAZON.PauseIntent"),
        ("sorry, one moment", "AMAZON.PauseIntent"),
        ("skip it, I did that one this morning", "SkipIntent"),
        ("I did that one already so skip it", "SkipIntent"),
        ("got the ball in place, what's next", "AMAZON.NextIntent"),
        # Words run together.
        ("goback", "AMAZON.PreviousIntent"),
        ("skipthis one", "SkipIntent"),
    ],
)
def test_a_command_beside_a_story_is_the_command(
    resolver: Resolver, text: str, intent: str
) -> None:
    resolution = resolver.resolve(text)
    assert resolution.intent == intent
    assert resolution.confidence >= MIN_CONFIDENCE


@pytest.mark.parametrize(
    "text",
    [
        "I will start the laundry",  # one word of a command inside a story
        "go and do your homework",
        "okay, so my daughter set this up for me",
        "my son said hang on, I'll drive you",
        "someone's at the door",
    ],
)
def test_a_story_with_command_words_stays_a_story(resolver: Resolver, text: str) -> None:
    assert resolver.resolve(text).is_fallback


@pytest.mark.parametrize(
    "text",
    [
        # A request whose object is not the routine.
        "can you pause the telly",
        "go on then, have the last biscuit",
        "go on then have the last biscuit",
        "go back to your homework",
        "carry on with your dinner",
        "I keep counting the days",
        # An endearment first: said to someone in the room.
        "love, can you hang on a sec",
        "no darling, wait there",
        # A yes or a no beside a story about someone else.
        "No, he's back Thursday.",
        # A command after words that report it, or that make it a word of the story.
        "she always says keep going",
        "the film was too long",
    ],
)
def test_talk_to_someone_else_in_the_room_is_no_command(resolver: Resolver, text: str) -> None:
    assert resolver.resolve(text).is_fallback


@pytest.mark.parametrize("text", ["love, can you hang on a sec", "go back to your homework"])
def test_talk_to_someone_else_is_not_guessed_at(resolver: Resolver, text: str) -> None:
    # The guess would ask "Should I pause?" about words said to someone else.
    assert resolver.resolve(text).guess is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # The object is the routine's, or the words after the command tell why.
        ("pause the timer", "AMAZON.PauseIntent"),
        ("go back to the last one", "AMAZON.PreviousIntent"),
        ("hang on the phone's ringing", "AMAZON.PauseIntent"),
        ("wait wait the doorbell", "AMAZON.PauseIntent"),
        ("had my drink, keep going", "AMAZON.ResumeIntent"),
        ("done with the door, go on", "AMAZON.ResumeIntent"),
        # A word of address after the command, or an endearment that is a verb.
        ("hang on mate, the dog's nicked the ball", "AMAZON.PauseIntent"),
        ("next one please mate", "AMAZON.NextIntent"),
        ("carry on love", "AMAZON.ResumeIntent"),
        ("love this one, keep going", "AMAZON.ResumeIntent"),
        ("Skip this one, Coach", "SkipIntent"),
        ("Righto, on to the next one.", "AMAZON.NextIntent"),
        # A command said last, after what happened, with no punctuation.
        ("right doors sorted keep going", "AMAZON.ResumeIntent"),
        ("ok that ones done move on to the next", "AMAZON.NextIntent"),
    ],
)
def test_a_command_to_the_coach_among_talk_of_the_room_is_the_command(
    resolver: Resolver, text: str, intent: str
) -> None:
    assert resolver.resolve(text).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("on ye go", "AMAZON.ResumeIntent"),
        ("Okay, keep counting.", "AMAZON.ResumeIntent"),
        ("hold up", "AMAZON.PauseIntent"),
        ("hang on a sec", "AMAZON.PauseIntent"),
        ("Onwards.", "AMAZON.NextIntent"),
        ("righto, next", "AMAZON.NextIntent"),
        ("Miss this one out, the telly's in the way.", "SkipIntent"),
        ("say again mate", "AMAZON.RepeatIntent"),
        ("Didn't catch that.", "AMAZON.RepeatIntent"),
        ("why am i doing this one", "ExplainIntent"),
    ],
)
def test_terse_and_slangy_commands_said_mid_exercise(
    resolver: Resolver, text: str, intent: str
) -> None:
    assert resolver.resolve(text).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Issue #12's misses: asking what to say, why, to go back, to hear it again, how far
        # along, to end; skipping and changing a hold in non-native and British words.
        ("can you tell me what you can do", "AMAZON.HelpIntent"),
        ("My grandson set this up. What do I tell it to do?", "AMAZON.HelpIntent"),
        ("what are my options here", "AMAZON.HelpIntent"),
        ("I don't know how to use this thing.", "AMAZON.HelpIntent"),
        ("what am i allowed to type", "AMAZON.HelpIntent"),
        ("tell me what is the benefit of this one", "ExplainIntent"),
        ("what should I feel", "ExplainIntent"),
        ("what's this meant to do", "ExplainIntent"),
        ("how do i do this properly", "ExplainIntent"),
        ("Could we return to the last stretch?", "AMAZON.PreviousIntent"),
        ("id like to redo the previous stretch", "AMAZON.PreviousIntent"),
        ("rewind one", "AMAZON.PreviousIntent"),
        ("Say it one more time, slowly", "AMAZON.RepeatIntent"),
        ("could you repeat what you said", "AMAZON.RepeatIntent"),
        ("Are we nearly finished?", "ProgressIntent"),
        ("nearly done?", "ProgressIntent"),
        ("am I halfway through", "ProgressIntent"),
        ("finish", "AMAZON.StopIntent"),
        ("turn it off now", "AMAZON.StopIntent"),
        ("I think I'll stop there for now", "AMAZON.StopIntent"),
        ("let's leave it there, thank you", "AMAZON.StopIntent"),
        ("let's wrap it up", "AMAZON.StopIntent"),
        ("no roller here pass this one please", "SkipIntent"),
        ("We don't have the big ball at home, jump this exercise.", "SkipIntent"),
        ("please omit this exercise", "SkipIntent"),
        ("skip to the next one", "SkipIntent"),
        ("I cant do this one", "SkipIntent"),
        ("i can't manage this one", "SkipIntent"),
        ("this one's not for me", "SkipIntent"),
        ("decrease the holding time little", "ShorterHoldIntent"),
        ("Too long for me this hold, make short.", "ShorterHoldIntent"),
        ("trim the hold a little", "ShorterHoldIntent"),
        ("could you lengthen it", "LongerHoldIntent"),
        ("double the hold please", "LongerHoldIntent"),
    ],
)
def test_help_why_back_again_how_far_and_the_end_in_peoples_words(
    resolver: Resolver, text: str, intent: str
) -> None:
    assert resolver.resolve(text).intent == intent


def test_i_cant_do_this_one_skips_and_asks_nothing_but_a_weak_foot_is_a_red_flag(
    resolver: Resolver,
) -> None:
    # The word model took "I can't do this one" for a weak leg and the coach asked about it.
    resolution = resolver.resolve("I can't do this one")
    assert (resolution.intent, resolution.check) == ("SkipIntent", None)
    assert resolver.resolve("I can't do this one, my foot won't lift").intent == "PainIntent"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # A tag said last asks for agreement: the command is what was said, not a yes.
        ("make it a bit longer, yeah?", "LongerHoldIntent"),
        ("skip this one yeah", "SkipIntent"),
        ("can we pause okay", "AMAZON.PauseIntent"),
        ("yeah", "AMAZON.YesIntent"),
        ("yeah okay", "AMAZON.YesIntent"),
    ],
)
def test_a_tag_after_a_command_is_no_yes(resolver: Resolver, text: str, intent: str) -> None:
    resolution = resolver.resolve(text)
    assert resolution.intent == intent
    assert resolution.confidence >= COMMAND_CONFIDENCE, resolution


def test_a_few_more_seconds_on_this_one_is_a_longer_hold(resolver: Resolver) -> None:
    # "{duration} on this one" alone sets the hold; "another" adds to it.
    resolution = resolver.resolve("another ten seconds on this one please")
    assert resolution.intent == "LongerHoldIntent"
    assert resolution.value("duration") == "PT10S"
    assert resolver.resolve("lengthen it by 45 seconds").value("duration") == "PT45S"


@pytest.mark.parametrize(
    "text",
    [
        # What the phrasings above were checked against: the same words said to someone else
        # or about something else. The phrasings that would take them are not samples.
        "leave this one for me, love",
        "switch off the light",
        "what's left in the fridge",
        "see you tomorrow love",
        "are we there yet kids",
        "that was too quick for me to catch",
        "Finish your cereal before it goes soggy",
        "pass the salt",
        "I'm nearly done with the washing up",
        "the film was way too long, they should have cut it",
        "is the plumber nearly done, he's been hours",
        "the potatoes need more time, leave them in",
        "hold on let me walk you to the car",
        "the telly is on pause",
        "the film was on repeat",
    ],
)
def test_the_same_words_about_something_else_stay_unresolved(resolver: Resolver, text: str) -> None:
    assert resolver.resolve(text).is_fallback, text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ok the baby is settled resume", "AMAZON.ResumeIntent"),
        ("ok doors answered you can unpause now", "AMAZON.ResumeIntent"),
        ("right that is sorted skip", "SkipIntent"),
    ],
)
def test_a_command_of_one_word_said_last_after_a_story_is_one(
    resolver: Resolver, text: str, intent: str
) -> None:
    assert resolver.resolve(text).intent == intent, text


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("uh wait a sec wait", "AMAZON.PauseIntent", {}),
        ("go back go back", "AMAZON.PreviousIntent", {}),
        ("hold two minutes two minutes", "SetHoldIntent", {"duration": "PT2M"}),
        # Another phrase of the story said again is no repeat of the command.
        (
            "half a minute suits me best so set the hold to half a minute",
            "SetHoldIntent",
            {"duration": "PT30S"},
        ),
    ],
)
def test_a_command_said_again_to_be_heard_is_read_once(
    resolver: Resolver, text: str, intent: str, slots: dict[str, str]
) -> None:
    resolution = resolver.resolve(text)
    assert (resolution.intent, _slots(resolution)) == (intent, slots), text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hang on the kids are in can you skip this one", "SkipIntent"),
        ("wait i lost count can you go back", "AMAZON.PreviousIntent"),
        # A command for later leaves the wait the command.
        ("hang on, need the loo, then we can carry on", "AMAZON.FallbackIntent"),
    ],
)
def test_a_wait_said_first_only_asks_to_be_heard_for_the_command_after_it(
    resolver: Resolver, text: str, intent: str
) -> None:
    assert resolver.resolve(text).intent == intent, text


@pytest.mark.parametrize("text", ["i dont want to do this one skip it", "yes, skip it"])
def test_a_yes_or_a_no_beside_a_command_leaves_the_command(resolver: Resolver, text: str) -> None:
    assert resolver.resolve(text).intent == "SkipIntent", text


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("stop no not stop just pause", "AMAZON.PauseIntent", {}),
        ("longer no sorry shorter i meant shorter", "ShorterHoldIntent", {}),
        ("repeat no forget it skip", "SkipIntent", {}),
        ("next no actually skip it i wont do it", "SkipIntent", {}),
        # A value said after a value replaces it, with or without the words around it.
        ("set it to forty no fifty seconds", "SetHoldIntent", {"duration": "PT50S"}),
        ("hold for a min i mean ninety seconds", "SetHoldIntent", {"duration": "PT1M30S"}),
    ],
)
def test_the_command_said_after_a_correction_is_the_one_meant(
    resolver: Resolver, text: str, intent: str, slots: dict[str, str]
) -> None:
    resolution = resolver.resolve(text)
    assert (resolution.intent, _slots(resolution)) == (intent, slots), text
    assert resolution.confidence < 0.9  # as an aside: the words before were read too


@pytest.mark.parametrize("text", ["there is no next one", "they said no next time"])
def test_no_that_corrects_nothing_begun_is_no_correction(resolver: Resolver, text: str) -> None:
    assert resolver.resolve(text).is_fallback, text


def test_a_command_beside_a_story_is_less_sure_than_one_said_alone(resolver: Resolver) -> None:
    # Below the command bar, so the story is still read for a symptom it may tell.
    aside = resolver.resolve("pause please, the dog wants out")
    assert aside.intent == "AMAZON.PauseIntent"
    assert aside.confidence < 0.9
    assert resolver.resolve("pause please").confidence >= 0.9


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        # A time phrase after a command: how long, not what.
        ("hang on a tick", "AMAZON.PauseIntent", {}),
        ("brb 2 mins", "AMAZON.PauseIntent", {}),
        ("I think I'll stop there for tonight, thank you.", "AMAZON.StopIntent", {}),
        # A reason told as a clause of its own, without punctuation.
        ("hang on kids are yelling", "AMAZON.PauseIntent", {}),
        ("brb door", "AMAZON.PauseIntent", {}),
        ("stop there i have to cook dinner", "AMAZON.StopIntent", {}),
        (
            "Hang on there a sec, I'm after losing the ball behind the chair",
            "AMAZON.PauseIntent",
            {},
        ),
        # A place or object of the routine, after the command or inside it.
        ("more time on this one please", "LongerHoldIntent", {}),
        ("I'll skip the floor one, the dog's on the mat.", "SkipIntent", {}),
        ("stay on this one longer", "LongerHoldIntent", {}),
        ("can we hold this a bit longer", "LongerHoldIntent", {}),
        ("another 10 secs on this one pls", "LongerHoldIntent", {"duration": "PT10S"}),
        # Words of degree or size inside a command.
        ("can we take a quick break", "AMAZON.PauseIntent", {}),
        ("could we go a whole minute longer on this one", "LongerHoldIntent", {"duration": "PT1M"}),
        ("a tiny bit shorter", "ShorterHoldIntent", {}),
        # A negated request of a hold.
        ("can we not hold it as long", "ShorterHoldIntent", {}),
        ("don't make it so long", "ShorterHoldIntent", {}),
        # An amount, "more", its unit; a request without its "i"; a wait's length.
        ("Twenty more seconds on this one, mate.", "LongerHoldIntent", {"duration": "PT20S"}),
        ("Need a minute to grab some water.", "AMAZON.PauseIntent", {}),
        ("gimme two secs to get a towel", "AMAZON.PauseIntent", {}),
        ("thirty seconds", "SetHoldIntent", {"duration": "PT30S"}),  # a hold's, not a wait's
    ],
)
def test_the_words_around_a_command_are_read_by_what_they_are(
    resolver: Resolver, text: str, intent: str, slots: dict[str, str]
) -> None:
    resolution = resolver.resolve(text)
    assert resolution.intent == intent
    assert {name: resolution.value(name) for name in resolution.slots} == slots


@pytest.mark.parametrize(
    "text",
    [
        "hang on to the receipt",
        "next time I'll bring a towel",
        "stop taking the tablets",
        "wait times are long",
        "stop signs are everywhere",
        "next door",
        "it is not that long",
        "i do not hold grudges as long as my sister",
        "looks like the storm is holding off for now",
        "Can't wait for the summer, I'll do this in the garden.",
    ],
)
def test_words_around_command_words_that_are_none_of_these_stay_talk(
    resolver: Resolver, text: str
) -> None:
    assert resolver.resolve(text).is_fallback


def test_a_reason_after_a_command_is_an_aside_and_a_second_command_is_no_reason(
    resolver: Resolver,
) -> None:
    # Below the command bar, so the story is still read for a symptom it may tell.
    assert resolver.resolve("hang on kids are yelling").confidence < 0.9
    assert resolver.resolve("hang on a tick").confidence >= 0.9
    # "i want to stop" is a command of its own: two readings, asked about (test_decide_...).
    assert resolver.resolve("skip this step i want to stop").runner_up is not None


def test_a_stop_for_a_while_is_no_end_of_the_session(resolver: Resolver) -> None:
    # A wait's length tells a wait only; "stop for now" ends the session.
    assert resolver.resolve("stop for a minute").intent != "AMAZON.StopIntent"
    assert resolver.resolve("stop for now").intent == "AMAZON.StopIntent"


@pytest.mark.parametrize(
    ("halves", "reached"),
    [
        # (commands right, chat resolved) on each half, as reached. Raised in the round on
        # blind7/blind8's tuning halves: the structure (self-corrections, a command said again,
        # a command of one word said last after a story, a wait said first only to be heard, a
        # yes or a no beside a command) and first-time users' phrasings ("how do I control
        # this", "freeze the count", "cut it by half a minute").
        ("BLIND_HALVES", ((86, 1), (75, 0))),
        ("BLIND2_HALVES", ((81, 1), (70, 0))),
        ("BLIND3_HALVES", ((69, 0), (88, 0))),
        ("BLIND4_HALVES", ((81, 0), (73, 3))),
        # blind5_heldout 57 -> 56 since the word model became logistic regression: the old
        # one asked about the bladder in "please return to previous exercise, I did not do it
        # properly", and a question made the resolver read the sentence clause by clause; now
        # it is a fallback that asks "previous?" (its right guess).
        ("BLIND5_HALVES", ((71, 2), (56, 0))),
        ("BLIND6_HALVES", ((68, 0), (64, 2))),
        # Measured once before that round (tuning 38 and 43 of 91 commands, held-out 29 and
        # 40, chat resolved 4 and 4), and after it: these.
        ("BLIND7_HALVES", ((58, 2), (36, 3))),
        ("BLIND8_HALVES", ((64, 0), (48, 4))),
        # Written on 2026-12-03, measured once, before any mending against them: the measure
        # now (a cross-section of users who know the coach a little; out of breath or
        # distracted). Tuning halves raised in the round on them (41 and 60 commands, 3 and 5
        # chat resolved before; `test_round_blind9_10`). Held-out halves measured after it: 79
        # and 56 commands (75 and 55 before), chat 0 and 4 (1 and 4). Every floor above is
        # what that round reached.
        ("BLIND9_HALVES", ((51, 0), (79, 0))),
        ("BLIND10_HALVES", ((81, 0), (56, 4))),
    ],
)
def test_the_blind_corpus_figures(
    resolver: Resolver, halves: str, reached: tuple[tuple[int, int], ...]
) -> None:
    # Written by authors who read nothing of ours; the samples and the resolver were mended
    # against the tuning halves only. The goal is the corpus's own (95 % of commands, at most
    # 2 % of chat), met on neither held-out half: these floors are what was reached, so that a
    # change that loses ground fails here (README, "Understanding what people say").
    corpus = _corpus()
    for half, (commands, chat) in zip(getattr(corpus, halves), reached, strict=True):
        figures = corpus.evaluate(resolver, corpus.load(half))
        print(
            f"{half}: {figures.commands_right}/{figures.commands} commands,"
            f" {figures.chat_resolved}/{figures.chat} chat resolved"
        )
        assert figures.commands_right >= commands, figures.wrong
        assert figures.chat_resolved <= chat, figures.wrong


_GUESS_HALVES: dict[str, tuple[int, int, int]] = {
    # (commands asked about with the right guess, with a wrong one, chit-chat asked about), as
    # reached. `heldout` is held out: its figures are looked at, never tuned on.
    # tuning's chat 2 -> 3 since the word model became logistic regression: "I don't want to
    # repeat what happened last time" was asked about the bladder, now about "repeat?".
    "tuning": (0, 0, 3),
    "heldout": (0, 0, 1),
    "blind_tuning": (2, 0, 0),
    # Four of blind_heldout's right guesses ("pause a minute my little one's just woken up",
    # "add five more seconds", "can we not hold it as long", ...) are read outright since the
    # words around a command are (skill/core/tails.py).
    # Two more ("please increase the hold time by ten seconds", "these holds are a bit long for
    # me, can you shorten them") are read by samples since the round of first-time users'
    # phrasings.
    "blind_heldout": (10, 1, 1),
    # blind2_tuning's wrong guess ("i am not understanding how to do this one explain please")
    # is read outright now; one right guess ("im not doing that one too much fuss skip") fell
    # below the evidence a guess needs when the Skip samples grew (its word "fuss" is unknown).
    "blind2_tuning": (7, 0, 0),
    # One of blind2_heldout's 23 ("why am i doing this one") is read by a sample now, not guessed;
    # three more ("I think we'll call it a day there, dear.", "Could you let me stay in this
    # one a little longer, dear?", "I'd like to go back to the one we did before this.") are
    # read outright since the words around a command are (skill/core/tails.py).
    # Since the round of first-time users' phrasings four more are read by samples ("How long
    # is left of this session?", "How much longer will this take? I have the bus at eleven.",
    # "Kindly keep the timer at fifty seconds for each hold.", "Please put the time to forty
    # seconds."), and one guess is lost ("These holds are over before I'm in position. Make them
    # longer.": "before" and "position" are words of other intents' samples now, and its first
    # clause reads as ready).
    # Since the round on blind9/blind10's tuning halves one more of its right guesses is read
    # outright (its commands right went from 69 to 70): 13 asked right, 14 before.
    "blind2_heldout": (13, 0, 1),
}


@pytest.mark.parametrize("half", list(_GUESS_HALVES))
def test_the_guesses_figures(resolver: Resolver, half: str) -> None:
    # A sentence no sample reads may carry a guess, which the local coach asks about; floors
    # and ceilings at what was reached, so that a change that loses ground fails here (README,
    # "Understanding what people say").
    right, wrong, chat = _GUESS_HALVES[half]
    figures = _corpus().evaluate(resolver, _corpus().load(half))
    print(
        f"{half}: asked right {figures.asked_right}, asked wrong {figures.asked_wrong},"
        f" ignored {figures.ignored}, chat asked {figures.chat_asked}/{figures.chat}"
    )
    assert figures.asked_right >= right, figures.wrong
    assert figures.asked_wrong <= wrong, figures.wrong
    assert figures.chat_asked <= chat, figures.wrong


def test_most_commands_no_sample_reads_are_guessed_right_and_little_chat_is_asked_about(
    resolver: Resolver,
) -> None:
    corpus = _corpus()
    tuned_on = [half for half in _GUESS_HALVES if half != "heldout"]
    halves = [corpus.evaluate(resolver, corpus.load(half)) for half in tuned_on]
    right = sum(figures.asked_right for figures in halves)
    unread = right + sum(figures.asked_wrong + figures.ignored for figures in halves)
    assert right > unread / 2
    chat = sum(figures.chat for figures in halves)
    assert sum(figures.chat_asked for figures in halves) <= chat / 20
    # A guess is only ever asked about: it rides on the fallback, never on a reading acted on.
    for half in _GUESS_HALVES:
        for case in corpus.load(half):
            resolution = resolver.resolve(case.text)
            assert resolution.guess is None or resolution.is_fallback, case.text


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("start the piriformis release", "StartRoutineIntent", {"routine": "piriformis-release"}),
        ("Start the Piriformis Release!", "StartRoutineIntent", {"routine": "piriformis-release"}),
        ("let's do the glute release", "StartRoutineIntent", {"routine": "piriformis-release"}),
        ("start foam rolling", "StartRoutineIntent", {"routine": "foam-roller"}),
        ("knots", "StartRoutineIntent", {"routine": "trigger-points"}),
        ("do some stretching", "StartRoutineIntent", {"routine": "gentle-stretches"}),
        ("start the sciatica routine", "StartRoutineIntent", {"routine": "sciatica-quick-relief"}),
        ("start", "StartRoutineIntent", {}),
        ("what routines do you have", "ListRoutinesIntent", {}),
        ("longer hold", "LongerHoldIntent", {}),
        ("hold it longer", "LongerHoldIntent", {}),
        ("give me more time", "LongerHoldIntent", {}),
        ("hold twenty seconds longer", "LongerHoldIntent", {"duration": "PT20S"}),
        ("give me 10 seconds more", "LongerHoldIntent", {"duration": "PT10S"}),
        ("make it shorter", "ShorterHoldIntent", {}),
        ("ten seconds shorter", "ShorterHoldIntent", {"duration": "PT10S"}),
        ("hold for forty five seconds", "SetHoldIntent", {"duration": "PT45S"}),
        ("hold for 45 seconds", "SetHoldIntent", {"duration": "PT45S"}),
        ("hold for forty-five seconds.", "SetHoldIntent", {"duration": "PT45S"}),
        ("set the hold to a minute and a half", "SetHoldIntent", {"duration": "PT1M30S"}),
        ("half a minute", "SetHoldIntent", {"duration": "PT30S"}),
        ("skip this one", "SkipIntent", {}),
        ("how many left", "ProgressIntent", {}),
        ("how long is left", "ProgressIntent", {}),
        ("why does this help", "ExplainIntent", {}),
        ("that hurts", "PainIntent", {"symptom": "PAIN"}),
        ("ouch", "PainIntent", {"symptom": "PAIN"}),
        ("my leg is numb", "PainIntent", {"symptom": "NUMBNESS"}),
        ("I have pins and needles in my leg", "PainIntent", {"symptom": "TINGLING"}),
        ("I can't control my bladder", "PainIntent", {"symptom": "RED_FLAG_BLADDER"}),
        ("I lost bowel control", "PainIntent", {"symptom": "RED_FLAG_BLADDER"}),
        ("it's numb between my legs", "PainIntent", {"symptom": "RED_FLAG_SADDLE"}),
        ("my groin is numb", "PainIntent", {"symptom": "RED_FLAG_SADDLE"}),
        ("my leg is getting weaker", "PainIntent", {"symptom": "RED_FLAG_WEAKNESS"}),
        ("my leg gave way", "PainIntent", {"symptom": "RED_FLAG_WEAKNESS"}),
        ("I fell", "PainIntent", {"symptom": "RED_FLAG_FALL"}),
        ("I have a fever", "PainIntent", {"symptom": "RED_FLAG_FEVER"}),
        ("what's next", "AMAZON.NextIntent", {}),
        ("next", "AMAZON.NextIntent", {}),
        ("I'm done", "AMAZON.NextIntent", {}),
        ("i am done", "AMAZON.NextIntent", {}),
        ("go back", "AMAZON.PreviousIntent", {}),
        ("do that again", "AMAZON.RepeatIntent", {}),
        ("hold on", "AMAZON.PauseIntent", {}),
        ("keep going", "AMAZON.ResumeIntent", {}),
        ("start over", "AMAZON.StartOverIntent", {}),
        ("help", "AMAZON.HelpIntent", {}),
        ("stop", "AMAZON.StopIntent", {}),
        ("cancel", "AMAZON.CancelIntent", {}),
        ("go home", "AMAZON.NavigateHomeIntent", {}),
        ("yes", "AMAZON.YesIntent", {}),
        ("OK.", "AMAZON.YesIntent", {}),
        ("no thanks", "AMAZON.NoIntent", {}),
        ("um, next please", "AMAZON.NextIntent", {}),
        # How first-time users say the commands, who do not know the command words.
        ("how do I control you", "AMAZON.HelpIntent", {}),
        ("explain this one", "ExplainIntent", {}),
        ("which side am I on", "ExplainIntent", {}),
        ("when does this hold end", "ProgressIntent", {}),
        ("cut the hold by ten seconds", "ShorterHoldIntent", {"duration": "PT10S"}),
        ("could you hold it a touch longer", "LongerHoldIntent", {}),
        ("freeze the timer", "AMAZON.PauseIntent", {}),
        ("back up one", "AMAZON.PreviousIntent", {}),
        ("drop this exercise", "SkipIntent", {}),
        ("that's plenty for today", "AMAZON.StopIntent", {}),
        ("longer hole please", "LongerHoldIntent", {}),
        (
            "Alexa, ask massage coach to start the foam roller",
            "StartRoutineIntent",
            {"routine": "foam-roller"},
        ),
    ],
)
def test_resolves_the_projects_phrases(
    resolver: Resolver, text: str, intent: str, slots: dict[str, str]
) -> None:
    resolution = resolver.resolve(text)
    assert (resolution.intent, _slots(resolution)) == (intent, slots)


@pytest.mark.parametrize(
    "text", ["banana split", "what's the weather in paris", "", "   ", "!!!", "please"]
)
def test_unmatched_text_is_the_fallback_not_a_nearest_guess(resolver: Resolver, text: str) -> None:
    resolution = resolver.resolve(text)
    assert resolution.is_fallback
    assert resolution.intent == IntentName.FALLBACK
    assert resolution.slots == {}
    assert resolution.sample is None


def test_an_unknown_routine_is_kept_unresolved_as_alexa_does(resolver: Resolver) -> None:
    resolution = resolver.resolve("start the yoga routine")
    assert resolution.intent == "StartRoutineIntent"
    slot = resolution.slots["routine"]
    assert (slot.value, slot.resolved_id, slot.resolved_name, slot.matched) == (
        "yoga",
        None,
        None,
        False,
    )
    authority = to_alexa_slots(resolution)["routine"]["resolutions"]["resolutionsPerAuthority"][0]
    assert authority["status"] == {"code": "ER_SUCCESS_NO_MATCH"}
    assert "values" not in authority


def test_resolved_slot_carries_spoken_words_canonical_name_and_id(resolver: Resolver) -> None:
    slot = resolver.resolve("let's do the glute release").slots["routine"]
    assert slot.value == slot.spoken == "glute release"
    assert (slot.resolved_id, slot.resolved_name) == ("piriformis-release", "Piriformis release")
    assert slot.slot_type == "ROUTINE_NAME"
    assert slot.is_custom
    assert slot.matched


def test_the_literal_sample_beats_a_slot_filler(resolver: Resolver) -> None:
    # "start {routine}" could take "over" as an unknown routine; "start over" is more specific.
    assert resolver.resolve("start over").intent == "AMAZON.StartOverIntent"
    assert resolver.resolve("i feel fine").intent == "AMAZON.ResumeIntent"
    # "i feel {symptom}" is gone: a feeling is pain only when it is a known symptom.
    assert resolver.resolve("my leg feels numb").value("symptom") == "NUMBNESS"
    assert resolver.resolve("i feel dizzy").is_fallback


def test_most_specific_match_wins_in_an_inline_model() -> None:
    model = _model(
        [
            {
                "name": "PlayIntent",
                "slots": [{"name": "thing", "type": "THING"}],
                "samples": ["play {thing}", "play the {thing} game", "{thing}"],
            },
            {"name": "MusicIntent", "samples": ["play music"]},
            {"name": "AMAZON.StopIntent", "samples": []},
        ],
        [{"name": "THING", "values": [{"id": "BALL", "name": {"value": "ball"}}]}],
    )
    resolver = Resolver.from_model(model)
    assert resolver.resolve("play music").intent == "MusicIntent"
    assert resolver.resolve("play ball").slots["thing"].resolved_id == "BALL"
    # Unknown words fill a slot only between words of the sample: "play chess" could be anything.
    assert resolver.resolve("play the chess game").slots["thing"].value == "chess"
    assert resolver.resolve("play chess").is_fallback
    # A sample that is only a slot takes known values, never arbitrary words.
    assert resolver.resolve("ball").intent == "PlayIntent"
    assert resolver.resolve("chess").is_fallback
    # Alexa's own phrasings of a declared built-in work without samples ...
    assert resolver.resolve("stop").intent == "AMAZON.StopIntent"
    # ... but only for built-ins the model declares.
    assert resolver.resolve("help").is_fallback
    assert resolver.intents == ("PlayIntent", "MusicIntent", "AMAZON.StopIntent")


def test_number_slots_become_digits() -> None:
    model = _model(
        [
            {
                "name": "RepsIntent",
                "slots": [{"name": "count", "type": "AMAZON.NUMBER"}],
                "samples": ["do {count} reps"],
            }
        ]
    )
    resolver = Resolver.from_model(model)
    for text in ("do twelve reps", "do 12 reps", "Do one hundred and twelve reps"):
        slot = resolver.resolve(text).slots["count"]
        assert slot.value in ("12", "112")
        assert slot.slot_type == "AMAZON.NUMBER"
    assert resolver.resolve("do many reps").is_fallback
    assert ("RepsIntent", "do one reps") in resolver.phrases(max_per_slot=1)


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("nxt pls", "AMAZON.NextIntent", {}),
        ("gimme a sec", "AMAZON.PauseIntent", {}),
        ("brb", "AMAZON.PauseIntent", {}),
        ("brb, kettle", "AMAZON.PauseIntent", {}),  # the clause path reads it too
        ("cn u repeat", "AMAZON.RepeatIntent", {}),
        ("hlp", "AMAZON.HelpIntent", {}),
        ("plz stop", "AMAZON.StopIntent", {}),
        ("wanna skip this 1", "SkipIntent", {}),
        ("ready 2 go", "ReadyIntent", {}),
        ("hold 4 30 secs", "SetHoldIntent", {"duration": "PT30S"}),
        ("k", "AMAZON.YesIntent", {}),
    ],
)
def test_typed_shorthand_resolves(
    resolver: Resolver, text: str, intent: str, slots: dict[str, str]
) -> None:
    resolution = resolver.resolve(text)
    assert (resolution.intent, _slots(resolution)) == (intent, slots)


@pytest.mark.parametrize(
    "text",
    [
        "nxt time ill do this b4 breakfast",
        "gonna do this in the mornings from next week on",
        "thx 4 the tips",
        "u r the best",
        "lol ur funny",
        "brb was what my sister texted",
    ],
)
def test_chat_in_shorthand_stays_unresolved(resolver: Resolver, text: str) -> None:
    assert resolver.resolve(text).is_fallback


def test_every_phrase_of_the_model_resolves_to_its_own_intent(resolver: Resolver) -> None:
    wrong = [
        (intent, phrase, resolver.resolve(phrase).intent)
        for intent, phrase in resolver.phrases(max_per_slot=None)
        if resolver.resolve(phrase).intent != intent
    ]
    assert wrong == []


@pytest.mark.parametrize("type_name", ["ROUTINE_NAME", "SYMPTOM"])
def test_every_value_and_synonym_resolves_to_its_id(resolver: Resolver, type_name: str) -> None:
    intent, slot = {
        "ROUTINE_NAME": ("StartRoutineIntent", "routine"),
        "SYMPTOM": ("PainIntent", "symptom"),
    }[type_name]
    for value in source.SLOT_TYPES[type_name]:
        for phrase in (value.name, *value.synonyms):
            resolution = resolver.resolve(phrase)
            assert resolution.intent == intent, phrase
            assert resolution.value(slot) == value.id, phrase


def test_phrases_fill_slots_with_example_values(resolver: Resolver) -> None:
    few = resolver.phrases(max_per_slot=2)
    everything = resolver.phrases(max_per_slot=None)
    assert len(few) < len(resolver.phrases()) < len(everything)
    assert len(set(everything)) == len(everything)
    assert ("LongerHoldIntent", "hold thirty seconds longer") in few
    assert ("StartRoutineIntent", "start the sciatica quick relief") in few
    assert ("StartRoutineIntent", "start the piriformis release") in few  # names come first
    assert ("AMAZON.StopIntent", "stop") in few  # built-in phrasing included
    for _, phrase in everything:
        assert "{" not in phrase
        assert phrase == phrase.lower()


def test_bad_models_raise_model_errors() -> None:
    with pytest.raises(ModelError, match="no languageModel"):
        Resolver.from_model({"interactionModel": {}})
    with pytest.raises(ModelError, match="undeclared slot"):
        Resolver.from_model(_model([{"name": "X", "samples": ["go {where}"]}]))
    with pytest.raises(ModelError, match="unknown slot type NOPE"):
        Resolver.from_model(
            _model([{"name": "X", "slots": [{"name": "a", "type": "NOPE"}], "samples": ["{a}"]}])
        )


def test_for_locale_builds_each_locale_once() -> None:
    assert Resolver.for_locale("en-GB") is Resolver.for_locale("en-GB")
    for locale in interaction_model.LOCALES:
        assert Resolver.for_locale(locale).resolve("what's next").intent == "AMAZON.NextIntent"


@given(st.integers(min_value=1, max_value=3600))
def test_typed_and_spoken_numbers_give_the_same_duration(seconds: int) -> None:
    resolver = Resolver.for_locale()
    typed = resolver.resolve(f"hold for {seconds} seconds")
    assert typed.intent == "SetHoldIntent"
    assert typed.slots["duration"].value == seconds_to_iso(seconds)


@given(st.text(max_size=60))
def test_any_text_resolves_to_a_model_intent_or_the_fallback(text: str) -> None:
    resolver = Resolver.for_locale()
    resolution = resolver.resolve(text)
    assert resolution.intent in resolver.intents or resolution.is_fallback
    assert set(resolution.slots) <= {name for name, _ in resolution.declared_slots}


# --- tolerance -------------------------------------------------------------------------------


def _corpus() -> Any:
    path = Path(__file__).parent / "data" / "resolver" / "corpus.py"
    spec = importlib.util.spec_from_file_location("resolver_corpus", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("resolver_corpus", module)
    spec.loader.exec_module(module)
    return module


def test_the_corpus_halves_are_big_enough_and_disjoint() -> None:
    corpus = _corpus()
    tuning, heldout = corpus.load("tuning"), corpus.load("heldout")
    assert len(tuning) + len(heldout) >= 150
    assert not {case.text for case in tuning} & {case.text for case in heldout}
    for half in (tuning, heldout):
        assert sum(case.intent is None for case in half) >= 40
        assert sum(case.intent is not None for case in half) >= 40


@pytest.mark.parametrize("half", ["tuning", "heldout"])
def test_the_corpus_meets_its_targets(resolver: Resolver, half: str) -> None:
    corpus = _corpus()
    figures = corpus.evaluate(resolver, corpus.load(half))
    assert figures.command_rate >= 0.95, figures.wrong
    assert figures.chat_rate <= 0.02, figures.wrong


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("okay next please", "AMAZON.NextIntent", {}),
        ("can we skip this one", "SkipIntent", {}),
        ("could you make the hold a bit longer", "LongerHoldIntent", {}),
        ("I'd like to hold for forty-five seconds", "SetHoldIntent", {"duration": "PT45S"}),
        ("okay let's hold for forty five seconds", "SetHoldIntent", {"duration": "PT45S"}),
        ("just hold it for 45 seconds please", "SetHoldIntent", {"duration": "PT45S"}),
    ],
)
def test_a_command_inside_a_sentence_resolves(
    resolver: Resolver, text: str, intent: str, slots: dict[str, str]
) -> None:
    resolution = resolver.resolve(text)
    assert (resolution.intent, _slots(resolution)) == (intent, slots)
    assert MIN_CONFIDENCE <= resolution.confidence < 1.0
    assert resolution.skipped


@pytest.mark.parametrize(
    "text",
    [
        "I feel great",
        "the weather is lovely today",
        "next week I travel to Paris",
        "hold the door",
        "I skipped breakfast",
        "stop by the shop later",
        "keep going straight ahead",
        "okay then",
        "start the car",
    ],
)
def test_everyday_sentences_stay_unresolved(resolver: Resolver, text: str) -> None:
    assert resolver.resolve(text).is_fallback


def test_confidence_falls_with_each_word_left_out_and_most_for_words_after(
    resolver: Resolver,
) -> None:
    whole = resolver.resolve("skip this one")
    filler = resolver.resolve("okay skip this one")
    before = resolver.resolve("honestly skip this one")
    after = resolver.resolve("skip this one honestly")
    assert (whole.confidence, whole.skipped) == (1.0, ())
    assert filler.skipped == ("okay",)
    assert before.skipped == ("honestly",)
    assert 1.0 > filler.confidence > before.confidence > after.confidence


def test_unknown_words_fill_a_slot_only_in_a_whole_match_between_sample_words(
    resolver: Resolver,
) -> None:
    assert resolver.resolve("start the yoga routine").slots["routine"].matched is False
    assert resolver.resolve("okay start the yoga routine").is_fallback
    assert resolver.resolve("okay start the foam roller").value("routine") == "foam-roller"


def test_a_pain_reading_wins_over_any_other(resolver: Resolver) -> None:
    resolution = resolver.resolve("it hurts stop")
    assert resolution.intent == "PainIntent"
    assert resolution.runner_up is not None
    assert resolution.runner_up.intent == "AMAZON.StopIntent"
    assert decide(resolution, margin=1.0) is resolution  # never a question


def test_the_fallback_has_no_confidence(resolver: Resolver) -> None:
    resolution = resolver.resolve("banana split")
    assert resolution.confidence == 0.0
    assert resolution.runner_up is None


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("skip this step i want to stop", "Stop, or skip this step?"),
        ("i am done skip this step", "Skip this step, or go on to the next step?"),
        ("wait stop", "Pause, or stop?"),
    ],
)
def test_decide_asks_when_two_readings_are_close(
    resolver: Resolver, text: str, question: str
) -> None:
    resolution = resolver.resolve(text)
    assert resolution.runner_up is not None
    assert resolution.confidence - resolution.runner_up.confidence <= CLARIFY_MARGIN
    decision = decide(resolution)
    assert isinstance(decision, Clarification)
    assert decision.question == question
    assert (decision.first, decision.second) == (resolution, resolution.runner_up)


@pytest.mark.parametrize("text", ["skip this step", "okay skip this step now", "banana"])
def test_decide_acts_on_a_clear_reading(resolver: Resolver, text: str) -> None:
    resolution = resolver.resolve(text)
    assert decide(resolution) is resolution


def test_every_intent_of_the_model_can_be_named_in_a_question(resolver: Resolver) -> None:
    named = {
        intent
        for intent in resolver.intents
        if intent != IntentName.FALLBACK
        and isinstance(
            decide(
                Resolution(
                    intent,
                    confidence=0.7,
                    runner_up=Resolution("AMAZON.StopIntent", confidence=0.7),
                )
            ),
            Clarification,
        )
    }
    assert named == set(resolver.intents) - {IntentName.FALLBACK, "PainIntent"}


def test_a_routine_named_among_other_words_is_confirmed_before_it_starts(
    resolver: Resolver,
) -> None:
    named = resolver.resolve("I hate the foam roller")
    decision = decide(named)
    assert isinstance(decision, Confirmation)
    assert decision.reading is named
    assert decision.question == "Start the Foam roller routine? Say yes or no."
    # Asked for in words of its own, or by its name alone, it is acted on.
    for text in ("start the foam roller", "foam roller"):
        plain = resolver.resolve(text)
        assert decide(plain) is plain


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I have to go", "AMAZON.StopIntent"),  # leaving, not "go" (ready)
        ("gotta go", "AMAZON.StopIntent"),
        ("i need to go", "AMAZON.StopIntent"),
        ("i need to go to the loo", "AMAZON.PauseIntent"),  # back in a minute
        ("I need the toilet, back in a minute", "AMAZON.PauseIntent"),
        ("brb", "AMAZON.PauseIntent"),
        ("go", "ReadyIntent"),
    ],
)
def test_leaving_and_the_toilet_are_told_apart(resolver: Resolver, text: str, intent: str) -> None:
    assert resolver.resolve(text).intent == intent


@pytest.mark.parametrize(
    "text", ["be right back", "I'll be right back", "back in a minute", "be back in a sec"]
)
def test_saying_one_will_be_right_back_pauses(resolver: Resolver, text: str) -> None:
    # "back" alone is the step before; said of oneself coming back, it is a pause.
    assert resolver.resolve(text).intent == "AMAZON.PauseIntent"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("stop no not stop just pause", "AMAZON.PauseIntent"),
        ("next no i mean carry on with the same one", "AMAZON.ResumeIntent"),
    ],
)
def test_a_self_correction_is_a_command_not_a_concern(
    resolver: Resolver, text: str, intent: str
) -> None:
    # The correction's "no" is no word of trouble: nothing is asked about the bladder first.
    resolution = resolver.resolve(text)
    assert (resolution.intent, resolution.check) == (intent, None)


_ROUND_BLIND9_10: list[tuple[str, str | None]] = [
    # Paraphrases of our own, and near misses (chat, or another command), of the kinds of
    # sentence the tuning halves of blind9 (users who know the coach a little) and blind10 (out
    # of breath or distracted) were misread on.
    ("oops, pressed on too soon, take me back", "AMAZON.PreviousIntent"),
    ("take me back one please", "AMAZON.PreviousIntent"),
    ("undo that, wrong one", "AMAZON.PreviousIntent"),
    ("hmm undo that one", "AMAZON.PreviousIntent"),
    ("no, back to the hamstring one we just did", "AMAZON.PreviousIntent"),
    ("go back to the floor one", "AMAZON.PreviousIntent"),
    ("can we go back to the step we were on", "AMAZON.PreviousIntent"),
    ("take me back to the hotel after dinner", None),
    ("undo that knot in my shoelace would you", None),
    ("go back to what you were telling me about your brother", None),
    ("the telly was on, I didn't catch a word of that", "AMAZON.RepeatIntent"),
    ("sorry, I didn't hear that", "AMAZON.RepeatIntent"),
    ("I couldn't hear you, the hoover was going", "AMAZON.RepeatIntent"),
    ("let's redo this one, I rushed it", "AMAZON.RepeatIntent"),
    ("can I do this one again", "AMAZON.RepeatIntent"),
    ("next, no, I mean repeat what you just said", "AMAZON.RepeatIntent"),
    ("I didn't catch the bus this morning", None),
    ("I couldn't hear the radio over the kettle", None),
    ("we'll redo the kitchen next year", None),
    ("no roller here, so let's not do this one", "SkipIntent"),
    ("let's not do this, my wrist is tired", "SkipIntent"),
    ("I'm not doing this one today", "SkipIntent"),
    ("I'll skip this one, thanks", "SkipIntent"),
    ("we won't do this one", "SkipIntent"),
    ("let's not do the washing up tonight", None),
    ("I'm not doing the school run today", None),
    ("I'll skip lunch I think", None),
    ("door's going, hang fire a minute", "AMAZON.PauseIntent"),
    ("hang fire, the kettle's boiling", "AMAZON.PauseIntent"),
    ("freeze it a minute, the cat's on the mat", "AMAZON.PauseIntent"),
    ("time out, my sock came off", "AMAZON.PauseIntent"),
    ("the doorbell's going, wait for me", "AMAZON.PauseIntent"),
    ("kids are shouting, can you just, like, wait for me", "AMAZON.PauseIntent"),
    ("wait for me", "WaitForReadyIntent"),
    ("wait for me to say ready", "WaitForReadyIntent"),
    ("he said he'd hang fire on the decorating", None),
    ("the kids are in time out upstairs", None),
    ("the taxi's here, I have to end this", "AMAZON.StopIntent"),
    ("sorry, I need to end this now", "AMAZON.StopIntent"),
    ("something came up, stop the whole thing", "AMAZON.StopIntent"),
    ("let's end the whole thing there", "AMAZON.StopIntent"),
    ("my back has had enough, I have to end this", "AMAZON.StopIntent"),
    ("I need to end this call with the bank first", None),
    ("they stopped the whole thing because of the rain", None),
    ("the roller under the calf, what's that for", "ExplainIntent"),
    ("so the ball under the hip, what's that for", "ExplainIntent"),
    ("what's the roller actually achieving", "ExplainIntent"),
    ("what is this actually achieving", "ExplainIntent"),
    ("what's the roller for", "ExplainIntent"),
    ("what's that knife for, love", None),
    ("what's the hammer for", None),
    ("when does this finish, I have a call at ten", "ProgressIntent"),
    ("when will this finish", "ProgressIntent"),
    ("how long till we're finished", "ProgressIntent"),
    ("how long till we're done, my legs are shaking", "ProgressIntent"),
    ("when does the session end", "ProgressIntent"),
    ("how long is left on the chicken", None),
    ("how many are left in that box", None),
    ("how long is left on this one", "ProgressIntent"),
    ("when does the film finish", None),
    ("yep, got that, next thing", "AMAZON.NextIntent"),
    ("okay, on to the next thing", "AMAZON.NextIntent"),
    ("the next thing please", "AMAZON.NextIntent"),
    ("done with that, next thing", "AMAZON.NextIntent"),
    ("right, next thing", "AMAZON.NextIntent"),
    ("the next thing I knew I was on the floor", None),
    ("okay, ready again", "AMAZON.ResumeIntent"),
    ("I'm ready again", "AMAZON.ResumeIntent"),
    ("right, off you go", "AMAZON.ResumeIntent"),
    ("mat's sorted, off we go", "AMAZON.ResumeIntent"),
    ("sorted, I'm ready again now", "AMAZON.ResumeIntent"),
    ("off you go to bed, love", None),
    ("right, off you go and brush your teeth", None),
    ("so how does this app work", "AMAZON.HelpIntent"),
    ("how does the app work again", "AMAZON.HelpIntent"),
    ("just tell me what I can ask for", "AMAZON.HelpIntent"),
    ("what can I ask you", "AMAZON.HelpIntent"),
    ("wait, how do I use you with my hands full", "AMAZON.HelpIntent"),
    ("how do I control you with my hands full", "AMAZON.HelpIntent"),
    ("pause, no, what can I ask for", "AMAZON.HelpIntent"),
    ("help me carry the shopping in", None),
    ("help me remember where I put my keys", None),
    ("how does the new oven work", None),
    ("can we stay on each one a bit longer", "LongerHoldIntent"),
    ("stay on each stretch longer please", "LongerHoldIntent"),
    ("these are rushed, stretch them out a bit", "LongerHoldIntent"),
    ("stretch the holds out a bit", "LongerHoldIntent"),
    ("could we stay on each one for longer", "LongerHoldIntent"),
    ("stretch them out on the line to dry", None),
    ("we stayed on each island longer", None),
    ("ten less please", "ShorterHoldIntent"),
    ("five less", "ShorterHoldIntent"),
    ("shave ten off", "ShorterHoldIntent"),
    ("knock five off", "ShorterHoldIntent"),
    ("drop them by ten seconds", "ShorterHoldIntent"),
    ("twenty less, these are hard", "ShorterHoldIntent"),
    ("ten more", "LongerHoldIntent"),
    ("one more", None),
    ("ten", "PainRatingIntent"),
    ("two less sugars in mine please", None),
    ("shave a bit off the fringe", None),
    ("no, you can't have another biscuit", None),
    ("no, you can't have another sweet before tea", None),
    ("hi Dad, yeah, I'm just doing my stretches", None),
    ("hello mum, yes, I'm fine", None),
    ("no, I'll ring the surgery back later", None),
    ("yeah, I'll call you back in five", None),
    ("yes, Friday's fine for me", None),
    ("how far is it to your sister's", None),
    ("no, let's skip this one", "SkipIntent"),
    ("yes, I'm ready", "AMAZON.YesIntent"),
    ("no, not yet", "AMAZON.NoIntent"),
]


@pytest.mark.parametrize(("text", "intent"), _ROUND_BLIND9_10)
def test_round_blind9_10(resolver: Resolver, text: str, intent: str | None) -> None:
    """The round on blind9/blind10's tuning halves: the step before asked for as "take me
    back", "undo that" or by a word naming it ("the glute one we just did"); a repeat asked
    for when the words were missed or the step is to be done again; a wait beside its story
    as a pause ("phone's ringing, wait for me"); a question cut short as its sample is
    ("what's that for"); a "like" set off by commas and a manner ("with my hands full") read
    as fillers; a count of seconds said without its unit ("ten less", "shave five off"); and
    what stays chat: a yes or a no beside talk with someone else ("hi mum, yeah...", "no, I'll
    call the bank back later", "no, you can't have another biscuit"), their family or home
    ("your sister", "from yours"), questions about things not of the routine ("how long is
    left on the oven"), help with something else ("help me remember"), and a noun told of
    ("the next thing I knew")."""
    resolution = resolver.resolve(text)
    if intent is None:
        assert resolution.is_fallback, (text, resolution.intent)
    else:
        assert resolution.intent == intent, (text, resolution.intent)
