"""The one-way imports of DESIGN.md, read from the source and measured in fresh interpreters.

The static half parses every module with `ast` (imports inside functions and under
``TYPE_CHECKING`` count too) and follows imports between the project's own modules, so a rule
broken two modules away names the whole chain. The measured half starts a fresh Python, does
what a deployment does (runs a session through the CLI, answers a request on Lambda) and looks at
`sys.modules`: a lazy import that the source hides still shows there.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import SMALL_ROUTINE

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("routines", "speech", "skill", "interaction_model")
FRONT_ENDS = ("skill.alexa", "skill.local")
DEVICE_LIBRARIES = ("rich", "pyttsx3", "sounddevice", "pocketsphinx", "typer")
"""What the local coach and the CLI need and a server or Lambda must not load."""
WEB_LIBRARIES = ("ask_sdk_core", "ask_sdk_model", "flask")
"""What the Alexa skill needs and the local coach must not load."""
FILE_CHECKERS = ("pydantic", "yaml")
"""What parses and checks routine files, and a Lambda cold start must not load (it reads the
shipped files' caches, `routines.yamlcache`, and builds plain dataclasses)."""


@dataclass(frozen=True)
class Import:
    """One import statement's target, as an absolute module name."""

    module: str
    """The imported module (for ``from a import b``: ``a.b`` if that is a module, else ``a``)."""
    line: int
    """The line of the statement."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def project_modules() -> dict[str, Path]:
    """Every module of the project's packages, by dotted name."""
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


@cache
def imports_of(module: str) -> tuple[Import, ...]:
    """Every module `module` imports, wherever the statement is, with its parent packages."""
    modules = project_modules()
    found: list[Import] = []
    for node in ast.walk(ast.parse(modules[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert not node.level, f"{module} line {node.lineno}: the project imports absolutely"
            base = node.module or ""
            targets = [base]
            targets += [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules]
        else:
            continue
        for target in targets:
            parts = target.split(".")
            # Importing a.b.c runs a/__init__.py and a/b/__init__.py first.
            found += [Import(".".join(parts[:n]), node.lineno) for n in range(1, len(parts) + 1)]
    return tuple(dict.fromkeys(found))


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def chains_to(source: str, forbidden: tuple[str, ...]) -> Iterator[str]:
    """Each import chain from `source` through project modules to a module under `forbidden`."""
    modules = project_modules()
    reached: dict[str, str] = {source: source}
    queue = [source]
    while queue:
        module = queue.pop(0)
        hits: dict[int, str] = {}  # per statement, the deepest forbidden module it imports
        for imported in imports_of(module):
            step = f"{reached[module]} -> {imported.module} (line {imported.line})"
            if any(_within(imported.module, prefix) for prefix in forbidden):
                hits[imported.line] = step
            elif imported.module in modules and imported.module not in reached:
                reached[imported.module] = step
                queue.append(imported.module)
        yield from hits.values()


def modules_under(*prefixes: str) -> list[str]:
    return [m for m in project_modules() if any(_within(m, prefix) for prefix in prefixes)]


RULES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("routines", ("speech", "skill", "ask_sdk_core", "ask_sdk_model", "flask", "pyttsx3"), "pure"),
    ("speech", ("skill",), "speech sits under skill"),
    ("interaction_model", ("routines", "speech", "skill"), "the model is data that skill reads"),
    (
        "skill.core",
        (
            *WEB_LIBRARIES,
            "ask_sdk_runtime",
            "ask_sdk_dynamodb",
            *DEVICE_LIBRARIES,
            "skill.alexa",
            "skill.local",
            "skill.devtools",
            "skill.cli",
        ),
        "the core is front-end neutral",
    ),
    ("skill.alexa", ("skill.local", "skill.devtools", "skill.cli"), "front-ends stay apart"),
    ("skill.local", ("skill.alexa", "skill.devtools", "skill.cli"), "front-ends stay apart"),
    ("skill.devtools", ("skill.cli",), "only the CLI calls the CLI"),
)


@pytest.mark.parametrize(("layer", "forbidden", "why"), RULES, ids=[rule[0] for rule in RULES])
def test_each_layer_imports_only_downwards(
    layer: str, forbidden: tuple[str, ...], why: str
) -> None:
    broken = [chain for module in modules_under(layer) for chain in chains_to(module, forbidden)]
    assert broken == [], f"{layer} must not import {', '.join(forbidden)} ({why}):\n" + "\n".join(
        broken
    )


def test_only_the_cli_and_devtools_reach_several_front_ends() -> None:
    mixed = []
    for module in modules_under("skill"):
        if _within(module, "skill.cli") or _within(module, "skill.devtools"):
            continue
        reached = {
            front_end
            for front_end in FRONT_ENDS
            if _within(module, front_end) or next(chains_to(module, (front_end,)), None)
        }
        if len(reached) > 1:
            chains = [next(chains_to(module, (front_end,)), module) for front_end in FRONT_ENDS]
            mixed.append(f"{module} reaches {sorted(reached)}: " + "; ".join(chains))
    assert mixed == [], "\n".join(mixed)


def test_the_import_reader_sees_imports_inside_functions() -> None:
    """The reader itself: the CLI imports each command's module inside the command."""
    assert any(i.module == "skill.core.durations" for i in imports_of("skill.core.commands"))
    chain = next(chains_to("skill.cli.main", ("skill.local.run",)))
    assert chain.startswith("skill.cli.main -> skill.local.run (line ")


# -- measured in a fresh interpreter ----------------------------------------------------------


WATCH = """
import sys, traceback
FIRST_IMPORTS = {}
class _Watch:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in LIBRARIES and top not in FIRST_IMPORTS:
            frames = traceback.extract_stack()[:-1]
            FIRST_IMPORTS[top] = " <- ".join(
                f"{f.filename.removeprefix(ROOT + '/')}:{f.lineno}"
                for f in reversed(frames)
                if f.filename.removeprefix(ROOT + "/").partition("/")[0] in PACKAGES
            ) or "<the probe>"
        return None
sys.meta_path.insert(0, _Watch())
"""
"""Records, for each of LIBRARIES, the project lines (innermost first) that imported it first."""


def loaded_after(code: str, libraries: tuple[str, ...], cwd: Path, **env: str) -> dict[str, str]:
    """The `libraries` a fresh Python loads running `code`, each with its importing lines."""
    probe = (
        f"LIBRARIES, ROOT, PACKAGES = {libraries!r}, {str(ROOT)!r}, {PACKAGES!r}\n"
        f"{WATCH}\n{code}\nimport json\n"
        "print('LOADED=' + json.dumps({m: FIRST_IMPORTS.get(m, '?') for m in LIBRARIES"
        " if m in sys.modules}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=cwd,
        input="stop\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd), **env},
    )
    assert done.returncode == 0, done.stderr
    marker = [line for line in done.stdout.splitlines() if line.startswith("LOADED=")]
    assert marker, done.stdout
    loaded: dict[str, str] = json.loads(marker[-1].removeprefix("LOADED="))
    return loaded


def _report(loaded: dict[str, str]) -> str:
    return "\n".join(f"{library} imported at {lines}" for library, lines in loaded.items())


def test_the_local_coach_and_its_cli_never_load_the_alexa_libraries(tmp_path: Path) -> None:
    modules = ["skill.cli.main", *modules_under("skill.local", "speech")]
    code = "\n".join(f"import {module}" for module in modules)
    loaded = loaded_after(code, WEB_LIBRARIES, tmp_path)
    assert loaded == {}, f"the local coach loads an Alexa library:\n{_report(loaded)}"


def test_a_whole_run_through_the_cli_never_loads_the_alexa_libraries(tmp_path: Path) -> None:
    (tmp_path / "small.yaml").write_text(SMALL_ROUTINE, encoding="utf-8")
    args = ["run", "small", "-f", "small.yaml", "--no-voice", "--no-listen"]
    args += ["--time-scale", "1000", "--db", "coach.sqlite3"]
    code = (
        "from skill.cli.main import app\n"
        f"try:\n    app({args!r})\nexcept SystemExit as done:\n    assert done.code == 0, done\n"
    )
    loaded = loaded_after(code, WEB_LIBRARIES, tmp_path)
    assert loaded == {}, f"`massage-coach run` loads an Alexa library:\n{_report(loaded)}"
    assert (tmp_path / "coach.sqlite3").exists()  # the session really ran and saved


@pytest.mark.parametrize(
    "entry",
    [
        "from skill.lambda_function import handler\nhandler(envelope, None)",
        "from skill.server import create_app\n"
        "assert create_app().test_client().get('/healthz').status_code == 200",
    ],
    ids=["lambda", "server"],
)
def test_the_deployed_skill_never_loads_the_local_libraries(entry: str, tmp_path: Path) -> None:
    launch = ROOT / "tests" / "requests" / "launch.json"
    code = f"import json\nenvelope = json.loads(open({str(launch)!r}).read())\n{entry}"
    loaded = loaded_after(code, DEVICE_LIBRARIES, tmp_path, MASSAGE_COACH_DB="coach.sqlite3")
    assert loaded == {}, f"the deployed skill loads a local library:\n{_report(loaded)}"


def test_the_lambda_entry_point_answering_a_launch_never_loads_pydantic(tmp_path: Path) -> None:
    launch = ROOT / "tests" / "requests" / "launch.json"
    code = (
        f"import json\nenvelope = json.loads(open({str(launch)!r}).read())\n"
        "from skill.lambda_function import handler\n"
        "response = handler(envelope, None)\n"
        "assert response['response']['outputSpeech'], response"
    )
    loaded = loaded_after(code, FILE_CHECKERS, tmp_path, MASSAGE_COACH_DB="coach.sqlite3")
    assert loaded == {}, f"a Lambda cold start loads a file checker:\n{_report(loaded)}"
    assert (tmp_path / "coach.sqlite3").exists()  # the launch really ran and saved


def test_a_routine_file_is_still_checked_by_pydantic(tmp_path: Path) -> None:
    """The probe itself sees pydantic and PyYAML when a user's routine file is loaded."""
    (tmp_path / "small.yaml").write_text(SMALL_ROUTINE, encoding="utf-8")
    code = "from pathlib import Path\nfrom routines.loader import load_library\n"
    code += "assert 'small' in load_library([Path('small.yaml')])"
    loaded = loaded_after(code, FILE_CHECKERS, tmp_path)
    assert sorted(loaded) == ["pydantic", "yaml"]
    assert "routines/loader.py" in loaded["pydantic"]


def test_history_reads_the_journal_without_the_audio_or_alexa_libraries(tmp_path: Path) -> None:
    code = (
        "from skill.core.store import LOCAL_USER_ID, SQLiteStore\n"
        "SQLiteStore('coach.sqlite3').save(LOCAL_USER_ID, {'state': None})\n"
        "from skill.cli.main import app\n"
        "try:\n    app(['history', '--db', 'coach.sqlite3'])\n"
        "except SystemExit as done:\n    assert done.code == 1, done  # nothing recorded yet\n"
    )
    audio = ("numpy", "pyttsx3", "sounddevice", "pocketsphinx")  # rich and typer it needs
    loaded = loaded_after(code, audio + WEB_LIBRARIES, tmp_path)
    assert loaded == {}, f"`massage-coach history` loads:\n{_report(loaded)}"
