"""Delegations of authority (คำสั่งมอบอำนาจ) and acting in office (รักษาราชการแทน).

A delegation is a numbered municipal order from a delegator to a named delegate, covering scoped
powers. Its life: drafted → issued (signed) → circulated (each delegate and unit acknowledges) →
published → amended (new scope version, effective from a date) → revoked, or expired by date.

Over 400 lines on purpose: the order and the acting record are kept in the module their stored
event topics name (``domain.delegation:…``); scopes live in domain/scopes.py, the catalogue in
domain/delegation_commands.py.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import DomainEvent, event

from domain.base import ProngsaiAggregate
from domain.clock import BANGKOK  # noqa: F401 (re-exported)
from domain.clock import business_date as local_date
from domain.delegation_commands import (  # noqa: F401 (re-exported)
    ACTING,
    ACTION_THAI,
    DELEGATIONS,
    IN_FORCE,
    POWER_THAI,
    ActingStage,
    Action,
    DelegationStatus,
    Power,
)
from domain.duties import LazyBasis, check_four_eyes, resolve
from domain.errors import InvalidInput, InvalidTransition, NotPermitted
from domain.people import NS
from domain.scopes import ALL_UNITS, check_backdating, clean_scopes, scope_within, unit_covers, unit_key  # noqa: F401
from domain.shapes import Actor, Person


def person(username: str, name: str, position: str) -> Person:
    return {"username": username, "name": name, "position": position}


class Delegation(ProngsaiAggregate):
    @staticmethod
    def create_id(org_code: str, order_no: str) -> UUID:
        return uuid5(NS, f"delegation/{org_code}/{order_no}")

    @event("Drafted")
    def __init__(
        self,
        org_code: str,
        order_no: str,
        order_date: date,
        delegator: Person,
        delegate: Person,
        scopes: list[dict[str, Any]],
        valid_from: date,
        valid_until: date | None,
        sub_delegation_allowed: bool,
        parent_id: UUID | None,
        actor: Actor,
    ) -> None:
        self.org_code = org_code
        self.order_no = order_no
        self.order_date = order_date
        self.delegator = delegator
        self.delegate = delegate
        self.valid_from = valid_from
        self.valid_until = valid_until
        self.sub_delegation_allowed = sub_delegation_allowed
        self.parent_id = parent_id
        self.drafted_by = actor
        self.signature: dict[str, Any] | None = None
        self.status = DelegationStatus.DRAFTED
        # scope versions: each {"scopes", "effective_from", "version"}; the newest in effect wins
        self.scope_versions: list[dict[str, Any]] = [{"scopes": scopes, "effective_from": valid_from, "version": 1}]
        self.issued_on: date | None = None
        self.acknowledgements: list[dict[str, Any]] = []
        self.published_on: date | None = None
        self.revoked_at: datetime | None = None
        self.revocation_reason: str | None = None
        self.reports: dict[str, dict[str, Any]] = {}

    @classmethod
    def draft(
        cls,
        org_code: str,
        order_no: str,
        order_date: date,
        delegator: Person,
        delegate: Person,
        scopes: list[dict[str, Any]],
        valid_from: date,
        valid_until: date | None,
        sub_delegation_allowed: bool,
        parent_id: UUID | None,
        actor: Actor,
    ) -> Delegation:
        order_no = order_no.strip()
        if not order_no:
            raise InvalidInput("ต้องระบุเลขที่คำสั่ง", "the order number is required")
        if delegate["username"] == delegator["username"]:
            raise InvalidInput("ผู้รับมอบอำนาจต้องไม่ใช่ผู้มอบอำนาจ", "the delegate cannot be the delegator")
        if valid_until is not None and valid_until < valid_from:
            raise InvalidInput(
                "วันสิ้นสุดต้องไม่ก่อนวันเริ่มมีผล", "the order cannot end before it starts (valid_until < valid_from)"
            )
        return cls(
            org_code=org_code,
            order_no=order_no,
            order_date=order_date,
            delegator=delegator,
            delegate=delegate,
            scopes=clean_scopes(scopes),
            valid_from=valid_from,
            valid_until=valid_until,
            sub_delegation_allowed=sub_delegation_allowed,
            parent_id=parent_id,
            actor=actor,
        )

    # -- rules -------------------------------------------------------------------------------

    def guard(self, command: str) -> None:
        """The state guard, read from the catalogue (domain/delegation_commands.py)."""
        DELEGATIONS.check_state(self, command)

    def scopes_at(self, day: date) -> tuple[list[dict[str, Any]], int] | None:
        """The scope version in effect on a day, with the aggregate version that recorded it."""
        current = None
        for version in self.scope_versions:
            if version["effective_from"] <= day:
                current = version
        return None if current is None else (current["scopes"], current["version"])

    def in_force_at(self, moment: datetime) -> str | None:
        """``None`` when in force at the moment, else why not (English)."""
        day = local_date(moment)
        if self.status is DelegationStatus.DRAFTED:
            return "not yet issued"
        if self.revoked_at is not None and self.revoked_at <= moment:
            return f"revoked at {self.revoked_at.isoformat()}"
        if day < self.valid_from:
            return f"not valid before {self.valid_from.isoformat()}"
        if self.valid_until is not None and day > self.valid_until:
            return f"expired on {self.valid_until.isoformat()}"
        return None

    # -- commands ----------------------------------------------------------------------------

    def check_signable(self, actor: Actor) -> None:
        """State (409), then four eyes and the delegator's own signature (403)."""
        self.guard("issue")
        check_four_eyes(self.drafted_by, actor, "ลงนามคำสั่งที่ตนร่าง", "sign an order they drafted")
        if actor.get("username") != self.delegator["username"]:
            raise NotPermitted("ผู้มอบอำนาจเท่านั้นที่ลงนามได้", "only the delegator may sign (issue) the order")

    def issue(self, actor: Actor, signed_on: date, basis: LazyBasis, backdate_reason: str = "") -> None:
        """The delegator signs: the order takes effect (from ``valid_from``) under the basis found."""
        self.check_signable(actor)
        reason = check_backdating(self.valid_from, signed_on, backdate_reason)
        self._sign(actor=actor, signed_on=signed_on, basis=resolve(basis), backdate_reason=reason)

    @event("Signed")
    def _sign(self, actor: Actor, signed_on: date, basis: dict[str, Any], backdate_reason: str) -> None:
        self.status = DelegationStatus.ISSUED
        self.issued_on = signed_on
        self.signature = {"by": actor, "basis": basis, "signed_on": signed_on, "backdate_reason": backdate_reason}

    @event("Issued")
    def _issue(self, actor: Actor, signed_on: date) -> None:
        """Recorded before signatures carried their basis; replayed as it was."""
        self.status = DelegationStatus.ISSUED
        self.issued_on = signed_on
        self.signature = {"by": actor, "basis": None, "signed_on": signed_on, "backdate_reason": ""}

    def circulate(self, actor: Actor, recipients: list[str]) -> None:
        self.guard("circulate")
        units = [r.strip() for r in recipients if r.strip()]
        if not units:
            raise InvalidInput("ต้องระบุผู้รับแจ้งเวียน", "name at least one recipient unit")
        self._circulate(actor=actor, recipients=units)

    @event("Circulated")
    def _circulate(self, actor: Actor, recipients: list[str]) -> None:
        self.status = DelegationStatus.CIRCULATED
        self.recipients = recipients

    def acknowledge(self, actor: Actor, unit: str) -> None:
        self.guard("acknowledge")
        unit = unit.strip()
        if unit not in self.recipients:
            raise InvalidInput(f"'{unit}' ไม่อยู่ในรายชื่อผู้รับแจ้งเวียน", f"'{unit}' is not among the recipients of this order")
        if any(a["unit"] == unit for a in self.acknowledgements):
            raise InvalidTransition(f"'{unit}' รับทราบแล้ว", f"'{unit}' has already acknowledged")
        self._acknowledge(actor=actor, unit=unit)

    @event("ReceiptAcknowledged")
    def _acknowledge(self, actor: Actor, unit: str) -> None:
        self.acknowledgements.append({"unit": unit, "by": actor})

    def publish(self, actor: Actor, published_on: date) -> None:
        self.guard("publish")
        self._publish(actor=actor, published_on=published_on)

    @event("Published")
    def _publish(self, actor: Actor, published_on: date) -> None:
        self.status = DelegationStatus.PUBLISHED
        self.published_on = published_on

    def amend(
        self,
        actor: Actor,
        scopes: list[dict[str, Any]],
        effective_from: date,
        note: str,
        today: date,
        basis: LazyBasis,
    ) -> None:
        """The delegator signs an amendment; in the past only with a reason (``note``)."""
        self.check_amendable(actor)
        note = check_backdating(effective_from, today, note)
        if effective_from < self.valid_from:
            raise InvalidInput(
                "วันที่มีผลของการแก้ไขต้องไม่ก่อนวันเริ่มมีผลของคำสั่ง",
                "an amendment cannot take effect before the order does",
            )
        if self.scope_versions[-1]["effective_from"] > effective_from:
            raise InvalidInput("วันที่มีผลต้องไม่ก่อนการแก้ไขครั้งก่อน", "an amendment cannot take effect before the previous one")
        self._sign_amendment(
            actor=actor, scopes=clean_scopes(scopes), effective_from=effective_from, note=note, basis=resolve(basis)
        )

    @event("AmendmentSigned")
    def _sign_amendment(
        self, actor: Actor, scopes: list[dict[str, Any]], effective_from: date, note: str, basis: dict[str, Any]
    ) -> None:
        self.scope_versions.append({"scopes": scopes, "effective_from": effective_from, "version": self.version + 1})

    @event("Amended")
    def _amend(self, actor: Actor, scopes: list[dict[str, Any]], effective_from: date, note: str) -> None:
        """Recorded before amendments carried their basis; replayed as it was."""
        self.scope_versions.append({"scopes": scopes, "effective_from": effective_from, "version": self.version + 1})

    def check_amendable(self, actor: Actor) -> None:
        self.guard("amend")
        if actor.get("username") != self.delegator["username"]:
            raise NotPermitted("ผู้มอบอำนาจเท่านั้นที่แก้ไขคำสั่งได้", "only the delegator may amend the order")

    def check_revocable(self, actor: Actor) -> None:
        self.guard("revoke")
        if actor.get("username") != self.delegator["username"] and actor.get("role") != "executive":
            raise NotPermitted("ผู้มอบอำนาจหรือนายกเท่านั้นที่เพิกถอนได้", "only the delegator or the executive may revoke")

    def revocation_parent(self, actor: Actor) -> UUID | None:
        """The delegator revokes under the power they gave (their parent order); the executive under
        the position's own power (no parent)."""
        return self.parent_id if actor.get("username") == self.delegator["username"] else None

    def revoke(self, actor: Actor, at: datetime, reason: str, basis: LazyBasis) -> None:
        self.check_revocable(actor)
        if not reason.strip():
            raise InvalidInput("ต้องระบุเหตุผลการเพิกถอน", "a reason for the revocation is required")
        self._sign_revocation(actor=actor, at=at, reason=reason.strip(), basis=resolve(basis))

    @event("RevocationSigned")
    def _sign_revocation(self, actor: Actor, at: datetime, reason: str, basis: dict[str, Any]) -> None:
        self.status = DelegationStatus.REVOKED
        self.revoked_at = at
        self.revocation_reason = reason

    @event("Revoked")
    def _revoke(self, actor: Actor, at: datetime, reason: str) -> None:
        """Recorded before revocations carried their basis; replayed as it was."""
        self.status = DelegationStatus.REVOKED
        self.revoked_at = at
        self.revocation_reason = reason

    def file_report(self, actor: Actor, month: str, summary: str, actions_count: int, today: date) -> None:
        self.guard("report")
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError:
            raise InvalidInput("เดือนต้องอยู่ในรูป YYYY-MM", "month must be YYYY-MM") from None
        if first > today:
            raise InvalidInput("รายงานเดือนในอนาคตไม่ได้", "cannot report on a future month")
        if month in self.reports:
            raise InvalidTransition(f"รายงานเดือน {month} แล้ว", f"month {month} is already reported")
        if actions_count < 0 or not summary.strip():
            raise InvalidInput("ต้องมีสรุปผลและจำนวนครั้งไม่ติดลบ", "a summary and a non-negative action count are required")
        self._report(actor=actor, month=month, summary=summary.strip(), actions_count=actions_count)

    @event("MonthlyReportFiled")
    def _report(self, actor: Actor, month: str, summary: str, actions_count: int) -> None:
        self.reports[month] = {"summary": summary, "actions_count": actions_count, "by": actor}

    # -- derived -----------------------------------------------------------------------------

    def months_due(self, today: date, deadline_day: int) -> list[str]:
        """Months whose report deadline (day N of the next month) has passed without a report."""
        start = self.valid_from.replace(day=1)
        end = self.valid_until or today
        if self.revoked_at is not None:
            end = min(end, local_date(self.revoked_at))
        missing = []
        month = start
        while month <= end:
            next_month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
            deadline = next_month.replace(day=min(deadline_day, 28))
            key = month.strftime("%Y-%m")
            if today > deadline and key not in self.reports:
                missing.append(key)
            month = next_month
        return missing


