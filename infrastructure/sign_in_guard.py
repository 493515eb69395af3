"""Failed sign-ins, kept beside the log (never in it) in a table every API process shares, so a restart
forgets nothing and one process's count is everyone's.

Three limits over a sliding window (settings): failures for one account *from one address* lock that pair
— so nobody can lock someone else out from their own desk with a few wrong passwords; failures from one
address over any accounts stop password spraying; and a much higher count for one account from everywhere
stops a distributed guess. A success clears that account's failures from that address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from infrastructure.read_models import ReadModelDB

DDL = (
    "CREATE TABLE IF NOT EXISTS sign_in_failures (username TEXT NOT NULL, address TEXT NOT NULL, at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sign_in_failures_user ON sign_in_failures (username, at)",
    "CREATE INDEX IF NOT EXISTS sign_in_failures_address ON sign_in_failures (address, at)",
)


@dataclass(frozen=True)
class Limits:
    window_seconds: int = 900
    per_account_and_address: int = 5
    per_address: int = 20
    per_account: int = 50


class SqlSignInGuard:
    def __init__(self, db: ReadModelDB, limits: Limits | None = None) -> None:
        self.db = db
        self.limits = limits or Limits()
        with db.transaction() as cursor:
            for statement in DDL:
                cursor.execute(statement)

    def _since(self, now: datetime) -> str:
        return (now - timedelta(seconds=self.limits.window_seconds)).astimezone(UTC).isoformat()

    def blocked(self, username: str, address: str, now: datetime) -> str | None:
        """Why a sign-in must wait now ("account", "address"), or None."""
        since = self._since(now)
        pair, by_address, by_account = self.db.query(
            "SELECT"
            " COUNT(CASE WHEN username = ? AND address = ? THEN 1 END),"
            " COUNT(CASE WHEN address = ? THEN 1 END),"
            " COUNT(CASE WHEN username = ? THEN 1 END)"
            " FROM sign_in_failures WHERE at > ? AND (username = ? OR address = ?)",
            (username, address, address, username, since, username, address),
        )[0]
        if pair >= self.limits.per_account_and_address or by_account >= self.limits.per_account:
            return "account"
        if by_address >= self.limits.per_address:
            return "address"
        return None

    def failed(self, username: str, address: str, now: datetime) -> None:
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM sign_in_failures WHERE at <= ?", (self._since(now),))
            cursor.execute(
                "INSERT INTO sign_in_failures (username, address, at) VALUES (?, ?, ?)",
                (username[:200], address[:100], now.astimezone(UTC).isoformat()),
            )

    def succeeded(self, username: str, address: str) -> None:
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM sign_in_failures WHERE username = ? AND address = ?", (username, address))
