import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradesim import quantities
from tradesim.errors import InputError
from tradesim.quantities import format_money, format_percent, parse_amount, parse_rate, parse_share


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20e9", 20e9),
        ("20000000000", 20e9),
        ("20_000_000_000", 20e9),
        ("20B", 20e9),
        ("20bn", 20e9),
        ("$20B", 20e9),
        ("20 billion", 20e9),
        ("500M", 5e8),
        ("1.5B", 1.5e9),
        ("$1,500M", 1.5e9),
        ("-1.5B", -1.5e9),
        (14.5e9, 14.5e9),
        (7, 7.0),
    ],
)
def test_parse_amount_accepts_what_analysts_write(text: str, expected: float) -> None:
    assert parse_amount(text) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "--target must be a number like 20e9, 20_000_000_000, 20B, $20bn or 500M, got 'abc'"),
        ("nan", "--target must be a number like 20e9, 20_000_000_000, 20B, $20bn or 500M, got 'nan'"),
        ("1e999", "--target must be a finite number, got '1e999'"),
        ("-5", "--target must be greater than zero, got '-5'"),
        ("0", "--target must be greater than zero, got '0'"),
        ("20X", "--target must be a number like 20e9, 20_000_000_000, 20B, $20bn or 500M, got '20X'"),
    ],
)
def test_parse_amount_rejects_with_the_bad_text(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_amount(text, what="--target", positive=True)
    assert str(caught.value) == message


def test_parse_amount_rejects_float_nan_and_bool() -> None:
    with pytest.raises(InputError, match="finite"):
        parse_amount(math.nan)
    with pytest.raises(InputError):
        parse_amount(True)


@pytest.mark.parametrize(
    ("text", "expected"), [("7%", 0.07), ("0.07", 0.07), ("-2.5%", -0.025), (0.05, 0.05)]
)
def test_parse_rate(text: str, expected: float) -> None:
    assert parse_rate(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["-100%", "-1", "-150%", "nan", "inf", "fast", ""])
def test_parse_rate_rejects(text: str) -> None:
    with pytest.raises(InputError):
        parse_rate(text, what="--growth")


@pytest.mark.parametrize(("text", "expected"), [("1/6", 1 / 6), ("0.1667", 0.1667), ("16.7%", 0.167)])
def test_parse_share(text: str, expected: float) -> None:
    assert parse_share(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["0", "1", "7/6", "1/0", "-10%", "abc"])
def test_parse_share_rejects(text: str) -> None:
    with pytest.raises(InputError):
        parse_share(text)


def test_formatting() -> None:
    assert format_money(1.45e10) == "$14.5B"
    assert format_money(5e8) == "$500.0M"
    assert format_money(-1.5e9) == "−$1.5B"
    assert format_money(1.2e12) == "$1.2T"
    assert format_percent(14.5 / 139.8) == "10.4%"
    assert format_percent(0.0837, 2, signed=True) == "+8.37%"
    assert format_percent(-0.02, signed=True) == "−2.0%"


@given(st.floats(min_value=1, max_value=1e14))
def test_amount_round_trips_through_plain_text(value: float) -> None:
    assert parse_amount(repr(value)) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20 bln", 20e9), ("20 млрд", 20e9), ("20 mld", 20e9), ("20 mld.", 20e9), ("3.5 млн", 3.5e6),
     ("20 billion", 20e9), ("20mn", 20e6), ("1.2 трлн", 1.2e12), ("20 USD", 20.0), ("$20", 20.0)],
)  # fmt: skip
def test_scale_words_are_scales_never_currencies(text: str, expected: float) -> None:
    assert quantities.parse_money(text, what="--target", positive=True) == (
        pytest.approx(expected),
        "USD" if "USD" in text or "$" in text else None,
    )


@pytest.mark.parametrize("text", ["20", 20, 14.5, "999999"])
def test_a_target_or_baseline_without_a_scale_is_refused_with_the_likely_reading(text: object) -> None:
    shown = text if isinstance(text, str) else f"{text:g}"
    with pytest.raises(InputError) as caught:
        quantities.parse_money(text, what="--target", positive=True)  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"--target {shown} has no scale: {float(text):g} currency units is implausibly small for a country's "
        f"trade; did you mean {shown}B? (write {shown} USD, or another currency code, to mean {float(text):g} units)"
    )
    assert quantities.parse_amount(text, what="change") == float(text)  # a change or a spread may be small
