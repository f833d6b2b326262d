from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner

from tradesim.cli import app


@pytest.fixture
def run() -> Callable[..., object]:
    """Invoke the CLI in-process; stdout and stderr are kept apart."""
    runner = CliRunner()

    def invoke(*args: str) -> object:
        return runner.invoke(app, list(args), catch_exceptions=False, prog_name="tradesim")

    return invoke
