"""The word model: its features, its training and reading, and how the detector takes its
second opinion (a red flag it is sure of, or a rule's red flag it doubts, is asked about)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from skill.core import word_model
from skill.core.resolver import Resolver
from skill.core.safety import Detector, Finding, SafetyDataError, detector
from skill.core.word_model import NONE, SYMPTOM, WordModel, fingerprint, letters_of, words_of
from skill.devtools import train_word_model
from skill.devtools.train_word_model import corpus_examples, train
from tests.support.safety_data import MINIMAL


@dataclass(frozen=True)
class Said:
    """A fixed opinion."""

    none: float
    red_flag: tuple[str, float]
    words: str = "wobbly"


class Fixed:
    """A model that always gives `opinion`, and remembers what it was shown."""

    def __init__(self, opinion: Said) -> None:
        self.opinion = opinion
        self.shown: list[str] = []

    def read(self, text: str) -> Said:
        self.shown.append(text)
        return self.opinion


def gated(opinion: Said, model: dict[str, Any] | None = None) -> tuple[Detector, Fixed]:
    data: dict[str, Any] = yaml.safe_load(MINIMAL)
    data["symptoms"]["red_flag"]["RED_FLAG_Y"] = ["wobbly"]
    data["concerns"] = {"model": model or {"ask": 0.7, "doubt": 0.8}}
    fixed = Fixed(opinion)
    return replace(Detector.from_dict(data, "gated.yaml"), word_model=fixed), fixed


def test_a_red_flag_the_model_is_sure_of_is_asked_about_when_no_rule_found_one() -> None:
    rules, model = gated(Said(0.1, ("RED_FLAG_Y", 0.75)))
    text = "the toilet thing since monday"
    assert rules.detect(text) is None
    assert rules.concern(text, None) == Finding("red_flag", "RED_FLAG_Y", "wobbly")
    assert model.shown == [text]
    # Beside pain too: the pain is found, the red flag asked about.
    text = "it hurts since monday"
    assert rules.detect(text) == Finding("pain", "PAIN", "hurts")
    assert rules.concern(text, rules.detect(text)) == Finding("red_flag", "RED_FLAG_Y", "wobbly")


def test_a_red_flag_the_model_is_not_sure_of_is_not_asked_about() -> None:
    rules, _ = gated(Said(0.5, ("RED_FLAG_Y", 0.69)))
    assert rules.detect("the toilet thing since monday") is None
    assert rules.concern("the toilet thing since monday") is None
    assert rules.concern("it hurts since monday", rules.detect("it hurts since monday")) is None


def test_a_rule_s_red_flag_the_model_doubts_is_asked_about_never_dropped() -> None:
    rules, _ = gated(Said(0.85, ("RED_FLAG_Y", 0.05)))
    text = "my dad has a fever"
    assert rules.detect(text) is None
    assert rules.ruled(text) == Finding("red_flag", "RED_FLAG_X", "fever")
    assert rules.concern(text, rules.detect(text)) == Finding("red_flag", "RED_FLAG_X", "fever")
    # Fewer words than `doubt_words`: a red flag named, not a story; it stands.
    rules, _ = gated(Said(0.85, ("RED_FLAG_Y", 0.05)), {"ask": 0.7, "doubt": 0.8, "doubt_words": 6})
    assert rules.detect(text) == Finding("red_flag", "RED_FLAG_X", "fever")
    assert rules.detect("my old dad has a fever") is None
    # Less sure than `doubt`: the rule's red flag stands.
    rules, _ = gated(Said(0.79, ("RED_FLAG_Y", 0.05)))
    assert rules.detect(text) == Finding("red_flag", "RED_FLAG_X", "fever")
    assert rules.concern(text, rules.detect(text)) is None


def test_a_caller_that_knows_the_words_are_a_command_skips_only_the_model_s_own_red_flag() -> None:
    rules, _ = gated(Said(0.1, ("RED_FLAG_Y", 0.75)))
    assert rules.concern("two", None, model=False) is None
    assert rules.concern("two", None) == Finding("red_flag", "RED_FLAG_Y", "wobbly")
    # A rule's red flag the model doubts is asked about, command or not.
    rules, _ = gated(Said(0.85, ("RED_FLAG_Y", 0.05)))
    text = "my dad has a fever"
    assert rules.concern(text, rules.detect(text), model=False) == Finding(
        "red_flag", "RED_FLAG_X", "fever"
    )


def test_the_model_reads_each_utterance_once_for_detect_and_concern() -> None:
    rules, model = gated(Said(0.85, ("RED_FLAG_Y", 0.05)))
    rules.concern("my dad has a fever", rules.detect("my dad has a fever"))
    rules.detect("my dad has a fever")
    assert model.shown == ["my dad has a fever"]


def test_without_a_model_section_the_model_is_never_asked() -> None:
    data: dict[str, Any] = yaml.safe_load(MINIMAL)
    fixed = Fixed(Said(0.0, ("RED_FLAG_X", 1.0)))
    rules = replace(Detector.from_dict(data, "plain.yaml"), word_model=fixed)
    assert rules.detect("the toilet thing") is None
    assert fixed.shown == []


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ({"ask": 1.5, "doubt": 0.8}, "concerns.model.ask: must be a number from 0.5 to 1"),
        ({"ask": 0.7, "doubt": "high"}, "concerns.model.doubt: must be a number"),
        ({"ask": 0.7}, "concerns.model.doubt: must be a number"),
        ({"ask": True, "doubt": 0.8}, "concerns.model.ask: must be a number"),
        ({"ask": 0.7, "doubt": 0.8, "sure": 0.9}, "concerns.model.sure: unknown key"),
        ({"ask": 0.7, "doubt": 0.8, "doubt_words": 2.5}, "concerns.model.doubt_words: must be"),
    ],
)
def test_a_bad_model_section_names_its_key(model: dict[str, object], message: str) -> None:
    with pytest.raises(SafetyDataError, match=message.replace(".", r"\.")):
        gated(Said(0.0, ("RED_FLAG_X", 0.0)), model)


def test_features_are_words_with_their_neighbours_and_pieces_of_words() -> None:
    assert words_of("My leg, it gave-way a") == [
        "my",
        "leg",
        "it",
        "gave",
        "way",
        "my leg",
        "leg it",
        "it gave",
        "gave way",
    ]
    assert letters_of("Wee") == [" we", "wee", "ee ", " wee", "wee ", " wee "]
    assert letters_of("no") == [" no", "no ", " no "]


SMALL = [
    {"family": "b", "expect": "RED_FLAG_BLADDER", "say": [
        "the wee will not come", "cannot wee since monday", "no wee at all today",
        "the wee just dribbles", "wee keeps leaking"]},
    {"family": "p", "expect": ["PAIN", "NUMBNESS"], "say": [
        "my leg hurts", "my leg is sore", "the leg aches", "leg hurts a lot", "sore leg"]},
    {"family": "n", "expect": "none", "say": [
        "next please", "go on then", "next one please", "carry on", "go to the next"]},
]  # fmt: skip


def test_training_learns_the_labels_and_reads_new_words_by_their_pieces() -> None:
    texts, labels = corpus_examples(SMALL)
    assert labels[:6] == ["RED_FLAG_BLADDER"] * 5 + [SYMPTOM]
    model = train(texts, labels, "small")
    assert model.labels == ("RED_FLAG_BLADDER", SYMPTOM, NONE)
    for text, want in zip(texts, labels, strict=True):
        probabilities = model.read(text).probabilities
        assert max(probabilities, key=lambda k: probabilities[k]) == want, text
    # "weeing" is no word of the corpus; its pieces " we" and "wee" are.
    reading = model.read("weeing")
    assert reading.red_flag[0] == "RED_FLAG_BLADDER"
    assert reading.red_flag[1] > reading.probabilities[SYMPTOM]
    assert model.read("my wee is odd").words == "wee"
    assert model.read("").probabilities.keys() == {"RED_FLAG_BLADDER", SYMPTOM, NONE}


def test_the_saved_weights_read_as_the_trained_ones() -> None:
    texts, labels = corpus_examples(SMALL)
    model = train(texts, labels, "small")
    loaded = WordModel.from_json(json.loads(json.dumps(model.to_json())))
    assert loaded.trained_on == "small"
    for text in [*texts, "weeing", "my leg will not go"]:
        saved, trained = loaded.read(text).probabilities, model.read(text).probabilities
        assert all(abs(saved[k] - trained[k]) < 0.02 for k in trained), text


def test_the_shipped_weights_are_trained_on_the_tuning_half() -> None:
    # Generated: after editing the tuning half, run `python -m skill.devtools.train_word_model`
    # and commit word_model.json.
    shipped = json.loads(word_model.DATA_FILE.read_text(encoding="utf-8"))
    corpus = word_model.CORPUS.read_text(encoding="utf-8")
    assert shipped["trained_on"] == fingerprint(corpus), "word_model.json is stale"


def test_the_shipped_detector_takes_the_model_s_second_opinion() -> None:
    shipped = detector()
    assert shipped.word_model is not None
    assert shipped.ask is not None
    assert shipped.doubt is not None
    # No rule knows these words; the model reads a red flag in them, and the coach asks.
    text = "since sunday the toilet business is not like before"
    assert shipped.detect(text) is None
    asked = shipped.concern(text, None)
    assert asked is not None
    assert asked.symptom_id == "RED_FLAG_BLADDER"
    # A red flag named in a few words is found, though the model doubts "bladder problems".
    named = shipped.detect("bladder problems")
    assert named is not None
    assert named.symptom_id == "RED_FLAG_BLADDER"
    # Ordinary requests with the same words are nothing.
    for text in ("I need the loo", "should I lie on both legs or just one", "I don't know"):
        assert shipped.detect(text) is None, text
        assert shipped.concern(text, shipped.detect(text)) is None, text


def test_the_resolver_asks_about_the_model_s_red_flag() -> None:
    resolver = Resolver.for_locale("en-US")
    story = resolver.resolve("since sunday the toilet business is not like before")
    assert story.check is not None
    assert story.check.value("symptom") == "RED_FLAG_BLADDER"
    assert resolver.resolve("I don't know").check is None


def test_the_model_is_not_asked_about_a_command_the_samples_explain() -> None:
    resolver = Resolver.for_locale("en-US")
    # "two" answers the pain check; alone, the model reads "both legs" in it.
    assert detector().concern("two") is not None
    assert resolver.resolve("two").check is None


def test_the_training_command_has_help_and_refuses_to_run_without_the_corpus(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as shown:
        train_word_model.main(["--help"])
    assert shown.value.code == 0
    assert "tuning half" in capsys.readouterr().out
    monkeypatch.setattr(word_model, "CORPUS", tmp_path / "nowhere.yaml")
    monkeypatch.setattr(word_model, "DATA_FILE", tmp_path / "word_model.json")
    with pytest.raises(SystemExit) as refused:
        train_word_model.main([])
    assert refused.value.code == 2
    assert "nowhere.yaml" in capsys.readouterr().err
    assert not (tmp_path / "word_model.json").exists()


def test_the_training_command_writes_the_weights_with_their_fingerprint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "tuning.yaml"
    corpus.write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    monkeypatch.setattr(word_model, "CORPUS", corpus)
    monkeypatch.setattr(word_model, "DATA_FILE", tmp_path / "word_model.json")
    train_word_model.main([])
    written = json.loads((tmp_path / "word_model.json").read_text(encoding="utf-8"))
    assert written["trained_on"] == fingerprint(corpus.read_text(encoding="utf-8"))
    assert "3 labels" in capsys.readouterr().out
    model = word_model.ShippedModel(tmp_path / "word_model.json")
    assert model.read("cannot wee").red_flag[0] == "RED_FLAG_BLADDER"
