"""The plan as ITA and the NACC ask for it: the plan itself for a fiscal year (OIT O36) and the
national e-Plan system's export for the 6- and 12-month rounds — computed from the measures as they
stood, so a published one regenerates byte for byte."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from application.store import Prongsai
from domain import eplan
from domain.errors import NotFound
from domain.measure import BudgetState, Measure
from domain.reporting import NATIONAL_STATUS
from domain.thai import round_period


def code_key(code: str) -> list[Any]:
    return [int(x) if x.isdigit() else x for x in code.replace("-", ".").split(".")]


def plan_budget(m: Measure) -> dict[str, Any]:
    """The plan's figure for the year: an amount, explicitly none, or unknown (never a silent 0)."""
    return {
        "budget_plan_satang": m.allocation_satang,
        "no_budget": m.budget_state is BudgetState.NO_BUDGET,
        "budget_unknown": m.budget_state is BudgetState.UNKNOWN,
    }


class PlanDocuments:
    def __init__(self, app: Prongsai, measures: Any) -> None:
        self.app = app
        self.measures = measures

    def _measures(self, org_code: str, fiscal_year: int, stood: Any) -> list[Measure]:
        found = [stood(m) for m in self.measures.list(org_code, fiscal_year)]
        found = [m for m in found if m is not None]
        if not found:
            raise NotFound(f"ไม่มีโครงการของปีงบประมาณ {fiscal_year}", f"no measures for {org_code} in FY {fiscal_year}")
        return sorted(found, key=lambda m: code_key(m.code))

    def plan(self, org_code: str, fiscal_year: int, as_of: datetime) -> dict[str, Any]:
        """O36: every project, activity, measure and guideline of the year, as the plan (with any
        recorded corrections and revisions) stood at ``as_of``."""
        items = []
        stood = self._measures(org_code, fiscal_year, lambda m: self.app.as_of(Measure, m.id, as_of))
        for m in stood:
            d = m.details
            kind = eplan.item_type(d.get("kind") or "", d.get("name") or "")
            items.append(
                {
                    "code": m.code,
                    "dimension": d.get("dimension"),
                    "mission": d.get("mission"),
                    "type": kind,
                    "type_th": eplan.TYPE_THAI.get(kind, kind),
                    "name": d.get("name"),
                    "objectives": list(d.get("objectives") or []),
                    "targets": list(d.get("targets") or []),
                    "steps": list(d.get("steps") or []),
                    "period": d.get("period"),
                    "area": d.get("area"),
                    "responsible_unit": d.get("responsible_unit"),
                    "kpis": list(d.get("kpis") or []),
                    **plan_budget(m),
                }
            )
        warnings = [f"{i['code']}: อ่านงบประมาณปี {fiscal_year} จากเอกสารแผนไม่ได้" for i in items if i["budget_unknown"]]
        return {
            "plan_period": stood[0].plan_key,
            "items": items,
            "totals": {
                "items": len(items),
                "budget_plan_satang": sum(i["budget_plan_satang"] or 0 for i in items),
                "budget_unknown_items": sum(1 for i in items if i["budget_unknown"]),
            },
            "warnings": warnings,
        }

    def eplan(self, org_code: str, fiscal_year: int, round_months: int, as_of: datetime) -> dict[str, Any]:
        """The e-Plan round export: per item its type, quarters, dimension, the three budgets (plan,
        ordinance, disbursed), status, reasons, KPI results and the national progress colour."""
        _, end = round_period(fiscal_year, round_months)
        stood = self._measures(
            org_code, fiscal_year, lambda m: self.app.as_of_period(m.id, end, as_of, Measure.BUSINESS_DATES)
        )
        items, warnings = [], []
        for m in stood:
            d = m.details
            kind = eplan.item_type(d.get("kind") or "", d.get("name") or "")
            quarters = eplan.quarters(d.get("period"), fiscal_year)
            if quarters is None:
                warnings.append(
                    f"{m.code}: ระยะเวลาดำเนินการในแผน ('{d.get('period') or '-'}') ไม่ระบุไตรมาสของปี {fiscal_year}"
                )
            if m.ordinance is None and m.budget_state is not BudgetState.NO_BUDGET:
                warnings.append(f"{m.code}: ยังไม่ได้บันทึกงบประมาณตามเทศบัญญัติ")
            if m.budget_state is BudgetState.UNKNOWN:
                warnings.append(f"{m.code}: อ่านงบประมาณตามแผนพัฒนาจากเอกสารแผนไม่ได้")
            status = NATIONAL_STATUS[m.status.value]
            actuals = (m.result or {}).get("kpi_actuals") or []
            steps_total = len(d.get("steps") or [])
            percent = 0.0
            if status == "completed":
                percent = 100.0
            elif status == "in_progress" and steps_total:
                percent = round(100 * len(m.steps_done) / steps_total, 1)
            items.append(
                {
                    "code": m.code,
                    "plan_period": m.plan_key,
                    "fiscal_year": fiscal_year,
                    "type": kind,
                    "type_th": eplan.TYPE_THAI.get(kind, kind),
                    "quarters": quarters,
                    "dimension": d.get("dimension"),
                    "name": d.get("name"),
                    **plan_budget(m),
                    "budget_ordinance_satang": (m.ordinance or {}).get("amount_satang"),
                    "disbursed_satang": sum(x["amount_satang"] for x in m.disbursements if not x.get("reversed")),
                    "status": status,
                    "status_th": eplan.STATUS_THAI[status],
                    "not_proceed_reason": (m.not_proceed or {}).get("reason"),
                    "not_proceed_note": (m.not_proceed or {}).get("note"),
                    "kpis": [
                        {
                            "target": target,
                            "actual": actuals[i].get("actual") if i < len(actuals) else None,
                            "met": actuals[i].get("met") if i < len(actuals) else None,
                        }
                        for i, target in enumerate(d.get("kpis") or [])
                    ],
                    "result_summary": (m.result or {}).get("summary"),
                    "progress_percent": percent,
                }
            )
        done = sum(1 for i in items if i["status"] == "completed")
        percent = round(100 * done / len(items), 1)
        overall = eplan.colour(round_months, percent)
        return {
            "items": items,
            "progress": {
                "completed": done,
                "items": len(items),
                "percent": percent,
                "colour": overall,
                "colour_th": eplan.COLOUR_THAI[overall],
                "thresholds": dict(zip(("green", "orange"), eplan.THRESHOLDS[round_months], strict=True)),
            },  # fmt: skip
            "budgets": {
                "plan_satang": sum(i["budget_plan_satang"] or 0 for i in items),
                "ordinance_satang": sum(i["budget_ordinance_satang"] or 0 for i in items),
                "ordinance_unknown_items": sum(
                    1 for i in items if i["budget_ordinance_satang"] is None and not i["no_budget"]
                ),  # fmt: skip
                "disbursed_satang": sum(i["disbursed_satang"] for i in items),
            },
            "warnings": warnings,
        }
