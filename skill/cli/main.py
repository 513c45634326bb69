"""The `massage-coach` command line: one typer app; each command's work lives in its own module.

Commands import what they need when they run, so `massage-coach --help` starts quickly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from routines.loader import DEFAULT_ROUTINE

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="A hands-free voice coach for guided self-massage, starting with sciatica relief.",
)
routines_app = typer.Typer(no_args_is_help=True, help="List, show and check massage routines.")
app.add_typer(routines_app, name="routines")
model_app = typer.Typer(no_args_is_help=True, help="Check the Alexa interaction model.")
app.add_typer(model_app, name="model")

ChosenRoutine = Annotated[
    str | None,
    typer.Argument(metavar="ROUTINE", help=f"The routine's id (default: {DEFAULT_ROUTINE})."),
]
RoutineFiles = Annotated[
    list[Path] | None,
    typer.Option("--routine-file", "-f", help="Extra routine YAML files or folders to load."),
]
StoreOption = Annotated[
    Path | None,
    typer.Option("--db", help="The SQLite store whose preferences to use (env MASSAGE_COACH_DB)."),
]
UserOption = Annotated[
    str | None,
    typer.Option("--user", help="Whose preferences (default: the local coach's user)."),
]
AsNewOption = Annotated[
    bool,
    typer.Option(
        "--as-new", help="As a new user: every default (holds, rests, time to get ready), in full."
    ),
]


@routines_app.command("list")
def routines_list(routine_file: RoutineFiles = None) -> None:
    """List the routines: id, title, steps and total time."""
    from skill.cli.routines import list_routines

    raise typer.Exit(list_routines(routine_file or []))


@routines_app.command("show")
def routines_show(
    routine_id: Annotated[str, typer.Argument(metavar="ID", help="The routine's id.")],
    routine_file: RoutineFiles = None,
) -> None:
    """Show one routine's steps with their holds, reps and sides."""
    from skill.cli.routines import show_routine

    raise typer.Exit(show_routine(routine_id, routine_file or []))


@routines_app.command("validate")
def routines_validate(
    paths: Annotated[list[Path], typer.Argument(help="Routine YAML files or folders.")],
) -> None:
    """Check routine files; print every problem as FILE:LINE: field: message (exit 1 if any)."""
    from skill.cli.routines import validate_routines

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
    from skill.devtools.model_check import run_check

    raise typer.Exit(run_check(paths or None, locale))


@app.command("render")
def render(
    output: Annotated[Path, typer.Option("--output", "-o", help="The WAV file to write.")],
    timeline: Annotated[
        Path | None, typer.Option("--timeline", help="Also write the timeline as JSON here.")
    ] = None,
    voice: Annotated[
        str | None, typer.Option("--voice", help="A voice id, name or language, e.g. en-us.")
    ] = None,
    rate: Annotated[int | None, typer.Option("--rate", help="Words per minute.")] = None,
    routine_file: RoutineFiles = None,
    db: StoreOption = None,
    user: UserOption = None,
    as_new: AsNewOption = False,
    routine_id: ChosenRoutine = None,
) -> None:
    """Render a whole guided session as one WAV file,
    at your holds, rests, brief mode and time to get ready."""
    from skill.cli.render import render_routine

    raise typer.Exit(
        render_routine(
            routine_id or DEFAULT_ROUTINE,
            output,
            timeline,
            voice,
            rate,
            routine_file or [],
            db=db,
            user=user,
            as_new=as_new,
        )
    )


@app.command("script")
def script(
    routine_id: ChosenRoutine = None,
    ssml: Annotated[
        bool, typer.Option("--ssml", help="Print the SSML of each Alexa response instead.")
    ] = False,
    routine_file: RoutineFiles = None,
    db: StoreOption = None,
    user: UserOption = None,
    as_new: AsNewOption = False,
) -> None:
    """Print a whole guided session as text with times (or as Alexa SSML), as for render."""
    from skill.cli.render import script_routine

    raise typer.Exit(
        script_routine(
            routine_id or DEFAULT_ROUTINE, ssml, routine_file or [], db=db, user=user, as_new=as_new
        )
    )


