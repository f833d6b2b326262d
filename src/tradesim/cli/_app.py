"""The Typer application and its one error boundary (:class:`Boundary`).

Exit 0 on success, 1 when a check fails, 2 on bad input (usage errors and every
:class:`~tradesim.errors.TradesimError`, and an output that cannot be written: a full disk, a closed terminal)
with one line per problem on stderr and no traceback (``--traceback`` re-raises), 130 on Ctrl-C and on
SIGTERM (both unwind, so temporaries are removed and no output is left half-written). A reader that closes the
pipe early (``tradesim data | head``) ends the run quietly, exit 0: what it read was complete.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tradesim.errors import CheckFailed, TradesimError
from tradesim.output import visible


class Boundary(TyperGroup):
    """Turns errors into exit codes and one-line messages, for the console script and CliRunner alike."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone_mode = kwargs.pop("standalone_mode", True)
        argv = list(kwargs.get("args") or (args[0] if args else None) or sys.argv[1:])
        from tradesim.cli import render

        # --quiet/-q anywhere before `--` (tradesim -q project, tradesim project -q): taken here, for every command
        end = argv.index("--") if "--" in argv else len(argv)
        render.QUIET = any(a in ("--quiet", "-q") for a in argv[:end])
        if render.QUIET:
            argv = [a for i, a in enumerate(argv) if i >= end or a not in ("--quiet", "-q")]
            if args:
                args = (argv, *args[1:])
            else:
                kwargs["args"] = argv
        previous = _on_sigterm()
        from tradesim import atomic

        atomic.forget_inputs()  # each command's own: in-process runs (tests, a notebook) do not share them
        try:
            code = super().main(*args, **kwargs, standalone_mode=False)  # type: ignore[misc]
        except BrokenPipeError:
            _quiet_stdout()
            code = 0
        except (
            SystemExit
        ) as stop:  # click's and rich's answer to a closed pipe: exit 1, "a check failed" here
            closed = (
                isinstance(stop.__context__, BrokenPipeError)
                or type(sys.stdout).__name__ == "PacifyFlushWrapper"
            )
            if not closed:
                raise
            _quiet_stdout()
            code = 0 if stop.code == 1 else stop.code
        except TradesimError as error:
            if "--traceback" in argv:
                raise
            for problem in error.problems:
                typer.echo(f"tradesim: error: {visible(str(problem))}", err=True)
            code = 1 if isinstance(error, CheckFailed) else 2
        except typer.TyperException as error:  # typer's (vendored click's) usage errors
            context = getattr(error, "ctx", None)
            path = context.command_path if context is not None else "tradesim"
            command = (
                path.split(" ", 1)[1] if " " in path else ""
            )  # "tradesim: error: tradesim ..." said it twice
            where = f"{command}: " if command else ""
            typer.echo(
                visible(f"tradesim: error: {where}{error.format_message()} (see {path} --help)"), err=True
            )
            code = error.exit_code
        except (typer.Abort, KeyboardInterrupt):
            code = 130
        except OSError as error:  # an output that cannot be written (stdout on a full disk, ...)
            if "--traceback" in argv:
                raise
            # a path the run could not use (a name too long, a folder it may not list), else the output stream
            what = f"{error.filename}: " if error.filename else "cannot write the output: "
            typer.echo(visible(f"tradesim: error: {what}{error.strerror or error}"), err=True)
            code = 2
        finally:
            _restore_sigterm(previous)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _on_sigterm() -> object:
    """SIGTERM unwinds like Ctrl-C (``KeyboardInterrupt``), in the main thread; returns the handler it replaced."""
    import signal
    import threading

    from tradesim.console import interrupt

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, interrupt)


def _restore_sigterm(previous: object) -> None:
    import signal

    if previous is not None:
        signal.signal(signal.SIGTERM, previous)  # type: ignore[arg-type]


def _quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null, so the interpreter's last flush does not fail again."""
    import os

    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# The commands, in `tradesim --help`'s order: name → (module, the Typer in it, short help). A command's module is
# imported, and its options built, only when that command runs or its help is asked for: `tradesim project` builds
# `project`'s options, not those of all twenty commands, and `tradesim --help` imports none of them.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "project": ("tradesim.cli.project", "app", "Project scenarios and read them against a target."),
    "audit": ("tradesim.cli.audit", "app", "Check the [[claims]] of scenario files."),
    "check": ("tradesim.cli.check", "app", "CI: fail when a snapshot or expectation moved."),
    "simulate": ("tradesim.cli.uncertainty", "app", "Monte Carlo: P(target reached), percentiles."),
    "sensitivity": ("tradesim.cli.uncertainty", "app", "Which assumption matters most: tornado or grid."),
    "plot": ("tradesim.cli.uncertainty", "app", "Draw paths, a simulation fan or a tornado."),
    "targets": ("tradesim.cli.targets", "app", "Every announced target: met, on track, behind, off track."),
    "nowcast": ("tradesim.cli.nowcast", "app", "The full year from a partial-year figure."),
    "backtest": ("tradesim.cli.backtest", "app", "How good past projections would have been."),
    "report": ("tradesim.cli.htmlreport", "app", "One self-contained HTML page: tables, charts, sources."),
    "data": ("tradesim.cli.data", "data_app", "The observations, with period, status, source."),
    "scenarios": (
        "tradesim.cli.scenarios",
        "scenarios_app",
        "List the scenarios found, or validate scenario files.",
    ),
    "solve": ("tradesim.cli.solve", "solve_app", "Goal seek: growth, year, share, rest growth."),
}


def short_help(name: str) -> str:
    """A command's one line in `tradesim --help` (:data:`COMMANDS`)."""
    return COMMANDS[name][2]


class Root(Boundary):
    """The application's group: its commands loaded on first use (:data:`COMMANDS`)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in super().list_commands(ctx) if name not in COMMANDS)]

    def get_command(self, ctx: Any, name: str) -> Any:
        import importlib

        if name not in COMMANDS:
            return super().get_command(ctx, name)
        module, attribute, _ = COMMANDS[name]
        command: Any = typer.main.get_command(getattr(importlib.import_module(module), attribute))
        if attribute == "app" and hasattr(command, "list_commands"):  # a module of several commands
            command = command.get_command(ctx, name)
        command.name = name
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from :data:`COMMANDS`, importing none of them."""
        rows = [(name, help) for name, (_, _, help) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    cls=Root,
    help="Model a country's trade against a political trade target, from sourced data and scenario files.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from tradesim import __version__

        typer.echo(f"tradesim {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    traceback: Annotated[
        bool, typer.Option("--traceback", help="Show the full traceback of an error.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="No notes on stderr (errors still are). Also after the command: tradesim project -q.",
        ),
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """tradesim: when is the target reached, at what growth, and what share of total trade is that?"""
