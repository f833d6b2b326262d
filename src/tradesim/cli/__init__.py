"""The command line: parse options, call one core function, render its result.

A package of command modules, each registering its commands on the one application of :mod:`._app`, whose
error boundary turns errors into exit codes. Core modules are imported inside commands so ``--help`` stays fast.
"""

from __future__ import annotations

from tradesim.cli._app import app

# Importing a command module registers its commands; the order here is the order of `tradesim --help`.
# isort: off
from tradesim.cli import project, data, audit, check, uncertainty  # noqa: F401
from tradesim.cli import targets, nowcast, backtest, htmlreport, scenarios, solve  # noqa: F401
# isort: on

__all__ = ["app"]
