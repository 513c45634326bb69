"""From events to a prompt: what the coach says after one command, whatever the front-end.

`build_prompt(events)` turns the session engine's events into one `Prompt`: the parts to say
(with the rest pauses and the timed holds), the reprompt Alexa says if the user is silent,
whether the conversation ends, and short fields for a screen. The words come from the phrase
table (`speech.phrases`); this module only chooses which phrases, in which order, with which
values. Verbosity follows the event's `Detail`: full instructions the first time, a name and a
one-line cue after that, and only the side and rep for another pass of the same step, because
long explanations before every countdown are the first thing people complain about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from routines import events as ev
from routines.models import Routine, Side, Step, Technique
from routines.plan import expand
from speech.numbers import number_words
from speech.phrases import duration_words, join_words, minutes_words, say
from speech.prompt import GetReady, Hold, Part, Pause, Prompt, Say


class PromptError(TypeError):
    """An event this module does not know how to say (a new event type without a builder)."""


#: How many routines to name when the user asked for one that does not exist.
SUGGESTIONS = 3

#: Symptom ids (from the resolver) that mean a nerve is pressed rather than a muscle sore.
NERVE_SYMPTOMS = frozenset(
    {"NUMBNESS", "NUMB", "TINGLING", "PINS_AND_NEEDLES", "BURNING", "SHOOTING"}
)

#: The sentence said after the pain or red-flag advice for a symptom the safety detector names
#: (skill/core/safety.yaml); other symptoms get the advice alone.
SYMPTOM_KEYS: dict[str, str] = {
    "BURNING": "symptom.burning",
    "SHOOTING": "symptom.shooting",
    "CRAMP": "symptom.cramp",
    "RED_FLAG_BLADDER": "symptom.red_flag_bladder",
    "RED_FLAG_SADDLE": "symptom.red_flag_saddle",
    "RED_FLAG_WEAKNESS": "symptom.red_flag_weakness",
    "RED_FLAG_BOTH_LEGS": "symptom.red_flag_both_legs",
    "RED_FLAG_FALL": "symptom.red_flag_fall",
    "RED_FLAG_FEVER": "symptom.red_flag_fever",
}

_HOLD_KEYS: dict[Technique, str] = {
    Technique.STRETCH: "hold.stretch",
    Technique.TRIGGER_POINT: "hold.trigger_point",
    Technique.DEEP_TISSUE: "hold.deep_tissue",
    Technique.FOAM_ROLLER: "hold.foam_roller",
    Technique.HEAT: "hold.heat",
    Technique.COLD: "hold.cold",
    Technique.BREATHING: "hold.breathing",
}
_RELEASE_KEYS: dict[Technique, str] = {
    Technique.STRETCH: "release.stretch",
    Technique.TRIGGER_POINT: "release.trigger_point",
    Technique.DEEP_TISSUE: "release.deep_tissue",
    Technique.FOAM_ROLLER: "release.foam_roller",
    Technique.HEAT: "release.heat",
    Technique.COLD: "release.cold",
    Technique.BREATHING: "release.breathing",
}
_NOUN_KEYS: dict[Technique, str] = {
    Technique.STRETCH: "noun.stretch",
    Technique.TRIGGER_POINT: "noun.trigger_point",
    Technique.DEEP_TISSUE: "noun.deep_tissue",
    Technique.FOAM_ROLLER: "noun.foam_roller",
    Technique.HEAT: "noun.heat",
    Technique.COLD: "noun.cold",
    Technique.BREATHING: "noun.breathing",
}
_SIDE_KEYS: dict[Side, str] = {Side.LEFT: "side.left", Side.RIGHT: "side.right"}
_NOTICE_KEYS: dict[ev.NoticeKind, str] = {
    ev.NoticeKind.NOT_STARTED: "notice.not_started",
    ev.NoticeKind.FINISHED: "notice.finished",
    ev.NoticeKind.HALTED: "notice.halted",
    ev.NoticeKind.AT_START: "notice.at_start",
    ev.NoticeKind.ALREADY_PAUSED: "notice.already_paused",
    ev.NoticeKind.NOT_PAUSED: "notice.not_paused",
    ev.NoticeKind.NEED_DURATION: "notice.need_duration",
    ev.NoticeKind.NOTHING_TO_CONFIRM: "notice.nothing_to_confirm",
    ev.NoticeKind.NOT_ASKED_RATING: "notice.not_asked_rating",
    ev.NoticeKind.NEED_REST_DURATION: "notice.need_rest_duration",
    ev.NoticeKind.NO_RESTS: "notice.no_rests",
    ev.NoticeKind.NOT_WAITING: "notice.not_waiting",
}
_NOTICE_REPROMPTS: dict[ev.NoticeKind, str] = {
    ev.NoticeKind.HALTED: "reprompt.idle",
    ev.NoticeKind.ALREADY_PAUSED: "reprompt.paused",
    ev.NoticeKind.NOTHING_TO_CONFIRM: "reprompt.active",
}


@dataclass
class Fragment:
    """What one event contributes to a prompt."""

    parts: list[Part] = field(default_factory=list)
    reprompt: str | None = None
    """Replaces the reprompt of the events before it, when set."""
    end_session: bool = False
    display: dict[str, str] = field(default_factory=dict)

    def say(self, text: str) -> Fragment:
        """Append words (empty text is skipped, so optional phrases can be passed as "")."""
        if text:
            self.parts.append(Say(text))
        return self


def build_prompt(events: Iterable[ev.Event], *, variant: int = 0) -> Prompt:
    """The prompt for the events of one command, in order.

    `variant` picks among the phrase variants (pass a counter such as the plan position or a
    turn number: the same counter gives the same words, so replays are stable). The reprompt
    is the last one an event set; the session ends if any event ends it; display fields
    merge, later events winning.
    """
    parts: list[Part] = []
    reprompt: str | None = None
    end_session = False
    display: dict[str, str] = {}
    for event in events:
        builder = _BUILDERS.get(type(event))
        if builder is None:
            raise PromptError(f"no prompt for event {type(event).__name__}")
        fragment = builder(event, variant)
        parts.extend(fragment.parts)
        reprompt = fragment.reprompt or reprompt
        end_session = end_session or fragment.end_session
        display.update(fragment.display)
    return Prompt(
        parts=tuple(parts),
        reprompt=None if end_session else reprompt,
        end_session=end_session,
        display=display,
    )


# Small helpers shared by the builders.


def side_word(side: Side) -> str:
    """ "left" or "right"; empty for both sides."""
    key = _SIDE_KEYS.get(side)
    return say(key) if key else ""


def step_count(count: int) -> str:
    """ "one step", "five steps"."""
    if count == 1:
        return say("count.steps.one")
    return say("count.steps.many", number=number_words(count))


def noun(step: Step) -> str:
    """What the technique is called in "the longest for this ..."."""
    return say(_NOUN_KEYS[step.technique])


def _display_step(index: int, steps: int) -> str:
    return say("display.step", step=str(index + 1), steps=str(steps))


def _display_hold(seconds: int) -> str:
    return say("display.hold", seconds=str(seconds))


# One builder per event type.


def _disclaimer(event: ev.Disclaimer, variant: int) -> Fragment:
    return Fragment().say(say("disclaimer", variant))


def _welcome(event: ev.Welcome, variant: int) -> Fragment:
    if not event.returning:
        return Fragment().say(say("welcome.first", variant))
    if event.routine is None:
        return Fragment().say(say("welcome.returning", variant))
    items = expand(event.routine)
    item = items[min(event.position, len(items) - 1)]
    text = say(
        "welcome.resume",
        variant,
        step=number_words(item.step_index + 1),
        steps=number_words(len(event.routine.steps)),
        routine=event.routine.title,
        title=item.step.title,
    )
    display = {"title": event.routine.title}
    return Fragment(display=display).say(text)


def _offer(event: ev.Offer, variant: int) -> Fragment:
    routine = event.routine.title
    if event.resume:
        text = say("offer.resume", variant, routine=routine)
        reprompt = say("offer.reprompt.resume", variant, routine=routine)
    else:
        text = say("offer.start", variant, routine=routine)
        reprompt = say("offer.reprompt.start", variant, routine=routine)
    return Fragment(reprompt=reprompt).say(text)


def _declined(event: ev.Declined, variant: int) -> Fragment:
    return Fragment(reprompt=say("reprompt.idle", variant)).say(say("declined", variant))


def _titles(routines: tuple[Routine, ...], limit: int | None = None) -> str:
    titles = [routine.title for routine in routines[:limit]]
    return join_words(titles, say("word.or"))


def _routine_list(event: ev.RoutineList, variant: int) -> Fragment:
    text = say("routines.list", variant, names=_titles(event.routines))
    return Fragment(reprompt=say("routines.reprompt", variant)).say(text)


#: The most of an unknown routine's name said back: a whole paragraph heard as a name (or a
#: client sending one) must not make a prompt longer than Alexa takes.
NAME_SAID_MAX = 60


def _unknown_routine(event: ev.UnknownRoutine, variant: int) -> Fragment:
    names = _titles(event.routines, SUGGESTIONS)
    name = event.name
    if len(name) > NAME_SAID_MAX:
        name = name[:NAME_SAID_MAX].rsplit(" ", 1)[0].rstrip(" ,.") + "..."
    text = say("routines.unknown", variant, name=name, names=names)
    return Fragment(reprompt=say("routines.reprompt", variant)).say(text)


def _routine_started(event: ev.RoutineStarted, variant: int) -> Fragment:
    routine = event.routine
    key = "routine.restarted" if event.restarted else "routine.started"
    fragment = Fragment(display={"title": routine.title})
    fragment.say(
        say(
            key,
            variant,
            routine=routine.title,
            steps=step_count(len(routine.steps)),
            minutes=minutes_words(event.seconds),
        )
    )
    for note in routine.safety:
        fragment.say(note)
    if routine.tools:
        fragment.say(
            say("routine.tools", variant, tools=join_words(routine.tools, say("word.and")))
        )
    return fragment


def _side_switch(event: ev.SideSwitch, variant: int) -> Fragment:
    return Fragment().say(say("side.switch", variant, side=side_word(event.side)))


def _rest(event: ev.Rest, variant: int) -> Fragment:
    fragment = Fragment().say(say("rest", variant, time=duration_words(event.seconds)))
    fragment.parts.append(Pause(float(event.seconds), rest=True))
    return fragment


def _introduce(event: ev.Perform, variant: int) -> list[str]:
    """The words before the hold, by detail."""
    item, step = event.item, event.item.step
    side = side_word(item.side)
    if event.detail is ev.Detail.FULL:
        named = step.area.lower() in step.title.lower()
        if side and named:
            intro = say("perform.full.title_side", variant, title=step.title, side=side)
        elif side:
            intro = say(
                "perform.full.intro_side", variant, title=step.title, side=side, area=step.area
            )
        elif named:
            intro = say("perform.full.title", variant, title=step.title)
        else:
            intro = say("perform.full.intro", variant, title=step.title, area=step.area)
        pressure = say("perform.pressure", variant, pressure=step.pressure) if step.pressure else ""
        return [intro, *step.cues.setup, pressure]
    if event.detail is ev.Detail.BRIEF:
        # One sentence, which also starts the hold (`_perform` adds no hold phrase), unless a
        # time to get ready or a wait for "ready" comes between (then `perform.brief.begin`
        # or, after "ready", the hold phrase starts it).
        time = duration_words(event.hold)
        later = bool(event.get_ready or event.waiting)
        if side:
            key = "perform.brief.later_side" if later else "perform.brief.side"
            return [say(key, variant, title=step.title, side=side, time=time)]
        key = "perform.brief.later_plain" if later else "perform.brief.plain"
        return [say(key, variant, title=step.title, time=time)]
    # CUE: another pass of a step the user is in the middle of.
    if item.rep > 1:
        rep, reps = number_words(item.rep), number_words(step.reps)
        if side:
            return [say("perform.cue.again", variant, side=side, rep=rep, reps=reps)]
        return [say("perform.cue.again_both", variant, rep=rep, reps=reps)]
    if side:
        return [say("perform.cue.side", variant, title=step.title, side=side)]
    return [say("perform.cue.same", variant, title=step.title)]


def _perform(event: ev.Perform, variant: int) -> Fragment:
    item, step = event.item, event.item.step
    release = say(_RELEASE_KEYS[step.technique], variant, release=step.cues.release)
    fragment = Fragment(reprompt=say("reprompt.after_hold", variant))
    if event.detail is not ev.Detail.HOLD_ONLY:  # "ready" to a pass already introduced
        for text in _introduce(event, variant):
            fragment.say(text)
    fragment.display = _perform_display(event)
    if event.waiting:
        return fragment  # the hold comes with "ready" (`WaitingForReady` asks for it)
    if event.get_ready:
        fragment.say(say("get_ready.position", variant))
        fragment.parts.append(GetReady(event.get_ready))
    if event.detail is not ev.Detail.BRIEF:
        fragment.say(say(_HOLD_KEYS[step.technique], variant, time=duration_words(event.hold)))
    elif event.get_ready:
        fragment.say(say("perform.brief.begin", variant))  # the brief intro said how long
    fragment.parts.append(
        Hold(
            seconds=event.hold,
            step_id=step.id,
            side=item.side,
            rep=item.rep,
            reminders=tuple(step.cues.during),
            release=release,
        )
    )
    fragment.say(release)
    fragment.say(say("encourage", variant + item.position))
    return fragment


def _perform_display(event: ev.Perform) -> dict[str, str]:
    item, step = event.item, event.item.step
    display = {
        "title": step.title,
        "cue": step.cues.brief,
        "step": _display_step(item.step_index, event.steps),
        "hold": _display_hold(event.hold),
    }
    if item.side is not Side.BOTH:
        display["side"] = side_word(item.side)
    return display


def _waiting_for_ready(event: ev.WaitingForReady, variant: int) -> Fragment:
    fragment = Fragment(reprompt=say("get_ready.reprompt", variant))
    return fragment.say(say("get_ready.ask", variant))


def _get_ready_set(event: ev.GetReadySet, variant: int) -> Fragment:
    time = duration_words(event.seconds) if event.seconds else ""
    if event.wait:
        key = "get_ready.wait_on"
    elif event.requested is not None and event.requested > event.seconds:
        key = "get_ready.longest"
    elif event.requested is not None:
        key = "get_ready.at_none"
    else:
        key = "get_ready.set" if event.seconds else "get_ready.none"
    reprompt = _waiting_reprompt(event.in_routine, event.paused, variant)
    return Fragment(reprompt=reprompt).say(say(key, variant, time=time))


def _hold_changed(event: ev.HoldChanged, variant: int) -> Fragment:
    step, time = event.step, duration_words(event.after)
    if event.requested > event.after:
        text = say("hold_change.longest", variant, noun=noun(step), time=time)
    elif event.requested < event.after:
        text = say("hold_change.shortest", variant, noun=noun(step), time=time)
    else:
        text = say("hold_change.changed", variant, title=step.title, time=time)
    return Fragment().say(text)


def _hold_limit(event: ev.HoldLimit, variant: int) -> Fragment:
    key = "hold_change.at_longest" if event.longest else "hold_change.at_shortest"
    text = say(key, variant, noun=noun(event.step), time=duration_words(event.seconds))
    return Fragment(reprompt=say("reprompt.active", variant)).say(text)


def _rest_changed(event: ev.RestChanged, variant: int) -> Fragment:
    title, time = event.step.title, duration_words(event.after)
    if event.requested > event.after:
        text = say("rest_change.longest", variant, title=title, time=time)
    elif event.requested < event.after:
        text = say("rest_change.shortest", variant, title=title, time=time)
    else:
        text = say("rest_change.changed", variant, time=time)
    return Fragment(reprompt=say("reprompt.active", variant)).say(text)


def _rest_limit(event: ev.RestLimit, variant: int) -> Fragment:
    key = "rest_change.at_longest" if event.longest else "rest_change.at_shortest"
    text = say(key, variant, title=event.step.title, time=duration_words(event.seconds))
    return Fragment(reprompt=say("reprompt.active", variant)).say(text)


def _instructions_set(event: ev.InstructionsSet, variant: int) -> Fragment:
    key = "instructions.brief" if event.brief else "instructions.full"
    return Fragment(reprompt=say("reprompt.active", variant)).say(say(key, variant))


def _paused(event: ev.Paused, variant: int) -> Fragment:
    fragment = Fragment(reprompt=say("reprompt.paused", variant), display={"status": "paused"})
    return fragment.say(say("paused", variant))


def _resumed(event: ev.Resumed, variant: int) -> Fragment:
    return Fragment(display={"status": "active"}).say(say("resumed", variant))


def _skipped(event: ev.Skipped, variant: int) -> Fragment:
    return Fragment().say(say("skipped", variant, title=event.step.title))


def _finished(event: ev.Finished, variant: int) -> Fragment:
    display = {"title": event.routine.title}
    fragment = Fragment(end_session=not event.asking, display=display)
    minutes = minutes_words(event.seconds)
    fragment.say(say("finished.done", variant, routine=event.routine.title, minutes=minutes))
    return fragment.say(say("finished.advice", variant))


def _pain_check(event: ev.PainCheck, variant: int) -> Fragment:
    key = "pain_check.before" if event.before else "pain_check.after"
    return Fragment(reprompt=say("pain_check.reprompt", variant)).say(say(key, variant))


def _pain_rated(event: ev.PainRated, variant: int) -> Fragment:
    if event.rating is None:
        key = "pain_check.unrated_before" if event.before else "pain_check.unrated_after"
        return Fragment().say(say(key, variant))
    rating = number_words(event.rating)
    if event.before:
        return Fragment().say(say("pain_check.rated_before", variant, rating=rating))
    if event.earlier is None:
        return Fragment().say(say("pain_check.rated_after", variant, rating=rating))
    earlier = number_words(event.earlier)
    key = (
        "pain_check.lower"
        if event.rating < event.earlier
        else "pain_check.same"
        if event.rating == event.earlier
        else "pain_check.higher"
    )
    return Fragment().say(say(key, variant, rating=rating, earlier=earlier))


def _session_closed(event: ev.SessionClosed, variant: int) -> Fragment:
    return Fragment(end_session=True).say(say("closed", variant))


def _pain_check_set(event: ev.PainCheckSet, variant: int) -> Fragment:
    key = "pain_check.on" if event.on else "pain_check.off"
    reprompt = _waiting_reprompt(event.in_routine, event.paused, variant)
    return Fragment(reprompt=reprompt).say(say(key, variant))


def _forget_asked(event: ev.ForgetAsked, variant: int) -> Fragment:
    text = say("journal.forget_ask", variant)
    return Fragment(reprompt=text).say(text)


def _journal_forgotten(event: ev.JournalForgotten, variant: int) -> Fragment:
    return Fragment(reprompt=say("reprompt.idle", variant)).say(say("journal.forgotten", variant))


_ADVICE_KEYS: dict[str, str] = {
    "persists": "journal.advice.persists",
    "worsens": "journal.advice.worsens",
    "worse_after_sessions": "journal.advice.worse_after_sessions",
}
_TREND_KEYS: dict[str, str] = {
    "improving": "journal.trend.improving",
    "steady": "journal.trend.steady",
    "worse": "journal.trend.worse",
    "unknown": "journal.trend.unknown",
}


def _see_professional(event: ev.SeeProfessional, variant: int) -> Fragment:
    key = "journal.again" if event.again else _ADVICE_KEYS[event.reason]
    return Fragment().say(say(key, variant))


def _journal_asked(event: ev.JournalAsked, variant: int) -> Fragment:
    return Fragment(reprompt=say("reprompt.idle", variant)).say(say("journal.unavailable", variant))


def _journal_summary(event: ev.JournalSummary, variant: int) -> Fragment:
    fragment = Fragment(reprompt=say("reprompt.idle", variant))
    if event.sessions_week == 0 and event.latest is None and event.trend == "unknown":
        key = "journal.first" if event.under_way else "journal.empty"
        return fragment.say(say(key, variant))
    if event.sessions_week == 0:
        fragment.say(say("journal.week.none", variant))
    else:
        count = f"{number_words(event.sessions_week)} session{'s' * (event.sessions_week != 1)}"
        fragment.say(say("journal.week.some", variant, count=count))
    if event.streak > 1:
        fragment.say(say("journal.streak", variant, days=f"{number_words(event.streak)} days"))
    first = "" if event.first is None else number_words(event.first)
    latest = "" if event.latest is None else number_words(event.latest)
    return fragment.say(say(_TREND_KEYS[event.trend], variant, first=first, latest=latest))


def _stopped(event: ev.Stopped, variant: int) -> Fragment:
    key = "stopped.resumable" if event.resumable else "stopped.idle"
    return Fragment(end_session=True).say(say(key, variant))


def _progress(event: ev.Progress, variant: int) -> Fragment:
    steps = len(event.routine.steps)
    index = steps - event.steps_left
    text = say(
        "progress",
        variant,
        step=number_words(index + 1),
        steps=number_words(steps),
        title=event.current.title,
        minutes=minutes_words(event.seconds_left),
    )
    display = {"title": event.current.title, "step": _display_step(index, steps)}
    return Fragment(reprompt=say("reprompt.active", variant), display=display).say(text)


def _explanation(event: ev.Explanation, variant: int) -> Fragment:
    fragment = Fragment(reprompt=say("reprompt.active", variant))
    if event.step is None:
        return fragment.say(say("explain.coach", variant))
    return fragment.say(say("explain.step", variant, title=event.step.title, why=event.step.why))


def _pain_advice(event: ev.PainAdvice, variant: int) -> Fragment:
    nerve = event.symptom.upper() in NERVE_SYMPTOMS
    fragment = Fragment(reprompt=say("reprompt.paused", variant), display={"status": "paused"})
    fragment.say(say("pain.nerve" if nerve else "pain.pain", variant))
    if event.symptom.upper() in SYMPTOM_KEYS:
        fragment.say(say(SYMPTOM_KEYS[event.symptom.upper()], variant))
    fragment.say(say("pain.persists", variant))
    if event.step is not None:
        fragment.say(say("pain.options", variant))
    return fragment


def _red_flag(event: ev.RedFlag, variant: int) -> Fragment:
    fragment = Fragment(end_session=True, display={"status": "stopped"})
    fragment.say(say("red_flag", variant))
    if event.symptom.upper() in SYMPTOM_KEYS:
        fragment.say(say(SYMPTOM_KEYS[event.symptom.upper()], variant))
    return fragment


def _safety_reminder(event: ev.SafetyReminder, variant: int) -> Fragment:
    return Fragment().say(say("safety_reminder", variant))


def _waiting_reprompt(in_routine: bool, paused: bool, variant: int) -> str:
    """What the coach says when the user is silent: it depends on where the session stands."""
    if not in_routine:
        return say("reprompt.idle", variant)
    return say("reprompt.paused" if paused else "reprompt.active", variant)


def _help(event: ev.Help, variant: int) -> Fragment:
    key = "help.active"
    if not event.in_routine:
        key = "help.idle"
    elif event.paused:
        key = "help.paused"
    reprompt = _waiting_reprompt(event.in_routine, event.paused, variant)
    return Fragment(reprompt=reprompt).say(say(key, variant))


def _notice(event: ev.Notice, variant: int) -> Fragment:
    reprompt = say(_NOTICE_REPROMPTS.get(event.kind, "reprompt.active"), variant)
    return Fragment(reprompt=reprompt).say(say(_NOTICE_KEYS[event.kind], variant))


E = TypeVar("E", bound=ev.Event)
Builder = Callable[[Any, int], Fragment]


def _builder(
    kind: type[E], function: Callable[[E, int], Fragment]
) -> tuple[type[ev.Event], Builder]:
    """Pair an event type with its builder, checked by mypy to take that event type."""
    return kind, function


_BUILDERS: dict[type[ev.Event], Builder] = dict(
    [
        _builder(ev.Disclaimer, _disclaimer),
        _builder(ev.Welcome, _welcome),
        _builder(ev.Offer, _offer),
        _builder(ev.Declined, _declined),
        _builder(ev.RoutineList, _routine_list),
        _builder(ev.UnknownRoutine, _unknown_routine),
        _builder(ev.RoutineStarted, _routine_started),
        _builder(ev.SideSwitch, _side_switch),
        _builder(ev.Rest, _rest),
        _builder(ev.Perform, _perform),
        _builder(ev.HoldChanged, _hold_changed),
        _builder(ev.HoldLimit, _hold_limit),
        _builder(ev.Paused, _paused),
        _builder(ev.Resumed, _resumed),
        _builder(ev.Skipped, _skipped),
        _builder(ev.Finished, _finished),
        _builder(ev.Stopped, _stopped),
        _builder(ev.Progress, _progress),
        _builder(ev.Explanation, _explanation),
        _builder(ev.PainAdvice, _pain_advice),
        _builder(ev.RedFlag, _red_flag),
        _builder(ev.SafetyReminder, _safety_reminder),
        _builder(ev.Help, _help),
        _builder(ev.Notice, _notice),
        _builder(ev.PainCheck, _pain_check),
        _builder(ev.PainRated, _pain_rated),
        _builder(ev.SessionClosed, _session_closed),
        _builder(ev.PainCheckSet, _pain_check_set),
        _builder(ev.ForgetAsked, _forget_asked),
        _builder(ev.JournalForgotten, _journal_forgotten),
        _builder(ev.SeeProfessional, _see_professional),
        _builder(ev.JournalSummary, _journal_summary),
        _builder(ev.JournalAsked, _journal_asked),
        _builder(ev.RestChanged, _rest_changed),
        _builder(ev.RestLimit, _rest_limit),
        _builder(ev.InstructionsSet, _instructions_set),
        _builder(ev.WaitingForReady, _waiting_for_ready),
        _builder(ev.GetReadySet, _get_ready_set),
    ]
)
