"""Scenario files: valid cases load, invalid cases fail with the exact lines a user would read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SCENARIOS
from tradesim import model, scenario
from tradesim.errors import ScenarioError

CASES = Path(__file__).resolve().parents[1] / "scenarios"
INVALID = sorted((CASES / "invalid").glob("*.toml"))


@pytest.mark.parametrize("path", sorted((CASES / "valid").glob("*.toml")), ids=lambda p: p.stem)
def test_valid_cases_load_and_project(path: Path) -> None:
    loaded = scenario.load(path)
    assert loaded.name == path.stem
    assert model.project(loaded).years[0] == loaded.base_year


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_cases_report_every_problem_exactly(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [
        line.removeprefix("# expect: ")
        for line in path.read_text().splitlines()
        if line.startswith("# expect: ")
    ]
    assert expected, f"{path.name} has no '# expect:' line"
    monkeypatch.chdir(path.parent)
    with pytest.raises(ScenarioError) as caught:
        scenario.load(path.name)
    assert [str(p) for p in caught.value.problems] == expected


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.stem)
def test_reference_scenarios_are_valid_and_described(path: Path) -> None:
    loaded = scenario.load(path, directory=SCENARIOS)
    assert len(loaded.description) > 40
    assert loaded.target is not None
    assert loaded.target.value == 20e9


def test_missing_file() -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario.load("no/such/file.toml")
    assert str(caught.value) == "no/such/file.toml: file not found"


def test_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario.resolve("stedy", SCENARIOS)
    assert str(caught.value) == (
        f"unknown scenario 'stedy' in {SCENARIOS}; did you mean 'steady'? "
        "(available: article, forum-deals, full-year-2023, oil-and-rest, oil-and-rest-brent, oil-downside, steady)"
    )


def test_name_defaults_to_file_stem_and_horizon_to_base_plus_12(write_scenario: Callable[..., Path]) -> None:
    path = write_scenario("my-case", "[growth]\nbilateral = 0.05\nrest_of_world = 0.03\n")
    loaded = scenario.load(path)
    assert (loaded.name, loaded.horizon_year, loaded.reporter, loaded.partner) == (
        "my-case",
        2035,
        "KAZ",
        "ITA",
    )


def test_extends_overrides_key_by_key(write_scenario: Callable[..., Path]) -> None:
    write_scenario(
        "parent",
        """
        description = "parent"
        horizon = 2030
        [growth]
        bilateral = 0.05
        rest_of_world = 0.03
        [[targets]]
        value = "20B"
    """,
    )
    child = write_scenario(
        "child",
        """
        extends = "parent"
        [growth]
        bilateral = 0.07
    """,
    )
    loaded = scenario.load(child)
    assert loaded.name == "child"
    assert loaded.horizon == 2030
    assert loaded.growth.bilateral.rate == 0.07  # type: ignore[union-attr]
    assert loaded.growth.rest_of_world.rate == 0.03  # type: ignore[union-attr]
    assert loaded.targets[0].value == 20e9


def test_a_child_that_changes_the_growth_model_does_not_inherit_the_parents_parameters(
    write_scenario: Callable[..., Path],
) -> None:
    """A parent's `rate` means nothing to a child's `linear` model: only `sd` (every model's) is inherited."""
    write_scenario(
        "parent",
        """
        [growth]
        rest_of_world = 0.03
        [growth.bilateral]
        rate = "5%"
        sd = 0.25
    """,
    )
    child = write_scenario(
        "child",
        """
        extends = "parent"
        [growth.bilateral]
        model = "linear"
        amount = 1e9
    """,
    )
    loaded = scenario.load(child)
    assert loaded.growth.bilateral.model == "linear"
    assert loaded.growth.bilateral.amount == 1e9  # type: ignore[union-attr]
    assert loaded.growth.bilateral.sd == 0.25
    same_model = write_scenario("same", 'extends = "parent"\n[growth.bilateral]\nmodel = "constant"\n')
    assert scenario.load(same_model).growth.bilateral.rate == 0.05  # type: ignore[union-attr]


def test_extends_lists_replace_unless_append(write_scenario: Callable[..., Path]) -> None:
    write_scenario(
        "parent",
        """
        [growth]
        bilateral = 0.05
        rest_of_world = 0.03
        [[events]]
        label = "a"
        year = 2025
        amount = 1e9
    """,
    )
    replaced = write_scenario(
        "replaced",
        """
        extends = "parent"
        [[events]]
        label = "b"
        year = 2026
        amount = 2e9
    """,
    )
    appended = write_scenario(
        "appended",
        """
        extends = "parent.toml"
        [[events]]
        append = true
        label = "b"
        year = 2026
        amount = 2e9
    """,
    )
    assert [e.label for e in scenario.load(replaced).events] == ["b"]
    assert [e.label for e in scenario.load(appended).events] == ["a", "b"]


def test_extends_cycle_and_missing_parent(write_scenario: Callable[..., Path]) -> None:
    write_scenario("a", 'extends = "b"\n[growth]\nbilateral = 0.05\nrest_of_world = 0.03\n')
    b = write_scenario("b", 'extends = "a"\n')
    with pytest.raises(ScenarioError) as caught:
        scenario.load(b)
    assert str(caught.value) == f"{b.parent / 'a.toml'}:1: extends: inheritance cycle: b → a → b"
    orphan = write_scenario("orphan", 'extends = "nobody"\n')
    with pytest.raises(ScenarioError) as caught:
        scenario.load(orphan)
    assert str(caught.value) == f"{orphan}:1: extends: parent scenario 'nobody' not found"


def test_reference_children_are_small() -> None:
    for name in ("forum-deals", "full-year-2023"):
        text = (SCENARIOS / f"{name}.toml").read_text()
        assert 'extends = "steady"' in text
        assert "[growth]" not in text


def test_locate_finds_headers_keys_and_array_tables() -> None:
    text = "a = 1\n[growth.bilateral]\nrate = 2\n[[events]]\nyear = 1\n[[events]]\nyear = 2\n"
    assert scenario.locate(text, ("growth", "bilateral", "rate")) == 3
    assert scenario.locate(text, ("growth", "bilateral", "missing")) == 2
    assert scenario.locate(text, ("events", 1, "year")) == 7
    assert scenario.locate(text, ("nothing",)) is None


def test_directory_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tradesim.cli.locations import scenario_folder

    monkeypatch.chdir(tmp_path)
    assert scenario_folder() == scenario.shipped_directory()
    (tmp_path / "scenarios").mkdir()
    assert scenario_folder() == Path("scenarios")
    monkeypatch.setenv("TRADESIM_SCENARIOS", str(SCENARIOS))
    assert scenario_folder() == SCENARIOS
    assert scenario_folder(tmp_path) == tmp_path
    with pytest.raises(ScenarioError, match="--scenarios: scenario directory not found"):
        scenario_folder(tmp_path / "nope")


def test_ad_hoc_scenario() -> None:
    adhoc = scenario.ad_hoc(0.07, 0.0)
    assert adhoc.name == "ad-hoc"
    assert model.project(adhoc).reached_year(20e9) == 2028


def test_load_many_reads_each_folder_once_however_many_files_extend(
    write_scenario: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = write_scenario("base", "[growth]\nbilateral = 0.05\nrest_of_world = 0.03\n")
    for i in range(20):
        write_scenario(f"child{i:02d}", f'extends = "base"\n[growth]\nbilateral = 0.0{i % 9 + 1}\n')
    scans: list[Path] = []
    real = scenario.discover

    def counted(folder: Path) -> dict[str, Path]:
        scans.append(folder)
        return real(folder)

    monkeypatch.setattr(scenario, "discover", counted)
    loaded = scenario.load_many([], base.parent)
    assert len(loaded) == 21
    assert scans == [base.parent]  # not once per `extends`: that made loading quadratic


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        # a U+2028 inside a string is not a line break in TOML (str.splitlines broke there: every later line +1)
        (
            'description = "a\u2028b"\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n[[events]]\nlabel = "x"\n'
            'year = 2025\nrelative = "nonsense"\n',
            8,
            "events[0].relative",
        ),
        # a key's name inside a multi-line string of another table is not that key
        (
            'description = """\n[growth]\nrest_of_world = 3\n"""\n[growth]\nbilateral = "5%"\n'
            'rest_of_world = "bad"\n',
            7,
            "growth.rest_of_world",
        ),
        ('[growth]\nbilateral = """\nrest_of_world = 1\n"""\nrest_of_world = "3%"\n', 2, "growth.bilateral"),
        # an inline table's keys, on their own lines
        (
            '[growth]\nrest_of_world = "3%"\nbilateral = { model = "constant", rate = "bad" }\n',
            3,
            "growth.bilateral.rate",
        ),
    ],
)
def test_errors_name_the_line_the_toml_parser_puts_the_key_on(
    write_scenario: Callable[..., Path], text: str, line: int, key: str
) -> None:
    path = write_scenario("lines", text)
    with pytest.raises(ScenarioError) as caught:
        scenario.load(path)
    found = [p for p in caught.value.problems if p.key == key]
    assert found, [str(p) for p in caught.value.problems]
    assert found[0].line == line
