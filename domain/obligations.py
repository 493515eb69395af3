"""Deadlines the municipality is judged on, and who is told before and after each one.

An **obligation** is something someone must do by a business date (Asia/Bangkok): answer a complaint
within its 15 days, approve or return a measure submitted for approval, file a delegate's monthly report,
record the outcome of a disciplinary case once its appeal window closes. Each has an owner (a person, or
a role in the organisation when nobody is named yet) and someone above them.

A **reminder stage** is a moment in an obligation's life at which people are told: due soon (each lead
time before the date), overdue (the day after it, to the owner), escalated (after a grace period, to the
one above). Stages are computed from the obligation and the day only, so a reminder run on any day —
again after a restart, or in a second worker — asks for exactly the same notices, and the outbox keeps
each (obligation, stage, recipient) once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import ProngsaiAggregate
from domain.people import NS
from domain.thai import thai_date

# What each kind of obligation is, in words (Thai, English).
KINDS = {
    "complaint-answer": ("ตอบผลเรื่องร้องเรียน", "Answer a complaint"),
    "measure-approval": ("พิจารณาอนุมัติโครงการ/กิจกรรม", "Decide on a measure submitted for approval"),
    "delegation-report": ("รายงานผลการใช้อำนาจที่ได้รับมอบประจำเดือน", "File the monthly report on delegated power"),
    "plan-report": ("รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต",
                    "Publish the anti-corruption plan's progress report"),
    "notice-publication": ("เผยแพร่ประกาศจัดซื้อจัดจ้างให้ครบช่องทาง",
                           "Publish a procurement notice on every required channel"),
    "appeal-window": ("บันทึกผลที่สุดทางวินัยเมื่อพ้นกำหนดอุทธรณ์",
                      "Record the final disciplinary outcome after the appeal window"),
}  # fmt: skip
STAGES = {
    "due-soon": ("ใกล้ครบกำหนด", "Due soon"),
    "overdue": ("เกินกำหนด", "Overdue"),
    "escalated": ("เกินกำหนด แจ้งผู้บังคับบัญชา", "Overdue: escalated"),
}


@dataclass(frozen=True)
class ReminderSettings:
    """``PRONGSAI_REMINDER_*``: lead times before a due date, and the grace before escalation."""

    lead_days: tuple[int, ...] = (3, 1)
    escalate_after_days: int = 3
    approval_days: int = 7  # a measure submitted for approval is due for a decision this many days later
    report_days: int = 30  # the plan's 6- and 12-month reports are due this many days after their round ends
    publication_days: int = 3  # a signed procurement notice is due on its channels this many days later
    min_channels: int = 2  # … on this many channels (PRONGSAI_NOTICE_MIN_CHANNELS)


@dataclass(frozen=True)
class Obligation:
    key: str  # unique: kind/record[/period]
    org_code: str
    kind: str
    record_id: str
    title: str  # what it is about, as the record names it (a case number, a measure's name, an order)
    due_on: date
    owner: str  # a username, or "role:<role>" when no one is named yet
    above: str  # the same, for the one escalation goes to


@dataclass(frozen=True)
class Stage:
    name: str  # due-soon-3, due-soon-1, overdue, escalated
    on: date  # the day it is reached
    to: str  # owner or above (a username or "role:…")


def stages(ob: Obligation, settings: ReminderSettings) -> list[Stage]:
    """Every reminder stage of an obligation, in date order."""
    leads = sorted((d for d in settings.lead_days if d > 0), reverse=True)
    found = [Stage(f"due-soon-{d}", ob.due_on - timedelta(days=d), ob.owner) for d in leads]
    found.append(Stage("overdue", ob.due_on + timedelta(days=1), ob.owner))
    found.append(Stage("escalated", ob.due_on + timedelta(days=1 + settings.escalate_after_days), ob.above))
    return found


def reached(ob: Obligation, today: date, settings: ReminderSettings) -> list[Stage]:
    """The stages reached by ``today``. A stage passed long ago is still reached: a reminder run that was
    down for a week catches up (the outbox keeps each once), but a due-soon notice is not sent once the
    date itself has passed — the overdue one says more."""
    late = today > ob.due_on
    return [s for s in stages(ob, settings) if s.on <= today and not (late and s.name.startswith("due-soon"))]


def notice_message(n: dict[str, Any], lang: str = "th") -> tuple[str, str]:
    """A recorded notice (as the inbox holds it) in words: the same for the desk and for e-mail."""
    ob = Obligation(n["obligation"], n["org_code"], n["kind"], n["record_id"], n["title"],
                    date.fromisoformat(str(n["due_on"])), "", "")  # fmt: skip
    return message(ob, n["stage"], lang)


def stage_words(name: str) -> tuple[str, str]:
    return STAGES["due-soon" if name.startswith("due-soon") else name]


def message(ob: Obligation, stage: str, lang: str = "th") -> tuple[str, str]:
    """The notice's subject and body in Thai or English: what, about which record, by when, and why now."""
    what_th, what_en = KINDS[ob.kind]
    stage_th, stage_en = stage_words(stage)
    if lang == "en":
        subject = f"[{stage_en}] {what_en}: {ob.title}"
        body = f"{what_en}: {ob.title}\nDue on {ob.due_on.isoformat()}.\n"
        if stage == "escalated":
            body += "It is overdue and the person responsible has been reminded; you are told as their supervisor.\n"
        return subject, body
    subject = f"[{stage_th}] {what_th}: {ob.title}"
    body = f"{what_th}: {ob.title}\nครบกำหนด {thai_date(ob.due_on)}\n"
    if stage == "escalated":
        body += "เกินกำหนดแล้วและได้แจ้งผู้รับผิดชอบแล้ว จึงแจ้งท่านในฐานะผู้บังคับบัญชา\n"
    return subject, body


