"""Scenario files: reading TOML into the schema, with errors that name file, line and key; ``extends``; discovery.

A scenario file is TOML. Every problem in a file is reported at once, each as one line
``FILE:LINE: key.path: what is wrong (got VALUE); allowed: ...``. See README "Scenario files". The schema itself
lives in :mod:`tradesim.schema`; its names are re-exported here, so ``tradesim.scenario.Scenario`` works.
"""

from __future__ import annotations

import copy
import difflib
import functools
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tradesim import atomic
from tradesim.errors import Problem, ScenarioError
from tradesim.quantities import ParsedRate
from tradesim.schema import (
    DEFAULT_HORIZON_YEARS,
    FLOWS,
    GROWTH_CLASSES,
    GROWTH_MODELS,
    METRICS,
    Assertion,
    Baseline,
    Claim,
    ConstantGrowth,
    Event,
    Expectation,
    Growth,
    GrowthModel,
    LinearGrowth,
    LogisticGrowth,
    PiecewiseGrowth,
    ReachGrowth,
    Scenario,
    TableGrowth,
    Target,
    _with_path,
    semantic_problems,
)

__all__ = [
    "DEFAULT_HORIZON_YEARS",
    "FLOWS",
    "GROWTH_MODELS",
    "METRICS",
    "Assertion",
    "Baseline",
    "Claim",
    "ConstantGrowth",
    "Event",
    "Expectation",
    "Growth",
    "GrowthModel",
    "LinearGrowth",
    "LogisticGrowth",
    "PiecewiseGrowth",
    "ReachGrowth",
    "Scenario",
    "TableGrowth",
    "Target",
    "ad_hoc",
    "discover",
    "load",
    "load_many",
    "locate",
    "resolve",
    "semantic_problems",
    "shipped_directory",
]


# -------------------------------------------------------------------------------------------------- loading
_TAGS = set(GROWTH_MODELS)
_MESSAGES = {
    "missing": "required key is missing",
    "model_attributes_type": "must be a table",
    "model_type": "must be a table",
    "dict_type": "must be a table",
    "tuple_type": "must be a list of tables ([[...]])",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "string_type": "must be a string",
    "bool_type": "must be true or false",
}


