"""Web sessions kept on the server, beside the log and never in it: the browser holds only a random id.

A row is keyed by the SHA-256 of that id (a copy of the table does not let anyone sign in), holds the
session's JSON and when it expires. Signing out deletes the row, so an old cookie is worth nothing; every
API process reads the same table, so a session works whichever process answers.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from infrastructure.read_models import ReadModelDB

DDL = (
    "CREATE TABLE IF NOT EXISTS web_sessions ( id_hash TEXT PRIMARY KEY, data TEXT NOT NULL, expires_at TEXT NOT NULL)"
)


def id_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SqlSessionStore:
    def __init__(self, db: ReadModelDB) -> None:
        self.db = db
        with db.transaction() as cursor:
            cursor.execute(DDL)

    def get(self, session_id: str, now: datetime) -> dict[str, Any] | None:
        rows = self.db.query("SELECT data, expires_at FROM web_sessions WHERE id_hash = ?", (id_hash(session_id),))
        if not rows or datetime.fromisoformat(rows[0][1]) <= now:
            return None
        return json.loads(rows[0][0])

    def put(self, session_id: str, data: dict[str, Any], expires_at: datetime) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(
                "INSERT INTO web_sessions (id_hash, data, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
                (id_hash(session_id), json.dumps(data, ensure_ascii=False), expires_at.astimezone(UTC).isoformat()),
            )

    def delete(self, session_id: str) -> None:
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM web_sessions WHERE id_hash = ?", (id_hash(session_id),))

    def purge(self, now: datetime) -> int:
        """Forget expired sessions (the worker calls this; an expired row is refused anyway)."""
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM web_sessions WHERE expires_at <= ?", (now.astimezone(UTC).isoformat(),))
            return cursor.rowcount