@app.command("run")
def run(
    routine: ChosenRoutine = None,
    no_voice: Annotated[bool, typer.Option("--no-voice", help="Text only, no speech.")] = False,
    no_listen: Annotated[
        bool, typer.Option("--no-listen", help="No microphone; keys or stdin lines only.")
    ] = False,
    time_scale: Annotated[
        float,
        typer.Option("--time-scale", min=0.001, help="Run the clock X times as fast (demos)."),
    ] = 1.0,
    voice: Annotated[
        str | None, typer.Option("--voice", help="Speech voice: an id, a name or a language.")
    ] = None,
    rate: Annotated[
        int | None, typer.Option("--rate", min=40, max=500, help="Speaking rate, words a minute.")
    ] = None,
    routine_file: RoutineFiles = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue unfinished progress without asking.")
    ] = False,
    db: Annotated[
        Path | None, typer.Option("--db", help="The SQLite store (env MASSAGE_COACH_DB).")
    ] = None,
    pain_check: Annotated[
        bool | None,
        typer.Option(
            "--pain-check/--no-pain-check",
            help="Ask (or stop asking) how the pain is, 0 to 10, when a routine starts and "
            "ends; remembered, like saying so.",
        ),
    ] = None,
    wait_for_ready: Annotated[
        bool | None,
        typer.Option(
            "--wait-for-ready/--no-wait-for-ready",
            help='Before each hold, wait until you say "ready" (or press g) instead of giving '
            "a few seconds to get into position; remembered, like saying so.",
        ),
    ] = None,
) -> None:
    """Run a guided session here: spoken holds, a live screen, commands by key, voice or stdin.

    Keys: n next, b back, r repeat, + longer, - shorter, space pause/resume,
    s skip, t time left, w why, ! it hurts, ? help, q quit, g ready.
    When stdin is not a terminal, each line is one command ("next",
    "hold for 45 seconds", "it hurts"). Ctrl-C saves progress.
    """
    from skill.local.run import RunOptions, run_coach

    options = RunOptions(
        routine=routine,
        speak=not no_voice,
        listen=not no_listen,
        time_scale=time_scale,
        voice=voice,
        rate=rate,
        routine_files=tuple(routine_file or ()),
        resume=resume,
        db=db,
        pain_check=pain_check,
        wait_for_ready=wait_for_ready,
    )
    raise typer.Exit(run_coach(options))


@app.command("history")
def history(
    days: Annotated[
        int, typer.Option("--days", min=1, help="Show the sessions of the last N days.")
    ] = 30,
    csv: Annotated[
        bool, typer.Option("--csv", help="Print the sessions as CSV (with a header row).")
    ] = False,
    png: Annotated[
        Path | None,
        typer.Option("--png", metavar="FILE", help="Also draw the pain chart into a PNG file."),
    ] = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="The SQLite store (env MASSAGE_COACH_DB).")
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", metavar="ID", help="Whose sessions (default: the local coach's)."),
    ] = None,
    forget: Annotated[
        bool,
        typer.Option(
            "--forget", help="Delete this user's history: sessions, symptoms reported (asks first)."
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="With --forget: do not ask.")] = False,
) -> None:
    """Show recent sessions: a table and a chart of pain before and after, over time.

    --png needs the optional extra: pip install 'massage-coach\\[charts]'.
    --forget deletes the user's history (sessions, symptoms);
    progress and preferences stay.
    """
    from skill.cli.history import HistoryOptions, run_history

    if forget and (csv or png):
        raise typer.BadParameter(
            "--forget shows nothing: drop --csv and --png", param_hint="--forget"
        )
    if yes and not forget:
        raise typer.BadParameter(
            "--yes answers --forget's question; add --forget", param_hint="--yes"
        )
    options = HistoryOptions(days=days, csv=csv, png=png, forget=forget, yes=yes)
    raise typer.Exit(run_history(options, user=user, db=db))


@app.command("listen")
def listen(
    files: Annotated[
        list[Path] | None, typer.Argument(metavar="FILE...", help="Recorded WAV files.")
    ] = None,
    wav: Annotated[
        bool, typer.Option("--wav", help="Recognise WAV files (any rate, mono or stereo).")
    ] = False,
) -> None:
    """Recognise commands: in WAV files (--wav), else from the microphone until Ctrl-C.

    Prints FILE<TAB>INTENT<TAB>heard text per file,
    with - as the intent when nothing was recognised
    (from the microphone: INTENT<TAB>heard text per phrase).
    """
    from skill.local.run import listen_microphone, listen_wavs

    if wav or files:
        if not files:
            raise typer.BadParameter("give at least one WAV file", param_hint="FILE...")
        raise typer.Exit(listen_wavs(files))
    raise typer.Exit(listen_microphone())


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
    record: Annotated[
        Path | None,
        typer.Option("--record", metavar="DIR", help="Write each request/response pair here."),
    ] = None,
) -> None:
    """Serve the Alexa skill on POST /alexa and GET /healthz (Flask's development server).

    For production run gunicorn: gunicorn 'skill.server:create_app()'
    with MASSAGE_COACH_DB and MASSAGE_COACH_SKILL_IDS set, behind TLS.
    """
    from skill.alexa.server import serve as run_server

    raise typer.Exit(
        run_server(
            host=host,
            port=port,
            db=db,
            skill_ids=skill_id or (),
            verify=not no_verify,
            routine_files=routine_file or [],
            record_dir=record,
        )
    )


@app.command("replay")
def replay(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Dialog files (*.yaml), recording folders, ask-dialog skill-io files."),
    ],
    url: Annotated[
        str | None,
        typer.Option("--url", help="Replay against a running endpoint (its POST URL)."),
    ] = None,
    local: Annotated[
        bool,
        typer.Option(
            "--local",
            help="Replay the dialogs against the local coach on a virtual clock instead "
            "(cards, directives and recorded Alexa requests are counted as not checked).",
        ),
    ] = False,
    routine_file: RoutineFiles = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Run against the SQLite store at PATH (created if missing) and keep it; a "
            "dialog's user: is then the same user in every run. Not with --url.",
        ),
    ] = None,
) -> None:
    """Replay dialogs and recorded traffic against the skill,
    or the dialogs against the local coach (exit 1 if any test fails, 2 for unusable input)."""
    from skill.devtools.replay import run_replay

    raise typer.Exit(
        run_replay(paths, url=url, local=local, routine_files=routine_file or [], db=db)
    )
