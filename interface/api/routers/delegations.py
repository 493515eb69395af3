"""Delegations of authority, acting records, my powers, and the auditors' questions."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter

from domain.delegation_commands import ACTING, DELEGATIONS
from domain.errors import NotPermitted
from domain.people import Role, User
from interface.api.commands import add_command_routes
from interface.api.deps import CurrentUser, ServicesDep, check_org_visible, store_work
from interface.api.records import READ_PROBLEMS, ActingOut, DelegationOut
from interface.api.responses import FastJSON
from interface.api.schemas import (
    ActingIn,
    DelegationDraft,
    acting_json,
    delegation_json,
)

router = APIRouter(prefix="/api/v1", tags=["delegations"])
add_command_routes(
    router,
    DELEGATIONS,
    prefix="/delegations/{delegation_id}",
    service=lambda s: s.delegations,
    present=lambda d, _: delegation_json(d),
    model=DelegationOut,
)
add_command_routes(
    router,
    ACTING,
    prefix="/acting/{acting_id}",
    service=lambda s: s.delegations,
    present=lambda a, _: acting_json(a),
    model=ActingOut,
)


def scopes(items: list) -> list[dict]:
    return [s.model_dump() for s in items]


def check_auditor_or_staff(user: User) -> None:
    if user.role not in (Role.AUDITOR, Role.EXECUTIVE, Role.DEPUTY, Role.CLERK):
        raise NotPermitted("เฉพาะผู้ตรวจสอบและผู้บริหาร", f"role '{user.role.value}' may not read the audit views")


@router.post("/organisations/{org_code}/delegations", status_code=201)
@store_work
def draft(org_code: str, body: DelegationDraft, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    d = svc.delegations.draft(
        user,
        org_code,
        body.order_no,
        body.order_date,
        body.delegator,
        body.delegate,
        scopes(body.scopes),
        body.valid_from,
        body.valid_until,
        body.sub_delegation_allowed,
        body.parent_order_no,
    )
    return FastJSON(delegation_json(d), status_code=201)


@router.get("/organisations/{org_code}/delegations")
@store_work
def list_delegations(org_code: str, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    check_org_visible(user, org_code)
    return FastJSON([delegation_json(d) for d in svc.delegations.list(org_code)])


@router.get("/delegations/{delegation_id}", response_model=DelegationOut, responses=READ_PROBLEMS)
@store_work
def get_delegation(delegation_id: UUID, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    return FastJSON(delegation_json(svc.delegations.get(user, delegation_id)))


@router.post("/organisations/{org_code}/acting", status_code=201)
@store_work
def appoint_acting(org_code: str, body: ActingIn, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    record = svc.delegations.appoint_acting(
        user, org_code, body.order_no, body.acting, body.holder, body.starts, body.ends, body.reason
    )
    return FastJSON(acting_json(record), status_code=201)


@router.get("/organisations/{org_code}/my-powers")
@store_work
def my_powers(org_code: str, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    """My powers today, and where each comes from."""
    check_org_visible(user, org_code)
    return FastJSON(svc.authority.powers(user, org_code))


@router.get("/organisations/{org_code}/audit/approvals")
@store_work
def approvals(org_code: str, svc: ServicesDep, user: CurrentUser, order_no: str | None = None) -> FastJSON:
    """Every approval (optionally: made under order N, directly or via a sub-delegation or acting record)."""
    check_org_visible(user, org_code)
    check_auditor_or_staff(user)
    found = svc.audit.under_order(org_code, order_no) if order_no else svc.audit.approvals(org_code)
    return FastJSON(found)


@router.get("/organisations/{org_code}/audit/acts")
@store_work
def acts(org_code: str, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    """Every act that used or conferred power: approvals, signed orders, amendments, revocations,
    acting appointments, procurement notices, complaint and disciplinary decisions."""
    check_org_visible(user, org_code)
    check_auditor_or_staff(user)
    return FastJSON(svc.audit.acts(org_code))


@router.get("/organisations/{org_code}/audit/invalid-acts")
@router.get("/organisations/{org_code}/audit/invalid-approvals", include_in_schema=False)  # the former name
@store_work
def invalid_acts(org_code: str, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    """Every act that used or conferred power, re-checked at its own moment from the log: authority
    as it stood then, and four eyes. Should be empty."""
    check_org_visible(user, org_code)
    check_auditor_or_staff(user)
    return FastJSON(svc.audit.invalid(org_code))


@router.get("/organisations/{org_code}/audit/backdated")
@store_work
def backdated(org_code: str, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    """Records that give power from before the day they were signed: who signed, when it was
    recorded, from when it claims to apply, and the reason given."""
    check_org_visible(user, org_code)
    check_auditor_or_staff(user)
    return FastJSON(svc.audit.backdated(org_code))


@router.get("/organisations/{org_code}/audit/overdue-reports")
@store_work
def overdue_reports(org_code: str, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    check_org_visible(user, org_code)
    check_auditor_or_staff(user)
    return FastJSON(
        [
            {
                "order_no": o["delegation"].order_no,
                "delegate": o["delegation"].delegate,
                "months": o["months"],
            }
            for o in svc.delegations.overdue_reports(org_code)
        ]
    )


@router.get("/organisations/{org_code}/audit/register")
@store_work
def register_on(org_code: str, svc: ServicesDep, user: CurrentUser, on: date | None = None) -> FastJSON:
    """The register of delegated powers as it stood at the end of a past date (full records)."""
    check_org_visible(user, org_code)
    check_auditor_or_staff(user)
    return FastJSON([delegation_json(d) for d in svc.authority.register(org_code, on)])
