"""The `massage-coach` command line: one typer app; each command's work lives in its own module.

Commands import what they need when they run, so `massage-coach --help` starts quickly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="A hands-free voice coach for guided self-massage, starting with sciatica relief.",
)
routines_app = typer.Typer(no_args_is_help=True, help="List, show and check massage routines.")
app.add_typer(routines_app, name="routines")
model_app = typer.Typer(no_args_is_help=True, help="Check the Alexa interaction model.")
app.add_typer(model_app, name="model")

RoutineFiles = Annotated[
    list[Path] | None,
    typer.Option("--routine-file", "-f", help="Extra routine YAML files or folders to load."),
]


@routines_app.command("list")
def routines_list(routine_file: RoutineFiles = None) -> None:
    """List the routines: id, title, steps and total time."""
    from skill.routines_cli import list_routines

    raise typer.Exit(list_routines(routine_file or []))


@routines_app.command("show")
def routines_show(
    routine_id: Annotated[str, typer.Argument(metavar="ID", help="The routine's id.")],
    routine_file: RoutineFiles = None,
) -> None:
    """Show one routine's steps with their holds, reps and sides."""
    from skill.routines_cli import show_routine

    raise typer.Exit(show_routine(routine_id, routine_file or []))


@routines_app.command("validate")
def routines_validate(
    paths: Annotated[list[Path], typer.Argument(help="Routine YAML files or folders.")],
) -> None:
    """Check routine files; print every problem as FILE:LINE: field: message (exit 1 if any)."""
    from skill.routines_cli import validate_routines

    raise typer.Exit(validate_routines(paths))


@model_app.command("check")
def model_check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Model JSON files or skill-package folders (default: the project's)."),
    ] = None,
    locale: Annotated[
        str | None, typer.Option("--locale", "-l", help="Check only this locale, e.g. en-GB.")
    ] = None,
) -> None:
    """Check the interaction model: Alexa's rules, handlers, routines, locales (exit 1 on error)."""
    from skill.model_check import run_check

    raise typer.Exit(run_check(paths or None, locale))


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 5000,
    db: Annotated[
        str | None,
        typer.Option(help="SQLite file, sqlite:PATH or dynamodb:TABLE (env MASSAGE_COACH_DB)."),
    ] = None,
    skill_id: Annotated[
        list[str] | None,
        typer.Option("--skill-id", help="An accepted Alexa skill id; repeat for several."),
    ] = None,
    no_verify: Annotated[
        bool,
        typer.Option("--no-verify", help="Skip Alexa's request checks (loopback host only)."),
    ] = False,
    routine_file: RoutineFiles = None,
) -> None:
    """Serve the Alexa skill on POST /alexa and GET /healthz (Flask's development server).

    For production run gunicorn: gunicorn 'skill.server:create_app()' with MASSAGE_COACH_DB
    and MASSAGE_COACH_SKILL_IDS set, behind TLS.
    """
    from skill.server import serve as run_server

    raise typer.Exit(
        run_server(
            host=host,
            port=port,
            db=db,
            skill_ids=skill_id or (),
            verify=not no_verify,
            routine_files=routine_file or [],
        )
    )
