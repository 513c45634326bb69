"""The lines a child process writes to a pipe, waited for one by one, none lost to a read-ahead.

A test that waits for a child's line with `select` and then calls a text stream's `readline`
can wait for a line it has already read: `readline` takes everything the pipe holds into the
stream's own buffer, and `select` asks the pipe, which is empty by then. On a loaded machine
the child writes several lines before the test runs again, one read takes them all, and the
next `select` waits for a line that is sitting in the buffer (seen in `tests/test_run.py`: a
coach that had written "waiting:" and sat waiting for input, and a test that waited 60 s for
that line). `ChildLines` reads the pipe itself and asks it only when no whole line is in hand.
"""

from __future__ import annotations

import os
import select

__all__ = ["ChildLines"]

_CHUNK = 65536


class ChildLines:
    """Lines from the read end `fd` of a pipe (a child's stdout), each waited for at most
    `wait_s` seconds. The caller keeps the pipe; nothing else may read from it meanwhile."""

    def __init__(self, fd: int, wait_s: float) -> None:
        self.fd = fd
        self.wait_s = wait_s
        """Longest wait for more output while no whole line is in hand."""
        self._pending = b""
        """Read from the pipe and not yet returned: the start of the next lines."""

    def read_until(self, marker: str) -> list[str]:
        """The lines (without their newline) up to and including the first that starts with
        `marker`; fails when the pipe gives nothing for `wait_s` or ends first."""
        seen: list[str] = []
        while True:
            while b"\n" not in self._pending:
                ready, _, _ = select.select([self.fd], [], [], self.wait_s)
                assert ready, f"no {marker!r} line within {self.wait_s} s; got {seen}"
                data = os.read(self.fd, _CHUNK)
                assert data, f"the child ended before a {marker!r} line; got {seen}"
                self._pending += data
            line, _, self._pending = self._pending.partition(b"\n")
            seen.append(line.decode())
            if seen[-1].startswith(marker):
                return seen

    def rest(self) -> str:
        """What was read past the last line returned, to put before what comes after it (the
        output `Popen.communicate` reads from the same pipe)."""
        return self._pending.decode()
