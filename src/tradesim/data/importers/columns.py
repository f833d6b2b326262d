"""The fields of many CSV lines at once, with numpy: the hot loop of a bulk import.

A batch of lines becomes one buffer. The lines with exactly the expected number of commas and no quote
("simple" lines: nearly every line of a Comtrade+ file) are split by position arithmetic, so a column is two
integer arrays, where each field starts and where it ends, and comparing or parsing a column is a handful of
array operations instead of a Python call per line. Every other line is left to the caller's parser, which
also gives the exact error; so are the fields these helpers cannot read exactly (say a year that is not
plain digits), through the ``ok`` masks they return.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Mask = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

COMMA, QUOTE, NEWLINE, RETURN = 44, 34, 10, 13


class Batch:
    """``lines`` (without their newlines) of ``width`` fields each; :attr:`simple` indexes the simple ones,
    and every column method answers for those, in that order."""

    def __init__(self, lines: Sequence[bytes], width: int) -> None:
        self.buffer = b"\n".join(lines) + b"\n"
        self.data = np.frombuffer(self.buffer, dtype=np.uint8)
        ends = np.flatnonzero(self.data == NEWLINE)
        starts = np.concatenate(([0], ends[:-1] + 1))
        commas = np.flatnonzero(self.data == COMMA)
        before = np.searchsorted(commas, starts)
        count = np.searchsorted(commas, ends) - before
        quoted = np.add.reduceat((self.data == QUOTE).astype(np.int32), starts) > 0  # segments end in \n
        self.simple: Ints = np.flatnonzero((count == width - 1) & ~quoted)
        self._commas, self._before = commas, before[self.simple]
        self._starts = starts[self.simple]
        ends = ends[self.simple]
        self._ends = ends - (self.data[np.maximum(ends - 1, 0)] == RETURN)  # a \r\n line's last field
        self.width = width

    def span(self, column: int) -> tuple[Ints, Ints]:
        """Where the field of ``column`` starts and ends in :attr:`buffer`, per simple line."""
        start = self._starts if column == 0 else self._commas[self._before + column - 1] + 1
        end = self._ends if column == self.width - 1 else self._commas[self._before + column]
        return start, end

    def _byte(self, start: Ints, k: int) -> npt.NDArray[np.uint8]:
        return np.take(self.data, start + k, mode="clip")

    def equals(self, column: int, value: bytes) -> Mask:
        start, end = self.span(column)
        same: Mask = np.equal(end - start, len(value))
        for k, byte in enumerate(value):
            same &= self._byte(start, k) == byte
        return same

    def one_of(self, column: int, values: Sequence[bytes]) -> Mask:
        found = np.zeros(len(self.simple), dtype=bool)
        for value in values:
            found |= self.equals(column, value)
        return found

    def packed(self, column: int, size: int) -> tuple[Ints, Mask]:
        """Fields of at most ``size`` bytes as integers (:func:`pack`), and which fields were that short."""
        start, end = self.span(column)
        length = end - start
        out = length << (8 * size)
        for k in range(size):
            out |= np.where(k < length, self._byte(start, k).astype(np.int64), 0) << (8 * (size - 1 - k))
        return out, (length >= 0) & (length <= size)

    def digits(self, column: int, most: int = 9) -> tuple[Ints, Mask]:
        """Fields of 1 to ``most`` decimal digits as integers, and which fields were that."""
        start, end = self.span(column)
        length = end - start
        ok = (length >= 1) & (length <= most)
        value = np.zeros(len(start), dtype=np.int64)
        for k in range(most):
            inside = k < length
            digit = self._byte(start, k).astype(np.int64) - 48
            ok &= ~inside | ((digit >= 0) & (digit <= 9))
            value = np.where(inside, value * 10 + digit, value)
        return value, ok

    def texts(self, column: int, rows: Ints) -> list[bytes]:
        """The fields of ``column`` in the simple lines ``rows`` (positions in :attr:`simple`), as bytes."""
        start, end = self.span(column)
        buffer = self.buffer
        return [buffer[s:e] for s, e in zip(start[rows].tolist(), end[rows].tolist(), strict=True)]


def pack(text: bytes, size: int) -> int:
    """What :meth:`Batch.packed` gives for the field ``text``."""
    out = len(text) << (8 * size)
    for k, byte in enumerate(text):
        out |= byte << (8 * (size - 1 - k))
    return out
