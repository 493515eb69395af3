"""Report records and schedules: which figures were published when, and when to produce them."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import ProngsaiAggregate
from domain.errors import InvalidInput
from domain.people import NS

REPORT_KINDS = ("plan-progress", "delegation-compliance", "complaint-statistics", "procurement-summary")
# Published documents besides the scheduled reports (ITA's open-data items; period: a BE fiscal year,
# or a round for the e-Plan export).
DOCUMENT_KINDS = (*REPORT_KINDS, "procurement-plan", "procurement-notices", "procurement-annual",
                  "anti-corruption-plan", "complaint-guideline", "complaint-channels", "eplan")  # fmt: skip
ROUND_REPORTS = ("plan-progress", "complaint-statistics")

NATIONAL_STATUS = {
    "planned": "not_started",
    "submitted": "not_started",
    "returned": "not_started",
    "approved": "not_started",
    "in_progress": "in_progress",
    "completed": "completed",
    "result_reported": "completed",
    "published": "completed",
    "could_not_proceed": "could_not_proceed",
}
NATIONAL_STATUS_THAI = {
    "not_started": "ยังไม่ได้ดำเนินการ",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "completed": "ดำเนินการแล้ว",
    "could_not_proceed": "ไม่ได้ดำเนินการ",
}


class ReportRecord(ProngsaiAggregate):
    """Every generation of one report (organisation, kind, period), with its content hash."""

    _SHARED_STATE = frozenset({"content"})

    @staticmethod
    def create_id(org_code: str, kind: str, period: str) -> UUID:
        return uuid5(NS, f"report/{org_code}/{kind}/{period}")

    @event("Opened")
    def __init__(self, org_code: str, kind: str, period: str) -> None:
        self.org_code = org_code
        self.kind = kind
        self.period = period
        self.generations: list[dict[str, Any]] = []
        self.content: dict[str, Any] | None = None

    @event("Generated")
    def generated(
        self,
        content: dict[str, Any],
        content_hash: str,
        format_hashes: dict[str, str],
        trigger: str,
        actor: dict[str, Any],
    ) -> None:
        self.content = content
        self.generations.append(
            {"content_hash": content_hash, "format_hashes": format_hashes, "trigger": trigger, "by": actor}
        )


class ReportSchedule(ProngsaiAggregate):
    """When the worker produces an organisation's reports (cron expressions, Thai local time)."""

    @staticmethod
    def create_id(org_code: str) -> UUID:
        return uuid5(NS, f"report-schedule/{org_code}")

    @event("Created")
    def __init__(self, org_code: str, entries: list[dict[str, Any]], actor: dict[str, Any]) -> None:
        self.org_code = org_code
        self.entries = entries

    @event("Changed")
    def change(self, entries: list[dict[str, Any]], actor: dict[str, Any]) -> None:
        self.entries = entries


DEFAULT_SCHEDULE = [
    {"report": "plan-progress", "round": 6, "cron": "0 9 10 4 *"},  # 10 April, 09:00
    {"report": "plan-progress", "round": 12, "cron": "0 9 10 10 *"},  # 10 October
    {"report": "delegation-compliance", "round": None, "cron": "0 9 6 * *"},  # monthly, day 6
    {"report": "complaint-statistics", "round": 6, "cron": "0 9 10 4 *"},
    {"report": "complaint-statistics", "round": 12, "cron": "0 9 10 10 *"},
    {"report": "procurement-summary", "round": None, "cron": "0 9 5 * *"},  # สขร.๑ for the previous month
]


def clean_entries(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for entry in entries:
        report = entry.get("report")
        if report not in REPORT_KINDS:
            raise InvalidInput(
                f"ไม่รู้จักรายงาน '{report}'", f"unknown report '{report}' (one of: {', '.join(REPORT_KINDS)})"
            )
        round_months = entry.get("round")
        if report in ROUND_REPORTS and round_months not in (6, 12):
            raise InvalidInput("รอบรายงานต้องเป็น 6 หรือ 12 เดือน", f"a {report} round is 6 or 12")
        cron = str(entry.get("cron") or "").strip()
        if len(cron.split()) != 5:
            raise InvalidInput("รูปแบบเวลาต้องเป็น cron 5 ช่อง", f"'{cron}' is not a 5-field cron expression")
        cleaned.append({"report": report, "round": round_months if report in ROUND_REPORTS else None, "cron": cron})
    return cleaned
