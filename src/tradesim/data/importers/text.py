"""A downloaded file's bytes → records (lists of fields) with the line each starts on, in whatever dialect it
was saved: gzip or plain; UTF-8 (with or without a BOM), UTF-16 (BOM), or Latin-1/cp1252; ``,`` ``;``, tab or
``|``; per-field quoting; CRLF, LF or CR; quoted fields holding delimiters and line breaks.

Parsing is the standard library's csv module, one C reader for every dialect (``newline=""``, so a quoted line
break stays in its field and ``line_num`` counts the file's own lines); the delimiter is what ``csv.Sniffer``
finds in the first lines. The encoding: a BOM says it; else UTF-8 when the whole file decodes as UTF-8; else
cp1252 (Latin-1 with the Windows punctuation, what Excel and WITS write), said in the summary; ``encoding``
forces one.

The one thing done by hand is :func:`candidates`, a prefilter for large files: the byte ranges of the records
that hold a wanted code anywhere (``KAZ``, ``398``, ``TOTAL``), found with ``bytes.find``; every other record
cannot match the filter and is counted without being parsed. A record boundary is a line break outside quotes
(an even number of quote characters before it); a block with a quoted line break is parsed whole.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import queue
import sys
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

import numpy as np
import numpy.typing as npt

from tradesim.data.importers import workbook
from tradesim.errors import DataError, InputError, Problem, TradesimError

if TYPE_CHECKING:
    import _csv

csv.field_size_limit(2**31 - 1)  # a long note is a field like any other (the default stops at 131,072)

GZIP = b"\x1f\x8b"
BLOCK = 4 << 20
DELIMITERS = ",;\t|"
NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
ASCII_SAFE = ("utf-8", "utf-8-sig", "cp1252", "latin-1")  # a code's bytes are its ASCII bytes
FALLBACK = {"utf-8": "cp1252", "cp1252": "latin-1"}


@dataclass(frozen=True)
class Dialect:
    """How a file is written: compression, encoding (and how it was decided), delimiter."""

    path: Path
    gzipped: bool
    encoding: str
    delimiter: str
    forced: bool = False  # the encoding was given (--encoding): never retried
    why: str = ""  # why this encoding: "BOM", "not UTF-8 (line 12)"
    sheet: bytes | None = None  # a workbook's sheet as CSV text (:mod:`.workbook`), read in place of the file
    where: str = ""  # which sheet
    sheets: tuple[tuple[str, bytes], ...] = ()  # a workbook's every sheet with data, by name, as CSV text

    def describe(self) -> str:
        if self.sheet is not None:
            return f"a workbook, {self.where}, read as CSV"
        encoding = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16"}.get(
            self.encoding, self.encoding
        )
        why = f" ({self.why})" if self.why else ""
        return f"{encoding}{why}, {NAMES[self.delimiter]}-separated{', gzip' if self.gzipped else ''}"

    def open(self) -> BinaryIO:
        """The text's bytes: the file's (inflated), or a workbook sheet's as CSV."""
        if self.sheet is not None:
            return io.BytesIO(self.sheet)
        return open_binary(self.path, self.gzipped)

    @property
    def size(self) -> int:
        """About how many bytes of text there are (a gzip file: eight per byte of it)."""
        if self.sheet is not None:
            return len(self.sheet)
        return self.path.stat().st_size * (8 if self.gzipped else 1)

    def fallback(self) -> Dialect | None:
        """The next encoding to try when this one fails, or ``None``."""
        if self.forced or self.encoding not in FALLBACK:
            return None
        return replace(self, encoding=FALLBACK[self.encoding], why="detected: the file is not UTF-8")


def open_binary(path: Path, gzipped: bool) -> BinaryIO:
    """The file's bytes, decompressed for a gzip file by zlib-ng (the gzip module's interface, about 3x
    faster; README "Dependencies"), imported only then."""
    if gzipped:
        from zlib_ng import gzip_ng

        return cast("BinaryIO", gzip_ng.open(path, "rb"))  # type: ignore[no-untyped-call]
    return path.open("rb")


