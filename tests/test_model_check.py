"""Tests for skill.devtools.model_check: each rule against a small model broken on purpose, and the
CLI."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import interaction_model
import skill.devtools.model_check as model_check
from skill.cli.main import app
from skill.core.intents import HANDLED_INTENTS, REQUIRED_BUILTINS
from skill.devtools.model_check import Problem, check_documents, check_model, run_check

HANDLED = {"HelloIntent", *REQUIRED_BUILTINS}
ROUTINES = {"piriformis-release": "Piriformis release", "foam-roller": "Foam roller"}


def _valid() -> dict[str, Any]:
    """A small model that passes every rule with HANDLED and ROUTINES."""
    builtins = [{"name": name, "samples": []} for name in sorted(REQUIRED_BUILTINS)]
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": "massage coach",
                "intents": [
                    {
                        "name": "HelloIntent",
                        "slots": [{"name": "routine", "type": "ROUTINE_NAME"}],
                        "samples": ["hello", "start the {routine}", "say hi at ten a.m."],
                    },
                    *builtins,
                ],
                "types": [
                    {
                        "name": "ROUTINE_NAME",
                        "values": [
                            {
                                "id": "piriformis-release",
                                "name": {"value": "Piriformis release", "synonyms": ["glutes"]},
                            },
                            {"id": "foam-roller", "name": {"value": "Foam roller"}},
                        ],
                    }
                ],
            }
        }
    }


def _language(model: dict[str, Any]) -> dict[str, Any]:
    language: dict[str, Any] = model["interactionModel"]["languageModel"]
    return language


def _hello(model: dict[str, Any]) -> dict[str, Any]:
    intent: dict[str, Any] = _language(model)["intents"][0]
    return intent


def _check(*models: dict[str, Any], labels: tuple[str, ...] = ("en-US.json",)) -> list[str]:
    documents = dict(zip(labels, models, strict=True))
    return [str(p) for p in check_documents(documents, handled=HANDLED, routines=ROUTINES)]


def test_the_small_valid_model_passes() -> None:
    assert _check(_valid()) == []


def test_the_projects_own_model_passes_against_the_real_library() -> None:
    problems = check_model()
    assert [str(p) for p in problems] == []


def test_handled_intents_match_the_command_table() -> None:
    from skill.core.commands import INTENT_COMMANDS

    assert set(INTENT_COMMANDS) == HANDLED_INTENTS


def test_problem_text_names_file_intent_or_type() -> None:
    assert str(Problem("a.json", "broken", intent="X")) == "a.json: intent X: broken"
    assert str(Problem("a.json", "odd", slot_type="T", severity="warning")) == (
        "a.json: type T: warning: odd"
    )
    assert str(Problem("a.json", "bad")) == "a.json: bad"


def test_not_a_model_at_all() -> None:
    assert _check({"intents": []}) == [
        "en-US.json: no interactionModel.languageModel object; is this an ASK model file?"
    ]
    assert _check({"interactionModel": {"languageModel": {"intents": {}}}}) == [
        "en-US.json: languageModel.intents must be a list of intents"
    ]


def test_an_intent_without_a_handler_and_a_handler_without_an_intent() -> None:
    model = _valid()
    _language(model)["intents"].append({"name": "DanceIntent", "samples": ["dance"]})
    _hello(model)["name"] = "GreetIntent"
    assert _check(model) == [
        "en-US.json: intent DanceIntent: has no handler in the skill "
        "(not in skill.core.intents.HANDLED_INTENTS)",
        "en-US.json: intent GreetIntent: has no handler in the skill "
        "(not in skill.core.intents.HANDLED_INTENTS)",
        "en-US.json: intent HelloIntent: is handled by the skill but missing from the model",
    ]


def test_required_builtins_must_be_present() -> None:
    model = _valid()
    _language(model)["intents"] = [
        i for i in _language(model)["intents"] if i["name"] != "AMAZON.NavigateHomeIntent"
    ]
    assert _check(model) == [
        "en-US.json: intent AMAZON.NavigateHomeIntent: required built-in intent is missing"
    ]


def test_slot_used_in_a_sample_must_be_declared() -> None:
    model = _valid()
    _hello(model)["samples"].append("hold for {duration}")
    assert _check(model) == [
        "en-US.json: intent HelloIntent: sample 'hold for {duration}' uses {duration}, which "
        "the intent does not declare"
    ]


def test_slot_type_must_exist() -> None:
    model = _valid()
    _hello(model)["slots"].append({"name": "when", "type": "TIME_OF_DAY"})
    _hello(model)["slots"].append({"name": "length", "type": "AMAZON.DURATION"})
    _hello(model)["samples"] += ["hello at {when}", "hello for {length}"]
    assert _check(model) == [
        "en-US.json: intent HelloIntent: slot 'when' has type TIME_OF_DAY, which is neither "
        "built in (AMAZON.*) nor declared under types"
    ]


def test_slot_declarations_twice_or_unused() -> None:
    model = _valid()
    _hello(model)["slots"] += [
        {"name": "routine", "type": "ROUTINE_NAME"},
        {"name": "spare", "type": "AMAZON.NUMBER"},
        {"name": "bad-name", "type": "AMAZON.NUMBER"},
    ]
    assert _check(model) == [
        "en-US.json: intent HelloIntent: slot 'routine' is declared twice",
        "en-US.json: intent HelloIntent: slot name 'bad-name': use letters and underscores",
        "en-US.json: intent HelloIntent: warning: slot 'spare' is used in no sample",
    ]


def test_a_slot_twice_in_one_sample() -> None:
    model = _valid()
    _hello(model)["samples"].append("{routine} then {routine}")
    assert _check(model) == [
        "en-US.json: intent HelloIntent: sample '{routine} then {routine}' uses {routine} twice"
    ]


def test_samples_repeat_within_and_across_intents() -> None:
    model = _valid()
    _hello(model)["samples"].append("Hello")
    help_intent = next(i for i in _language(model)["intents"] if i["name"] == "AMAZON.HelpIntent")
    help_intent["samples"] = ["start the  {routine}"]
    problems = _check(model)
    assert "en-US.json: intent HelloIntent: sample 'Hello' repeats (twice in this intent)" in (
        problems
    )
    assert (
        "en-US.json: intent AMAZON.HelpIntent: sample 'start the  {routine}' repeats "
        "(also in HelloIntent)"
    ) in problems


@pytest.mark.parametrize(
    ("sample", "message"),
    [
        ("hold for 45 seconds", "numbers must be spelled out as words"),
        ("What's next", "samples must be lower case"),
        ("what's next?", "characters not allowed in a sample: ?"),
        ("next, please", "characters not allowed in a sample: ,"),
        ("go  on", "use single spaces and no leading or trailing space"),
        (" go on", "use single spaces and no leading or trailing space"),
        ("", "an empty sample"),
        ("start {routine", "braces must enclose a slot name, as in {slot}"),
        ("start routine}", "braces must enclose a slot name, as in {slot}"),
        ("go . on", "a period may only follow a letter, as in an abbreviation"),
    ],
)
def test_samples_hold_only_what_alexa_accepts(sample: str, message: str) -> None:
    model = _valid()
    _hello(model)["samples"].append(sample)
    assert _check(model) == [f"en-US.json: intent HelloIntent: sample {sample!r}: {message}"]


def test_adjacent_slots_need_a_space() -> None:
    model = _valid()
    _hello(model)["slots"].append({"name": "count", "type": "AMAZON.NUMBER"})
    _hello(model)["samples"].append("do {count}{routine}")
    assert _check(model) == [
        "en-US.json: intent HelloIntent: sample 'do {count}{routine}': two slots need a space "
        "or word between them"
    ]


def test_fallback_takes_no_samples_and_custom_intents_need_some() -> None:
    model = _valid()
    for intent in _language(model)["intents"]:
        if intent["name"] == "AMAZON.FallbackIntent":
            intent["samples"] = ["whatever"]
    _hello(model)["samples"] = []
    _hello(model)["slots"] = []
    assert _check(model) == [
        "en-US.json: intent HelloIntent: a custom intent needs at least one sample utterance",
        "en-US.json: intent AMAZON.FallbackIntent: AMAZON.FallbackIntent cannot have sample "
        "utterances",
        "en-US.json: type ROUTINE_NAME: warning: is used by no slot",
    ]


def test_intent_names_and_duplicates() -> None:
    model = _valid()
    _language(model)["intents"].append(copy.deepcopy(_hello(model)))
    _language(model)["intents"][-1].update(samples=["hi there"], slots=[])
    assert _check(model) == ["en-US.json: intent HelloIntent: declared 2 times"]
    broken = _valid()
    _hello(broken)["name"] = "Hello-Intent"
    assert (
        "en-US.json: intent Hello-Intent: custom intent names use only letters and underscores"
        in (_check(broken))
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "invocation name: missing"),
        ("Massage Coach", "must be lower case"),
        ("coach", "must have at least two words"),
        ("massage coach two", None),
        ("massage coach 2", "spell numbers out as words"),
        ("massage-coach helper", "only letters, spaces, possessive apostrophes"),
        ("open massage coach", "must not contain the launch word 'open'"),
        ("ask massage coach", "must not contain the launch word 'ask'"),
        ("alexa massage coach", "must not contain 'alexa'"),
        ("massage coach skill", "must not contain 'skill'"),
        ("massage app", "must not contain 'app'"),
        ("echo massage", "must not contain 'echo'"),
        ("the coach", "a two-word name must not include an article"),
        ("massage coach for", "must not start or end with a connecting word"),
        ("massage  coach", "use single spaces between words"),
        ("sam's massage coach", None),
        ("a. b. c. massage", None),
        ("massage coach's's", "an apostrophe may only mark a possessive"),
        ("massage co.ach", "periods only follow single letters"),
    ],
)
def test_invocation_name_rules(name: str, message: str | None) -> None:
    model = _valid()
    _language(model)["invocationName"] = name
    problems = _check(model)
    if message is None:
        assert problems == []
    else:
        assert problems
        assert all(p.startswith("en-US.json: invocation name") for p in problems)
        assert any(message in p for p in problems), problems


def test_custom_types_values_and_synonyms() -> None:
    model = _valid()
    values = _language(model)["types"][0]["values"]
    values[1]["name"]["synonyms"] = ["glutes", "roller", "roller"]
    values.append({"id": "foam-roller", "name": {"value": "Foam roller two"}})
    _language(model)["types"].append({"name": "EMPTY", "values": []})
    problems = _check(model)
    assert problems == [
        "en-US.json: type ROUTINE_NAME: 'glutes' belongs to both 'piriformis-release' and "
        "'foam-roller'",
        "en-US.json: type ROUTINE_NAME: warning: value 'foam-roller' lists a synonym twice",
        "en-US.json: type ROUTINE_NAME: value id 'foam-roller' is used 2 times",
        "en-US.json: type EMPTY: has no values",
        "en-US.json: type EMPTY: warning: is used by no slot",
    ]


def test_routine_names_must_match_the_library() -> None:
    model = _valid()
    values = _language(model)["types"][0]["values"]
    values[0]["name"] = {"value": "Glute release", "synonyms": []}
    values[1]["id"] = "foam-rolling"
    values.append({"name": {"value": "No id"}})
    problems = _check(model)
    assert sorted(problems) == sorted(
        [
            "en-US.json: type ROUTINE_NAME: value id 'foam-rolling' is not a routine in the "
            "library (known: foam-roller, piriformis-release)",
            "en-US.json: type ROUTINE_NAME: routine 'foam-roller' (Foam roller) has no value",
            "en-US.json: type ROUTINE_NAME: warning: routine title 'Piriformis release' is "
            "neither the value nor a synonym of 'piriformis-release'",
            "en-US.json: type ROUTINE_NAME: value 'No id' has no id; the id must be a routine id",
        ]
    )


def test_the_library_is_loaded_when_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_check, "library_titles", lambda: dict(ROUTINES))
    assert check_documents({"en-US.json": _valid()}, handled=HANDLED) == []

    def broken() -> dict[str, str]:
        raise ImportError("No module named 'routines.loader'")

    monkeypatch.setattr(model_check, "library_titles", broken)
    problems = check_documents({"en-US.json": _valid()}, handled=HANDLED)
    assert [str(p) for p in problems] == [
        "routine library: cannot load it: No module named 'routines.loader'"
    ]


def test_locales_must_agree_on_intents_slots_and_value_ids() -> None:
    gb = _valid()
    _language(gb)["intents"].append({"name": "ExtraIntent", "samples": ["extra"]})
    _hello(gb)["slots"][0]["type"] = "AMAZON.SearchQuery"
    _language(gb)["types"][0]["values"].pop()
    problems = _check(_valid(), gb, labels=("en-US.json", "en-GB.json"))
    assert "en-GB.json: intent ExtraIntent: declared here but not in en-US.json" in problems
    assert (
        "en-GB.json: intent HelloIntent: slots {routine: AMAZON.SearchQuery} differ from "
        "en-US.json's {routine: ROUTINE_NAME}"
    ) in problems
    assert (
        "en-GB.json: type ROUTINE_NAME: value ids differ from en-US.json: missing "
        "['foam-roller'], extra []"
    ) in problems
    assert _check(_valid(), _valid(), labels=("en-US.json", "en-GB.json")) == []


# --- files and the command line ------------------------------------------------------------


def _write(folder: Path, name: str, model: dict[str, Any] | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(model if isinstance(model, str) else json.dumps(model), encoding="utf-8")
    return path


def test_check_model_reads_files_and_folders(tmp_path: Path) -> None:
    custom = tmp_path / "pkg" / "interactionModels" / "custom"
    _write(custom, "en-US.json", _valid())
    _write(custom, "en-GB.json", _valid())
    _write(tmp_path / "pkg", "skill.json", {"manifest": {}})
    kwargs: dict[str, Any] = {"handled": HANDLED, "routines": ROUTINES}
    assert check_model([tmp_path / "pkg"], **kwargs) == []
    assert check_model([custom / "en-GB.json"], "en-GB", **kwargs) == []

    bad = _write(tmp_path, "en-AU.json", '{\n  "interactionModel": [,]\n}')
    assert [str(p) for p in check_model([bad], **kwargs)] == [
        f"{bad}: line 2 column 24: not valid JSON: Expecting value"
    ]
    missing = tmp_path / "nope.json"
    assert [str(p) for p in check_model([missing], **kwargs)] == [
        f"{missing}: no such file or folder"
    ]
    assert [str(p) for p in check_model([custom], "fr-FR", **kwargs)] == [
        f"{custom}: no model for locale fr-FR"
    ]
    oddly_named = _write(tmp_path, "model.json", _valid())
    assert [str(p) for p in check_model([oddly_named], **kwargs)] == [
        f"{oddly_named}: warning: file name is not a locale such as en-US.json"
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert [str(p) for p in check_model([empty], **kwargs)] == [
        f"{empty}: no interaction model (*.json) in this folder"
    ]


def test_check_model_for_one_packaged_locale() -> None:
    assert check_model(None, "en-IN") == []
    problems = check_model(None, "xx-XX")
    assert len(problems) == 1
    assert "no interaction model for locale 'xx-XX'" in str(problems[0])


def test_run_check_prints_problems_and_a_summary(tmp_path: Path) -> None:
    model = interaction_model.load("en-US")
    _language(model)["intents"][0]["samples"].append("hold for 45 seconds")
    path = _write(tmp_path, "en-US.json", model)
    out = io.StringIO()
    assert run_check([path], out=out) == 1
    assert out.getvalue().splitlines() == [
        f"{path}: intent StartRoutineIntent: sample 'hold for 45 seconds': numbers must be "
        "spelled out as words",
        "1 error, 0 warnings",
    ]


def test_cli_model_check_exits_non_zero_on_errors(tmp_path: Path) -> None:
    model = _valid()
    _language(model)["invocationName"] = "open sesame"
    path = _write(tmp_path, "en-US.json", model)
    result = CliRunner().invoke(app, ["model", "check", str(path)])
    assert result.exit_code == 1
    assert f"{path}: invocation name 'open sesame': must not contain the launch word 'open'" in (
        result.output
    )
    # The small model's HelloIntent has no handler in the real skill: reported too.
    assert f"{path}: intent HelloIntent: has no handler in the skill" in result.output
    assert result.output.rstrip().splitlines()[-1].endswith("0 warnings")


def test_cli_model_check_passes_on_the_project_model() -> None:
    result = CliRunner().invoke(app, ["model", "check", "--locale", "en-GB"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0 errors, 0 warnings"


@pytest.mark.parametrize(
    ("sample", "slot_type", "flagged"),
    [
        ("{query}", "AMAZON.SearchQuery", True),
        ("the {query}", "AMAZON.SearchQuery", True),
        ("i feel {query}", "AMAZON.SearchQuery", True),
        ("{city} please", "AMAZON.City", True),
        ("search for {query}", "AMAZON.SearchQuery", False),
        ("{routine}", "ROUTINE_NAME", False),
        ("{amount}", "AMAZON.DURATION", False),
    ],
)
def test_slot_only_samples_need_a_closed_slot_type(
    sample: str, slot_type: str, flagged: bool
) -> None:
    model = _valid()
    name = sample[sample.index("{") + 1 : sample.index("}")]
    hello = _hello(model)
    if name != "routine":
        hello["slots"].append({"name": name, "type": slot_type})
    hello["samples"].append(sample)
    problems = [p for p in _check(model) if "would catch everyday sentences" in p]
    expected = (
        [
            f"en-US.json: intent HelloIntent: sample {sample!r} is only the slot {{{name}}} of "
            f"open type {slot_type}: it would catch everyday sentences; add words around it"
        ]
        if flagged
        else []
    )
    assert problems == expected


# --- the manifest: the timer permission and the timer's task ---------------------------------


def _manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(
        (interaction_model.skill_package() / "skill.json").read_text("utf-8")
    )
    return manifest


def _tasks() -> dict[str, Any]:
    folder = interaction_model.skill_package() / "tasks"
    return {entry.name: json.loads(entry.read_text("utf-8")) for entry in folder.iterdir()}


def test_the_packaged_manifest_declares_the_timer_permission_and_task() -> None:
    assert model_check.check_manifest(_manifest(), _tasks()) == []
    assert list(_tasks()) == ["ContinueHold.1.json"]


def test_a_manifest_without_the_permission_or_the_task_is_reported() -> None:
    manifest = _manifest()
    del manifest["manifest"]["permissions"]
    manifest["manifest"]["apis"]["custom"]["tasks"] = [{"name": "Other", "version": "2"}]
    assert [str(p) for p in model_check.check_manifest(manifest, _tasks())] == [
        "skill.json: does not declare the permission alexa::alerts:timers:skill:readwrite"
        " (long holds use timers)",
        "skill.json: does not declare the task ContinueHold version 1",
        "skill.json: declares the task Other but tasks/Other.2.json is missing",
    ]
    assert [str(p) for p in model_check.check_manifest({}, {})] == [
        "skill.json: has no manifest object"
    ]


def test_a_task_definition_without_its_path_or_post_is_reported() -> None:
    wrong_path: dict[str, Any] = {"ContinueHold.1.json": {"paths": {"/Elsewhere": {"post": {}}}}}
    no_post: dict[str, Any] = {"ContinueHold.1.json": {"paths": {"/ContinueHold": {"get": {}}}}}
    assert [str(p) for p in model_check.check_manifest(_manifest(), wrong_path)] == [
        "skill.json: tasks/ContinueHold.1.json must have the one path /ContinueHold"
    ]
    assert [str(p) for p in model_check.check_manifest(_manifest(), no_post)] == [
        "skill.json: tasks/ContinueHold.1.json: /ContinueHold takes no POST"
    ]


def test_model_check_of_the_project_checks_its_manifest(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_model(routines=None) == []
    broken = _manifest()
    broken["manifest"]["permissions"] = []
    monkeypatch.setattr(model_check, "_read_manifest", lambda: (broken, _tasks()))
    assert [str(p) for p in check_model()] == [
        "interaction_model/skill-package/skill.json: does not declare the permission"
        " alexa::alerts:timers:skill:readwrite (long holds use timers)"
    ]
