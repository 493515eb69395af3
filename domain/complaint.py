"""Complaints (เรื่องร้องเรียน / ร้องทุกข์): intake, the 15-day promise, and the disciplinary track.

Personal data (the complainant's identity and contact, the accused's identity) never enters an
event in clear: events carry ciphertext under the complaint's own key, kept outside the log, so
destroying the key erases the data while the log and its hash chain stay intact.

Over 400 lines on purpose: each step sits beside the event it records, in the module the stored
topics name; states and the catalogue live in domain/complaint_commands.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEvent, event

from domain.base import ProngsaiAggregate
from domain.complaint_commands import (  # noqa: F401 (re-exported)
    COMPLAINTS,
    OPEN,
    OUTSIDE_ROLES,
    STATE_THAI,
    Penalty,
    RejectReason,
    State,
)
from domain.duties import LazyBasis
from domain.duties import resolve as resolve_basis
from domain.errors import InvalidInput, InvalidTransition, RuleBroken
from domain.shapes import Actor
from domain.values import plain_text

MAX_TEXT = 10_000
MAX_SUBJECT = 300


class Channel(str, Enum):
    WEB = "web"
    PHONE = "phone"
    WALK_IN = "walk_in"
    LETTER = "letter"
    REFERRAL = "referral"


class Category(str, Enum):
    GENERAL = "general"  # ร้องทุกข์ทั่วไป
    MISCONDUCT = "misconduct"  # ทุจริต/ประพฤติมิชอบ (the separate channel)


INTAKE_THAI = {
    Channel.WEB: "เว็บไซต์",
    Channel.PHONE: "โทรศัพท์",
    Channel.WALK_IN: "ยื่นด้วยตนเอง",
    Channel.LETTER: "หนังสือ",
    Channel.REFERRAL: "ส่งต่อจากหน่วยงานอื่น",
}
CATEGORY_THAI = {Category.GENERAL: "ร้องทุกข์ทั่วไป", Category.MISCONDUCT: "ทุจริตและประพฤติมิชอบ"}


MINOR_PENALTIES = {Penalty.REPRIMAND, Penalty.SALARY_CUT, Penalty.STEP_REDUCTION}
SERIOUS_PENALTIES = {Penalty.DISCHARGE, Penalty.DISMISSAL}


def personal_data_erased() -> InvalidTransition:
    return InvalidTransition(
        "ข้อมูลส่วนบุคคลของเรื่องนี้ถูกลบถาวรแล้ว", "the personal data of this case has been erased", erased=True
    )


def check_text(value: str, what_th: str, what_en: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    value = plain_text(value or "").strip()
    if required and not value:
        raise InvalidInput(f"ต้องระบุ{what_th}", f"the {what_en} is required")
    if len(value) > limit:
        raise InvalidInput(
            f"{what_th}ยาวเกิน {limit:,} ตัวอักษร", f"the {what_en} exceeds {limit:,} characters", limit=limit
        )
    return value


def parse_enum(enum: type[Enum], value: str, what_th: str, what_en: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        names = ", ".join(str(e.value) for e in enum)
        raise InvalidInput(f"{what_th}ต้องเป็นหนึ่งใน: {names}", f"{what_en} must be one of: {names}") from None


def deadline_from(received: date, days: int, working_days: bool, holidays: frozenset[date]) -> date:
    """The answer is due ``days`` after receipt: calendar days, or working days skipping weekends
    and the configured holidays."""
    if not working_days:
        return received + timedelta(days=days)
    day, counted = received, 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    return day


class Complaint(ProngsaiAggregate):
    @staticmethod
    def create_id(reference: UUID) -> UUID:
        """Random, chosen before the event (the key and attachments are stored under it first)."""
        return reference

    @event("Received")
    def __init__(
        self,
        reference: UUID,
        org_code: str,
        case_no: str,
        channel: str,
        category: str,
        anonymous: bool,
        subject: str,
        description: str,
        location: str,
        attachments: list[dict[str, Any]],
        personal: str | None,
        personal_fields: list[str],
        accused_role: str | None,
        tracking_hash: str,
        received_on: date,
        due_on: date,
        actor: Actor,
    ) -> None:
        self.org_code = org_code
        self.case_no = case_no
        self.channel = Channel(channel)
        self.category = Category(category)
        self.anonymous = anonymous
        self.subject = subject
        self.description = description
        self.location = location
        self.attachments = attachments
        self.personal = personal  # ciphertext (base64) under the complaint's key, or None
        self.personal_fields = personal_fields
        self.accused_role = accused_role
        self.tracking_hash = tracking_hash
        self.received_on = received_on
        self.due_on = due_on
        self.state = State.RECEIVED
        self.unit: str | None = None
        self.officer: dict[str, Any] | None = None
        self.notices: list[dict[str, Any]] = []
        self.answer: dict[str, Any] | None = None
        self.answered_on: date | None = None
        self.delay_explained = False
        self.disclosed_to: list[str] = []
        self.erased = False
        self.discipline: dict[str, Any] = {"stage": None}
        self.referral: dict[str, Any] | None = None
        self.updates_by_email = False

    @event("UpdatesRequested")
    def request_updates(self) -> None:
        """The complainant asked to be told of each step by e-mail (the address is in their sealed data)."""
        self.updates_by_email = True

    # -- rules -------------------------------------------------------------------------------

    def check_state(self, *allowed: State, action_th: str, action_en: str) -> None:
        if self.state not in allowed:
            raise InvalidTransition(
                f"ไม่สามารถ{action_th}ขณะสถานะเป็น '{STATE_THAI[self.state]}'",
                f"cannot {action_en} while the complaint is {self.state.value}",
            )

    def authority_target(self) -> tuple[str, int]:
        """A decision on a complaint is an exercise of power over its unit (no amount)."""
        return self.unit or "", 0

    def is_overdue(self, today: date) -> bool:
        return self.answered_on is None and self.state in OPEN and today > self.due_on

    def check_decided_inside(self) -> None:
        if self.accused_role in OUTSIDE_ROLES:
            raise RuleBroken(
                "เรื่องร้องเรียนผู้บริหารหรือสมาชิกสภาต้องส่งต่อหน่วยงานภายนอก ไม่วินิจฉัยภายใน",
                "complaints against the executive or councillors are referred outside, never decided inside",
            )

    def check_misconduct(self) -> None:
        if self.category is not Category.MISCONDUCT:
            raise InvalidTransition(
                "ขั้นตอนทางวินัยใช้กับเรื่องทุจริต/ประพฤติมิชอบเท่านั้น",
                "the disciplinary track applies to misconduct complaints only",
            )

    # -- the general life --------------------------------------------------------------------

    def acknowledge(self, actor: Actor, via: str, text: str) -> None:
        COMPLAINTS.check_state(self, "acknowledge")
        self._acknowledge(actor=actor, via=via, text=check_text(text, "ข้อความตอบรับ", "acknowledgement text"))

    @event("Acknowledged")
    def _acknowledge(self, actor: Actor, via: str, text: str) -> None:
        self.state = State.ACKNOWLEDGED
        self.notices.append({"kind": "acknowledgement", "text": text, "via": via, "public": True})

    def assign(self, actor: Actor, unit: str, officer: dict[str, Any]) -> None:
        COMPLAINTS.check_state(self, "assign")
        self._assign(actor=actor, unit=check_text(unit, "หน่วยงาน", "unit", 200), officer=officer)

    @event("Assigned")
    def _assign(self, actor: Actor, unit: str, officer: dict[str, Any]) -> None:
        self.state = State.ASSIGNED
        self.unit = unit
        self.officer = officer

    def post_notice(self, actor: Actor, text: str, public: bool) -> None:
        COMPLAINTS.check_state(self, "notice")
        self._notice(actor=actor, text=check_text(text, "ข้อความ", "notice text"), public=public)

    @event("ProgressNoticed")
    def _notice(self, actor: Actor, text: str, public: bool) -> None:
        self.state = State.IN_PROGRESS
        self.notices.append({"kind": "progress", "text": text, "public": public})

    def explain_delay(self, actor: Actor, text: str, today: date) -> None:
        COMPLAINTS.check_state(self, "explain-delay")
        if today <= self.due_on:
            raise InvalidTransition(
                "ยังไม่เกินกำหนด 15 วัน ไม่ต้องชี้แจง", "the answer is not yet overdue; no explanation is due"
            )
        self._explain(actor=actor, text=check_text(text, "คำชี้แจง", "explanation"))

    @event("DelayExplained")
    def _explain(self, actor: Actor, text: str) -> None:
        self.delay_explained = True
        self.notices.append({"kind": "delay-explanation", "text": text, "public": True})

    def resolve(self, actor: Actor, answer: str, today: date, basis: LazyBasis) -> None:
        COMPLAINTS.check_state(self, "resolve")
        self.check_decided_inside()
        if self.category is Category.MISCONDUCT and self.discipline["stage"] not in ("final", "no_substance"):
            raise InvalidTransition(
                "เรื่องทุจริตต้องผ่านการสืบสวนข้อเท็จจริง/วินัยจนถึงที่สุดก่อนตอบผล",
                "a misconduct complaint is answered after fact-finding or a final disciplinary decision",
            )
        self._resolve(
            actor=actor, answer=check_text(answer, "คำตอบ", "answer"), answered_on=today, basis=resolve_basis(basis)
        )

    @event("Resolved")
    def _resolve(self, actor: Actor, answer: str, answered_on: date, basis: dict[str, Any]) -> None:
        self.state = State.RESOLVED
        self.answer = {"text": answer, "basis": basis}
        self.answered_on = answered_on
        self.notices.append({"kind": "answer", "text": answer, "public": True})

    def reject(self, actor: Actor, reason: str, note: str, today: date, basis: LazyBasis) -> None:
        COMPLAINTS.check_state(self, "reject")
        code = parse_enum(RejectReason, reason, "เหตุผล", "reason")
        self._reject(actor=actor, reason=code.value, note=check_text(note, "คำอธิบาย", "note", required=False),
                     answered_on=today, basis=resolve_basis(basis))  # fmt: skip

    @event("Rejected")
    def _reject(self, actor: Actor, reason: str, note: str, answered_on: date, basis: dict[str, Any]) -> None:
        self.state = State.REJECTED
        self.answer = {"rejected": reason, "text": note, "basis": basis}
        self.answered_on = answered_on
        self.notices.append({"kind": "rejection", "text": note or reason, "public": True})

    def refer_outside(self, actor: Actor, agency: str, note: str, today: date) -> None:
        COMPLAINTS.check_state(self, "refer")
        self._refer(actor=actor, agency=check_text(agency, "หน่วยงานที่ส่งต่อ", "agency", 300),
                    note=check_text(note, "หมายเหตุ", "note", required=False), answered_on=today)  # fmt: skip

    @event("ReferredOutside")
    def _refer(self, actor: Actor, agency: str, note: str, answered_on: date) -> None:
        self.state = State.REFERRED
        self.referral = {"agency": agency, "note": note}
        self.answered_on = answered_on
        self.notices.append({"kind": "referral", "text": f"ส่งเรื่องให้ {agency}", "public": True})

    def close(self, actor: Actor, note: str) -> None:
        COMPLAINTS.check_state(self, "close")
        self._close(actor=actor, note=check_text(note, "หมายเหตุ", "note", required=False))

    @event("Closed")
    def _close(self, actor: Actor, note: str) -> None:
        self.state = State.CLOSED

    def object(self, reason: str) -> None:
        """The complainant objects to the answer (through the tracking code): the case reopens."""
        self.check_state(State.RESOLVED, State.REJECTED, State.CLOSED, action_th="คัดค้าน", action_en="object to")
        self._reopen(reason=check_text(reason, "เหตุผลการคัดค้าน", "objection", 4000))

    @event("Reopened")
    def _reopen(self, reason: str) -> None:
        self.state = State.IN_PROGRESS
        self.answered_on = None
        self.notices.append({"kind": "objection", "text": reason, "public": True})

    # -- protected identities ----------------------------------------------------------------

    def disclose_identity_to(self, actor: Actor, username: str, reason: str) -> None:
        """Record why the handling officer may see the complainant's identity."""
        self._disclose(actor=actor, username=username, reason=check_text(reason, "เหตุผล", "reason", 2000))

    @event("IdentityDisclosed")
    def _disclose(self, actor: Actor, username: str, reason: str) -> None:
        self.disclosed_to.append(username)

    @event("PersonalDataRead")
    def record_read(self, actor: Actor, fields: list[str], reason: str) -> None:
        """Every read of the personal data is itself an event: who looked, when, why."""

    def erase(self, actor: Actor, reason: str) -> None:
        if self.erased:
            raise InvalidTransition("ลบข้อมูลส่วนบุคคลแล้ว", "the personal data is already erased")
        self._erase(actor=actor, reason=check_text(reason, "เหตุผล", "reason", 2000))

    @event("PersonalDataErased")
    def _erase(self, actor: Actor, reason: str) -> None:
        self.erased = True

    # -- the disciplinary track (misconduct) ------------------------------------------------

    def start_fact_finding(self, actor: Actor, officer: str, basis: LazyBasis) -> None:
        self.check_misconduct()
        self.check_decided_inside()
        COMPLAINTS.check_state(self, "start-fact-finding")
        self._fact_finding(
            actor=actor, officer=check_text(officer, "ผู้สืบสวน", "fact-finder", 200), basis=resolve_basis(basis)
        )

    @event("FactFindingStarted")
    def _fact_finding(self, actor: Actor, officer: str, basis: dict[str, Any]) -> None:
        self.state = State.IN_PROGRESS
        self.discipline = {**self.discipline, "stage": "fact_finding", "fact_finder": officer}

    def conclude_fact_finding(self, actor: Actor, has_substance: bool, summary: str, basis: LazyBasis) -> None:
        COMPLAINTS.check_state(self, "conclude-fact-finding")
        self._fact_found(actor=actor, has_substance=has_substance,
                         summary=check_text(summary, "สรุปผล", "summary"), basis=resolve_basis(basis))  # fmt: skip

    @event("FactFindingConcluded")
    def _fact_found(self, actor: Actor, has_substance: bool, summary: str, basis: dict[str, Any]) -> None:
        stage = "substance" if has_substance else "no_substance"
        self.discipline = {**self.discipline, "stage": stage, "fact_finding": summary}

    def open_inquiry(self, actor: Actor, level: str, committee: list[str], basis: LazyBasis) -> None:
        COMPLAINTS.check_state(self, "open-inquiry")
        if level not in ("minor", "serious"):
            raise InvalidInput("ระดับต้องเป็น minor หรือ serious", "level must be minor or serious")
        members = [check_text(m, "กรรมการ", "committee member", 200) for m in committee]
        if len(members) < 3:
            raise InvalidInput("คณะกรรมการสอบสวนต้องมีอย่างน้อย 3 คน", "an inquiry committee needs at least 3 members")
        self._inquiry(actor=actor, level=level, committee=members, basis=resolve_basis(basis))

    @event("InquiryOpened")
    def _inquiry(self, actor: Actor, level: str, committee: list[str], basis: dict[str, Any]) -> None:
        self.discipline = {**self.discipline, "stage": "inquiry", "level": level, "committee": committee}

    def record_finding(self, actor: Actor, guilty: bool, summary: str, basis: LazyBasis) -> None:
        COMPLAINTS.check_state(self, "record-finding")
        self._finding(
            actor=actor,
            guilty=guilty,
            summary=check_text(summary, "ผลการสอบสวน", "finding"),
            basis=resolve_basis(basis),
        )

    @event("FindingRecorded")
    def _finding(self, actor: Actor, guilty: bool, summary: str, basis: dict[str, Any]) -> None:
        self.discipline = {**self.discipline, "stage": "found_guilty" if guilty else "found_not_guilty",
                           "finding": summary}  # fmt: skip

    def decide(self, actor: Actor, penalty: str | None, today: date, appeal_days: int, basis: LazyBasis) -> None:
        """A penalty (after a guilty finding) or dismissal of the charge; the appeal window opens."""
        COMPLAINTS.check_state(self, "decide")
        if self.discipline["stage"] == "found_not_guilty" and penalty is not None:
            raise RuleBroken("ผลการสอบสวนไม่มีความผิด ลงโทษไม่ได้", "no penalty after a not-guilty finding")
        if self.discipline["stage"] == "found_guilty":
            if penalty is None:
                raise InvalidInput("ต้องระบุโทษ", "a penalty is required after a guilty finding")
            kind = parse_enum(Penalty, penalty, "โทษ", "penalty")
            allowed = MINOR_PENALTIES if self.discipline["level"] == "minor" else SERIOUS_PENALTIES
            if kind not in allowed:
                raise RuleBroken(
                    "โทษไม่ตรงกับระดับความผิด (ไม่ร้ายแรง: ภาคทัณฑ์ ตัดเงินเดือน ลดขั้นเงินเดือน; ร้ายแรง: ปลดออก ไล่ออก)",
                    f"penalty '{kind.value}' does not match a {self.discipline['level']} inquiry",
                )
        self._decide(
            actor=actor, penalty=penalty, appeal_until=today + timedelta(days=appeal_days), basis=resolve_basis(basis)
        )

    @event("DisciplinaryDecision")
    def _decide(self, actor: Actor, penalty: str | None, appeal_until: date, basis: dict[str, Any]) -> None:
        self.discipline = {**self.discipline, "stage": "appeal_window", "penalty": penalty,
                           "appeal_until": appeal_until}  # fmt: skip

    def appeal(self, actor: Actor, text: str, today: date) -> None:
        COMPLAINTS.check_state(self, "appeal")
        if today > self.discipline["appeal_until"]:
            raise RuleBroken("พ้นกำหนดอุทธรณ์แล้ว", "the appeal window has closed")
        self._appeal(actor=actor, text=check_text(text, "คำอุทธรณ์", "appeal"))

    @event("Appealed")
    def _appeal(self, actor: Actor, text: str) -> None:
        self.discipline = {**self.discipline, "stage": "appealed", "appeal": text}

    def finalise(self, actor: Actor, outcome: str, today: date, basis: LazyBasis) -> None:
        COMPLAINTS.check_state(self, "finalise")
        if self.discipline["stage"] == "appeal_window" and today <= self.discipline["appeal_until"]:
            raise RuleBroken("ยังอยู่ในระยะเวลาอุทธรณ์", "the appeal window is still open")
        self._final(actor=actor, outcome=check_text(outcome, "ผลที่สุด", "outcome"), basis=resolve_basis(basis))

    @event("DisciplineFinal")
    def _final(self, actor: Actor, outcome: str, basis: dict[str, Any]) -> None:
        self.discipline = {**self.discipline, "stage": "final", "outcome": outcome}


class ComplaintLogged(DomainEvent):
    """Index entry of an organisation's complaints; its position is the case number's sequence."""

    complaint_id: UUID


class TrackingIndexed(DomainEvent):
    """Maps the hash of a tracking code to its complaint (the code itself is never stored)."""

    complaint_id: UUID
