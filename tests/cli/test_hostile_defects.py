"""One test per case of the hostile data, outputs and signals issue (#20); each fails on the code before it.

``H`` is the data folder's header. Subprocess tests run the installed entry point (``python -m tradesim``),
where a closed pipe, a signal or a full device behave as they do for a user.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tradesim import atomic

H = "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note"
ROW = "trade,KAZ,ITA,total,2023,FY,{value},USD_bn,reported,KAZ,QazTrade,https://x,{note}"


def folder(tmp_path: Path, *rows: str, name: str = "data") -> Path:
    data = tmp_path / name
    data.mkdir()
    (data / "mine.csv").write_text("\n".join([H, *rows]) + "\n", encoding="utf-8")
    return data


def one_error(result: Any) -> str:
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return str(lines[0])


def tradesim(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tradesim", *args],
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        **kwargs,
    )


# 1 ------------------------------------------------------------------------------------------------------------
def test_a_field_longer_than_the_csv_modules_default_limit(run: Any, tmp_path: Path) -> None:
    note = "n" * 200_000
    data = folder(tmp_path, ROW.format(value=16.1, note=note))
    result = run("data", "--data", str(data), "--reporter", "KAZ", "--partner", "ITA", "--year", "2023",
                 "--period", "FY", "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert [r["note"] for r in json.loads(result.stdout) if r["origin"] != "shipped"] == [note]
    table = tmp_path / "wide.csv"
    table.write_text(f'Flow,Note,2023\nExports,"{note}",13.3\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    imported = run("data", "import", "wide", str(table), "--reporter", "KAZ", "--partner", "ITA",
                   "--unit", "USD_bn", "-o", str(out))  # fmt: skip
    assert imported.exit_code == 0, imported.stderr


# 2 ------------------------------------------------------------------------------------------------------------
def test_finite_in_never_infinite_out(run: Any, tmp_path: Path) -> None:
    data = folder(tmp_path, ROW.format(value="1e308", note=""))
    line = one_error(run("data", "--data", str(data), "--format", "json"))
    assert (
        line
        == f"tradesim: error: {data / 'mine.csv'}:2: value: is too large: in USD_bn it is more than any float holds, got '1e308'"
    )
    line = one_error(run("sensitivity", "steady", "--swing", "1e308", "--format", "json"))
    assert line == "tradesim: error: --swing must be a number > 0 and at most 10 (0.25 is 25%), got 1e+308"


# 3 ------------------------------------------------------------------------------------------------------------
def test_a_zero_baseline_from_the_data(run: Any, tmp_path: Path) -> None:
    data = folder(tmp_path, "trade,KAZ,ITA,total,2023,FY-as-stated,0,USD_bn,reported,KAZ,x,u,")
    line = one_error(run("project", "article", "--data", str(data)))
    assert "the bilateral baseline from the data is 0" in line
    assert f"{data / 'mine.csv'}:2" in line


def test_a_zero_or_negative_figure_in_a_targets_history(run: Any, tmp_path: Path) -> None:
    """Found by the long run of the hostile suite over large data folders: a zero KAZ–ITA figure before a
    target's announcement made `targets` and `report` divide by zero; a negative one took a log of it. No rate of
    growth leads from zero, so the target's status is unknown, and the rest of the table stands."""
    for value in ("0", "-3"):
        data = folder(tmp_path, ROW.format(value=value, note=""), name=f"data{value}")
        result = run("targets", "--data", str(data), "--format", "json")
        assert result.exit_code == 0, result.stderr
        rows = json.loads(result.stdout)["targets"]
        italy = [r for r in rows if r["partner"] == "ITA"]
        assert [r["at_announcement"]["value"] for r in italy] == [float(value) * 1e9]  # the row read
        assert italy[0]["achieved_growth"] is None  # no growth from a zero or negative 2023 to 2024's $20.0B
        assert italy[0]["status"] == "met"  # 2024's $20.0B (shipped) meets the $20.0B target all the same
        assert any(r["status"] == "on track" for r in rows if r["partner"] == "CHN")  # the others still read
        page = tmp_path / f"r{value}.html"
        shown = run("report", "steady", "--data", str(data), "-o", str(page))
        assert shown.exit_code == 0, shown.stderr
        assert page.stat().st_size > 0
    totals = tmp_path / "totals"
    totals.mkdir()
    (totals / "mine.csv").write_text(
        f"{H}\ntrade,KAZ,WLD,total,2024,FY,0,USD_bn,reported,KAZ,x,u,\n", encoding="utf-8"
    )
    result = run(
        "targets", "--data", str(totals), "--format", "json"
    )  # a zero total: no share of it is taken
    assert result.exit_code == 0, result.stderr
    latest = tmp_path / "latest"
    latest.mkdir()  # the latest figure itself zero: from there no growth reaches the target, its status unknown
    (latest / "mine.csv").write_text(
        f"{H}\ntrade,KAZ,ITA,total,2025,FY,0,USD_bn,reported,KAZ,x,u,\n", encoding="utf-8"
    )
    result = run("targets", "--data", str(latest), "--format", "json")
    assert result.exit_code == 0, result.stderr
    italy = [r for r in json.loads(result.stdout)["targets"] if r["partner"] == "ITA"]
    assert [(r["latest_actual"]["value"], r["status"], r["required_growth"]) for r in italy] == [
        (0.0, "unknown", None)
    ]


