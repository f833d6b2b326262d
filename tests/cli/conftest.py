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


@pytest.fixture
def run_with(monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """Run the CLI in-process with some environment variables set; return stdout (exit code 0 or 1)."""

    def invoke(env: dict[str, str], *args: str) -> str:
        with monkeypatch.context() as patch:
            patch.delenv("COLUMNS", raising=False)
            for name, value in env.items():
                patch.setenv(name, value)
            result = CliRunner().invoke(app, list(args), catch_exceptions=False, prog_name="tradesim")
        assert result.exit_code in (0, 1), (args, result.stderr)
        return str(result.stdout)

    return invoke
