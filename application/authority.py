"""The authority service every act of power goes through: delegations and acting records as they stood at T."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application.store import Index, Prongsai
from domain.authority import OWN_POWER_ROLES, chain_problem, confer_basis_from, find_basis, own_power_basis
from domain.catalogue import Catalogue, Command
from domain.clock import Clock, end_of_day
from domain.delegation import (
    ActingAppointment,
    Action,
    AuthorityRecordLogged,
    Delegation,
    delegations_log_id,
    local_date,
)
from domain.errors import NoAuthority
from domain.people import Role, User


@dataclass(frozen=True)
class Offer:
    """What a person is offered on a record, and what is withheld from them with the reason (th, en)."""

    commands: list[Command]
    withheld: list[tuple[Command, str, str]]


class Authority:
    """Reads delegations and acting records as they stood at any moment."""

    def __init__(self, app: Prongsai, users_get: Callable[[str], User], clock: Clock) -> None:
        self.app = app
        self.users_get = users_get
        self.clock = clock

    def index(self, org_code: str) -> Index[AuthorityRecordLogged]:
        return Index(self.app.events, delegations_log_id(org_code), AuthorityRecordLogged)

    def records(self, org_code: str, at: datetime | None = None) -> tuple[list[Delegation], list[ActingAppointment]]:
        delegations: list[Delegation] = []
        actings: list[ActingAppointment] = []
        for entry in self.index(org_code).get():
            if at is None:
                record = self.app.repository.get(entry.record_id)
            else:
                if entry.timestamp > at:
                    continue
                version = self.app.version_at(entry.record_id, at)
                if version is None:
                    continue
                record = self.app.repository.get(entry.record_id, version=version)
            (delegations if entry.kind == "delegation" else actings).append(record)
        return delegations, actings

    def basis(
        self,
        user: User,
        org_code: str,
        action: Action,
        unit: str,
        amount_satang: int,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """Check at ``at`` (default: now, from the records' current state) and return the basis."""
        if user.role.value in OWN_POWER_ROLES:
            return own_power_basis(user.role.value, user.position)
        delegations, actings = self.records(org_code, at)
        return find_basis(
            user.username,
            user.role.value,
            user.position,
            action,
            unit,
            amount_satang,
            at or self.clock.now(),
            delegations,
            actings,
        )

    def holds(self, user: User, record: Any, action: Action) -> bool:
        """Whether ``user`` holds the power ``action`` over this record now — what the desk asks before it
        offers a command that exercises power. The command itself asks again, with its full checks."""
        try:
            if action is Action.CONFER_POWER:
                self.confer(user, record.org_code, self.clock.now())
            else:
                self.basis(user, record.org_code, action, *record.authority_target())
        except NoAuthority:
            return False
        return True

    def offer(self, catalogue: Catalogue, record: Any, user: User) -> Offer:
        """The commands this person may use on this record now (state, role, four eyes and authority),
        and those the record's state allows that are for someone else, each with why."""
        offered, withheld = [], list(catalogue.withheld(record, user))
        held: dict[Any, bool] = {}  # one authority lookup per power, not per command (a procurement's 8 notices)
        for command in catalogue.offered(record, user):
            if command.power is not None and command.power not in held:
                held[command.power] = self.holds(user, record, command.power)  # type: ignore[arg-type]
            if command.power is None or held[command.power]:
                offered.append(command)
            else:
                withheld.append((command, "ท่านไม่มีอำนาจในเรื่องนี้ (ไม่มีคำสั่งมอบอำนาจที่ครอบคลุม)",
                                 "you hold no power for this (no delegation covers it)"))  # fmt: skip
        return Offer(offered, withheld)

    def confer(
        self,
        user: User,
        org_code: str,
        effective: datetime,
        parent_id: UUID | None = None,
        scopes: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The basis on which ``user`` signs a record that gives power, now *and* from when it applies.

        A record may take effect in the past (with a reason), but never from before the signer's own
        power existed: the check is made at the signing moment and at the effective moment.
        """
        delegations, actings = self.records(org_code)
        return confer_basis_from(
            user.username, user.role.value, user.position, self.clock.now(), effective, delegations, actings,
            parent_id, scopes,
        )  # fmt: skip

    def powers(self, user: User, org_code: str, at: datetime | None = None) -> list[dict[str, Any]]:
        """Everything the user may do at ``at`` and where each power comes from."""
        at = at or self.clock.now()
        delegations, actings = self.records(org_code, at)
        found = []
        if user.role is Role.EXECUTIVE:
            found.append(
                {
                    "scope": {"power": "*", "action": "*", "unit": "*", "ceiling_satang": None},
                    "basis": {"kind": "position", "role": user.role.value, "position": user.position},
                }
            )
        holders = {user.username: None}
        for acting in actings:
            if acting.acting["username"] == user.username and acting.covers(at):
                holders[acting.holder["username"]] = acting
                if acting.holder_role == Role.EXECUTIVE.value:
                    found.append(
                        {
                            "scope": {"power": "*", "action": "*", "unit": "*", "ceiling_satang": None},
                            "basis": {"kind": "acting", "order_no": acting.order_no, "for": acting.holder},
                        }
                    )
        by_id = {d.id: d for d in delegations}
        for delegation in delegations:
            if delegation.delegate["username"] not in holders or chain_problem(delegation, at, by_id):
                continue
            scopes, scope_version = delegation.scopes_at(local_date(at)) or ([], 0)
            acting = holders[delegation.delegate["username"]]
            for scope in scopes:
                basis = {
                    "kind": "delegation",
                    "order_no": delegation.order_no,
                    "delegation_id": str(delegation.id),
                    "version": delegation.version,
                    "scope_version": scope_version,
                }
                if acting is not None:
                    basis = {
                        "kind": "acting",
                        "order_no": acting.order_no,
                        "for": acting.holder,
                        "via": basis,
                    }
                found.append({"scope": scope, "basis": basis})
        return found

    def register(self, org_code: str, day: date | None = None) -> list[Delegation]:
        """The published register: orders in force and published on ``day`` (default today)."""
        at = end_of_day(day) if day else self.clock.now()
        delegations, _ = self.records(org_code, at)
        by_id = {d.id: d for d in delegations}
        return [d for d in delegations if d.published_on is not None and chain_problem(d, at, by_id) is None]
