"""The tamper-evident hash chain over the global event order.

Each stored event gets a digest of exactly what is stored (aggregate id, version, topic, state
bytes); each link hashes the previous link, the event's position and its digest. Changing,
removing, inserting or reordering any stored event before a signed checkpoint changes every link
from there on, so the checkpoint no longer matches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID

GENESIS = bytes(32)


def event_digest(originator_id: UUID | str, originator_version: int, topic: str, state: bytes) -> bytes:
    """SHA-256 of what is stored; the aggregate id in its 32-hex-digit form, however it is stored."""
    oid = originator_id.hex if isinstance(originator_id, UUID) else str(originator_id).replace("-", "")
    digest = hashlib.sha256(f"{oid}|{originator_version}|{topic}|".encode())
    digest.update(state)  # no copy of the state into a new bytes object
    return digest.digest()


def next_link(previous: bytes, position: int, digest: bytes) -> bytes:
    return hashlib.sha256(previous + position.to_bytes(8, "big") + digest).digest()


@dataclass(frozen=True)
class Finding:
    """Where verification found the stored log disagreeing with the chain or a checkpoint."""

    position: int | None
    kind: str  # edited | deleted | inserted | reordered | checkpoint-mismatch | signature
    message: str
