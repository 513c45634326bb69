"""The Alexa Timers API, through ask-sdk-core's service clients, for holds too long to count.

:class:`TimedApiClient` is the skill builder's API client: ask-sdk-core's `DefaultApiClient`
sends with `requests` and no timeout, so a hanging Timers API would hold the user's request
for as long as Alexa waits (8 s) and the answer would be lost. This one gives every call
`API_TIMEOUT_S` to connect and as long to answer (about 2 s at worst). Like the default client
it refuses plain HTTP, but to a loopback address (the tests' Timers API peer).

:class:`Timers` is one request's timer service (`get_timer_management_service`, on the
envelope's ``apiEndpoint`` with its ``apiAccessToken``): create, pause, resume, delete, get.
Every failure (a 4xx or 5xx answer, a timeout, a refused connection, an answer that does not
parse) is one :class:`TimerFailed`, logged with the operation and the status only: no user
data, no token.

A timer is created with the ``LAUNCH_TASK`` operation: when it rings Alexa says
``textToConfirm`` (the step, its release, "shall I go on?") and, on yes, launches the skill with
the task ``<skill id>.`` :data:`TASK_NAME` (declared in ``skill.json`` and
``skill-package/tasks/``), whose input names the plan position of the hold it counted.

The permission (:data:`TIMER_SCOPE`) is granted once per user: :func:`has_permission` reads
the envelope, :func:`permission_request` and :func:`permission_card` ask for it by voice
(``Connections.SendRequest``, ``AskFor``) and in the Alexa app.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.services.api_client import ApiClient
from ask_sdk_model.services.api_client_request import ApiClientRequest
from ask_sdk_model.services.api_client_response import ApiClientResponse

from skill.core.timers import TASK_NAME, TASK_VERSION, TIMER_SCOPE

if TYPE_CHECKING:
    from ask_sdk_model.interfaces.connections.send_request_directive import (
        SendRequestDirective,
    )
    from ask_sdk_model.ui.ask_for_permissions_consent_card import (
        AskForPermissionsConsentCard,
    )

# What only a request with a long hold needs (the HTTP client, URL and duration parsing, the
# permission's directive and card) is imported there: a cold start that sets no timer, most
# of them, does not pay for it.

__all__ = [
    "API_TIMEOUT_S",
    "PERMISSION_REQUEST",
    "TimedApiClient",
    "TimerFailed",
    "TimerLeft",
    "Timers",
    "has_permission",
    "permission_answer",
    "permission_card",
    "permission_request",
    "task_position",
    "timers_for",
]

logger = logging.getLogger(__name__)

PERMISSION_REQUEST: Final = "AskFor"
"""The name of the ``Connections.SendRequest`` that asks for a permission by voice, and of the
``Connections.Response`` that answers it."""

API_TIMEOUT_S: Final = 1.0
"""Seconds a Timers API call may take to connect, and again to answer."""

_LOOPBACK_NAMES: Final = frozenset({"localhost"})


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class TimedApiClient(ApiClient):
    """ask-sdk's API client (`DefaultApiClient`'s contract) with a timeout on every call."""

    def __init__(self, timeout: float = API_TIMEOUT_S) -> None:
        self.timeout = timeout
        """Seconds to connect, and again to read the answer."""

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        from urllib.parse import urlsplit

        import requests

        url = request.url or ""
        parts = urlsplit(url)
        if parts.scheme != "https" and not (
            parts.scheme == "http" and _is_loopback(parts.hostname or "")
        ):
            raise ApiClientException("only HTTPS endpoints (or HTTP on loopback) are called")
        headers: dict[str, str] = {}
        for key, value in request.headers or []:
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        body = request.body
        if body is not None and not isinstance(body, str | bytes):
            body = json.dumps(body)
        try:
            answer = requests.request(
                request.method or "GET",
                url,
                headers=headers,
                data=body,
                timeout=(self.timeout, self.timeout),
            )
        except requests.RequestException as error:
            raise ApiClientException(f"the call failed: {type(error).__name__}") from error
        return ApiClientResponse(
            headers=list(answer.headers.items()), status_code=answer.status_code, body=answer.text
        )


class TimerFailed(Exception):
    """A Timers API call failed; `status` is the HTTP status when there was an answer."""

    def __init__(self, operation: str, status: int | None) -> None:
        self.operation = operation
        self.status = status
        super().__init__(f"timer {operation} failed ({status or 'no answer'})")

    @property
    def not_found(self) -> bool:
        """The timer is gone (it rang and was dismissed, or the user deleted it)."""
        return self.status == 404


@dataclass(frozen=True)
class TimerLeft:
    """A timer as `Timers.get` found it."""

    running: bool
    """It counts down (ON); False: paused."""
    seconds: int
    """Seconds left."""


def _status_of(error: Exception) -> int | None:
    status = getattr(error, "status_code", None)
    # The SDK reports a call that got no answer (ApiClientException) as a 500 of its own,
    # raised while handling it.
    unanswered = isinstance(error.__cause__ or error.__context__, ApiClientException)
    return status if isinstance(status, int) and not unanswered else None


class Timers:
    """One request's Timers API (see the module docstring); every failure is `TimerFailed`."""

    def __init__(self, service: Any, skill_id: str, locale: str) -> None:
        self.service = service
        """ask-sdk's `TimerManagementServiceClient` for this request."""
        self.skill_id = skill_id
        self.locale = locale
        self.unreachable = False
        """A call got no answer (a timeout, a refused connection): the request's later calls
        fail at once, so a hanging API costs one timeout per request, not one per call."""

    def _call(self, operation: str, method: str, *args: Any) -> Any:
        if self.unreachable:
            raise TimerFailed(operation, None)
        try:
            return getattr(self.service, method)(*args)
        except Exception as error:
            # Whatever went wrong remotely costs the user a spoken fallback, never the request.
            failed = TimerFailed(operation, _status_of(error))
            self.unreachable = failed.status is None
            logger.warning(
                "Alexa timer %s failed: %s %s",
                operation,
                type(error).__name__,
                failed.status or "no answer",
            )
            raise failed from error

    def create(self, seconds: int, label: str, position: int, confirm: str) -> str:
        """A new timer of `seconds`, named `label`, that rings and then offers (`confirm`) to
        launch the skill's task for the pass after `position`; its id."""
        from ask_sdk_model.services.timer_management.creation_behavior import CreationBehavior
        from ask_sdk_model.services.timer_management.display_experience import (
            DisplayExperience,
        )
        from ask_sdk_model.services.timer_management.launch_task_operation import (
            LaunchTaskOperation,
        )
        from ask_sdk_model.services.timer_management.notification_config import (
            NotificationConfig,
        )
        from ask_sdk_model.services.timer_management.task import Task
        from ask_sdk_model.services.timer_management.text_to_confirm import TextToConfirm
        from ask_sdk_model.services.timer_management.timer_request import TimerRequest
        from ask_sdk_model.services.timer_management.triggering_behavior import (
            TriggeringBehavior,
        )
        from ask_sdk_model.services.timer_management.visibility import Visibility

        from skill.core.durations import seconds_to_iso

        task = Task(
            name=f"{self.skill_id}.{TASK_NAME}", version=TASK_VERSION, input={"position": position}
        )
        operation = LaunchTaskOperation(
            text_to_confirm=[TextToConfirm(locale=self.locale, text=confirm)], task=task
        )
        timer = TimerRequest(
            duration=seconds_to_iso(seconds),
            timer_label=label,
            creation_behavior=CreationBehavior(DisplayExperience(Visibility.VISIBLE)),
            triggering_behavior=TriggeringBehavior(operation, NotificationConfig(True)),
        )
        answer = self._call("create", "create_timer", timer)
        timer_id = getattr(answer, "id", None)
        if not isinstance(timer_id, str) or not timer_id:
            logger.warning("Alexa timer create answered without an id")
            raise TimerFailed("create", None)
        return timer_id

    def pause(self, timer_id: str) -> None:
        self._call("pause", "pause_timer", timer_id)

    def resume(self, timer_id: str) -> None:
        self._call("resume", "resume_timer", timer_id)

    def delete(self, timer_id: str) -> None:
        """Delete the timer; one already gone counts as deleted."""
        try:
            self._call("delete", "delete_timer", timer_id)
        except TimerFailed as failed:
            if not failed.not_found:
                raise

    def get(self, timer_id: str, now: datetime | None) -> TimerLeft | None:
        """How long the timer has left at `now` (the request's time); None when it is gone
        (not found, or it has rung)."""
        try:
            answer = self._call("get", "get_timer", timer_id)
        except TimerFailed as failed:
            if failed.not_found:
                return None
            raise
        from skill.core.durations import iso_to_seconds

        status = getattr(getattr(answer, "status", None), "value", None)
        if status == "PAUSED":
            left = getattr(answer, "remaining_time_when_paused", None)
            try:
                return TimerLeft(False, iso_to_seconds(left)) if isinstance(left, str) else None
            except ValueError:
                return None
        trigger = getattr(answer, "trigger_time", None)
        if status != "ON" or not isinstance(trigger, datetime) or now is None:
            return None
        seconds = round((trigger - now).total_seconds())
        return TimerLeft(True, seconds) if seconds > 0 else None


