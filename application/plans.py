"""Turning a structured plan into aggregates: idempotent, and revisions recorded as events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from application.people import Organisations
from application.ports import PlanDrafts
from application.store import Prongsai
from domain.catalogue import SENIOR
from domain.clock import Clock
from domain.errors import InvalidInput, NotFound, NotPermitted
from domain.measure import Measure
from domain.people import SYSTEM_ACTOR, User
from domain.plan import Correction, Plan, PlanDocument, PlanItem
from domain.values import plain_text


@dataclass
class ImportResult:
    org_code: str
    plan_key: str
    revision: int
    created: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: bool = False
    position: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def allocation_satang(item: PlanItem, fiscal_year: int) -> int | None:
    baht = item.budgets.get(str(fiscal_year))
    return None if baht is None else baht * 100


class PlanImporter:
    def __init__(self, app: Prongsai, organisations: Organisations) -> None:
        self.app = app
        self.organisations = organisations

    def import_plan(
        self,
        doc: PlanDocument,
        org_code: str,
        actor: dict[str, Any] = SYSTEM_ACTOR,
        corrections: list[Correction] | None = None,
    ) -> ImportResult:
        """Import a plan as read — or as a clerk corrected it: the corrections are applied and recorded on
        the plan (``CorrectedByHand``) in the same transaction as the import they shaped."""
        if corrections:
            doc = doc.corrected(corrections)
        doc.check_importable()
        organisation = self.organisations.register(org_code, doc.organisation, actor)
        plan_id = Plan.create_id(org_code, doc.plan_key)
        content_hash = doc.content_hash()
        dimensions = [asdict(d) for d in doc.dimensions]
        codes = [m.code for m in doc.measures]
        result = ImportResult(org_code=org_code, plan_key=doc.plan_key, revision=1)

        if not self.app.exists(plan_id):
            plan = Plan(
                org_code=org_code,
                plan_key=doc.plan_key,
                organisation_name=doc.organisation,
                fiscal_years=doc.fiscal_years,
                dimensions=dimensions,
                item_codes=codes,
                content_hash=content_hash,
                warnings=len(doc.warnings),
                actor=actor,
            )
            organisation.attach_plan(plan_key=doc.plan_key, actor=actor)
            if corrections:
                plan.record_corrections(corrections=[c.to_json() for c in corrections], actor=actor)
            pending = [plan, organisation] + self._measures(doc, org_code, plan.revision, actor, result)
            result.position = self.app.commit(*pending)
            return result

        plan = self.app.load(Plan, plan_id)
        result.revision = plan.revision
        if plan.content_hash == content_hash:
            result.unchanged = True
            return result
        pending = self._measures(doc, org_code, plan.revision + 1, actor, result)
        result.removed = [c for c in plan.item_codes if c not in codes]
        plan.revise(
            dimensions=dimensions,
            item_codes=codes,
            content_hash=content_hash,
            added=result.created,
            removed=result.removed,
            changed=result.revised,
            warnings=len(doc.warnings),
            actor=actor,
        )
        result.revision = plan.revision
        if corrections:
            plan.record_corrections(corrections=[c.to_json() for c in corrections], actor=actor)
        result.position = self.app.commit(plan, *pending)
        return result

    def _measures(
        self,
        doc: PlanDocument,
        org_code: str,
        revision: int,
        actor: dict[str, Any],
        result: ImportResult,
    ) -> list[Measure]:
        pending = []
        for item in doc.measures:
            details = item.plan_details()
            item_changed = item_created = False
            for year in doc.fiscal_years:
                allocation = allocation_satang(item, year)
                measure = self.app.find(Measure, Measure.create_id(org_code, doc.plan_key, item.code, year))
                if allocation is None and not item.no_budget and measure is not None and measure.budget_recorded:
                    allocation = measure.allocation_satang  # still unreadable in the plan: keep what was recorded
                if measure is None:
                    pending.append(
                        Measure(
                            org_code=org_code,
                            plan_key=doc.plan_key,
                            code=item.code,
                            fiscal_year=year,
                            details=details,
                            allocation_satang=allocation,
                            actor=actor,
                        )
                    )
                    item_created = True
                    continue
                changed = sorted(k for k in details if measure.details.get(k) != details[k])
                if changed or measure.allocation_satang != allocation:
                    measure.revise_details(
                        details=details,
                        allocation_satang=allocation,
                        changed_fields=changed,
                        plan_revision=revision,
                        actor=actor,
                    )
                    pending.append(measure)
                    item_changed = True
            if item_created:
                result.created.append(item.code)
            elif item_changed:
                result.revised.append(item.code)
        return pending


PLAN_IMPORTERS = SENIOR  # the mayor, the deputy and the clerk (ปลัด)
MAX_PLAN_BYTES = 30 * 1024 * 1024
REVIEWED = ("name", "responsible_unit", "objectives", "targets", "area", "steps", "period", "kpis")  # and budgets


def shown(item: PlanItem, field_: str) -> str:
    """A field of a read item as the review form shows it (lists one entry per line, money in baht)."""
    if field_.startswith("budget:"):
        value = item.budgets.get(field_[7:])
        return "ไม่ใช้งบประมาณ" if item.no_budget else ("" if value is None else f"{value:,}")
    value = getattr(item, field_)
    return "\n".join(value) if isinstance(value, list) else str(value or "")


def review_fields(doc: PlanDocument) -> list[str]:
    return [*REVIEWED, *(f"budget:{y}" for y in doc.fiscal_years)]


class PlanReviews:
    """A plan file read, reviewed by a clerk beside its source lines, then imported with the clerk's
    corrections recorded (``Plan.CorrectedByHand``). The file's text waits in :class:`PlanDrafts`."""

    def __init__(
        self,
        drafts: PlanDrafts,
        importer: PlanImporter,
        read: Callable[[bytes, str], str],
        parse: Callable[[str], PlanDocument],
        clock: Clock,
    ) -> None:
        self.drafts = drafts
        self.importer = importer
        self.read = read
        self.parse = parse
        self.clock = clock

    def start(self, user: User, org_code: str, filename: str, data: bytes) -> str:
        self._check(user, org_code)
        if not data:
            raise InvalidInput("กรุณาเลือกไฟล์แผน", "choose the plan file")
        if len(data) > MAX_PLAN_BYTES:
            raise InvalidInput("ไฟล์ใหญ่เกิน 30 MB", "the file is larger than 30 MB")
        text = self.read(data, filename)
        return self.drafts.put(org_code, user.username, filename[:200], text, self.clock.now())

    def open(self, user: User, draft_id: str) -> tuple[dict[str, Any], PlanDocument, list[str]]:
        """The draft, the plan read from it, and its lines (line n is ``lines[n - 1]``)."""
        draft = self.drafts.get(draft_id)
        if draft is None or draft["username"] != user.username:
            raise NotFound("ไม่พบแผนที่อ่านไว้ (อาจนำเข้าแล้วหรือหมดอายุ)", "no such plan draft (imported or expired)")
        self._check(user, draft["org_code"])
        return draft, self.parse(draft["text"]), draft["text"].split("\n")

    def finish(self, user: User, draft_id: str, typed: dict[str, str], reasons: dict[str, str]) -> ImportResult:
        """Import the plan as read, with each field the clerk changed as a correction (a reason per item)."""
        draft, doc, _ = self.open(user, draft_id)
        corrections = []
        for item in doc.measures:
            for field_ in review_fields(doc):
                key = f"{item.code}|{field_}"
                if key not in typed:
                    continue
                before, after = shown(item, field_), typed[key].replace("\r\n", "\n").strip()
                if after != before.strip():
                    reason = plain_text(reasons.get(item.code, "")).strip()
                    corrections.append(Correction(item.code, field_, before, after, item.line, reason))
        result = self.importer.import_plan(doc, draft["org_code"], user.as_actor(), corrections)
        self.drafts.delete(draft_id)
        return result

    def _check(self, user: User, org_code: str) -> None:
        if user.role not in PLAN_IMPORTERS:
            raise NotPermitted("บทบาทของท่านนำเข้าแผนไม่ได้", f"role '{user.role.value}' may not import plans")
        if not user.may_see(org_code):
            raise NotFound(f"ไม่พบหน่วยงานรหัส {org_code}", f"organisation {org_code} not found")
