"""Auditors' questions about power: which acts were made under order N, and were any invalid?

Every act that *uses* power (approving or returning a measure, signing a procurement notice,
deciding a complaint or a disciplinary step) and every act that *confers* it (signing an order, a
sub-delegation, an amendment, a revocation, an acting appointment) is re-checked from the log at
its own moment, with the records as they stood then — authority and four eyes alike. A correct
log gives an empty list; anything written around the services shows up here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from application.authority import Authority
from application.history import event_type
from application.measures import Measures
from application.store import Prongsai
from domain.authority import confer_basis_from, find_basis
from domain.clock import business_date, start_of_day
from domain.complaint import Complaint
from domain.delegation import ActingAppointment, Action, Delegation
from domain.errors import DomainError, NoAuthority
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
CONFERRING = {"Delegation", "ActingAppointment"}
DECISION_COMMANDS = {"Approved": "approve", "Returned": "return"}  # the catalogue commands behind the events

Records = tuple[list[Delegation], list[ActingAppointment]]
RecordsAt = Callable[[datetime], Records]


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
                if isinstance(record, Delegation) and kind in DELEGATION_ACTS:
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
        """Acts whose maker had no power at that moment, or who approved their own proposal.

        Each act is re-checked with the domain's own guards on the record as it was just before, and
        the authority as it stood at the act's moment. Oldest first: a record whose grant (or later
        change) fails its re-check confers nothing afterwards, so power that flowed from a forged grant
        is caught too.
        """
        tainted: set[str] = set()

        def records_at(at: datetime) -> Records:
            delegations, actings = self.authority.records(org_code, at)
            untainted = [d for d in delegations if str(d.id) not in tainted]
            return untainted, [a for a in actings if str(a.id) not in tainted]

        invalid = []
        for act, check in sorted(self._acts(org_code), key=lambda pair: pair[0]["timestamp"]):
            try:
                user = self.user_at(act["actor"].get("user_id"), act["timestamp"])
                if user is None:
                    raise NoAuthority("ไม่พบผู้ใช้ ณ เวลานั้น", "the user did not exist at that moment")
                check(act, user, records_at)
            except DomainError as exc:
                invalid.append({**act, "reason": exc.en, "code_of_refusal": exc.code})
                if act["aggregate_type"] in CONFERRING:
                    tainted.add(act["aggregate_id"])
        return invalid

    def before(self, cls: type, act: dict[str, Any]) -> Any:
        return self.app.load(cls, UUID(act["aggregate_id"]), version=act["version"] - 1)

    @staticmethod
    def _basis(user: User, action: Action, unit: str, amount: int, at: datetime, records_at: RecordsAt) -> None:
        find_basis(user.username, user.role.value, user.position, action, unit, amount, at, *records_at(at))

    @staticmethod
    def _confer(
        user: User,
        at: datetime,
        effective: datetime | None,
        parent_id: UUID | None,
        scopes: list[dict[str, Any]] | None,
        records_at: RecordsAt,
    ) -> None:
        delegations, actings = records_at(at)
        confer_basis_from(
            user.username, user.role.value, user.position, at, effective, delegations, actings, parent_id, scopes
        )

    def _check_measure(self, act: dict[str, Any], user: User, records_at: RecordsAt) -> None:
        measure: Measure = self.before(Measure, act)
        measure.check_decidable(act["actor"], DECISION_COMMANDS[act["type"]])
        self._basis(user, Action.APPROVE_MEASURE, *measure.approval_target(), act["timestamp"], records_at)

    def _check_procurement(self, act: dict[str, Any], user: User, records_at: RecordsAt) -> None:
        p: Procurement = self.before(Procurement, act)
        p.check_signer(act["actor"])
        self._basis(user, Action.SIGN_PROCUREMENT_NOTICE, p.unit, p.budget_satang, act["timestamp"], records_at)

    def _check_complaint(self, act: dict[str, Any], user: User, records_at: RecordsAt) -> None:
        c: Complaint = self.before(Complaint, act)
        action = COMPLAINT_DECISIONS.get(act["type"], Action.DECIDE_DISCIPLINE)
        self._basis(user, action, c.unit or "", 0, act["timestamp"], records_at)

    def _check_delegation(self, act: dict[str, Any], user: User, records_at: RecordsAt) -> None:
        d: Delegation = self.before(Delegation, act)
        actor = act["actor"]
        if act["type"] in REVOCATION_EVENTS:
            d.check_revocable(actor)
            parent, scopes, effective = d.revocation_parent(actor), None, None
        elif act["type"] in AMENDMENT_EVENTS:
            d.check_amendable(actor)
            latest = self.app.load(Delegation, d.id, version=act["version"]).scope_versions[-1]
            parent, scopes, effective = d.parent_id, latest["scopes"], start_of_day(latest["effective_from"])
        else:
            d.check_signable(actor)
            parent, scopes, effective = d.parent_id, d.scope_versions[0]["scopes"], start_of_day(d.valid_from)
        self._confer(user, act["timestamp"], effective, parent, scopes, records_at)

    def _check_acting(self, act: dict[str, Any], user: User, records_at: RecordsAt) -> None:
        record: ActingAppointment = self.before(ActingAppointment, act)
        record.check_signable(act["actor"], act["timestamp"])
        self._confer(user, act["timestamp"], record.starts, None, None, records_at)

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
