"""skill.local.inputs: the one queue, text resolved as the skill does, keys on a real
pseudo-terminal."""

from __future__ import annotations

import io
import os
import termios
from collections.abc import Iterable
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routines.commands import Command, CommandKind
from skill.core.alexa_intent import to_alexa_intent
from skill.core.resolver import Resolver
from skill.local.inputs import (
    KEYS,
    Ended,
    Heard,
    Input,
    InputQueue,
    KeyContext,
    KeyReader,
    LineReader,
    Rejected,
    Source,
    Unsure,
    VoiceReader,
    key_intent,
    parse_keys,
    resolve_heard,
    resolve_text,
)

WAIT_S = 5.0
"""Longest a test waits for a background thread's item (it arrives in microseconds)."""


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.for_locale("en-US")


def drain(inputs: InputQueue, until: type) -> list[Input]:
    """Items from the queue up to and including the first of type `until`."""
    items: list[Input] = []
    while True:
        item = inputs.get(timeout=WAIT_S)
        assert item is not None, f"no {until.__name__} arrived; got {items}"
        items.append(item)
        if isinstance(item, until):
            return items


# -- the queue ---------------------------------------------------------------------------


def test_a_command_raises_the_interrupt_until_the_last_one_is_taken() -> None:
    inputs = InputQueue()
    inputs.put(Rejected("hello", Source.LINE))
    inputs.put(Ended(Source.LINE))
    assert not inputs.interrupt.is_set()
    first = Heard(Command(CommandKind.NEXT), "AMAZON.NextIntent", "next", Source.KEY)
    second = Heard(Command(CommandKind.PAUSE), "AMAZON.PauseIntent", "space", Source.KEY)
    inputs.put(first)
    inputs.put(second)
    assert inputs.interrupt.is_set()
    assert [inputs.get_nowait() for _ in range(3)] == [
        Rejected("hello", Source.LINE),
        Ended(Source.LINE),
        first,
    ]
    assert inputs.interrupt.is_set()  # the pause is still waiting
    assert inputs.get_nowait() == second
    assert not inputs.interrupt.is_set()
    assert inputs.get_nowait() is None
    assert inputs.get(timeout=0) is None
    assert inputs.empty()


# -- text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "command"),
    [
        ("next", "AMAZON.NextIntent", Command(CommandKind.NEXT)),
        ("longer hold", "LongerHoldIntent", Command(CommandKind.LONGER)),
        ("hold for 45 seconds", "SetHoldIntent", Command(CommandKind.SET_HOLD, seconds=45)),
        ("it hurts", "PainIntent", Command(CommandKind.PAIN, symptom="PAIN")),
        ("my leg is numb", "PainIntent", Command(CommandKind.PAIN, symptom="NUMBNESS")),
        (
            "I lost bladder control",
            "PainIntent",
            Command(CommandKind.RED_FLAG, symptom="RED_FLAG_BLADDER"),
        ),
        ("skip", "SkipIntent", Command(CommandKind.SKIP)),
        # Asking for a moment is a pause, not a hold of a minute or a second.
        ("I need a minute", "AMAZON.PauseIntent", Command(CommandKind.PAUSE)),
        # "No pain" is a rating of zero, not a report (nor nothing).
        ("no pain at all", "NoPainIntent", Command(CommandKind.RATE_PAIN, rating=0)),
        ("one second", "AMAZON.PauseIntent", Command(CommandKind.PAUSE)),
        ("stop", "AMAZON.StopIntent", Command(CommandKind.STOP)),
        ("yes", "AMAZON.YesIntent", Command(CommandKind.YES)),
        (
            "piriformis release",
            "StartRoutineIntent",
            Command(CommandKind.START, routine="piriformis-release"),
        ),
    ],
)
def test_text_resolves_through_the_skills_table(
    resolver: Resolver, text: str, intent: str, command: Command
) -> None:
    for source, strict in ((Source.LINE, False), (Source.VOICE, True)):
        assert resolve_text(resolver, text, source, strict=strict) == Heard(
            command, intent, text, source
        )


@pytest.mark.parametrize(
    "text",
    # "one" inside a sentence is a pronoun, not a pain rating of one.
    ["I like pizza", "the weather is nice", "okay then", "hmm", "this one", "another one"],
)
def test_text_that_is_no_command_is_rejected_not_forced(resolver: Resolver, text: str) -> None:
    assert resolve_text(resolver, text, Source.LINE) == Rejected(text, Source.LINE)
    assert resolve_text(resolver, text, Source.VOICE, strict=True) == Rejected(text, Source.VOICE)


