"""The catalogue of commands on a complaint's general life (the disciplinary track: application/complaints.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from domain.catalogue import DESK, Catalogue, Command, choice, flag, text
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
    officer: str = text("ผู้รับผิดชอบ (ชื่อผู้ใช้)", "Officer (username)", max_length=100)


@dataclass(frozen=True, kw_only=True)
class NoticeInput:
    text: str = text("ความคืบหน้า", "Progress", max_length=10_000, lines=3)
    public: bool = flag("แสดงต่อผู้ร้อง", "Shown to the complainant", default=True)


@dataclass(frozen=True, kw_only=True)
class RejectInput:
    reason: RejectReason = choice("เหตุที่ไม่รับพิจารณา", "Reason for not considering it", labels=REJECT_THAI)
    note: str = text("หมายเหตุ", "Note", required=False)


@dataclass(frozen=True, kw_only=True)
class ReferInput:
    agency: str = text("หน่วยงานที่ส่งต่อ", "Agency referred to", max_length=300)
    note: str = text("หมายเหตุ", "Note", required=False)


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
                description="A decision: the authority service checks the power to decide complaints."),
        Command("reject", "ไม่รับพิจารณา", "Reject", DESK, OPEN, RejectInput, "reject"),
        Command("refer", "ส่งต่อหน่วยงานภายนอก", "Refer outside", DESK, OPEN, ReferInput, "refer_outside"),
        Command("close", "ยุติเรื่อง", "Close", DESK, ANSWERED, Note, "close"),
    ),
)  # fmt: skip