def damaged(path: Path, exc: BaseException) -> DataError:
    return DataError([Problem(f"cannot read the file ({exc.__class__.__name__}: {exc})", path)])


def read_errors() -> tuple[type[BaseException], ...]:
    """What reading a damaged file raises: OS errors, a truncated or corrupt gzip stream (the zlib modules'
    own error classes are not OSError), text that is not the encoding."""
    import zlib

    found: list[type[BaseException]] = [OSError, EOFError, ValueError, zlib.error]
    ng = sys.modules.get("zlib_ng.zlib_ng")
    if ng is not None:
        found.append(ng.error)
    return tuple(found)


def sniff(path: Path, encoding: str | None = None) -> tuple[Dialect, bytes]:
    """The file's dialect, from its first bytes (which it also returns, decompressed)."""
    try:
        if path.is_dir():
            raise DataError([Problem("is a folder, not a file", path)])
        if not path.is_file():
            raise DataError([Problem("not found" if not path.exists() else "not a regular file", path)])
        with path.open("rb") as handle:
            start = handle.read(8)
        gzipped = start.startswith(GZIP)
        if workbook.is_workbook(start):
            if encoding is not None:
                raise InputError(
                    f"{path}: --encoding is for text files; this is a workbook, its text is Unicode"
                )
            sheet, where, sheets = workbook.to_csv(path)
            head = sheet[: 1 << 16]
            dialect = Dialect(path, False, "utf-8", ",", forced=True, sheet=sheet, where=where, sheets=sheets)
            return dialect, head
        with open_binary(path, gzipped) as handle:
            head = handle.read(1 << 16)
    except TradesimError:  # said as it is (an InputError is also a ValueError)
        raise
    except read_errors() as exc:
        raise damaged(path, exc) from None
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(
                f"--encoding: unknown encoding {encoding!r} (utf-8, cp1252, latin-1, utf-16)"
            ) from None
        dialect = Dialect(path, gzipped, name, ",", forced=True)
    elif head.startswith(codecs.BOM_UTF8):
        dialect = Dialect(path, gzipped, "utf-8-sig", ",", why="BOM")
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        dialect = Dialect(path, gzipped, "utf-16", ",", why="BOM")
    else:
        dialect = Dialect(path, gzipped, "utf-8", ",")
    sample = head.decode(dialect.encoding, errors="replace")
    if dialect.encoding == "utf-16":
        sample = sample.lstrip("\ufeff")
    return replace(dialect, delimiter=_delimiter(sample)), head


