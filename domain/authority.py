"""The authority check: may user U perform action A, in unit X, for amount V, at time T?

A pure domain service. It is handed the delegations and acting records *as they stood at T* and
answers with the basis (the position's own power, delegation order N at version k, or an acting
record) or refuses with the reasons. Replaying history therefore gives the same answers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.delegation import (
    ACTION_THAI,
    ALL_UNITS,
    ActingAppointment,
    Action,
    Delegation,
    Power,
    local_date,
    scope_within,
    unit_covers,
)
from domain.errors import NoAuthority
from domain.people import Role

LAW = "พ.ร.บ.เทศบาล พ.ศ. 2496 มาตรา 48 เตรส (3)"

# Which powers a scope must grant for an action (ปฏิบัติราชการแทน covers every action).
REQUIRED_POWERS: dict[Action, set[Power]] = {
    Action.APPROVE_MEASURE: {Power.APPROVE},
    Action.APPROVE_DISBURSEMENT: {Power.APPROVE},
    Action.SIGN_PROCUREMENT_NOTICE: {Power.APPROVE, Power.ORDER},
    Action.DECIDE_COMPLAINT: {Power.ORDER},
    Action.DECIDE_DISCIPLINE: {Power.ORDER},
    Action.CONFER_POWER: set(),  # the position's own power (or whoever acts in it): never delegated
}

# Positions that hold every power in law, of their own (the executive: นายกเทศมนตรี).
OWN_POWER_ROLES = {Role.EXECUTIVE.value}


def scope_covers(scope: dict[str, Any], action: Action, unit: str, amount_satang: int) -> bool:
    if action is Action.CONFER_POWER:
        return False
    powers = REQUIRED_POWERS[action] | {Power.ACT_ON_BEHALF}
    return (
        scope["action"] == action.value
        and Power(scope["power"]) in powers
        and unit_covers(scope["unit"], unit)
        and (scope["ceiling_satang"] is None or amount_satang <= scope["ceiling_satang"])
    )


def chain_problem(delegation: Delegation, at: datetime, by_id: dict[UUID, Delegation]) -> str | None:
    """Why the delegation (and every parent above it) is not valid at ``at``, or ``None``."""
    problem = delegation.in_force_at(at)
    if problem:
        return f"order {delegation.order_no} {problem}"
    if delegation.parent_id is None:
        return None
    parent = by_id.get(delegation.parent_id)
    if parent is None:
        return f"order {delegation.order_no}: its parent order did not exist"
    if not parent.sub_delegation_allowed:
        return f"order {delegation.order_no}: parent order {parent.order_no} does not allow sub-delegation"
    day = local_date(at)
    mine, parents = delegation.scopes_at(day), parent.scopes_at(day)
    if mine is None or parents is None or not all(scope_within(s, parents[0]) for s in mine[0]):
        return f"order {delegation.order_no} is wider than parent order {parent.order_no}"
    return chain_problem(parent, at, by_id)


def chain_of(delegation: Delegation, by_id: dict[UUID, Delegation]) -> list[str]:
    orders = []
    while delegation.parent_id is not None and delegation.parent_id in by_id:
        delegation = by_id[delegation.parent_id]
        orders.append(delegation.order_no)
    return orders


def own_power_basis(role: str, position: str) -> dict[str, Any]:
    return {"kind": "position", "role": role, "position": position, "law": LAW}


def delegated_basis(
    username: str,
    action: Action,
    unit: str,
    amount_satang: int,
    at: datetime,
    delegations: list[Delegation],
    reasons: list[str],
) -> dict[str, Any] | None:
    by_id = {d.id: d for d in delegations}
    for delegation in delegations:
        if delegation.delegate["username"] != username:
            continue
        problem = chain_problem(delegation, at, by_id)
        if problem:
            reasons.append(problem)
            continue
        scopes, scope_version = delegation.scopes_at(local_date(at)) or ([], 0)
        scope = next((s for s in scopes if scope_covers(s, action, unit, amount_satang)), None)
        if scope is None:
            reasons.append(f"order {delegation.order_no} does not cover {action.value} in '{unit}' for {amount_satang}")
            continue
        return {
            "kind": "delegation",
            "delegation_id": str(delegation.id),
            "order_no": delegation.order_no,
            "version": delegation.version,
            "scope_version": scope_version,
            "scope": scope,
            "delegator": delegation.delegator,
            "parents": chain_of(delegation, by_id),
        }
    return None


def find_basis(
    username: str,
    role: str,
    position: str,
    action: Action,
    unit: str,
    amount_satang: int,
    at: datetime,
    delegations: list[Delegation],
    actings: list[ActingAppointment],
) -> dict[str, Any]:
    """The basis on which the act is valid at ``at``, or :class:`NoAuthority` with the reasons."""
    if role in OWN_POWER_ROLES:
        return own_power_basis(role, position)
    reasons: list[str] = []
    basis = delegated_basis(username, action, unit, amount_satang, at, delegations, reasons)
    if basis:
        return basis
    for acting in actings:
        if acting.acting["username"] != username:
            continue
        if not acting.covers(at):
            reasons.append(f"acting order {acting.order_no} is not in effect at {at.isoformat()}")
            continue
        via = (
            own_power_basis(acting.holder_role, acting.holder["position"])
            if acting.holder_role in OWN_POWER_ROLES
            else delegated_basis(acting.holder["username"], action, unit, amount_satang, at, delegations, reasons)
        )
        if via:
            return {
                "kind": "acting",
                "acting_id": str(acting.id),
                "order_no": acting.order_no,
                "for": acting.holder,
                "via": via,
            }
    why = "; ".join(reasons) or "no delegation or acting record names this user"
    raise NoAuthority(
        f"ไม่มีอำนาจ{ACTION_THAI[action]} ณ เวลาดังกล่าว ({why})",
        f"no authority to {action.value} in '{unit}' for {amount_satang} satang at {at.isoformat()}: {why}",
        reasons=reasons,
    )


def confer_basis(
    username: str,
    role: str,
    position: str,
    at: datetime,
    delegations: list[Delegation],
    actings: list[ActingAppointment],
    parent_id: UUID | None = None,
    scopes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """May this person sign a record that gives power at ``at``?

    Of their own: the executive's position (or whoever acts in it, under a signed acting record).
    Under a parent order (a sub-delegation): the parent must name them, allow sub-delegation, be in
    force at ``at`` with its whole chain, and cover every scope given.
    """
    if parent_id is None:
        return find_basis(username, role, position, Action.CONFER_POWER, ALL_UNITS, 0, at, delegations, actings)
    by_id = {d.id: d for d in delegations}
    parent = by_id.get(parent_id)
    if parent is None:
        why = "the parent order did not exist"
    elif parent.delegate["username"] != username:
        why = f"order {parent.order_no} was not given to {username}"
    elif not parent.sub_delegation_allowed:
        why = f"order {parent.order_no} does not allow sub-delegation"
    else:
        why = chain_problem(parent, at, by_id)
        held = parent.scopes_at(local_date(at)) if why is None else None
        if why is None and (held is None or not all(scope_within(s, held[0]) for s in scopes or [])):
            why = f"the scopes are wider than order {parent.order_no} at {at.isoformat()}"
    if why is not None or parent is None:
        raise NoAuthority(
            f"ไม่มีอำนาจมอบอำนาจต่อ ณ เวลาดังกล่าว ({why})",
            f"no power to sub-delegate at {at.isoformat()}: {why}",
            reasons=[why],
        )
    return {
        "kind": "delegation",
        "delegation_id": str(parent.id),
        "order_no": parent.order_no,
        "version": parent.version,
        "parents": chain_of(parent, by_id),
    }


def confer_basis_from(
    username: str,
    role: str,
    position: str,
    at: datetime,
    effective: datetime | None,
    delegations: list[Delegation],
    actings: list[ActingAppointment],
    parent_id: UUID | None = None,
    scopes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """:func:`confer_basis` at the signing moment ``at`` and — for a record that claims to apply from
    an earlier day — at ``effective`` too: power may not be conferred from before the signer had it."""
    basis = confer_basis(username, role, position, at, delegations, actings, parent_id, scopes)
    if effective is not None and local_date(effective) < local_date(at):
        confer_basis(username, role, position, effective, delegations, actings, parent_id, scopes)
    return basis
