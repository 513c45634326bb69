"""`massage-coach replay` run from tests: dialog files written, the command's output read."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

from skill.devtools.replay import run_replay

__all__ = ["replay", "write"]


def write(path: Path, text: str) -> Path:
    """`text` written to `path` (its folders made); the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def replay(paths: list[Path], **options: Any) -> tuple[int, list[str]]:
    """`run_replay` on `paths`: its exit status and the lines it printed."""
    out = StringIO()
    status = run_replay(paths, out=out, **options)
    return status, out.getvalue().splitlines()
