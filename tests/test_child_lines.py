"""`tests.support.child_lines`: a child's lines read from a real pipe, none lost to a read-ahead.

The pipe is filled before it is read and kept open, so no test waits: the answer is either in
hand or the wait of 0 s fails at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest

from tests.support.child_lines import ChildLines


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    """A real pipe: (the end the test reads, the end the "child" writes)."""
    read_end, write_end = os.pipe()
    yield read_end, write_end
    os.close(read_end)
    os.close(write_end)


def test_a_line_that_came_with_the_ones_before_it_is_found_without_waiting(
    pipe: tuple[int, int],
) -> None:
    read_end, write_end = pipe
    # The coach's last lines in one burst, as a loaded machine hands them over: one read
    # takes them all. Then the coach waits for input, so the open pipe gives nothing more.
    os.write(write_end, b"hold: 30 s\nhold: done\nwaiting: Say next when you're ready.\n")
    lines = ChildLines(read_end, wait_s=0)
    assert lines.read_until("hold: done") == ["hold: 30 s", "hold: done"]
    assert lines.read_until("waiting:") == ["waiting: Say next when you're ready."]


def test_a_line_split_across_reads_is_whole(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    lines = ChildLines(read_end, wait_s=0)
    os.write(write_end, b"heard: longer ")
    with pytest.raises(AssertionError, match=re.escape("no 'heard:' line within 0 s; got []")):
        lines.read_until("heard:")
    os.write(write_end, b"hold -> LongerHoldIntent (line)\nat: Small")
    assert lines.read_until("heard:") == ["heard: longer hold -> LongerHoldIntent (line)"]
    assert lines.rest() == "at: Small"


def test_no_line_in_time_fails_with_what_came(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    os.write(write_end, b"coach: Hello.\n")
    message = "no 'waiting:' line within 0 s; got ['coach: Hello.']"
    with pytest.raises(AssertionError, match=re.escape(message)):
        ChildLines(read_end, wait_s=0).read_until("waiting:")


def test_a_child_that_ends_first_fails_at_once() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"note: Stopped.\n")
    os.close(write_end)
    try:
        with pytest.raises(AssertionError, match="the child ended before a 'waiting:' line"):
            ChildLines(read_end, wait_s=60).read_until("waiting:")
    finally:
        os.close(read_end)


def test_what_was_read_past_the_line_is_handed_back(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    os.write(write_end, b"heard: q -> AMAZON.StopIntent (key)\ncoach: Okay, stopping here.\n")
    lines = ChildLines(read_end, wait_s=0)
    lines.read_until("heard: q")
    assert lines.rest() == "coach: Okay, stopping here.\n"
