"""The hostile-input suite: generated scenario files and command lines, every command.

For every run: exit code 0, 1 or 2; no traceback (no exception escapes the CLI's boundary); no numpy or other
warning (pytest turns warnings into errors, so one escapes as an exception; stderr is checked too); JSON
parses without NaN or Infinity; every error line about a file names it; no file is created outside the
scenario folder's snapshots/, and no existing file other than a snapshot changes.

CI runs a few hundred examples; ``pytest tests/fuzz --hypothesis-profile=long`` runs 3,000 (README
"Reliability").
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.strategies import any_documents, comtrade_fields, data_rows, hostile_strings, to_toml
from tests.unit.test_importers import HEADER as COMTRADE_HEADER
from tradesim.cli import app

OTHER_LAYOUTS = (  # headers of the other layouts the importer recognises
    "Classification,Year,Trade Flow Code,Trade Flow,Reporter Code,Reporter,Partner Code,Partner,Commodity Code,Commodity,Trade Value (US$),Flag",
    "Reporter Name,Partner Name,Trade Flow,Product Group,Indicator,2022,2023",
    "Reporter Name,Partner Name,Year,Trade Flow,Export (US$ Thousand),Import (US$ Thousand)",
)

PARENT = """\
description = "a valid parent for `extends = \\"parent\\"`"
[baseline]
bilateral = "14.5B"
total = "139.8B"
[growth]
bilateral = "5%"
rest_of_world = "3%"
[[targets]]
value = "20B"
"""


def _arg(valid: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, bool]]:
    """A command-line value and whether it is valid: mostly valid, sometimes hostile."""
    return st.one_of(
        valid.map(lambda v: (v, True)),
        valid.map(lambda v: (v, True)),
        hostile_strings.map(lambda v: (v, False)),
    )


targets = _arg(st.sampled_from(["20B", "20e9", "$25bn", "500M", "1e12"]))
years = _arg(st.sampled_from(["2024", "2027", "2030", "2035", "2100"]))
shares = _arg(st.sampled_from(["1/6", "10%", "0.2", "0.5"]))
rates = _arg(st.sampled_from(["5%", "0.07", "-3%", "0", "50%"]))
formats = st.sampled_from(["table", "json"])


@st.composite
def command_lines(
    draw: st.DrawFn, subject: str, folder: str, data_folder: str, comtrade_file: str
) -> tuple[list[str], bool]:
    """A command on the scenario ``subject``, and whether every option value in it is valid."""
    valid = True

    def take(strategy: st.SearchStrategy[tuple[str, bool]]) -> str:
        nonlocal valid
        value, ok = draw(strategy)
        valid = valid and ok
        return value

    fmt = draw(formats)
    where = ["--scenarios", folder]
    kind = draw(
        st.sampled_from(
            [
                "project",
                "solve growth",
                "solve price",
                "solve year",
                "solve share",
                "solve rest-growth",
                "audit",
                "check",
                "check --update",
                "simulate",
                "sensitivity",
                "validate",
                "list",
                "ad-hoc project",
                "ad-hoc simulate",
                "grid",
                "data",
                "data project",
                "import comtrade",
                "import wide",
                "nowcast",
                "backtest",
                "targets",
                "report",
            ]
        )
    )
    if kind == "project":
        args = [
            "project",
            subject,
            *where,
            "--format",
            draw(st.sampled_from(["table", "json", "csv", "markdown", "iamc"])),
        ]
        if draw(st.booleans()):
            args += ["--target", take(targets)]
        if draw(st.booleans()):
            args += ["--by", take(years)]
        if draw(st.booleans()):
            args += ["--detail"]
    elif kind == "solve growth":
        args = ["solve", "growth", subject, *where, "--target", take(targets), "--by", take(years), "-f", fmt]
        if draw(st.booleans()):  # a product leg: valid only for a scenario that has it
            args += ["--leg", draw(st.sampled_from(["HS:27", "rest", "HS:28", "27", "", "HS:27;x"]))]
            valid = False
    elif kind == "solve price":
        args = ["solve", "price", subject, *where, "--target", take(targets), "--by", take(years), "-f", fmt,
                "--leg", draw(st.sampled_from(["HS:27", "rest", "HS:28", "27", ""]))]  # fmt: skip
        valid = False
    elif kind == "solve year":
        args = ["solve", "year", subject, *where, "--target", take(targets), "-f", fmt]
    elif kind == "solve share":
        args = [
            "solve",
            "share",
            subject,
            *where,
            "--target",
            take(targets),
            "--share",
            take(shares),
            "-f",
            fmt,
        ]
        if draw(st.booleans()):
            args += ["--year", take(years)]
    elif kind == "solve rest-growth":
        args = [
            "solve",
            "rest-growth",
            subject,
            *where,
            "--share",
            take(shares),
            "--by",
            take(years),
            "-f",
            fmt,
        ]
    elif kind == "audit":
        args = ["audit", subject, *where, "-f", fmt]
    elif kind.startswith("check"):
        args = ["check", subject, *where, "--format", fmt, *kind.split()[1:]]
    elif kind == "simulate":
        args = [
            "simulate",
            subject,
            *where,
            "--runs",
            str(draw(st.integers(1, 3000))),
            "--seed",
            "1",
            "-f",
            fmt,
        ]
        if draw(st.booleans()):
            args += ["--target", take(targets)]
    elif kind == "sensitivity":
        args = ["sensitivity", subject, *where, "--format", draw(st.sampled_from(["table", "json", "csv"]))]
    elif kind == "validate":
        args = ["scenarios", "validate", subject, *where, "--format", fmt]
    elif kind == "list":
        args = ["scenarios", *where, "--format", fmt]
    elif kind == "data":
        args = ["data", "--data", data_folder, "--format", draw(st.sampled_from(["table", "json", "csv"]))]
    elif kind == "data project":
        args = ["project", subject, *where, "--data", data_folder, "-f", fmt]
    elif kind == "nowcast":
        args = ["nowcast", "--data", data_folder, "-f", fmt]
        args += [
            "--reporter",
            take(_arg(st.sampled_from(["KAZ", "ITA"]))),
            "--partner",
            take(_arg(st.sampled_from(["ITA", "DEU"]))),
        ]
        if draw(st.booleans()):
            args += ["--from", take(_arg(st.sampled_from(["h1", "jan-aug", "jan-nov"])))]
        if draw(st.booleans()):
            args += ["--evaluate"]
    elif kind == "targets":
        args = [
            "targets",
            "--data",
            data_folder,
            *where,
            "--format",
            draw(st.sampled_from(["table", "json", "csv", "markdown"])),
        ]
        if draw(st.booleans()):
            args += ["--as-of", take(years)]
        if draw(st.booleans()):
            args += ["--total-growth", take(rates)]
    elif kind == "backtest":
        args = [
            "backtest",
            "--data",
            data_folder,
            "--format",
            draw(st.sampled_from(["table", "json", "csv"])),
        ]
        args += ["--method", take(_arg(st.sampled_from(["cagr:1", "cagr:3"])))]
        args += ["--horizons", take(_arg(st.sampled_from(["1,2", "1,2,3,5", "3"])))]
        if draw(st.booleans()):
            args = [*args[:1], subject, *where, *args[1:], "--method", "scenario", "--calibrate"]
    elif kind == "report":
        out = str(Path(data_folder).parent / "out" / "r.html")
        args = ["report", subject, *where, "--data", data_folder, "--output", out]
        if draw(st.booleans()):
            args += ["--target", take(targets)]
        if draw(st.booleans()):
            args += ["--simulate", "--runs", "300", "--seed", "3"]
    elif kind == "import comtrade":
        out = str(Path(data_folder).parent / "out" / "x.csv")
        form = ["comtrade"] if draw(st.booleans()) else []  # the explicit form, or the layout recognised
        args = ["data", "import", *form, comtrade_file, "--output", out]
        if draw(st.booleans()):
            args += [
                take(
                    _arg(st.sampled_from(["--strict", "--decimal=,", "--encoding=latin-1", "--unit=USD_th"]))
                )
            ]
        if draw(st.booleans()):
            args += ["--reporter", take(_arg(st.sampled_from(["KAZ", "ITA"])))]
        if draw(st.booleans()):
            args += ["--cumulate"]
        if draw(st.booleans()):
            refused = st.sampled_from([",", "27,,27", "S4:3"])  # not codes: refused, naming the option
            codes = st.one_of(
                _arg(st.sampled_from(["TOTAL", "27", "TOTAL,27,2709", "all", "ALL,27"])),
                refused.map(lambda v: (v, False)),
            )
            args += ["--commodity", take(codes)]
    elif kind == "import wide":
        out = str(Path(data_folder).parent / "out" / "x.csv")
        unit = take(_arg(st.sampled_from(["USD_mn", "EUR_bn"])))
        args = [
            "data",
            "import",
            "wide",
            comtrade_file,
            "--output",
            out,
            "--reporter",
            "KAZ",
            "--flow",
            "export",
        ]
        args += ["--unit", unit]
    elif kind == "ad-hoc project":
        args = [
            "project",
            "--growth",
            take(rates),
            "--rest-growth",
            take(rates),
            "--target",
            take(targets),
            "-f",
            fmt,
        ]
    elif kind == "ad-hoc simulate":
        sd = take(_arg(st.sampled_from(["0", "0.1", "0.5"])))
        args = [
            "simulate",
            "--growth",
            take(rates),
            "--growth-sd",
            sd,
            "--target",
            take(targets),
            "--runs",
            "500",
            "--seed",
            "2",
            "-f",
            fmt,
        ]
    else:
        axis = take(_arg(st.sampled_from(["growth=0:0.1:0.05", "rest-growth=0:0.04:0.02"])))
        args = ["sensitivity", subject, *where, "--grid", axis, "--grid", "target=10e9:30e9:10e9", "-f", fmt]
    return args, valid


def data_rows_columns() -> tuple[str, ...]:
    from tradesim.data import COLUMNS

    return (*COLUMNS, "classification", "commodity")


def _no_constants(name: str) -> Any:
    raise AssertionError(f"JSON holds {name}")


def _workbook(rows: list[list[str]]) -> bytes:
    """The rows as an .xlsx workbook's bytes (numbers as number cells where they read as one)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            try:
                number = float(cell)
            except ValueError:
                sheet.write_string(r, c, cell)
            else:
                if math.isfinite(number):
                    sheet.write_number(r, c, number)
                else:
                    sheet.write_string(r, c, cell)
    book.close()
    return buffer.getvalue()


