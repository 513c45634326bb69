"""The body of `massage-coach history`: a user's recent sessions, as a table and a pain chart.

It reads the pain journal (`skill.core.journal.Journal`) kept in the same SQLite file as the
user's record (`skill.core.store`), and prints either the table of the last `--days` days with
the terminal chart (`skill.cli.history_chart`) in a panel below it, or, with `--csv`, the same
sessions as CSV for a spreadsheet. `--png FILE` also draws the chart as an image
(`skill.cli.history_png`, matplotlib, an optional extra). `--forget` deletes the user's history
(the journal, and the symptom log and window copy in their record; their progress and
preferences stay), after asking.

Every error a user can cause is one line on stderr and exit status 1, with the store left as
it is: no store at the path (none is created), a user the store does not know, no sessions in
the period, a damaged store. Ratings and symptoms go to the terminal or the files asked for,
never to the log.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from skill.cli.history_chart import LEGEND, draw_chart
from skill.cli.history_rows import TABLE_HEADER, pain_points, table_rows, write_csv
from skill.core.journal import Journal, SessionEntry
from skill.core.journal_store import SQLiteJournal
from skill.core.store import LOCAL_USER_ID, SQLiteStore, Store, StoreError, default_db_path

__all__ = [
    "ALL_TIME",
    "HistoryError",
    "HistoryOptions",
    "Terminal",
    "local_zone",
    "run_history",
    "show_history",
]

logger = logging.getLogger(__name__)

ALL_TIME = datetime(1970, 1, 1, tzinfo=UTC)
"""Before any session: `since(ALL_TIME)` reads a user's whole journal (only to count it for
`--forget` and to say when the last session was when a period is empty)."""

PANEL_WIDTH = 4
"""The columns a panel takes around its content: a border and a space on each side."""


class HistoryError(Exception):
    """Something the user asked for cannot be shown; the message says what and why."""


@dataclass(frozen=True)
class HistoryOptions:
    """The options of `massage-coach history`."""

    days: int = 30
    """How far back, in days from now."""
    csv: bool = False
    """Print CSV instead of the table and the chart."""
    png: Path | None = None
    """Also draw the chart into this PNG file."""
    forget: bool = False
    """Delete the user's journal instead of showing it."""
    yes: bool = False
    """With `forget`: do not ask."""


@dataclass(frozen=True)
class Terminal:
    """Where the command talks: the output, the errors, and how it asks a yes/no question."""

    out: IO[str]
    err: IO[str]
    confirm: Callable[[str], bool]
    """Asks the question; True for yes."""


def _whole_journal(store: Store, journal: Journal, user: str, where: str) -> list[SessionEntry]:
    """The user's whole journal; HistoryError when the store knows nothing of them."""
    everything = journal.since(user, ALL_TIME)
    if not everything and store.load(user) is None:
        raise HistoryError(f"no user {user!r} in {where}")
    return everything


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _empty_message(
    user: str, days: int, everything: Sequence[SessionEntry], now: datetime, zone: tzinfo
) -> str:
    if not everything:
        return f"no sessions of {user!r} recorded yet"
    last = everything[-1].started
    return (
        f"no sessions of {user!r} in the last {_plural(days, 'day')}; the last one was on "
        f"{last.astimezone(zone).date().isoformat()} (try --days {(now - last).days + 1})"
    )


def _table(entries: Sequence[SessionEntry], title: str, zone: tzinfo) -> Table:
    table = Table(
        title=title, title_justify="left", box=None, pad_edge=False, collapse_padding=True
    )
    for name in TABLE_HEADER:
        numeric = name in ("done", "min", "before", "after")
        table.add_column(name, justify="right" if numeric else "left", no_wrap=name != "symptoms")
    for row in table_rows(entries, zone):
        table.add_row(*row)
    return table


def _chart_panel(entries: Sequence[SessionEntry], width: int, zone: tzinfo) -> Panel | Text:
    points = pain_points(entries, zone)
    if not points:
        return Text("No pain ratings in this period to chart.")
    chart = draw_chart(points, width - PANEL_WIDTH)
    caption = LEGEND
    if chart.shown < len(points):
        caption = f"the last {chart.shown} of {len(points)} rated sessions; {LEGEND}"
    return Panel(
        Text("\n".join(chart.lines)),
        title=f"Pain before and after, {chart.first} to {chart.last}",
        subtitle=caption,
        expand=False,
    )


