"""The audit trail of any aggregate: full history and state as of a version or a moment."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from application.store import Prongsai
from domain.errors import InvalidInput, NotFound
from domain.people import LEGACY_SECRET_FIELDS, User

_BOOKKEEPING = {"originator_id", "originator_version", "timestamp", "originator_topic"}


def event_type(domain_event: Any) -> str:
    return type(domain_event).__qualname__.rsplit(".", 1)[-1]


def event_changes(domain_event: Any) -> dict[str, Any]:
    """What an event says, without the library's bookkeeping and without the actor."""
    if is_dataclass(domain_event):
        names = [f.name for f in fields(domain_event)]
    else:
        names = list(vars(domain_event))
    return {
        n: ("[redacted]" if n in LEGACY_SECRET_FIELDS and getattr(domain_event, n) else getattr(domain_event, n))
        for n in names
        if n not in _BOOKKEEPING and n != "actor"
    }


def org_of(aggregate: Aggregate) -> str | None:
    return getattr(aggregate, "org_code", None)


class History:
    def __init__(self, app: Prongsai) -> None:
        self.app = app

    def _check_visible(self, user: User, aggregate_id: UUID) -> Aggregate:
        aggregate = self.app.load(Aggregate, aggregate_id)
        org_code = org_of(aggregate)
        if org_code is None or not user.may_see(org_code):
            raise NotFound(f"ไม่พบข้อมูล {aggregate_id}", f"{aggregate_id} not found")
        return aggregate

    def events(self, user: User, aggregate_id: UUID) -> list[dict[str, Any]]:
        self._check_visible(user, aggregate_id)
        return [
            {
                "version": e.originator_version,
                "type": event_type(e),
                "kind": type(e).__qualname__,  # Aggregate.Event: names the event without ambiguity
                "timestamp": e.timestamp,
                "actor": getattr(e, "actor", None),
                "changes": event_changes(e),
            }
            for e in self.app.stored_events(aggregate_id)
        ]

    def as_of(
        self,
        user: User,
        aggregate_id: UUID,
        version: int | None = None,
        moment: datetime | None = None,
    ) -> Aggregate:
        current = self._check_visible(user, aggregate_id)
        if version is not None and moment is not None:
            raise InvalidInput("ระบุได้อย่างใดอย่างหนึ่ง: ฉบับหรือเวลา", "give a version or a time, not both")
        if moment is not None:
            if moment.tzinfo is None:
                raise InvalidInput("เวลาต้องระบุเขตเวลา", "the time must include a timezone offset")
            version = self.app.version_at(aggregate_id, moment)
            if version is None:
                raise NotFound("ข้อมูลนี้ยังไม่มีอยู่ ณ เวลาดังกล่าว", f"{aggregate_id} did not exist at {moment.isoformat()}")
        if version is not None and not 1 <= version <= current.version:
            raise NotFound(
                f"ไม่มีฉบับที่ {version} (ล่าสุดคือ {current.version})",
                f"no version {version} (the latest is {current.version})",
            )
        return self.app.load(type(current), aggregate_id, version=version)
