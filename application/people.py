"""Organisations and users: registration, bearer tokens, who may see what."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any
from uuid import UUID

from application.ports import CredentialStore, PasswordHasher, SignInGuard
from application.store import Prongsai
from domain.clock import Clock
from domain.errors import InvalidInput, NotAuthenticated, NotFound
from domain.people import SYSTEM_ACTOR, Role, User, hash_secret
from domain.plan import Organisation
from domain.values import plain_text

TOKEN_PREFIX = "prg"


def _unauthenticated() -> NotAuthenticated:
    return NotAuthenticated("โทเคนไม่ถูกต้องหรือถูกระงับ", "invalid or revoked bearer token")


class Organisations:
    def __init__(self, app: Prongsai) -> None:
        self.app = app
        # The index of organisations is append-only: what was read once is kept, only newer entries are read.
        self._known: list[Any] = []
        self._known_lock = threading.Lock()

    def register(self, code: str, name: str, actor: dict[str, Any] = SYSTEM_ACTOR) -> Organisation:
        code, name = code.strip(), name.strip()
        if not code.isdigit() or not 5 <= len(code) <= 8:
            raise InvalidInput(
                "รหัสองค์กรปกครองส่วนท้องถิ่นต้องเป็นตัวเลข 5–8 หลัก",
                "the LPAO code must be 5–8 digits",
            )
        if not name:
            raise InvalidInput("ต้องระบุชื่อหน่วยงาน", "the organisation name is required")
        existing = self.app.find(Organisation, Organisation.create_id(code))
        if existing is not None:
            return existing
        organisation = Organisation(code=code, name=name, actor=actor)
        logged = self.app.organisations_log.trigger_event(code=code, org_id=organisation.id)
        self.app.commit(organisation, logged)
        return organisation

    def describe(self, code: str, district: str, province: str, actor: dict[str, Any] = SYSTEM_ACTOR) -> Organisation:
        """Record the district and province the national forms (สขร.๑, e-Plan) ask for."""
        organisation = self.get(code)
        district, province = plain_text(district).strip(), plain_text(province).strip()
        if not district or not province or len(district) > 100 or len(province) > 100:
            raise InvalidInput("ต้องระบุอำเภอและจังหวัด (ไม่เกิน 100 ตัวอักษร)", "district and province are required")
        if (getattr(organisation, "district", None), getattr(organisation, "province", None)) != (district, province):
            organisation.describe(district=district, province=province, actor=actor)
            self.app.commit(organisation)
        return organisation

    def get(self, code: str) -> Organisation:
        organisation = self.app.find(Organisation, Organisation.create_id(code))
        if organisation is None:
            raise NotFound(f"ไม่พบหน่วยงานรหัส {code}", f"organisation {code} not found")
        return organisation

    def all(self) -> list[Organisation]:
        """Every organisation, in the order registered. Unchanged ones come from the cache (a national
        deployment lists thousands: one read of the index and of what changed, not one per organisation)."""
        with self._known_lock:
            after = self._known[-1].originator_version if self._known else None
            self._known += list(self.app.organisations_log.get(gt=after))
            ids = [e.org_id for e in self._known]
        return self.app.find_many(Organisation, ids)


TOKEN, PASSWORD = "token", "password"


class Users:
    """Users, and a short-lived in-process cache of verified tokens.

    A verified token is trusted for ``token_ttl`` seconds without re-reading the user from the
    store; this process drops it at once when the user is deactivated or gets a new token, other
    processes within ``token_ttl``.
    """

    def __init__(
        self,
        app: Prongsai,
        organisations: Organisations,
        credentials: CredentialStore,
        token_ttl: float = 5.0,
        hasher: PasswordHasher | None = None,
        guard: SignInGuard | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.app = app
        self.credentials = credentials
        self.hasher = hasher
        self.guard = guard
        self.clock = clock
        self.organisations = organisations
        self.token_ttl = token_ttl
        self._verified: dict[str, tuple[float, User]] = {}
        self._lock = threading.Lock()

    def add(
        self,
        username: str,
        display_name: str,
        role: Role,
        org_codes: list[str],
        position: str = "",
        actor: dict[str, Any] = SYSTEM_ACTOR,
    ) -> tuple[User, str]:
        """Register a user and return the bearer token, which is shown only this once."""
        for code in org_codes:
            self.organisations.get(code)
        if self.app.exists(User.create_id(username)):
            raise InvalidInput(f"มีผู้ใช้ชื่อ '{username}' แล้ว", f"user '{username}' already exists")
        secret = secrets.token_urlsafe(32)
        user = User.register(
            username=username,
            display_name=display_name or username,
            role=role,
            position=position,
            org_codes=org_codes,
            actor=actor,
        )
        self.app.commit(user)
        self.credentials.put(user.id, TOKEN, hash_secret(secret))
        return user, f"{TOKEN_PREFIX}_{user.id.hex}_{secret}"

    def issue_token(self, username: str, actor: dict[str, Any] = SYSTEM_ACTOR) -> str:
        user = self.get(username)
        user.check_active()
        secret = secrets.token_urlsafe(32)
        user.rotate_token(actor=actor)
        self.app.commit(user)
        self.credentials.put(user.id, TOKEN, hash_secret(secret))
        self._forget(user.id)
        return f"{TOKEN_PREFIX}_{user.id.hex}_{secret}"

    def deactivate(self, username: str, note: str, actor: dict[str, Any] = SYSTEM_ACTOR) -> None:
        user = self.get(username)
        user.deactivate(actor=actor, note=note)
        self.app.commit(user)
        self._forget(user.id)

    def set_password(self, username: str, password: str, actor: dict[str, Any] = SYSTEM_ACTOR) -> None:
        if self.hasher is None:
            raise InvalidInput("ระบบยังไม่ได้ตั้งค่าการเข้ารหัสรหัสผ่าน", "no password hasher is configured")
        if len(password) < 10 or len(password) > 200:
            raise InvalidInput("รหัสผ่านต้องยาว 10–200 ตัวอักษร", "the password must be 10–200 characters long")
        user = self.get(username)
        user.check_active()
        hashed = self.hasher.hash(password)
        user.change_password(actor=actor)
        self.app.commit(user)
        self.credentials.put(user.id, PASSWORD, hashed)

    def sign_in(self, username: str, password: str, address: str = "unknown") -> User:
        """Check a password. Failures are counted per account *and address*, per address, and per account
        (``SignInGuard``): too many and sign-in waits a while, with the same answer whatever the password."""
        if self.guard is not None:
            why = self.guard.blocked(username, address, self.clock.now())
            if why is not None:
                raise NotAuthenticated(
                    "บัญชีถูกล็อกชั่วคราวเนื่องจากใส่รหัสผ่านผิดหลายครั้ง กรุณารอ 15 นาที"
                    if why == "account" else "มีการเข้าสู่ระบบผิดจากเครื่องนี้หลายครั้ง กรุณารอ 15 นาที",
                    "too many failed sign-ins: the account is locked for a while"
                    if why == "account" else "too many failed sign-ins from this address: wait a while",
                    locked=True,
                )  # fmt: skip
        user = self.app.find(User, User.create_id(username)) if username else None
        stored = self.stored_hash(user, PASSWORD) if user is not None else None
        ok = bool(
            user is not None
            and user.active
            and stored
            and self.hasher is not None
            and self.hasher.verify(stored, password)
        )
        if not ok or user is None:
            if self.guard is not None:
                self.guard.failed(username, address, self.clock.now())
            raise NotAuthenticated("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "wrong username or password")
        if self.guard is not None:
            self.guard.succeeded(username, address)
        return user

    def _forget(self, user_id: UUID) -> None:
        with self._lock:
            for token, (_, user) in list(self._verified.items()):
                if user.id == user_id:
                    del self._verified[token]

    def get(self, username: str) -> User:
        user = self.app.find(User, User.create_id(username))
        if user is None:
            raise NotFound(f"ไม่พบผู้ใช้ '{username}'", f"user '{username}' not found")
        return user

    def authenticate(self, token: str) -> User:
        now = time.monotonic()
        cached = self._verified.get(token)
        if cached and now - cached[0] < self.token_ttl:
            return cached[1]
        user = self._verify(token)
        with self._lock:
            if len(self._verified) > 10_000:
                self._verified.clear()
            self._verified[token] = (now, user)
        return user

    def cached_user(self, token: str) -> User | None:
        """The user behind a recently verified token, without touching the store."""
        cached = self._verified.get(token)
        if cached and time.monotonic() - cached[0] < self.token_ttl:
            return cached[1]
        return None

    def _verify(self, token: str) -> User:
        prefix, _, rest = token.partition("_")
        user_hex, _, secret = rest.partition("_")
        if prefix != TOKEN_PREFIX or not secret:
            raise _unauthenticated()
        try:
            user_id = UUID(hex=user_hex)
        except ValueError:
            raise _unauthenticated() from None
        try:
            user = self.app.load(User, user_id)
        except NotFound:
            raise _unauthenticated() from None
        if not user.token_matches(secret, self.stored_hash(user, TOKEN)):
            raise _unauthenticated()
        return user

    def stored_hash(self, user: User, kind: str) -> str | None:
        """The hash from the credential store; a store written before it existed moves it there once."""
        stored = self.credentials.get(user.id, kind)
        if stored is None:
            legacy = user.legacy_token_hash if kind == TOKEN else user.legacy_password_hash
            if legacy:
                self.credentials.put_if_absent(user.id, kind, legacy)
                stored = legacy
        return stored
