"""A minimal Language Server Protocol client for taplo's language server, to see a scenario file as an editor
sees it: the diagnostics it publishes, the completions and the hover it offers at a position.

The server is the build VS Code's Even Better TOML extension runs, ``@taplo/lsp`` from npm (the ``taplo``
binary on PyPI is built without its language server), started by ``tests/taplo-lsp.cjs`` under node.

Only what the tests need: JSON-RPC over stdin/stdout with ``Content-Length`` framing, one document at a time,
requests answered in order; the server's own requests (``workspace/configuration``, registrations) answered
with nothing. No network: the schema is a local file named in the document's ``#:schema`` directive.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any


def taplo_lsp_modules() -> Path | None:
    """The ``node_modules`` folder holding ``@taplo/lsp`` (``TRADESIM_NODE_MODULES``, as for the validators),
    where node is installed."""
    from tests.validators import _NODE_MODULES

    if shutil.which("node") is None:
        return None
    return next((f for f in _NODE_MODULES if (f / "@taplo" / "lsp" / "package.json").is_file()), None)


class TaploServer:
    """``with TaploServer(folder) as lsp:`` a running ``taplo lsp stdio`` with ``folder`` as its workspace."""

    def __init__(self, folder: Path, modules: Path) -> None:
        self.folder = folder
        self.modules = modules
        self._next = 0
        self._changed = threading.Condition()
        self._answers: dict[int, dict[str, Any]] = {}
        self._published: dict[str, list[list[dict[str, Any]]]] = {}
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> TaploServer:
        self._process = subprocess.Popen(
            ["node", str(Path(__file__).with_name("taplo-lsp.cjs")), str(self.modules)],
            cwd=self.folder,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": self.folder.as_uri(),
                "workspaceFolders": [{"uri": self.folder.as_uri(), "name": "scenarios"}],
                "capabilities": {
                    "textDocument": {
                        "completion": {"completionItem": {"snippetSupport": True}},
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                        "publishDiagnostics": {},
                    },
                    "workspace": {"configuration": True, "workspaceFolders": True},
                },
                "initializationOptions": {},
            },
        )
        self.notify("initialized", {})
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._process is not None
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self._process.wait(timeout=10)
        except Exception:
            self._process.kill()
            self._process.wait(timeout=10)
        finally:
            for stream in (self._process.stdin, self._process.stdout):
                if stream is not None:
                    stream.close()

    # ------------------------------------------------------------------ the wire
    def _send(self, message: dict[str, Any]) -> None:
        assert self._process is not None
        assert self._process.stdin is not None
        if self._process.poll() is not None:
            raise RuntimeError(f"taplo's language server stopped (exit {self._process.returncode})")
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self._process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self._process.stdin.flush()

    def _read(self) -> None:
        assert self._process is not None
        assert self._process.stdout is not None
        stream = self._process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if length is None:
                return
            message = json.loads(stream.read(length))
            if "method" in message and "id" in message:  # the server asks: answer with nothing
                items = (message.get("params") or {}).get("items", [])
                self._send({"id": message["id"], "result": [{} for _ in items] if items else None})
            elif message.get("method") == "textDocument/publishDiagnostics":
                with self._changed:
                    params = message["params"]
                    self._published.setdefault(params["uri"], []).append(params["diagnostics"])
                    self._changed.notify_all()
            elif "id" in message:
                with self._changed:
                    self._answers[message["id"]] = message
                    self._changed.notify_all()

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any, *, timeout: float = 30) -> Any:
        self._next += 1
        ident = self._next
        self._send({"id": ident, "method": method, "params": params})
        with self._changed:
            if not self._changed.wait_for(lambda: ident in self._answers, timeout=timeout):
                raise TimeoutError(f"{method}: no answer in {timeout} s")
            message = self._answers.pop(ident)
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        return message.get("result")

    # ------------------------------------------------------------------ what an editor asks
    def open(
        self, path: Path, text: str, *, expect_some: bool = False, quiet: float = 1.0
    ) -> list[dict[str, Any]]:
        """Open ``path`` with ``text``; the diagnostics the server last published for it once it has been
        quiet for ``quiet`` seconds. The server may answer before it has read ``.taplo.toml`` or loaded the
        schema (an empty list, not published again): with ``expect_some`` the text is sent again, as an
        editor does on each keystroke, until a diagnostic comes (at most 60 s)."""
        path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": text}},
        )
        deadline = time.monotonic() + 60
        version = 1
        with self._changed:
            seen = -1
            while time.monotonic() < deadline:
                count = len(self._published.get(uri, []))
                if count and count == seen:
                    last = self._published[uri][-1]
                    if last or not expect_some:
                        return last
                    version += 1
                    self.notify(
                        "textDocument/didChange",
                        {
                            "textDocument": {"uri": uri, "version": version},
                            "contentChanges": [{"text": text}],
                        },
                    )
                seen = count
                self._changed.wait(timeout=quiet)
        if expect_some:
            return []
        raise TimeoutError(f"no diagnostics for {path.name}")

    def completion(self, path: Path, line: int, character: int) -> list[str]:
        """The labels the server offers at (line, character), both counted from 0."""
        result = self.request(
            "textDocument/completion",
            {"textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": character}},
        )
        items = result.get("items", []) if isinstance(result, dict) else result or []
        return [item["label"] for item in items]

    def hover(self, path: Path, line: int, character: int) -> str:
        """The hover text at (line, character), both counted from 0 ("" when there is none)."""
        result = self.request(
            "textDocument/hover",
            {"textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": character}},
        )
        if not result:
            return ""
        contents = result["contents"]
        return contents["value"] if isinstance(contents, dict) else str(contents)
