"""Hypothesis strategies, in one place."""

from __future__ import annotations

from hypothesis import strategies as st

from tradesim.scenario import Scenario

baselines = st.floats(min_value=1e8, max_value=1e11)
rates = st.floats(min_value=-0.5, max_value=0.5)
rest_rates = st.floats(min_value=-0.2, max_value=0.3)
targets = st.floats(min_value=1e8, max_value=1e12)
horizons = st.integers(min_value=1, max_value=40)


@st.composite
def constant_scenarios(draw: st.DrawFn) -> Scenario:
    """A constant-growth scenario with explicit baselines (no data lookup)."""
    bilateral = draw(baselines)
    return Scenario.model_validate(
        {
            "name": "generated",
            "base_year": 2023,
            "horizon": 2023 + draw(horizons),
            "baseline": {"bilateral": bilateral, "rest_of_world": bilateral * draw(st.floats(0.5, 50))},
            "growth": {"bilateral": draw(rates), "rest_of_world": draw(rest_rates)},
        }
    )


# --------------------------------------------------------------------------------------------- hostile input
# Scenario files built from the schema's shape with hostile values: wrong TOML types, extreme and non-finite
# numbers, odd names, deep nesting, long `extends` chains. Used by tests/fuzz.
import datetime as _dt  # noqa: E402  (kept beside the strategies that need it)
import math as _math  # noqa: E402
import re as _re  # noqa: E402

_BARE_KEY = _re.compile(r"^[A-Za-z0-9_-]+$")

