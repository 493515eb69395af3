"""Reports built from projections, and the record of every published report (with content hash)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from application.delegations import Delegations
from application.measures import Measures
from application.people import Organisations
from application.plan_documents import PlanDocuments, code_key
from application.ports import Renderer
from application.procurement_reports import ProcurementReports
from application.store import Prongsai
from domain.clock import Clock, business_date, end_of_day
from domain.complaint import Category
from domain.errors import InvalidInput, NotFound, RuleBroken
from domain.measure import BudgetState, Measure
from domain.people import SYSTEM_ACTOR, User
from domain.plan import Organisation
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
# Documents of one fiscal year (period "2563"): ITA items O19, O20, O22, O36 and O27.
YEAR_DOCUMENTS = ("procurement-plan", "procurement-notices", "procurement-annual", "anti-corruption-plan",
                  "complaint-guideline", "complaint-channels")  # fmt: skip


def fiscal_year_of_period(period: str) -> int:
    if not (period.isdigit() and 2500 <= int(period) <= 2700):
        raise InvalidInput(
            f"ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2567 (ได้รับ '{period[:20]}')", "period must be a BE fiscal year such as 2567"
        )
    return int(period)


def round_of_period(period: str) -> tuple[int, int]:
    try:
        year, months = (int(x) for x in period.split("-r"))
    except ValueError:
        raise InvalidInput(
            "ช่วงรายงานต้องอยู่ในรูป 2562-r6 หรือ 2562-r12", "period must look like 2562-r6 or 2562-r12"
        ) from None
    if months not in (6, 12):
        raise InvalidInput("รอบรายงานต้องเป็น 6 หรือ 12 เดือน", "round must be 6 or 12 (months)")
    if not 2500 <= year <= 2700:
        raise InvalidInput(f"ปีงบประมาณ {year} ไม่ถูกต้อง (เช่น 2567)", f"fiscal year {year} is not a BE year")
    return year, months


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def without_moment(content: dict[str, Any]) -> bytes:
    """The content but for the moment it was computed as of: what two publications compare on."""
    return canonical({k: v for k, v in content.items() if k != "generated_at"})


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


def progress_item(m: Measure) -> dict[str, Any]:
    """One row of the national form from a measure as it stood."""
    d = m.details
    national = NATIONAL_STATUS[m.status.value]
    actuals = (m.result or {}).get("kpi_actuals") or []
    return {
        "code": m.code,
        "dimension": d.get("dimension"),
        "mission": d.get("mission"),
        "kind": d.get("kind"),
        "name": d.get("name"),
        "responsible_unit": d.get("responsible_unit"),
        "no_budget": m.budget_state is BudgetState.NO_BUDGET,
        "budget_unknown": m.budget_state is BudgetState.UNKNOWN,
        "budget_plan_satang": m.allocation_satang,
        "disbursed_satang": sum(x["amount_satang"] for x in m.disbursements if not x.get("reversed")),
        "status": national,
        "status_th": NATIONAL_STATUS_THAI[national],
        "workflow_status": m.status.value,
        "not_proceed_reason": (m.not_proceed or {}).get("reason"),
        "not_proceed_note": (m.not_proceed or {}).get("note"),
        "steps_done": len(m.steps_done),
        "steps_total": len(d.get("steps") or []),
        "kpis": [
            {"target": t, "actual": actuals[i]["actual"] if i < len(actuals) else None}
            for i, t in enumerate(d.get("kpis") or [])
        ],
    }


class Reports:
    def __init__(
        self,
        app: Prongsai,
        organisations: Organisations,
        delegations: Delegations,
        measures: Measures,
        renderer: Renderer,
        clock: Clock,
        validate_cron: Callable[[str], None] = lambda cron: None,
        complaints: Any = None,
        procurements: Any = None,
        guidelines: Any = None,
        pattern_flags: Any = None,
    ) -> None:
        self.app = app
        self.organisations = organisations
        self.delegations = delegations
        self.measures = measures
        self.renderer = renderer
        self.clock = clock
        self.validate_cron = validate_cron
        self.complaints = complaints
        self.procurements = procurements
        self.guidelines = guidelines
        self.procurement_year = ProcurementReports(procurements, pattern_flags)
        self.plan_documents = PlanDocuments(app, measures)

    # -- content -----------------------------------------------------------------------------

    def plan_progress(
        self, org_code: str, fiscal_year: int, round_months: int, as_of: datetime | None = None
    ) -> dict[str, Any]:
        """The national reporting form for one fiscal year and round, as the log stood.

        Each measure is rebuilt from the events recorded by ``as_of`` (default now) whose business
        date (start, step, completion, payment dates; otherwise the day recorded) falls within the
        round: nothing done or recorded after the round's end changes it, and regenerating with the
        same ``as_of`` gives the same bytes.
        """
        if round_months not in (6, 12):
            raise InvalidInput("รอบรายงานต้องเป็น 6 หรือ 12 เดือน", "round must be 6 or 12 (months)")
        as_of = as_of or self.clock.now()
        organisation = self.organisations.get(org_code)
        start, end = round_period(fiscal_year, round_months)

        measures = [
            self.app.as_of_period(m.id, end, as_of, Measure.BUSINESS_DATES)
            for m in self.measures.list(org_code, fiscal_year)
        ]
        measures = [m for m in measures if m is not None]
        if not measures:
            raise NotFound(f"ไม่มีโครงการของปีงบประมาณ {fiscal_year}", f"no measures for {org_code} in FY {fiscal_year}")
        items = [progress_item(m) for m in sorted(measures, key=lambda m: code_key(m.code))]
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
            "generated_at": as_of.isoformat(),
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
            "budget_unknown_items": sum(1 for i in items if i.get("budget_unknown")),
        }

    def organisation_at(self, org_code: str, as_of: datetime) -> Organisation:
        self.organisations.get(org_code)  # 404 for an unknown organisation
        organisation = self.app.as_of(Organisation, Organisation.create_id(org_code), as_of)
        if organisation is None:
            raise NotFound(f"ไม่พบหน่วยงานรหัส {org_code} ณ เวลานั้น", f"organisation {org_code} did not exist then")
        return organisation

    def organisation_name(self, org_code: str, as_of: datetime) -> str:
        return self.organisation_at(org_code, as_of).name

    def delegation_compliance(self, org_code: str, month: str, as_of: datetime | None = None) -> dict[str, Any]:
        """Each delegation's monthly report for ``month`` (YYYY-MM), filed or overdue, as known at ``as_of``."""
        as_of = as_of or self.clock.now()
        name = self.organisation_name(org_code, as_of)
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError:
            raise InvalidInput("เดือนต้องอยู่ในรูป YYYY-MM", "month must be YYYY-MM") from None
        today = business_date(as_of)
        rows = []
        for d in self.delegations.authority.records(org_code, as_of)[0]:
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
            "organisation": name,
            "month": month,
            "generated_at": as_of.isoformat(),
            "items": rows,
            "totals": {
                "orders": len(rows),
                "filed": sum(1 for r in rows if r["filed"]),
                "overdue": sum(1 for r in rows if r["overdue"]),
            },
        }

    def complaint_statistics(
        self, org_code: str, fiscal_year: int, round_months: int, as_of: datetime | None = None, layout: int = 2
    ) -> dict[str, Any]:
        """Complaint statistics for the 6- or 12-month round (ITA O29), without personal data, as the
        cases stood at the round's end (or at ``as_of`` if that came first): general complaints and
        corruption/misconduct complaints apart, as ITA asks (layout 1, published before, mixed them)."""
        as_of = as_of or self.clock.now()
        name = self.organisation_name(org_code, as_of)
        start, end = round_period(fiscal_year, round_months)
        at = min(end_of_day(end), as_of)
        content = {
            "report": "complaint-statistics",
            "org_code": org_code,
            "organisation": name,
            "fiscal_year": fiscal_year,
            "round": round_months,
            "period": {"from": start.isoformat(), "to": end.isoformat()},
            "generated_at": as_of.isoformat(),
        }
        if layout < 2:  # the keys and their order as layout 1 published them
            return content | {"statistics": self.complaints.statistics(org_code, start, end, at=at)}
        return content | {
            "layout": 2,
            "statistics": {
                category.value: self.complaints.statistics(org_code, start, end, at=at, category=category)
                for category in Category
            },
        }

    def build(
        self, org_code: str, kind: str, period: str, as_of: datetime | None = None, layout: int | None = None
    ) -> dict[str, Any]:
        """A report's content from the log as it stood at ``as_of`` (default now).

        ``layout`` rebuilds a document published under an earlier layout (1: before the layout was
        recorded in the content) exactly as it was; new documents take the current one."""
        as_of = as_of or self.clock.now()
        if kind in ("plan-progress", "complaint-statistics"):
            year, months = round_of_period(period)
            if kind == "plan-progress":
                return self.plan_progress(org_code, year, months, as_of)
            return self.complaint_statistics(org_code, year, months, as_of, layout or 2)
        if kind in YEAR_DOCUMENTS:
            return self.year_document(org_code, kind, fiscal_year_of_period(period), as_of, layout or 3)
        if kind == "eplan":
            year, months = round_of_period(period)
            content = self.plan_documents.eplan(org_code, year, months, as_of)
            start, end = round_period(year, months)
            return self.header(org_code, kind, year, start, end, as_of) | {"round": months} | content
        if kind == "delegation-compliance":
            return self.delegation_compliance(org_code, period, as_of)
        if kind == "procurement-summary":
            self.organisations.get(org_code)
            summary = self.procurements.monthly_summary(org_code, period, as_of, layout or 2)
            return {**summary, "generated_at": as_of.isoformat()}
        raise NotFound(f"ไม่รู้จักรายงาน {kind}", f"unknown report {kind}")

    def header(
        self, org_code: str, kind: str, fiscal_year: int, start: date, end: date, as_of: datetime
    ) -> dict[str, Any]:
        """What every ITA document opens with: whose, which year and period, computed as of when."""
        organisation = self.organisation_at(org_code, as_of)
        return {
            "report": kind,
            "org_code": org_code,
            "organisation": organisation.name,
            "agency": organisation.profile(),
            "fiscal_year": fiscal_year,
            "period": {"from": start.isoformat(), "to": end.isoformat()},
            "generated_at": as_of.isoformat(),
        }

    def year_document(
        self, org_code: str, kind: str, fiscal_year: int, as_of: datetime, layout: int = 3
    ) -> dict[str, Any]:
        start, end = fiscal_year_bounds(fiscal_year)
        header = self.header(org_code, kind, fiscal_year, start, end, as_of)
        closed = min(end_of_day(end), as_of)  # what the year's own record says: later events do not count
        if kind == "procurement-plan":
            return header | self.procurement_year.annual_plan(org_code, fiscal_year, as_of)
        if kind == "procurement-notices":
            return header | self.procurement_year.notices(org_code, fiscal_year, closed)
        if kind == "procurement-annual":
            return header | self.procurement_year.annual_report(org_code, fiscal_year, closed, layout)
        if kind == "anti-corruption-plan":
            return header | self.plan_documents.plan(org_code, fiscal_year, as_of)
        guideline, version = self.guidelines.as_of(org_code, as_of)
        if kind == "complaint-channels":  # O28: the channels, from the guideline in force
            channels = guideline.content["sections"][:1]
            return header | {"version": version, "configuration": guideline.content["configuration"],
                             "sections": channels}  # fmt: skip
        return header | {"version": version, **guideline.content}

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
        reuse_unchanged: bool = False,
    ) -> dict[str, Any]:
        """Generate in every format and record the content hash as an event; the content says the
        moment it was computed as of, so :meth:`reproduce` gives the same bytes at any later time.

        With ``reuse_unchanged`` the latest publication is returned instead when it says the same (but
        for its moment) and no staff account published it (so its proof can be public)."""
        if kind in ("complaint-guideline", "complaint-channels"):
            self.guidelines.ensure(org_code, actor)  # a changed configuration is recorded before it is published
        content = self.build(org_code, kind, period, self.clock.now())
        record = self.app.find(ReportRecord, ReportRecord.create_id(org_code, kind, period))
        if record is None:
            record = ReportRecord(org_code=org_code, kind=kind, period=period)
        elif reuse_unchanged and record.generations and record.generations[-1]["by"].get("user_id") is None:
            last = record.generations[-1]  # the record holds its latest content and hashes already
            if without_moment(content) == without_moment(record.content or {}):
                return {"id": str(record.id), "version": record.version, "content_hash": last["content_hash"],
                        "format_hashes": last["format_hashes"]}  # fmt: skip
        hashes = {fmt: hashlib.sha256(self.render(content, fmt)).hexdigest() for fmt in FORMATS}
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
                "by_system": (e.actor or {}).get("user_id") is None,  # no staff account named: publicly provable
                "content": e.content,
            }
            for e in self.app.stored_events(record_id)
            if type(e).__name__ == "Generated"
        ]

    def reproduce(self, org_code: str, kind: str, period: str, version: int, fmt: str) -> bytes:
        """A published report regenerated from the log as of its publication, checked against the
        hash recorded then (a mismatch means the log changed under it: refused, never served)."""
        if fmt not in FORMATS:
            raise InvalidInput(f"รูปแบบต้องเป็น {', '.join(FORMATS)}", f"format must be one of {', '.join(FORMATS)}")
        published = next((p for p in self.published(org_code, kind, period) if p["version"] == version), None)
        if published is None:
            raise NotFound(f"ไม่พบการเผยแพร่ครั้งที่ {version}", f"no publication version {version} of {kind} {period}")
        as_of = datetime.fromisoformat(published["content"]["generated_at"])
        layout = published["content"].get("layout", 1)
        document = self.render(self.build(org_code, kind, period, as_of, layout), fmt)
        if hashlib.sha256(document).hexdigest() != published["format_hashes"][fmt]:
            raise RuleBroken(
                "รายงานที่สร้างใหม่ไม่ตรงกับที่เผยแพร่ไว้ — โปรดแจ้งผู้ตรวจสอบ",
                f"the regenerated {kind} {period} ({fmt}) does not match the hash published in version {version}",
            )
        return document

    # -- schedules ---------------------------------------------------------------------------

    def schedule(self, org_code: str) -> list[dict[str, Any]]:
        schedule = self.app.find(ReportSchedule, ReportSchedule.create_id(org_code))
        return schedule.entries if schedule is not None else list(DEFAULT_SCHEDULE)

    def set_schedule(self, user: User | None, org_code: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.organisations.get(org_code)
        cleaned = clean_entries(entries)
        for entry in cleaned:
            minute, hour = (entry["cron"].split() + ["", ""])[:2]
            if not (minute.isdigit() and hour.isdigit()):
                raise InvalidInput(
                    f"กำหนดการรายงานออกได้ไม่เกินวันละครั้ง (ระบุนาทีและชั่วโมงเป็นตัวเลข): {entry['cron']}",
                    f"a report runs at most once a day (a fixed minute and hour): '{entry['cron']}'",
                )
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
        period = self.period_due(entry, business_date(self.clock.now()))
        return self.publish(org_code, entry["report"], period, trigger=f"schedule {entry['cron']}")
