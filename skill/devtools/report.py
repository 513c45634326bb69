"""The outcome of a replay: each test's failures and what was not checked, and the summary.

A :class:`TestOutcome` holds a test's failed expectations (:class:`Failure`, each with the
answer it saw), the expectations and steps that mean nothing on the front-end it ran on
(:class:`Unchecked`: a card on the local coach, a recorded Alexa request), or why the whole
test was skipped (its dialog file names other channels). :class:`ReplayReport` counts them;
:func:`write_report` prints what failed, what was skipped, then the summary line
``N passed, M failed`` (with ``, K skipped`` and ``; not checked: S steps, E expectations``
when there are any).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from skill.devtools.answers import Answer

__all__ = ["Failure", "ReplayReport", "TestOutcome", "Unchecked", "format_failures", "write_report"]


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold, with what the front-end answered."""

    location: str
    """``FILE:LINE`` of the step (or the recorded request file)."""
    test: str
    """The test's name."""
    step: str
    """The step: its number and what it did (``step 2 (say "stop")``)."""
    message: str
    """What was expected and what came instead."""
    answer: Answer | None = None
    """The answer; None when none came back."""

    def format(self, *, with_answer: bool = True) -> str:
        """The failure and (unless told not to) the answer, for a person reading it."""
        lines = [f"{self.location}: {self.test}: {self.step}: {self.message}"]
        if with_answer and self.answer is not None:
            lines += self.answer.describe()
        return "\n".join(lines)


def format_failures(failures: Sequence[Failure]) -> str:
    """Failures for a terminal: each step's failed expectations, then its answer once."""
    blocks: list[str] = []
    for index, failure in enumerate(failures):
        following = failures[index + 1] if index + 1 < len(failures) else None
        same_step = (
            following is not None
            and following.location == failure.location
            and following.step == failure.step
            and following.answer is failure.answer
        )
        blocks.append(failure.format(with_answer=not same_step))
    return "\n".join(blocks)


@dataclass(frozen=True)
class Unchecked:
    """A step, or some of its expectations, that the front-end has no meaning for."""

    location: str
    """``FILE:LINE`` of the step."""
    step: str
    """The step's number and what it did."""
    expectations: tuple[str, ...] = ()
    """The expectations left unchecked; empty when the whole step was skipped."""
    reason: str = ""
    """Why, in a few words."""

    def format(self, test: str, channel: str) -> str:
        """One line for a person reading it."""
        what = ", ".join(self.expectations) if self.expectations else "the step"
        reason = f" ({self.reason})" if self.reason else ""
        return f"{self.location}: {test}: {self.step}: not checked on {channel}: {what}{reason}"


@dataclass
class TestOutcome:
    """How one test went."""

    __test__ = False  # not a pytest test class

    source: str
    """The dialog file or recording."""
    name: str
    """The test's name."""
    location: str
    """``FILE:LINE`` of the test."""
    failures: list[Failure] = field(default_factory=list)
    """Every failed expectation, in order."""
    answers: list[Answer] = field(default_factory=list)
    """The answers, one per step that got one."""
    unchecked: list[Unchecked] = field(default_factory=list)
    """Steps and expectations that were not checked, in order."""
    skipped: str | None = None
    """Why the whole test did not run here; None when it ran."""

    @property
    def passed(self) -> bool:
        """Whether the test ran and every step answered as expected."""
        return self.skipped is None and not self.failures

    def fail(self, location: str, step: str, message: str, answer: Answer | None = None) -> None:
        """Add a failure of one of the test's steps."""
        self.failures.append(Failure(location, self.name, step, message, answer))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass
class ReplayReport:
    """The outcomes of a replay run on one channel."""

    outcomes: list[TestOutcome] = field(default_factory=list)
    """One per test, in the order run."""
    channel: str = "alexa"
    """Where the tests ran: ``alexa`` or ``local``."""

    @property
    def passed(self) -> int:
        """How many tests passed."""
        return sum(1 for outcome in self.outcomes if outcome.passed)

    @property
    def failed(self) -> int:
        """How many tests failed."""
        return sum(1 for outcome in self.outcomes if outcome.failures)

    @property
    def skipped(self) -> int:
        """How many tests did not run on this channel."""
        return sum(1 for outcome in self.outcomes if outcome.skipped is not None)

    @property
    def unchecked_steps(self) -> int:
        """How many steps were skipped whole."""
        return sum(1 for o in self.outcomes for u in o.unchecked if not u.expectations)

    @property
    def unchecked_expectations(self) -> int:
        """How many expectations of steps that ran were not checked."""
        return sum(len(u.expectations) for o in self.outcomes for u in o.unchecked)

    def summary(self) -> str:
        """``N passed, M failed``, then what was skipped, if anything."""
        line = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            line += f", {self.skipped} skipped"
        parts = []
        if self.unchecked_steps:
            parts.append(_count(self.unchecked_steps, "step"))
        if self.unchecked_expectations:
            parts.append(_count(self.unchecked_expectations, "expectation"))
        if parts:
            line += f"; not checked on {self.channel}: {', '.join(parts)}"
        return line


def write_report(report: ReplayReport, stream: TextIO) -> None:
    """Print each test's failures (with the answers), what was skipped, then the summary."""
    for outcome in report.outcomes:
        if outcome.skipped is not None:
            print(
                f"{outcome.location}: {outcome.name}: skipped on {report.channel}: "
                f"{outcome.skipped}",
                file=stream,
            )
        for unchecked in outcome.unchecked:
            print(unchecked.format(outcome.name, report.channel), file=stream)
        if outcome.failures:
            print(format_failures(outcome.failures), file=stream)
    print(report.summary(), file=stream)
