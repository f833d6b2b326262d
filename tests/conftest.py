from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=60, deadline=None)
# `pytest --hypothesis-profile=long`: the long run of the hostile-input suite (README "Reliability")
settings.register_profile("long", max_examples=3000, deadline=None)
settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
# the shipped scenarios, as every listing orders them (by name)
SHIPPED_NAMES = [
    "article",
    "forum-deals",
    "full-year-2023",
    "oil-and-rest",
    "oil-and-rest-brent",
    "oil-downside",
    "steady",
]


def manual() -> str:
    """The README and every page of the manual (``docs/``), as one text: what the documentation says."""
    pages = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[..., Path]:
    """Write a scenario file into a temporary folder: ``write_scenario("name", '''toml''')``."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / f"{name}.toml"
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write


LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the network: a connection or a name lookup to anything but this machine fails (the
    fetch tests serve recorded answers from 127.0.0.1: tests/fetchserver.py)."""
    import socket

    connect, connect_ex, lookup = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def local(address: object) -> bool:
        host = address[0] if isinstance(address, tuple) else None
        return host is None or host in LOCAL_HOSTS

    def guard(address: object) -> None:
        if not local(address):
            raise OSError(f"tests never touch the network: a connection to {address!r} was refused")

    def guarded_connect(self: socket.socket, address: object) -> None:
        if self.family != getattr(socket, "AF_UNIX", None):
            guard(address)
        connect(self, address)  # type: ignore[arg-type]

    def guarded_connect_ex(self: socket.socket, address: object) -> int:
        if self.family != getattr(socket, "AF_UNIX", None):
            guard(address)
        return connect_ex(self, address)  # type: ignore[arg-type]

    def guarded_lookup(host: object, *args: object, **kwargs: object) -> object:
        if host not in (None, *LOCAL_HOSTS) and not (isinstance(host, str) and host.startswith("127.")):
            raise OSError(f"tests never touch the network: a name lookup of {host!r} was refused")
        return lookup(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)


@pytest.fixture(autouse=True)
def _isolated_scenarios(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's $TRADESIM_SCENARIOS or $TRADESIM_DATA."""
    monkeypatch.delenv("TRADESIM_SCENARIOS", raising=False)
    monkeypatch.delenv("TRADESIM_DATA", raising=False)


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in a file, failing loudly if ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
