"""Delegation orders and acting records: drafting, signing, circulating, amending, revoking, reporting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from application.authority import Authority
from application.ports import Locks, hold
from application.store import Prongsai, check_version
from domain.catalogue import EXECUTIVE_OFFICE, MANAGERS
from domain.clock import Clock, end_of_day, start_of_day, today
from domain.delegation import (
    IN_FORCE,
    ActingAppointment,
    Delegation,
    DelegationStatus,
    clean_scopes,
    person,
    scope_within,
)
from domain.delegation_commands import ACTING, DELEGATIONS
from domain.errors import InvalidInput, NotFound, NotPermitted
from domain.people import Role, User

DRAFTERS = MANAGERS  # who may draft an order; signing it is the catalogue's "issue" (domain/delegation_commands.py)


def check_role(user: User, allowed: frozenset[Role], what_th: str, what_en: str) -> None:
    if user.role not in allowed:
        raise NotPermitted(f"บทบาท '{user.role.thai}' ไม่มีสิทธิ์{what_th}", f"role '{user.role.value}' may not {what_en}")


class Delegations:
    def __init__(
        self,
        app: Prongsai,
        authority: Authority,
        users_get: Callable[[str], User],
        clock: Clock,
        report_deadline_day: int = 5,
        locks: Locks | None = None,
    ) -> None:
        self.app = app
        self.authority = authority
        self.users_get = users_get
        self.clock = clock
        self.report_deadline_day = report_deadline_day
        self.locks = locks

    def today(self) -> date:
        return today(self.clock)

    def member(self, username: str, org_code: str) -> User:
        try:
            user = self.users_get(username)
        except NotFound:
            raise InvalidInput(f"ไม่พบผู้ใช้ '{username}'", f"user '{username}' not found") from None
        if not user.may_see(org_code) or user.role is Role.AUDITOR or not user.active:
            raise InvalidInput(
                f"'{username}' ไม่ใช่บุคลากรของหน่วยงาน {org_code}", f"'{username}' is not staff of {org_code}"
            )
        return user

    def get(self, user: User, delegation_id: UUID) -> Delegation:
        delegation = self.app.load(Delegation, delegation_id)
        if not user.may_see(delegation.org_code):
            raise NotFound(f"ไม่พบคำสั่ง {delegation_id}", f"delegation {delegation_id} not found")
        return delegation

    def list(self, org_code: str) -> list[Delegation]:
        return self.authority.records(org_code)[0]

    def by_order(self, org_code: str, order_no: str) -> Delegation:
        delegation = self.app.find(Delegation, Delegation.create_id(org_code, order_no.strip()))
        if delegation is None:
            raise NotFound(f"ไม่พบคำสั่งเลขที่ {order_no}", f"no order {order_no}")
        return delegation

    def draft(
        self,
        user: User,
        org_code: str,
        order_no: str,
        order_date: date,
        delegator: str,
        delegate: str,
        scopes: list[dict[str, Any]],
        valid_from: date,
        valid_until: date | None = None,
        sub_delegation_allowed: bool = False,
        parent_order_no: str | None = None,
    ) -> Delegation:
        check_role(user, DRAFTERS, "ร่างคำสั่งมอบอำนาจ", "draft delegation orders")
        if not user.may_see(org_code):
            raise NotFound(f"ไม่พบหน่วยงานรหัส {org_code}", f"organisation {org_code} not found")
        if self.app.exists(Delegation.create_id(org_code, order_no.strip())):
            raise InvalidInput(f"มีคำสั่งเลขที่ {order_no} แล้ว", f"order {order_no} already exists")
        giver, taker = self.member(delegator, org_code), self.member(delegate, org_code)
        parent = self.by_order(org_code, parent_order_no) if parent_order_no else None
        delegation = Delegation.draft(
            org_code=org_code,
            order_no=order_no,
            order_date=order_date,
            delegator=person(giver.username, giver.display_name, giver.position),
            delegate=person(taker.username, taker.display_name, taker.position),
            scopes=scopes,
            valid_from=valid_from,
            valid_until=valid_until,
            sub_delegation_allowed=sub_delegation_allowed,
            parent_id=parent.id if parent else None,
            actor=user.as_actor(),
        )
        self.check_delegator_holds(giver, delegation, parent)
        with hold(self.locks, f"index/{org_code}"):  # one new index entry at a time (see Procurements.register)
            logged = self.authority.index(org_code).trigger_event(record_id=delegation.id, kind="delegation")
            self.app.commit(delegation, logged)
        return delegation

    def check_delegator_holds(self, giver: User, child: Delegation, parent: Delegation | None) -> None:
        """Of the position's own power (executive or one who may act as executive), or under a parent that allows it."""
        if parent is None:
            # Of the position's own power: whether the delegator holds it (as executive, or acting
            # in that office) is checked when they sign — a draft confers nothing.
            if giver.role not in (Role.EXECUTIVE, Role.DEPUTY, Role.CLERK):
                raise NotPermitted(
                    "ผู้มอบอำนาจที่ไม่ใช่นายกต้องมอบต่อภายใต้คำสั่งที่อนุญาตให้มอบต่อ",
                    "only the executive (or one acting as executive) delegates of their own power; "
                    "name the parent order to sub-delegate",
                )
            return
        if parent.delegate["username"] != giver.username:
            raise InvalidInput(
                f"คำสั่ง {parent.order_no} ไม่ได้มอบอำนาจให้ผู้มอบ",
                f"order {parent.order_no} was not given to the delegator",
            )
        if not parent.sub_delegation_allowed:
            raise InvalidInput(
                f"คำสั่ง {parent.order_no} ไม่อนุญาตให้มอบอำนาจต่อ",
                f"order {parent.order_no} does not allow sub-delegation",
            )
        if parent.status not in IN_FORCE:
            raise InvalidInput(f"คำสั่ง {parent.order_no} ไม่มีผลใช้บังคับ", f"order {parent.order_no} is not in force")
        if child.valid_from < parent.valid_from or (
            parent.valid_until is not None and (child.valid_until is None or child.valid_until > parent.valid_until)
        ):
            raise InvalidInput(
                "คำสั่งมอบต่อต้องไม่มีผลนานกว่าคำสั่งเดิม", "a sub-delegation cannot outlive (or predate) its parent"
            )
        parent_scopes = parent.scope_versions[-1]["scopes"]
        for scope in child.scope_versions[0]["scopes"]:
            if not scope_within(scope, parent_scopes):
                raise InvalidInput(
                    f"ขอบเขตอำนาจกว้างกว่าคำสั่งเดิมหรือวงเงินเกินของผู้มอบ: {scope}",
                    f"scope wider than the parent order or ceiling above the delegator's own: {scope}",
                )

    def _for_update(self, user: User, delegation_id: UUID, version: int) -> Delegation:
        delegation = self.get(user, delegation_id)
        check_version(delegation, version)
        return delegation

    def issue(self, user: User, delegation_id: UUID, version: int, backdate_reason: str = "") -> Delegation:
        """The delegator signs: role (403) → state (409) → four eyes (403) → power to confer (403)."""
        DELEGATIONS.check_role(user, "issue")
        delegation = self._for_update(user, delegation_id, version)

        def basis() -> dict[str, Any]:
            scopes = delegation.scope_versions[0]["scopes"]
            return self.authority.confer(
                user, delegation.org_code, start_of_day(delegation.valid_from), delegation.parent_id, scopes
            )

        delegation.issue(user.as_actor(), self.today(), basis, backdate_reason)
        self.app.commit(delegation)
        return delegation

    def circulate(self, user: User, delegation_id: UUID, version: int, recipients: list[str]) -> Delegation:
        DELEGATIONS.check_role(user, "circulate")
        delegation = self._for_update(user, delegation_id, version)
        delegation.circulate(user.as_actor(), recipients)
        self.app.commit(delegation)
        return delegation

    def acknowledge(self, user: User, delegation_id: UUID, version: int, unit: str) -> Delegation:
        DELEGATIONS.check_role(user, "acknowledge")
        delegation = self._for_update(user, delegation_id, version)
        delegation.acknowledge(user.as_actor(), unit)
        self.app.commit(delegation)
        return delegation

    def publish(self, user: User, delegation_id: UUID, version: int) -> Delegation:
        DELEGATIONS.check_role(user, "publish")
        delegation = self._for_update(user, delegation_id, version)
        delegation.publish(user.as_actor(), self.today())
        self.app.commit(delegation)
        return delegation

    def amend(
        self,
        user: User,
        delegation_id: UUID,
        version: int,
        scopes: list[dict[str, Any]],
        effective_from: date,
        note: str = "",
    ) -> Delegation:
        DELEGATIONS.check_role(user, "amend")
        delegation = self._for_update(user, delegation_id, version)
        cleaned = clean_scopes(scopes)
        if delegation.parent_id is not None:
            parent = self.app.load(Delegation, delegation.parent_id)
            for scope in cleaned:
                if not scope_within(scope, parent.scope_versions[-1]["scopes"]):
                    raise InvalidInput(
                        f"ขอบเขตอำนาจกว้างกว่าคำสั่งเดิม: {scope}", f"scope wider than the parent order: {scope}"
                    )

        def basis() -> dict[str, Any]:
            return self.authority.confer(
                user, delegation.org_code, start_of_day(effective_from), delegation.parent_id, cleaned
            )

        delegation.amend(user.as_actor(), scopes, effective_from, note, self.today(), basis)
        self.app.commit(delegation)
        return delegation

    def revoke(self, user: User, delegation_id: UUID, version: int, reason: str) -> Delegation:
        DELEGATIONS.check_role(user, "revoke")
        delegation = self._for_update(user, delegation_id, version)
        now = self.clock.now()

        def basis() -> dict[str, Any]:
            return self.authority.confer(user, delegation.org_code, now, delegation.revocation_parent(user.as_actor()))

        delegation.revoke(user.as_actor(), now, reason, basis)
        self.app.commit(delegation)
        return delegation

    def file_report(
        self, user: User, delegation_id: UUID, version: int, month: str, summary: str, actions_count: int
    ) -> Delegation:
        DELEGATIONS.check_role(user, "report")
        delegation = self._for_update(user, delegation_id, version)
        if user.username != delegation.delegate["username"]:
            raise NotPermitted("ผู้รับมอบอำนาจเท่านั้นที่รายงานได้", "only the delegate files the monthly report")
        delegation.file_report(user.as_actor(), month, summary, actions_count, self.today())
        self.app.commit(delegation)
        return delegation

    def overdue_reports(self, org_code: str) -> list[dict[str, Any]]:
        today = self.today()
        overdue = []
        for delegation in self.list(org_code):
            if delegation.status is DelegationStatus.DRAFTED:
                continue
            months = delegation.months_due(today, self.report_deadline_day)
            if months:
                overdue.append({"delegation": delegation, "months": months})
        return overdue

    def appoint_acting(
        self,
        user: User,
        org_code: str,
        order_no: str,
        acting: str,
        holder: str,
        starts: datetime,
        ends: datetime | None,
        reason: str,
    ) -> ActingAppointment:
        check_role(user, EXECUTIVE_OFFICE, "แต่งตั้งผู้รักษาราชการแทน", "appoint an acting holder")
        if not user.may_see(org_code):
            raise NotFound(f"ไม่พบหน่วยงานรหัส {org_code}", f"organisation {org_code} not found")
        if starts.tzinfo is None or (ends is not None and ends.tzinfo is None):
            raise InvalidInput("เวลาต้องระบุเขตเวลา", "times must include a timezone offset")
        if any(t is not None and not 1900 <= t.year <= 2200 for t in (starts, ends)):
            raise InvalidInput("ช่วงเวลารักษาราชการแทนต้องอยู่ระหว่างปี พ.ศ. 2443–2743",
                               "an acting period must lie between the years 1900 and 2200")  # fmt: skip
        if self.app.exists(ActingAppointment.create_id(org_code, order_no.strip())):
            raise InvalidInput(f"มีคำสั่งเลขที่ {order_no} แล้ว", f"order {order_no} already exists")
        who, absent = self.member(acting, org_code), self.member(holder, org_code)
        record = ActingAppointment.appoint(
            org_code=org_code,
            order_no=order_no,
            acting=person(who.username, who.display_name, who.position),
            holder=person(absent.username, absent.display_name, absent.position),
            holder_role=absent.role.value,
            starts=starts,
            ends=ends,
            reason=reason,
            actor=user.as_actor(),
        )
        with hold(self.locks, f"index/{org_code}"):
            logged = self.authority.index(org_code).trigger_event(record_id=record.id, kind="acting")
            self.app.commit(record, logged)
        return record

    def draft_acting(
        self,
        user: User,
        org_code: str,
        order_no: str,
        acting: str,
        holder: str,
        start_day: date,
        start_time: str = "",
        end_day: date | None = None,
        reason: str = "",
    ) -> ActingAppointment:
        """The same appointment as dates and a time of day, as a clerk writes it (Bangkok time); it ends at
        the end of ``end_day``."""
        starts = start_of_day(start_day)
        if start_time.strip():
            try:
                at = time.fromisoformat(start_time.strip())
            except ValueError:
                raise InvalidInput("เวลาเริ่มต้องเป็น ชั่วโมง:นาที เช่น 08:30", "the start time must be HH:MM, e.g. 08:30",
                                   field="start_time") from None  # fmt: skip
            starts = starts.replace(hour=at.hour, minute=at.minute)
        ends = end_of_day(end_day) if end_day is not None else None
        return self.appoint_acting(user, org_code, order_no, acting, holder, starts, ends, reason)

    def sign_acting(self, user: User, acting_id: UUID, version: int, backdate_reason: str = "") -> ActingAppointment:
        """Whoever holds the power to confer power (the executive, or one acting in that office) signs.

        A draft confers nothing. The drafter and the person appointed may not sign; a start in the
        past needs a reason and the signer's power must have existed from that start.
        """
        ACTING.check_role(user, "sign")
        record = self._acting_for_update(user, acting_id, version)
        now = self.clock.now()
        record.sign(
            user.as_actor(), now, lambda: self.authority.confer(user, record.org_code, record.starts), backdate_reason
        )
        self.app.commit(record)
        return record

    def get_acting(self, user: User, acting_id: UUID) -> ActingAppointment:
        record = self.app.load(ActingAppointment, acting_id)
        if not user.may_see(record.org_code):
            raise NotFound(f"ไม่พบคำสั่ง {acting_id}", f"acting record {acting_id} not found")
        return record

    def _acting_for_update(self, user: User, acting_id: UUID, version: int) -> ActingAppointment:
        record = self.get_acting(user, acting_id)
        check_version(record, version)
        return record

    def end_acting(self, user: User, acting_id: UUID, version: int) -> ActingAppointment:
        ACTING.check_role(user, "end")
        record = self._acting_for_update(user, acting_id, version)
        record.end(user.as_actor(), self.clock.now())
        self.app.commit(record)
        return record
