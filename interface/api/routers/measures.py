"""Measures: list, read (now or as of a past version/time), history, and workflow commands."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from domain.errors import InvalidInput
from domain.measure import Status
from domain.procurement import parse_satang
from interface.api.deps import CurrentUser, ServicesDep, check_org_visible, store_work
from interface.api.responses import FastJSON
from interface.api.schemas import (
    BudgetCommand,
    CompleteCommand,
    CorrectStepCommand,
    DisbursementCommand,
    NoteCommand,
    NotProceedCommand,
    ResultCommand,
    ReturnCommand,
    ReverseCommand,
    StartCommand,
    StepCommand,
    measure_json,
    measure_summary,
)

router = APIRouter(prefix="/api/v1", tags=["measures"])


@router.get("/organisations/{org_code}/measures")
@store_work
def list_measures(
    org_code: str,
    svc: ServicesDep,
    user: CurrentUser,
    fiscal_year: int | None = None,
    status: Status | None = None,
) -> FastJSON:
    check_org_visible(user, org_code)
    return FastJSON([measure_summary(m) for m in svc.measures.list(org_code, fiscal_year, status)])


@router.get("/measures/{measure_id}")
@store_work
def get_measure(
    measure_id: UUID,
    svc: ServicesDep,
    user: CurrentUser,
    version: Annotated[int | None, Query(ge=1)] = None,
    as_of: datetime | None = None,
) -> FastJSON:
    if version is None and as_of is None:
        return FastJSON(measure_json(svc.measures.get(user, measure_id)))
    svc.measures.get(user, measure_id)  # type and visibility check
    return FastJSON(measure_json(svc.history.as_of(user, measure_id, version=version, moment=as_of)))


@router.get("/measures/{measure_id}/history")
@store_work
def measure_history(measure_id: UUID, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    svc.measures.get(user, measure_id)
    return FastJSON(svc.history.events(user, measure_id))


@router.post("/measures/{measure_id}/submit")
@store_work
def submit(measure_id: UUID, body: NoteCommand, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    return FastJSON(measure_json(svc.measures.submit(user, measure_id, body.version, body.note)))


@router.post("/measures/{measure_id}/approve")
@store_work
def approve(measure_id: UUID, body: NoteCommand, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    return FastJSON(measure_json(svc.measures.approve(user, measure_id, body.version, body.note)))


@router.post("/measures/{measure_id}/return")
@store_work
def return_for_revision(measure_id: UUID, body: ReturnCommand, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    return FastJSON(measure_json(svc.measures.return_for_revision(user, measure_id, body.version, body.reason)))


@router.post("/measures/{measure_id}/start")
@store_work
def start(measure_id: UUID, body: StartCommand, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    return FastJSON(measure_json(svc.measures.start(user, measure_id, body.version, body.started_on, body.note)))


@router.post("/measures/{measure_id}/steps/{step_no}/complete")
@store_work
def complete_step(measure_id: UUID, step_no: int, body: StepCommand, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    measure = svc.measures.complete_step(
        user,
        measure_id,
        body.version,
        step_no,
        body.completed_on,
        body.evidence.model_dump(),
        body.note,
    )
    return FastJSON(measure_json(measure))


@router.post("/measures/{measure_id}/steps/{step_no}/correct")
@store_work
def correct_step(
    measure_id: UUID, step_no: int, body: CorrectStepCommand, svc: ServicesDep, user: CurrentUser
) -> FastJSON:
    measure = svc.measures.correct_step(
        user, measure_id, body.version, step_no, body.completed_on, body.evidence.model_dump(), body.reason
    )
    return FastJSON(measure_json(measure))


@router.post("/measures/{measure_id}/disbursements/{index}/reverse")
@store_work
def reverse_disbursement(
    measure_id: UUID, index: int, body: ReverseCommand, svc: ServicesDep, user: CurrentUser
) -> FastJSON:
    measure = svc.measures.reverse_disbursement(user, measure_id, body.version, index, body.reason)
    return FastJSON(measure_json(measure))


@router.post("/measures/{measure_id}/complete")
@store_work
def complete(measure_id: UUID, body: CompleteCommand, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    return FastJSON(measure_json(svc.measures.complete(user, measure_id, body.version, body.completed_on, body.note)))


@router.post("/measures/{measure_id}/disbursements")
@store_work
def record_disbursement(measure_id: UUID, body: DisbursementCommand, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    measure = svc.measures.record_disbursement(
        user, measure_id, body.version, body.amount_satang, body.paid_on, body.document.model_dump()
    )
    return FastJSON(measure_json(measure))


@router.post("/measures/{measure_id}/result")
@store_work
def report_result(measure_id: UUID, body: ResultCommand, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    actuals = [a.model_dump() for a in body.kpi_actuals]
    return FastJSON(measure_json(svc.measures.report_result(user, measure_id, body.version, actuals, body.summary)))


@router.post("/measures/{measure_id}/publish")
@store_work
def publish(measure_id: UUID, body: NoteCommand, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    return FastJSON(measure_json(svc.measures.publish(user, measure_id, body.version, body.note)))


@router.post("/measures/{measure_id}/budget")
@store_work
def record_budget(measure_id: UUID, body: BudgetCommand, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    """Record a budget the plan document left unreadable: an amount, or ``no_budget``, with a reason."""
    if body.no_budget == (body.amount is not None):
        raise InvalidInput("ระบุจำนวนเงิน หรือ no_budget อย่างใดอย่างหนึ่ง", "give either an amount or no_budget: true")
    amount = None if body.no_budget else parse_satang(body.amount, "งบประมาณ", "budget")
    return FastJSON(measure_json(svc.measures.record_budget(user, measure_id, body.version, amount, body.reason)))


@router.post("/measures/{measure_id}/could-not-proceed")
@store_work
def could_not_proceed(measure_id: UUID, body: NotProceedCommand, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    measure = svc.measures.declare_could_not_proceed(user, measure_id, body.version, body.reason.value, body.note)
    return FastJSON(measure_json(measure))