def test_an_unknown_routine_reaches_the_engine_when_typed_but_not_when_heard(
    resolver: Resolver,
) -> None:
    typed = resolve_text(resolver, "start the foo routine", Source.LINE)
    assert isinstance(typed, Heard)
    assert typed.command == Command(CommandKind.START, routine="foo")
    spoken = resolve_text(resolver, "start the foo routine", Source.VOICE, strict=True)
    assert spoken == Rejected("start the foo routine", Source.VOICE)


# -- keys --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "context", "intent"),
    [
        ("n", KeyContext(), "AMAZON.NextIntent"),
        ("N", KeyContext(), "AMAZON.NextIntent"),
        ("right", KeyContext(), "AMAZON.NextIntent"),
        ("b", KeyContext(), "AMAZON.PreviousIntent"),
        ("left", KeyContext(), "AMAZON.PreviousIntent"),
        ("r", KeyContext(), "AMAZON.RepeatIntent"),
        ("+", KeyContext(), "LongerHoldIntent"),
        ("=", KeyContext(), "LongerHoldIntent"),
        ("-", KeyContext(), "ShorterHoldIntent"),
        (" ", KeyContext(), "AMAZON.PauseIntent"),
        (" ", KeyContext(paused=True), "AMAZON.ResumeIntent"),
        ("s", KeyContext(), "SkipIntent"),
        ("t", KeyContext(), "ProgressIntent"),
        ("w", KeyContext(), "ExplainIntent"),
        ("!", KeyContext(), "PainIntent"),
        ("?", KeyContext(), "AMAZON.HelpIntent"),
        ("q", KeyContext(), "AMAZON.StopIntent"),
        ("y", KeyContext(offer_pending=True), "AMAZON.YesIntent"),
        ("n", KeyContext(offer_pending=True), "AMAZON.NoIntent"),
        ("\r", KeyContext(offer_pending=True), "AMAZON.YesIntent"),
        ("\r", KeyContext(), None),
        ("x", KeyContext(), None),
        ("é", KeyContext(), None),
    ],
)
def test_keys_map_to_intents(key: str, context: KeyContext, intent: str | None) -> None:
    assert key_intent(key, context) == intent


def test_every_listed_key_has_an_intent_and_a_label() -> None:
    for binding in KEYS:
        assert key_intent(binding.key) is not None
        assert binding.label
        assert binding.does
    assert len({binding.key for binding in KEYS}) == len(KEYS)


def test_parse_keys_names_arrows_and_skips_other_escape_sequences() -> None:
    assert parse_keys(b"n+ ") == ["n", "+", " "]
    assert parse_keys(b"\x1b[Cq\x1b[D") == ["right", "q", "left"]
    assert parse_keys(b"\x1b[15~s") == ["s"]  # F5, then s
    assert parse_keys(b"\x1bn") == ["n"]  # Escape alone, then n
    assert parse_keys(b"\xc3\xa9n") == ["n"]  # a non-ASCII character is no key


def test_key_reader_reads_keys_without_enter_and_restores_the_terminal(
    terminal: tuple[int, int],
) -> None:
    main, follower = terminal
    before = termios.tcgetattr(follower)
    inputs = InputQueue()
    with KeyReader(inputs, follower, lambda: KeyContext(paused=True)):
        during = termios.tcgetattr(follower)
        assert not during[3] & termios.ICANON, "keys must arrive without Enter"
        assert not during[3] & termios.ECHO, "keys must not be echoed over the screen"
        assert during[3] & termios.ISIG, "Ctrl-C must still interrupt"
        os.write(main, b"nx+ \x1b[Cq")
        items = [inputs.get(timeout=WAIT_S) for _ in range(5)]
    assert [item.intent if isinstance(item, Heard) else item for item in items] == [
        "AMAZON.NextIntent",
        "LongerHoldIntent",
        "AMAZON.ResumeIntent",
        "AMAZON.NextIntent",
        "AMAZON.StopIntent",
    ]
    assert isinstance(items[2], Heard)
    assert items[2].text == "space"
    assert all(isinstance(item, Heard) and item.source is Source.KEY for item in items)
    assert termios.tcgetattr(follower) == before
    assert drain(inputs, Ended)[-1] == Ended(Source.KEY)


def test_key_reader_restores_the_terminal_after_an_error(terminal: tuple[int, int]) -> None:
    _, follower = terminal
    before = termios.tcgetattr(follower)
    with pytest.raises(RuntimeError), KeyReader(InputQueue(), follower):
        raise RuntimeError("the coach failed")
    assert termios.tcgetattr(follower) == before


