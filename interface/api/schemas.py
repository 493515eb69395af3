"""Pydantic request and response shapes (the edge only; the domain never sees them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from domain.measure import NOT_PROCEED_THAI, Measure, NotProceedReason
from domain.people import User


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: StrictInt = Field(ge=1, description="The version you saw; a stale one gets 409")


class NoteCommand(Command):
    note: str = Field(default="", max_length=4000)


class ReturnCommand(Command):
    reason: str = Field(min_length=1, max_length=4000)


class StartCommand(NoteCommand):
    started_on: date


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: str = Field(default="", max_length=200)
    title: str = Field(default="", max_length=500)
    link: str = Field(default="", max_length=2000)
    sha256: str = Field(default="", max_length=64)


class StepCommand(NoteCommand):
    completed_on: date
    evidence: Evidence


class CorrectStepCommand(Command):
    completed_on: date
    evidence: Evidence
    reason: str = Field(min_length=1, max_length=4000)


class ReverseCommand(Command):
    reason: str = Field(min_length=1, max_length=4000)


class CompleteCommand(NoteCommand):
    completed_on: date


class DisbursementCommand(Command):
    amount_satang: StrictInt = Field(gt=0, description="Integer satang (1 baht = 100 satang)")
    paid_on: date
    document: Evidence


class KpiActual(BaseModel):
    model_config = ConfigDict(extra="forbid")
    actual: str = Field(min_length=1, max_length=2000)
    met: bool | None = None


class ResultCommand(Command):
    kpi_actuals: list[KpiActual] = Field(max_length=100)
    summary: str = Field(min_length=1, max_length=4000)


class NotProceedCommand(NoteCommand):
    reason: NotProceedReason


def measure_json(measure: Measure) -> dict[str, Any]:
    steps = measure.steps
    return {
        "id": str(measure.id),
        "version": measure.version,
        "org_code": measure.org_code,
        "plan_key": measure.plan_key,
        "code": measure.code,
        "fiscal_year": measure.fiscal_year,
        "status": measure.status.value,
        "status_th": measure.status.thai,
        "name": measure.details.get("name"),
        "kind": measure.details.get("kind"),
        "dimension": measure.details.get("dimension"),
        "mission": measure.details.get("mission"),
        "details": measure.details,
        "allocation_satang": measure.allocation_satang,
        "no_budget": measure.allocation_satang is None,
        "disbursed_satang": measure.disbursed_satang,
        "disbursements": measure.disbursements,
        "steps": [
            {"no": n, "text": text, "done": measure.steps_done.get(n)}
            for n, text in enumerate(steps, start=1)
        ],
        "approval": measure.approval,
        "return_reason": measure.return_reason,
        "started_on": measure.started_on,
        "completed_on": measure.completed_on,
        "result": measure.result,
        "not_proceed": measure.not_proceed,
        "published": measure.published,
        "allowed_actions": measure.allowed_actions,
        "created_on": measure.created_on,
        "modified_on": measure.modified_on,
    }


def measure_summary(measure: Measure) -> dict[str, Any]:
    return {
        "id": str(measure.id),
        "version": measure.version,
        "code": measure.code,
        "fiscal_year": measure.fiscal_year,
        "name": measure.details.get("name"),
        "kind": measure.details.get("kind"),
        "dimension": measure.details.get("dimension"),
        "status": measure.status.value,
        "status_th": measure.status.thai,
        "allocation_satang": measure.allocation_satang,
        "disbursed_satang": measure.disbursed_satang,
        "responsible_unit": measure.details.get("responsible_unit"),
    }


def public_measure(measure: Measure) -> dict[str, Any]:
    """What the law says the public may read: the plan item and its published outcome, no people."""
    not_proceed = measure.not_proceed
    return {
        "code": measure.code,
        "fiscal_year": measure.fiscal_year,
        "name": measure.details.get("name"),
        "kind": measure.details.get("kind"),
        "dimension": measure.details.get("dimension"),
        "responsible_unit": measure.details.get("responsible_unit"),
        "status": measure.status.value,
        "status_th": measure.status.thai,
        "allocation_satang": measure.allocation_satang,
        "disbursed_satang": measure.disbursed_satang,
        "completed_on": measure.completed_on,
        "result": measure.result,
        "could_not_proceed": None
        if not_proceed is None
        else {**not_proceed, "reason_th": NOT_PROCEED_THAI[NotProceedReason(not_proceed["reason"])]},
    }


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "username": user.username,
        "name": user.display_name,
        "role": user.role.value,
        "role_th": user.role.thai,
        "position": user.position,
        "org_codes": user.org_codes,
    }


class HistoryEntry(BaseModel):
    version: int
    type: str
    timestamp: datetime
    actor: dict[str, Any] | None
    changes: dict[str, Any]


class AggregateRef(BaseModel):
    id: UUID
