"""The deadline projection: every open obligation of every organisation, with its due date, its owner and
the one above them (domain/obligations.py), built from the log like every projection.

- a complaint's answer: opened when it is received (its due date is the one the complaint recorded, in
  calendar or working days as configured then), owned by the organisation's clerk until an officer is
  assigned; closed when it is answered, rejected, referred outside or closed;
- a disciplinary decision's appeal window: opened with the decision, due when the window ends (the
  clerk then records the final outcome); closed by an appeal or the final outcome;
- a measure submitted for approval: due ``approval_days`` later, owned by the executive, above them the
  permanent secretary; closed when it is approved or returned;
- a delegation order's monthly report: from the month the order takes effect, one month at a time, due on
  day N of the next month, owned by the delegate, above them the delegator; filing a month opens the
  next; revocation closes it.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from domain.clock import business_date
from domain.obligations import CITIZEN_STEPS, ReminderSettings
from domain.procurement import NOTICE_THAI
from domain.thai import fiscal_year_bounds, half_year_end, thai_month
from infrastructure.projections import Cursor, Projection, aggregate_type, event_name

COLUMNS = ("key", "org_code", "kind", "record_id", "title", "due_on", "owner", "above")


def month_after(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


class DeadlineProjection(Projection):
    name = "deadlines"
    topic_prefix = "domain."
    events = frozenset({"Received", "Assigned", "Resolved", "Rejected", "ReferredOutside", "Closed",
                        "DisciplinaryDecision", "Appealed", "DisciplineFinal", "Planned", "SubmittedForApproval",
                        "Approved", "Returned", "Drafted", "Signed", "Issued", "MonthlyReportFiled",
                        "RevocationSigned", "Revoked", "Imported", "Opened", "Generated", "Registered",
                        "NoticeIssued", "NoticePublished"})  # fmt: skip
    tables = ("obligations", "obligation_records")
    ddl = (
        "CREATE TABLE IF NOT EXISTS obligations (key TEXT PRIMARY KEY, org_code TEXT NOT NULL, kind TEXT NOT NULL,"
        " record_id TEXT NOT NULL, title TEXT NOT NULL, due_on TEXT NOT NULL, owner TEXT NOT NULL,"
        " above TEXT NOT NULL, open INTEGER NOT NULL, opened_at BIGINT NOT NULL, closed_at BIGINT)",
        "CREATE INDEX IF NOT EXISTS obligations_open ON obligations (open, due_on)",
        "CREATE INDEX IF NOT EXISTS obligations_record ON obligations (record_id, open)",
        "CREATE TABLE IF NOT EXISTS obligation_records (record_id TEXT PRIMARY KEY, facts TEXT NOT NULL)",
    )

    def __init__(self, settings: ReminderSettings | None = None, report_deadline_day: int = 5) -> None:
        self.settings = settings or ReminderSettings()
        self.report_deadline_day = report_deadline_day

    # -- rows ------------------------------------------------------------------------------------

    @staticmethod
    def open(cursor: Cursor, position: int, key: str, org: str, kind: str, record: str, title: str, due: date,
             owner: str, above: str) -> None:  # fmt: skip
        cursor.execute(
            "INSERT INTO obligations (key, org_code, kind, record_id, title, due_on, owner, above, open, opened_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (key) DO UPDATE SET due_on = excluded.due_on,"
            " owner = excluded.owner, above = excluded.above, open = 1, closed_at = NULL",
            (key, org, kind, record, title, due.isoformat(), owner, above, position),
        )

    @staticmethod
    def close(cursor: Cursor, position: int, record: str, kind: str) -> None:
        cursor.execute("UPDATE obligations SET open = 0, closed_at = ? WHERE record_id = ? AND kind = ? AND open = 1",
                       (position, record, kind))  # fmt: skip

    @staticmethod
    def close_key(cursor: Cursor, position: int, key: str) -> None:
        cursor.execute("UPDATE obligations SET open = 0, closed_at = ? WHERE key = ? AND open = 1", (position, key))

    @staticmethod
    def facts(cursor: Cursor, record: str) -> dict[str, Any]:
        row = cursor.execute("SELECT facts FROM obligation_records WHERE record_id = ?", (record,)).fetchone()
        return json.loads(row[0]) if row else {}

    @staticmethod
    def keep(cursor: Cursor, record: str, facts: dict[str, Any]) -> None:
        text = json.dumps(facts, ensure_ascii=False)
        cursor.execute("INSERT INTO obligation_records (record_id, facts) VALUES (?, ?) ON CONFLICT (record_id)"
                       " DO UPDATE SET facts = excluded.facts", (record, text))  # fmt: skip

    # -- events ----------------------------------------------------------------------------------

    def apply(self, cursor: Cursor, batch: list[tuple[Any, Any]]) -> None:
        for n, e in batch:
            if e is None:
                continue
            kind, name = aggregate_type(n.topic), event_name(n.topic)
            handler = getattr(self, f"_{kind.lower()}", None)
            if handler is not None:
                handler(cursor, n.id, str(n.originator_id), name, e)

    def _complaint(self, cursor: Cursor, at: int, cid: str, name: str, e: Any) -> None:
        if name == "Received":
            self.keep(cursor, cid, {"org": e.org_code, "case": e.case_no})
            self.open(cursor, at, f"complaint-answer/{cid}", e.org_code, "complaint-answer", cid,
                      f"เรื่องร้องเรียนเลขที่ {e.case_no}", e.due_on, "role:clerk", "role:executive")  # fmt: skip
        elif name == "Assigned" and (e.officer or {}).get("username"):
            cursor.execute("UPDATE obligations SET owner = ? WHERE record_id = ? AND kind = 'complaint-answer'"
                           " AND open = 1", (e.officer["username"], cid))  # fmt: skip
        elif name in ("Resolved", "Rejected", "ReferredOutside", "Closed"):
            self.close(cursor, at, cid, "complaint-answer")
        elif name == "DisciplinaryDecision":
            f = self.facts(cursor, cid)
            self.open(cursor, at, f"appeal-window/{cid}", f["org"], "appeal-window", cid,
                      f"เรื่องร้องเรียนเลขที่ {f['case']}", e.appeal_until, "role:clerk", "role:executive")  # fmt: skip
        elif name in ("Appealed", "DisciplineFinal"):
            self.close(cursor, at, cid, "appeal-window")

    def _measure(self, cursor: Cursor, at: int, mid: str, name: str, e: Any) -> None:
        if name == "Planned":
            title = f"{e.code} {str((e.details or {}).get('name') or '')}".strip()
            self.keep(cursor, mid, {"org": e.org_code, "title": title})
        elif name == "SubmittedForApproval":
            f = self.facts(cursor, mid)
            due = business_date(e.timestamp) + timedelta(days=self.settings.approval_days)
            self.open(cursor, at, f"measure-approval/{mid}/{e.originator_version}", f["org"], "measure-approval", mid,
                      f["title"], due, "role:executive", "role:clerk")  # fmt: skip
        elif name in ("Approved", "Returned"):
            self.close(cursor, at, mid, "measure-approval")

    def _delegation(self, cursor: Cursor, at: int, did: str, name: str, e: Any) -> None:
        if name == "Drafted":
            until = e.valid_until.isoformat() if e.valid_until else None
            self.keep(cursor, did, {"org": e.org_code, "order": e.order_no, "delegate": e.delegate["username"],
                                    "delegator": e.delegator["username"], "from": e.valid_from.isoformat(),
                                    "until": until, "filed": []})  # fmt: skip
            return
        f = self.facts(cursor, did)
        if not f:
            return
        if name in ("Signed", "Issued"):
            self.next_report(cursor, at, did, f)
        elif name == "MonthlyReportFiled":
            f["filed"] = sorted({*f["filed"], e.month})
            self.keep(cursor, did, f)
            self.close_key(cursor, at, f"delegation-report/{did}/{e.month}")
            if not self.open_report(cursor, did):
                self.next_report(cursor, at, did, f)
        elif name in ("RevocationSigned", "Revoked"):
            self.close(cursor, at, did, "delegation-report")

    def _plan(self, cursor: Cursor, at: int, plan_id: str, name: str, e: Any) -> None:
        """The 6- and 12-month progress reports of each fiscal year the plan covers."""
        if name != "Imported":
            return
        for year in e.fiscal_years:
            for months, ends in ((6, half_year_end(year)), (12, fiscal_year_bounds(year)[1])):
                period = f"{year}-r{months}"
                self.open(cursor, at, f"plan-report/{e.org_code}/{period}", e.org_code, "plan-report", e.org_code,
                          f"รอบ {months} เดือน ปีงบประมาณ {year}", ends + timedelta(days=self.settings.report_days),
                          "role:clerk", "role:executive")  # fmt: skip

    def _reportrecord(self, cursor: Cursor, at: int, rid: str, name: str, e: Any) -> None:
        if name == "Opened":
            self.keep(cursor, rid, {"org": e.org_code, "kind": e.kind, "period": e.period})
        elif name == "Generated":
            f = self.facts(cursor, rid)
            if f.get("kind") == "plan-progress":
                self.close_key(cursor, at, f"plan-report/{f['org']}/{f['period']}")

    def _procurement(self, cursor: Cursor, at: int, pid: str, name: str, e: Any) -> None:
        """Each signed notice on its channels within a few days (the law's posting needs it public)."""
        if name == "Registered":
            self.keep(cursor, pid, {"org": e.org_code, "project": e.project_no, "by": e.actor.get("username"),
                                    "notices": 0, "channels": {}})  # fmt: skip
            return
        f = self.facts(cursor, pid)
        if not f:
            return
        if name == "NoticeIssued":
            f["notices"] += 1
            number = f["notices"]
            self.open(cursor, at, f"notice-publication/{pid}/{number}", f["org"], "notice-publication", pid,
                      f"{NOTICE_THAI.get(e.kind, e.kind)} โครงการเลขที่ {f['project']}",
                      e.announced_on + timedelta(days=self.settings.publication_days), f["by"] or "role:clerk",
                      "role:executive")  # fmt: skip
        elif name == "NoticePublished":
            count = f["channels"].get(str(e.number), 0) + 1
            f["channels"][str(e.number)] = count
            if count >= self.settings.min_channels:
                self.close_key(cursor, at, f"notice-publication/{pid}/{e.number}")
        self.keep(cursor, pid, f)

    @staticmethod
    def open_report(cursor: Cursor, did: str) -> bool:
        return cursor.execute("SELECT 1 FROM obligations WHERE record_id = ? AND kind = 'delegation-report'"
                              " AND open = 1", (did,)).fetchone() is not None  # fmt: skip

    def next_report(self, cursor: Cursor, at: int, did: str, f: dict[str, Any]) -> None:
        """The earliest month not reported, from the month the order takes effect (while it is in force)."""
        month = date.fromisoformat(f["from"]).replace(day=1)
        until = date.fromisoformat(f["until"]) if f["until"] else None
        while month.strftime("%Y-%m") in f["filed"]:
            month = month_after(month)
        if until is not None and month > until:
            return
        due = month_after(month).replace(day=min(self.report_deadline_day, 28))
        key = month.strftime("%Y-%m")
        self.open(cursor, at, f"delegation-report/{did}/{key}", f["org"], "delegation-report", did,
                  f"คำสั่งที่ {f['order']} เดือน{thai_month(month)}", due, f["delegate"], f["delegator"])  # fmt: skip


class InboxProjection(Projection):
    """Each person's notices (``Reminders.Sent``), newest first: the desk's inbox."""

    name = "inbox"
    topic_prefix = "domain.obligations:Reminders."
    events = frozenset({"Sent"})
    tables = ("inbox",)
    ddl = (
        "CREATE TABLE IF NOT EXISTS inbox (key TEXT PRIMARY KEY, position BIGINT NOT NULL, recipient TEXT NOT NULL,"
        " org_code TEXT NOT NULL, obligation TEXT NOT NULL, kind TEXT NOT NULL, record_id TEXT NOT NULL,"
        " title TEXT NOT NULL, due_on TEXT NOT NULL, stage TEXT NOT NULL, sent_on TEXT NOT NULL, ts TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS inbox_recipient ON inbox (recipient, position)",
    )
    COLUMNS = ("key", "position", "recipient", "org_code", "obligation", "kind", "record_id", "title", "due_on",
               "stage", "sent_on", "ts")  # fmt: skip

    def apply(self, cursor: Cursor, batch: list[tuple[Any, Any]]) -> None:
        rows = []
        for n, e in batch:
            if e is None:
                continue
            org = e.originator_id  # the reminders' id; the organisation is in each notice's obligation
            for x in e.notices:
                rows.append((x["key"], n.id, x["recipient"], self.org_of(x, org), x["obligation"], x["kind"],
                             x["record_id"], x["title"], str(x["due_on"]), x["stage"], str(x["on"]),
                             e.timestamp.isoformat()))  # fmt: skip
        cursor.insert_rows("inbox", self.COLUMNS, rows)

    @staticmethod
    def org_of(notice: dict[str, Any], default: Any) -> str:
        return str(notice.get("org_code") or default)


class CitizenUpdateProjection(Projection):
    """Each public step of a complaint whose complainant asked for updates by e-mail (the mailer sends them)."""

    name = "citizen_updates"
    topic_prefix = "domain.complaint:Complaint."
    events = frozenset({"Received", "UpdatesRequested", *CITIZEN_STEPS})
    tables = ("citizen_updates", "citizen_update_cases")
    ddl = (
        "CREATE TABLE IF NOT EXISTS citizen_update_cases (complaint_id TEXT PRIMARY KEY, org_code TEXT NOT NULL,"
        " case_no TEXT NOT NULL, wanted INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS citizen_updates (key TEXT PRIMARY KEY, position BIGINT NOT NULL,"
        " complaint_id TEXT NOT NULL, org_code TEXT NOT NULL, case_no TEXT NOT NULL, step TEXT NOT NULL,"
        " on_day TEXT NOT NULL)",
    )

    def apply(self, cursor: Cursor, batch: list[tuple[Any, Any]]) -> None:
        for n, e in batch:
            if e is None:
                continue
            cid, name = str(n.originator_id), event_name(n.topic)
            if name == "Received":
                cursor.execute("INSERT INTO citizen_update_cases (complaint_id, org_code, case_no, wanted)"
                               " VALUES (?, ?, ?, 0) ON CONFLICT (complaint_id) DO NOTHING",
                               (cid, e.org_code, e.case_no))  # fmt: skip
            elif name == "UpdatesRequested":
                cursor.execute("UPDATE citizen_update_cases SET wanted = 1 WHERE complaint_id = ?", (cid,))
            elif name != "ProgressNoticed" or e.public:
                row = cursor.execute("SELECT org_code, case_no FROM citizen_update_cases WHERE complaint_id = ?"
                                     " AND wanted = 1", (cid,)).fetchone()  # fmt: skip
                if row:
                    cursor.execute("INSERT INTO citizen_updates (key, position, complaint_id, org_code, case_no, step,"
                                   " on_day) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
                                   (f"{cid}/{n.id}", n.id, cid, row[0], row[1], name,
                                    business_date(e.timestamp).isoformat()))  # fmt: skip