def _forget(
    journal: Journal, user: str, count: int, options: HistoryOptions, terminal: Terminal
) -> int:
    if count == 0:
        print(f"{user!r} has no sessions to delete.", file=terminal.out)
        return 0
    question = f"Delete all {_plural(count, 'session')} of {user}?"
    if not options.yes and not terminal.confirm(question):
        print("Nothing was deleted.", file=terminal.err)
        return 1
    journal.forget(user)
    logger.info("history: a user's journal was deleted")
    print(
        f"Deleted {_plural(count, 'session')} of {user}; their progress and preferences were kept.",
        file=terminal.out,
    )
    return 0


def show_history(
    store: Store,
    journal: Journal,
    user: str,
    where: str,
    options: HistoryOptions,
    terminal: Terminal,
    *,
    now: datetime,
    zone: tzinfo,
) -> int:
    """Do what `options` ask with `user`'s journal in `store`'s file (named `where`).

    Returns the exit status: 0, or 1 after printing an error.
    """
    try:
        if options.forget:
            everything = _whole_journal(store, journal, user, where)
            return _forget(journal, user, len(everything), options, terminal)
        entries = journal.since(user, now - timedelta(days=options.days))
        logger.debug("history: %d sessions in the period", len(entries))
        if not entries:
            everything = _whole_journal(store, journal, user, where)
            raise HistoryError(_empty_message(user, options.days, everything, now, zone))
        if options.png is not None:
            _write_png(entries, options, zone, terminal)
        if options.csv:
            write_csv(entries, terminal.out)
        else:
            _print(entries, user, options.days, zone, terminal)
    except (HistoryError, StoreError) as error:
        print(f"error: {error}", file=terminal.err)
        return 1
    return 0


def _write_png(
    entries: Sequence[SessionEntry], options: HistoryOptions, zone: tzinfo, terminal: Terminal
) -> None:
    from skill.cli.history_png import ChartsMissingError, write_png

    assert options.png is not None
    title = f"Pain before and after each session, last {_plural(options.days, 'day')}"
    try:
        write_png(pain_points(entries, zone), options.png, title, zone)
    except ChartsMissingError as error:
        raise HistoryError(str(error)) from error
    except OSError as error:
        raise HistoryError(f"cannot write {options.png}: {error.strerror or error}") from error
    print(f"Wrote the chart to {options.png}.", file=terminal.err)


def _print(
    entries: Sequence[SessionEntry], user: str, days: int, zone: tzinfo, terminal: Terminal
) -> None:
    console = Console(file=terminal.out)
    first, last = (entry.started.astimezone(zone).date() for entry in (entries[0], entries[-1]))
    title = (
        f"{_plural(len(entries), 'session')} of {user} in the last {_plural(days, 'day')}, "
        f"{first} to {last}"
    )
    console.print(_table(entries, title, zone))
    console.print(_chart_panel(entries, console.width, zone))


def local_zone() -> tzinfo:
    """This machine's time zone, as the table and the charts show times."""
    zone = datetime.now().astimezone().tzinfo
    return zone if zone is not None else UTC


def terminal() -> Terminal:
    """The real terminal: stdout, stderr, and typer's [y/N] question on stdin."""
    import typer

    def confirm(question: str) -> bool:
        try:
            return typer.confirm(question, default=False)
        except typer.Abort:  # end of input or Ctrl-C: not a yes
            return False

    return Terminal(out=sys.stdout, err=sys.stderr, confirm=confirm)


def run_history(options: HistoryOptions, *, user: str | None, db: Path | None) -> int:
    """`massage-coach history`: open the store at `db` (default: the local coach's) and do what
    `options` ask with `user`'s journal (default: the local coach's user). Returns the exit
    status."""
    path = db if db is not None else default_db_path()
    err = sys.stderr
    if not path.exists():
        # Opening would create an empty store: a mistyped path must not leave one behind.
        print(f"error: no store at {path}: nothing was ever recorded there", file=err)
        return 1
    if user is None:
        user = LOCAL_USER_ID
    try:
        store = SQLiteStore(path)
        journal = SQLiteJournal(store)
    except StoreError as error:
        print(f"error: {error}", file=err)
        return 1
    with store:
        return show_history(
            store,
            journal,
            user,
            str(path),
            options,
            terminal(),
            now=datetime.now(UTC),
            zone=local_zone(),
        )