class ActingAppointment(ProngsaiAggregate):
    """Who acts in a position while its holder is absent (รักษาราชการแทน), from/until."""

    @staticmethod
    def create_id(org_code: str, order_no: str) -> UUID:
        return uuid5(NS, f"acting/{org_code}/{order_no}")

    @event("Appointed")
    def __init__(
        self,
        org_code: str,
        order_no: str,
        acting: Person,
        holder: Person,
        holder_role: str,
        starts: datetime,
        ends: datetime | None,
        reason: str,
        actor: Actor,
    ) -> None:
        self.org_code = org_code
        self.order_no = order_no
        self.acting = acting
        self.holder = holder
        self.holder_role = holder_role
        self.starts = starts
        self.ends = ends
        self.reason = reason
        self.drafted_by = actor
        self.signature: dict[str, Any] | None = None  # a draft confers nothing until signed
        self.ended_by: Actor | None = None

    @classmethod
    def appoint(
        cls,
        org_code: str,
        order_no: str,
        acting: Person,
        holder: Person,
        holder_role: str,
        starts: datetime,
        ends: datetime | None,
        reason: str,
        actor: Actor,
    ) -> ActingAppointment:
        if acting["username"] == holder["username"]:
            raise InvalidInput("ผู้รักษาราชการแทนต้องไม่ใช่ผู้ดำรงตำแหน่ง", "the acting person cannot be the holder")
        if ends is not None and ends <= starts:
            raise InvalidInput("วันสิ้นสุดต้องหลังวันเริ่ม", "the acting period must end after it starts")
        if not order_no.strip():
            raise InvalidInput("ต้องระบุเลขที่คำสั่ง", "the order number is required")
        return cls(
            org_code=org_code,
            order_no=order_no.strip(),
            acting=acting,
            holder=holder,
            holder_role=holder_role,
            starts=starts,
            ends=ends,
            reason=reason,
            actor=actor,
        )

    @property
    def stage(self) -> ActingStage:
        if self.ended_by is not None:
            return ActingStage.ENDED
        return ActingStage.DRAFTED if self.signature is None else ActingStage.SIGNED

    def check_signable(self, actor: Actor, signed_at: datetime) -> None:
        ACTING.check_state(self, "sign")
        if self.ends is not None and self.ends <= signed_at:
            raise InvalidTransition("การรักษาราชการแทนสิ้นสุดแล้ว", "the acting period has already ended")
        check_four_eyes(self.drafted_by, actor, "ลงนามคำสั่งที่ตนร่าง", "sign an order they drafted")
        check_four_eyes(self.acting, actor, "ลงนามแต่งตั้งตนเอง", "sign their own appointment")

    def sign(self, actor: Actor, signed_at: datetime, basis: LazyBasis, backdate_reason: str = "") -> None:
        self.check_signable(actor, signed_at)
        reason = check_backdating(local_date(self.starts), local_date(signed_at), backdate_reason)
        self._sign(actor=actor, basis=resolve(basis), backdate_reason=reason)

    @event("Signed")
    def _sign(self, actor: Actor, basis: dict[str, Any], backdate_reason: str) -> None:
        self.signature = {"by": actor, "basis": basis, "backdate_reason": backdate_reason}

    def end(self, actor: Actor, at: datetime) -> None:
        ACTING.check_state(self, "end")
        if self.ends is not None and self.ends <= at:
            raise InvalidTransition("การรักษาราชการแทนสิ้นสุดแล้ว", "the acting period has already ended")
        if at < self.starts:
            raise InvalidInput("สิ้นสุดก่อนเริ่มไม่ได้", "cannot end before it starts")
        self._end(actor=actor, at=at)

    @event("Ended")
    def _end(self, actor: Actor, at: datetime) -> None:
        self.ends = at
        self.ended_by = actor

    def covers(self, moment: datetime) -> bool:
        return self.signature is not None and self.starts <= moment and (self.ends is None or moment < self.ends)


def delegations_log_id(org_code: str) -> UUID:
    return uuid5(NS, f"index/{org_code}/authority")


class AuthorityRecordLogged(DomainEvent):
    """Index entry: a delegation or acting record of one organisation (EventSourcedLog)."""

    record_id: UUID
    kind: str