def _files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _examples() -> settings:
    """A few hundred examples in CI; the `long` profile's count when that is larger."""
    return settings(
        settings.default,
        max_examples=max(250, settings.default.max_examples),
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


@_examples()
@given(data=st.data(), document=any_documents, chain=st.sampled_from([0, 0, 0, 3, 40]))
def test_every_command_survives_hostile_files_and_arguments(
    data: st.DataObject, document: dict[str, Any], chain: int
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        folder = root / "deep" / "er" / "scenarios"
        folder.mkdir(parents=True)
        (folder / "parent.toml").write_text(PARENT, encoding="utf-8")
        subject = folder / "subject.toml"
        if chain:  # a chain of `extends`, 40 long is past the bound
            document = {**document, "extends": "link1"}
            for i in range(1, chain + 1):
                parent = f'extends = "link{i + 1}"\n' if i < chain else 'extends = "parent"\n'
                (folder / f"link{i}.toml").write_text(f'name = "link{i}"\n{parent}', encoding="utf-8")
        subject.write_text(to_toml(document), encoding="utf-8")
        data_folder = root / "deep" / "data"
        data_folder.mkdir()
        (root / "deep" / "out").mkdir()
        rows = data.draw(st.lists(data_rows, max_size=4), label="data rows")
        with (data_folder / "mine.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(data_rows_columns()))
            writer.writeheader()
            writer.writerows(rows)
        comtrade_file = root / "deep" / "TradeData.csv"
        lines = data.draw(st.lists(comtrade_fields, max_size=6), label="comtrade lines")
        header = data.draw(
            st.sampled_from(
                [
                    COMTRADE_HEADER,
                    "Partner,2022,2023 [YR2023]",
                    "a,b",
                    *OTHER_LAYOUTS,
                    "Reporter,Partner,2024M02,Q1 2024,Feb 2024",
                    "Partner,2024W3,2024",
                    "Partner,2023/24,2024-13",
                    '"Exports, FOB to Partner Countries"',  # IMF DOTS: title rows, then names and years
                    '"Data Source","World Development Indicators",',  # a WDI download's metadata lines
                    "Country Name,Country Code,Indicator Name,Indicator Code,2020,2021",
                ]
            ),
            label="header",
        )
        body = io.StringIO()
        body.write(header + "\n")
        csv.writer(body, delimiter=data.draw(st.sampled_from([",", ";", "\t"]), label="delimiter")).writerows(
            lines
        )
        encoded = body.getvalue().encode(
            data.draw(st.sampled_from(["utf-8", "utf-16", "cp1252"]), label="encoding"), "replace"
        )
        damage = data.draw(
            st.sampled_from(
                ["none", "none", "gzip", "truncated gzip", "flipped gzip", "garbage", "json", "workbook",
                 "truncated workbook", "zip", "ole garbage"]
            ),
            label="damage",
        )  # fmt: skip
        if damage in {"workbook", "truncated workbook"}:
            encoded = _workbook([header.split(","), *lines])
            if damage == "truncated workbook":
                encoded = encoded[: data.draw(st.integers(0, len(encoded) - 1), label="cut at")]
        elif damage == "zip":
            packed = io.BytesIO()
            with zipfile.ZipFile(packed, "w") as archive:
                archive.writestr("TradeData.csv", encoded)
            encoded = packed.getvalue()
        elif damage == "ole garbage":
            encoded = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + data.draw(
                st.binary(max_size=600), label="garbage"
            )
        elif damage not in {"none", "garbage", "json"}:
            encoded = gzip.compress(encoded)
            if damage == "truncated gzip":
                encoded = encoded[: len(encoded) // 2]
            elif damage == "flipped gzip":
                middle = len(encoded) // 2
                encoded = (
                    encoded[:middle]
                    + bytes(b ^ 0xFF for b in encoded[middle : middle + 8])
                    + encoded[middle + 8 :]
                )
        elif damage == "garbage":
            encoded = data.draw(st.binary(max_size=200), label="garbage") + encoded
        elif damage == "json":
            encoded = data.draw(
                st.sampled_from(
                    [b'{"data": [{"refYear": "x"}]}', b'{"data": 3}', b"[1, 2", b'{"dataset": [null]}']
                ),
                label="json",
            )
        comtrade_file.write_bytes(encoded)
        before = _files(root)
        args, valid_arguments = data.draw(
            command_lines(str(subject), str(folder), str(data_folder), str(comtrade_file)), label="command"
        )
        result = CliRunner().invoke(app, args, prog_name="tradesim", catch_exceptions=True)
        output = result.stdout + result.stderr
        event(f"{' '.join(a for a in args[:2] if not a.startswith(('/', '-')))}: exit {result.exit_code}")

        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{args}: {result.exception!r}\n{to_toml(document)}"
        )
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, output)
        assert "Traceback" not in output
        assert "Warning" not in result.stderr, (args, result.stderr)
        assert "\x1b" not in result.stderr, (args, result.stderr)  # no control sequence from a file, ever
        if not {"json", "csv", "iamc"} & set(args):  # what a person reads: text, never terminal control
            assert "\x1b" not in result.stdout, (args, result.stdout)
        if result.exit_code == 0 and "markdown" in args and result.stdout.strip():
            assert all(line.startswith("|") for line in result.stdout.strip().split("\n")), result.stdout
        if result.exit_code in (0, 1) and "json" in args:
            json.loads(result.stdout, parse_constant=_no_constants)
        if result.exit_code == 2 and valid_arguments:
            for line in result.stderr.splitlines():
                if line.startswith("tradesim: error: "):
                    # a shipped reference scenario the subject extends may be the file named: a child's
                    # base_year against the parent's horizon is blamed on the parent's line, a real file's
                    from tradesim.scenario import shipped_directory

                    named = (str(folder), str(root / "deep"), "tradesim ", f"{shipped_directory()}/")
                    assert any(n in line[:400] for n in named), (args, line, to_toml(document))
        after = _files(root)
        created = [p for p in after if p not in before]
        assert all(p.parent in (folder / "snapshots", root / "deep" / "out") for p in created), created
        changed = [p for p in before if p in after and before[p] != after[p]]
        assert all(p.parent == folder / "snapshots" for p in changed), changed
        assert set(before) <= set(after)  # nothing was deleted either


OUTPUT_COMMANDS = {
    "project": ["project", "steady", "--target", "20B"],
    "simulate": ["simulate", "steady", "--runs", "300", "--seed", "1"],
    "sensitivity": ["sensitivity", "steady"],
    "targets": ["targets"],
    "backtest": ["backtest", "--method", "cagr:1"],
    "nowcast": ["nowcast"],
    "data": ["data", "--partner", "ITA"],
    "coverage": ["data", "coverage", "--reporter", "TUR"],
    "solve": ["solve", "growth", "--target", "20B", "--by", "2027"],
    "audit": ["audit", "article"],
}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    command=st.sampled_from(sorted(OUTPUT_COMMANDS)),
    suffix=st.sampled_from([".csv", ".json", ".md", ".xlsx", ".txt", ".xls", ".html", "", ".CSV"]),
    format=st.sampled_from([None, "table", "json", "csv", "markdown", "xlsx", "iamc", "yaml"]),
)
def test_every_output_file_is_what_its_name_says(command: str, suffix: str, format: str | None) -> None:
    """Any command, any -o suffix, any --format: exit 0 with a file of the kind its name says, or exit 2 with
    one error line and nothing written; never a traceback."""
    from tests.conftest import SCENARIOS

    with tempfile.TemporaryDirectory() as temporary:
        out = Path(temporary) / f"result{suffix}"
        args = [*OUTPUT_COMMANDS[command], "-o", str(out)]
        if command in ("project", "simulate", "sensitivity", "audit", "targets", "solve"):
            args += ["--scenarios", str(SCENARIOS)]
        if format is not None:
            args += ["--format", format]
        result = CliRunner().invoke(app, args, prog_name="tradesim")
        event(f"{command} {suffix or '(none)'} {format}: exit {result.exit_code}")
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.stdout + result.stderr
        assert result.exit_code in (0, 1, 2), result.stderr
        if result.exit_code == 2:
            assert not out.exists()
            assert result.stderr.startswith("tradesim: error: ")
            return
        content = out.read_bytes()
        kind = {".csv": "csv", ".json": "json", ".md": "markdown", ".xlsx": "xlsx"}.get(suffix.lower())
        if kind == "json":
            json.loads(content, parse_constant=_no_constants)
        elif kind == "csv":
            rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
            assert rows
            assert len({len(r) for r in rows}) == 1
        elif kind == "markdown":
            assert content.startswith(b"| ")
        elif kind == "xlsx":
            assert content.startswith(b"PK")
        else:  # .txt (the table as text) or no suffix (whatever format was asked for): never .xls, .html
            assert suffix in (".txt", "")
            assert content