# -- who was told: the organisation's reminders of a fiscal year, as events ------------------------------


class Reminders(ProngsaiAggregate):
    """The notices sent for an organisation's obligations falling due in one fiscal year: what, to whom,
    when and why (the stage). Each (obligation, stage, recipient) is sent once: a second run, a restart or
    a second worker finds it here already (and two at once: one of them loses the race to append)."""

    @staticmethod
    def create_id(org_code: str, fiscal_year: int) -> UUID:
        return uuid5(NS, f"reminders/{org_code}/{fiscal_year}")

    @event("Opened")
    def __init__(self, org_code: str, fiscal_year: int) -> None:
        self.org_code = org_code
        self.fiscal_year = fiscal_year
        self.sent: dict[str, dict[str, Any]] = {}

    def unsent(self, notices: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [n for n in notices if n["key"] not in self.sent]

    def send(self, notices: list[dict[str, Any]]) -> None:
        if fresh := self.unsent(notices):
            self._sent(notices=fresh)

    @event("Sent")
    def _sent(self, notices: list[dict[str, Any]]) -> None:
        """Notices placed in their recipients' inboxes (and queued for e-mail): each with its obligation,
        the stage that called for it, the recipient by username, and the due date."""
        for n in notices:
            self.sent[n["key"]] = n


def notice(ob: Obligation, stage: Stage, recipient: str, on: date, to: dict[str, str] | None = None) -> dict[str, Any]:
    """One notice to one person (by username, and by name and position as the log shows them), as the log
    records it: no message text, that is rendered from this."""
    return {"key": f"{ob.key}/{stage.name}/{recipient}", "org_code": ob.org_code, "obligation": ob.key,
            "kind": ob.kind, "record_id": ob.record_id, "title": ob.title, "due_on": ob.due_on, "stage": stage.name,
            "recipient": recipient, "to": to or {"name": recipient, "position": ""}, "on": on}  # fmt: skip


# -- a complainant who asked to be told of each step --------------------------------------------------

CITIZEN_STEPS = {  # the complaint's event → what the complainant is told (Thai, English)
    "Acknowledged": ("รับเรื่องแล้ว", "received and acknowledged"),
    "Assigned": ("ส่งให้หน่วยงานที่รับผิดชอบดำเนินการแล้ว", "passed to the unit responsible"),
    "ProgressNoticed": ("มีความคืบหน้า", "progress was posted"),
    "DelayExplained": ("แจ้งเหตุที่ล่าช้า", "the delay was explained"),
    "Resolved": ("ตอบผลการดำเนินการแล้ว", "answered"),
    "Rejected": ("ไม่รับพิจารณา", "not taken up"),
    "ReferredOutside": ("ส่งต่อหน่วยงานอื่น", "referred to another agency"),
    "Closed": ("ยุติเรื่อง", "closed"),
    "Reopened": ("เปิดเรื่องใหม่", "reopened"),
}


def citizen_message(case_no: str, step: str, link: str) -> tuple[str, str]:
    """What a complainant is told: the case number, the step and where to read more — nothing else (no name,
    no text written by staff: the tracking page shows that to whoever holds the code)."""
    th, en = CITIZEN_STEPS[step]
    subject = f"เรื่องร้องเรียนเลขที่ {case_no}: {th} (Complaint {case_no}: {en})"
    body = (f"เรื่องร้องเรียนเลขที่ {case_no}: {th}\nดูรายละเอียดด้วยรหัสติดตามเรื่องของท่านที่ {link}\n\n"
            f"Complaint {case_no}: {en}\nRead more with your tracking code at {link}\n")  # fmt: skip
    return subject, body
