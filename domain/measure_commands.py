"""A measure's states and its catalogue of commands (the one place each command is declared)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from domain.catalogue import (
    DESK,
    MANAGERS,
    SENIOR,
    Catalogue,
    Command,
    Condition,
    choice,
    day,
    every_state,
    flag,
    group,
    money,
    text,
    whole,
)
from domain.delegation_commands import Action
from domain.values import Evidence, Note


def SUBMITTER(measure: Any) -> tuple[Any, ...]:  # noqa: N802 - four eyes: who submitted never approves or returns
    return (measure.submitted_by,)


class Status(str, Enum):
    PLANNED = "planned"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    RESULT_REPORTED = "result_reported"
    PUBLISHED = "published"
    COULD_NOT_PROCEED = "could_not_proceed"

    @property
    def thai(self) -> str:
        return STATUS_THAI[self]


STATUS_THAI = {
    Status.PLANNED: "ตามแผน (ยังไม่เสนอ)",
    Status.SUBMITTED: "เสนอขออนุมัติ",
    Status.RETURNED: "ส่งกลับแก้ไข",
    Status.APPROVED: "อนุมัติแล้ว",
    Status.IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
    Status.COMPLETED: "ดำเนินการแล้วเสร็จ",
    Status.RESULT_REPORTED: "รายงานผลต่อผู้บริหารแล้ว",
    Status.PUBLISHED: "เผยแพร่ต่อสาธารณะแล้ว",
    Status.COULD_NOT_PROCEED: "ไม่สามารถดำเนินการได้",
}
BEFORE_COMPLETION = frozenset({Status.PLANNED, Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.IN_PROGRESS})


class BudgetState(str, Enum):
    AMOUNT = "amount"  # a figure for the year
    NO_BUDGET = "no_budget"  # the plan says ไม่ใช้งบประมาณ
    UNKNOWN = "unknown"  # the plan's figure for the year could not be read: not a default, a gap

    @property
    def thai(self) -> str:
        return {"amount": "ตามแผน", "no_budget": "ไม่ใช้งบประมาณ", "unknown": "ไม่ทราบ (อ่านจากเอกสารแผนไม่ได้)"}[self.value]


class NotProceedReason(str, Enum):
    """The reasons the national reporting form offers."""

    NO_BUDGET = "no_budget"  # ไม่ได้รับงบประมาณ
    POLICY_CHANGE = "policy_change"  # เปลี่ยนแปลงนโยบายของผู้บริหาร
    NOT_ENOUGH_STAFF = "not_enough_staff"  # บุคลากรไม่เพียงพอ
    OTHER = "other"  # อื่น ๆ (ระบุ)


NOT_PROCEED_THAI = {
    NotProceedReason.NO_BUDGET: "ไม่ได้รับงบประมาณ",
    NotProceedReason.POLICY_CHANGE: "เปลี่ยนแปลงนโยบายของผู้บริหาร",
    NotProceedReason.NOT_ENOUGH_STAFF: "บุคลากรไม่เพียงพอ",
    NotProceedReason.OTHER: "อื่น ๆ",
}

# -- typed inputs ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReturnInput:
    reason: str = text("เหตุผลที่ส่งกลับ", "Reason for returning", lines=3)


@dataclass(frozen=True, kw_only=True)
class StartInput:
    started_on: date = day("วันที่เริ่มดำเนินการ", "Start date")
    note: str = text("หมายเหตุ", "Note", required=False)


@dataclass(frozen=True, kw_only=True)
class StepInput:
    step_no: int = whole("ขั้นตอนที่", "Step", minimum=1, options="open_steps")
    completed_on: date = day("วันที่เสร็จ", "Completion date")
    evidence: Evidence = group("หลักฐาน", "Evidence")
    note: str = text("หมายเหตุ", "Note", required=False)


@dataclass(frozen=True, kw_only=True)
class CompleteInput:
    completed_on: date = day("วันที่แล้วเสร็จ", "Completion date")
    note: str = text("หมายเหตุ", "Note", required=False)


@dataclass(frozen=True, kw_only=True)
class DisbursementInput:
    amount_satang: int = money("จำนวนเงิน (บาท)", "Amount (baht)")
    paid_on: date = day("วันที่เบิกจ่าย", "Payment date")
    document: Evidence = group("เอกสารการเบิกจ่าย", "Payment document")


@dataclass(frozen=True, kw_only=True)
class CorrectStepInput:
    step_no: int = whole("ขั้นตอนที่", "Step", minimum=1, options="done_steps")
    completed_on: date = day("วันที่เสร็จที่ถูกต้อง", "Correct completion date")
    evidence: Evidence = group("หลักฐานที่ถูกต้อง", "Correct evidence")
    reason: str = text("เหตุผลการแก้ไข", "Reason for the correction", lines=3)


@dataclass(frozen=True, kw_only=True)
class ReverseInput:
    index: int = whole("รายการเบิกจ่าย", "Disbursement", minimum=1, options="reversible_disbursements")
    reason: str = text("เหตุผลการยกเลิก", "Reason for the reversal", lines=3)


@dataclass(frozen=True, kw_only=True)
class KpiActual:
    actual: str = text("ผลที่ได้", "Actual", max_length=2000)
    met: bool = flag("บรรลุเป้าหมาย", "Target met", default=True)


@dataclass(frozen=True, kw_only=True)
class ResultInput:
    kpi_actuals: list[KpiActual] = group("ผลตามตัวชี้วัด", "KPI actuals", many=True, per="kpis")
    summary: str = text("สรุปผลการดำเนินงาน", "Result summary", lines=4)


@dataclass(frozen=True, kw_only=True)
class NotProceedInput:
    reason: NotProceedReason = choice("เหตุผล", "Reason", labels=NOT_PROCEED_THAI)
    note: str = text("รายละเอียด (จำเป็นเมื่อเลือก 'อื่น ๆ')", "Details (required for 'other')", required=False)


@dataclass(frozen=True, kw_only=True)
class BudgetInput:
    amount_satang: int | None = money("งบประมาณ (บาท)", "Budget (baht)", required=False, minimum=0)
    no_budget: bool = flag("ไม่ใช้งบประมาณ", "No budget")
    reason: str = text("เหตุผล/ที่มา (เช่น เทศบัญญัติงบประมาณ)", "Reason or source (e.g. the budget ordinance)")


@dataclass(frozen=True, kw_only=True)
class OrdinanceInput:
    amount_satang: int = money("งบประมาณตามเทศบัญญัติ (บาท)", "Budget in the ordinance (baht)", minimum=0)
    ordinance: str = text("เทศบัญญัติ/ข้อบัญญัติงบประมาณรายจ่าย", "The budget ordinance", max_length=300)


# -- the catalogue -----------------------------------------------------------------------------


def _steps_open(m: Any) -> bool:
    return len(m.steps_done) < len(m.steps)


def _budget_unknown(m: Any) -> bool:
    return m.budget_state is BudgetState.UNKNOWN


DISBURSING = frozenset({Status.APPROVED, Status.IN_PROGRESS, Status.COMPLETED})

MEASURES = Catalogue(
    aggregate="measure",
    th="โครงการ/กิจกรรม/มาตรการ",
    state_of=lambda m: m.status,
    state_label=lambda s: STATUS_THAI[s],
    commands=(
        Command("record-budget", "บันทึกงบประมาณที่อ่านจากแผนไม่ได้", "Record the budget the plan left unreadable",
                MANAGERS, every_state(Status), BudgetInput, "record_budget", route="budget",
                unless=Condition(_budget_unknown, "งบประมาณของปีนี้ทราบแล้ว — การแก้ไขแผนทำโดยนำเข้าแผนฉบับปรับปรุง",
                                 "the budget for this year is known; revise it by importing the revised plan")),
        Command("record-ordinance-budget", "บันทึกงบประมาณตามเทศบัญญัติ", "Record the budget in the ordinance",
                MANAGERS, every_state(Status), OrdinanceInput, "record_ordinance_budget", route="ordinance-budget",
                unless=Condition(lambda m: m.budget_state is not BudgetState.NO_BUDGET,
                                 "แผนระบุว่าไม่ใช้งบประมาณ", "the plan says this item uses no budget")),
        Command("submit", "เสนอขออนุมัติ", "Submit for approval", DESK,
                frozenset({Status.PLANNED, Status.RETURNED}), Note, "submit"),
        Command("approve", "อนุมัติ", "Approve", DESK, frozenset({Status.SUBMITTED}), Note, "approve",
                description="Who may *try*; the authority service decides whether the power is held.",
                power=Action.APPROVE_MEASURE, proposers=SUBMITTER),
        Command("return", "ส่งกลับแก้ไข", "Return for revision", DESK, frozenset({Status.SUBMITTED}), ReturnInput,
                "return_for_revision", power=Action.APPROVE_MEASURE, proposers=SUBMITTER),
        Command("start", "เริ่มดำเนินการ", "Start", DESK, frozenset({Status.APPROVED}), StartInput, "start"),
        Command("complete-step", "บันทึกขั้นตอน", "Complete a step", DESK, frozenset({Status.IN_PROGRESS}),
                StepInput, "complete_step", route="steps/{step_no}/complete",
                unless=Condition(_steps_open, "ทุกขั้นตอนบันทึกแล้ว", "every step is already recorded")),
        Command("correct-step", "แก้ไขการบันทึกขั้นตอน", "Correct a recorded step", MANAGERS,
                frozenset({Status.IN_PROGRESS, Status.COMPLETED}), CorrectStepInput, "correct_step",
                route="steps/{step_no}/correct",
                unless=Condition(lambda m: bool(m.steps_done), "ยังไม่มีขั้นตอนที่บันทึก", "no step is recorded yet")),
        Command("complete", "ปิดโครงการ", "Complete", MANAGERS, frozenset({Status.IN_PROGRESS}), CompleteInput,
                "complete"),
        Command("disburse", "บันทึกการเบิกจ่าย", "Record a disbursement", DESK, DISBURSING, DisbursementInput,
                "record_disbursement", route="disbursements"),
        Command("reverse-disbursement", "ยกเลิกรายการเบิกจ่าย", "Reverse a disbursement", MANAGERS, DISBURSING,
                ReverseInput, "reverse_disbursement", route="disbursements/{index}/reverse",
                unless=Condition(lambda m: bool(m.reversible_disbursements()), "ไม่มีรายการเบิกจ่ายที่ยกเลิกได้",
                                 "there is no disbursement to reverse")),
        Command("report-result", "รายงานผล", "Report the result", MANAGERS, frozenset({Status.COMPLETED}),
                ResultInput, "report_result", route="result"),
        Command("publish", "เผยแพร่", "Publish", SENIOR,
                frozenset({Status.RESULT_REPORTED, Status.COULD_NOT_PROCEED}), Note, "publish",
                unless=Condition(lambda m: not m.published, "เผยแพร่แล้ว", "already published")),
        Command("could-not-proceed", "บันทึกว่าไม่สามารถดำเนินการได้", "Declare that it could not proceed", MANAGERS,
                BEFORE_COMPLETION, NotProceedInput, "declare_could_not_proceed"),
    ),
)  # fmt: skip
