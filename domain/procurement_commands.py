"""A procurement's stage and its catalogue of commands: each signed notice, its publication, observers.

The rules of each notice (order, posting periods, prices) live on the aggregate (domain/procurement.py);
here is who may ask, when, and with what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from domain.catalogue import (
    DESK,
    Catalogue,
    Command,
    Condition,
    Creation,
    choice,
    day,
    every_state,
    flag,
    group,
    money,
    month,
    names,
    text,
    token,
    whole,
)
from domain.delegation_commands import Action


class Method(str, Enum):
    E_BIDDING = "e_bidding"  # ประกวดราคาอิเล็กทรอนิกส์
    E_MARKET = "e_market"  # ตลาดอิเล็กทรอนิกส์
    SELECTIVE = "selective"  # คัดเลือก
    SPECIFIC = "specific"  # เฉพาะเจาะจง


METHOD_THAI = {
    Method.E_BIDDING: "ประกวดราคาอิเล็กทรอนิกส์ (e-bidding)",
    Method.E_MARKET: "ตลาดอิเล็กทรอนิกส์ (e-market)",
    Method.SELECTIVE: "คัดเลือก",
    Method.SPECIFIC: "เฉพาะเจาะจง",
}


class SpecificGround(str, Enum):
    """Why the specific method (เฉพาะเจาะจง) is used above its threshold (พ.ร.บ.จัดซื้อจัดจ้างฯ มาตรา ๕๖)."""

    NO_VALID_BIDS = "no_valid_bids"
    SOLE_SUPPLIER = "sole_supplier"
    URGENT = "urgent"
    CONTINUATION = "continuation"
    SPECIFIC_LOCATION = "specific_location"


GROUND_THAI = {
    SpecificGround.NO_VALID_BIDS: "ไม่มีผู้ยื่นข้อเสนอ หรือข้อเสนอไม่ได้รับการคัดเลือก",
    SpecificGround.SOLE_SUPPLIER: "มีผู้ประกอบการที่มีคุณสมบัติโดยตรงเพียงรายเดียว",
    SpecificGround.URGENT: "มีความจำเป็นเร่งด่วนจากเหตุที่ไม่อาจคาดหมายได้",
    SpecificGround.CONTINUATION: "เป็นงานที่ต้องจัดซื้อจัดจ้างเพิ่มเติมจากงานเดิม",
    SpecificGround.SPECIFIC_LOCATION: "เป็นที่ดินหรือสิ่งก่อสร้างซึ่งจำเป็นต้องซื้อเฉพาะแห่ง",
}
SPECIFIC_GROUNDS = tuple(g.value for g in SpecificGround)


class Stage(str, Enum):
    OPEN = "open"  # notices may still be issued
    CLOSED = "closed"  # the work was inspected and the outcome recorded
    CANCELLED = "cancelled"


STAGE_THAI = {Stage.OPEN: "ดำเนินการอยู่", Stage.CLOSED: "ตรวจรับเสร็จสิ้น", Stage.CANCELLED: "ยกเลิกแล้ว"}


class Channel(str, Enum):
    WEBSITE = "website"
    NOTICE_BOARD = "notice_board"
    OFFICIAL_LETTER = "official_letter"
    EGP = "egp"


CHANNEL_THAI = {
    Channel.WEBSITE: "เว็บไซต์",
    Channel.NOTICE_BOARD: "บอร์ดประกาศ",
    Channel.OFFICIAL_LETTER: "หนังสือราชการ",
    Channel.EGP: "ระบบ e-GP",
}


@dataclass(frozen=True, kw_only=True)
class PublicationInput:
    number: int = whole("ประกาศ", "Notice", minimum=1, options="notice_numbers")
    channel: Channel = choice("ช่องทาง", "Channel", labels=CHANNEL_THAI)
    reference: str = text("อ้างอิง (ลิงก์/เลขที่)", "Reference (link or number)", required=False, max_length=300)


class ReferenceSource(str, Enum):
    """Where a reference price comes from (ระเบียบกระทรวงการคลังฯ พ.ศ. ๒๕๖๐ ข้อ ๒๑)."""

    COMMITTEE_FORMULA = "committee_formula"
    COMPTROLLER_DATABASE = "comptroller_database"
    BUDGET_BUREAU_STANDARD = "budget_bureau_standard"
    MARKET_SURVEY = "market_survey"
    LAST_PURCHASE = "last_purchase"
    OWN_RULE = "own_rule"


SOURCE_THAI = {
    ReferenceSource.COMMITTEE_FORMULA: "คำนวณตามหลักเกณฑ์ของคณะกรรมการราคากลาง",
    ReferenceSource.COMPTROLLER_DATABASE: "ฐานข้อมูลราคาอ้างอิงของกรมบัญชีกลาง",
    ReferenceSource.BUDGET_BUREAU_STANDARD: "ราคามาตรฐานของสำนักงบประมาณ/หน่วยงานกลาง",
    ReferenceSource.MARKET_SURVEY: "สืบราคาจากท้องตลาด",
    ReferenceSource.LAST_PURCHASE: "ราคาที่ซื้อหรือจ้างครั้งหลังสุด (ภายใน ๒ ปีงบประมาณ)",
    ReferenceSource.OWN_RULE: "หลักเกณฑ์ของหน่วยงานเอง",
}


@dataclass(frozen=True, kw_only=True)
class NoticeInput:
    """Every signed notice: the same key twice records it once (a double submission writes nothing)."""

    idempotency_key: str = token("รหัสกันบันทึกซ้ำ", "Idempotency key")


@dataclass(frozen=True, kw_only=True)
class FlaggedNoticeInput(NoticeInput):
    """A notice whose figures red-flag rules read (domain/red_flags.py): the signer's note on any flag."""

    acknowledgement: str = text("บันทึกรับทราบข้อสังเกต (red flag) ถ้ามี", "Acknowledgement of red flags, if any",
                                required=False, max_length=2000, lines=2)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class PlanEntryInput(NoticeInput):
    planned_month: str = month("เดือนที่คาดว่าจะจัดหา", "Planned month")


