"""The rows of one data-folder file held as columns (:class:`Table`), an :class:`Observation` built only for
the rows a command reads.

A data folder may hold a million rows (an import of a bulk file writes hundreds of thousands) of which a
command reads a few series: as Python objects they cost 20 µs and about 700 bytes a row, as columns a few
bytes. Every string column is held as codes into its distinct values (a million rows repeat a few hundred
codes, units and sources); ``year`` and ``value`` as numbers; ``line`` as the row's line in its file, which
the built observation's ``origin`` names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np

from tradesim.data.observation import Observation

STRINGS = ("kind", "reporter", "partner", "flow", "period", "unit", "status", "reported_by", "source", "url",
           "note", "published", "classification", "commodity", "retrieved")  # fmt: skip
KEY = ("kind", "reporter", "partner", "flow", "year", "period", "reported_by", "classification",
       "commodity")  # Observation.key's columns  # fmt: skip


@dataclass(frozen=True, eq=False)
class Table:
    """One file's rows in file order: ``codes[c][i]`` indexes ``names[c]``, the distinct values of column
    ``c``; ``year``, ``value`` and ``line`` are arrays of the rows' numbers."""

    path: Path
    line: np.ndarray
    year: np.ndarray
    value: np.ndarray
    codes: dict[str, np.ndarray]
    names: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.line)

    @classmethod
    def of(cls, observations: Sequence[Observation], path: Path) -> Table:
        """The observations the row reader built from ``path`` (a small file, or one the columns reader
        declined), held the same way."""
        codes, names = {}, {}
        for column in STRINGS:
            index: dict[str, int] = {}
            codes[column] = np.fromiter(
                (index.setdefault(getattr(o, column), len(index)) for o in observations),
                dtype=np.intp,
                count=len(observations),
            )
            names[column] = np.array(list(index), dtype=object)
        return cls(
            path,
            np.array([int(o.origin.rsplit(":", 1)[1]) for o in observations], dtype=np.int64),
            np.array([o.year for o in observations], dtype=np.int64),
            np.array([o.value for o in observations], dtype=np.float64),
            codes,
            names,
        )

    def rows(self, criteria: Mapping[str, object]) -> np.ndarray:
        """The indices of the rows matching every ``column: value`` criterion, in file order."""
        mask = np.ones(len(self), dtype=bool)
        for column, wanted in criteria.items():
            if column == "year":
                mask &= self.year == wanted
                continue
            hit = np.flatnonzero(self.names[column] == wanted)
            if not hit.size:
                return np.empty(0, dtype=np.intp)
            mask &= self.codes[column] == hit[0]
        return np.flatnonzero(mask)

    def observations(self, rows: np.ndarray | None = None) -> list[Observation]:
        """The rows' observations (``rows``: their indices; ``None``: every row)."""
        take = np.arange(len(self)) if rows is None else rows
        s = {c: self.names[c][self.codes[c][take]].tolist() for c in STRINGS}
        origins = [f"{self.path}:{line}" for line in self.line[take].tolist()]
        return list(
            map(
                Observation,
                s["kind"], s["reporter"], s["partner"], s["flow"], self.year[take].tolist(), s["period"],
                self.value[take].tolist(), s["unit"], s["status"], s["reported_by"], s["source"], s["url"],
                s["note"], s["published"], origins, repeat(""), repeat(0.0), s["classification"], s["commodity"],
                s["retrieved"],
            )
        )  # fmt: skip


def key_ids(tables: Sequence[Table], observations: Iterable[Observation]) -> tuple[np.ndarray, np.ndarray]:
    """One integer per row for its :attr:`Observation.key` — the rows of every table in order, then the
    given observations — equal exactly when the keys are: what finds a duplicate row and the shipped row a
    user row supersedes, without building a million tuples."""
    extra = list(observations)
    ids = np.zeros(sum(len(t) for t in tables) + len(extra), dtype=np.int64)
    span = 1  # how many distinct ids the columns so far can make
    for column in KEY:
        if column == "year":
            years = np.concatenate([*(t.year for t in tables), np.array([o.year for o in extra], np.int64)])
            low = int(years.min()) if len(years) else 0
            codes, distinct = years - low, (int(years.max()) - low + 1 if len(years) else 1)
        else:
            merged: dict[object, int] = {}
            parts = []
            for t in tables:
                local = np.array([merged.setdefault(v, len(merged)) for v in t.names[column]], np.int64)
                parts.append(local[t.codes[column]] if len(local) else np.empty(0, np.int64))
            parts.append(
                np.array([merged.setdefault(getattr(o, column), len(merged)) for o in extra], np.int64)
            )
            codes, distinct = np.concatenate(parts), max(len(merged), 1)
        if span * distinct >= 2**62:  # compact the ids so far before they could overflow
            _, inverse = np.unique(ids, return_inverse=True)
            ids, span = inverse.astype(np.int64).reshape(-1), int(inverse.max(initial=0)) + 1
        ids = ids * distinct + codes
        span *= distinct
    cut = len(ids) - len(extra)
    return ids[:cut], ids[cut:]


__all__ = ["KEY", "STRINGS", "Table", "key_ids"]
