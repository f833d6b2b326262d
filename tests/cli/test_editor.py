"""A scenario file as an editor shows it: the committed JSON Schema read by taplo's language server, the build
VS Code's Even Better TOML extension runs (``@taplo/lsp``, run by node; tests/taplo_lsp.py). Completion and
hover inside every table, ``[growth.*]`` included; one message per mistake, in words that name the expected
form; keys the loader refuses together refused by the schema too.

Skipped, saying so, where node or ``@taplo/lsp`` is not installed (``.ci/run`` installs it with the page's
validators)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCENARIOS
from tests.taplo_lsp import TaploServer, taplo_lsp_modules
from tradesim.jsonschema import COUNTRY
from tradesim.schema import GROWTH_CLASSES, Baseline, Claim, Event, Expectation, Growth, Leg, Price, Target

MODULES = taplo_lsp_modules()
pytestmark = pytest.mark.skipif(
    MODULES is None, reason="no taplo language server here (npm install @taplo/lsp; node)"
)
HEAD = "#:schema ./scenario.schema.json\n"
GROWTH = '[growth]\nbilateral = "5%"\ntotal = "3%"\n'


@pytest.fixture(scope="module")
def lsp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TaploServer, Path]]:
    folder = tmp_path_factory.mktemp("editor")
    shutil.copy(SCENARIOS / "scenario.schema.json", folder / "scenario.schema.json")
    assert MODULES is not None
    with TaploServer(folder, MODULES) as server:
        # ready: the schema loaded (a file with no diagnostic then means a file without a mistake)
        assert server.open(folder / "ready.toml", HEAD + 'partner = "XXX"\n', expect_some=True)
        yield server, folder


def _open(
    lsp: tuple[TaploServer, Path], name: str, text: str, *, expect_some: bool = False
) -> tuple[Path, list[dict[str, Any]]]:
    server, folder = lsp
    path = folder / f"{name}.toml"
    return path, server.open(path, HEAD + text, expect_some=expect_some)


# ------------------------------------------------------------------------ completion and hover
TABLES: list[tuple[str, str, set[str]]] = [
    ("baseline", "[baseline]\n", set(Baseline.model_fields)),
    ("growth", "[growth]\n", set(Growth.model_fields)),
    (
        "growth-table",
        "[growth.bilateral]\n",
        {key for model in GROWTH_CLASSES.values() for key in model.model_fields},
    ),
    ("events", '[[events]]\nlabel = "x"\n', set(Event.model_fields) - {"label"} | {"append"}),
    ("targets", "[[targets]]\n", set(Target.model_fields) | {"append"}),
    ("claims", "[[claims]]\n", set(Claim.model_fields) | {"append"}),
    ("expect", "[[expect]]\n", set(Expectation.model_fields)),
    ("legs", '[[legs]]\ncommodity = "HS:27"\n', set(Leg.model_fields) - {"commodity"} | {"append"}),
]


@pytest.mark.parametrize(("name", "table", "keys"), TABLES, ids=[t[0] for t in TABLES])
def test_the_editor_completes_the_keys_inside_every_table(
    lsp: tuple[TaploServer, Path], name: str, table: str, keys: set[str]
) -> None:
    path, _ = _open(lsp, name, table + "\n")
    line = (HEAD + table).count("\n")  # the empty line after the table's header (and its given keys)
    offered = {label.split(".")[0] for label in lsp[0].completion(path, line, 0)}
    assert keys <= offered, keys - offered


def test_the_editor_completes_a_legs_growth_and_price_keys(lsp: tuple[TaploServer, Path]) -> None:
    """Inside [[legs]], as dotted keys (taplo 0.8 offers nothing inside an inline table, and stops on a
    [legs.growth] header under [[legs]]: its bugs, not the schema's)."""
    path, _ = _open(lsp, "leg-keys", '[[legs]]\ncommodity = "HS:27"\n\n')
    offered = set(lsp[0].completion(path, 3, 0))
    growth = {key for model in GROWTH_CLASSES.values() for key in model.model_fields}
    assert {f"growth.{key}" for key in growth} | {f"price.{key}" for key in Price.model_fields} <= offered


def test_the_editor_completes_the_top_level_keys(lsp: tuple[TaploServer, Path]) -> None:
    from tradesim.schema import Scenario

    path, _ = _open(lsp, "top", "\n" + GROWTH)
    offered = {label.split(".")[0] for label in lsp[0].completion(path, 1, 0)}
    assert set(Scenario.model_fields) - {"path", "growth"} <= offered


def test_the_editor_explains_a_growth_models_keys_and_completes_its_values(
    lsp: tuple[TaploServer, Path],
) -> None:
    from tradesim.jsonschema import field_docstrings
    from tradesim.schema import GROWTH_MODELS

    path, diagnostics = _open(
        lsp, "hover", '[growth.bilateral]\nmodel = "reach"\nvalue = "20B"\nyear = 2030\n'
    )
    assert diagnostics == [] or all("growth" in d["message"] for d in diagnostics)  # total is missing
    docs = field_docstrings()
    assert docs["ReachGrowth"]["year"][:40] in lsp[0].hover(path, 4, 1)  # line 4: year = 2030
    assert "The growth model" in lsp[0].hover(path, 2, 1)
    assert lsp[0].completion(path, 2, 9) == [f'"{kind}"' for kind in GROWTH_MODELS]


def test_the_editor_completes_a_country_code(lsp: tuple[TaploServer, Path]) -> None:
    from tradesim.codes import country_codes

    path, _ = _open(lsp, "country", 'partner = "I"\n' + GROWTH)
    offered = lsp[0].completion(path, 1, 11)
    assert {f'"{code}"' for code in country_codes()} == set(offered)


# ------------------------------------------------------------------------ one message per mistake
MISTAKES = {
    "amount": (GROWTH + '[[targets]]\nvalue = "20 dollars"\n', "a positive amount, such as 20B, 20 bn, €15B"),
    "country": ('partner = "XXX"\n' + GROWTH, "a country's ISO 3166 alpha-3 code, such as KAZ or ITA"),
    "rate": ('[growth]\nbilateral = "five"\ntotal = 0.03\n', "a rate, such as 5%, -2.5% or 0.05"),
    "share": (
        GROWTH + '[[legs]]\ncommodity = "HS:27"\nshare = "most"\ngrowth = "0%"\n',
        "a share, such as 90%",
    ),
    "claim": (GROWTH + '[[claims]]\nmetric = "share"\nquote = "1/6"\nvalue = "a sixth"\n', "a share (1/6)"),
    "event-amount": (
        GROWTH + '[[events]]\nlabel = "x"\nyear = 2026\namount = "1.5 zillion"\n',
        "an amount, such as 20B",
    ),
    "model": (
        '[growth.bilateral]\nmodel = "constnt"\n[growth.total]\nrate = 0.03\n',
        '"constnt" is not one of',
    ),
    "key": (
        '[growth.bilateral]\nrate = "5%"\nrat = 1\n[growth.total]\nrate = 0.03\n',
        "'rat' was unexpected",
    ),
}
EXCLUSIVE = {
    "event": (
        GROWTH + '[[events]]\nlabel = "x"\nyear = 2026\namount = "1B"\nrelative = "5%"\n',
        "either amount or relative, not both",
    ),
    "leg": (
        GROWTH + '[[legs]]\ncommodity = "HS:27"\nshare = "90%"\namount = "1B"\nsource = "s"\ngrowth = "0%"\n'
        '[[legs]]\ncommodity = "rest"\ngrowth = "5%"\n',
        "either share or amount, not both",
    ),
    "other-flows": (
        '[growth]\nbilateral = "5%"\ntotal = "3%"\nrest_of_world = "3%"\n',
        "rest_of_world or total",
    ),
    "flows": (
        '[growth]\nbilateral = "5%"\nexports = "3%"\nimports = "3%"\ntotal = "3%"\n',
        "either bilateral or exports and imports, not both",
    ),
    "period": (
        GROWTH + '[baseline]\nbilateral = "16B"\nbilateral_period = "FY"\n',
        "bilateral or bilateral_period",
    ),
    "baseline": (GROWTH + '[baseline]\ntotal = "139B"\nrest_of_world = "120B"\n', "total or rest_of_world"),
    "expect": (
        GROWTH + '[[targets]]\nvalue = "20B"\n[[expect]]\nmetric = "bilateral"\nyear = 2030\nat = "target"\n'
        'value = "20B"\n',
        "either year or at, not both",
    ),
}


@pytest.mark.parametrize(("name", "case"), sorted({**MISTAKES, **EXCLUSIVE}.items()))
def test_each_mistake_gets_one_message_that_names_the_expected_form(
    lsp: tuple[TaploServer, Path], name: str, case: tuple[str, str]
) -> None:
    """One message (taplo 0.8 repeats it for each text range of a table; counted once), one line, in words:
    never a regular expression, never the list of 250 country codes."""
    text, expected = case
    _, diagnostics = _open(lsp, f"mistake-{name}", text, expect_some=True)
    messages = {d["message"] for d in diagnostics}
    assert len(messages) == 1, messages
    (message,) = messages
    assert expected in message
    assert "\n" not in message
    assert len(message) < 100
    assert "\\s" not in message
    assert '"ABW"' not in message


@pytest.mark.parametrize(("name", "case"), sorted(EXCLUSIVE.items()))
def test_keys_the_loader_refuses_together_the_schema_refuses(
    run: Any, tmp_path: Path, name: str, case: tuple[str, str]
) -> None:
    """Both say no, the schema at the key it names, `tradesim scenarios validate` at the file's line."""
    path = tmp_path / f"{name}.toml"
    path.write_text(case[0], encoding="utf-8")
    result = run("scenarios", "validate", str(path))
    assert result.exit_code == 2
    assert "not both" in result.stderr or "exactly one" in result.stderr, result.stderr


def test_a_correct_file_gets_no_message(lsp: tuple[TaploServer, Path]) -> None:
    for shipped in sorted(SCENARIOS.glob("*.toml")):
        _, diagnostics = _open(lsp, f"shipped-{shipped.stem}", shipped.read_text(encoding="utf-8"))
        assert diagnostics == [], (shipped.name, diagnostics)


def test_the_repositorys_taplo_config_maps_scenario_files_to_the_schema(tmp_path: Path) -> None:
    """No `#:schema` line: the `.taplo.toml` this repository ships (and the manual shows) is what associates
    a file under scenarios/ with the schema in the editor."""
    from tests.conftest import REPO

    (tmp_path / "scenarios").mkdir()
    shutil.copy(SCENARIOS / "scenario.schema.json", tmp_path / "scenarios")
    shutil.copy(REPO / ".taplo.toml", tmp_path)
    assert MODULES is not None
    with TaploServer(tmp_path, MODULES) as server:
        mine = tmp_path / "scenarios" / "mine.toml"
        diagnostics = server.open(mine, 'partner = "XXX"\n' + GROWTH, expect_some=True)
    assert [d["message"] for d in diagnostics] == [f'"{COUNTRY}" was expected']
