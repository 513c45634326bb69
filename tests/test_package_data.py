"""Every data file a package keeps beside its code ships in the wheel: a file missing from
``[tool.setuptools.package-data]`` works in the editable install and fails once installed."""

from __future__ import annotations

import fnmatch
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_data_file_in_a_package_is_package_data() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data: dict[str, list[str]] = pyproject["tool"]["setuptools"]["package-data"]
    tracked = subprocess.run(
        ["git", "ls-files", *package_data], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked, "git lists no files of the packages"
    missing = []
    for path in tracked:
        package, _, inner = path.partition("/")
        if path.endswith((".py", ".md")):  # code, and notes for its readers
            continue
        if not any(fnmatch.fnmatch(inner, pattern) for pattern in package_data[package]):
            missing.append(path)
    assert missing == [], f"not package data, so not in the wheel: {missing}"
