"""Thai text and calendar helpers: digits, Buddhist-Era years and fiscal years.

Fiscal year arithmetic lives here and nowhere else (ADR 0001).
"""

from __future__ import annotations

import re
from datetime import date

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
BE_OFFSET = 543


def to_arabic_digits(text: str) -> str:
    """Replace Thai digits by Arabic ones (mixed numbers such as ``๒๕62`` become ``2562``)."""
    return text.translate(_TO_ARABIC)


def to_thai_digits(text: str) -> str:
    return text.translate(_TO_THAI)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def fiscal_year_of(day: date) -> int:
    """The BE fiscal year a day falls in (FY 2562 = 1 Oct 2018 – 30 Sep 2019)."""
    return be_year(day.year + (1 if day.month >= 10 else 0))


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[date, date]:
    end_ce = ce_year(fiscal_year_be)
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)


def half_year_end(fiscal_year_be: int) -> date:
    """End of the 6-month reporting round (31 March)."""
    return date(ce_year(fiscal_year_be), 3, 31)


def is_plausible_be_year(year: int) -> bool:
    """A BE year a current plan could mention (2500–2643 = CE 1957–2100)."""
    return 2500 <= year <= 2643


THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)


def thai_date(day: date, thai_digits: bool = True) -> str:
    """``30 June 2019`` → ``๓๐ มิถุนายน ๒๕๖๒`` (BE year, as official letters write it)."""
    text = f"{day.day} {THAI_MONTHS[day.month - 1]} {be_year(day.year)}"
    return to_thai_digits(text) if thai_digits else text


def thai_month(day: date) -> str:
    """``2026-11`` → ``พฤศจิกายน ๒๕๖๙``: a month as a form's title says it."""
    return to_thai_digits(f"{THAI_MONTHS[day.month - 1]} {be_year(day.year)}")


def baht(satang: int | None, thai_digits: bool = False) -> str:
    """Integer satang → ``1,234.50``; ``None`` → ``ไม่ใช้งบประมาณ``."""
    if satang is None:
        return "ไม่ใช้งบประมาณ"
    text = f"{satang // 100:,}.{satang % 100:02d}"
    return to_thai_digits(text) if thai_digits else text


def round_period(fiscal_year_be: int, months: int) -> tuple[date, date]:
    """The reporting round: 6 months (1 Oct – 31 Mar) or 12 months (1 Oct – 30 Sep)."""
    start, end = fiscal_year_bounds(fiscal_year_be)
    if months == 6:
        return start, half_year_end(fiscal_year_be)
    if months == 12:
        return start, end
    raise ValueError("a round is 6 or 12 months")


BE_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_be_date(text: str) -> date:
    """A date as a Thai clerk types it: ``30/6/2562`` (day/month/BE year; Thai digits, dots or dashes
    too) or ISO ``2019-06-30``. A day/month/year with a Christian-era year is refused rather than
    guessed: ``ValueError`` with the reason."""
    value = (text or "").translate(_TO_ARABIC)
    iso = ISO_DATE.match(value)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        return date(year - 543 if year >= 2400 else year, month, day)
    typed = BE_DATE.match(value)
    if not typed:
        raise ValueError("not day/month/year")
    day, month, year = (int(g) for g in typed.groups())
    if year < 2400:
        raise ValueError("the year must be Buddhist Era (พ.ศ.)")
    return date(year - 543, month, day)


def be_numeric(day: date) -> str:
    """``2019-06-30`` → ``30/06/2562``: how a date is written back into a form."""
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


BE_MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
ISO_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")


def parse_be_month(text: str) -> str:
    """``6/2562`` (month/BE year; Thai digits too) or ISO ``2019-06`` → ``2019-06``; ``ValueError`` otherwise."""
    value = (text or "").translate(_TO_ARABIC)
    iso = ISO_MONTH.match(value)
    if iso:
        year, number = int(iso.group(1)), int(iso.group(2))
    else:
        typed = BE_MONTH.match(value)
        if not typed:
            raise ValueError("not month/year")
        number, year = int(typed.group(1)), int(typed.group(2))
        if year < 2400:
            raise ValueError("the year must be Buddhist Era (พ.ศ.)")
    year = year - 543 if year >= 2400 else year
    if not 1 <= number <= 12:
        raise ValueError("no such month")
    return f"{year:04d}-{number:02d}"