def _delimiter(sample: str) -> str:
    """What ``csv.Sniffer`` finds in the first complete lines; else the commonest candidate in the header."""
    lines = sample.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    complete = "\n".join(lines[:-1][:50] or lines[:1])
    try:
        return csv.Sniffer().sniff(complete, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = lines[0]
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


@dataclass
class Record:
    line: int  # the line the record starts on (1 is the header)
    fields: list[str]


def records(dialect: Dialect) -> Iterator[Record]:
    """Every record after the header. A decoding failure raises :class:`UnicodeDecodeError`;
    :func:`tradesim.data.importers.read` then tries the next encoding (:meth:`Dialect.fallback`)."""
    with dialect.open() as raw:
        text = io.TextIOWrapper(raw, encoding=dialect.encoding, newline="")
        reader = csv.reader(_bounded_lines(text, dialect.path), delimiter=dialect.delimiter)
        yield from _numbered(reader, dialect.path)


MAX_LINE = 16 << 20  # characters in one physical line: a Comtrade line is a few hundred


def _bounded_lines(text: io.TextIOWrapper, path: Path) -> Iterator[str]:
    """The lines of ``text``, each read at most :data:`MAX_LINE` characters at a time: one line of gigabytes
    (a gzip of a few MB can hold one) is refused naming its line, never read whole into memory."""
    number = 0
    while line := text.readline(MAX_LINE):
        number += 1
        if len(line) >= MAX_LINE and not line.endswith(("\n", "\r")):
            raise DataError(
                [
                    Problem(
                        f"line {number} is longer than {MAX_LINE >> 20} MB: not a table of trade figures",
                        path,
                    )
                ]
            )
        yield line


def parse_lines(text: str, dialect: Dialect, first_line: int) -> Iterator[Record]:
    """The records of ``text`` (whole records), the first on line ``first_line``."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
    for found in _numbered(reader, dialect.path, header=False):
        found.line += first_line - 1
        yield found


def _numbered(reader: _csv.Reader, path: Path, *, header: bool = True) -> Iterator[Record]:
    start = 1
    try:
        if header:
            next(reader, None)
            start = reader.line_num + 1
        for fields in reader:
            line, start = start, reader.line_num + 1
            yield Record(line, fields)
    except csv.Error as exc:
        raise DataError([Problem(f"not a readable CSV ({exc})", path, reader.line_num)]) from None


def header(dialect: Dialect, head: bytes) -> list[str]:
    """The header's fields, names stripped of spaces and a BOM."""
    text = head.decode(dialect.encoding, errors="replace").lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
    try:
        names = next(reader, [])
    except csv.Error:
        names = []
    return [name.strip().lstrip("\ufeff") for name in names]


def first_record(dialect: Dialect, head: bytes) -> tuple[list[str], bool]:
    """The first data record's fields, read from the file's first bytes, and whether its first field is
    quoted (what the layout's description says of a portal download)."""
    lines = head.split(b"\n", 2)
    if len(lines) < 2:
        return [], False
    second = lines[1]
    found = header(dialect, second)  # one line, read as the header is: a CSV record
    return found, second.lstrip().startswith(b'"')


@dataclass
class Chunk:
    """Whole records of a block: their text, and the line each starts on (``lines``), or, for a block whose
    records cannot be told apart by line breaks alone, only the first line (``lines`` is ``None``)."""

    first: int
    text: str
    lines: list[int] | None

    def records(self, dialect: Dialect) -> Iterator[Record]:
        if self.lines is None:
            yield from parse_lines(self.text, dialect, self.first)
            return
        text = self.text
        if '"' not in text and "\r" not in text.replace("\r\n", ""):
            # no quote and no bare carriage return: each line is one record and the delimiter splits it
            # exactly as the csv module would (a test holds the two readers to the same records)
            delimiter = dialect.delimiter
            rows = text.split("\n")  # never str.splitlines: it breaks at \x0b, \x1c, \x85, \u2028 and more
            rows.pop()  # the text ends with a line break
            for line, row in zip(self.lines, rows, strict=True):
                yield Record(line, row.removesuffix("\r").split(delimiter))
            return
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
        for line, fields in zip(self.lines, reader, strict=True):
            yield Record(line, fields)


def candidates(dialect: Dialect, groups: tuple[tuple[bytes, ...], ...]) -> Iterator[Chunk | int]:
    """The records of the file (after the header) that hold, for every group of ``groups``, one of its forms
    as bytes, a :class:`Chunk` a block; and, as a plain int, the count of records passed over. Only for
    encodings where a code's bytes are its ASCII bytes."""
    assert dialect.encoding in ASCII_SAFE
    blocks = _blocks(dialect)
    try:
        buffer = next(blocks, b"")
        end_of_header = _record_end(buffer, 0)
        while end_of_header < 0:  # a header longer than a block
            more = next(blocks, b"")
            if not more:
                return
            buffer += more
            end_of_header = _record_end(buffer, 0)
        line = 1 + buffer.count(b"\n", 0, end_of_header + 1)
        held = buffer[end_of_header + 1 :]
        while True:
            more = next(blocks, b"")
            block = held + more
            if not more:
                cut = len(block)
            else:
                cut = _last_boundary(block)
                if cut < 0:  # one record longer than the block: read on
                    held = block
                    continue
            chunk = block[:cut]
            positions = _breaks(chunk)
            yield from _scan(chunk, groups, line, dialect, positions)
            line += len(positions)
            held = block[cut:]
            if not more:
                return
    finally:
        blocks.close()


def _blocks(dialect: Dialect) -> Generator[bytes, None, None]:
    """The file's bytes, a block at a time. A gzip file is decompressed in a thread (zlib-ng releases the GIL
    while it inflates), at most four blocks ahead: the scan of one block overlaps the inflating of the next."""
    if not dialect.gzipped:
        with dialect.open() as handle:
            while block := handle.read(BLOCK):
                yield block
        return
    ahead: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=4)
    stop = threading.Event()

    def inflate() -> None:
        try:
            with open_binary(dialect.path, True) as handle:
                while not stop.is_set():
                    block = handle.read(BLOCK)
                    ahead.put(block)
                    if not block:
                        return
        except BaseException as exc:  # a damaged stream: raised where the blocks are read
            ahead.put(exc)

    worker = threading.Thread(target=inflate, name="tradesim-inflate", daemon=True)
    worker.start()
    try:
        while True:
            item = ahead.get()
            if isinstance(item, BaseException):
                raise item
            if not item:
                return
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # let a worker blocked on a full queue see the stop
            with contextlib.suppress(queue.Empty):
                ahead.get_nowait()
            worker.join(0.01)


