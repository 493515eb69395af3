"""Auditors' questions about approvals: which were made under order N, and were any invalid?"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.delegations import Authority
from application.history import event_type
from application.measures import Measures
from application.store import Prongsai
from domain.authority import find_basis
from domain.delegation import Action
from domain.errors import NoAuthority
from domain.measure import Measure
from domain.people import User

APPROVAL_EVENTS = {"Approved", "Returned"}


def orders_in(basis: dict[str, Any]) -> set[str]:
    """Every order an approval's basis rests on: the order itself, its parents, an acting record's."""
    orders: set[str] = set()
    while basis:
        if basis.get("order_no"):
            orders.add(basis["order_no"])
        orders.update(basis.get("parents") or [])
        basis = basis.get("via") or {}
    return orders


class ApprovalAudit:
    def __init__(self, app: Prongsai, measures: Measures, authority: Authority) -> None:
        self.app = app
        self.measures = measures
        self.authority = authority

    def approvals(self, org_code: str) -> list[dict[str, Any]]:
        found = []
        for measure in self.measures.list(org_code):
            for e in self.app.stored_events(measure.id):
                if event_type(e) in APPROVAL_EVENTS:
                    found.append(
                        {
                            "aggregate_id": str(measure.id),
                            "aggregate_type": "Measure",
                            "code": measure.code,
                            "fiscal_year": measure.fiscal_year,
                            "version": e.originator_version,
                            "type": event_type(e),
                            "timestamp": e.timestamp,
                            "actor": e.actor,
                            "basis": e.basis,
                        }
                    )
        return sorted(found, key=lambda a: a["timestamp"])

    def under_order(self, org_code: str, order_no: str) -> list[dict[str, Any]]:
        return [a for a in self.approvals(org_code) if order_no in orders_in(a["basis"])]

    def invalid(self, org_code: str) -> list[dict[str, Any]]:
        """Approvals whose maker had no authority at that moment, re-checked from the log (should be none)."""
        invalid = []
        for approval in self.approvals(org_code):
            at = approval["timestamp"]
            measure = self.app.load(Measure, UUID(approval["aggregate_id"]), version=approval["version"] - 1)
            user = self.user_at(approval["actor"]["user_id"], at)
            try:
                if user is None:
                    raise NoAuthority("ไม่พบผู้ใช้ ณ เวลานั้น", "the user did not exist at that moment")
                delegations, actings = self.authority.records(org_code, at)
                find_basis(
                    user.username,
                    user.role.value,
                    user.position,
                    Action.APPROVE_MEASURE,
                    str(measure.details.get("responsible_unit") or ""),
                    measure.allocation_satang or 0,
                    at,
                    delegations,
                    actings,
                )
            except NoAuthority as exc:
                invalid.append({**approval, "reason": exc.en})
        return invalid

    def user_at(self, user_id: str | None, at: Any) -> User | None:
        if not user_id:
            return None
        version = self.app.version_at(UUID(user_id), at)
        return None if version is None else self.app.load(User, UUID(user_id), version=version)