hostile_numbers = st.one_of(
    st.sampled_from(
        [0, -0.0, 1, -1, 1e308, -1e308, 1e-300, 5e-324, 1e15, 1e16, 10**30, -(10**30), 2**63 - 1]
    ),
    st.sampled_from([_math.inf, -_math.inf, _math.nan]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(min_value=-2, max_value=2),
)
hostile_strings = st.one_of(
    st.sampled_from(
        [
            "20B",
            "$20bn",
            "-5%",
            "1e400",
            "nan",
            "inf",
            "-inf",
            "1/0",
            "1/6",
            "0/0",
            "abc",
            "",
            " ",
            "∞",
            "%",
            "20 B EUR",
            "1e-300",
            "9" * 400,
            "12%%",
            "−3%",
            "1_000_000",
            "0x10",
            "../../escaped",
            "/abs/path",
            # text that would be code elsewhere: a spreadsheet formula, terminal control, Markdown, bidi
            '=HYPERLINK("http://x.example","y")',
            "+cmd|' /C calc'!A0",
            "@SUM(1+1)",
            "\x1b[2J\x1b[1;1Hall clear",
            "a\n\n# injected heading | x <b>",
            "line\u2028separated",
            "\u202eevil",
            "\x07bell\x08",
        ]
    ),
    st.text(max_size=20),
)
hostile_dates = st.one_of(
    st.datetimes(min_value=_dt.datetime(1, 1, 1), max_value=_dt.datetime(9999, 1, 1)),
    st.dates(),
    st.times(),
)
hostile_scalars = st.one_of(hostile_numbers, hostile_strings, st.booleans(), hostile_dates)
hostile_values = st.recursive(
    hostile_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(["a", "value", "rate", "model"]), children, max_size=3),
    ),
    max_leaves=6,
)
scenario_names = st.one_of(
    st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,20}\Z"),
    st.sampled_from(
        ["../../escaped", "/abs/path", "a" * 300, "ünïcødé", "", ".hidden", "con", "a/b", "a\\b"]
    ),
    st.text(max_size=40),
)
valid_rates = st.one_of(st.floats(min_value=-0.5, max_value=0.5), st.sampled_from(["5%", "-3%", "0"]))
valid_amounts = st.one_of(
    st.floats(min_value=1e6, max_value=1e12), st.sampled_from(["14.5B", "139.8B", "500M"])
)
growth_models = st.one_of(
    valid_rates,
    hostile_values,
    st.fixed_dictionaries(
        {"model": st.just("constant"), "rate": st.one_of(valid_rates, hostile_values)},
        optional={"sd": st.one_of(st.floats(0, 0.3), hostile_values)},
    ),
    st.fixed_dictionaries({"model": st.just("linear"), "amount": st.one_of(valid_amounts, hostile_values)}),
    st.fixed_dictionaries(
        {
            "model": st.just("reach"),
            "value": st.one_of(valid_amounts, hostile_values),
            "year": st.one_of(st.integers(2020, 2040), hostile_values),
        },
        optional={"after": st.one_of(valid_rates, hostile_values)},
    ),
    st.fixed_dictionaries(
        {
            "model": st.just("logistic"),
            "rate": st.one_of(st.floats(0.01, 1), hostile_values),
            "ceiling": st.one_of(valid_amounts, hostile_values),
        }
    ),
    st.fixed_dictionaries(
        {
            "model": st.sampled_from(["table", "piecewise"]),
            "rates": st.dictionaries(
                st.sampled_from(["2024", "2025", "2030", "1800", "x"]),
                st.one_of(valid_rates, hostile_values),
                max_size=3,
            ),
        },
        optional={"default": st.one_of(valid_rates, hostile_values)},
    ),
    st.fixed_dictionaries({"model": st.one_of(st.sampled_from(["constnat", "exponential"]), hostile_values)}),
)
events = st.fixed_dictionaries(
    {
        "label": st.one_of(st.text(max_size=10), hostile_values),
        "year": st.one_of(st.integers(2020, 2040), hostile_values),
    },
    optional={
        "amount": st.one_of(st.floats(-5e9, 5e9), hostile_values),
        "relative": st.one_of(st.floats(-0.99, 2), hostile_values),
        "kind": st.one_of(st.sampled_from(["permanent", "one-off"]), hostile_values),
        "ramp_years": st.one_of(st.integers(1, 5), hostile_values),
        "flow": st.one_of(
            st.sampled_from(["bilateral", "exports", "imports", "rest_of_world", "total"]), hostile_values
        ),
        "probability": st.one_of(st.floats(0, 1), hostile_values),
        "append": st.one_of(st.just(True), hostile_values),
        "leg": st.one_of(st.sampled_from(["HS:27", "rest", "HS:28", "27"]), hostile_values),
    },
)
# product legs: mostly an HS 27 leg and the rest, sometimes overlapping, mixed, unsourced or priced oddly
leg_prices = st.fixed_dictionaries(
    {},
    optional={
        "series": st.one_of(st.sampled_from(["CRUDE_BRENT", "NOPE", "../x"]), hostile_values),
        "prices": st.one_of(
            st.dictionaries(st.sampled_from(["2023", "2026", "x"]), st.floats(0, 200)), hostile_values
        ),
        "unit": st.one_of(st.sampled_from(["USD_per_bbl", "EUR_per_bbl", "USD"]), hostile_values),
        "hold": st.one_of(st.booleans(), hostile_values),
        "source": st.one_of(st.just("s"), hostile_values),
    },
)
legs = st.lists(
    st.fixed_dictionaries(
        {
            "commodity": st.one_of(
                st.sampled_from(["HS:27", "rest", "rest", "SITC:3", "HS:2709", "H5:26", "27"]), hostile_values
            ),
            "growth": growth_models,
        },
        optional={
            "share": st.one_of(st.sampled_from(["90%", "from data", "1/6", 0.5, "120%"]), hostile_values),
            "amount": st.one_of(valid_amounts, hostile_values),
            "source": st.one_of(st.just("press, 2020"), hostile_values),
            "status": st.one_of(st.sampled_from(["approximate", "reported", "guess"]), hostile_values),
            "price": st.one_of(leg_prices, hostile_values),
            "append": st.one_of(st.just(True), hostile_values),
        },
    ),
    max_size=4,
)
assertions = st.fixed_dictionaries(
    {
        "metric": st.one_of(
            st.sampled_from(
                ["bilateral", "total", "rest_of_world", "share", "reached_year", "required_growth"]
            ),
            hostile_values,
        )
    },
    optional={
        "year": st.one_of(st.integers(2020, 2040), hostile_values),
        "at": st.one_of(st.just("target"), hostile_values),
        "value": st.one_of(valid_amounts, st.just("1/6"), st.integers(2024, 2035), hostile_values),
        "min": hostile_values,
        "max": hostile_values,
        "rtol": st.one_of(st.floats(0, 1), hostile_values),
        "quote": st.text(max_size=10),
        "against": st.one_of(st.sampled_from(["scenario", "data"]), hostile_values),
    },
)