@dataclass(frozen=True, kw_only=True)
class ReferencePriceInput(FlaggedNoticeInput):
    price_satang: int = money("ราคากลาง (บาท)", "Reference price (baht)")
    source: ReferenceSource = choice("ที่มาของราคากลาง", "Source of the reference price", labels=SOURCE_THAI)


@dataclass(frozen=True, kw_only=True)
class InvitationInput(FlaggedNoticeInput):
    opens_on: date = day("วันเริ่มรับข้อเสนอ", "Opens on")
    closes_on: date = day("วันปิดรับข้อเสนอ", "Closes on")
    invited: list[str] = names("ผู้ได้รับเชิญ (คั่นด้วย ,)", "Invited (separated by commas)", required=False)
    fewer_invited_reason: str = text("เหตุผลที่เชิญน้อยกว่ากำหนด", "Reason for inviting fewer", required=False,
                                     max_length=2000)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Bidder:
    name: str = text("ผู้เสนอราคา", "Bidder", max_length=300)
    price_satang: int = money("ราคาที่เสนอ (บาท)", "Bid (baht)")
    tax_id: str = text("เลขประจำตัวผู้เสียภาษี (๑๓ หลัก)", "Tax id (13 digits)", required=False, max_length=20)


@dataclass(frozen=True, kw_only=True)
class WinnerInput(FlaggedNoticeInput):
    winner: str = text("ผู้ชนะ", "Winner", max_length=300)
    agreed_satang: int = money("ราคาที่ตกลง (บาท)", "Agreed price (baht)")
    bidders: list[Bidder] = group("ผู้เสนอราคาทุกราย", "Every bidder", many=True, rows=5)
    reason: str = text("เหตุผลที่คัดเลือก", "Reason for the selection", lines=3)


@dataclass(frozen=True, kw_only=True)
class ContractInput(NoticeInput):
    number: str = text("เลขที่สัญญา", "Contract number", max_length=100)
    signed_on: date = day("วันที่ลงนามสัญญา", "Signed on")
    amount_satang: int = money("มูลค่าสัญญา (บาท)", "Contract amount (baht)")


