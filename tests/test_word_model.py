"""The word model of the red flags: its counts, its arithmetic, and the gate the detector puts
before it (sure enough, a word of trouble, no clause of feeling well, no rule that spoke)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from skill.core import word_model
from skill.core.resolver import Resolver
from skill.core.safety import Detector, Finding, SafetyDataError, detector
from skill.core.word_model import LEAST, WordModel, features
from tests.support.safety_data import MINIMAL


def gated_data() -> dict[str, Any]:
    """The minimal safety data with a second red flag, "but" between clauses, a concern rule
    and the model's gate."""
    data: dict[str, Any] = yaml.safe_load(MINIMAL)
    data["clause_break"] = "[,.]|\\bbut\\b"
    data["symptoms"]["red_flag"]["RED_FLAG_Y"] = ["wobbly"]
    data["concerns"] = {
        "calm": "fine",
        "model": {"sure": 0.9, "trouble": "since|not"},
        "ask": {"RED_FLAG_X": [["hot", "{limb}"]]},
    }
    return data


class Sure:
    """A model that always says RED_FLAG_Y, this sure, and remembers what it was shown."""

    def __init__(self, probability: float) -> None:
        self.probability = probability
        self.shown: list[Sequence[str]] = []

    def red_flag(self, clauses: Sequence[str]) -> tuple[str, float]:
        self.shown.append(clauses)
        return "RED_FLAG_Y", self.probability


def gated(probability: float) -> tuple[Detector, Sure]:
    model = Sure(probability)
    return replace(Detector.from_dict(gated_data(), "gated.yaml"), word_model=model), model


def test_a_sure_model_and_a_word_of_trouble_make_a_concern() -> None:
    detector, model = gated(0.95)
    assert detector.concern("the toilet thing since monday") == Finding(
        "red_flag", "RED_FLAG_Y", "since"
    )
    assert model.shown == [(" the toilet thing since monday ",)]


@pytest.mark.parametrize(
    ("text", "probability", "why"),
    [
        ("the toilet thing since monday", 0.85, "the model is not sure enough"),
        ("the toilet thing on monday", 0.99, "no word of trouble"),
        ("the toilet thing since monday, but I feel fine", 0.99, "a clause of feeling well"),
        ("not wobbly", 0.99, "a symptom denied"),
    ],
)
def test_the_model_is_not_asked_or_not_taken(text: str, probability: float, why: str) -> None:
    detector, _ = gated(probability)
    assert detector.concern(text, detector.detect(text)) is None, why


def test_a_rule_speaks_before_the_model() -> None:
    detector, model = gated(0.99)
    # A red flag found: no concern at all; a concern rule: its own id, the model not asked.
    assert detector.concern("fever since monday", detector.detect("fever since monday")) is None
    assert detector.concern("my leg is hot since monday") == Finding(
        "red_flag", "RED_FLAG_X", "hot"
    )
    assert model.shown == []
    # Pain found: the model may still ask about a red flag.
    text = "it hurts since monday"
    assert detector.concern(text, detector.detect(text)) == Finding(
        "red_flag", "RED_FLAG_Y", "since"
    )


def test_without_a_model_section_the_model_is_never_asked() -> None:
    data = gated_data()
    del data["concerns"]["model"]
    detector = replace(Detector.from_dict(data, "gated.yaml"), word_model=Sure(1.0))
    assert detector.concern("the toilet thing since monday") is None


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ({"sure": 1.5, "trouble": "since"}, "concerns.model.sure: must be a number from 0.5 to 1"),
        ({"sure": "high", "trouble": "since"}, "concerns.model.sure: must be a number"),
        ({"sure": 0.9}, "concerns.model.trouble: missing"),
        ({"sure": 0.9, "trouble": "(since"}, "concerns.model.trouble"),
    ],
)
def test_a_bad_model_section_names_its_key(model: dict[str, object], message: str) -> None:
    data = gated_data()
    data["concerns"]["model"] = model
    with pytest.raises(SafetyDataError, match=message.replace(".", r"\.")):
        Detector.from_dict(data, "gated.yaml")


def test_counts_keep_what_is_seen_often_enough_and_weigh_it() -> None:
    examples = [({"pee", "not"}, "RED_FLAG_B")] * 6
    examples += [({"pee", "loo"}, "none")] * 6 + [({"leg", "once"}, "RED_FLAG_W")] * 2
    model = WordModel.count(examples)
    assert model.labels == ("RED_FLAG_B", "RED_FLAG_W", "none")
    assert model.utterances == (6, 2, 6)
    assert model.counts["pee"] == (6, 0, 6)
    assert "once" in model.counts
    assert all(sum(row) >= LEAST for row in model.counts.values())
    assert WordModel.count([({"alone"}, "none")]).counts == {}
    # "not" comes only with the bladder here: it makes that the likeliest red flag, and sure.
    name, probability = model.red_flag([" pee not "])
    assert name == "RED_FLAG_B"
    assert probability > 0.9
    # "loo" comes only with none: the best red flag is then unlikely.
    assert model.red_flag([" pee loo "])[1] < 0.1
    assert WordModel.from_json(json.loads(json.dumps(model.to_json()))) == model


def test_features_are_words_and_their_neighbours() -> None:
    assert features([" my leg ", " gave way "]) == {
        "my",
        "leg",
        "gave",
        "way",
        "my_leg",
        "leg_gave",
        "gave_way",
    }


def test_the_shipped_counts_are_the_tuning_half_s() -> None:
    # Generated: after the tuning half or the rules' normalising change, run
    # `python -m skill.core.word_model` and commit word_model.json.
    shipped = json.loads(word_model.DATA_FILE.read_text(encoding="utf-8"))
    assert word_model.counted().to_json() == shipped, "word_model.json is stale"


def test_the_shipped_detector_asks_the_model() -> None:
    shipped = detector()
    assert shipped.word_model is not None
    assert shipped.trouble is not None
    assert shipped.concern("since sunday the toilet business is not like before") == Finding(
        "red_flag", "RED_FLAG_BLADDER", "since"
    )
    # Ordinary requests with the same words carry no word of trouble.
    for text in ("I need the loo", "should I lie on both legs or just one"):
        assert shipped.concern(text, shipped.detect(text)) is None


def test_the_model_is_not_asked_about_a_command_the_samples_explain() -> None:
    resolver = Resolver.for_locale("en-US")
    # "I don't know" answers the pain check; alone, its words would make the model ask.
    assert detector().concern("I don't know") is not None
    assert resolver.resolve("I don't know").check is None
    story = resolver.resolve("since sunday the toilet business is not like before")
    assert story.check is not None
    assert story.check.value("symptom") == "RED_FLAG_BLADDER"


def test_the_counting_command_has_help_and_refuses_to_run_without_the_corpus(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as shown:
        word_model.main(["--help"])
    assert shown.value.code == 0
    assert "tuning half" in capsys.readouterr().out
    monkeypatch.setattr(word_model, "CORPUS", tmp_path / "nowhere.yaml")
    monkeypatch.setattr(word_model, "DATA_FILE", tmp_path / "word_model.json")
    with pytest.raises(SystemExit) as refused:
        word_model.main([])
    assert refused.value.code == 2
    assert "nowhere.yaml" in capsys.readouterr().err
    assert not (tmp_path / "word_model.json").exists()
