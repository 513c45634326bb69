"""Tests for skill.alexa.config: the environment variables the server and the Lambda share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skill.alexa.config import (
    EnvironmentConfig,
    EnvironmentConfigError,
    parse_flag,
    parse_routine_paths,
    parse_skill_ids,
    read_environment,
)
from skill.alexa.lambda_function import LambdaConfig
from skill.alexa.server import ServerConfig


def test_an_empty_environment_sets_nothing() -> None:
    assert read_environment({}) == EnvironmentConfig()
    blank = {
        name: "  "
        for name in (
            "MASSAGE_COACH_DB",
            "MASSAGE_COACH_SKILL_IDS",
            "MASSAGE_COACH_ROUTINES",
            "MASSAGE_COACH_CREATE_TABLE",
            "MASSAGE_COACH_DYNAMODB_ENDPOINT",
        )
    }
    assert read_environment(blank) == EnvironmentConfig()


def test_every_variable_is_read() -> None:
    config = read_environment(
        {
            "MASSAGE_COACH_DB": " dynamodb:coach ",
            "MASSAGE_COACH_SKILL_IDS": "amzn1.ask.skill.a",
            "MASSAGE_COACH_ROUTINES": "/srv/routines",
            "MASSAGE_COACH_CREATE_TABLE": "true",
            "MASSAGE_COACH_DYNAMODB_ENDPOINT": "http://127.0.0.1:8000 ",
        }
    )
    assert config == EnvironmentConfig(
        db="dynamodb:coach",
        skill_ids=("amzn1.ask.skill.a",),
        routine_files=(Path("/srv/routines"),),
        create_table=True,
        dynamodb_endpoint="http://127.0.0.1:8000",
    )


def test_skill_ids_are_split_at_commas_and_trimmed() -> None:
    assert parse_skill_ids("") == ()
    assert parse_skill_ids(" , ,") == ()
    assert parse_skill_ids("a, b,") == ("a", "b")
    assert parse_skill_ids(" amzn1.ask.skill.1-2_3 ") == ("amzn1.ask.skill.1-2_3",)


@pytest.mark.parametrize("text", ["a b", "a;b", "amzn1.ask.skill.x\tother", "é"])
def test_a_skill_id_that_cannot_be_one_is_an_error(text: str) -> None:
    with pytest.raises(EnvironmentConfigError, match=r"MASSAGE_COACH_SKILL_IDS: .* commas"):
        parse_skill_ids(text)


def test_routine_paths_are_split_at_the_path_separator() -> None:
    assert parse_routine_paths("") == ()
    assert parse_routine_paths(os.pathsep.join(["a.yaml", " ", "", " b "])) == (
        Path("a.yaml"),
        Path("b"),
    )


@pytest.mark.parametrize("text", ["1", "true", "TRUE", " yes ", "on"])
def test_flags_that_are_on(text: str) -> None:
    assert parse_flag("X", text) is True


@pytest.mark.parametrize("text", ["", " ", "0", "false", "No", "off"])
def test_flags_that_are_off(text: str) -> None:
    assert parse_flag("X", text) is False


@pytest.mark.parametrize("text", ["2", "maybe", "enabled"])
def test_a_flag_neither_on_nor_off_is_an_error(text: str) -> None:
    with pytest.raises(EnvironmentConfigError, match=f"MASSAGE_COACH_CREATE_TABLE: '{text}' is"):
        read_environment({"MASSAGE_COACH_CREATE_TABLE": text})


def test_the_server_and_the_lambda_read_the_same_variables() -> None:
    environ = {
        "MASSAGE_COACH_DB": "sqlite:/tmp/x.db",
        "MASSAGE_COACH_SKILL_IDS": "a,b",
        "MASSAGE_COACH_ROUTINES": "/srv/routines",
        "MASSAGE_COACH_CREATE_TABLE": "1",
    }
    server, function = ServerConfig.from_env(environ), LambdaConfig.from_env(environ)
    assert (server.db, server.skill_ids, server.routine_files, server.create_table) == (
        function.db,
        function.skill_ids,
        function.routine_files,
        function.create_table,
    )
    # Only the default persistence differs: the server's SQLite file, the Lambda's DynamoDB.
    assert ServerConfig.from_env({}).db == ""
    assert LambdaConfig.from_env({}).db == "dynamodb:massage-coach"
    with pytest.raises(EnvironmentConfigError):
        ServerConfig.from_env({"MASSAGE_COACH_SKILL_IDS": "a;b"})
    with pytest.raises(EnvironmentConfigError):
        LambdaConfig.from_env({"MASSAGE_COACH_SKILL_IDS": "a;b"})