@dataclass(frozen=True, kw_only=True)
class InspectionInput(NoticeInput):
    inspect_on: date = day("วันตรวจรับ", "Inspection date")
    time: str = text("เวลา (HH:MM)", "Time (HH:MM)", max_length=5)
    place: str = text("สถานที่", "Place", max_length=500)


@dataclass(frozen=True, kw_only=True)
class AcceptanceInput(NoticeInput):
    accepted: bool = flag("รับมอบงาน", "Work accepted", default=True)
    note: str = text("หมายเหตุ (จำเป็นเมื่อไม่รับมอบ)", "Note (required when not accepted)", required=False)


@dataclass(frozen=True, kw_only=True)
class CancelInput(NoticeInput):
    reason: str = text("เหตุผลที่ยกเลิก", "Reason for the cancellation", max_length=4000, lines=3)


@dataclass(frozen=True, kw_only=True)
class ObserverInput:
    name: str = text("ชื่อผู้แทนชุมชน", "Community representative", max_length=200)
    community: str = text("ชุมชน", "Community", required=False, max_length=200)


@dataclass(frozen=True, kw_only=True)
class AttendanceInput:
    name: str = text("ชื่อผู้แทนชุมชน", "Community representative", max_length=200)
    stage: str = text("ขั้นตอนที่เข้าร่วม", "Stage attended", required=False, max_length=100)
    on: date = day("วันที่", "Date")


@dataclass(frozen=True, kw_only=True)
class RemarkInput:
    name: str = text("ชื่อผู้แทนชุมชน", "Community representative", max_length=200)
    text: str = text("ข้อสังเกต", "Remark", lines=3)


def _once(kind: str) -> Condition:
    return Condition(lambda p: all(n["kind"] != kind for n in p.notices), "ประกาศนี้มีแล้ว", "this notice exists already")


@dataclass(frozen=True, kw_only=True)
class RegisterInput:
    """A procurement project as the e-GP system knows it; its notices follow on its page."""

    project_no: str = text("เลขที่โครงการ (e-GP)", "Project number (e-GP)", max_length=30)
    subject: str = text("ชื่อโครงการ", "Subject", max_length=500)
    unit: str = text("หน่วยงานเจ้าของโครงการ", "Unit", max_length=200)
    budget_satang: int = money("วงเงินงบประมาณ (บาท)", "Budget (baht)")
    method: Method = choice("วิธีจัดหา", "Method", labels=METHOD_THAI)
    fiscal_year: int | None = whole("ปีงบประมาณ (ว่าง = ปีปัจจุบัน)", "Fiscal year (empty: the current one)",
                                    minimum=2500, maximum=2700, required=False)  # fmt: skip
    specific_ground: SpecificGround | None = choice("เหตุผลการใช้วิธีเฉพาะเจาะจง (เมื่อเกินวงเงิน)",
                                                    "Ground for the specific method (above its threshold)",
                                                    labels=GROUND_THAI, default=None)  # fmt: skip
    budget_source: str = text("แหล่งที่มาของงบประมาณ (เช่น เทศบัญญัติงบประมาณรายจ่ายประจำปี งบลงทุน)",
                              "Budget source (e.g. the annual budget ordinance, capital budget)",
                              required=False, max_length=200)  # fmt: skip


OPEN = frozenset({Stage.OPEN})
SIGNED = "A signed notice: the authority service checks the signer; never the one who registered the procurement."
SIGN = Action.SIGN_PROCUREMENT_NOTICE


def REGISTRAR(procurement: Any) -> tuple[Any, ...]:  # noqa: N802 - four eyes: who registered never signs its notices
    return (procurement.registered_by,)


# The order of the trail (ระเบียบกระทรวงการคลังฯ ๒๕๖๐): each notice needs the one before it.
AFTER_INVITATION = Condition(lambda p: p.invitation is not None or p.method.value == "specific",
                             "ต้องประกาศเชิญชวนก่อนประกาศผู้ชนะ", "the invitation must come before the winner")  # fmt: skip
AFTER_WINNER = Condition(lambda p: p.winner is not None, "ต้องประกาศผู้ชนะก่อนทำสัญญา",
                         "a contract cannot precede the winner announcement")  # fmt: skip
