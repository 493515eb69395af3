"""The catalogue of commands on a complaint's general life (the disciplinary track: application/complaints.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from domain.catalogue import (
    DESK,
    EXECUTIVE_OFFICE,
    Catalogue,
    Command,
    Condition,
    choice,
    every_state,
    flag,
    names,
    person,
    text,
)
from domain.delegation_commands import Action
from domain.values import Note


class State(str, Enum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    REFERRED = "referred"
    CLOSED = "closed"


STATE_THAI = {
    State.RECEIVED: "รับเรื่องแล้ว",
    State.ACKNOWLEDGED: "แจ้งตอบรับแล้ว",
    State.ASSIGNED: "มอบหมายผู้รับผิดชอบแล้ว",
    State.IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
    State.RESOLVED: "ตอบผลการดำเนินการแล้ว",
    State.REJECTED: "ไม่รับพิจารณา",
    State.REFERRED: "ส่งต่อหน่วยงานภายนอก",
    State.CLOSED: "ยุติเรื่อง",
}


class RejectReason(str, Enum):
    OUTSIDE_POWERS = "outside_powers"
    DUPLICATE = "duplicate"
    INSUFFICIENT_DETAIL = "insufficient_detail"


class Penalty(str, Enum):
    REPRIMAND = "reprimand"  # ภาคทัณฑ์ (minor)
    SALARY_CUT = "salary_cut"  # ตัดเงินเดือน (minor)
    STEP_REDUCTION = "step_reduction"  # ลดขั้นเงินเดือน (minor)
    DISCHARGE = "discharge"  # ปลดออก (serious)
    DISMISSAL = "dismissal"  # ไล่ออก (serious)


PENALTY_THAI = {
    Penalty.REPRIMAND: "ภาคทัณฑ์",
    Penalty.SALARY_CUT: "ตัดเงินเดือน",
    Penalty.STEP_REDUCTION: "ลดขั้นเงินเดือน",
    Penalty.DISCHARGE: "ปลดออก",
    Penalty.DISMISSAL: "ไล่ออก",
}


class InquiryLevel(str, Enum):
    MINOR = "minor"  # วินัยไม่ร้ายแรง
    SERIOUS = "serious"  # วินัยร้ายแรง


LEVEL_THAI = {InquiryLevel.MINOR: "วินัยไม่ร้ายแรง", InquiryLevel.SERIOUS: "วินัยร้ายแรง"}
OUTSIDE_ROLES = {"executive", "council"}  # complaints against them are referred outside, never decided inside
OPEN = frozenset({State.RECEIVED, State.ACKNOWLEDGED, State.ASSIGNED, State.IN_PROGRESS})
ANSWERED = frozenset({State.RESOLVED, State.REJECTED, State.REFERRED})
REJECT_THAI = {
    RejectReason.OUTSIDE_POWERS: "อยู่นอกอำนาจหน้าที่",
    RejectReason.DUPLICATE: "เรื่องซ้ำ",
    RejectReason.INSUFFICIENT_DETAIL: "รายละเอียดไม่เพียงพอ",
}


@dataclass(frozen=True, kw_only=True)
class TextInput:
    text: str = text("ข้อความ", "Text", max_length=10_000, lines=3)


@dataclass(frozen=True, kw_only=True)
class AnswerInput:
    text: str = text("ผลการดำเนินการที่แจ้งผู้ร้อง", "The answer given to the complainant", max_length=10_000, lines=4)


@dataclass(frozen=True, kw_only=True)
class AssignInput:
    unit: str = text("หน่วยงานที่รับผิดชอบ", "Responsible unit", max_length=200)
    officer: str = person("ผู้รับผิดชอบ", "Officer")


@dataclass(frozen=True, kw_only=True)
class NoticeInput:
    text: str = text("ความคืบหน้า", "Progress", max_length=10_000, lines=3)
    public: bool = flag("แสดงต่อผู้ร้อง", "Shown to the complainant", default=True)


@dataclass(frozen=True, kw_only=True)
class RejectInput:
    reason: RejectReason = choice("เหตุที่ไม่รับพิจารณา", "Reason for not considering it", labels=REJECT_THAI)
    note: str = text("หมายเหตุ", "Note", required=False)


@dataclass(frozen=True, kw_only=True)
class DiscloseInput:
    username: str = person("เจ้าหน้าที่ผู้รับผิดชอบที่จะเห็นตัวผู้ร้อง", "The handling officer who may see the identity")
    reason: str = text("เหตุผลที่ต้องเปิดเผย", "Why they need it", max_length=2000, lines=2)


@dataclass(frozen=True, kw_only=True)
class ReasonInput:
    reason: str = text("เหตุผล", "Reason", max_length=2000, lines=2)


# Only a case that keeps a sealed identity has one to disclose or erase.
SEALED = Condition(lambda c: bool(c.personal) and not c.erased, "ไม่มีข้อมูลผู้ร้องที่ปิดไว้ (ไม่ระบุตัวตนหรือลบแล้ว)",
                   "there is no sealed identity (anonymous or erased)")  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class ReferInput:
    agency: str = text("หน่วยงานที่ส่งต่อ", "Agency referred to", max_length=300)
    note: str = text("หมายเหตุ", "Note", required=False)


@dataclass(frozen=True, kw_only=True)
class FactFindingInput:
    officer: str = text("ผู้สืบสวนข้อเท็จจริง", "Fact-finder", max_length=200)


@dataclass(frozen=True, kw_only=True)
class FactFoundInput:
    has_substance: bool = flag("มีมูล", "Has substance")
    summary: str = text("สรุปผลการสืบสวน", "Summary of the fact-finding", max_length=10_000, lines=4)


@dataclass(frozen=True, kw_only=True)
class InquiryInput:
    level: InquiryLevel = choice("ระดับความผิด", "Level", labels=LEVEL_THAI)
    committee: list[str] = names("คณะกรรมการสอบสวน (อย่างน้อย 3 คน คั่นด้วย ,)", "Committee (at least 3, by commas)",
                                 max_items=20)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class FindingInput:
    guilty: bool = flag("ผิดวินัย", "Guilty")
    summary: str = text("ผลการสอบสวน", "Finding", max_length=10_000, lines=4)


@dataclass(frozen=True, kw_only=True)
class DecisionInput:
    penalty: Penalty | None = choice("โทษ (เว้นว่างเมื่อไม่ผิด)", "Penalty (none when not guilty)", labels=PENALTY_THAI,
                                     default=None)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class AppealInput:
    text: str = text("คำอุทธรณ์", "Appeal", max_length=10_000, lines=4)


@dataclass(frozen=True, kw_only=True)
class FinalInput:
    outcome: str = text("ผลที่สุด", "Final outcome", max_length=4000, lines=3)


def at_stage(*stages: str | None) -> Condition:
    """The disciplinary track of a misconduct complaint decided inside, at one of these stages."""

    def holds(c: Any) -> bool:
        inside = c.category.value == "misconduct" and c.accused_role not in OUTSIDE_ROLES
        return inside and c.discipline["stage"] in stages

    named = ", ".join(str(s) for s in stages)
    return Condition(holds, f"ไม่อยู่ในขั้นตอนวินัยที่ทำได้ ({named})", f"not at a disciplinary stage that allows it ({named})")


DISCIPLINE = "A disciplinary decision: the authority service checks the power to decide discipline."
ANY_STATE = frozenset(State)

COMPLAINTS = Catalogue(
    aggregate="complaint",
    th="เรื่องร้องเรียน",
    state_of=lambda c: c.state,
    state_label=lambda s: STATE_THAI[s],
    commands=(
        Command("acknowledge", "แจ้งตอบรับ", "Acknowledge", DESK, frozenset({State.RECEIVED}), TextInput, "acknowledge"),
        Command("assign", "มอบหมาย", "Assign", DESK, frozenset({State.RECEIVED, State.ACKNOWLEDGED, State.ASSIGNED}),
                AssignInput, "assign"),
        Command("notice", "แจ้งความคืบหน้า", "Post a progress notice", DESK,
                frozenset({State.ASSIGNED, State.IN_PROGRESS}), NoticeInput, "post_notice",
                route="notices"),
        Command("explain-delay", "ชี้แจงความล่าช้า", "Explain a delay", DESK, OPEN, TextInput, "explain_delay"),
        Command("resolve", "ตอบผล", "Resolve", DESK, OPEN, AnswerInput, "resolve",
                description="A decision: the authority service checks the power to decide complaints.",
                power=Action.DECIDE_COMPLAINT),
        Command("reject", "ไม่รับพิจารณา", "Reject", DESK, OPEN, RejectInput, "reject", power=Action.DECIDE_COMPLAINT),
        Command("refer", "ส่งต่อหน่วยงานภายนอก", "Refer outside", DESK, OPEN, ReferInput, "refer_outside"),
        Command("close", "ยุติเรื่อง", "Close", DESK, ANSWERED, Note, "close"),
        Command("start-fact-finding", "สืบสวนข้อเท็จจริง", "Start fact-finding", DESK, OPEN, FactFindingInput,
                "start_fact_finding", route="discipline/start-fact-finding", unless=at_stage(None),
                description=DISCIPLINE, power=Action.DECIDE_DISCIPLINE),
        Command("conclude-fact-finding", "สรุปผลการสืบสวน", "Conclude the fact-finding", DESK, ANY_STATE,
                FactFoundInput, "conclude_fact_finding", route="discipline/conclude-fact-finding",
                unless=at_stage("fact_finding"), description=DISCIPLINE, power=Action.DECIDE_DISCIPLINE),
        Command("open-inquiry", "ตั้งคณะกรรมการสอบสวน", "Open an inquiry", DESK, ANY_STATE, InquiryInput,
                "open_inquiry", route="discipline/open-inquiry", unless=at_stage("substance"),
                description=DISCIPLINE, power=Action.DECIDE_DISCIPLINE),
        Command("record-finding", "บันทึกผลการสอบสวน", "Record the finding", DESK, ANY_STATE, FindingInput,
                "record_finding", route="discipline/record-finding", unless=at_stage("inquiry"),
                description=DISCIPLINE, power=Action.DECIDE_DISCIPLINE),
        Command("decide", "สั่งลงโทษหรือยกข้อกล่าวหา", "Decide", DESK, ANY_STATE, DecisionInput, "decide",
                route="discipline/decide", unless=at_stage("found_guilty", "found_not_guilty"),
                description=DISCIPLINE, power=Action.DECIDE_DISCIPLINE),
        Command("appeal", "บันทึกคำอุทธรณ์", "Record an appeal", DESK, ANY_STATE, AppealInput, "appeal",
                route="discipline/appeal", unless=at_stage("appeal_window")),
        Command("finalise", "ยุติขั้นตอนทางวินัย", "Finalise the disciplinary track", DESK, ANY_STATE, FinalInput,
                "finalise", route="discipline/finalise", unless=at_stage("appeal_window", "appealed"),
                description=DISCIPLINE, power=Action.DECIDE_DISCIPLINE),
        Command("disclose", "อนุญาตให้เจ้าหน้าที่เห็นตัวผู้ร้อง", "Disclose the identity to a handler", EXECUTIVE_OFFICE,
                every_state(State), DiscloseInput, "disclose_to", route="identity/disclose", unless=SEALED,
                description="Recorded with its reason; the officer may then read the identity, each read recorded."),
        Command("erase", "ลบข้อมูลส่วนบุคคล (พ้นระยะเวลาเก็บรักษา)", "Erase the personal data (after retention)",
                EXECUTIVE_OFFICE, every_state(State), ReasonInput, "erase", unless=SEALED,
                description="Destroys the case's key: the events stay, the personal data is gone."),
    ),
)  # fmt: skip
