"""The hostile-input suite beyond scenario files: generated data folders, hostile environment variables, and
signals during an import, a report and `check --update`.

Each run checks what the scenario-file suite checks (exit 0, 1 or 2; no traceback; no warning; JSON without NaN
or Infinity; an error line names the file or folder it is about), and that the inputs are unchanged and nothing
is written beside them. The signal runs, in real processes: exit 130 after SIGINT or SIGTERM (143 never), no
process left behind, no temporary file that survives the next run, the output absent, the old file or the new
one complete.

CI runs a few dozen examples each; ``pytest tests/fuzz --hypothesis-profile=long`` runs 3,000 of the generated
ones (README "Reliability").
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import SCENARIOS
from tests.strategies import data_rows, hostile_strings
from tradesim.cli import app
from tradesim.data import COLUMNS, folders

VALID = {
    "kind": "trade", "reporter": "KAZ", "partner": "ITA", "flow": "total", "year": "2023", "period": "FY",
    "value": "16.1", "unit": "USD_bn", "status": "reported", "reported_by": "KAZ", "source": "QazTrade",
    "url": "", "note": "",
}  # fmt: skip


def _examples(n: int) -> settings:
    return settings(
        settings.default,
        max_examples=max(n, settings.default.max_examples),
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# ------------------------------------------------------------------------------------------ data folders
values = st.one_of(
    st.sampled_from(
        ["16.1", "0", "-0", "1e308", "1e309", "nan", "inf", "-inf", "16,1", "1_000", "", " 14.5 "]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
notes = st.one_of(
    st.just(""),
    hostile_strings,
    st.sampled_from(
        ["line one\nline two", "a\u2028b", "a\x85b", "a\x0bb\x0cc\x1dd", "x" * 140_000, '"quoted"']
    ),
)


@st.composite
def hostile_rows(draw: st.DrawFn) -> dict[str, str]:
    """A row near the valid one: a column or two replaced by a hostile value, or a generated data row."""
    if draw(st.booleans()):
        row: dict[str, str] = dict(draw(data_rows))
        return {k: str(row.get(k, "")) for k in COLUMNS}
    row = dict(VALID)
    row["value"] = draw(values)
    row["note"] = draw(notes)
    if draw(st.booleans()):
        column = draw(st.sampled_from(list(COLUMNS)))
        row[column] = draw(hostile_strings)
    return row


class _Large(bytes):
    """A large file's bytes, shown by their size and their first and last lines in a failing example (a repr of
    a megabyte would itself fail: hypothesis warns of it, and warnings are errors here)."""

    def __repr__(self) -> str:
        return f"<{len(self):,} bytes: {bytes(self[:300])!r} ... {bytes(self[-300:])!r}>"


@functools.cache
def _bulk_rows() -> tuple[dict[str, str], ...]:
    """Distinct valid rows of other pairs, past the size from which a file is read into columns."""
    codes = ["DEU", "FRA", "ESP", "CHN", "USA", "TUR", "IND", "BRA", "JPN", "KOR"]
    rows = [
        VALID
        | {
            "reporter": r,
            "partner": p,
            "reported_by": r,
            "year": str(y),
            "period": q,
            "value": f"{i}.5",
            "note": "bulk, all commodities",
        }
        for i, (r, p, y, q) in enumerate(
            itertools.product(codes, codes, range(1990, 2031), ("FY", "jan", "h1"))
        )
    ]
    assert len(rows) * 100 > folders.COLUMNS_FROM
    return tuple(rows)


@st.composite
def data_files(draw: st.DrawFn) -> tuple[str, bytes | None]:
    """A file of a data folder: its name and bytes (``None``: a folder by that name; ``b"FIFO"``: a pipe).
    A ``large`` one is read into columns unless something in it sends it to the row reader."""
    name = draw(st.sampled_from(["mine.csv", "second.csv", "x.CSV", "book.xlsx", ".hidden.csv", "notes.txt"]))
    shape = draw(
        st.sampled_from(
            ["rows", "rows", "rows", "large", "large", "folder", "fifo", "empty", "bytes", "header only"]
        )
    )
    if shape == "folder":
        return name, None
    if shape == "fifo":
        return name, b"FIFO"
    if shape == "empty":
        return name, b""
    if shape == "bytes":
        return name, draw(st.binary(max_size=300))
    rows = draw(st.lists(hostile_rows(), max_size=5))
    if draw(st.booleans()) and rows:
        rows.append(dict(rows[0]))  # a duplicate, or a conflicting row when the value is changed
        if draw(st.booleans()):
            rows[-1]["value"] = "99"
    text = io.StringIO()
    writer = csv.DictWriter(
        text,
        fieldnames=list(COLUMNS),
        lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])),
        delimiter=draw(st.sampled_from([",", ",", ";", "\t"])),
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])),
    )
    writer.writeheader()
    if shape == "rows":
        writer.writerows(rows)
    if shape == "large":  # the hostile rows among the bulk's, anywhere, or none
        bulk = list(_bulk_rows())
        for row in rows:
            bulk.insert(draw(st.integers(0, len(bulk))), row)
        writer.writerows(bulk)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    if shape == "large":
        encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", encoding]))
    encoded = text.getvalue().encode(encoding, "replace")
    if shape == "large" and draw(st.booleans()):  # damage: bytes spliced in, or the file cut short
        at = draw(st.integers(0, len(encoded)))
        encoded = encoded[:at] + draw(st.sampled_from([b"", b'"', b"\r", b"\x00", b"\xff", b",,", b"\n\n"]))
        encoded += b"" if draw(st.booleans()) else text.getvalue().encode()[at:]
    return name, (_Large(encoded) if shape == "large" else encoded)


FOLDER_COMMANDS = {
    "project": ["project", "steady", "--scenarios", str(SCENARIOS), "--target", "20B", "-f", "json"],
    "data": ["data", "--format", "json"],
    "targets": ["targets", "--scenarios", str(SCENARIOS), "-f", "json"],
    "nowcast": ["nowcast", "-f", "json"],
    "mirror": ["data", "mirror", "--reporter", "KAZ", "--partner", "ITA", "-f", "json"],
    "report": ["report", "steady", "--scenarios", str(SCENARIOS)],
}


def _no_constants(name: str) -> Any:
    raise AssertionError(f"JSON holds {name}")


def _snapshot(root: Path) -> dict[str, bytes | None]:
    found: dict[str, bytes | None] = {}
    for p in root.rglob("*"):
        if p.is_fifo() or p.is_dir():
            found[str(p)] = None
        elif p.is_file():
            found[str(p)] = p.read_bytes()
    return found


@_examples(60)
@given(
    files=st.lists(data_files(), max_size=4, unique_by=lambda f: f[0]),
    command=st.sampled_from(sorted(FOLDER_COMMANDS)),
    how=st.sampled_from(["--data", "TRADESIM_DATA"]),
)
def test_every_command_survives_a_hostile_data_folder(
    files: list[tuple[str, bytes | None]], command: str, how: str, capfd: pytest.CaptureFixture[str]
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        folder = root / "data"
        folder.mkdir()
        for name, content in files:
            if content is None:
                (folder / name).mkdir()
            elif content == b"FIFO":
                os.mkfifo(folder / name)
            else:
                (folder / name).write_bytes(content)
        out = root / "out"
        out.mkdir()
        args = list(FOLDER_COMMANDS[command])
        if command == "report":
            args += ["-o", str(out / "r.html")]
        env = {}
        if how == "--data":
            args += ["--data", str(folder)]
        else:
            env["TRADESIM_DATA"] = str(folder)
        before = _snapshot(folder)
        result = CliRunner().invoke(app, args, prog_name="tradesim", env=env)
        event(f"{command} {how}: exit {result.exit_code}")
        output = result.stdout + result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        assert result.exit_code in (0, 1, 2), (args, output)
        assert "Traceback" not in output
        assert "Warning" not in result.stderr, result.stderr
        if result.exit_code == 0 and "json" in args:
            json.loads(result.stdout, parse_constant=_no_constants)
        if result.exit_code == 2:
            errors = [line for line in result.stderr.splitlines() if line.startswith("tradesim: error: ")]
            assert errors, result.stderr
            assert all(str(folder) in line or "TRADESIM_DATA" in line or "--" in line for line in errors), (
                errors
            )
            assert not list(out.iterdir())  # nothing written on an error
        assert _snapshot(folder) == before  # the inputs unchanged, nothing written beside them
        written = capfd.readouterr()  # what reached the process's own stderr, past Python (a Rust panic)
        assert "panicked" not in written.err, written.err[-2000:]
        event("a large file" if any(c and len(c) > folders.COLUMNS_FROM for _, c in files) else "small files")


# ----------------------------------------------------------------------------------- environment variables
ENVIRONMENT = {
    "TRADESIM_DATA": st.one_of(
        st.sampled_from(["", "/nonexistent", "/dev/null", "/etc/passwd", "."]), hostile_strings
    ),
    "TRADESIM_SCENARIOS": st.one_of(
        st.sampled_from(["", "/nonexistent", "/dev/null", str(SCENARIOS)]), hostile_strings
    ),
    "COLUMNS": st.sampled_from(["", "0", "-5", "1", "abc", "100000", "80"]),
    "LINES": st.sampled_from(["", "0", "-1", "x"]),
    "NO_COLOR": st.sampled_from(["", "1"]),
    "FORCE_COLOR": st.sampled_from(["", "1", "x"]),
    "TERM": st.sampled_from(["", "dumb", "xterm-256color", "\x1b[31m"]),
}
ENV_COMMANDS = {
    "project": ["project", "--target", "20B"],
    "check": ["check"],
    "data": ["data", "--partner", "ITA", "-f", "json"],
    "scenarios": ["scenarios", "-f", "json"],
    "targets": ["targets", "-f", "json"],
    "simulate": ["simulate", "steady", "--runs", "200", "--seed", "1", "-f", "json"],
}


@_examples(60)
@given(
    env=st.fixed_dictionaries({}, optional=ENVIRONMENT).map(
        lambda d: {k: v.replace("\x00", "") for k, v in d.items()}
    ),
    command=st.sampled_from(sorted(ENV_COMMANDS)),
)
def test_every_command_survives_hostile_environment_variables(env: dict[str, str], command: str) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        cwd = Path(temporary)
        previous = Path.cwd()
        os.chdir(cwd)  # no ./scenarios or ./data of the repository's
        try:
            result = CliRunner().invoke(app, ENV_COMMANDS[command], prog_name="tradesim", env=env)
        finally:
            os.chdir(previous)
        event(f"{command}: exit {result.exit_code}")
        output = result.stdout + result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit), (env, result.exception)
        assert result.exit_code in (0, 1, 2), (env, output)
        assert "Traceback" not in output
        if result.exit_code == 0 and "json" in ENV_COMMANDS[command]:
            json.loads(result.stdout, parse_constant=_no_constants)
        if result.exit_code == 2:
            assert result.stderr.startswith("tradesim: error: "), result.stderr
            assert result.stderr.count("\n") >= 1
        assert list(cwd.iterdir()) == []  # nothing written where it was run


# --------------------------------------------------------------------------------------------------- signals
def _big_comtrade(path: Path) -> None:
    """A Comtrade+ bulk file big enough that an import is still running when the signal comes: every reporter
    and partner, both flows, all commodities (125,000 lines)."""
    from tests.unit.test_importers import HEADER

    columns = HEADER.split(",")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        base = dict.fromkeys(columns, "")
        base |= {"typeCode": "C", "freqCode": "A", "refPeriodId": "20230101", "refYear": "2023", "refMonth": "52",
                 "period": "2023", "reporterCode": "398", "reporterISO": "KAZ", "flowCode": "X",
                 "partnerCode": "380", "partnerISO": "ITA", "partner2Code": "0", "partner2ISO": "W00",
                 "classificationCode": "H6", "cmdCode": "TOTAL", "customsCode": "C00", "mosCode": "0",
                 "motCode": "0", "qtyUnitCode": "-1", "isQtyEstimated": "False", "isAltQtyEstimated": "False",
                 "isNetWgtEstimated": "False", "isGrossWgtEstimated": "False", "primaryValue": "1000.5",
                 "isReported": "True", "isAggregate": "True"}  # fmt: skip
        import iso3166

        countries = [(c.numeric, c.alpha3) for c in iso3166.countries]
        for reporter, partner, flow in itertools.product(countries, countries, ("X", "M")):
            base |= {"reporterCode": str(int(reporter[0])), "reporterISO": reporter[1], "flowCode": flow,
                     "partnerCode": str(int(partner[0])), "partnerISO": partner[1]}  # fmt: skip
            writer.writerow([base.get(c, "") for c in columns])


@pytest.fixture(scope="module")
def signal_inputs() -> Any:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        _big_comtrade(root / "big.csv")
        yield root


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


SIGNAL_COMMANDS = {
    "import": lambda root, out: ["data", "import", str(root / "big.csv"), "--output", str(out / "x.csv")],
    "report": lambda root, out: [
        "report",
        "steady",
        "article",
        "--scenarios",
        str(SCENARIOS),
        "--simulate",
        "--runs",
        "2000000",
        "--seed",
        "1",
        "-o",
        str(out / "r.html"),
    ],
    "check --update": lambda root, out: ["check", "--scenarios", str(out / "scenarios"), "--update"],
}


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the processes a run leaves")
@settings(
    max_examples=18,
    deadline=None,
    phases=[
        Phase.generate
    ],  # each example is two real runs: no shrinking, the failing case is printed as it is
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    command=st.sampled_from(sorted(SIGNAL_COMMANDS)),
    sent=st.sampled_from([signal.SIGINT, signal.SIGTERM, signal.SIGKILL]),
    delay=st.floats(0.3, 2.5),
)
def test_a_signal_during_a_long_command_leaves_nothing_behind(
    signal_inputs: Path, command: str, sent: int, delay: float
) -> None:
    import shutil

    with tempfile.TemporaryDirectory() as temporary:
        out = Path(temporary)
        shutil.copytree(SCENARIOS, out / "scenarios")
        (out / "scenarios" / "snapshots" / "steady.csv").write_text(
            "corrupt\n", encoding="utf-8"
        )  # to rewrite
        previous = {p: p.read_bytes() for p in (out / "scenarios").rglob("*") if p.is_file()}
        args = SIGNAL_COMMANDS[command](signal_inputs, out)
        tradesim = str(Path(sys.executable).with_name("tradesim"))
        process = subprocess.Popen([tradesim, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        children = _children(process.pid)
        process.send_signal(sent)
        _, stderr = process.communicate(timeout=120)
        event(f"{command} {signal.Signals(sent).name}: exit {process.returncode}")
        text = stderr.decode("utf-8", "replace")
        assert "Traceback" not in text
        if sent == signal.SIGKILL:
            assert process.returncode in (-signal.SIGKILL, 0, 1, 2)
        else:
            assert process.returncode in (0, 1, 2, 130), (process.returncode, text)  # 143 never
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{c}").exists() for c in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        alive = [
            c
            for c in children
            if Path(f"/proc/{c}").exists() and "zombie" not in Path(f"/proc/{c}/status").read_text().lower()
        ]
        assert alive == [], alive  # no worker left running
        # the next run cleans up what a killed one left, and outputs are absent, old or complete
        again = subprocess.run([tradesim, *args], capture_output=True, timeout=300, check=False)
        assert again.returncode in (0, 1), again.stderr.decode()[-500:]
        leftovers = list(out.rglob("*.tmp"))
        assert leftovers == [], leftovers
        for path, content in previous.items():
            if path.parent.name != "snapshots":
                assert path.read_bytes() == content  # inputs unchanged
        for written in out.glob("x.csv"):
            assert written.read_bytes().endswith(b"\n")
        for page in out.glob("r.html"):
            assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
