"""Signed checkpoints of the hash chain: what an auditor keeps to prove the log later."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import DomainEvent

from domain.people import NS


def checkpoints_log_id() -> UUID:
    return uuid5(NS, "index/checkpoints")


def checkpoint_message(position: int, link: str, signed_at: str, key_id: str) -> bytes:
    """The exact bytes that are signed: canonical JSON of the checkpoint's fields."""
    body = {"position": position, "link": link, "signed_at": signed_at, "key_id": key_id}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


class CheckpointIssued(DomainEvent):
    position: int
    link: str
    signed_at: str
    key_id: str
    signature: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "link": self.link,
            "signed_at": self.signed_at,
            "key_id": self.key_id,
            "signature": self.signature,
        }


def access_log_id(org_code: str) -> UUID:
    return uuid5(NS, f"index/{org_code}/auditor-access")


class AccessRecorded(DomainEvent):
    """An auditor read personal data (names in the log, exports): who looked, what, why."""

    user_id: str
    username: str
    role: str
    what: str
    reason: str
