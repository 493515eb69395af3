"""Who acts: roles, the actor stamped on every event, and the user aggregate."""

from __future__ import annotations

import hashlib
import hmac
from enum import Enum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import ProngsaiAggregate
from domain.errors import InvalidInput, InvalidTransition
from domain.shapes import Actor

NS = uuid5(NAMESPACE_URL, "https://prongsai.go.th/ns")


class Role(str, Enum):
    EXECUTIVE = "executive"  # นายก (mayor)
    DEPUTY = "deputy"  # รองนายก
    CLERK = "clerk"  # ปลัด
    DIVISION_HEAD = "division_head"  # ผู้อำนวยการกอง / หัวหน้าส่วนราชการ
    STAFF = "staff"  # เจ้าหน้าที่
    AUDITOR = "auditor"  # สตง. / ป.ป.ช. / ผู้ตรวจประเมิน: read only

    @property
    def thai(self) -> str:
        return ROLE_THAI[self]


ROLE_THAI = {
    Role.EXECUTIVE: "นายกเทศมนตรี",
    Role.DEPUTY: "รองนายกเทศมนตรี",
    Role.CLERK: "ปลัดเทศบาล",
    Role.DIVISION_HEAD: "ผู้อำนวยการกอง",
    Role.STAFF: "เจ้าหน้าที่",
    Role.AUDITOR: "ผู้ตรวจสอบ",
}


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InvalidInput(
            f"ไม่รู้จักบทบาท '{value}' (ใช้ได้: {names})",
            f"unknown role '{value}' (one of: {names})",
        ) from None


def hash_secret(secret: str) -> str:
    """Bearer secrets are 256 random bits, so a plain SHA-256 is the right hash (no stretching)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class User(ProngsaiAggregate):
    """A person who signs in. The log records that a token was issued or a password changed, by
    whom and when; the hashes themselves live in the credential store beside the log.

    Stores written before that rule carry hashes in ``Registered``/``TokenIssued``/``PasswordSet``
    events: replaying them keeps the hash as ``legacy_*`` only so it can be moved to the credential
    store; exports and history show those events as digests or redacted.
    """

    @staticmethod
    def create_id(username: str) -> UUID:
        return uuid5(NS, f"user/{username}")

    @event("Registered")
    def __init__(
        self,
        username: str,
        display_name: str,
        role: str,
        position: str,
        org_codes: list[str],
        token_hash: str,
        actor: dict[str, Any],
    ) -> None:
        self.username = username
        self.display_name = display_name
        self.role = Role(role)
        self.position = position
        self.org_codes = list(org_codes)
        self.legacy_token_hash: str | None = token_hash or None
        self.legacy_password_hash: str | None = None
        self.active = True

    @classmethod
    def register(
        cls,
        username: str,
        display_name: str,
        role: Role,
        position: str,
        org_codes: list[str],
        actor: dict[str, Any],
    ) -> User:
        if not username.strip() or any(c.isspace() for c in username):
            raise InvalidInput("ชื่อผู้ใช้ต้องไม่ว่างและไม่มีช่องว่าง", "username must be non-empty without spaces")
        if not org_codes:
            raise InvalidInput("ต้องระบุหน่วยงานอย่างน้อยหนึ่งแห่ง", "at least one organisation is required")
        if role is not Role.AUDITOR and len(org_codes) > 1:
            raise InvalidInput(
                "เฉพาะผู้ตรวจสอบเท่านั้นที่สังกัดได้หลายหน่วยงาน",
                "only auditors may span several organisations",
            )
        return cls(
            username=username,
            display_name=display_name,
            role=role.value,
            position=position or role.thai,
            org_codes=org_codes,
            token_hash="",  # never a secret in the log: the credential store holds the hash
            actor=actor,
        )

    @event("TokenRotated")
    def rotate_token(self, actor: dict[str, Any]) -> None:
        """A new bearer token was issued (its hash went to the credential store); the old one is void."""
        self.legacy_token_hash = None

    @event("PasswordChanged")
    def change_password(self, actor: dict[str, Any]) -> None:
        """A new password was set for the web desk (its argon2 hash went to the credential store)."""
        self.legacy_password_hash = None

    @event("TokenIssued")
    def _legacy_token_issued(self, token_hash: str, actor: dict[str, Any]) -> None:
        self.legacy_token_hash = token_hash

    @event("PasswordSet")
    def _legacy_password_set(self, password_hash: str, actor: dict[str, Any]) -> None:
        self.legacy_password_hash = password_hash

    def check_active(self) -> None:
        if not self.active:
            raise InvalidTransition("ผู้ใช้ถูกระงับแล้ว", "the user is deactivated")

    def deactivate(self, actor: dict[str, Any], note: str) -> None:
        self.check_active()
        self._deactivate(actor=actor, note=note)

    @event("Deactivated")
    def _deactivate(self, actor: dict[str, Any], note: str) -> None:
        self.active = False

    def token_matches(self, secret: str, stored_hash: str | None) -> bool:
        return self.active and bool(stored_hash) and hmac.compare_digest(stored_hash or "", hash_secret(secret))

    def may_see(self, org_code: str) -> bool:
        return org_code in self.org_codes

    def as_actor(self) -> Actor:
        return {
            "user_id": str(self.id),
            "username": self.username,
            "name": self.display_name,
            "role": self.role.value,
            "position": self.position,
        }


# Event fields that held secrets before the credential store existed (never written any more).
LEGACY_SECRET_FIELDS = frozenset({"token_hash", "password_hash"})

SYSTEM_ACTOR: dict[str, Any] = {
    "user_id": None,
    "username": "system",
    "name": "Prongsai",
    "role": "system",
    "position": "ระบบ",
}
