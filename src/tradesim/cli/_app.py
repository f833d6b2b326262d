"""The Typer application and its one error boundary (:class:`Boundary`).

Exit 0 on success, 1 when a check fails, 2 on bad input (usage errors and every
:class:`~tradesim.errors.TradesimError`) with one line per problem on stderr and no traceback (``--traceback``
re-raises), 130 on Ctrl-C.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tradesim.errors import CheckFailed, TradesimError


class Boundary(TyperGroup):
    """Turns errors into exit codes and one-line messages, for the console script and CliRunner alike."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone_mode = kwargs.pop("standalone_mode", True)
        argv = list(kwargs.get("args") or (args[0] if args else None) or sys.argv[1:])
        from tradesim.data.observations import scope

        try:
            with scope():  # the --data folder of this invocation stays in it
                code = super().main(*args, **kwargs, standalone_mode=False)  # type: ignore[misc]
        except TradesimError as error:
            if "--traceback" in argv:
                raise
            for problem in error.problems:
                typer.echo(f"tradesim: error: {problem}", err=True)
            code = 1 if isinstance(error, CheckFailed) else 2
        except typer.TyperException as error:  # typer's (vendored click's) usage errors
            context = getattr(error, "ctx", None)
            where = f"{context.command_path}: " if context is not None else ""
            typer.echo(f"tradesim: error: {where}{error.format_message()} (see --help)", err=True)
            code = error.exit_code
        except (typer.Abort, KeyboardInterrupt):
            code = 130
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=Boundary,
    help="Model a country's trade against a political trade target, from sourced data and scenario files.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
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
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """tradesim: when is the target reached, at what growth, and what share of total trade is that?"""
