"""The console examples of the README and the manual (``docs/``): every ``$ tradesim ...`` line in a
```` ```console ```` block is run from an empty folder, and what it prints must be what the block shows.

An example's output is the lines after its ``$`` line, up to the next ``$`` line or the block's end. A line that
is ``...`` (or holds `` ... `` between two parts) stands for lines (or text) left out; without one, the output
must be the same line for line. Stdout comes first, then the notes on stderr, as a terminal shows them. A file
the example imports by bare name is copied from ``tests/data/real/`` (the file you would have downloaded). An
example whose comment starts with ``after`` needs an edit first and is tested where that edit is made.

``python -m tests.docs_console --regenerate`` rewrites every example without left-out lines from what it prints.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "tests" / "data" / "real"


@dataclass
class Example:
    file: Path
    line: int  # of the $ line, 1-based
    command: str
    comment: str
    expected: list[str]

    @property
    def elided(self) -> bool:
        return any(line.strip() == "..." or " ... " in line for line in self.expected)


def pages() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]


def examples(path: Path) -> list[Example]:
    found: list[Example] = []
    inside = False
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith("```"):
            inside = line.strip() == "```console"
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            command, _, comment = line[2:].partition("#")
            found.append(Example(path, number, command.strip(), comment.strip(), []))
        elif found and found[-1].file == path:
            found[-1].expected.append(line.rstrip())
    return [e for e in found if e.command.startswith("tradesim ")]


def run(example: Example, folder: Path) -> list[str]:
    args = shlex.split(example.command)[1:]
    for arg in args:
        beside = (
            example.file.parent / arg
        )  # a folder the page ships with its example (docs/tutorial/scenarios)
        if (REAL / arg).is_file() and not (folder / arg).exists():
            shutil.copy(REAL / arg, folder / arg)
        elif arg and not arg.startswith("-") and beside.is_dir() and not (folder / arg).exists():
            shutil.copytree(beside, folder / arg)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("TRADESIM_") and k not in ("COLUMNS", "LINES")
    }
    done = subprocess.run(
        [sys.executable, "-m", "tradesim", *args], capture_output=True, text=True, cwd=folder, env=env, timeout=300,
        check=False,
    )  # fmt: skip
    text = (done.stdout + done.stderr).rstrip("\n")
    return [line.rstrip() for line in text.split("\n")] if text else []  # a command that prints nothing


def matches(expected: list[str], printed: list[str]) -> bool:
    """Line for line; with left-out lines, every shown line in order (`` ... `` inside a line: any text)."""
    expected = list(expected)
    while expected and not expected[-1]:
        expected.pop()
    if not any(line.strip() == "..." or " ... " in line for line in expected):
        return expected == printed
    at = 0
    for line in expected:
        if line.strip() == "...":
            continue
        pattern = re.compile("^" + ".*".join(re.escape(part) for part in line.split(" ... ")) + "$")
        while at < len(printed) and not pattern.match(printed[at]):
            at += 1
        if at == len(printed):
            return False
        at += 1
    return True


def regenerate() -> None:
    for path in pages():
        lines = path.read_text(encoding="utf-8").split("\n")
        changed = False
        for example in reversed(examples(path)):
            if example.elided or example.comment.startswith("after"):
                continue
            with tempfile.TemporaryDirectory() as folder:
                printed = run(example, Path(folder))
            start = example.line  # 0-based index of the first output line
            end = start + len(example.expected)
            while end > start and not lines[end - 1].strip():  # keep the block's trailing blank lines
                end -= 1
            if lines[start:end] != printed:
                lines[start:end] = printed
                changed = True
        if changed:
            path.write_text("\n".join(lines), encoding="utf-8")
            print(f"rewrote {path.relative_to(REPO)}")


if __name__ == "__main__":
    if "--regenerate" in sys.argv:
        regenerate()