def _maybe(strategy: st.SearchStrategy, valid: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly a valid value, sometimes a hostile one: so that files get past the first error often enough."""
    return st.one_of(valid, valid, strategy)


scenario_documents = st.fixed_dictionaries(
    {
        "growth": st.one_of(
            st.fixed_dictionaries(
                {"bilateral": growth_models, "rest_of_world": _maybe(hostile_values, valid_rates)}
            ),
            st.fixed_dictionaries({"bilateral": growth_models, "total": growth_models}),
            st.fixed_dictionaries({"rest_of_world": valid_rates}),  # the legs are the pair's growth
            st.fixed_dictionaries(
                {"exports": growth_models, "imports": growth_models, "rest_of_world": valid_rates}
            ),
            hostile_values,
        )
    },
    optional={
        "name": scenario_names,
        "description": st.one_of(st.text(max_size=30), hostile_values),
        "reporter": st.one_of(
            st.sampled_from(["KAZ", "ITA", "kaz", "WLD", "EUR", "XXX", "DEU"]), hostile_values
        ),
        "partner": st.one_of(
            st.sampled_from(["ITA", "KAZ", "CHN", "WLD", "EUR", "XKX", "tur"]), hostile_values
        ),
        "currency": st.one_of(st.sampled_from(["USD", "EUR"]), hostile_values),
        "base_year": _maybe(hostile_values, st.integers(1890, 2400)),
        "horizon": _maybe(hostile_values, st.integers(1890, 2400)),
        "correlation": _maybe(hostile_values, st.floats(-1, 1)),
        "baseline": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "bilateral": _maybe(hostile_values, valid_amounts),
                    "total": _maybe(hostile_values, valid_amounts),
                    "rest_of_world": _maybe(hostile_values, valid_amounts),
                    "exports": _maybe(hostile_values, valid_amounts),
                    "imports": _maybe(hostile_values, valid_amounts),
                    "bilateral_period": st.one_of(
                        st.sampled_from(["FY", "jan-nov", "FY-as-stated"]), hostile_values
                    ),
                },
            ),
            hostile_values,
        ),
        "events": st.one_of(st.lists(events, max_size=3), hostile_values),
        "legs": st.one_of(legs, legs, hostile_values),
        "targets": st.one_of(
            st.lists(
                st.fixed_dictionaries(
                    {"value": _maybe(hostile_values, valid_amounts)},
                    optional={"year": _maybe(hostile_values, st.integers(2020, 2040))},
                ),
                max_size=2,
            ),
            hostile_values,
        ),
        "claims": st.one_of(st.lists(assertions, max_size=2), hostile_values),
        "expect": st.one_of(st.lists(assertions, max_size=2), hostile_values),
        "extends": st.one_of(st.sampled_from(["steady", "parent", "missing", "../x.toml"]), hostile_values),
        "fx": st.one_of(
            st.fixed_dictionaries(
                {"EUR": st.dictionaries(st.sampled_from(["2026", "2030", "x"]), hostile_numbers)}
            ),
            hostile_values,
        ),
        "bogus_key": hostile_values,
    },
)


def to_toml(document: dict[str, object]) -> str:
    """Write a document as TOML, hostile values included (inf, nan, dates, empty tables): one line a key."""
    return "".join(f"{_key(k)} = {_toml_value(v)}\n" for k, v in document.items())


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_string(key)


def _toml_string(text: str) -> str:
    escaped = []
    for char in text:
        if char in '"\\' or ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or 0xD800 <= ord(char) < 0xE000:
            escaped.append(f"\\u{ord(char):04X}" if not 0xD800 <= ord(char) < 0xE000 else "?")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if _math.isnan(value):
            return "nan"
        if _math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(str(k))} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)  # pragma: no cover


# A valid document at the edges of the domain, then a few of its values made hostile: files that get past the
# first error reach the projection, the solver and the simulation with extreme numbers.
# mostly ordinary values, so that many files reach the solver and the simulation; the edges often enough
edge_rates = st.one_of(
    st.floats(min_value=-0.3, max_value=0.3),
    st.floats(min_value=-0.3, max_value=0.3),
    st.floats(min_value=-0.99, max_value=10.0),
    st.sampled_from([-0.99, 0.0, 10.0, "1000%", "-99%"]),
)
edge_amounts = st.one_of(
    st.floats(min_value=1e8, max_value=1e12),
    st.floats(min_value=1.0, max_value=1e15),
    st.sampled_from([1, 1e15, "1000T", "1", "14.5B", "139.8B"]),
)
edge_growth = st.one_of(
    edge_rates,
    st.fixed_dictionaries({"rate": edge_rates}, optional={"sd": st.floats(0, 1)}),
    st.fixed_dictionaries({"model": st.just("linear"), "amount": st.floats(-1e15, 1e15)}),
    st.fixed_dictionaries(
        {"model": st.just("reach"), "value": edge_amounts, "year": st.integers(2024, 2060)},
        optional={"after": edge_rates, "sd": st.floats(0, 1)},
    ),
    st.fixed_dictionaries(
        {"model": st.just("logistic"), "rate": st.floats(0.001, 10), "ceiling": edge_amounts}
    ),
    st.fixed_dictionaries(
        {
            "model": st.just("table"),
            "rates": st.dictionaries(st.integers(2024, 2035).map(str), edge_rates, max_size=3),
            "default": edge_rates,
        }
    ),
    st.fixed_dictionaries(
        {
            "model": st.just("piecewise"),
            "rates": st.dictionaries(st.integers(2020, 2035).map(str), edge_rates, min_size=1, max_size=3),
        }
    ),
)
edge_events = st.fixed_dictionaries(
    {"label": st.text(max_size=8), "year": st.integers(2024, 2060)},
    optional={
        "kind": st.sampled_from(["permanent", "one-off"]),
        "ramp_years": st.integers(1, 10),
        "probability": st.floats(0, 1),
        "flow": st.sampled_from(["bilateral", "rest_of_world"]),
    },
).flatmap(
    lambda e: st.one_of(
        st.floats(-1e15, 1e15).map(lambda a: {**e, "amount": a}),
        st.floats(-0.99, 10).map(lambda r: {**e, "relative": r}),
    )
)
edge_assertions = st.one_of(
    st.fixed_dictionaries({"metric": st.just("reached_year"), "value": st.integers(2023, 2060)}),
    st.fixed_dictionaries(
        {
            "metric": st.sampled_from(["bilateral", "total", "rest_of_world"]),
            "year": st.integers(2023, 2035),
            "value": edge_amounts,
        }
    ),
    st.fixed_dictionaries(
        {"metric": st.just("share"), "at": st.just("target"), "min": st.just("1%"), "max": st.just("50%")}
    ),
    st.fixed_dictionaries(
        {"metric": st.just("required_growth"), "year": st.integers(2024, 2035), "value": edge_rates}
    ),
)
edge_documents = st.fixed_dictionaries(
    {
        "growth": st.fixed_dictionaries({"bilateral": edge_growth, "rest_of_world": edge_rates}),
        "targets": st.lists(
            st.fixed_dictionaries({"value": edge_amounts}, optional={"year": st.integers(2024, 2060)}),
            min_size=1,
            max_size=2,
        ),
    },
    optional={
        "name": st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,20}\Z"),
        "horizon": st.integers(2024, 2223),
        "correlation": st.floats(-1, 1),
        "baseline": st.fixed_dictionaries({}, optional={"bilateral": edge_amounts, "total": edge_amounts}),
        "events": st.lists(edge_events, max_size=3),
        "claims": st.lists(edge_assertions.map(lambda a: {**a, "quote": "q"}), max_size=2),
        "expect": st.lists(edge_assertions, max_size=2),
        "extends": st.just("parent"),
    },
)


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, object]:
    """An edge document with up to two values replaced by hostile ones (anywhere in it)."""
    document = draw(edge_documents)
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        node: object = document
        while True:  # walk down to a random place
            children = (
                list(node.items())
                if isinstance(node, dict)
                else list(enumerate(node))
                if isinstance(node, list)
                else []
            )
            if not children:
                break
            key, child = draw(st.sampled_from(children))
            if not isinstance(child, dict | list) or draw(st.booleans()):
                node[key] = draw(hostile_values)  # type: ignore[index]
                break
            node = child
    return document


any_documents = st.one_of(mutated_documents(), mutated_documents(), scenario_documents)


# Data folder rows and Comtrade-like lines: valid values mostly, hostile ones often enough.
_DATA_VALID = {
    "kind": st.sampled_from(["trade", "share", "target", "fx", "price"]),
    "reporter": st.sampled_from(["KAZ", "ITA", "EUR", "USD", "WLD"]),
    "partner": st.sampled_from(["ITA", "DEU", "WLD", "USD", "CENTRAL_ASIA"]),
    "flow": st.sampled_from(["total", "export", "import", "rate", "re-export", "price"]),
    "year": st.integers(1990, 2030).map(str),
    "period": st.sampled_from(["FY", "FY-as-stated", "jan-nov", "h1", "q3", "mar", "by"]),
    "value": st.one_of(st.floats(0.001, 1e6).map(repr), st.sampled_from(["14.5", "1e308", "0", "-3"])),
    "unit": st.sampled_from(["USD_bn", "EUR_mn", "KZT", "percent", "USD_per_EUR", "USD_per_bbl"]),
    "status": st.sampled_from(["reported", "approximate", "derived", "unverified", "stated"]),
    "reported_by": st.sampled_from(["KAZ", "ITA", "ECB"]),
    "source": st.sampled_from(["My office", ""]),
    "url": st.just("https://example.org"),
    "note": st.text(max_size=5),
    "classification": st.sampled_from(["", "TOTAL", "HS", "H5", "SITC", "CMO", "XX"]),
    "commodity": st.sampled_from(["", "TOTAL", "27", "2709", "CRUDE_BRENT", "3"]),
}
data_rows = st.fixed_dictionaries(
    {column: st.one_of(valid, valid, valid, hostile_strings) for column, valid in _DATA_VALID.items()}
)
comtrade_fields = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "A",
                "M",
                "KAZ",
                "ITA",
                "W00",
                "X",
                "M",
                "RX",
                "TOTAL",
                "0",
                "C00",
                "2023",
                "52",
                "3",
                # the IMF DOTS and WDI layouts' own cells
                "Kazakhstan, Rep. of",
                "US Dollars, Millions",
                "Italy",
                "0.14 e",
                "12.5 x",
                "Last Updated Date",
                "2024-02-21",
                "TX.VAL.MRCH.CD.WT",
                "NE.EXP.GNFS.CD",
                "Kazakhstan",
                "Advanced Economies",
            ]
        ),
        st.floats(0, 1e12).map(repr),
        hostile_strings,
    ),
    min_size=0,
    max_size=50,
)