def _record_end(data: bytes, start: int) -> int:
    """The position of the line break that ends the record starting at ``start``, or -1."""
    position = start
    while True:
        end = data.find(b"\n", position)
        if end < 0:
            return -1
        if data.count(b'"', start, end) % 2 == 0:
            return end
        position = end + 1


def _last_boundary(block: bytes) -> int:
    """Just after the last line break of ``block`` that ends a record (the block starts a record), or -1."""
    if b'"' not in block:
        return block.rfind(b"\n") + 1 or -1
    last = block.rfind(b"\n")
    while last >= 0:
        if block.count(b'"', 0, last) % 2 == 0:
            return last + 1
        last = block.rfind(b"\n", 0, last)
    return -1


def _scan(
    block: bytes,
    groups: tuple[tuple[bytes, ...], ...],
    line: int,
    dialect: Dialect,
    positions: npt.NDArray[np.intp],
) -> Iterator[Chunk | int]:
    """The records of ``block`` (whole records) that hold a form of every group, and the count of the others."""
    if not block:
        return
    total = len(positions) + (0 if block.endswith(b"\n") else 1)
    quoted = b'"' in block
    if quoted and _quoted_break(block):
        yield Chunk(line, block.decode(dialect.encoding), None)  # the records cannot be told by lines
        return
    if not quoted:  # a block without quotes cannot hold a quoted form
        groups = tuple(tuple(f for f in group if not f.startswith(b'"')) for group in groups)
    first, *others = groups
    hits: list[int] = []
    for anchor in first:
        hit = block.find(anchor)
        while hit >= 0:
            hits.append(hit)
            hit = block.find(anchor, hit + 1)
    if not hits:
        yield total
        return
    # which line each hit is on, from where the line breaks are: no Python work per line of the block
    lines = np.unique(np.searchsorted(positions, np.array(hits, dtype=np.int64)))
    starts = np.concatenate(([0], positions + 1))[lines].tolist()
    ends = np.append(positions + 1, len(block))[lines].tolist()
    kept: list[int] = []
    texts: list[bytes] = []
    for number, start, end in zip(lines.tolist(), starts, ends, strict=True):
        record = block[start:end]
        if not others or all(any(form in record for form in group) for group in others):
            kept.append(line + number)
            texts.append(record if record.endswith(b"\n") else record + b"\n")
    if kept:
        yield Chunk(line, b"".join(texts).decode(dialect.encoding), kept)
    if total - len(kept):
        yield total - len(kept)


def _breaks(block: bytes) -> npt.NDArray[np.intp]:
    """Where the line breaks of ``block`` are."""
    return np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 0x0A)


def _quoted_break(block: bytes) -> bool:
    """Whether some line break of ``block`` lies inside quotes (an odd count of quotes before it)."""
    data = np.frombuffer(block, dtype=np.uint8)
    quotes = np.flatnonzero(data == 0x22)
    if len(quotes) % 2 or not len(quotes):
        return bool(len(quotes) % 2)
    breaks = np.flatnonzero(data == 0x0A)
    before = np.searchsorted(quotes, breaks)
    return bool((before % 2).any())