def timers_for(handler_input: HandlerInput) -> Timers | None:
    """The request's Timers API, or None where none can be called (no API client, endpoint or
    token in the envelope)."""
    envelope = handler_input.request_envelope
    system = getattr(envelope.context, "system", None)
    factory = handler_input.service_client_factory
    if factory is None or not getattr(system, "api_access_token", None):
        return None
    if not getattr(system, "api_endpoint", None):
        return None
    skill_id = getattr(getattr(system, "application", None), "application_id", None) or ""
    locale = getattr(envelope.request, "locale", None) or "en-US"
    return Timers(factory.get_timer_management_service(), skill_id, locale)


def has_permission(envelope: RequestEnvelope) -> bool:
    """Whether the user granted the timer permission: its scope GRANTED in
    ``context.System.user.permissions``, or, where scopes are not listed, a consent token."""
    system = getattr(envelope.context, "system", None)
    permissions = getattr(getattr(system, "user", None), "permissions", None)
    if permissions is None:
        return False
    scopes = getattr(permissions, "scopes", None) or {}
    scope = scopes.get(TIMER_SCOPE) if isinstance(scopes, Mapping) else None
    if scope is not None:
        return getattr(getattr(scope, "status", None), "value", None) == "GRANTED"
    return bool(getattr(permissions, "consent_token", None))


