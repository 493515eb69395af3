"""The complaint-handling guideline (แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ, ITA
O27): a document written from the configured workflow, recorded each time the configuration that
shapes it changes — so what was published on a day can be shown again exactly."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import ProngsaiAggregate
from domain.people import NS


class ComplaintGuideline(ProngsaiAggregate):
    _SHARED_STATE = frozenset({"content"})

    @staticmethod
    def create_id(org_code: str) -> UUID:
        return uuid5(NS, f"complaint-guideline/{org_code}")

    @event("Issued")
    def __init__(self, org_code: str, content: dict[str, Any], content_hash: str, actor: dict[str, Any]) -> None:
        self.org_code = org_code
        self.content = content
        self.content_hash = content_hash

    @event("Revised")
    def revise(self, content: dict[str, Any], content_hash: str, actor: dict[str, Any]) -> None:
        """The configuration changed (a promise, a channel, a period): the guideline says the new one."""
        self.content = content
        self.content_hash = content_hash
