"""Auditors' questions about power: which acts were made under order N, and were any invalid?

Every act that *uses* power (approving or returning a measure, signing a procurement notice,
deciding a complaint or a disciplinary step) and every act that *confers* it (signing an order, a
sub-delegation, an amendment, a revocation, an acting appointment) is re-checked from the log at
its own moment, with the records as they stood then — authority and four eyes alike. A correct
log gives an empty list; anything written around the services shows up here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from application.delegations import Authority
from application.history import event_type
from application.measures import Measures
from application.store import Prongsai
from domain.authority import confer_basis, find_basis
from domain.clock import business_date, start_of_day
from domain.complaint import Complaint
from domain.delegation import ActingAppointment, Action, Delegation
from domain.duties import check_four_eyes
from domain.errors import NoAuthority, NotPermitted
from domain.measure import Measure
from domain.people import User
from domain.procurement import Procurement

APPROVAL_EVENTS = {"Approved", "Returned"}
COMPLAINT_DECISIONS = {"Resolved": Action.DECIDE_COMPLAINT, "Rejected": Action.DECIDE_COMPLAINT}
DISCIPLINE_EVENTS = {
    "FactFindingStarted",
    "FactFindingConcluded",
    "InquiryOpened",
    "FindingRecorded",
    "DisciplinaryDecision",
    "DisciplineFinal",
}
SIGNED_ORDER_EVENTS = {"Signed", "Issued"}
AMENDMENT_EVENTS = {"AmendmentSigned", "Amended"}
REVOCATION_EVENTS = {"RevocationSigned", "Revoked"}
DELEGATION_ACTS = SIGNED_ORDER_EVENTS | AMENDMENT_EVENTS | REVOCATION_EVENTS


def orders_in(basis: dict[str, Any] | None) -> set[str]:
    """Every order an act's basis rests on: the order itself, its parents, an acting record's."""
    orders: set[str] = set()
    while basis:
        if basis.get("order_no"):
            orders.add(basis["order_no"])
        orders.update(basis.get("parents") or [])
        basis = basis.get("via") or {}
    return orders


class ApprovalAudit:
    def __init__(
        self, app: Prongsai, measures: Measures, authority: Authority, procurements: Any = None, complaints: Any = None
    ) -> None:
        self.app = app
        self.measures = measures
        self.authority = authority
        self.procurements = procurements
        self.complaints = complaints

    # -- what was done -----------------------------------------------------------------------

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
        return [a for a in self.acts(org_code) if order_no in orders_in(a.get("basis"))]

    def acts(self, org_code: str) -> list[dict[str, Any]]:
        """Every exercise or grant of power in the organisation, oldest first."""
        return sorted((act for act, _ in self._acts(org_code)), key=lambda a: a["timestamp"])

    def _acts(self, org_code: str) -> Iterator[tuple[dict[str, Any], Any]]:
        for approval in self.approvals(org_code):
            yield approval, self._check_measure
        delegations, actings = self.authority.records(org_code)
        for record in [*delegations, *actings]:
            for e in self.app.stored_events(record.id):
                kind = event_type(e)
                if (
                    isinstance(record, Delegation)
                    and kind in SIGNED_ORDER_EVENTS | AMENDMENT_EVENTS | REVOCATION_EVENTS
                ):
                    yield self._act(record, e, f"order {record.order_no}"), self._check_delegation
                elif isinstance(record, ActingAppointment) and kind == "Signed":
                    yield self._act(record, e, f"acting order {record.order_no}"), self._check_acting
        for p in self.procurements.list(org_code) if self.procurements else []:
            for e in self.app.stored_events(p.id):
                if event_type(e) == "NoticeIssued":
                    yield self._act(p, e, f"{p.project_no} {e.kind}", actor=e.signer), self._check_procurement
        for c in self.complaints.list(org_code) if self.complaints else []:
            for e in self.app.stored_events(c.id):
                if event_type(e) in COMPLAINT_DECISIONS or event_type(e) in DISCIPLINE_EVENTS:
                    yield self._act(c, e, c.case_no), self._check_complaint

    def _act(self, record: Any, e: Any, code: str, actor: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            "aggregate_id": str(record.id),
            "aggregate_type": type(record).__name__,
            "code": code,
            "version": e.originator_version,
            "type": event_type(e),
            "timestamp": e.timestamp,
            "actor": actor or e.actor,
            "basis": getattr(e, "basis", None),
        }

    # -- re-checks ---------------------------------------------------------------------------

    def invalid(self, org_code: str) -> list[dict[str, Any]]:
        """Acts whose maker had no power at that moment, or who approved their own proposal."""
        invalid = []
        # A record whose grant (or later change) fails its own re-check confers nothing afterwards:
        # acts are re-checked oldest first, so power that flowed from a forged grant is caught too.
        self._tainted: set[str] = set()
        for act, check in sorted(self._acts(org_code), key=lambda pair: pair[0]["timestamp"]):
            try:
                user = self.user_at(act["actor"].get("user_id"), act["timestamp"])
                if user is None:
                    raise NoAuthority("ไม่พบผู้ใช้ ณ เวลานั้น", "the user did not exist at that moment")
                check(org_code, act, user)
            except NotPermitted as exc:
                invalid.append({**act, "reason": exc.en, "code_of_refusal": exc.code})
                if act["aggregate_type"] in ("Delegation", "ActingAppointment"):
                    self._tainted.add(act["aggregate_id"])
        return sorted(invalid, key=lambda a: a["timestamp"])

    def before(self, cls: type, act: dict[str, Any]) -> Any:
        return self.app.load(cls, UUID(act["aggregate_id"]), version=act["version"] - 1)

    def records_at(self, org_code: str, at: datetime) -> tuple[list[Delegation], list[ActingAppointment]]:
        delegations, actings = self.authority.records(org_code, at)
        tainted = getattr(self, "_tainted", set())
        return [d for d in delegations if str(d.id) not in tainted], [a for a in actings if str(a.id) not in tainted]

    def _basis(self, org_code: str, user: User, action: Action, unit: str, amount: int, at: datetime) -> None:
        delegations, actings = self.records_at(org_code, at)
        find_basis(user.username, user.role.value, user.position, action, unit, amount, at, delegations, actings)

    def _confer(
        self,
        org_code: str,
        user: User,
        at: datetime,
        effective: datetime | None,
        parent_id: UUID | None,
        scopes: list[dict[str, Any]] | None,
    ) -> None:
        delegations, actings = self.records_at(org_code, at)
        backdated = effective is not None and business_date(effective) < business_date(at)
        for moment in [at, effective] if backdated else [at]:
            confer_basis(user.username, user.role.value, user.position, moment, delegations, actings, parent_id, scopes)

    def _check_measure(self, org_code: str, act: dict[str, Any], user: User) -> None:
        measure: Measure = self.before(Measure, act)
        check_four_eyes(measure.submitted_by, act["actor"], "อนุมัติเรื่องที่ตนเสนอ", "approve what they submitted")
        unit = str(measure.details.get("responsible_unit") or "")
        self._basis(org_code, user, Action.APPROVE_MEASURE, unit, measure.allocation_satang or 0, act["timestamp"])

    def _check_procurement(self, org_code: str, act: dict[str, Any], user: User) -> None:
        p: Procurement = self.before(Procurement, act)
        check_four_eyes(p.registered_by, act["actor"], "ลงนามประกาศของโครงการที่ตนบันทึก", "sign their own procurement")
        self._basis(org_code, user, Action.SIGN_PROCUREMENT_NOTICE, p.unit, p.budget_satang, act["timestamp"])

    def _check_complaint(self, org_code: str, act: dict[str, Any], user: User) -> None:
        c: Complaint = self.before(Complaint, act)
        action = COMPLAINT_DECISIONS.get(act["type"], Action.DECIDE_DISCIPLINE)
        self._basis(org_code, user, action, c.unit or "", 0, act["timestamp"])

    def _check_delegation(self, org_code: str, act: dict[str, Any], user: User) -> None:
        d: Delegation = self.before(Delegation, act)
        after: Delegation = self.app.load(Delegation, d.id, version=act["version"])
        at, actor = act["timestamp"], act["actor"]
        if act["type"] in REVOCATION_EVENTS:
            own = actor["username"] != d.delegator["username"] or d.parent_id is None
            if actor["username"] != d.delegator["username"] and actor.get("role") != "executive":
                raise NotPermitted("ผู้เพิกถอนไม่ใช่ผู้มอบอำนาจหรือนายก", "revoked by neither the delegator nor the executive")
            self._confer(org_code, user, at, None, None if own else d.parent_id, None)
            return
        if actor["username"] != d.delegator["username"]:
            raise NotPermitted("ผู้ลงนามไม่ใช่ผู้มอบอำนาจ", "signed by someone other than the delegator")
        if act["type"] in SIGNED_ORDER_EVENTS:
            check_four_eyes(d.drafted_by, actor, "ลงนามคำสั่งที่ตนร่าง", "sign an order they drafted")
            scopes, effective = d.scope_versions[0]["scopes"], start_of_day(d.valid_from)
        else:
            latest = after.scope_versions[-1]
            scopes, effective = latest["scopes"], start_of_day(latest["effective_from"])
        self._confer(org_code, user, at, effective, d.parent_id, scopes)

    def _check_acting(self, org_code: str, act: dict[str, Any], user: User) -> None:
        record: ActingAppointment = self.before(ActingAppointment, act)
        check_four_eyes(record.drafted_by, act["actor"], "ลงนามคำสั่งที่ตนร่าง", "sign an order they drafted")
        check_four_eyes(record.acting, act["actor"], "ลงนามแต่งตั้งตนเอง", "sign their own appointment")
        self._confer(org_code, user, act["timestamp"], record.starts, None, None)

    # -- backdating --------------------------------------------------------------------------

    def backdated(self, org_code: str) -> list[dict[str, Any]]:
        """Records that give power from before the day they were signed: who, when, from when, why."""
        found = []
        delegations, actings = self.authority.records(org_code)
        for record in [*delegations, *actings]:
            for e in self.app.stored_events(record.id):
                kind = event_type(e)
                if kind == "Signed" and isinstance(record, Delegation):
                    claims = record.valid_from
                elif kind == "Signed":
                    claims = business_date(record.starts)
                elif kind == "AmendmentSigned":
                    claims = e.effective_from
                else:
                    continue
                recorded = business_date(e.timestamp)
                if claims < recorded:
                    found.append(
                        {
                            **self._act(record, e, record.order_no),
                            "signed_by": e.actor,
                            "recorded_at": e.timestamp,
                            "applies_from": claims,
                            "days_back": (recorded - claims).days,
                            "reason": getattr(e, "backdate_reason", None) or getattr(e, "note", ""),
                        }
                    )
        return sorted(found, key=lambda a: a["recorded_at"])

    def user_at(self, user_id: str | None, at: Any) -> User | None:
        if not user_id:
            return None
        version = self.app.version_at(UUID(user_id), at)
        return None if version is None else self.app.load(User, UUID(user_id), version=version)
