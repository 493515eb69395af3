"""What the application needs from the world, stated once; infrastructure/ supplies each (bootstrap.py).

| port | adapter |
|---|---|
| ``Clock`` (domain/clock.py) | infrastructure/clock.py: ``SystemClock``, ``ManualClock`` |
| ``ReadModels`` | infrastructure/projections.py: ``Projections`` over ``ReadModelDB`` (SQLite / PostgreSQL) |
| ``CredentialStore`` | infrastructure/credentials.py: ``SqlCredentialStore`` |
| ``PasswordHasher`` | infrastructure/passwords.py: ``Argon2Hasher`` |
| ``Keys`` | infrastructure/keys.py: ``KeyStore`` (per-case keys, encrypted blobs) |
| ``Signer``, ``SignatureCheck`` | infrastructure/signing.py: Ed25519 |
| ``Renderer`` | infrastructure/report_formats.py: ``ReportRenderer`` (JSON, CSV, XLSX, PDF) |
| ``CompileRecord`` | infrastructure/ocds.py: ``RecordCompiler`` (ocdsmerge) |
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from domain.clock import Clock
from domain.obligations import Obligation

__all__ = [
    "Clock",
    "CompileRecord",
    "CredentialStore",
    "Keys",
    "PasswordHasher",
    "Progress",
    "ReadModels",
    "Renderer",
    "SignatureCheck",
    "Signer",
]

Progress = Callable[[int, int], None]
SignatureCheck = Callable[[bytes, str], bool]
CompileRecord = Callable[[list[dict[str, Any]]], dict[str, Any]]


class ReadModels(Protocol):
    """The projections that follow the log, and the questions the application asks of them."""

    def names(self) -> list[str]: ...
    def catch_up(self, name: str | None = None, progress: Progress | None = None) -> int: ...
    def rebuild(self, name: str, progress: Progress | None = None) -> int: ...
    def position(self, name: str) -> int: ...
    def head(self) -> int: ...

    def members(self, org_code: str) -> list[dict[str, Any]]:
        """The active people of an organisation: username, name, position, role."""
        ...

    def red_flags(self, org_codes: Sequence[str], rule: str | None = None, unit: str | None = None,
                  fiscal_year: int | None = None, limit: int = 500) -> list[dict[str, Any]]:  # fmt: skip
        """The red-flag register of some organisations, newest first."""
        ...

    def pattern_flags(self, org_code: str, fiscal_year: int, until: datetime) -> list[dict[str, Any]]:
        """Red flags across procurements raised for a fiscal year by a moment (rule, project, message)."""
        ...

    def open_obligations(self) -> list[Obligation]:
        """Every open obligation (domain/obligations.py), the deadline projection caught up first."""
        ...

    def citizen_updates(self, since: str) -> list[dict[str, Any]]:
        """Complaint steps to tell complainants who asked (from an ISO business day on)."""
        ...

    def inbox(self, username: str, limit: int = 200) -> list[dict[str, Any]]:
        """The notices sent to a person, newest first."""
        ...

    def chain_count(self, upto: int) -> int:
        """How many chain rows there are up to and including a position."""
        ...

    def chain_head(self) -> tuple[int, str] | None:
        """The last chained position and its link (hex), if any event is chained."""
        ...

    def iter_chain(self, upto: int | None = None) -> Iterator[tuple[int, str, str]]:
        """``(position, digest, link)`` in order."""
        ...

    def position_of(self, aggregate_id: str, version: int) -> int | None:
        """The log position of an aggregate's event (from the event index)."""
        ...

    def merkle_leaf(self, position: int) -> int | None:
        """The leaf number of the event at log position ``position`` (None if not yet in the tree)."""
        ...

    def merkle_size(self, upto: int) -> int:
        """How many leaves the tree has up to and including log position ``upto``."""
        ...

    def merkle_subtree(self, start: int, size: int) -> bytes:
        """MTH (RFC 9162) of the leaves ``[start, start + size)``."""
        ...

    def search_events(
        self,
        org_code: str | Sequence[str],
        aggregate_type: str | None,
        aggregate_id: str | None,
        actor: str | None,
        since: datetime | None,
        until: datetime | None,
        after: int,
        limit: int,
        *,
        before: int | None = None,
        newest_first: bool = False,
    ) -> list[dict[str, Any]]: ...

    def count_events(
        self,
        org_code: str | Sequence[str],
        aggregate_type: str | None,
        aggregate_id: str | None,
        actor: str | None,
        since: datetime | None,
        until: datetime | None,
    ) -> int: ...

    def event_orgs(self, upto: int) -> dict[int, str | None]:
        """The organisation of every event up to a position."""
        ...

    def record_verification(self, result: dict[str, Any], at: str) -> None:
        """Keep a verification's outcome (derived, like every read model: verifying again reproduces it)."""
        ...

    def latest_verification(self) -> dict[str, Any] | None:
        """The last verification kept, with when it ran (``verified_at``), or None."""
        ...


class CredentialStore(Protocol):
    """Where token and password hashes live: beside the log, never in it."""

    def get(self, user_id: UUID, kind: str) -> str | None: ...
    def put(self, user_id: UUID, kind: str, secret_hash: str) -> None: ...
    def put_if_absent(self, user_id: UUID, kind: str, secret_hash: str) -> None: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, hashed: str, password: str) -> bool: ...


class Keys(Protocol):
    """Per-case keys for personal data, and attachments encrypted under them (crypto-shredding)."""

    def create(self, subject_id: str) -> None: ...
    def encrypt(self, subject_id: str, plaintext: bytes) -> str: ...
    def decrypt(self, subject_id: str, token: str) -> bytes: ...
    def put_blob(self, subject_id: str, content: bytes) -> str: ...
    def get_blob(self, subject_id: str, digest: str) -> bytes: ...
    def destroy(self, subject_id: str) -> None: ...
    def digester(self, subject_id: str) -> Callable[[str], str]: ...
    def ensure(self, subject_id: str) -> None: ...


class Signer(Protocol):
    key_id: str
    public_pem: str

    def sign(self, message: bytes) -> str: ...


class Renderer(Protocol):
    def render(self, content: dict[str, Any], fmt: str) -> bytes: ...


class Locks(Protocol):
    """A lock by name that every process of the deployment respects (a PostgreSQL advisory lock; a
    process lock for the embedded store), for the few writes that take the next number of a sequence."""

    def hold(self, name: str) -> AbstractContextManager[None]: ...


def hold(locks: Locks | None, name: str) -> AbstractContextManager[None]:
    """The named lock, or nothing where a service runs without locks (a single-threaded test)."""
    return locks.hold(name) if locks is not None else nullcontext()


class PlanDrafts(Protocol):
    """Plan files read and awaiting a clerk's review (infrastructure/plan_drafts.py)."""

    def put(self, org_code: str, username: str, filename: str, text: str, now: datetime) -> str: ...

    def get(self, draft_id: str) -> dict[str, Any] | None: ...

    def delete(self, draft_id: str) -> None: ...


class SignInGuard(Protocol):
    """Failed sign-ins by account and address, shared by every process (infrastructure/sign_in_guard.py)."""

    def blocked(self, username: str, address: str, now: datetime) -> str | None: ...
    def failed(self, username: str, address: str, now: datetime) -> None: ...
    def succeeded(self, username: str, address: str) -> None: ...
