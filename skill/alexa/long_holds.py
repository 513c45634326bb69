"""Long holds on Alexa: after a turn, do to the user's Alexa timer what the core says.

The core knows which hold is too long for one response (`speech.ssml.long_hold`) and what a
turn does to a timer (`skill.core.timers.timer_action`); this module does the I/O with the
Timers API (`skill.alexa.timers`) and says what came of it, in place of the hold:

- the timer set: "The hold has started: I've set a timer for three minutes, called Heat";
  the session ends, and the timer brings the user back (`keep_timer(rang=True)` on the launch
  it makes: the routine goes on at the next pass);
- no permission yet: a word on why, then Alexa's own question (``Connections.SendRequest``)
  and a permissions card; :func:`answer_permission` takes Alexa's ``Connections.Response``;
- refused lately, no Timers API in the request, or a failing call: today's "set a timer
  yourself", briefly. The state (progress, the timer's id) is kept whatever failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from routines.commands import CommandKind
from skill.alexa.timers import (
    TimerFailed,
    Timers,
    has_permission,
    permission_card,
    permission_request,
    timers_for,
)
from skill.core.timers import TIMER_FIELDS, TimerAction, may_ask, timer_action
from skill.core.view import StateView
from speech import phrases
from speech.phrases import duration_words
from speech.prompt import Hold, Prompt, Say
from speech.ssml import long_hold, untimed

__all__ = ["Kept", "answer_permission", "keep_timer"]


@dataclass(frozen=True)
class Kept:
    """A turn's prompt and state after the timer was seen to."""

    prompt: Prompt
    state: dict[str, Any]
    directives: tuple[Any, ...] = ()
    """Directives to add (the permission request)."""
    card: Any = None
    """A card to send instead of the prompt's (the permissions card)."""
    asking: bool = False
    """Alexa asks the permission question next: no reprompt, and the session is Alexa's to
    keep or close (``shouldEndSession`` unset)."""

    def changed(self, before: Mapping[str, Any]) -> bool:
        """Whether the timer fields differ from `before`'s (then the state is to be saved)."""
        return any(self.state.get(name) != before.get(name) for name in TIMER_FIELDS)


def _clear(state: dict[str, Any]) -> None:
    state["timer_id"], state["timer_position"] = None, None


def _said(prompt: Prompt, text: str) -> Prompt:
    return replace(prompt, parts=(*prompt.parts, Say(text)))


def _request_time(handler_input: HandlerInput) -> datetime | None:
    stamp = getattr(handler_input.request_envelope.request, "timestamp", None)
    return stamp if isinstance(stamp, datetime) else None


def keep_timer(
    handler_input: HandlerInput,
    before: Mapping[str, Any],
    prompt: Prompt,
    state: Mapping[str, Any],
    view: StateView,
    kind: CommandKind,
    at: str,
    *,
    rang: bool = False,
) -> Kept:
    """See to the timer after a turn from `before` to `state` by a command of `kind` whose
    prompt is `prompt` (`view` reads `state`; `at` is the request's time, ISO 8601). `rang`:
    the timer launched this request, so it is over already."""
    after = dict(state)
    if rang:
        before = {**before, "timer_id": None, "timer_position": None}
        _clear(after)
    hold = long_hold(prompt)
    action = timer_action(before, after, kind, hold is not None)
    if action is None:
        return Kept(prompt, after)
    timers = timers_for(handler_input)
    timer_id = before.get("timer_id")
    if action in (TimerAction.DELETE, TimerAction.REPLACE, TimerAction.PAUSE, TimerAction.REPORT):
        # A routine paused already may have its timer paused too: look before pausing again.
        look = action is TimerAction.PAUSE and before.get("status") == "paused"
        prompt = _existing(timers, action, str(timer_id), prompt, after, view, handler_input, look)
    if action is TimerAction.RESUME:
        kept = _resume(timers, str(timer_id), prompt, hold, after, view, handler_input)
        if kept is not None:
            return kept
    if hold is None:
        return Kept(prompt, after)
    return _new_timer(handler_input, timers, prompt, hold, after, view, at)


