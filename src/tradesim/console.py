"""The console script (`tradesim`, `python -m tradesim`): the command line's boundary, with the moments around
it covered too. A Ctrl-C or SIGTERM while the command line is still being imported, or after the command has
finished and the interpreter is shutting down, ends the run as one inside a command does — exit 130, no
traceback — never with the signal's own status (a shell's 143, or the -2 of a re-raised SIGINT). Once the
command's exit code is known, late signals are ignored: the work is done and its outputs are complete."""

from __future__ import annotations

import signal
import sys


def interrupt(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C: ``KeyboardInterrupt``, which removes temporaries on its way out."""
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, interrupt)  # the command's boundary sets it again, and restores it after
    code: object
    try:
        from tradesim.cli import app

        app(prog_name="tradesim")
        code = 0
    except KeyboardInterrupt:
        code = 130
    except SystemExit as done:
        code = done.code
    for sent in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sent, signal.SIG_IGN)
    sys.exit(code)
