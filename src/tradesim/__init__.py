"""tradesim: project bilateral trade against a political target, from sourced data and scenario files.

The core modules (data, scenario, model, report, ...) never import typer or rich; ``tradesim.cli`` is one
client of them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tradesim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
