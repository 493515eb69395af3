"""The structured plan (what a parser produces) and the aggregates that hold it.

A plan is identified by organisation + its fiscal-year span (``2562-2564``); each of its items
becomes one :class:`~domain.measure.Measure` per fiscal year.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import DomainEvent, event

from domain.base import ProngsaiAggregate
from domain.errors import InvalidInput
from domain.people import NS


@dataclass
class PlanItem:
    code: str
    dimension: int
    mission: str
    sub_mission: str | None
    kind: str
    name: str
    objectives: list[str]
    targets: list[str]
    steps: list[str]
    period: str
    budgets: dict[str, int | None]
    no_budget: bool
    responsible_unit: str
    kpis: list[str]
    area: str = ""
    line: int = 0

    def plan_details(self) -> dict[str, Any]:
        """What a measure keeps from the plan (everything but the source line)."""
        details = asdict(self)
        details.pop("line")
        return details


@dataclass
class Mission:
    code: str
    title: str


@dataclass
class Dimension:
    number: int
    title: str
    missions: list[Mission] = field(default_factory=list)


@dataclass
class PlanWarning:
    line: int
    kind: str
    message: str
    message_th: str = ""


# What a clerk may correct by hand in a read plan, and how the typed text becomes the value.
CORRECTABLE_TEXT = ("name", "responsible_unit", "period", "area")
CORRECTABLE_LISTS = ("objectives", "targets", "steps", "kpis")


@dataclass(frozen=True)
class Correction:
    """One value of a read plan that a clerk typed by hand, with where the document said it and why.

    ``field`` is a text field, a list (one entry per line), ``budget:2563`` (baht, or "ไม่ใช้งบประมาณ"
    for none that year) or ``no_budget`` ("ไม่ใช้งบประมาณ" / anything else). ``read`` is what the parser
    read, as text; ``typed`` what the clerk typed. Recorded as an event, so auditors see it.
    """

    code: str
    field: str
    read: str
    typed: str
    line: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def apply(self, item: PlanItem, fiscal_years: list[int]) -> None:
        typed = self.typed.strip()
        if self.field in CORRECTABLE_TEXT:
            setattr(item, self.field, typed)
        elif self.field in CORRECTABLE_LISTS:
            setattr(item, self.field, [line.strip() for line in typed.splitlines() if line.strip()])
        elif self.field == "no_budget":
            item.no_budget = typed == "ไม่ใช้งบประมาณ"
            if item.no_budget:
                item.budgets = {str(y): None for y in fiscal_years}
        elif self.field.startswith("budget:") and self.field[7:] in {str(y) for y in fiscal_years}:
            item.budgets[self.field[7:]] = 0 if typed == "ไม่ใช้งบประมาณ" else baht_of(typed, self.field[7:])
            item.no_budget = False
        else:
            raise InvalidInput(f"แก้ไขช่อง '{self.field}' ไม่ได้", f"'{self.field}' is not a field a clerk may correct")


def baht_of(text: str, year: str) -> int:
    digits = text.replace(",", "").replace("บาท", "").strip().translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    if not digits.isdigit() or len(digits) > 13:
        raise InvalidInput(f"งบประมาณปี {year} ต้องเป็นจำนวนบาท: '{text[:40]}'", f"budget {year}: not baht: '{text[:40]}'")
    return int(digits)


@dataclass
class PlanDocument:
    organisation: str
    fiscal_years: list[int]
    dimensions: list[Dimension]
    measures: list[PlanItem]
    warnings: list[PlanWarning]

    @property
    def plan_key(self) -> str:
        return f"{self.fiscal_years[0]}-{self.fiscal_years[-1]}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanDocument:
        try:
            return cls(
                organisation=data["organisation"],
                fiscal_years=[int(y) for y in data["fiscal_years"]],
                dimensions=[
                    Dimension(
                        number=d["number"],
                        title=d["title"],
                        missions=[Mission(**m) for m in d["missions"]],
                    )
                    for d in data["dimensions"]
                ],
                measures=[PlanItem(**m) for m in data["measures"]],
                warnings=[PlanWarning(**w) for w in data["warnings"]],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"แผนที่จัดโครงสร้างแล้วไม่ถูกต้อง: {exc}", f"malformed structured plan: {exc}") from None

    def corrected(self, corrections: list[Correction]) -> PlanDocument:
        """The plan with the clerk's corrections applied (each needs a reason; the plan read stays as it was)."""
        copy = PlanDocument.from_json(json.loads(json.dumps(self.to_json(), default=str)))
        items = {m.code: m for m in copy.measures}
        for c in corrections:
            if not c.reason.strip():
                raise InvalidInput(
                    f"การแก้ไขโครงการ {c.code} ช่อง {c.field} ต้องระบุเหตุผล",
                    f"correcting {c.code} {c.field} needs a reason",
                )
            if c.code not in items:
                raise InvalidInput(f"ไม่พบโครงการรหัส {c.code} ในแผน", f"no item {c.code} in the plan")
            c.apply(items[c.code], copy.fiscal_years)
        return copy

    def check_importable(self) -> None:
        """A plan becomes measures only if it names its organisation, its years and items that each have a
        code and a dimension: anything less is refused with what is missing (and where), never imported
        as an empty or half-read plan."""
        if not self.measures:
            said = "; ".join(f"line {w.line}: {w.message}" for w in self.warnings[:3])
            raise InvalidInput(
                "ไม่พบโครงการ/กิจกรรม/มาตรการในเอกสารนี้ จึงไม่นำเข้า",
                f"no plan items found in this document, so nothing is imported{f' ({said})' if said else ''}",
            )
        if not self.organisation:
            raise InvalidInput("เอกสารไม่ระบุชื่อหน่วยงาน", "the document does not name its organisation")
        if not self.fiscal_years:
            raise InvalidInput("เอกสารไม่ระบุปีงบประมาณของแผน", "the document does not name the plan's fiscal years")
        broken = [
            m for m in self.measures
            if not m.code or "None" in m.code or not 1 <= m.dimension <= 4
        ]  # fmt: skip
        if broken:
            where = ", ".join(f"'{m.name[:40]}' (line {m.line})" for m in broken[:3])
            raise InvalidInput(
                f"รายการต่อไปนี้ไม่มีรหัสหรือมิติ: {where}",
                f"these items have no code or dimension: {where}",
            )

    def content_hash(self) -> str:
        """A digest of what the plan says (not of its warnings or line numbers)."""
        body = {
            "organisation": self.organisation,
            "fiscal_years": self.fiscal_years,
            "dimensions": [asdict(d) for d in self.dimensions],
            "measures": [m.plan_details() for m in self.measures],
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class Organisation(ProngsaiAggregate):
    """A local government (LPAO), identified by its DLA code."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return uuid5(NS, f"organisation/{code}")

    @event("Registered")
    def __init__(self, code: str, name: str, actor: dict[str, Any]) -> None:
        self.code = code
        self.name = name
        self.plan_keys: list[str] = []

    @event("PlanAttached")
    def attach_plan(self, plan_key: str, actor: dict[str, Any]) -> None:
        self.plan_keys.append(plan_key)

    @event("Described")
    def describe(self, district: str, province: str, actor: dict[str, Any]) -> None:
        """Where the organisation is: the district and province the national forms ask for."""
        self.district = district
        self.province = province

    def profile(self) -> dict[str, str | None]:
        """The agency columns of the national forms; an unrecorded place is None (shown as unknown)."""
        kind = agency_type(self.name)
        return {
            "name": self.name,
            "district": getattr(self, "district", None),
            "province": getattr(self, "province", None),
            "ministry": MINISTRY_OF_LOCAL_GOVERNMENT if kind else None,
            "agency_type": kind,
        }


# Every local government (อปท.) is overseen by the Ministry of Interior's DLA; its type is in its name.
MINISTRY_OF_LOCAL_GOVERNMENT = "กระทรวงมหาดไทย"
AGENCY_TYPES = (
    ("องค์การบริหารส่วนจังหวัด", "องค์การบริหารส่วนจังหวัด"),
    ("อบจ.", "องค์การบริหารส่วนจังหวัด"),
    ("องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนตำบล"),
    ("อบต.", "องค์การบริหารส่วนตำบล"),
    ("เทศบาลนคร", "เทศบาลนคร"),
    ("เทศบาลเมือง", "เทศบาลเมือง"),
    ("เทศบาลตำบล", "เทศบาลตำบล"),
    ("กรุงเทพมหานคร", "กรุงเทพมหานคร"),
    ("เมืองพัทยา", "เมืองพัทยา"),
)


def agency_type(name: str) -> str | None:
    """The type of local government its name begins with, or None when the name does not say."""
    name = name.strip()
    return next((kind for prefix, kind in AGENCY_TYPES if name.startswith(prefix)), None)


class Plan(ProngsaiAggregate):
    _SHARED_STATE = frozenset({"dimensions"})

    """One organisation's plan document: its structure, item codes and revisions."""

    @staticmethod
    def create_id(org_code: str, plan_key: str) -> UUID:
        return uuid5(NS, f"plan/{org_code}/{plan_key}")

    @event("Imported")
    def __init__(
        self,
        org_code: str,
        plan_key: str,
        organisation_name: str,
        fiscal_years: list[int],
        dimensions: list[dict[str, Any]],
        item_codes: list[str],
        content_hash: str,
        warnings: int,
        actor: dict[str, Any],
    ) -> None:
        self.org_code = org_code
        self.plan_key = plan_key
        self.organisation_name = organisation_name
        self.fiscal_years = list(fiscal_years)
        self.dimensions = dimensions
        self.item_codes = list(item_codes)
        self.content_hash = content_hash
        self.revision = 1

    @event("Revised")
    def revise(
        self,
        dimensions: list[dict[str, Any]],
        item_codes: list[str],
        content_hash: str,
        added: list[str],
        removed: list[str],
        changed: list[str],
        warnings: int,
        actor: dict[str, Any],
    ) -> None:
        self.dimensions = dimensions
        self.item_codes = list(item_codes)
        self.content_hash = content_hash
        self.revision += 1

    @event("CorrectedByHand")
    def record_corrections(self, corrections: list[dict[str, Any]], actor: dict[str, Any]) -> None:
        """What a clerk typed over what the document said, at this revision: item, field, the value read,
        the value typed, the document's line, and the reason."""
        self.corrections_made = getattr(self, "corrections_made", 0) + len(corrections)


def organisations_log_id() -> UUID:
    return uuid5(NS, "index/organisations")


class OrganisationLogged(DomainEvent):
    """An entry of the append-only index of organisations (EventSourcedLog)."""

    code: str
    org_id: UUID