def _key_path(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Drop pydantic's union tags (``constant``, ...) so the path reads as the user wrote it."""
    return tuple(p for i, p in enumerate(loc) if not (i > 0 and p in _TAGS and loc[i - 1] in FLOWS))


def _dotted(path: Iterable[int | str]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _allowed_keys(path: tuple[int | str, ...], raw: Mapping[str, Any]) -> list[str]:
    """The keys the schema allows where ``path`` points (for "did you mean")."""
    model: type[BaseModel] | None = Scenario
    node: Any = raw
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(part, int):
            continue
        if model is Growth:
            kind = node.get("model", "constant") if isinstance(node, Mapping) else "constant"
            model = GROWTH_CLASSES.get(kind)
        else:
            model = _SECTIONS.get(part)
        if model is None:
            return []
    return list(model.model_fields) if model is not None else []


_SECTIONS: dict[str, type[BaseModel]] = {
    "growth": Growth,
    "baseline": Baseline,
    "events": Event,
    "targets": Target,
}


def _problem_from_pydantic(error: Any, raw: Mapping[str, Any]) -> tuple[tuple[int | str, ...], str]:
    path = _key_path(tuple(error["loc"]))
    if len(path) == 3 and path[0] == "growth" and not isinstance(raw.get("growth", {}).get(path[1]), dict):
        path = path[:2]  # the shorthand `bilateral = 0.05`: the user wrote no `.rate`
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(path, raw)
        guess = difflib.get_close_matches(str(path[-1]), allowed, n=1)
        hint = f"; did you mean {guess[0]!r}?" if guess else ""
        return path, f"unknown key{hint} (allowed: {', '.join(allowed)})" if allowed else "unknown key"
    if kind == "union_tag_invalid":
        got = error["ctx"].get("tag")
        guess = difflib.get_close_matches(str(got), GROWTH_MODELS, n=1)
        hint = f"; did you mean {guess[0]!r}?" if guess else ""
        return (*path, "model"), f"unknown growth model {got!r}{hint} (allowed: {', '.join(GROWTH_MODELS)})"
    if path[-1:] in (("commodity",), ("leg",)) and kind == "string_pattern_mismatch":
        return path, (
            'must be classification:code, the code as the source writes it ("HS:27", "H5:2709", "SITC:3"), or '
            f'"rest" for a leg, got {error["input"]!r}'
        )
    if path == ("name",) and kind == "string_pattern_mismatch":
        return path, (
            "must be 1–100 letters, digits, '.', '_' or '-', starting with a letter or digit "
            f"(it names the snapshot file), got {error['input']!r}"
        )
    message = _MESSAGES.get(kind) or str(error["msg"]).removeprefix("Value error, ").replace(
        "Input should", "must"
    )
    if kind.startswith(("int_", "float_", "literal_", "string_", "greater", "less", "bool")):
        message += f" (got {error['input']!r})"
    return path, message


def locate(text: str, path: tuple[int | str, ...]) -> int | None:
    """The line of ``text`` that sets the deepest prefix of ``path`` (a table header or ``key =``)."""
    target = tuple(str(p) for p in path)
    lines = _key_lines(text)
    for depth in range(len(target), 0, -1):
        if target[:depth] in lines:
            return lines[target[:depth]]
    return None


@functools.lru_cache(maxsize=8)
def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Each key path ``text`` sets (a table header, ``key =``, a key inside an inline table or an array of
    them) → the line it starts on, from tree-sitter's TOML grammar: the parser's own positions, so a string
    holding U+2028, a multi-line string holding ``key =`` or a key quoted with dots in it cannot shift or fool
    it. Read once per file, so locating every problem of a file with many stays linear; the grammar is
    imported only here, on the way to an error message."""
    import tree_sitter
    import tree_sitter_toml

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_toml.language()))
    root = parser.parse(text.encode("utf-8")).root_node
    found: dict[tuple[str, ...], int] = {}
    counts: dict[tuple[str, ...], int] = {}

    def key_of(node: Any) -> tuple[str, ...]:
        if node.type == "dotted_key":
            return tuple(part for child in node.named_children for part in key_of(child))
        raw = (node.text or b"").decode("utf-8")
        if node.type == "quoted_key" and raw[:1] == '"':
            try:
                return (tomllib.loads(f"k = {raw}")["k"],)
            except tomllib.TOMLDecodeError:
                return (raw[1:-1],)
        return (raw[1:-1] if node.type == "quoted_key" else raw,)

    def value(node: Any, prefix: tuple[str, ...]) -> None:
        if node.type == "inline_table":
            pairs(node, prefix)
        elif node.type == "array":
            for i, item in enumerate(node.named_children):
                found.setdefault((*prefix, str(i)), item.start_point[0] + 1)
                value(item, (*prefix, str(i)))

    def pairs(node: Any, prefix: tuple[str, ...]) -> None:
        for child in node.named_children:
            if child.type == "pair":
                key_node, *rest = child.named_children
                full = (*prefix, *key_of(key_node))
                found.setdefault(full, child.start_point[0] + 1)
                for item in rest:
                    value(item, full)

    pairs(root, ())
    for table in root.named_children:
        if table.type not in ("table", "table_array_element") or not table.named_children:
            continue
        name = key_of(table.named_children[0])
        if table.type == "table_array_element":
            found.setdefault(name, table.start_point[0] + 1)  # the list itself: its first entry's line
            counts[name] = counts.get(name, -1) + 1
            name = (*name, str(counts[name]))
        found.setdefault(name, table.start_point[0] + 1)
        pairs(table, name)
    return found


def not_regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as a scenario file (missing, a folder, a pipe, a device), or ``None``: only
    regular files are opened, so a FIFO named ``*.toml`` never blocks a command."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "file not found"
    except OSError as exc:
        return f"cannot read the file ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return None
    kind = (
        "a folder" if stat.S_ISDIR(mode)
        else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
        else "a character device" if stat.S_ISCHR(mode)
        else "a block device" if stat.S_ISBLK(mode)
        else "a socket" if stat.S_ISSOCK(mode)
        else "not a regular file"
    )  # fmt: skip
    return f"{kind}, not a scenario file: name a regular .toml file"


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    atomic.reading(path, "a scenario file")
    if (what := not_regular(path)) is not None:
        raise ScenarioError([Problem(what, path)])
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem("file not found", path)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(
            [Problem(f"cannot read the file ({exc.__class__.__name__}: {exc})", path)]
        ) from None
    guard(text, path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column \d+\)$", message)
        line = int(found.group(1)) if found else None
        raise ScenarioError([Problem(f"TOML syntax error: {message}", path, line)]) from None
    except RecursionError:
        raise ScenarioError([Problem(_TOO_DEEP, path)]) from None
    deepest = _deepest(raw)
    if deepest is not None:
        key_path = deepest
        raise ScenarioError([Problem(_TOO_DEEP, path, locate(text, key_path), _dotted(key_path))])
    if not raw:
        raise ScenarioError([Problem("the file is empty; a scenario needs at least a [growth] table", path)])
    return text, raw


MAX_DEPTH = 8  # the deepest a scenario file needs is 4 (growth.bilateral.rates.2024); see _deepest
MAX_BYTES = 2_000_000  # a scenario file is a few kB; the largest shipped is under 4 kB
MAX_KEYS = 5_000  # keys and table headers; a growth table by year for two centuries is 200
MAX_PARTS = 4 * MAX_DEPTH  # dotted parts in one key or table header


def guard(text: str, path: Path) -> None:
    """Refuse, before parsing, a file no scenario needs and that would stop the parser or the validation
    for minutes: over :data:`MAX_BYTES`, over :data:`MAX_KEYS` keys, or a key of over :data:`MAX_PARTS`
    dotted parts (``tomllib`` takes more than a minute on one key of 50,000 parts)."""
    if len(text) > MAX_BYTES:
        raise ScenarioError(
            [
                Problem(
                    f"the file is {len(text) / 1e6:.1f} MB; a scenario file is a few kB (at most {MAX_BYTES / 1e6:g} MB)",
                    path,
                )
            ]
        )
    keys = 0
    for number, line in enumerate(text.split("\n"), start=1):  # TOML's lines: never str.splitlines (U+2028)
        stripped = line.lstrip()
        if stripped.startswith("["):
            key = stripped.split("]", 1)[0]
        elif "=" in stripped and not stripped.startswith("#"):
            key = stripped.split("=", 1)[0]
        else:
            continue
        keys += 1
        if key.count(".") >= MAX_PARTS:
            raise ScenarioError(
                [
                    Problem(
                        f"a key of {key.count('.') + 1:,} dotted parts; a scenario needs at most {MAX_DEPTH}",
                        path,
                        number,
                    )
                ]
            )
    if keys > MAX_KEYS:
        raise ScenarioError(
            [Problem(f"{keys:,} keys; a scenario file has a few dozen (at most {MAX_KEYS:,})", path)]
        )


MAX_EXTENDS = 32  # the longest `extends` chain: far beyond what a readable set of scenarios uses
_TOO_DEEP = f"tables and lists nested more than {MAX_DEPTH} levels deep; a scenario file needs at most 4"


def _deepest(raw: Any) -> tuple[int | str, ...] | None:
    """The key path of the first value nested deeper than :data:`MAX_DEPTH`, else ``None`` (no recursion)."""
    stack: list[tuple[tuple[int | str, ...], Any]] = [((), raw)]
    while stack:
        path, node = stack.pop()
        children = (
            node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        )
        for key, value in children:
            if isinstance(value, dict | list):
                if len(path) >= MAX_DEPTH:
                    return (*path, key)
                stack.append(((*path, key), value))
    return None


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Child keys override parent keys; tables merge recursively; lists replace unless the child's list has
    an element ``{append = true}``, in which case the child's entries (without that marker) are appended.

    A child's growth table that names another ``model`` than its parent's replaces the parent's parameters
    (a ``rate`` means nothing to a ``linear`` model); only ``sd``, which every model has, is inherited."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            inherited = merged[key]
            if "model" in value and value["model"] != inherited.get("model", "constant"):
                inherited = {k: v for k, v in inherited.items() if k == "sd"}
            merged[key] = _merge(inherited, value)
        elif isinstance(value, list) and any(isinstance(v, dict) and v.get("append") is True for v in value):
            # entries that are not tables stay, so that validation reports them where they are
            entries = [
                {k: v for k, v in e.items() if k != "append"} if isinstance(e, dict) else e for e in value
            ]
            inherited = merged.get(key)
            merged[key] = [*(inherited if isinstance(inherited, list) else []), *entries]
        else:
            merged[key] = value
    return merged


Catalogue = dict[Path, dict[str, Path]]  # folder → its scenarios by name; filled on first use, per load


def _known(folder: Path, catalogue: Catalogue) -> dict[str, Path]:
    """:func:`discover` once per folder per load: it reads every file in the folder."""
    if folder not in catalogue:
        catalogue[folder] = discover(folder)
    return catalogue[folder]


def _load_raw(
    path: Path,
    directory: Path | None,
    chain: tuple[Path, ...],
    catalogue: Catalogue,
    notes: list[str],
    sources: list[tuple[Path, str]] | None = None,
) -> tuple[str, dict[str, Any]]:
    """Read a file and resolve ``extends`` (a scenario name or a path relative to the file); ``sources``
    collects each file of the chain with its text, the child first (:func:`where` finds a key in them)."""
    text, raw = _read_toml(path)
    if sources is not None:
        sources.append((path, text))
    parent_ref = raw.pop("extends", None)
    if parent_ref is None:
        return text, raw
    if not isinstance(parent_ref, str) or not parent_ref:
        line = locate(text, ("extends",))
        raise ScenarioError(
            [Problem(f"must be a scenario name or path, got {parent_ref!r}", path, line, "extends")]
        )
    if len(chain) >= MAX_EXTENDS:
        raise ScenarioError(
            [
                Problem(
                    f"`extends` chain longer than {MAX_EXTENDS} files (from {chain[0]})",
                    path,
                    locate(text, ("extends",)),
                    "extends",
                )
            ]
        )
    parent = _find_parent(parent_ref, path, directory, catalogue, notes)
    if parent is None:
        line = locate(text, ("extends",))
        raise ScenarioError([Problem(f"parent scenario {parent_ref!r} not found", path, line, "extends")])
    if parent.resolve() in {p.resolve() for p in (*chain, path)}:
        names = " → ".join(p.stem for p in (*chain, path, parent))
        raise ScenarioError(
            [Problem(f"inheritance cycle: {names}", path, locate(text, ("extends",)), "extends")]
        )
    _, parent_raw = _load_raw(parent, directory, (*chain, path), catalogue, notes, sources)
    parent_raw.pop("name", None)  # a child is never named after its parent
    parent_raw.pop("expect", None)  # expectations pin the parent's own numbers: never inherited
    return text, _merge(parent_raw, raw)


SHIPPED_PREFIX = "shipped:"  # `extends = "shipped:steady"`: the reference scenario shipped with tradesim


def _find_parent(
    ref: str, child: Path, directory: Path | None, catalogue: Catalogue, notes: list[str]
) -> Path | None:
    """The parent file: a path (relative to the child), a name in the child's folder or the scenario folder,
    ``shipped:NAME``, or — with a note — a name found only among the shipped reference scenarios."""
    shipped = shipped_directory()
    if ref.startswith(SHIPPED_PREFIX):
        return _known(shipped, catalogue).get(ref.removeprefix(SHIPPED_PREFIX))
    as_path = (child.parent / ref) if not Path(ref).is_absolute() else Path(ref)
    if as_path.suffix == ".toml" or "/" in ref:
        return as_path if as_path.is_file() else None
    for folder in (child.parent, directory):
        if folder is not None:
            found = _known(folder, catalogue).get(ref)
            if found is not None:
                return found
    found = _known(shipped, catalogue).get(ref)
    if found is not None:
        notes.append(
            f"{child}: extends {ref!r}: no scenario of that name in {child.parent}, so the reference scenario "
            f'shipped with tradesim is used (write extends = "{SHIPPED_PREFIX}{ref}" to say so)'
        )
    return found


def load(
    path: str | os.PathLike[str], *, directory: Path | None = None, catalogue: Catalogue | None = None
) -> Scenario:
    """Load and validate one scenario file; raise :class:`ScenarioError` listing every problem in it.

    ``catalogue`` lets several loads share the discovery of folders (see :func:`load_many`).
    """
    path = Path(path)
    notes: list[str] = []
    sources: list[tuple[Path, str]] = []
    _, raw = _load_raw(path, directory, (), {} if catalogue is None else catalogue, notes, sources)
    named = "name" in raw
    raw.setdefault("name", path.stem)
    problems: list[Problem] = []
    try:
        scenario: Scenario | None = Scenario.model_validate(raw)
    except ValidationError as exc:
        bad_paths: list[tuple[int | str, ...]] = []
        for error in exc.errors():
            key_path, message = _problem_from_pydantic(error, raw)
            if key_path == ("name",) and not named:
                message += " (the file name is used when the file sets no name = ...)"
            problems.append(Problem(message, *where(sources, key_path), _dotted(key_path) or None))
            bad_paths.append(key_path[:-1] if error["type"] == "missing" else key_path)
        scenario = _without(raw, bad_paths)  # so that the cross-field rules can still be checked
    found = semantic_problems(scenario) if scenario is not None else []
    for problem in found:
        if not _overlaps(_split_key(problem.key), problems):
            key_path = _split_key(problem.key)
            problems.append(Problem(problem.message, *where(sources, key_path), problem.key))
    if problems:
        raise ScenarioError(sorted(problems, key=lambda p: (p.file != path, str(p.file), p.line or 0)))
    assert scenario is not None
    loaded = _with_path(scenario, path)
    loaded._notes = tuple(notes)
    loaded._chain = tuple(p for p, _ in sources)
    return loaded


def where(
    sources: Sequence[tuple[Path, str]], key_path: tuple[int | str, ...]
) -> tuple[Path | None, int | None]:
    """The file of an ``extends`` chain (child first) that sets ``key_path``, and its line: the one that sets
    the deepest part of it, the child where two do (it overrides). A parent's mistake is blamed on the
    parent's line, not on the child that inherits it. A list is replaced, not merged: a key inside one is
    blamed on the file whose list was taken (the first in the chain that sets it)."""
    best: tuple[int, Path | None, int | None] = (0, sources[0][0] if sources else None, None)
    target = tuple(str(p) for p in key_path)
    parsed = [(path, text, _key_lines(text)) for path, text in sources]
    index = next((i for i, part in enumerate(key_path) if isinstance(part, int)), None)
    if index is not None:
        owner = next((entry for entry in parsed if target[:index] in entry[2]), None)
        if owner is not None and not _appends(owner[1], key_path[:index]):
            parsed = [owner]
    for path, _, lines in parsed:
        depth = next((d for d in range(len(target), 0, -1) if target[:d] in lines), 0)
        if depth > best[0]:
            best = (depth, path, lines[target[:depth]])
    return best[1], best[2]


def _appends(text: str, list_path: tuple[int | str, ...]) -> bool:
    """Whether the list at ``list_path`` in this file's TOML appends to its parent's (``append = true``)."""
    try:
        value: Any = tomllib.loads(text)
        for part in list_path:
            value = value[part]
    except (tomllib.TOMLDecodeError, KeyError, IndexError, TypeError):
        return False
    return isinstance(value, list) and any(isinstance(v, dict) and v.get("append") is True for v in value)


def locate_in(scenario: Scenario, key_path: tuple[int | str, ...]) -> tuple[Path | None, int | None]:
    """:func:`where` for a loaded scenario: its file and its parents', read again."""
    chain = scenario._chain or ((scenario.path,) if scenario.path else ())
    sources = []
    for file in chain:
        if file is not None and not_regular(file) is None:
            sources.append((file, file.read_text(encoding="utf-8")))
    return where(sources, key_path) if sources else (scenario.path, None)


def _without(raw: dict[str, Any], bad_paths: list[tuple[int | str, ...]]) -> Scenario | None:
    """The scenario validated with the values at ``bad_paths`` left out (their defaults instead), or ``None``.

    A bad value inside a list entry is left out first; if the entry then lacks a required key, the whole list
    is (entries are never removed one by one: the indices in other messages must stay right).
    """
    pruned = copy.deepcopy(raw)
    for _attempt in range(3):
        for key_path in bad_paths:
            _remove(pruned, key_path)
        try:
            return Scenario.model_validate(pruned)
        except ValidationError as exc:
            bad_paths = []
            for error in exc.errors():
                key_path = _key_path(tuple(error["loc"]))
                cut = next((i for i, part in enumerate(key_path) if isinstance(part, int)), len(key_path))
                bad_paths.append(key_path[:cut] if cut < len(key_path) else key_path[:-1] or key_path)
    return None


def _remove(raw: dict[str, Any], key_path: tuple[int | str, ...]) -> None:
    node: Any = raw
    for part in key_path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    if key_path and isinstance(node, dict) and key_path[-1] != "name":
        node.pop(key_path[-1], None)
    elif key_path == ("name",):
        node["name"] = "unnamed"


def _overlaps(key_path: tuple[int | str, ...], problems: list[Problem]) -> bool:
    """Whether a cross-field rule's key is (under) a key already reported, or above one: the field error
    is then the cause, and the rule would only repeat it."""
    for problem in problems:
        reported = _split_key(problem.key)
        if key_path == ("growth",) and reported[:1] == ("legs",):  # the legs are the pair's growth: left out
            return True
        shorter = min(len(reported), len(key_path))
        if reported[:shorter] == key_path[:shorter]:
            return True
    return False


def _split_key(key: str | None) -> tuple[int | str, ...]:
    parts: list[int | str] = []
    for token in re.findall(r"[^.\[\]]+", key or ""):
        parts.append(
            int(token)
            if token.isdigit() and parts and parts[-1] in ("events", "targets", "legs", "claims", "expect")
            else token
        )
    return tuple(parts)


# ------------------------------------------------------------------------------------------------ discovery
def shipped_directory() -> Path:
    """The reference scenarios inside the installed package (or, from a source checkout, the repo's)."""
    from importlib.resources import files

    inside = Path(str(files("tradesim"))) / "scenarios"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parents[2] / "scenarios"  # editable install: the one copy in the repo


def discover(directory: Path) -> dict[str, Path]:
    """Scenario name → file, for every ``*.toml`` directly in ``directory``, sorted by name."""
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            if not_regular(path):
                raise OSError  # a pipe would block the read: reported when the file is loaded
            text = path.read_text(encoding="utf-8")
            guard(text, path)
            declared = tomllib.loads(text).get("name")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ScenarioError):
            declared = None  # reported when the file is loaded
        name = declared if isinstance(declared, str) and declared else path.stem
        if name in found:
            problems.append(
                Problem(
                    f"scenario name {name!r} is also the name of {found[name]}; names must be unique in a "
                    "folder (they name the snapshot)",
                    path,
                    None,
                    "name",
                )
            )
        found[name] = path
    if problems:
        raise ScenarioError(problems)
    return dict(sorted(found.items()))


def resolve(reference: str, directory: Path, catalogue: Catalogue | None = None) -> Path:
    """A scenario name (looked up in ``directory``) or a path to a file."""
    candidate = Path(reference)
    if candidate.suffix == ".toml" or os.sep in reference or candidate.exists():
        if (what := not_regular(candidate)) is not None:
            raise ScenarioError([Problem(what, candidate)])
        return candidate
    known = _known(directory, {} if catalogue is None else catalogue)
    if reference in known:
        return known[reference]
    guess = difflib.get_close_matches(reference, list(known), n=1)
    hint = f"; did you mean {guess[0]!r}?" if guess else ""
    available = ", ".join(known) or "none"
    raise ScenarioError(
        [Problem(f"unknown scenario {reference!r} in {directory}{hint} (available: {available})")]
    )


def load_many(references: Iterable[str], directory: Path) -> list[Scenario]:
    """Load the scenarios named (or every scenario in ``directory`` if none), collecting all problems."""
    references = list(references)
    catalogue: Catalogue = {}  # every folder is read once, however many files extend a parent in it
    paths = (
        [resolve(r, directory, catalogue) for r in references]
        if references
        else list(_known(directory, catalogue).values())
    )
    if not paths:
        raise ScenarioError([Problem("no scenario files (*.toml) found", directory)])
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            scenarios.append(load(path, directory=directory, catalogue=catalogue))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    return scenarios


def ad_hoc(
    growth: float,
    rest_growth: float,
    *,
    growth_sd: float = 0.0,
    rest_sd: float = 0.0,
    correlation: float = 0.0,
    base_year: int | None = None,
    horizon: int | None = None,
) -> Scenario:
    """The ``ad-hoc`` scenario of ``--growth``/``--rest-growth``: constant rates on the default baseline
    (the reference case's base year unless ``base_year``)."""
    from tradesim.reference import reference

    base_year = reference().base_year if base_year is None else base_year
    try:
        return Scenario.model_validate(
            {
                "name": "ad-hoc",
                "description": f"constant growth {growth:+.2%}/yr, rest of trade {rest_growth:+.2%}/yr",
                "base_year": base_year,
                "horizon": horizon,
                "correlation": correlation,
                "growth": {
                    "bilateral": {"rate": ParsedRate(growth), "sd": growth_sd},
                    "rest_of_world": {"rate": ParsedRate(rest_growth), "sd": rest_sd},
                },
            }
        )
    except ValidationError as exc:
        options = {
            "correlation": "--correlation",
            "growth.bilateral.sd": "--growth-sd",
            "growth.rest_of_world.sd": "--rest-sd",
        }
        problems = []
        for error in exc.errors():
            key = _dotted(_key_path(tuple(error["loc"])))
            message = str(error["msg"]).replace("Input should", "must")
            problems.append(Problem(f"{options.get(key, key)} {message}, got {error['input']!r}"))
        raise ScenarioError(problems) from None
