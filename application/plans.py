"""Turning a structured plan into aggregates: idempotent, and revisions recorded as events."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from application.people import Organisations
from application.store import Prongsai
from domain.measure import Measure
from domain.people import SYSTEM_ACTOR
from domain.plan import Correction, Plan, PlanDocument, PlanItem


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