AFTER_CONTRACT = Condition(lambda p: p.contract is not None, "ต้องมีสัญญาก่อนกำหนดการตรวจรับ",
                           "an inspection needs a contract first")  # fmt: skip
AFTER_INSPECTION = Condition(lambda p: p.inspection is not None, "ต้องกำหนดการตรวจรับก่อน",
                             "schedule the inspection first")  # fmt: skip

PROCUREMENTS = Catalogue(
    aggregate="procurement",
    th="โครงการจัดซื้อจัดจ้าง",
    state_of=lambda p: p.stage,
    state_label=lambda s: STAGE_THAI[s],
    commands=(
        Command("publication", "บันทึกการเผยแพร่ประกาศ", "Record a notice's publication", DESK, every_state(Stage),
                PublicationInput, "publish", route="notices/{number}/publications",
                unless=Condition(lambda p: bool(p.notices), "ยังไม่มีประกาศ", "there is no notice yet")),
        Command("plan-entry", "ประกาศเผยแพร่แผนการจัดซื้อจัดจ้าง", "Announce the plan entry", DESK, OPEN, PlanEntryInput,
                "announce_plan", route="notices/plan_entry", unless=_once("plan_entry"),
                description=SIGNED, power=SIGN, proposers=REGISTRAR),
        Command("reference-price", "ประกาศราคากลาง", "Announce the reference price", DESK, OPEN, ReferencePriceInput,
                "announce_reference_price", route="notices/reference_price", unless=_once("reference_price"),
                description=SIGNED, power=SIGN, proposers=REGISTRAR),
        Command("invitation", "ประกาศเชิญชวน", "Announce the invitation", DESK, OPEN, InvitationInput,
                "announce_invitation", route="notices/invitation", unless=_once("invitation"),
                description=SIGNED, power=SIGN, proposers=REGISTRAR),
        Command("winner", "ประกาศผู้ชนะ", "Announce the winner", DESK, OPEN, WinnerInput, "announce_winner",
                route="notices/winner", unless=_once("winner"), description=SIGNED, power=SIGN, proposers=REGISTRAR,
                requires=(AFTER_INVITATION,)),
        Command("contract", "บันทึกสัญญา", "Record the contract", DESK, OPEN, ContractInput, "sign_contract",
                route="notices/contract", unless=_once("contract"), description=SIGNED, power=SIGN, proposers=REGISTRAR,
                requires=(AFTER_WINNER,)),
        Command("inspection", "กำหนดการตรวจรับ", "Schedule the inspection", DESK, OPEN, InspectionInput,
                "schedule_inspection", route="notices/inspection", description=SIGNED, power=SIGN, proposers=REGISTRAR,
                requires=(AFTER_CONTRACT,)),
        Command("acceptance", "บันทึกผลการตรวจรับ", "Record the acceptance", DESK, OPEN, AcceptanceInput,
                "record_acceptance", route="notices/acceptance", description=SIGNED, power=SIGN, proposers=REGISTRAR,
                requires=(AFTER_INSPECTION,)),
        Command("cancel", "ยกเลิกโครงการ", "Cancel the procurement", DESK, OPEN, CancelInput, "cancel",
                route="notices/cancellation", description=SIGNED, power=SIGN, proposers=REGISTRAR),
        Command("appoint-observer", "แต่งตั้งผู้สังเกตการณ์", "Appoint an observer", DESK, OPEN, ObserverInput,
                "appoint_observer", route="observers/appoint"),
        Command("observer-attendance", "บันทึกการเข้าร่วมของผู้สังเกตการณ์", "Record an observer's attendance", DESK,
                every_state(Stage), AttendanceInput, "record_attendance", route="observers/attendance"),
        Command("observer-remark", "บันทึกข้อสังเกตของผู้สังเกตการณ์", "Record an observer's remark", DESK,
                every_state(Stage), RemarkInput, "record_remark", route="observers/remark"),
    ),
    creations=(
        Creation("register", "บันทึกโครงการจัดซื้อจัดจ้าง", "Register a procurement", DESK, RegisterInput, "register",
                 description="The same project number again answers with the record already there."),
    ),
)  # fmt: skip
