"""Every answer kept: the vintage archive of a data folder (``<data folder>/raw/<source>/``).

Each request has a folder named by the hash of its path and parameters (which never hold a key) and, in it, one vintage per
different answer: ``<UTC stamp>-01.body`` (the body exactly as received) and ``<UTC stamp>-01.json`` (the request's
URL and parameters, the time, the HTTP status and validators, the body's size and sha256, and every later time
the same body came back: ``confirmed``). An answer equal to the latest vintage adds a confirmation, not a
copy; an answer that differs is a new vintage beside the old, never in its place. Nothing here is ever
deleted: a data folder and its archive committed to git rebuild every figure offline.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from tradesim.atomic import write_bytes_atomic, write_text_atomic
from tradesim.data.fetch.client import Answer, Request
from tradesim.errors import DataError, Problem

RAW = "raw"


@dataclass(frozen=True)
class Vintage:
    """One archived answer: its body's file and what was recorded with it."""

    body: Path
    meta: dict[str, object]

    @property
    def retrieved(self) -> str:
        """When it came (UTC, to the microsecond: two answers of one second keep their order)."""
        return str(self.meta["retrieved"])

    @property
    def when(self) -> str:
        """When it came, to the second, as a note says it: 2026-12-07T08:01:02Z."""
        return self.retrieved[:19] + "Z"

    @property
    def sha256(self) -> str:
        return str(self.meta["sha256"])

    @property
    def status(self) -> int:
        status = self.meta.get("status", 0)
        return status if isinstance(status, int) else 0

    @property
    def validators(self) -> dict[str, str]:
        headers = self.meta.get("headers")
        if not isinstance(headers, dict):
            return {}
        return {k: str(v) for k, v in headers.items() if k in ("etag", "last-modified")}

    def read(self) -> bytes:
        return self.body.read_bytes()


def request_id(request: Request) -> str:
    """A request's folder: its role and the first 16 hex digits of the sha256 of its path and parameters, less
    the base URL (the same answer whether asked of the source or through a mirror: ``--base-url``)."""
    digest = hashlib.sha256(request.relative.encode()).hexdigest()[:16]
    return f"{request.role}-{digest}"


@dataclass(frozen=True)
class Archive:
    """The vintages under one data folder."""

    folder: Path  # the data folder

    def root(self, source: str) -> Path:
        return self.folder / RAW / source

    def vintages(self, request: Request) -> list[Vintage]:
        """The request's vintages, oldest first."""
        return self._list(self.root(request.source) / request_id(request))

    def _list(self, where: Path) -> list[Vintage]:
        found = []
        if not where.is_dir():
            return []
        for meta_path in sorted(where.glob("*.json")):
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise DataError(
                    [Problem(f"an archive record that does not read ({exc})", meta_path)]
                ) from None
            body = meta_path.with_suffix(".body")
            if not isinstance(meta, dict) or "retrieved" not in meta or not body.is_file():
                raise DataError([Problem("an archive record without its body or its time", meta_path)])
            found.append(Vintage(body, meta))
        return found

    def latest(self, request: Request) -> Vintage | None:
        found = self.vintages(request)
        return found[-1] if found else None

    def keep(self, request: Request, answer: Answer) -> tuple[Vintage, bool]:
        """Archive ``answer`` to ``request``: a new vintage when its body differs from the latest, else a
        confirmation of the latest. Returns the vintage and whether it is new."""
        where = self.root(request.source) / request_id(request)
        digest = hashlib.sha256(answer.body).hexdigest()
        latest = self.latest(request)
        if latest is not None and latest.sha256 == digest and latest.status == answer.status:
            return self.confirm(latest, answer.retrieved), False
        where.mkdir(parents=True, exist_ok=True)
        stamp = answer.retrieved[:19].replace("-", "").replace(":", "") + "Z"  # 20261207T080102Z
        n = 1
        body = where / f"{stamp}-{n:02d}.body"
        while body.exists():  # two answers in one second: numbered in turn, so that names sort by time
            n += 1
            body = where / f"{stamp}-{n:02d}.body"
        meta: dict[str, object] = {
            "source": request.source,
            "role": request.role,
            "what": request.what,
            "url": request.url,
            "params": [list(p) for p in request.params],
            "address": request.address,
            "retrieved": answer.retrieved,
            "status": answer.status,
            "headers": dict(answer.headers),
            "bytes": len(answer.body),
            "sha256": digest,
            "confirmed": [],
        }
        write_bytes_atomic(body, answer.body)
        _write_meta(body, meta)
        return Vintage(body, meta), True

    def confirm(self, vintage: Vintage, retrieved: str) -> Vintage:
        """The archived answer still holds (a 304, or the same body again): the time is recorded."""
        meta = {**vintage.meta, "confirmed": [*_strings(vintage.meta.get("confirmed")), retrieved]}
        _write_meta(vintage.body, meta)
        return Vintage(vintage.body, meta)

    def every(self, source: str | None = None) -> list[Vintage]:
        """Every vintage in the archive (of one source), by request then time."""
        root = self.folder / RAW
        sources = [root / source] if source else sorted(p for p in root.glob("*") if p.is_dir())
        found: list[Vintage] = []
        for folder in sources:
            for request in sorted(p for p in folder.glob("*") if p.is_dir()):
                found += self._list(request)
        return found


def _write_meta(body: Path, meta: dict[str, object]) -> None:
    """The answer's record beside its body (BODY.json): written whole, or not at all."""
    write_text_atomic(body.with_suffix(".json"), json.dumps(meta, indent=1, sort_keys=True) + "\n")


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
