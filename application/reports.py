"""Reports built from projections, and the record of every published report (with content hash)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Protocol

from application.delegations import Delegations
from application.people import Organisations
from application.projections import Projections
from application.store import Prongsai
from domain.clock import Clock
from domain.delegation import local_date
from domain.errors import InvalidInput, NotFound
from domain.people import SYSTEM_ACTOR, User
from domain.reporting import (
    DEFAULT_SCHEDULE,
    NATIONAL_STATUS,
    NATIONAL_STATUS_THAI,
    ReportRecord,
    ReportSchedule,
    clean_entries,
)
from domain.thai import fiscal_year_bounds, fiscal_year_of, round_period

FORMATS = ("json", "csv", "xlsx", "pdf")


class Renderer(Protocol):
    def render(self, content: dict[str, Any], fmt: str) -> bytes: ...


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


class Reports:
    def __init__(
        self,
        app: Prongsai,
        projections: Projections,
        organisations: Organisations,
        delegations: Delegations,
        renderer: Renderer,
        clock: Clock,
        validate_cron: Callable[[str], None] = lambda cron: None,
        complaints: Any = None,
        procurements: Any = None,
    ) -> None:
        self.app = app
        self.projections = projections
        self.organisations = organisations
        self.delegations = delegations
        self.renderer = renderer
        self.clock = clock
        self.validate_cron = validate_cron
        self.complaints = complaints
        self.procurements = procurements

    # -- content -----------------------------------------------------------------------------

    def plan_progress(self, org_code: str, fiscal_year: int, round_months: int) -> dict[str, Any]:
        """The national reporting form for one fiscal year and round, from the measure projection."""
        if round_months not in (6, 12):
            raise InvalidInput("รอบรายงานต้องเป็น 6 หรือ 12 เดือน", "round must be 6 or 12 (months)")
        organisation = self.organisations.get(org_code)
        self.projections.catch_up("measure_progress")
        start, end = round_period(fiscal_year, round_months)
        db = self.projections.db
        rows = db.query(
            "SELECT measure_id, code, dimension, mission, kind, name, responsible_unit, kpis,"
            " allocation_satang, status, not_proceed_reason, not_proceed_note, kpi_actuals,"
            " steps_total, steps_done FROM measure_progress WHERE org_code = ? AND fiscal_year = ?",
            (org_code, fiscal_year),
        )
        if not rows:
            raise NotFound(f"ไม่มีโครงการของปีงบประมาณ {fiscal_year}", f"no measures for {org_code} in FY {fiscal_year}")
        disbursed = dict(
            db.query(
                "SELECT d.measure_id, SUM(d.amount_satang) FROM measure_disbursements d"
                " JOIN measure_progress m ON m.measure_id = d.measure_id"
                " WHERE m.org_code = ? AND m.fiscal_year = ? AND d.reversed = 0 AND d.paid_on <= ?"
                " GROUP BY d.measure_id",
                (org_code, fiscal_year, end.isoformat()),
            )
        )
        items = []
        for r in sorted(rows, key=lambda r: [int(x) if x.isdigit() else x for x in r[1].replace("-", ".").split(".")]):
            (mid, code, dimension, mission, kind, name, unit, kpis, allocation, status, reason, note,
             actuals, steps_total, steps_done) = r  # fmt: skip
            national = NATIONAL_STATUS[status]
            targets = json.loads(kpis or "[]")
            actual_list = json.loads(actuals) if actuals else []
            items.append(
                {
                    "code": code,
                    "dimension": dimension,
                    "mission": mission,
                    "kind": kind,
                    "name": name,
                    "responsible_unit": unit,
                    "no_budget": allocation is None,
                    "budget_plan_satang": allocation,
                    "disbursed_satang": int(disbursed.get(mid) or 0),
                    "status": national,
                    "status_th": NATIONAL_STATUS_THAI[national],
                    "workflow_status": status,
                    "not_proceed_reason": reason,
                    "not_proceed_note": note,
                    "steps_done": steps_done,
                    "steps_total": steps_total,
                    "kpis": [
                        {"target": t, "actual": (actual_list[i]["actual"] if i < len(actual_list) else None)}
                        for i, t in enumerate(targets)
                    ],
                }
            )
        dimensions = []
        for number in sorted({i["dimension"] for i in items}):
            mine = [i for i in items if i["dimension"] == number]
            dimensions.append(self.totals(mine) | {"dimension": number})
        return {
            "report": "plan-progress",
            "org_code": org_code,
            "organisation": organisation.name,
            "fiscal_year": fiscal_year,
            "round": round_months,
            "period": {"from": start.isoformat(), "to": end.isoformat()},
            "generated_at": self.clock.now().isoformat(),
            "items": items,
            "dimensions": dimensions,
            "totals": self.totals(items),
        }

    @staticmethod
    def totals(items: list[dict[str, Any]]) -> dict[str, Any]:
        counts = {key: sum(1 for i in items if i["status"] == key) for key in NATIONAL_STATUS_THAI}
        return {
            "items": len(items),
            **counts,
            "budget_plan_satang": sum(i["budget_plan_satang"] or 0 for i in items),
            "disbursed_satang": sum(i["disbursed_satang"] for i in items),
            "no_budget_items": sum(1 for i in items if i["no_budget"]),
        }

    def delegation_compliance(self, org_code: str, month: str) -> dict[str, Any]:
        """Each delegation's monthly report for ``month`` (YYYY-MM): filed, or overdue."""
        organisation = self.organisations.get(org_code)
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError:
            raise InvalidInput("เดือนต้องอยู่ในรูป YYYY-MM", "month must be YYYY-MM") from None
        today = local_date(self.clock.now())
        rows = []
        for d in self.delegations.list(org_code):
            if d.status.value == "drafted" or d.valid_from > (first.replace(day=28) + timedelta(days=4)):
                continue
            report = d.reports.get(month)
            rows.append(
                {
                    "order_no": d.order_no,
                    "delegate": {"name": d.delegate["name"], "position": d.delegate["position"]},
                    "status": d.status.value,
                    "filed": report is not None,
                    "actions_count": report["actions_count"] if report else None,
                    "overdue": month in d.months_due(today, self.delegations.report_deadline_day),
                }
            )
        return {
            "report": "delegation-compliance",
            "org_code": org_code,
            "organisation": organisation.name,
            "month": month,
            "generated_at": self.clock.now().isoformat(),
            "items": rows,
            "totals": {
                "orders": len(rows),
                "filed": sum(1 for r in rows if r["filed"]),
                "overdue": sum(1 for r in rows if r["overdue"]),
            },
        }

    def complaint_statistics(self, org_code: str, fiscal_year: int, round_months: int) -> dict[str, Any]:
        """Complaint statistics for the 6- or 12-month round (ITA O29), without personal data."""
        organisation = self.organisations.get(org_code)
        start, end = round_period(fiscal_year, round_months)
        return {
            "report": "complaint-statistics",
            "org_code": org_code,
            "organisation": organisation.name,
            "fiscal_year": fiscal_year,
            "round": round_months,
            "period": {"from": start.isoformat(), "to": end.isoformat()},
            "generated_at": self.clock.now().isoformat(),
            "statistics": self.complaints.statistics(org_code, start, end),
        }

    def build(self, org_code: str, kind: str, period: str) -> dict[str, Any]:
        if kind in ("plan-progress", "complaint-statistics"):
            try:
                year, months = (int(x) for x in period.split("-r"))
            except ValueError:
                raise InvalidInput(
                    "ช่วงรายงานต้องอยู่ในรูป 2562-r6 หรือ 2562-r12", "period must look like 2562-r6 or 2562-r12"
                ) from None
            if months not in (6, 12):
                raise InvalidInput("รอบรายงานต้องเป็น 6 หรือ 12 เดือน", "round must be 6 or 12 (months)")
            if kind == "plan-progress":
                return self.plan_progress(org_code, year, months)
            return self.complaint_statistics(org_code, year, months)
        if kind == "delegation-compliance":
            return self.delegation_compliance(org_code, period)
        if kind == "procurement-summary":
            self.organisations.get(org_code)
            return {**self.procurements.monthly_summary(org_code, period), "generated_at": self.clock.now().isoformat()}
        raise NotFound(f"ไม่รู้จักรายงาน {kind}", f"unknown report {kind}")

    def render(self, content: dict[str, Any], fmt: str) -> bytes:
        if fmt not in FORMATS:
            raise InvalidInput(f"รูปแบบต้องเป็น {', '.join(FORMATS)}", f"format must be one of {', '.join(FORMATS)}")
        return self.renderer.render(content, fmt)

    # -- publication record ------------------------------------------------------------------

    def publish(
        self,
        org_code: str,
        kind: str,
        period: str,
        trigger: str = "manual",
        actor: dict[str, Any] = SYSTEM_ACTOR,
    ) -> dict[str, Any]:
        """Generate in every format and record the content hash as an event."""
        content = self.build(org_code, kind, period)
        hashes = {fmt: hashlib.sha256(self.render(content, fmt)).hexdigest() for fmt in FORMATS}
        record = self.app.find(ReportRecord, ReportRecord.create_id(org_code, kind, period))
        if record is None:
            record = ReportRecord(org_code=org_code, kind=kind, period=period)
        digest = content_hash(content)
        record.generated(content=content, content_hash=digest, format_hashes=hashes, trigger=trigger, actor=actor)
        self.app.commit(record)
        return {
            "id": str(record.id),
            "version": record.version,
            "content_hash": digest,
            "format_hashes": hashes,
        }

    def published(self, org_code: str, kind: str, period: str) -> list[dict[str, Any]]:
        record_id = ReportRecord.create_id(org_code, kind, period)
        if not self.app.exists(record_id):
            raise NotFound("ยังไม่มีการเผยแพร่รายงานนี้", f"no published {kind} report for {period}")
        return [
            {
                "version": e.originator_version,
                "published_at": e.timestamp,
                "content_hash": e.content_hash,
                "format_hashes": e.format_hashes,
                "trigger": e.trigger,
                "content": e.content,
            }
            for e in self.app.stored_events(record_id)
            if type(e).__name__ == "Generated"
        ]

    # -- schedules ---------------------------------------------------------------------------

    def schedule(self, org_code: str) -> list[dict[str, Any]]:
        schedule = self.app.find(ReportSchedule, ReportSchedule.create_id(org_code))
        return schedule.entries if schedule is not None else list(DEFAULT_SCHEDULE)

    def set_schedule(self, user: User | None, org_code: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.organisations.get(org_code)
        cleaned = clean_entries(entries)
        for entry in cleaned:
            try:
                self.validate_cron(entry["cron"])
            except ValueError as exc:
                raise InvalidInput(
                    f"รูปแบบเวลาไม่ถูกต้อง: {entry['cron']}", f"invalid cron '{entry['cron']}': {exc}"
                ) from None
        actor = user.as_actor() if user else SYSTEM_ACTOR
        schedule = self.app.find(ReportSchedule, ReportSchedule.create_id(org_code))
        if schedule is not None:
            schedule.change(entries=cleaned, actor=actor)
        else:
            schedule = ReportSchedule(org_code=org_code, entries=cleaned, actor=actor)
        self.app.commit(schedule)
        return cleaned

    def period_due(self, entry: dict[str, Any], today: date) -> str:
        """Which period a scheduled run on ``today`` reports on."""
        if entry["round"] in (6, 12):
            year = fiscal_year_of(today)
            if entry["round"] == 12 and fiscal_year_bounds(year - 1)[1] < today and today.month >= 10:
                year -= 1  # in October the 12-month report is about the year that just ended
            return f"{year}-r{entry['round']}"
        previous = today.replace(day=1) - timedelta(days=1)
        return previous.strftime("%Y-%m")

    def run_scheduled(self, org_code: str, entry: dict[str, Any]) -> dict[str, Any]:
        period = self.period_due(entry, local_date(self.clock.now()))
        return self.publish(org_code, entry["report"], period, trigger=f"schedule {entry['cron']}")
