"""UN Comtrade+ CSV (plain or ``.gz``) → observations, streamed.

A bulk file holds every reporter × partner × commodity; we want a few thousand rows of it. The reader never
holds the file: it reads 1 MiB blocks into one reused buffer (decompressed, for a ``.gz``), finds the lines
that can match with a C-speed ``find`` for the most selective filter as a whole field (``,KAZ,``, or
``"KAZ"`` in a file that quotes every field), and parses only those, a batch at a time with numpy
(:mod:`tradesim.data.importers.columns`), where every filter is applied exactly; a line the arrays cannot read exactly goes through a
line-by-line reader, which gives the exact error. A plain file larger than 64 MB is cut into byte ranges that
worker processes and this one share out; each writes its own rows. Records are single lines, as in Comtrade+
files; a line with the wrong number of fields is an error naming it.

The modules: :mod:`.layout` (the columns, codes and flows; what a read asks for; the header),
:mod:`.parsing` (lines → figures), :mod:`.writing` (figures → the data folder's CSV lines, with what is derived)
and :mod:`.reading` (the file → lines, in parallel; errors → line numbers).

What is kept (README "Importing"):

- ``cmdCode`` equal to the commodity asked for (default ``TOTAL``), ``freqCode`` ``A`` (annual) or ``M``
  (monthly: a month's own figure, period ``mar``; with ``cumulate`` also ``jan-<mon>`` sums where every month
  from January is present);
- only the aggregate breakdowns: ``partner2Code`` 0 (world), ``customsCode`` C00, ``motCode`` 0, ``mosCode`` 0
  (other rows split the same trade and would count it twice);
- flows ``X`` → export, ``M`` → import, ``RX`` → re-export, ``RM`` → re-import (kept apart, never added to
  exports or imports); other flow codes (domestic exports, processing, ...) are counted and skipped;
- partner ``W00`` is the world (``WLD``); partner codes that are not ISO 3166 countries (areas n.e.s., ...)
  are counted and skipped;
- a ``total`` row, status ``derived`` with its formula, where both export and import exist;
- ``reported_by`` is the reporter: the partner's report of the same trade is a mirror figure, never merged.
"""

from __future__ import annotations

from tradesim.data.importers.comtrade.layout import (
    AGGREGATE,
    FLOWS,
    LAYOUT,
    MONTHS,
    READ,
    URL,
    Filters,
    Key,
    Layout,
    Row,
)
from tradesim.data.importers.comtrade.parsing import Part, Summary
from tradesim.data.importers.comtrade.reading import read
from tradesim.data.importers.comtrade.writing import Imported

__all__ = [
    "AGGREGATE",
    "FLOWS",
    "LAYOUT",
    "MONTHS",
    "READ",
    "URL",
    "Filters",
    "Imported",
    "Key",
    "Layout",
    "Part",
    "Row",
    "Summary",
    "read",
]
