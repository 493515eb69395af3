"""Delegation orders' and acting records' states, powers and catalogues of commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from domain.catalogue import (
    DESK,
    EXECUTIVE_OFFICE,
    MANAGERS,
    SENIOR,
    Catalogue,
    Command,
    Creation,
    choice,
    day,
    flag,
    group,
    money,
    month,
    names,
    person,
    text,
    whole,
)
from domain.values import NoInput


class Power(str, Enum):
    ORDER = "order"  # สั่ง
    PERMIT = "permit"  # อนุญาต
    APPROVE = "approve"  # อนุมัติ
    ACT_ON_BEHALF = "act_on_behalf"  # ปฏิบัติราชการแทน


POWER_THAI = {
    Power.ORDER: "สั่งการ",
    Power.PERMIT: "อนุญาต",
    Power.APPROVE: "อนุมัติ",
    Power.ACT_ON_BEHALF: "ปฏิบัติราชการแทน",
}


class Action(str, Enum):
    """What a power is exercised on; every approval-type command names one."""

    APPROVE_MEASURE = "approve-measure"
    APPROVE_DISBURSEMENT = "approve-disbursement"
    SIGN_PROCUREMENT_NOTICE = "sign-procurement-notice"
    DECIDE_COMPLAINT = "decide-complaint"
    DECIDE_DISCIPLINE = "decide-discipline"
    # Signing a record that gives power (an order, a sub-delegation, an amendment, a revocation, an
    # acting appointment). Held by the executive's position (or whoever acts in it); never delegable.
    CONFER_POWER = "confer-power"


ACTION_THAI = {
    Action.APPROVE_MEASURE: "อนุมัติโครงการ/กิจกรรมตามแผน",
    Action.APPROVE_DISBURSEMENT: "อนุมัติเบิกจ่ายเงิน",
    Action.SIGN_PROCUREMENT_NOTICE: "ลงนามประกาศจัดซื้อจัดจ้าง",
    Action.DECIDE_COMPLAINT: "วินิจฉัยเรื่องร้องเรียน",
    Action.DECIDE_DISCIPLINE: "สั่งการทางวินัย",
    Action.CONFER_POWER: "ลงนามคำสั่งมอบอำนาจหรือแต่งตั้งผู้รักษาราชการแทน",
}


class DelegationStatus(str, Enum):
    DRAFTED = "drafted"
    ISSUED = "issued"
    CIRCULATED = "circulated"
    PUBLISHED = "published"
    REVOKED = "revoked"


IN_FORCE = (DelegationStatus.ISSUED, DelegationStatus.CIRCULATED, DelegationStatus.PUBLISHED)


STATUS_THAI = {
    DelegationStatus.DRAFTED: "ร่าง (ยังไม่ลงนาม)",
    DelegationStatus.ISSUED: "ลงนามแล้ว",
    DelegationStatus.CIRCULATED: "แจ้งเวียนแล้ว",
    DelegationStatus.PUBLISHED: "เผยแพร่ต่อสาธารณะแล้ว",
    DelegationStatus.REVOKED: "เพิกถอนแล้ว",
}


class ActingStage(str, Enum):
    DRAFTED = "drafted"  # confers nothing yet
    SIGNED = "signed"
    ENDED = "ended"  # ended early by a recorded act


ACTING_THAI = {ActingStage.DRAFTED: "ร่าง (ยังไม่ลงนาม)", ActingStage.SIGNED: "ลงนามแล้ว", ActingStage.ENDED: "สิ้นสุดแล้ว"}

# -- typed inputs ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Scope:
    """One power the order gives, over one action, for one unit (``*``: every unit), up to a ceiling."""

    power: Power = choice("อำนาจ", "Power", labels=POWER_THAI)
    action: Action = choice("เรื่อง", "Action", labels=ACTION_THAI)
    unit: str = text("หน่วยงาน (* = ทุกหน่วยงาน)", "Unit (* = every unit)", max_length=200)
    ceiling_satang: int | None = money("วงเงินสูงสุด (บาท)", "Ceiling (baht)", required=False, minimum=0)


@dataclass(frozen=True, kw_only=True)
class SignInput:
    backdate_reason: str = text("เหตุผลที่มีผลย้อนหลัง (ถ้ามี)", "Reason for taking effect in the past (if so)",
                                required=False, max_length=2000)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class CirculateInput:
    recipients: list[str] = names("ผู้รับแจ้งเวียน (คั่นด้วย ,)", "Recipients (separated by commas)")


@dataclass(frozen=True, kw_only=True)
class AcknowledgeInput:
    unit: str = text("หน่วยงานที่รับทราบ", "Unit acknowledging", max_length=300)


@dataclass(frozen=True, kw_only=True)
class AmendInput:
    scopes: list[Scope] = group("ขอบเขตอำนาจใหม่", "New scopes", many=True)
    effective_from: date = day("มีผลตั้งแต่", "Effective from")
    note: str = text("หมายเหตุ (จำเป็นเมื่อมีผลย้อนหลัง)", "Note (required when it takes effect in the past)",
                     required=False, max_length=2000)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class RevokeInput:
    reason: str = text("เหตุผล", "Reason", max_length=2000, lines=3)


@dataclass(frozen=True, kw_only=True)
class MonthlyReportInput:
    month: str = month("เดือนที่รายงาน", "Month reported")
    summary: str = text("สรุปผล", "Summary", max_length=4000, lines=3)
    actions_count: int = whole("จำนวนครั้งที่ใช้อำนาจ", "Times the power was used", minimum=0)


@dataclass(frozen=True, kw_only=True)
class DraftInput:
    """A delegation order as drafted; it confers nothing until the delegator signs it."""

    order_no: str = text("เลขที่คำสั่ง", "Order number", max_length=50)
    order_date: date = day("ลงวันที่", "Order date")
    delegator: str = person("ผู้มอบอำนาจ", "Delegator")
    delegate: str = person("ผู้รับมอบอำนาจ", "Delegate")
    scopes: list[Scope] = group("ขอบเขตอำนาจ (กรอกอย่างน้อยหนึ่งแถว)", "Scopes (fill in at least one row)", many=True)
    valid_from: date = day("มีผลตั้งแต่", "Valid from")
    valid_until: date | None = day("สิ้นสุด (ถ้ามี)", "Valid until (if any)", required=False)
    sub_delegation_allowed: bool = flag("มอบอำนาจช่วงต่อได้", "May sub-delegate")
    parent_order_no: str = text("เลขที่คำสั่งเดิม (เมื่อเป็นการมอบอำนาจช่วง)", "Parent order (for a sub-delegation)",
                                required=False, max_length=50)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class ActingDraftInput:
    """Who acts in whose office, from when; it confers nothing until whoever holds the power signs it."""

    order_no: str = text("เลขที่คำสั่ง", "Order number", max_length=50)
    acting: str = person("ผู้รักษาราชการแทน", "Acting holder")
    holder: str = person("ผู้ดำรงตำแหน่ง (ที่ไม่อยู่)", "Office holder (absent)")
    start_day: date = day("เริ่มวันที่", "From")
    start_time: str = text("เวลาเริ่ม (ชั่วโมง:นาที, ว่าง = ต้นวัน)", "Start time (HH:MM; empty: start of day)",
                           required=False, max_length=5)  # fmt: skip
    end_day: date | None = day("ถึงวันที่ (ถ้าทราบ)", "Until (if known)", required=False)
    reason: str = text("เหตุ (เช่น ไปราชการ ลาพักผ่อน)", "Reason (e.g. official travel, leave)", required=False,
                       lines=2)  # fmt: skip


# -- the catalogues ----------------------------------------------------------------------------

DELEGATIONS = Catalogue(
    aggregate="delegation",
    th="คำสั่งมอบอำนาจ",
    state_of=lambda d: d.status,
    state_label=lambda s: STATUS_THAI[s],
    commands=(
        Command("issue", "ลงนามคำสั่ง", "Sign the order", MANAGERS, frozenset({DelegationStatus.DRAFTED}), SignInput,
                "issue", description="Only the delegator, holding the power to confer power; never the drafter.",
                power=Action.CONFER_POWER, proposers=lambda d: (d.drafted_by,)),
        Command("circulate", "แจ้งเวียน", "Circulate", SENIOR, frozenset({DelegationStatus.ISSUED}), CirculateInput,
                "circulate"),
        Command("acknowledge", "รับทราบคำสั่ง", "Acknowledge receipt", DESK,
                frozenset({DelegationStatus.CIRCULATED, DelegationStatus.PUBLISHED}), AcknowledgeInput, "acknowledge"),
        Command("publish", "เผยแพร่ต่อสาธารณะ", "Publish", SENIOR, frozenset({DelegationStatus.CIRCULATED}), NoInput,
                "publish"),
        Command("amend", "ลงนามแก้ไขคำสั่ง", "Sign an amendment", MANAGERS, frozenset(IN_FORCE), AmendInput, "amend",
                power=Action.CONFER_POWER),
        Command("revoke", "เพิกถอนคำสั่ง", "Revoke the order", MANAGERS, frozenset(IN_FORCE), RevokeInput, "revoke",
                power=Action.CONFER_POWER),
        Command("report", "รายงานผลการใช้อำนาจประจำเดือน", "File the monthly report", DESK,
                frozenset({*IN_FORCE, DelegationStatus.REVOKED}), MonthlyReportInput, "file_report", route="reports"),
    ),
    creations=(
        Creation("draft", "ร่างคำสั่งมอบอำนาจ", "Draft a delegation order", MANAGERS, DraftInput, "draft",
                 description="Drafting confers nothing; the delegator signs it (never the drafter)."),
    ),
)  # fmt: skip

ACTING = Catalogue(
    aggregate="acting",
    th="คำสั่งให้รักษาราชการแทน",
    state_of=lambda a: a.stage,
    state_label=lambda s: ACTING_THAI[s],
    commands=(
        Command("sign", "ลงนามแต่งตั้ง", "Sign the appointment", MANAGERS, frozenset({ActingStage.DRAFTED}), SignInput,
                "sign_acting", description="Whoever holds the executive's power; never the drafter or the appointee.",
                power=Action.CONFER_POWER, proposers=lambda a: (a.drafted_by, a.acting)),
        Command("end", "สิ้นสุดการรักษาราชการแทน", "End the acting period", EXECUTIVE_OFFICE,
                frozenset({ActingStage.DRAFTED, ActingStage.SIGNED}), NoInput, "end_acting"),
    ),
    creations=(
        Creation("appoint", "ร่างคำสั่งให้รักษาราชการแทน", "Draft an acting appointment", EXECUTIVE_OFFICE,
                 ActingDraftInput, "draft_acting",
                 description="A draft confers nothing; whoever holds the executive's power signs it."),
    ),
)  # fmt: skip
