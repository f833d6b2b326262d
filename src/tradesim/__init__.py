"""tradesim: project bilateral trade against a political target, from sourced data and scenario files.

The core modules (data, scenario, model, report, ...) never import typer or rich; ``tradesim.cli`` is one
client of them.
"""

from typing import Any

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:
    """``__version__`` from the installed metadata, looked up on first use (importlib.metadata is slow)."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("tradesim-bilateral")
        except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
            return "0.0.0+unknown"
    raise AttributeError(f"module 'tradesim' has no attribute {name!r}")
