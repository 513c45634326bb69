"""The baselines the HTTP and memory benchmarks serve with gunicorn, importing nothing of ours.

Kept apart from ``tests.support.loadgen`` (which imports the whole skill) so that a baseline
worker's
memory and start-up are those of Flask, or of Flask and ask-sdk-core, alone:

- ``gunicorn 'tests.benchmarks.bare_apps:create_canned_app()'``: ``POST /alexa`` answers a
  canned response;
- ``gunicorn 'tests.benchmarks.bare_apps:create_bare_skill_app()'``: a bare ask-sdk-core
  "hello" skill behind ``POST /alexa`` (no verification, no store), for context.
"""

from __future__ import annotations

from typing import Any, Final

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.response import Response as AlexaResponse
from flask import Flask, Response, jsonify, request

CANNED_ANSWER: Final = {
    "version": "1.0",
    "sessionAttributes": {},
    "response": {
        "outputSpeech": {"type": "SSML", "ssml": "<speak>Hello.</speak>"},
        "shouldEndSession": False,
    },
}


def _app(answer: Any) -> Flask:
    app = Flask(__name__)

    def alexa() -> Response:
        return jsonify(answer(request.get_data()))

    def healthz() -> Response:
        return jsonify(status="ok")

    app.add_url_rule("/alexa", "alexa", alexa, methods=["POST"])
    app.add_url_rule("/healthz", "healthz", healthz, methods=["GET"])
    return app


def create_canned_app() -> Flask:
    """A bare Flask endpoint answering every ``POST /alexa`` with a canned response."""
    return _app(lambda body: CANNED_ANSWER)


class HelloHandler(AbstractRequestHandler):
    """Answers every request with "Hello" and keeps the session open."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> AlexaResponse:
        builder = handler_input.response_builder
        response: AlexaResponse = builder.speak("Hello").set_should_end_session(False).response
        return response


def hello_skill() -> CustomSkill:
    """A bare ask-sdk-core skill with one handler."""
    builder = SkillBuilder()
    builder.add_request_handler(HelloHandler())
    skill: CustomSkill = builder.create()
    return skill


def create_bare_skill_app() -> Flask:
    """A bare ask-sdk-core "hello" skill behind ``POST /alexa``: the SDK's own cost over HTTP."""
    skill = hello_skill()
    serializer = DefaultSerializer()

    def answer(body: bytes) -> Any:
        envelope = serializer.deserialize(body.decode(), RequestEnvelope)
        return serializer.serialize(skill.invoke(envelope, None))

    return _app(answer)
