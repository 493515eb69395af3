"""Property tests (Hypothesis): amounts, Thai dates and fiscal years, and the plan parser.

Each property says what must hold for *every* input, not for a few chosen ones; Hypothesis searches
for a counter-example and shrinks it. The profile (tests/conftest.py) is derandomised, so a run is
reproducible and writes no example database into the work tree.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.thai import (
    THAI_DIGITS,
    baht,
    be_numeric,
    fiscal_year_bounds,
    fiscal_year_of,
    half_year_end,
    parse_be_date,
    parse_be_month,
    round_period,
    thai_date,
    to_arabic_digits,
    to_thai_digits,
)
from domain.values import MAX_BAHT, parse_satang, plain_text
from infrastructure.plan_parser import parse_plan
from tests.conftest import SEED

SATANG = st.integers(min_value=0, max_value=int(MAX_BAHT) * 100 - 1)
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2150, 12, 31))


# -- amounts ---------------------------------------------------------------------------------------


@given(SATANG)
def test_an_amount_as_people_read_it_parses_back_to_the_same_satang(satang: int) -> None:
    shown = baht(satang)  # 1,234.50
    assert parse_satang(shown) == satang
    assert parse_satang(baht(satang, thai_digits=True)) == satang  # ๑,๒๓๔.๕๐
    assert parse_satang(f"{shown} บาท") == satang


@given(SATANG)
def test_integer_satang_is_taken_as_it_is(satang: int) -> None:
    assert parse_satang(satang) == satang


@given(st.one_of(st.text(max_size=40), st.floats(), st.integers(), st.booleans(), st.none()))
def test_any_value_is_an_amount_or_a_clear_refusal(value: object) -> None:
    """Never an exception other than InvalidInput; never negative; never past the ceiling."""
    try:
        satang = parse_satang(value)
    except InvalidInput as refusal:
        assert refusal.th and refusal.en
        return
    assert isinstance(satang, int) and not isinstance(satang, bool)
    assert 0 <= satang < MAX_BAHT * 100


@given(st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str))
def test_exponents_infinities_and_sub_satang_precision_are_refused(text: str) -> None:
    value = Decimal(text)
    plain = value.is_finite() and "e" not in text.lower() and value.as_tuple().exponent >= -2
    assume(not plain)  # written with an exponent, infinite, NaN or finer than a satang
    with pytest.raises(InvalidInput):
        parse_satang(text)


@given(st.integers(min_value=1, max_value=10**30))
def test_no_amount_past_the_ceiling_is_ever_accepted(extra: int) -> None:
    too_big = int(MAX_BAHT) * 100 - 1 + extra
    with pytest.raises(InvalidInput):
        parse_satang(too_big)
    with pytest.raises(InvalidInput):
        parse_satang(str(too_big // 100))


# -- dates, BE and CE, fiscal years ------------------------------------------------------------------


@given(DAYS)
def test_a_day_written_as_a_clerk_writes_it_reads_back(day: date) -> None:
    assert parse_be_date(be_numeric(day)) == day  # 30/06/2562
    assert parse_be_date(to_thai_digits(be_numeric(day))) == day  # ๓๐/๐๖/๒๕๖๒
    assert parse_be_date(day.isoformat()) == day
    assert parse_be_month(f"{day.month}/{day.year + 543}") == f"{day.year:04d}-{day.month:02d}"


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_value_error(text: str) -> None:
    try:
        parsed = parse_be_date(text)
    except ValueError:
        return
    assert isinstance(parsed, date)


@given(DAYS.filter(lambda d: d.year >= 1000 and d.year + 543 >= 2400))
def test_a_christian_era_year_in_day_month_year_is_refused_never_guessed(day: date) -> None:
    assume(day.year < 2400)
    with pytest.raises(ValueError):
        parse_be_date(f"{day.day}/{day.month}/{day.year}")


@given(DAYS)
def test_every_day_lies_in_exactly_the_fiscal_year_that_names_it(day: date) -> None:
    year = fiscal_year_of(day)
    start, end = fiscal_year_bounds(year)
    assert start <= day <= end
    assert (start.month, start.day, end.month, end.day) == (10, 1, 9, 30)
    assert fiscal_year_of(start - timedelta(days=1)) == year - 1
    assert fiscal_year_of(end + timedelta(days=1)) == year + 1


@given(st.integers(min_value=2450, max_value=2700))
def test_fiscal_years_tile_the_calendar_and_rounds_sit_inside_them(year: int) -> None:
    start, end = fiscal_year_bounds(year)
    next_start, _ = fiscal_year_bounds(year + 1)
    assert end + timedelta(days=1) == next_start
    assert round_period(year, 6) == (start, half_year_end(year))
    assert round_period(year, 12) == (start, end)
    assert start < half_year_end(year) < end
    assert fiscal_year_of(half_year_end(year)) == year


@given(DAYS)
def test_a_thai_date_names_the_buddhist_era_year(day: date) -> None:
    text = thai_date(day)
    assert to_arabic_digits(text).endswith(str(day.year + 543))
    assert not any(ch in "0123456789" for ch in text)
    assert all(ch in THAI_DIGITS for ch in to_thai_digits(str(day.year)))


# -- public text -------------------------------------------------------------------------------------


@given(st.text())
def test_plain_text_keeps_no_invisible_or_direction_changing_character(text: str) -> None:
    cleaned = plain_text(text)
    assert not any(ch in cleaned for ch in "\x00\u200b\u200e\u200f\u202e\u2066\ufeff")
    assert plain_text(cleaned) == cleaned  # idempotent


# -- the plan parser ---------------------------------------------------------------------------------

SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()
GARBLE = st.sampled_from(["O", "l", "?", " ", "", "x", "๐", "-", ",,"])


@st.composite
def damaged_plans(draw: st.DrawFn) -> str:
    """The seed plan with a few lines cut, repeated, shuffled or with their digits garbled."""
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        start = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        size = draw(st.integers(min_value=1, max_value=40))
        chunk = lines[start : start + size]
        action = draw(st.sampled_from(["cut", "repeat", "garble", "swap"]))
        if action == "cut":
            del lines[start : start + size]
        elif action == "repeat":
            lines[start:start] = chunk
        elif action == "garble":
            mark = draw(GARBLE)
            lines[start : start + size] = ["".join(mark if c.isdigit() else c for c in line) for line in chunk]
        else:
            other = draw(st.integers(min_value=0, max_value=max(0, len(lines) - size)))
            del lines[start : start + size]
            lines[other:other] = chunk
        if not lines:
            break
    return "\n".join(lines)


def check_plan_tells_what_it_could_not_read(raw: str) -> None:
    plan = parse_plan(raw)  # never raises
    if not plan.measures:
        assert plan.warnings, "an empty plan without a word"
    if not plan.fiscal_years:
        assert any(w.kind == "fiscal-years" for w in plan.warnings)
    if not plan.organisation:
        assert any(w.kind == "organisation" for w in plan.warnings)
    for item in plan.measures:
        unknown = [year for year, amount in item.budgets.items() if amount is None]
        if unknown and not item.no_budget:
            named = [w for w in plan.warnings if item.code in w.message or w.line == item.line]
            assert named, f"item {item.code}: budget unknown for {unknown} without a warning naming it"
        for amount in item.budgets.values():
            assert amount is None or amount >= 0
    for warning in plan.warnings:
        assert warning.message and warning.message_th and warning.line >= 0


@given(st.text(max_size=2000))
def test_the_parser_reads_any_text_without_crashing_or_silence(raw: str) -> None:
    check_plan_tells_what_it_could_not_read(raw)


@given(damaged_plans())
def test_a_damaged_plan_is_read_as_far_as_it_can_be_and_says_where_it_could_not(raw: str) -> None:
    check_plan_tells_what_it_could_not_read(raw)
