"""The national e-Plan system's terms (NACC): item types, the quarters an item runs in, progress colours."""

from __future__ import annotations

import re

from domain.thai import THAI_MONTHS, to_arabic_digits

TYPE_THAI = {"project": "โครงการ", "activity": "กิจกรรม", "measure": "มาตรการ", "guideline": "แนวปฏิบัติงาน"}
GUIDELINE_PREFIXES = ("แนวปฏิบัติ", "แนวทางปฏิบัติ", "แนวทางการปฏิบัติ")
# Quarter of the fiscal year by calendar month: October–December is the first.
QUARTER_OF_MONTH = {10: 1, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 4, 8: 4, 9: 4}
STATUS_THAI = {
    "not_started": "ยังไม่ได้ดำเนินการ",
    "in_progress": "ระหว่างดำเนินการ",
    "completed": "ดำเนินการแล้วเสร็จ",
    "could_not_proceed": "ไม่สามารถดำเนินการได้",
}
COLOUR_THAI = {"green": "เขียว", "orange": "ส้ม", "red": "แดง"}
# Progress colours per round: the lower bound (per cent) of green and of orange.
THRESHOLDS = {6: (50, 20), 12: (80, 50)}


def item_type(kind: str, name: str) -> str:
    """e-Plan's four types: the parser files a guideline (แนวปฏิบัติ…) as a measure; its name says which."""
    if kind == "measure" and name.strip().startswith(GUIDELINE_PREFIXES):
        return "guideline"
    return kind


def colour(round_months: int, percent: float) -> str:
    green, orange = THRESHOLDS[round_months]
    return "green" if percent >= green else "orange" if percent >= orange else "red"


MONTH = "|".join(THAI_MONTHS)
YEAR_RANGE = re.compile(r"ปีงบประมาณ\s*(?:พ\.ศ\.)?\s*(\d{4})(?:\s*[-–]\s*(?:พ\.ศ\.)?\s*(\d{4}))?")
MONTH_YEAR = re.compile(rf"({MONTH})\s*(?:พ\.ศ\.)?\s*(\d{{4}})")


def quarters(period: str | None, fiscal_year: int) -> list[int] | None:
    """The quarters of ``fiscal_year`` the plan's period text covers, or None if it does not say.

    "ปีงบประมาณ พ.ศ. ๒๕๖๒ - ๒๕๖๔" covers the whole of each year in the range; "เดือนมกราคม ๒๕๖๒ –
    กันยายน ๒๕๖๒" covers January to September (quarters 2–4 of 2562). A year outside the text's range
    is not described by the text (many plans date only their first year), so it is unknown like a text
    naming neither: the export says so, never guesses."""
    if not period:
        return None
    text = to_arabic_digits(period)
    months = MONTH_YEAR.findall(text)
    if len(months) >= 2:
        (m1, y1), (m2, y2) = months[0], months[-1]
        start = int(y1) * 12 + THAI_MONTHS.index(m1)
        end = int(y2) * 12 + THAI_MONTHS.index(m2)
        found = set()
        for serial in range(start, end + 1):
            year, month = divmod(serial, 12)
            month += 1
            fiscal = year + 1 if month >= 10 else year
            if fiscal == fiscal_year:
                found.add(QUARTER_OF_MONTH[month])
        return sorted(found) or None
    years = YEAR_RANGE.search(text)
    if years:
        first = int(years.group(1))
        last = int(years.group(2) or first)
        return [1, 2, 3, 4] if first <= fiscal_year <= last else None
    return None
