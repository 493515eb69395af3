"""The ITA evidence pack: which documents answer which open-data (OIT) item in an assessment year,
and the record of each pack assembled (its index, the documents' hashes, the checkpoint covering them).

The item numbering is data (``OitTable``, read from a file): a new assessment year is an edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import ProngsaiAggregate
from domain.errors import InvalidInput, NotFound
from domain.people import NS
from domain.thai import fiscal_year_bounds

YEAR_KINDS = ("procurement-plan", "procurement-notices", "procurement-annual", "anti-corruption-plan",
              "complaint-guideline", "complaint-channels")  # fmt: skip
ROUND_KINDS = ("plan-progress", "complaint-statistics", "eplan")
MONTHLY_KINDS = ("procurement-summary",)
PAGES = ("procurement-register", "misconduct-form", "plan")


@dataclass(frozen=True)
class DocumentRef:
    kind: str
    year: int = 0  # relative to the assessment year: 0 the year assessed, -1 the fiscal year before
    round: int | None = None
    monthly: bool = False

    def periods(self, assessment_year: int, today: date) -> list[str]:
        """The report periods this reference stands for on ``today``."""
        fiscal_year = assessment_year + self.year
        if self.monthly:
            start, end = fiscal_year_bounds(fiscal_year)
            months, day = [], start
            while day <= end and (day.year, day.month) < (today.year, today.month):  # months that have ended
                months.append(f"{day.year:04d}-{day.month:02d}")
                day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
            return months
        if self.round:
            return [f"{fiscal_year}-r{self.round}"]
        return [str(fiscal_year)]


@dataclass(frozen=True)
class OitItem:
    item: str
    title: str
    documents: tuple[DocumentRef, ...]
    pages: tuple[str, ...] = ()


class OitTable:
    """Assessment year → its items, checked when read: an unknown document kind is refused then."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.years: dict[int, tuple[OitItem, ...]] = {}
        try:
            for year, items in data["years"].items():
                self.years[int(year)] = tuple(self._item(entry) for entry in items)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput("ตาราง OIT ไม่ถูกต้อง", f"the OIT table is malformed: {exc}") from None

    @staticmethod
    def _item(entry: dict[str, Any]) -> OitItem:
        documents = []
        for d in entry.get("documents") or []:
            ref = DocumentRef(d["kind"], int(d.get("year", 0)), d.get("round"), bool(d.get("monthly", False)))
            known = (
                (ref.kind in YEAR_KINDS and not ref.round and not ref.monthly)
                or (ref.kind in ROUND_KINDS and ref.round in (6, 12))
                or (ref.kind in MONTHLY_KINDS and ref.monthly)
            )
            if not known:
                raise ValueError(f"item {entry.get('item')}: document {d} is not one Prongsai produces")
            documents.append(ref)
        pages = tuple(entry.get("pages") or [])
        if any(p not in PAGES for p in pages):
            raise ValueError(f"item {entry.get('item')}: pages must be among {', '.join(PAGES)}")
        return OitItem(str(entry["item"]), str(entry["title"]), tuple(documents), pages)

    def items(self, assessment_year: int) -> tuple[OitItem, ...]:
        if assessment_year not in self.years:
            known = ", ".join(str(y) for y in sorted(self.years))
            raise NotFound(
                f"ยังไม่มีตาราง OIT ของปีการประเมิน {assessment_year} (มี: {known})",
                f"no OIT table for assessment year {assessment_year} (known: {known})",
            )
        return self.years[assessment_year]

    def table_year_for(self, assessment_year: int) -> int:
        """The table an assessment year uses: its own, else the latest one before it, else (for a year
        older than every table) the earliest one — the pack then says whose numbering it follows."""
        if not self.years:
            self.items(assessment_year)  # refuses: no table at all
        earlier = [y for y in self.years if y <= assessment_year]
        return max(earlier) if earlier else min(self.years)


class ItaPack(ProngsaiAggregate):
    """Each assembly of an organisation's pack for one assessment year: the index assessors read."""

    _SHARED_STATE = frozenset({"index"})

    @staticmethod
    def create_id(org_code: str, assessment_year: int) -> UUID:
        return uuid5(NS, f"ita-pack/{org_code}/{assessment_year}")

    @event("Opened")
    def __init__(self, org_code: str, assessment_year: int) -> None:
        self.org_code = org_code
        self.assessment_year = assessment_year
        self.index: dict[str, Any] | None = None

    @event("Assembled")
    def assembled(self, index: dict[str, Any], checkpoint: dict[str, Any], actor: dict[str, Any]) -> None:
        self.index = index
        self.checkpoint = checkpoint
