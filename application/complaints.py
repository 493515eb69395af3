"""Complaints: intake (anyone, anonymous allowed), handling, the disciplinary track, protected identities.

Over 400 lines on purpose: one service for one aggregate's whole life; the rules live on the
aggregate (domain/complaint.py), the catalogue in domain/complaint_commands.py.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4, uuid5

from application.authority import Authority
from application.ports import Keys, Locks, hold
from application.store import Index, Prongsai, check_version
from domain.catalogue import DESK
from domain.clock import Clock, business_date, today
from domain.complaint import (
    MAX_SUBJECT,
    OPEN,
    STATE_THAI,
    Category,
    Channel,
    Complaint,
    ComplaintLogged,
    State,
    check_text,
    deadline_from,
    parse_enum,
    personal_data_erased,
)
from domain.complaint_commands import COMPLAINTS
from domain.delegation import Action
from domain.errors import InvalidInput, NotFound, NotPermitted, RuleBroken, StaleVersion
from domain.people import NS, Role, User
from domain.plan import Organisation
from domain.thai import be_year

HANDLERS = DESK
IDENTITY_READERS = {Role.CLERK, Role.EXECUTIVE, Role.AUDITOR}
ERASERS = {Role.CLERK, Role.EXECUTIVE}
PUBLIC_ACTOR = {"user_id": None, "username": "public", "name": "ประชาชน", "role": "public", "position": ""}


@dataclass
class ComplaintRules:
    """Configurable promises and limits (unconfirmed figures stay settings, not code)."""

    answer_days: int = 15
    working_days: bool = False
    holidays: frozenset[date] = field(default_factory=frozenset)
    appeal_days: int = 30
    retention_days: int = 3650
    max_attachment_bytes: int = 5_000_000
    max_attachments: int = 5


# Tracking codes: 25 characters of Crockford's base32 (no I, L, O or U to misread), 125 random bits,
# shown in five groups of five — short enough to read over the phone and to type on one.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_tracking_code() -> str:
    chars = "".join(secrets.choice(CROCKFORD) for _ in range(25))
    return "-".join(chars[i : i + 5] for i in range(0, 25, 5))


def canonical_tracking_code(text: str) -> str | None:
    """What a person typed, in the code's own form: any case, spaces or dashes, O for 0 and I or L for 1."""
    chars = "".join(text.split()).replace("-", "").upper().translate(READS_AS)
    if len(chars) != 25 or any(c not in CROCKFORD for c in chars):
        return None
    return "-".join(chars[i : i + 5] for i in range(0, 25, 5))


def tracking_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def tracking_log_id(code_hash: str) -> UUID:
    return uuid5(NS, f"index/tracking/{code_hash}")


def complaints_log_id(org_code: str) -> UUID:
    return uuid5(NS, f"index/{org_code}/complaints")


def unknown_code() -> NotFound:
    """The same answer for a wrong, malformed or unknown code: no hint whether a code exists."""
    return NotFound("ไม่พบเรื่องตามรหัสติดตามนี้", "no case matches this tracking code")


def person_fields(data: dict[str, Any] | None, keys: tuple[str, ...]) -> dict[str, str]:
    if not data:
        return {}
    cleaned = {k: check_text(str(data.get(k) or ""), k, k, 500, required=False) for k in keys}
    return {k: v for k, v in cleaned.items() if v}