def permission_request() -> SendRequestDirective:
    """The directive that has Alexa ask the user for the timer permission."""
    from ask_sdk_model.interfaces.connections.send_request_directive import (
        SendRequestDirective,
    )

    payload: dict[str, object] = {
        "@type": "AskForPermissionsConsentRequest",
        "@version": "2",
        "permissionScopes": [{"permissionScope": TIMER_SCOPE, "consentLevel": "ACCOUNT"}],
    }
    return SendRequestDirective(name=PERMISSION_REQUEST, payload=payload, token="timer")


def permission_card() -> AskForPermissionsConsentCard:
    """The Alexa app's card that asks for the timer permission."""
    from ask_sdk_model.ui.ask_for_permissions_consent_card import (
        AskForPermissionsConsentCard,
    )

    return AskForPermissionsConsentCard(permissions=[TIMER_SCOPE])


def permission_answer(request: Any) -> str:
    """The answer in a ``Connections.Response`` to the permission request: ``ACCEPTED``,
    ``DENIED`` or ``NOT_ANSWERED`` ("" for anything else)."""
    if getattr(request, "name", None) != PERMISSION_REQUEST:
        return ""
    payload = getattr(request, "payload", None)
    status = payload.get("status") if isinstance(payload, Mapping) else None
    return status if isinstance(status, str) else ""


def task_position(request: Any) -> int | None:
    """The plan position in a LaunchRequest's task when a timer of ours launched it."""
    task = getattr(request, "task", None)
    name = getattr(task, "name", None)
    if not isinstance(name, str) or name.rsplit(".", 1)[-1] != TASK_NAME:
        return None
    task_input = getattr(task, "input", None)
    position = task_input.get("position") if isinstance(task_input, Mapping) else None
    if isinstance(position, int) and not isinstance(position, bool) and position >= 0:
        return position
    return None
