"""Tests for the built-in routine library (`routines/library/*.yaml`).

The files are content, so these tests check what a careful editor would: every file loads, the
default routine follows the source material's order and timings, holds sit in the seed's
ranges, heat and ice stay short, the spoken words can be read aloud as they are, and nothing
tells the user to press on the spine or behind the knee.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import routines
from routines.loader import DEFAULT_ROUTINE, builtin_library, load_file
from routines.models import Routine, Side, Step, Technique

LIBRARY = Path(routines.__file__).parent / "library"
FILES = sorted(LIBRARY.glob("*.yaml"))
EXPECTED_IDS = {
    "sciatica-quick-relief",
    "piriformis-release",
    "foam-roller",
    "trigger-points",
    "gentle-stretches",
}
MINUTE = 60

# The source material's order for a complete session: heat, stretch, press, massage, roll, ice.
SEED_ORDER = [
    Technique.HEAT,
    Technique.STRETCH,
    Technique.TRIGGER_POINT,
    Technique.DEEP_TISSUE,
    Technique.FOAM_ROLLER,
    Technique.COLD,
]
PRESSING = {Technique.TRIGGER_POINT, Technique.DEEP_TISSUE, Technique.FOAM_ROLLER}
THERMAL = {Technique.HEAT, Technique.COLD}

DIGITS = re.compile(r"\d")
SYMBOLS = re.compile(r"[()\[\]{}*_#`~<>|/\\%&+=@^$;:]")
ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|approx|vs|mins?|secs?|hrs?)\b", re.IGNORECASE)
ACRONYMS = re.compile(r"\b[A-Z]{2,}\b")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
SIDE_WORDS = re.compile(r"\b(right|left)\b", re.IGNORECASE)

# A sentence that sends pressure onto the spine or behind the knee is unsafe unless it says not to.
PRESSURE_VERB = r"\b(roll|rolling|press|pressing|push|pushing|rest|place|put|sink|lean|glide)\b"
UNSAFE_TARGET = (
    r"\b(on|along|over|onto|into|up and down|down)\s+(the|your)\s+"
    r"(spine|backbone|spinal bones|bones of your spine)\b"
    r"|\bbehind\s+(the|your)\s+knees?\b|\bback of (the|your) knees?\b"
)
NEGATION = re.compile(r"\b(not|never|off|avoid|away from|beside|above|below)\b", re.IGNORECASE)


def unsafe_sentences(text: str) -> list[str]:
    """Sentences in `text` that direct pressure onto the spine or behind the knee."""
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        aims = re.search(PRESSURE_VERB, sentence, re.IGNORECASE) and re.search(
            UNSAFE_TARGET, sentence, re.IGNORECASE
        )
        if aims and not NEGATION.search(sentence):
            found.append(sentence)
    return found


def sentences(text: str) -> int:
    """How many sentences `text` holds."""
    return len(SENTENCE_END.findall(text))


def cue_texts(step: Step) -> list[str]:
    """Everything the coach says to guide a step."""
    cues = step.cues
    return [*cues.setup, *cues.during, cues.release, cues.brief]


def spoken_texts(routine: Routine) -> Iterator[tuple[str, str]]:
    """Every string of a routine that a voice reads aloud, with where it sits."""
    yield "title", routine.title
    yield "summary", routine.summary
    for index, tool in enumerate(routine.tools):
        yield f"tools.{index}", tool
    for index, note in enumerate(routine.safety):
        yield f"safety.{index}", note
    for step in routine.steps:
        yield f"{step.id}.title", step.title
        yield f"{step.id}.area", step.area
        yield f"{step.id}.why", step.why
        if step.pressure is not None:
            yield f"{step.id}.pressure", step.pressure
        for index, text in enumerate(cue_texts(step)):
            yield f"{step.id}.cues.{index}", text


def all_steps() -> Iterator[tuple[Routine, Step]]:
    """Every step of every built-in routine, with its routine."""
    for routine in builtin_library().values():
        for step in routine.steps:
            yield routine, step


LIBRARY_ROUTINES = sorted(builtin_library().values(), key=lambda r: r.id)
ROUTINE_IDS = [routine.id for routine in LIBRARY_ROUTINES]
ALL_STEPS = list(all_steps())
STEP_IDS = [f"{routine.id}:{step.id}" for routine, step in ALL_STEPS]


# The files.


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_every_file_loads_and_is_named_by_its_id(path: Path) -> None:
    routine = load_file(path)
    assert routine.id == path.stem


def test_the_library_has_the_expected_routines() -> None:
    library = builtin_library()
    assert len(library) >= 5
    assert set(library) >= EXPECTED_IDS
    assert set(library) == {path.stem for path in FILES}
    assert DEFAULT_ROUTINE in library


# The default routine follows the seed.


def test_default_routine_follows_the_seed_order() -> None:
    routine = builtin_library()[DEFAULT_ROUTINE]
    kinds = [step.technique for step in routine.steps]
    assert kinds[0] is Technique.HEAT
    assert kinds[-1] is Technique.COLD
    phases = [SEED_ORDER.index(kind) for kind in kinds]
    assert phases == sorted(phases), "steps must keep the seed's order"
    assert set(kinds) == set(SEED_ORDER), "every technique of the seed must appear"


def test_default_routine_stretches_back_hips_and_hamstrings_on_both_sides() -> None:
    routine = builtin_library()[DEFAULT_ROUTINE]
    stretches = [step for step in routine.steps if step.technique is Technique.STRETCH]
    areas = " ".join(step.area for step in stretches)
    for region in ("lower back", "hip", "thigh"):
        assert region in areas
    for step in stretches:
        assert step.sides == [Side.RIGHT, Side.LEFT]
        assert 2 <= step.reps <= 3


def test_default_routine_presses_and_rolls_the_back_glutes_and_hamstrings() -> None:
    routine = builtin_library()[DEFAULT_ROUTINE]

    def areas(kind: Technique) -> str:
        return " ".join(step.area for step in routine.steps if step.technique is kind)

    assert "lower" in areas(Technique.TRIGGER_POINT)
    assert "buttock" in areas(Technique.TRIGGER_POINT)
    assert "lower back" in areas(Technique.DEEP_TISSUE)
    assert "buttock" in areas(Technique.DEEP_TISSUE)
    rolled = areas(Technique.FOAM_ROLLER)
    for region in ("lower spine", "buttock", "thighs"):
        assert region in rolled


def test_default_routine_takes_fifteen_to_twenty_five_minutes() -> None:
    total = builtin_library()[DEFAULT_ROUTINE].total_seconds
    assert 15 * MINUTE <= total <= 25 * MINUTE


@pytest.mark.parametrize("routine", LIBRARY_ROUTINES, ids=ROUTINE_IDS)
def test_every_routine_takes_a_realistic_time(routine: Routine) -> None:
    assert 5 * MINUTE <= routine.total_seconds <= 30 * MINUTE


# Timings.


@pytest.mark.parametrize(("routine", "step"), ALL_STEPS, ids=STEP_IDS)
def test_holds_follow_the_seed_timings(routine: Routine, step: Step) -> None:
    hold = step.hold
    if step.technique is Technique.STRETCH:
        assert 15 <= hold.min <= hold.default <= 30 <= hold.max <= 60
        assert 2 <= step.reps <= 3
    elif step.technique is Technique.TRIGGER_POINT:
        assert 30 <= hold.min <= hold.default <= hold.max <= 60
    elif step.technique in THERMAL:
        assert hold.max <= 20 * MINUTE
        assert MINUTE <= hold.default <= 5 * MINUTE
    else:
        assert hold.default <= 2 * MINUTE


@pytest.mark.parametrize(("routine", "step"), ALL_STEPS, ids=STEP_IDS)
def test_repeated_steps_rest_between_reps(routine: Routine, step: Step) -> None:
    if step.reps > 1:
        assert 5 <= step.rest_seconds <= 15
    else:
        assert step.rest_seconds == 0


def test_a_shared_step_id_means_the_same_technique() -> None:
    first: dict[str, Step] = {}
    for _routine, step in ALL_STEPS:
        seen = first.setdefault(step.id, step)
        # Defaults, reps and rests may differ per routine; what the step is may not, because
        # the user's preferred hold is remembered per step id.
        assert step.technique is seen.technique, step.id
        assert (step.title, step.area, step.why) == (seen.title, seen.area, seen.why), step.id
        assert step.cues == seen.cues, step.id
        assert step.pressure == seen.pressure, step.id
        assert step.sides == seen.sides, step.id
        assert (step.hold.min, step.hold.max) == (seen.hold.min, seen.hold.max), step.id
    shared = [
        step_id for step_id in first if sum(step.id == step_id for _routine, step in ALL_STEPS) > 1
    ]
    assert "figure-four-stretch" in shared


# Safety.


@pytest.mark.parametrize("routine", LIBRARY_ROUTINES, ids=ROUTINE_IDS)
def test_every_routine_has_safety_notes_and_tools(routine: Routine) -> None:
    assert 1 <= len(routine.safety) <= 3
    assert all(sentences(note) == 1 for note in routine.safety)
    assert any("sharp" in note for note in routine.safety)
    assert routine.tools


@pytest.mark.parametrize("routine", LIBRARY_ROUTINES, ids=ROUTINE_IDS)
def test_tools_cover_what_the_cues_ask_for(routine: Routine) -> None:
    tools = " ".join(routine.tools)
    words = " ".join(text for step in routine.steps for text in cue_texts(step))
    for cue_word, tool_word in [
        ("roller", "foam roller"),
        ("ball", "ball"),
        ("towel", "towel"),
        ("ice pack", "ice pack"),
        ("heating pad", "heating pad"),
    ]:
        if cue_word in words:
            assert tool_word in tools, cue_word


def test_default_routine_safety_names_the_spine_and_the_cloth() -> None:
    notes = " ".join(builtin_library()[DEFAULT_ROUTINE].safety)
    assert "spine" in notes
    assert "behind the knee" in notes
    assert "cloth" in notes
    assert "twenty minutes" in notes


@pytest.mark.parametrize(("routine", "step"), ALL_STEPS, ids=STEP_IDS)
def test_no_cue_sends_pressure_onto_the_spine_or_behind_the_knee(
    routine: Routine, step: Step
) -> None:
    for text in [*cue_texts(step), step.pressure or ""]:
        assert unsafe_sentences(text) == [], (routine.id, step.id)


@pytest.mark.parametrize(
    "text",
    [
        "Roll slowly up and down your spine.",
        "Place the ball on the spine and lean in.",
        "Press your knuckles along the spine.",
        "Rest the roller behind your knee.",
    ],
)
def test_the_spine_phrase_check_catches_unsafe_cues(text: str) -> None:
    assert unsafe_sentences(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Keep the roller off the bones of your spine.",
        "Press the muscle beside the spine, not the spine itself.",
        "Stop above the knees and never roll behind them.",
        "Lie on your back with your knees bent.",
    ],
)
def test_the_spine_phrase_check_passes_safe_cues(text: str) -> None:
    assert unsafe_sentences(text) == []


def test_lower_back_pressure_warns_about_the_spine() -> None:
    near_spine = {
        step.id: step
        for _routine, step in ALL_STEPS
        if step.technique in PRESSING and "lower" in step.area
    }
    assert {"lower-back-trigger-point", "foam-roll-lower-back"} <= set(near_spine)
    for step in near_spine.values():
        warnings = [text for text in cue_texts(step) if "spine" in text and NEGATION.search(text)]
        assert warnings, step.id


@pytest.mark.parametrize(("routine", "step"), ALL_STEPS, ids=STEP_IDS)
def test_heat_and_ice_are_safe(routine: Routine, step: Step) -> None:
    if step.technique in THERMAL:
        assert step.hold.max <= 20 * MINUTE
    if step.technique is Technique.COLD:
        assert "cloth" in " ".join(step.cues.setup)


@pytest.mark.parametrize(("routine", "step"), ALL_STEPS, ids=STEP_IDS)
def test_pressing_steps_say_how_firmly(routine: Routine, step: Step) -> None:
    if step.technique in PRESSING:
        assert step.pressure is not None
        assert "out of ten" in step.pressure


# The words, as a voice reads them.


@pytest.mark.parametrize("routine", LIBRARY_ROUTINES, ids=ROUTINE_IDS)
def test_spoken_text_reads_aloud_cleanly(routine: Routine) -> None:
    for where, text in spoken_texts(routine):
        assert not DIGITS.search(text), (where, text)
        assert not SYMBOLS.search(text), (where, text)
        assert not ABBREVIATIONS.search(text), (where, text)
        assert not ACRONYMS.search(text), (where, text)
        assert text == text.strip(), (where, text)
        assert "  " not in text, (where, text)


@pytest.mark.parametrize(("routine", "step"), ALL_STEPS, ids=STEP_IDS)
def test_cues_are_short_spoken_sentences(routine: Routine, step: Step) -> None:
    cues = step.cues
    assert 2 <= len(cues.setup) <= 4
    assert 1 <= len(cues.during) <= 3
    for text in cue_texts(step):
        assert sentences(text) == 1, text
        assert text.endswith("."), text
        assert len(text.split()) <= 20, text
    assert 1 <= sentences(step.why) <= 2


@pytest.mark.parametrize(("routine", "step"), ALL_STEPS, ids=STEP_IDS)
def test_why_speaks_of_the_nerve_or_the_muscles(routine: Routine, step: Step) -> None:
    words = ("sciatic", "piriformis", "lower back", "hip", "hamstring", "buttock")
    assert any(word in step.why for word in words), step.why


@pytest.mark.parametrize(("routine", "step"), ALL_STEPS, ids=STEP_IDS)
def test_cues_for_two_sided_steps_fit_either_side(routine: Routine, step: Step) -> None:
    # The same setup is spoken for the right and the left pass; the coach names the side.
    if len(step.sides) > 1:
        for text in cue_texts(step):
            assert not SIDE_WORDS.search(text), text
