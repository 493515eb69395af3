"""Pydantic request and response shapes (the edge only; the domain never sees them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from domain.measure import NOT_PROCEED_THAI, Measure, NotProceedReason
from domain.people import User


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: StrictInt = Field(ge=1, description="The version you saw; a stale one gets 409")


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
        "budget_state": measure.budget_state.value,
        "budget_th": measure.budget_label,
        "budget_warning": measure.budget_warning,
        "no_budget": measure.budget_state.value == "no_budget",
        "disbursed_satang": measure.disbursed_satang,
        "disbursements": measure.disbursements,
        "steps": [{"no": n, "text": text, "done": measure.steps_done.get(n)} for n, text in enumerate(steps, start=1)],
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
        "budget_state": measure.budget_state.value,
        "budget_th": measure.budget_label,
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


class ScopeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    power: str
    action: str
    unit: str = "*"
    ceiling_satang: StrictInt | None = Field(default=None, ge=0)


class DelegationDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")
    order_no: str = Field(min_length=1, max_length=50)
    order_date: date
    delegator: str
    delegate: str
    scopes: list[ScopeIn] = Field(min_length=1, max_length=50)
    valid_from: date
    valid_until: date | None = None
    sub_delegation_allowed: bool = False
    parent_order_no: str | None = None


class ActingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    order_no: str = Field(min_length=1, max_length=50)
    acting: str
    holder: str
    starts: datetime
    ends: datetime | None = None
    reason: str = Field(default="", max_length=4000)


def delegation_json(d: Any) -> dict[str, Any]:
    return {
        "id": str(d.id),
        "version": d.version,
        "org_code": d.org_code,
        "order_no": d.order_no,
        "order_date": d.order_date,
        "status": d.status.value,
        "delegator": d.delegator,
        "delegate": d.delegate,
        "scope_versions": d.scope_versions,
        "valid_from": d.valid_from,
        "valid_until": d.valid_until,
        "sub_delegation_allowed": d.sub_delegation_allowed,
        "parent_id": str(d.parent_id) if d.parent_id else None,
        "issued_on": d.issued_on,
        "recipients": getattr(d, "recipients", []),
        "acknowledgements": d.acknowledgements,
        "published_on": d.published_on,
        "revoked_at": d.revoked_at,
        "revocation_reason": d.revocation_reason,
        "reports": d.reports,
        "drafted_by": d.drafted_by,
        "signature": d.signature,
    }


def public_delegation(d: Any, day: date) -> dict[str, Any]:
    """The published register: who holds which power, no contact data and no usernames."""
    scopes = d.scopes_at(day)
    return {
        "order_no": d.order_no,
        "order_date": d.order_date,
        "delegator": {"name": d.delegator["name"], "position": d.delegator["position"]},
        "delegate": {"name": d.delegate["name"], "position": d.delegate["position"]},
        "scopes": scopes[0] if scopes else [],
        "valid_from": d.valid_from,
        "valid_until": d.valid_until,
        "published_on": d.published_on,
    }


def acting_json(a: Any) -> dict[str, Any]:
    return {
        "id": str(a.id),
        "version": a.version,
        "org_code": a.org_code,
        "order_no": a.order_no,
        "acting": a.acting,
        "holder": a.holder,
        "holder_role": a.holder_role,
        "starts": a.starts,
        "ends": a.ends,
        "reason": a.reason,
        "drafted_by": a.drafted_by,
        "signature": a.signature,
        "in_force": a.signature is not None and a.ends is None,
    }
