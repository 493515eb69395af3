"""Signed checkpoints of the hash chain: what an auditor keeps to prove the log later."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import DomainEvent

from domain.people import NS


def checkpoints_log_id() -> UUID:
    return uuid5(NS, "index/checkpoints")


def checkpoint_message(
    position: int, link: str, signed_at: str, key_id: str, tree_size: int | None = None, root: str | None = None
) -> bytes:
    """The exact bytes that are signed: canonical JSON of the checkpoint's fields.

    A checkpoint is also a signed tree head (RFC 9162): the number of leaves and the Merkle root at
    ``position``. Checkpoints signed before the tree existed carry neither and still verify.
    """
    body: dict[str, Any] = {"position": position, "link": link, "signed_at": signed_at, "key_id": key_id}
    if tree_size is not None:
        body |= {"tree_size": tree_size, "root": root}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def signed_bytes(checkpoint: dict[str, Any]) -> bytes:
    c = checkpoint
    return checkpoint_message(c["position"], c["link"], c["signed_at"], c["key_id"], c.get("tree_size"), c.get("root"))


class CheckpointIssued(DomainEvent):
    """A signed checkpoint: the chain's link and the Merkle tree head at one log position."""

    class_version = 2
    position: int
    link: str
    signed_at: str
    key_id: str
    signature: str
    tree_size: int | None
    root: str | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["tree_size"] = state["root"] = None  # signed before the log had a Merkle tree

    def as_dict(self) -> dict[str, Any]:
        head = {"tree_size": self.tree_size, "root": self.root} if self.tree_size is not None else {}
        return {
            "number": self.originator_version,
            "position": self.position,
            "link": self.link,
            "signed_at": self.signed_at,
            "key_id": self.key_id,
            **head,
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