def _existing(
    timers: Timers | None,
    action: TimerAction,
    timer_id: str,
    prompt: Prompt,
    after: dict[str, Any],
    view: StateView,
    handler_input: HandlerInput,
    look: bool = False,
) -> Prompt:
    """Delete, pause or report the running timer; the prompt with what the user must know.
    `look`: pause only a timer that `get` finds running."""
    label = view.item.step.title if view.item is not None else ""
    now = _request_time(handler_input)
    try:
        if timers is None:
            raise TimerFailed(action.value, None)
        if action is not TimerAction.DELETE and action is not TimerAction.REPLACE:
            left = timers.get(timer_id, now) if look or action is TimerAction.REPORT else None
            if (look or action is TimerAction.REPORT) and left is None:
                _clear(after)  # it rang, or the user stopped it
                return prompt
            if action is TimerAction.PAUSE:
                if left is None or left.running:
                    timers.pause(timer_id)
                return _said(prompt, phrases.say("timer.paused"))
            assert left is not None
            text = phrases.say("timer.left", label=label, time=duration_words(left.seconds))
            return replace(prompt, parts=(Say(text), *prompt.parts))
        timers.delete(timer_id)
    except TimerFailed as failed:
        if failed.not_found:
            _clear(after)  # the user stopped it ("Alexa, stop"): nothing left to keep true
            return prompt
        if action is TimerAction.PAUSE or action is TimerAction.REPORT:
            return _failed(action, prompt)  # the timer is kept: it may still run
        prompt = _failed(action, prompt)
    _clear(after)
    return prompt


def _failed(action: TimerAction, prompt: Prompt) -> Prompt:
    """`prompt` after a failing call about the running timer: what the user must do."""
    if action is TimerAction.PAUSE:
        return _said(prompt, phrases.say("timer.not_paused"))
    if action is TimerAction.DELETE:
        return _said(prompt, phrases.say("timer.not_deleted"))
    return prompt


def _resume(
    timers: Timers | None,
    timer_id: str,
    prompt: Prompt,
    hold: Hold | None,
    after: dict[str, Any],
    view: StateView,
    handler_input: HandlerInput,
) -> Kept | None:
    """The hold the timer counts, resumed: the timer resumed, or said to run on; None when the
    timer is gone (a new one is to be set)."""
    assert hold is not None
    label = view.item.step.title if view.item is not None else ""
    try:
        if timers is None:
            raise TimerFailed("get", None)
        left = timers.get(timer_id, _request_time(handler_input))
        if left is None:
            _clear(after)
            return None
        if not left.running:
            timers.resume(timer_id)
    except TimerFailed:
        _clear(after)
        return None
    key = "timer.running" if left.running else "timer.resumed"
    said = untimed(prompt, hold, key, label=label, left=duration_words(left.seconds))
    return Kept(replace(said, reprompt=None, end_session=True), after)


def _new_timer(
    handler_input: HandlerInput,
    timers: Timers | None,
    prompt: Prompt,
    hold: Hold,
    after: dict[str, Any],
    view: StateView,
    at: str,
) -> Kept:
    """A timer for `hold`; without the permission, ask for it (once a while), else say "set
    one yourself"."""
    if timers is None:
        return Kept(untimed(prompt, hold, "timer.yourself"), after)
    if not has_permission(handler_input.request_envelope):
        if not may_ask(after.get("timer_asked_at"), at):
            return Kept(untimed(prompt, hold, "timer.yourself"), after)
        after["timer_asked_at"] = at or None
        asked = replace(untimed(prompt, hold, "timer.ask"), reprompt=None)
        directive = permission_request()
        return Kept(asked, after, (directive,), permission_card(), asking=True)
    return _create(timers, prompt, hold, after, view)


def _create(
    timers: Timers, prompt: Prompt, hold: Hold, after: dict[str, Any], view: StateView
) -> Kept:
    label = view.item.step.title if view.item is not None else ""
    confirm = phrases.say(
        "timer.rings", label=label, release=hold.release, skill="{continueWithSkillName}"
    )
    try:
        timer_id = timers.create(hold.seconds, label, view.position, confirm)
    except TimerFailed:
        return Kept(untimed(prompt, hold, "timer.failed"), after)
    after["timer_id"], after["timer_position"] = timer_id, view.position
    after["timer_asked_at"] = None
    said = untimed(prompt, hold, "timer.set", label=label)
    return Kept(replace(said, reprompt=None, end_session=True), after)


def answer_permission(
    handler_input: HandlerInput, state: Mapping[str, Any], view: StateView, answer: str
) -> Kept:
    """Alexa's answer to the permission question: on ACCEPTED the timer for the hold under way,
    else "set a timer yourself" (and the question is not asked again for a while)."""
    after = dict(state)
    item, seconds = view.item, view.hold_seconds
    if item is None or seconds is None or not view.in_routine:
        text = phrases.say("reprompt.idle")
        return Kept(Prompt((Say(text),), reprompt=text), after)
    hold = Hold(seconds, item.step.id, item.side, item.rep, release=item.step.cues.release)
    reprompt = phrases.say("reprompt.active")
    bare = Prompt((hold,), reprompt=reprompt)
    timers = timers_for(handler_input)
    if answer != "ACCEPTED" or timers is None:
        return Kept(untimed(bare, hold, "timer.yourself"), after)
    return _create(timers, bare, hold, after, view)