# 4 ------------------------------------------------------------------------------------------------------------
def test_comtrade_with_cr_line_ends_and_a_damaged_gzip(run: Any, tmp_path: Path) -> None:
    from tests.unit.test_importers import HEADER, line

    raw = tmp_path / "cr.csv"
    raw.write_bytes(
        "\r".join([HEADER, line(flow="X", value=2e9), line(flow="M", value=1e9)]).encode() + b"\r"
    )
    out = tmp_path / "out.csv"
    result = run("data", "import", str(raw), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "3000000000.0" in out.read_text()  # the derived total of both lines
    packed = gzip.compress(
        ("\n".join([HEADER, *[line(partner=p) for p in ("ITA", "DEU", "FRA")] * 400]) + "\n").encode()
    )
    middle = len(packed) // 2
    damaged = tmp_path / "damaged.csv.gz"
    damaged.write_bytes(
        packed[:middle] + bytes(b ^ 0xFF for b in packed[middle : middle + 16]) + packed[middle + 16 :]
    )
    line_ = one_error(run("data", "import", str(damaged), "-o", str(tmp_path / "d.csv")))
    assert line_.startswith(f"tradesim: error: {damaged}: cannot read the file (")
    assert not (tmp_path / "d.csv").exists()


# 5 ------------------------------------------------------------------------------------------------------------
def test_outputs_that_cannot_be_written(run: Any, tmp_path: Path) -> None:
    (tmp_path / "a_folder").mkdir()
    line = one_error(run("project", "steady", "-o", str(tmp_path / "a_folder")))
    assert line == f"tradesim: error: --output: {tmp_path / 'a_folder'} is a folder; name a file in it"
    line = one_error(run("check", "--scenarios", "scenarios", "--junit", ""))
    assert line == "tradesim: error: --junit: give a file name, got '.'"
    with open("/dev/full", "w") as device:
        full = tradesim("project", "steady", stdout=device)
    assert full.returncode == 2
    assert (
        full.stderr.strip().splitlines()[-1]
        == "tradesim: error: cannot write the output: No space left on device"
    )


def test_a_full_disk_is_one_line_and_the_old_file_stays(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    line = one_error(run("project", "steady", "--format", "csv", "-o", str(target)))
    assert line == f"tradesim: error: cannot write {target}: No space left on device"
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


# 6 ------------------------------------------------------------------------------------------------------------
def test_devices_and_pipes_are_written_through_not_replaced(run: Any, tmp_path: Path) -> None:
    link = tmp_path / "null.txt"
    link.symlink_to("/dev/null")  # renaming over the link would leave a file: safe to test, unlike /dev/null
    result = run("project", "steady", "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("project", "steady", "--format", "csv", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert got
    assert b"steady" in got[0]


# 7 ------------------------------------------------------------------------------------------------------------
def test_output_equal_to_the_input_is_refused(run: Any, tmp_path: Path) -> None:
    from tests.unit.test_importers import line, write

    raw = write(tmp_path, line(flow="X", value=2e9), name="self.csv")
    before = raw.read_bytes()
    message = one_error(run("data", "import", "comtrade", str(raw), "-o", str(raw)))
    assert message == f"tradesim: error: --output {raw} is the file being imported: name another file"
    assert raw.read_bytes() == before


# 8, 9 ---------------------------------------------------------------------------------------------------------
def test_sigterm_unwinds_like_ctrl_c(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGTERM mid-run: exit 130 (not 143), no traceback, no output and no temporary left; the handler is
    put back after the run."""
    from tradesim import model

    real = model.project

    def terminated(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the signal arrives first
        return real(*args, **kwargs)

    monkeypatch.setattr(model, "project", terminated)
    caught: list[int] = []

    def record(signum: int, frame: object) -> None:  # on code without a handler, the runner survives
        caught.append(signum)

    previous = signal.signal(signal.SIGTERM, record)
    try:
        result = run("project", "steady", "--format", "csv", "-o", str(tmp_path / "out.csv"))
        assert result.exit_code == 130
        assert "Traceback" not in result.stdout + result.stderr
        assert list(tmp_path.iterdir()) == []
        assert not caught  # the command's own handler took it
        assert signal.getsignal(signal.SIGTERM) is record  # and put the one before it back
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_temporaries_a_killed_run_left_go_with_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "big.csv"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    orphan = tmp_path / f".big.csv.{dead.stdout.strip()}.abcd.tmp"  # a process that has ended
    mine = tmp_path / f".big.csv.{os.getpid()}.efgh.tmp"  # a live process's: left alone
    other = tmp_path / ".other.csv.1.x.tmp"  # another target's
    for path in (orphan, mine, other):
        path.write_text("half")
    atomic.write_text_atomic(target, "whole\n")
    assert target.read_text() == "whole\n"
    assert (orphan.exists(), mine.exists(), other.exists()) == (False, True, True)


# 10 -----------------------------------------------------------------------------------------------------------
def test_what_an_import_writes_loads(run: Any, tmp_path: Path) -> None:
    from tests.unit.test_importers import line, write

    raw = write(tmp_path, line(flow="X", value=2e9))
    data = tmp_path / "data"
    data.mkdir()
    result = run("data", "import", str(raw), "--source", "BNS\u2028table\x85two", "--url", "https://x/\u2029y",
                 "-o", str(data / "kaz.csv"))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    loaded = run("data", "--data", str(data), "--reporter", "KAZ", "--partner", "DEU", "--format", "json")
    assert loaded.exit_code == 0, loaded.stderr
    assert {r["source"] for r in json.loads(loaded.stdout) if r["origin"] != "shipped"} == {"BNS table two"}
    far = write(tmp_path, line(flow="X", value=2e9, year=99999), name="far.csv")
    assert "the year must be in 1900–2300, got 99999" in one_error(
        run("data", "import", str(far), "-o", str(tmp_path / "f.csv"))
    )


# 11 -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\x0b", "\x0c", "\x1d"])
def test_line_and_paragraph_separators_in_a_note(run: Any, tmp_path: Path, separator: str) -> None:
    data = folder(
        tmp_path,
        ROW.format(value=16.1, note=f'"one{separator}two"'),
        ROW.format(value="x", note="").replace("2023", "2024"),
    )
    message = one_error(run("data", "--data", str(data)))
    assert message == f"tradesim: error: {data / 'mine.csv'}:3: value: must be a number, got 'x'"


# 12 -----------------------------------------------------------------------------------------------------------
def test_an_unreadable_data_folder_is_an_error_wherever_it_is_named(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = folder(tmp_path, ROW.format(value=16.1, note=""))
    real = os.scandir

    def denied(path: Any) -> Any:
        if Path(path) == data:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", denied)
    monkeypatch.setenv("TRADESIM_DATA", str(data))
    assert (
        one_error(run("data"))
        == f"tradesim: error: {data}: TRADESIM_DATA: cannot read the data folder (Permission denied)"
    )


# 13 -----------------------------------------------------------------------------------------------------------
def test_what_would_hang(run: Any, tmp_path: Path) -> None:
    assert one_error(run("simulate", "steady", "--runs", "1000000000000")) == (
        "tradesim: error: --runs must be a whole number from 1 to 10,000,000, got 1000000000000"
    )
    data = folder(tmp_path, ROW.format(value=16.1, note=""))
    os.mkfifo(data / "x.csv")
    (data / "y.csv").mkdir()
    result = run("data", "--data", str(data))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"tradesim: error: {data / 'x.csv'}: not a regular file (a folder, a pipe, a device): rename it, or move it out",
        f"tradesim: error: {data / 'y.csv'}: not a regular file (a folder, a pipe, a device): rename it, or move it out",
    ]
    assert one_error(run("data", "import", "/dev/zero", "-o", str(tmp_path / "z.csv"))) == (
        "tradesim: error: /dev/zero: not a regular file"
    )


# 14 -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [["data"], ["project", "--detail"]])
def test_a_closed_stdout_ends_quietly(args: list[str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tradesim", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.read(100)
    process.stdout.close()
    err = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 0
    assert err.count("tradesim: error") == 0
    assert "Traceback" not in err


# 16 -----------------------------------------------------------------------------------------------------------
def test_scenario_files_that_would_stop_every_command(run: Any, tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("g" + ".g" * 50_000 + " = 1\n", encoding="utf-8")
    many = tmp_path / "many.toml"
    many.write_text("".join(f"k{i} = 1\n" for i in range(100_000)), encoding="utf-8")
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(
        '[growth]\nbilateral = "5%"\n' + "".join(f"k{i} = 1\n" for i in range(4_990)), encoding="utf-8"
    )
    assert (
        one_error(run("project", str(deep)))
        == f"tradesim: error: {deep}:1: a key of 50,001 dotted parts; a scenario needs at most 8"
    )
    assert (
        one_error(run("project", str(many)))
        == f"tradesim: error: {many}: 100,000 keys; a scenario file has a few dozen (at most 5,000)"
    )
    result = run("project", str(unknown))
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 4_990  # every unknown key, each at its line
    assert result.stderr.splitlines()[-1].startswith(
        f"tradesim: error: {unknown}:4992: growth.k4989: unknown key"
    )
