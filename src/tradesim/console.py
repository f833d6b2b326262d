"""The console script (`tradesim`, `python -m tradesim`): the command line's boundary, with the moments around
it covered too. A Ctrl-C or SIGTERM while the command line is still being imported, or after the command has
finished and the interpreter is shutting down, ends the run as one inside a command does — exit 130, no
traceback — never with the signal's own status (a shell's 143, or the -2 of a re-raised SIGINT). Once the
command's exit code is known, late signals are ignored: the work is done and its outputs are complete."""

from __future__ import annotations

import codecs
import signal
import sys

# What the tables and notes use, in ASCII, for a terminal or pipe that cannot encode them (PYTHONIOENCODING=ascii,
# a Latin-1 locale); anything else is written as a backslash escape. Never a UnicodeEncodeError.
ASCII_FORMS = {
    "–": "-", "—": "-", "−": "-", "×": "x", "→": "->", "←": "<-", "…": "...", "’": "'", "‘": "'", "“": '"',
    "”": '"', "≥": ">=", "≤": "<=", "€": "EUR ", "£": "GBP ", "¥": "JPY ", "₸": "KZT ", "±": "+/-", "·": "*",
    "─": "-", "━": "-", "│": "|", "┃": "|", "•": "*", "√": "sqrt", "⌈": "ceil(", "⌉": ")", "²": "^2",
}  # fmt: skip


def _ascii_forms(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(
        ASCII_FORMS.get(c, c.encode("ascii", "backslashreplace").decode()) for c in text
    ), error.end


codecs.register_error("tradesim.ascii", _ascii_forms)


def _encodable_streams() -> None:
    """Standard output and error that cannot encode the tables' characters fall back to their ASCII forms."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "–€×→—…".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="tradesim.ascii")


def interrupt(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C: ``KeyboardInterrupt``, which removes temporaries on its way out."""
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, interrupt)  # the command's boundary sets it again, and restores it after
    _encodable_streams()
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
