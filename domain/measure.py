"""A plan item's execution in one fiscal year, as an event-sourced aggregate.

planned → submitted → approved | returned (→ submitted again) → in progress (each method step
completed with date, actor and evidence) → completed → result reported → published; or, from any
state before completion, could not proceed with one of the national reasons.

Over 400 lines on purpose: each command sits beside the event it records, in the module the stored
topics name (``domain.measure:Measure.…``); shared input rules live in domain/values.py, states and
the catalogue in domain/measure_commands.py.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any, ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import ProngsaiAggregate
from domain.duties import LazyBasis, check_four_eyes, resolve
from domain.errors import InvalidInput, InvalidTransition, RuleBroken
from domain.measure_commands import (
    MEASURES,
    NOT_PROCEED_THAI,
    STATUS_THAI,
    BudgetState,
    NotProceedReason,
    Status,
)
from domain.people import NS
from domain.shapes import Actor
from domain.thai import baht, fiscal_year_bounds, thai_date
from domain.values import check_evidence, check_not_future, check_note

__all__ = ["NOT_PROCEED_THAI", "STATUS_THAI", "BudgetState", "Measure", "NotProceedReason", "Status", "check_evidence"]


class Measure(ProngsaiAggregate):
    """One plan item (project / activity / measure) in one BE fiscal year."""

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # a list page names a hundred ids; each is a SHA-1
    def create_id(org_code: str, plan_key: str, code: str, fiscal_year: int) -> UUID:
        return uuid5(NS, f"measure/{org_code}/{plan_key}/{code}/{fiscal_year}")

    # The plan text is replaced as a whole (PlanDetailsRevised), never mutated in place.
    _SHARED_STATE = frozenset({"details"})

    @event("Planned")
    def __init__(
        self,
        org_code: str,
        plan_key: str,
        code: str,
        fiscal_year: int,
        details: dict[str, Any],
        allocation_satang: int | None,
        actor: Actor,
    ) -> None:
        self.org_code = org_code
        self.plan_key = plan_key
        self.code = code
        self.fiscal_year = fiscal_year
        self.details = details
        self.allocation_satang = allocation_satang
        self.status = Status.PLANNED
        self.steps_done: dict[int, dict[str, Any]] = {}
        self.disbursements: list[dict[str, Any]] = []
        self.disbursed_satang = 0
        self.return_reason: str | None = None
        self.approval: dict[str, Any] | None = None
        self.submitted_by: Actor | None = None
        self.started_on: date | None = None
        self.completed_on: date | None = None
        self.result: dict[str, Any] | None = None
        self.not_proceed: dict[str, Any] | None = None
        self.budget_recorded: dict[str, Any] | None = None
        self.ordinance: dict[str, Any] | None = None  # the budget the annual ordinance gave the item
        self.published = False

    # -- rules -------------------------------------------------------------------------------

    def guard(self, command: str) -> None:
        """The state guard, read from the catalogue (domain/measure_commands.py)."""
        MEASURES.check_state(self, command)

    @property
    def budget_state(self) -> BudgetState:
        """Derived from the plan: an amount, "no budget" only where the plan says so, else unknown."""
        if self.allocation_satang is not None:
            return BudgetState.AMOUNT
        if self.budget_recorded is not None or self.details.get("no_budget", True):
            return BudgetState.NO_BUDGET  # recorded so, said so by the plan, or an import before the flag
        return BudgetState.UNKNOWN

    @property
    def budget_label(self) -> str:
        state = self.budget_state
        if state is BudgetState.AMOUNT:
            return f"{self.allocation_satang // 100:,}.{self.allocation_satang % 100:02d} บาท"  # type: ignore[operator]
        return state.thai

    @property
    def budget_warning(self) -> str | None:
        """Where the unread figure is, for people and reports (English)."""
        if self.budget_state is not BudgetState.UNKNOWN:
            return None
        return (
            f"plan item {self.code}: the budget for fiscal year {self.fiscal_year} could not be read from the plan "
            "document's budget section (งบประมาณ) or its summary table; record it with a reason"
        )

    @property
    def steps(self) -> list[str]:
        return list(self.details.get("steps") or [])

    @property
    def kpis(self) -> list[str]:
        return list(self.details.get("kpis") or [])

    def check_step_number(self, step_no: int) -> None:
        if not 1 <= step_no <= len(self.steps):
            raise InvalidInput(
                f"ไม่มีขั้นตอนที่ {step_no} (โครงการนี้มี {len(self.steps)} ขั้นตอน)",
                f"there is no step {step_no} (this measure has {len(self.steps)} steps)",
            )
        if step_no in self.steps_done:
            raise InvalidTransition(f"ขั้นตอนที่ {step_no} บันทึกว่าเสร็จแล้ว", f"step {step_no} is already completed")

    def check_all_steps_done(self) -> None:
        missing = [n for n in range(1, len(self.steps) + 1) if n not in self.steps_done]
        if missing:
            listed = ", ".join(map(str, missing))
            raise RuleBroken(f"ยังมีขั้นตอนที่ไม่เสร็จ: {listed}", f"steps not yet completed: {listed}", missing=missing)

    def check_within_allocation(self, amount_satang: int) -> None:
        if amount_satang <= 0:
            raise InvalidInput("จำนวนเงินต้องมากกว่าศูนย์", "the amount must be greater than zero")
        if self.budget_state is BudgetState.UNKNOWN:
            raise RuleBroken(
                f"ยังไม่ทราบงบประมาณปี {self.fiscal_year} ของโครงการนี้ (อ่านจากเอกสารแผนไม่ได้) — บันทึกงบประมาณพร้อมเหตุผลก่อน",
                f"the budget for fiscal year {self.fiscal_year} is unknown (unreadable in the plan): "
                "record it with a reason first",
            )
        allocation = self.allocation_satang or 0
        if self.disbursed_satang + amount_satang > allocation:
            left = allocation - self.disbursed_satang
            raise RuleBroken(
                f"เบิกจ่ายเกินงบประมาณที่จัดสรร (คงเหลือ {left / 100:,.2f} บาท)",
                f"disbursement exceeds the allocation ({left / 100:,.2f} baht left)",
                allocation_satang=allocation,
                disbursed_satang=self.disbursed_satang,
            )

    def check_kpi_actuals(self, actuals: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kpis = self.kpis
        if len(actuals) != len(kpis):
            raise InvalidInput(
                f"ต้องรายงานผลตัวชี้วัดครบ {len(kpis)} ข้อ (ได้รับ {len(actuals)})",
                f"report an actual for each of the {len(kpis)} KPIs (got {len(actuals)})",
            )
        cleaned = []
        for target, actual in zip(kpis, actuals, strict=True):
            text = str(actual.get("actual") or "").strip()
            if not text:
                raise InvalidInput("ผลตัวชี้วัดต้องไม่ว่าง", "each KPI actual must be filled in")
            met = actual.get("met")
            cleaned.append({"target": target, "actual": text, "met": None if met is None else bool(met)})
        return cleaned

    # -- commands (validate, then record the event) -----------------------------------------

    def submit(self, actor: Actor, note: str) -> None:
        self.guard("submit")
        self._submit(actor=actor, note=(note or "").strip())

    @event("SubmittedForApproval")
    def _submit(self, actor: Actor, note: str) -> None:
        self.status = Status.SUBMITTED
        self.return_reason = None
        self.submitted_by = actor

    # Events that carry the business date they happened on; every other event happened when recorded
    # (a report's period cuts by that date: application.store.Prongsai.as_of_period).
    BUSINESS_DATES: ClassVar[dict[str, str]] = {
        "Started": "started_on",
        "StepCompleted": "completed_on",
        "Completed": "completed_on",
        "DisbursementRecorded": "paid_on",
    }

    def check_in_year(self, day: date, what_th: str, what_en: str) -> None:
        """A plausible date for this measure: inside its fiscal year, or in the year after it (money
        carried over, เบิกเหลื่อมปี) — never a typing slip such as 2015 for a FY 2562 measure."""
        start, end = fiscal_year_bounds(self.fiscal_year)
        last = end.replace(year=end.year + 1)
        if not start <= day <= last:
            raise InvalidInput(
                f"{what_th} ({thai_date(day, thai_digits=False)}) อยู่นอกปีงบประมาณ {self.fiscal_year} "
                f"({thai_date(start, thai_digits=False)} – {thai_date(end, thai_digits=False)} "
                f"หรือเหลื่อมปีถึง {thai_date(last, thai_digits=False)})",
                f"{what_en} ({day.isoformat()}) is outside fiscal year {self.fiscal_year} "
                f"({start.isoformat()} – {end.isoformat()}, or carried over until {last.isoformat()})",
            )

    def authority_target(self) -> tuple[str, int]:
        return self.approval_target()

    def approval_target(self) -> tuple[str, int]:
        """The unit and amount an approval of this measure is an exercise of power over."""
        return str(self.details.get("responsible_unit") or ""), self.allocation_satang or 0

    def check_decidable(self, actor: Actor, command: str) -> None:
        """State first (409), then four eyes (403): only then is authority asked."""
        self.guard(command)
        check_four_eyes(self.submitted_by, actor, MEASURES[command].th, MEASURES[command].en.lower())

    def approve(self, actor: Actor, note: str, basis: LazyBasis) -> None:
        self.check_decidable(actor, "approve")
        self._approve(actor=actor, note=(note or "").strip(), basis=resolve(basis))

    @event("Approved")
    def _approve(self, actor: Actor, note: str, basis: dict[str, Any]) -> None:
        self.status = Status.APPROVED
        self.approval = {"by": actor, "basis": basis}

    def return_for_revision(self, actor: Actor, reason: str, basis: LazyBasis) -> None:
        self.check_decidable(actor, "return")
        reason = check_note(reason, "เหตุผลที่ส่งกลับ", "reason for returning")
        self._return(actor=actor, reason=reason, basis=resolve(basis))

    @event("Returned")
    def _return(self, actor: Actor, reason: str, basis: dict[str, Any]) -> None:
        self.status = Status.RETURNED
        self.return_reason = reason

    def start(self, actor: Actor, started_on: date, today: date, note: str) -> None:
        self.guard("start")
        check_not_future(started_on, today, "วันที่เริ่ม", "the start date")
        self.check_in_year(started_on, "วันที่เริ่ม", "the start date")
        self._start(actor=actor, started_on=started_on, note=(note or "").strip())

    @event("Started")
    def _start(self, actor: Actor, started_on: date, note: str) -> None:
        self.status = Status.IN_PROGRESS
        self.started_on = started_on

    def complete_step(
        self,
        actor: Actor,
        step_no: int,
        completed_on: date,
        today: date,
        evidence: dict[str, Any],
        note: str,
    ) -> None:
        self.guard("complete-step")
        self.check_step_number(step_no)
        check_not_future(completed_on, today, "วันที่เสร็จ", "the completion date")
        self.check_in_year(completed_on, "วันที่เสร็จ", "the completion date")
        if self.started_on and completed_on < self.started_on:
            raise InvalidInput("วันที่เสร็จต้องไม่ก่อนวันเริ่มดำเนินการ", "a step cannot be completed before the start date")
        self._complete_step(
            actor=actor,
            step_no=step_no,
            completed_on=completed_on,
            evidence=check_evidence(evidence),
            note=(note or "").strip(),
        )

    @event("StepCompleted")
    def _complete_step(
        self, actor: Actor, step_no: int, completed_on: date, evidence: dict[str, Any], note: str
    ) -> None:
        self.steps_done[step_no] = {
            "completed_on": completed_on,
            "by": actor,
            "evidence": evidence,
            "note": note,
        }

    def complete(self, actor: Actor, completed_on: date, today: date, note: str) -> None:
        self.guard("complete")
        self.check_all_steps_done()
        check_not_future(completed_on, today, "วันที่แล้วเสร็จ", "the completion date")
        self.check_in_year(completed_on, "วันที่แล้วเสร็จ", "the completion date")
        last_step = max((s["completed_on"] for s in self.steps_done.values()), default=None)
        if last_step and completed_on < last_step:
            raise InvalidInput(
                "วันที่แล้วเสร็จต้องไม่ก่อนขั้นตอนสุดท้าย",
                "the completion date cannot precede the last completed step",
            )
        self._complete(actor=actor, completed_on=completed_on, note=(note or "").strip())

    @event("Completed")
    def _complete(self, actor: Actor, completed_on: date, note: str) -> None:
        self.status = Status.COMPLETED
        self.completed_on = completed_on

    def record_disbursement(
        self, actor: Actor, amount_satang: int, paid_on: date, today: date, document: dict[str, Any]
    ) -> None:
        self.guard("disburse")
        self.check_within_allocation(amount_satang)
        check_not_future(paid_on, today, "วันที่เบิกจ่าย", "the payment date")
        self.check_in_year(paid_on, "วันที่เบิกจ่าย", "the payment date")
        self._disburse(actor=actor, amount_satang=amount_satang, paid_on=paid_on, document=check_evidence(document))

    @event("DisbursementRecorded")
    def _disburse(self, actor: Actor, amount_satang: int, paid_on: date, document: dict[str, Any]) -> None:
        self.disbursements.append({"amount_satang": amount_satang, "paid_on": paid_on, "document": document})
        self.disbursed_satang += amount_satang

    def correct_step(
        self,
        actor: Actor,
        step_no: int,
        completed_on: date,
        today: date,
        evidence: dict[str, Any],
        reason: str,
    ) -> None:
        """A recorded step was wrong: the correction is a new event, the original stays in the log."""
        self.guard("correct-step")
        if step_no not in self.steps_done:
            raise InvalidInput(f"ขั้นตอนที่ {step_no} ยังไม่ได้บันทึก", f"step {step_no} has not been recorded")
        check_not_future(completed_on, today, "วันที่เสร็จ", "the completion date")
        self.check_in_year(completed_on, "วันที่เสร็จ", "the completion date")
        self._correct_step(
            actor=actor,
            step_no=step_no,
            completed_on=completed_on,
            evidence=check_evidence(evidence),
            reason=check_note(reason, "เหตุผลการแก้ไข", "reason for the correction"),
        )

    @event("StepCorrected")
    def _correct_step(
        self, actor: Actor, step_no: int, completed_on: date, evidence: dict[str, Any], reason: str
    ) -> None:
        self.steps_done[step_no] = {
            **self.steps_done[step_no],
            "completed_on": completed_on,
            "evidence": evidence,
            "corrected_by": actor,
            "correction_reason": reason,
        }

    def reverse_disbursement(self, actor: Actor, index: int, reason: str) -> None:
        """Cancel a wrongly recorded disbursement (by its position, from 1) with a reason."""
        self.guard("reverse-disbursement")
        if index not in dict(self.reversible_disbursements()):
            raise InvalidInput(f"ไม่มีรายการเบิกจ่ายที่ {index} ที่ยกเลิกได้", f"no disbursement {index} that can be reversed")
        self._reverse_disbursement(
            actor=actor, index=index, reason=check_note(reason, "เหตุผลการยกเลิก", "reason for the reversal")
        )

    @event("DisbursementReversed")
    def _reverse_disbursement(self, actor: Actor, index: int, reason: str) -> None:
        entry = self.disbursements[index - 1]
        self.disbursements[index - 1] = {**entry, "reversed": True, "reversal_reason": reason}
        self.disbursed_satang -= entry["amount_satang"]

    def report_result(self, actor: Actor, kpi_actuals: list[dict[str, Any]], summary: str) -> None:
        self.guard("report-result")
        self._report(
            actor=actor,
            kpi_actuals=self.check_kpi_actuals(kpi_actuals),
            summary=check_note(summary, "สรุปผลการดำเนินงาน", "result summary"),
        )

    @event("ResultReported")
    def _report(self, actor: Actor, kpi_actuals: list[dict[str, Any]], summary: str) -> None:
        self.status = Status.RESULT_REPORTED
        self.result = {"kpi_actuals": kpi_actuals, "summary": summary}

    def publish(self, actor: Actor, note: str) -> None:
        self.guard("publish")
        self._publish(actor=actor, note=(note or "").strip())

    @event("Published")
    def _publish(self, actor: Actor, note: str) -> None:
        if self.status is Status.RESULT_REPORTED:
            self.status = Status.PUBLISHED
        self.published = True

    def declare_could_not_proceed(self, actor: Actor, reason: str, note: str) -> None:
        self.guard("could-not-proceed")
        try:
            code = NotProceedReason(reason)
        except ValueError:
            names = ", ".join(r.value for r in NotProceedReason)
            raise InvalidInput(f"เหตุผลต้องเป็นหนึ่งใน: {names}", f"reason must be one of: {names}") from None
        note = (note or "").strip()
        if code is NotProceedReason.OTHER:
            note = check_note(note, "รายละเอียดเหตุผล", "explanation")
        self._not_proceed(actor=actor, reason=code.value, note=note)

    @event("CouldNotProceed")
    def _not_proceed(self, actor: Actor, reason: str, note: str) -> None:
        self.status = Status.COULD_NOT_PROCEED
        self.not_proceed = {"reason": reason, "note": note}

    def record_budget(self, actor: Actor, amount_satang: int | None, reason: str, no_budget: bool = False) -> None:
        """Someone states the year's budget where the plan did not: an amount, or explicitly no budget."""
        self.guard("record-budget")
        if no_budget == (amount_satang is not None):
            raise InvalidInput(
                "ระบุจำนวนเงิน หรือเลือก 'ไม่ใช้งบประมาณ' อย่างใดอย่างหนึ่ง",
                "give either an amount or no_budget, not both and not neither",
            )
        if amount_satang is not None and amount_satang < 0:
            raise InvalidInput("งบประมาณต้องไม่ติดลบ", "the budget cannot be negative")
        self._record_budget(
            actor=actor, amount_satang=amount_satang, reason=check_note(reason, "เหตุผล/ที่มา", "reason or source")
        )

    @event("BudgetRecorded")
    def _record_budget(self, actor: Actor, amount_satang: int | None, reason: str) -> None:
        self.allocation_satang = amount_satang
        self.budget_recorded = {"amount_satang": amount_satang, "reason": reason, "by": actor}

    def record_ordinance_budget(self, actor: Actor, amount_satang: int, ordinance: str) -> None:
        """The amount the annual budget ordinance (เทศบัญญัติ/ข้อบัญญัติงบประมาณ) gave this item: the
        e-Plan export reports it beside the plan's figure and what was disbursed."""
        self.guard("record-ordinance-budget")
        if amount_satang < 0:
            raise InvalidInput("งบประมาณต้องไม่ติดลบ", "the budget cannot be negative")
        ordinance = check_note(ordinance, "เทศบัญญัติ/ข้อบัญญัติ", "ordinance")
        if not ordinance:
            raise InvalidInput("ต้องระบุเทศบัญญัติหรือข้อบัญญัติงบประมาณ", "name the budget ordinance")
        self._record_ordinance(actor=actor, amount_satang=amount_satang, ordinance=ordinance)

    @event("OrdinanceBudgetRecorded")
    def _record_ordinance(self, actor: Actor, amount_satang: int, ordinance: str) -> None:
        self.ordinance = {"amount_satang": amount_satang, "ordinance": ordinance, "by": actor}

    @event("PlanDetailsRevised")
    def revise_details(
        self,
        details: dict[str, Any],
        allocation_satang: int | None,
        changed_fields: list[str],
        plan_revision: int,
        actor: Actor,
    ) -> None:
        """The plan document changed: the measure keeps its history and records the revision."""
        self.details = details
        self.allocation_satang = allocation_satang

    # -- read helpers ------------------------------------------------------------------------

    @property
    def allowed_actions(self) -> list[str]:
        """What the record's state allows next (the catalogue's answer)."""
        return [c.name for c in MEASURES.available(self)]

    def open_steps(self) -> list[tuple[int, str]]:
        return [(n, f"{n}. {text[:80]}") for n, text in enumerate(self.steps, 1) if n not in self.steps_done]

    def done_steps(self) -> list[tuple[int, str]]:
        return [(n, f"{n}. {text[:80]}") for n, text in enumerate(self.steps, 1) if n in self.steps_done]

    def reversible_disbursements(self) -> list[tuple[int, str]]:
        return [
            (n, f"{n}. {baht(d['amount_satang'])} บาท ({d['paid_on'].isoformat()})")
            for n, d in enumerate(self.disbursements, 1)
            if not d.get("reversed")
        ]