# -- lines and voice ---------------------------------------------------------------------


def test_line_reader_queues_one_input_per_line_then_the_end(resolver: Resolver) -> None:
    script = io.StringIO("# a script\nlonger hold\n\n  hold for 45 seconds  \nblah blah\nstop\n")
    inputs = InputQueue()
    LineReader(inputs, script, resolver).start()
    items = drain(inputs, Ended)
    assert items == [
        Heard(Command(CommandKind.LONGER), "LongerHoldIntent", "longer hold", Source.LINE),
        Heard(
            Command(CommandKind.SET_HOLD, seconds=45),
            "SetHoldIntent",
            "hold for 45 seconds",
            Source.LINE,
        ),
        Rejected("blah blah", Source.LINE),
        Heard(Command(CommandKind.STOP), "AMAZON.StopIntent", "stop", Source.LINE),
        Ended(Source.LINE),
    ]


class Phrases:
    """A listener that has heard these phrases, then fails if told to."""

    def __init__(self, heard: list[str], error: Exception | None = None) -> None:
        self.heard = heard
        self.error = error

    def phrases(self) -> Iterable[str]:
        yield from self.heard
        if self.error is not None:
            raise self.error


def test_voice_reader_is_strict_and_reports_a_failed_microphone(resolver: Resolver) -> None:
    inputs = InputQueue()
    listener = Phrases(["pause", "", "start the weather", "resume"], OSError("device gone"))
    VoiceReader(inputs, listener, resolver).start()
    items = drain(inputs, Ended)
    assert [getattr(item, "intent", item) for item in items[:-1]] == [
        "AMAZON.PauseIntent",
        Rejected("start the weather", Source.VOICE),
        "AMAZON.ResumeIntent",
    ]
    end = items[-1]
    assert isinstance(end, Ended)
    assert end.source is Source.VOICE
    assert end.notice is not None
    assert "device gone" in end.notice


def test_voice_reader_ends_quietly_when_the_listener_closes(resolver: Resolver) -> None:
    inputs = InputQueue()
    VoiceReader(inputs, Phrases(["next"]), resolver).start()
    assert drain(inputs, Ended)[-1] == Ended(Source.VOICE)


# -- properties --------------------------------------------------------------------------


@given(st.binary(max_size=64))
def test_parse_keys_takes_any_bytes_and_gives_only_ascii_keys_or_arrow_names(data: bytes) -> None:
    keys = parse_keys(data)
    assert all((len(key) == 1 and ord(key) < 0x80) or key in ("left", "right") for key in keys)
    assert len(keys) <= len(data)


_ITEMS = st.sampled_from(
    [
        Heard(Command(CommandKind.NEXT), "AMAZON.NextIntent", "n", Source.KEY),
        Rejected("hmm", Source.VOICE),
        Ended(Source.LINE),
    ]
)


@given(st.lists(st.one_of(_ITEMS, st.none()), max_size=30))
def test_the_interrupt_is_set_exactly_while_a_command_waits(steps: list[Input | None]) -> None:
    """Each step puts an item, or (None) takes one; the flag always matches the queue."""
    inputs = InputQueue()
    pending: list[Input] = []
    for step in steps:
        if step is None:
            taken = inputs.get_nowait()
            assert taken == (pending.pop(0) if pending else None)
        else:
            inputs.put(step)
            pending.append(step)
        assert inputs.interrupt.is_set() == any(isinstance(item, Heard) for item in pending)


# -- asking before acting ------------------------------------------------------------------


def test_two_close_readings_of_a_line_are_a_question(resolver: Resolver) -> None:
    unsure = resolve_text(resolver, "skip this step i want to stop", Source.LINE)
    assert isinstance(unsure, Unsure)
    assert unsure.question == "Stop, or skip this step?"
    assert (unsure.yes, unsure.no) == (None, None)
    # A symptom is never second-guessed; a clear command is acted on.
    assert isinstance(resolve_text(resolver, "skip this step it hurts", Source.LINE), Heard)
    assert isinstance(resolve_text(resolver, "skip this step", Source.LINE), Heard)


def test_a_routine_named_in_passing_is_asked_about_before_it_starts(resolver: Resolver) -> None:
    unsure = resolve_text(resolver, "I hate the foam roller", Source.LINE)
    assert isinstance(unsure, Unsure)
    assert unsure.question == "Start the Foam roller routine? Say yes or no."
    assert unsure.yes == Command(CommandKind.START, routine="foam-roller")
    assert unsure.no == Command(CommandKind.STATUS)
    # Asked for plainly, it starts.
    started = resolve_text(resolver, "start the foam roller please", Source.LINE)
    assert started == Heard(
        Command(CommandKind.START, routine="foam-roller"),
        "StartRoutineIntent",
        "start the foam roller please",
        Source.LINE,
    )


