"""``tradesim data vintages``: what the archive holds — each answer, when, and what changed from the one before."""

from __future__ import annotations

from typing import Any

from tradesim.data.fetch import figures
from tradesim.data.fetch.archive import Archive
from tradesim.output import Table

COLUMNS = ("source", "request", "retrieved", "confirmed", "status", "bytes", "sha256", "figures", "changed")


def vintages(archive: Archive, source: str | None = None) -> Table:
    """A row per vintage, oldest first within each request: what changed is counted against the request's
    previous vintage (revised, new, gone), by the figures both answers hold."""
    rows: list[dict[str, Any]] = []
    previous: dict[str, dict[tuple[object, ...], object] | None] = {}
    for vintage in archive.every(source):
        meta = vintage.meta
        request = vintage.body.parent.name
        now = figures(vintage)
        before = previous.get(request, "first")
        if before == "first":
            changed = "first answer"
        elif now is None or before is None:
            changed = "does not read" if now is None else "the previous answer did not read"
        else:
            assert isinstance(before, dict)
            revised = sum(1 for k, v in now.items() if k in before and before[k] != v)
            new = sum(1 for k in now if k not in before)
            gone = sum(1 for k in before if k not in now)
            changed = f"{revised} revised, {new} new, {gone} gone"
        previous[request] = now
        confirmed = meta.get("confirmed")
        rows.append(
            {
                "source": str(meta.get("source", "")),
                "request": f"{meta.get('what', '')} ({meta.get('role', '')})",
                "retrieved": vintage.retrieved,
                "confirmed": str(confirmed[-1]) if isinstance(confirmed, list) and confirmed else "",
                "status": vintage.status,
                "bytes": meta.get("bytes", 0),
                "sha256": vintage.sha256[:16],
                "figures": len(now) if now is not None else 0,
                "changed": changed,
                "address": str(meta.get("address", "")),
                "archived": vintage.body.relative_to(archive.folder).as_posix(),
            }
        )

    def frame() -> Any:
        import pandas as pd

        return pd.DataFrame(rows)

    shown = [
        {
            c: (str(r[c])[:19] + "Z" if c in ("retrieved", "confirmed") and r[c] else str(r[c]))
            for c in COLUMNS
        }
        for r in rows
    ]  # to the second, as people read a time; the JSON keeps the microseconds that order two answers
    return Table(f"{len(rows)} archived answer{'s' if len(rows) != 1 else ''}", frame, shown, rows)
