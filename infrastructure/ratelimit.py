"""Sliding-window limits for guessable public endpoints (tracking-code lookups), shared by every API
process: each hit is a row in the read-model database, counted and added in one transaction, so two
processes (or two threads) never both let the last allowed request through, and a restart forgets
nothing. Old rows are deleted as the window slides."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from domain.clock import Clock
from domain.errors import TooManyRequests
from infrastructure.read_models import ReadModelDB

DDL = (
    "CREATE TABLE IF NOT EXISTS rate_hits (scope TEXT NOT NULL, client TEXT NOT NULL, at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS rate_hits_client ON rate_hits (scope, client, at)",
)


class SlidingWindow:
    def __init__(
        self, db: ReadModelDB, clock: Clock, limit: int, seconds: float = 60.0, scope: str = "tracking"
    ) -> None:
        self.db = db
        self.clock = clock
        self.limit = limit
        self.seconds = seconds
        self.scope = scope
        with db.transaction() as cursor:
            for statement in DDL:
                cursor.execute(statement)

    def check(self, key: str) -> None:
        now = self.clock.now().astimezone(UTC)
        since = (now - timedelta(seconds=self.seconds)).isoformat()
        client = hashlib.sha256(key.encode()).hexdigest()[:32]  # an address is personal data: kept hashed
        with self.db.transaction() as cursor:
            if self.db.postgres:  # SQLite's transaction already holds the database's write lock
                lock = int.from_bytes(
                    hashlib.sha256(f"{self.scope}/{client}".encode()).digest()[:8], "big", signed=True
                )
                cursor.execute("SELECT pg_advisory_xact_lock(?)", (lock,))
            cursor.execute(
                "DELETE FROM rate_hits WHERE scope = ? AND client = ? AND at <= ?", (self.scope, client, since)
            )
            row = cursor.execute(
                "SELECT COUNT(*) FROM rate_hits WHERE scope = ? AND client = ?", (self.scope, client)
            ).fetchone()
            if row is not None and int(row[0]) >= self.limit:
                raise TooManyRequests("ตรวจสอบบ่อยเกินไป กรุณารอสักครู่", "too many lookups; wait a minute and try again")
            cursor.execute(
                "INSERT INTO rate_hits (scope, client, at) VALUES (?, ?, ?)", (self.scope, client, now.isoformat())
            )

    def forget(self, before: datetime) -> None:
        """Drop hits older than any window (the worker calls it with the sessions' purge)."""
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM rate_hits WHERE at <= ?", (before.astimezone(UTC).isoformat(),))