def test_words_that_may_tell_a_red_flag_are_a_yes_or_no_question(resolver: Resolver) -> None:
    unsure = resolve_text(resolver, "my waterworks are being stubborn and slow", Source.LINE)
    assert isinstance(unsure, Unsure)
    assert unsure.question.startswith("Just to check: has something changed with your bladder")
    assert unsure.yes == Command(CommandKind.RED_FLAG, symptom="RED_FLAG_BLADDER")
    # Nothing else was asked for: a no says where the session stands, and the hold goes on.
    assert unsure.no == Command(CommandKind.STATUS)
    # A command said with it is what a no does; pain found is what a no leaves.
    unsure = resolve_text(resolver, "skip this one, my right leg feels clumsy", Source.LINE)
    assert isinstance(unsure, Unsure)
    assert unsure.yes == Command(CommandKind.RED_FLAG, symptom="RED_FLAG_WEAKNESS")
    assert unsure.no == Command(CommandKind.SKIP)
    unsure = resolve_text(resolver, "I stumbled on the kerb and my hip is sore", Source.LINE)
    assert isinstance(unsure, Unsure)
    assert unsure.question == "Just to check: have you had a fall or an injury? Say yes or no."
    assert unsure.yes == Command(CommandKind.RED_FLAG, symptom="RED_FLAG_FALL")
    assert unsure.no == Command(CommandKind.PAIN, symptom="PAIN")
    # Feeling well is no question.
    assert isinstance(resolve_text(resolver, "my legs feel great", Source.LINE), Rejected)


def test_alexa_is_sent_what_the_words_say_outright(resolver: Resolver) -> None:
    resolution = resolver.resolve("I stumbled on the kerb and my hip is sore")
    assert resolution.check is not None
    assert resolution.check.value("symptom") == "RED_FLAG_FALL"
    assert to_alexa_intent(resolution)["name"] == "PainIntent"
    assert to_alexa_intent(resolution)["slots"]["symptom"]["value"] == "sore"
    resolution = resolver.resolve("my waterworks are being stubborn and slow")
    assert resolution.is_fallback
    assert resolution.check is not None
    assert to_alexa_intent(resolution)["name"] == "AMAZON.FallbackIntent"


@dataclass(frozen=True)
class Said:
    """A recognised phrase with the safety phrase the recogniser doubted it against."""

    text: str
    doubt: str | None = None


def test_a_go_on_command_heard_over_a_safety_phrase_is_a_yes_or_no_question(
    resolver: Resolver,
) -> None:
    unsure = resolve_heard(resolver, Said("next", doubt="it hurts"))
    assert isinstance(unsure, Unsure)
    assert unsure.question == "Sorry, did you say it hurts? Say yes or no."
    assert unsure.yes is not None
    assert unsure.yes.kind is CommandKind.PAIN
    assert unsure.no == Command(CommandKind.NEXT)
    assert unsure.source is Source.VOICE
    plain = resolve_heard(resolver, Said("next"))
    assert isinstance(plain, Heard)
    assert plain.command == Command(CommandKind.NEXT)
    assert isinstance(resolve_heard(resolver, "next"), Heard)


def test_a_safety_phrase_heard_doubtfully_asks_and_no_repeats_the_pass(
    resolver: Resolver,
) -> None:
    # What the recogniser gives when its keyword search found "it hurts" in speech the
    # grammar rejected: the phrase is its own doubt.
    unsure = resolve_heard(resolver, Said("it hurts", doubt="it hurts"))
    assert isinstance(unsure, Unsure)
    assert unsure.question == "Sorry, did you say it hurts? Say yes or no."
    assert unsure.yes is not None
    assert unsure.yes.kind is CommandKind.PAIN
    assert unsure.no == Command(CommandKind.REPEAT)


def test_the_voice_reader_queues_the_question(resolver: Resolver) -> None:
    class Doubting:
        def phrases(self) -> Iterable[Said]:
            yield Said("next", doubt="that hurts")

    inputs = InputQueue()
    VoiceReader(inputs, Doubting(), resolver).start()
    items = drain(inputs, Ended)
    assert isinstance(items[0], Unsure)
    assert inputs.interrupt.is_set() is False  # taken off the queue: nothing left waiting