class Complaints:
    def __init__(
        self,
        app: Prongsai,
        keys: Keys,
        authority: Authority,
        clock: Clock,
        users_get: Callable[[str], User],
        rules: ComplaintRules | None = None,
        locks: Locks | None = None,
    ) -> None:
        self.app = app
        self.locks = locks
        self.users_get = users_get
        self.keys = keys
        self.authority = authority
        self.clock = clock
        self.rules = rules or ComplaintRules()

    # -- intake ------------------------------------------------------------------------------

    def today(self) -> date:
        return today(self.clock)

    def submit(
        self,
        org_code: str,
        channel: str,
        category: str,
        subject: str,
        description: str,
        location: str = "",
        complainant: dict[str, Any] | None = None,
        accused: dict[str, Any] | None = None,
        accused_role: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
        actor: dict[str, Any] = PUBLIC_ACTOR,
        updates_by_email: bool = False,
    ) -> tuple[Complaint, str]:
        """Record a complaint; return it with its tracking code, which is shown only this once.
        ``updates_by_email``: the complainant, who gave an e-mail address, asks to be told of each step."""
        if not self.app.exists(Organisation.create_id(org_code)):
            raise NotFound(f"ไม่พบหน่วยงานรหัส {org_code}", f"organisation {org_code} not found")
        channel_ = parse_enum(Channel, channel, "ช่องทาง", "channel")
        category_ = parse_enum(Category, category, "ประเภท", "category")
        subject = check_text(subject, "เรื่อง", "subject", MAX_SUBJECT)
        description = check_text(description, "รายละเอียด", "description")
        location = check_text(location, "สถานที่", "location", 1000, required=False)
        who = person_fields(complainant, ("name", "address", "phone", "email", "id_card"))
        accused_ = person_fields(accused, ("name", "position", "unit"))
        if updates_by_email and not who.get("email"):
            raise InvalidInput("ขอรับแจ้งความคืบหน้าทางอีเมลต้องให้อีเมลไว้", "updates by e-mail need an e-mail address")
        if accused_role not in (None, "", "staff", "executive", "council"):
            raise InvalidInput(
                "accused_role ต้องเป็น staff, executive หรือ council", "accused_role: staff|executive|council"
            )
        files = attachments or []
        if len(files) > self.rules.max_attachments:
            raise InvalidInput(
                f"แนบไฟล์ได้ไม่เกิน {self.rules.max_attachments} ไฟล์", f"at most {self.rules.max_attachments} attachments"
            )
        for f in files:
            if len(f["content"]) > self.rules.max_attachment_bytes:
                raise InvalidInput(
                    f"ไฟล์ '{f['filename']}' ใหญ่เกิน {self.rules.max_attachment_bytes:,} ไบต์",
                    f"attachment '{f['filename']}' exceeds {self.rules.max_attachment_bytes:,} bytes",
                )
        complaint_id = uuid4()
        subject_id = str(complaint_id)
        self.keys.create(subject_id)
        try:
            return self._intake(org_code, complaint_id, channel_, category_, subject, description, location, who,
                                accused_, accused_role, files, actor, updates_by_email)  # fmt: skip
        except BaseException:
            self.keys.destroy(subject_id)  # a complaint not recorded leaves no key or file behind
            raise

    def _intake(
        self,
        org_code: str,
        complaint_id: UUID,
        channel_: Channel,
        category_: Category,
        subject: str,
        description: str,
        location: str,
        who: dict[str, Any],
        accused_: dict[str, Any],
        accused_role: str | None,
        files: list[dict[str, Any]],
        actor: dict[str, Any],
        updates_by_email: bool = False,
    ) -> tuple[Complaint, str]:
        subject_id = str(complaint_id)
        personal = {"complainant": who, "accused": accused_}
        personal = {k: v for k, v in personal.items() if v}
        sealed = self.keys.encrypt(subject_id, json.dumps(personal, ensure_ascii=False).encode()) if personal else None
        listed = [
            {
                "sha256": self.keys.put_blob(subject_id, f["content"]),
                "filename": check_text(f["filename"], "ชื่อไฟล์", "filename", 200),
                "size": len(f["content"]),
                "media_type": str(f.get("media_type") or "application/octet-stream")[:100],
            }
            for f in files
        ]
        code = new_tracking_code()
        received = self.today()
        due = deadline_from(received, self.rules.answer_days, self.rules.working_days, self.rules.holidays)
        index = Index(self.app.events, complaints_log_id(org_code), ComplaintLogged)
        tracking = Index(self.app.events, tracking_log_id(tracking_hash(code)), ComplaintLogged)
        # The case number is the organisation's intake log's next version: intakes of one organisation take it
        # one at a time under a lock every API process respects, so none is refused and none is skipped.
        # (Should two processes on one SQLite file still meet, the retry below settles it.)
        with hold(self.locks, f"intake/{org_code}"):
            return self._record(index, tracking, complaint_id, org_code, channel_, category_, subject,
                                description, location, listed, sealed, personal, who, accused_role, code,
                                received, due, actor, updates_by_email)  # fmt: skip

    def _record(self, index: Any, tracking: Any, complaint_id: UUID, org_code: str, channel_: Channel,
                category_: Category, subject: str, description: str, location: str, listed: list[Any],
                sealed: str | None, personal: dict[str, Any], who: dict[str, Any], accused_role: str | None,
                code: str, received: date, due: date, actor: dict[str, Any],
                updates_by_email: bool = False) -> tuple[Complaint, str]:  # fmt: skip
        for _ in range(20):
            logged = index.trigger_event(complaint_id=complaint_id)
            complaint = Complaint(
                reference=complaint_id,
                org_code=org_code,
                case_no=f"{be_year(received.year)}/{logged.originator_version:05d}",
                channel=channel_.value,
                category=category_.value,
                anonymous=not who,
                subject=subject,
                description=description,
                location=location,
                attachments=listed,
                personal=sealed,
                personal_fields=sorted(f"{k}.{f}" for k, v in personal.items() for f in v),
                accused_role=accused_role or None,
                tracking_hash=tracking_hash(code),
                received_on=received,
                due_on=due,
                actor=actor,
            )
            if updates_by_email:
                complaint.request_updates()
            try:
                self.app.commit(complaint, logged, tracking.trigger_event(complaint_id=complaint_id))
            except StaleVersion:
                time.sleep(random.uniform(0.005, 0.05))  # noqa: S311 - jitter, not secrecy
                continue
            return complaint, code
        raise StaleVersion("ระบบรับเรื่องไม่ว่าง กรุณาลองใหม่", "intake is busy; retry")

    # -- reads -------------------------------------------------------------------------------

    def get(self, user: User, complaint_id: UUID) -> Complaint:
        complaint = self.app.load(Complaint, complaint_id)
        if not user.may_see(complaint.org_code):
            raise NotFound(f"ไม่พบเรื่องร้องเรียน {complaint_id}", f"complaint {complaint_id} not found")
        return complaint

    def list(self, org_code: str) -> list[Complaint]:
        index = Index(self.app.events, complaints_log_id(org_code), ComplaintLogged)
        return [self.app.load(Complaint, e.complaint_id) for e in index.get()]

    def by_code(self, code: str) -> Complaint:
        if not isinstance(code, str) or not 20 <= len(code) <= 64:
            raise unknown_code()
        code = canonical_tracking_code(code) or code.strip()  # codes issued before the grouped form: as typed
        entry = Index(self.app.events, tracking_log_id(tracking_hash(code)), ComplaintLogged).get_first()
        if entry is None:
            raise unknown_code()
        return self.app.load(Complaint, entry.complaint_id)

    def track(self, code: str) -> dict[str, Any]:
        """What the complainant sees with the code: status and public notices, never personal data."""
        c = self.by_code(code)
        return {
            "case_no": c.case_no,
            "category": c.category.value,
            "subject": c.subject,
            "state": c.state.value,
            "state_th": STATE_THAI[c.state],
            "received_on": c.received_on,
            "due_on": c.due_on,
            "answered_on": c.answered_on,
            "notices": [{"kind": n["kind"], "text": n["text"]} for n in c.notices if n.get("public")],
        }

    def object(self, code: str, reason: str) -> dict[str, Any]:
        complaint = self.by_code(code)
        complaint.object(reason)
        self.app.commit(complaint)
        return self.track(code)

    def update_address(self, complaint_id: UUID) -> str | None:
        """Where a complainant who asked for updates by e-mail is written to (None once their data is erased)."""
        c = self.app.find(Complaint, complaint_id)
        if c is None or not getattr(c, "updates_by_email", False) or not c.personal or c.erased:
            return None
        data = json.loads(self.keys.decrypt(str(c.id), c.personal))
        return (data.get("complainant") or {}).get("email") or None

    def overdue(self, org_code: str) -> list[Complaint]:
        today = self.today()
        return [c for c in self.list(org_code) if c.is_overdue(today)]

    # -- handling ----------------------------------------------------------------------------

    def _for_update(self, user: User, complaint_id: UUID, version: int, command: str) -> Complaint:
        COMPLAINTS.check_role(user, command)
        complaint = self.get(user, complaint_id)
        check_version(complaint, version)
        return complaint

    def _save(self, complaint: Complaint) -> Complaint:
        self.app.commit(complaint)
        return complaint

    def basis(self, user: User, complaint: Complaint, action: Action) -> dict[str, Any]:
        return self.authority.basis(user, complaint.org_code, action, complaint.unit or "", 0)

    def acknowledge(self, user: User, complaint_id: UUID, version: int, text: str) -> Complaint:
        c = self._for_update(user, complaint_id, version, "acknowledge")
        c.acknowledge(user.as_actor(), c.channel.value, text)
        return self._save(c)

    def assign(self, user: User, complaint_id: UUID, version: int, unit: str, officer: str) -> Complaint:
        c = self._for_update(user, complaint_id, version, "assign")
        handler = self.users_get(officer)
        if not handler.may_see(c.org_code) or handler.role not in HANDLERS:
            raise InvalidInput(f"'{officer}' ไม่ใช่บุคลากรของหน่วยงาน", f"'{officer}' is not staff of {c.org_code}")
        c.assign(user.as_actor(), unit, {"username": handler.username, "name": handler.display_name})
        return self._save(c)

    def post_notice(self, user: User, complaint_id: UUID, version: int, text: str, public: bool = True) -> Complaint:
        c = self._for_update(user, complaint_id, version, "notice")
        c.post_notice(user.as_actor(), text, public)
        return self._save(c)

    def explain_delay(self, user: User, complaint_id: UUID, version: int, text: str) -> Complaint:
        c = self._for_update(user, complaint_id, version, "explain-delay")
        c.explain_delay(user.as_actor(), text, self.today())
        return self._save(c)

    def resolve(self, user: User, complaint_id: UUID, version: int, text: str) -> Complaint:
        c = self._for_update(user, complaint_id, version, "resolve")
        c.check_decided_inside()
        c.resolve(user.as_actor(), text, self.today(), lambda: self.basis(user, c, Action.DECIDE_COMPLAINT))
        return self._save(c)

    def reject(self, user: User, complaint_id: UUID, version: int, reason: str, note: str = "") -> Complaint:
        c = self._for_update(user, complaint_id, version, "reject")
        c.reject(user.as_actor(), reason, note, self.today(), lambda: self.basis(user, c, Action.DECIDE_COMPLAINT))
        return self._save(c)

    def refer_outside(self, user: User, complaint_id: UUID, version: int, agency: str, note: str = "") -> Complaint:
        c = self._for_update(user, complaint_id, version, "refer")
        c.refer_outside(user.as_actor(), agency, note, self.today())
        return self._save(c)

    def close(self, user: User, complaint_id: UUID, version: int, note: str = "") -> Complaint:
        c = self._for_update(user, complaint_id, version, "close")
        c.close(user.as_actor(), note)
        return self._save(c)

    # -- the disciplinary track --------------------------------------------------------------

    def _discipline(
        self, user: User, complaint_id: UUID, version: int, command: str, act: Callable[[Complaint, Any], None]
    ) -> Complaint:
        """One step of the misconduct track; every decision is checked by the authority service."""
        c = self._for_update(user, complaint_id, version, command)
        c.check_misconduct()
        c.check_decided_inside()
        act(c, lambda: self.basis(user, c, Action.DECIDE_DISCIPLINE))  # asked only once the step's rules pass
        return self._save(c)

    def discipline(self, user: User, complaint_id: UUID, version: int, step: str, **values: Any) -> Complaint:
        """A step of the track by its name: the catalogue command of that name."""
        return getattr(self, COMPLAINTS[step].handler)(user, complaint_id, version, **values)

    def start_fact_finding(self, user: User, complaint_id: UUID, version: int, officer: str) -> Complaint:
        actor = user.as_actor()
        return self._discipline(user, complaint_id, version, "start-fact-finding",
                                lambda c, basis: c.start_fact_finding(actor, officer, basis))  # fmt: skip

    def conclude_fact_finding(
        self, user: User, complaint_id: UUID, version: int, has_substance: bool, summary: str
    ) -> Complaint:
        actor = user.as_actor()
        return self._discipline(
            user,
            complaint_id,
            version,
            "conclude-fact-finding",
            lambda c, basis: c.conclude_fact_finding(actor, has_substance, summary, basis),
        )

    def open_inquiry(self, user: User, complaint_id: UUID, version: int, level: str, committee: list[str]) -> Complaint:
        actor = user.as_actor()
        return self._discipline(user, complaint_id, version, "open-inquiry",
                                lambda c, basis: c.open_inquiry(actor, level, list(committee), basis))  # fmt: skip

    def record_finding(self, user: User, complaint_id: UUID, version: int, guilty: bool, summary: str) -> Complaint:
        actor = user.as_actor()
        return self._discipline(user, complaint_id, version, "record-finding",
                                lambda c, basis: c.record_finding(actor, guilty, summary, basis))  # fmt: skip

    def decide(self, user: User, complaint_id: UUID, version: int, penalty: str | None = None) -> Complaint:
        actor, today, days = user.as_actor(), self.today(), self.rules.appeal_days
        return self._discipline(user, complaint_id, version, "decide",
                                lambda c, basis: c.decide(actor, penalty, today, days, basis))  # fmt: skip

    def finalise(self, user: User, complaint_id: UUID, version: int, outcome: str) -> Complaint:
        actor, today = user.as_actor(), self.today()
        return self._discipline(user, complaint_id, version, "finalise",
                                lambda c, basis: c.finalise(actor, outcome, today, basis))  # fmt: skip

    def appeal(self, user: User, complaint_id: UUID, version: int, text: str) -> Complaint:
        c = self._for_update(user, complaint_id, version, "appeal")
        c.appeal(user.as_actor(), text, self.today())
        return self._save(c)

    # -- protected identities ----------------------------------------------------------------

    @staticmethod
    def check_may_read_personal(user: User, c: Complaint) -> None:
        """Identities and attachments: the clerk, the executive, auditors, or a handler the record names."""
        if user.role not in IDENTITY_READERS and user.username not in c.disclosed_to:
            raise NotPermitted(
                "ไม่มีสิทธิ์ดูข้อมูลผู้ร้องเรียนหรือไฟล์แนบ (ต้องมีบันทึกเหตุผลการเปิดเผย)",
                "you may not see the identities or attachments in this case unless the record says why",
            )

    def disclose_to(
        self,
        user: User,
        complaint_id: UUID,
        version: int,
        username: str,
        reason: str,
    ) -> Complaint:
        if user.role not in ERASERS:
            raise NotPermitted("เฉพาะปลัดหรือนายกที่อนุญาตให้เปิดเผยตัวตนได้", "only the clerk or executive may disclose")
        c = self.get(user, complaint_id)
        check_version(c, version)
        try:
            handler: User | None = self.users_get(username)
        except NotFound:
            handler = None
        if handler is None or not handler.may_see(c.org_code) or handler.role not in HANDLERS or not handler.active:
            raise InvalidInput(
                f"'{username}' ไม่ใช่ผู้ปฏิบัติงานของหน่วยงาน {c.org_code}",
                f"'{username}' is not an active handler of organisation {c.org_code}",
            )
        c.disclose_identity_to(user.as_actor(), username, reason)
        return self._save(c)

    def identity(self, user: User, complaint_id: UUID, reason: str) -> dict[str, Any]:
        """Decrypt the personal data for a role that needs it; the read itself is recorded."""
        c = self.get(user, complaint_id)
        self.check_may_read_personal(user, c)
        reason = check_text(reason, "เหตุผลการเข้าถึง", "reason for access", 2000)
        if c.erased:
            raise personal_data_erased()
        data = json.loads(self.keys.decrypt(str(c.id), c.personal)) if c.personal else {}
        c.record_read(actor=user.as_actor(), fields=c.personal_fields, reason=reason)
        self.app.commit(c)
        return data

    def attachment(self, user: User, complaint_id: UUID, digest: str, reason: str) -> tuple[dict[str, Any], bytes]:
        c = self.get(user, complaint_id)
        listed = next((a for a in c.attachments if a["sha256"] == digest), None)
        if listed is None:
            raise NotFound("ไม่พบไฟล์แนบ", "no such attachment")
        self.check_may_read_personal(user, c)  # attachments follow the identity's disclosure rules
        content = self.keys.get_blob(str(c.id), digest)
        c.record_read(
            actor=user.as_actor(), fields=[f"attachment.{digest}"], reason=check_text(reason, "เหตุผล", "reason", 2000)
        )
        self.app.commit(c)
        return listed, content

    def erase(self, user: User, complaint_id: UUID, version: int, reason: str) -> Complaint:
        """After the retention period, destroy the case's key: the events stay, the data is gone."""
        if user.role not in ERASERS:
            raise NotPermitted("ไม่มีสิทธิ์ลบข้อมูลส่วนบุคคล", "only the clerk or executive may erase personal data")
        c = self.get(user, complaint_id)
        check_version(c, version)
        if (self.today() - c.received_on).days < self.rules.retention_days:
            raise RuleBroken(
                f"ยังไม่ครบระยะเวลาเก็บรักษา {self.rules.retention_days} วัน",
                f"the retention period of {self.rules.retention_days} days has not passed",
            )
        c.erase(user.as_actor(), reason)
        self.keys.destroy(str(c.id))
        return self._save(c)

    # -- statistics --------------------------------------------------------------------------

    def statistics(
        self, org_code: str, start: date, end: date, at: datetime | None = None, category: Category | None = None
    ) -> dict[str, Any]:
        """Per channel and category; within the promise vs late; median days to answer; open and overdue.

        With ``at``, every case as it stood at that moment (a report's round end): later answers,
        objections or reopenings do not change it.
        """
        if end < start:
            raise InvalidInput("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม", "the period ends before it starts")
        if at is None:
            today, found = self.today(), self.list(org_code)
        else:
            today = business_date(at)
            index = Index(self.app.events, complaints_log_id(org_code), ComplaintLogged)
            found = [c for e in index.get() if (c := self.app.as_of(Complaint, e.complaint_id, at)) is not None]
        cases = [c for c in found if start <= c.received_on <= end and category in (None, c.category)]
        answered = [c for c in cases if c.answered_on is not None]
        days = [(c.answered_on - c.received_on).days for c in answered]

        def count(attr: str, enum: type) -> dict[str, int]:
            return {e.value: sum(1 for c in cases if getattr(c, attr) is e) for e in enum}

        return {
            "org_code": org_code,
            "period": {"from": start.isoformat(), "to": end.isoformat()},
            "received": len(cases),
            "by_channel": count("channel", Channel),
            "by_category": count("category", Category),
            "answered_within_promise": sum(1 for c in answered if c.answered_on <= c.due_on),
            "answered_late": sum(1 for c in answered if c.answered_on > c.due_on),
            "median_days_to_answer": statistics.median(days) if days else None,
            "open": sum(1 for c in cases if c.state in OPEN),
            "overdue": sum(1 for c in cases if c.is_overdue(today)),
            "overdue_explained": sum(1 for c in cases if c.is_overdue(today) and c.delay_explained),
            "referred_outside": sum(1 for c in cases if c.state is State.REFERRED),
            "promise_days": self.rules.answer_days,
        }
