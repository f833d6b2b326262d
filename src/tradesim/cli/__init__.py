"""The command line: parse options, call one core function, render its result.

A package of command modules, each registering its commands on the one application of :mod:`._app`, whose
error boundary turns errors into exit codes. Core modules are imported inside commands so ``--help`` stays fast.
"""

from __future__ import annotations

from tradesim.cli._app import app

# The command modules are imported on first use, by the application's group (_app.COMMANDS, in --help's order).

__all__ = ["app"]
