"""The credential store: token hashes and password hashes, beside the event log, never in it.

The log records *that* a token was issued or a password changed, by whom and when; the hashes
live here, in a plain table of the store's database that is neither part of the hash chain nor of
any export. Replacing a credential overwrites the row.
"""

from __future__ import annotations

from uuid import UUID

from infrastructure.read_models import ReadModelDB

DDL = (
    "CREATE TABLE IF NOT EXISTS credentials ("
    " user_id TEXT NOT NULL, kind TEXT NOT NULL, secret_hash TEXT NOT NULL, PRIMARY KEY (user_id, kind))"
)


class SqlCredentialStore:
    def __init__(self, db: ReadModelDB) -> None:
        self.db = db
        with db.transaction() as cursor:
            cursor.execute(DDL)

    def get(self, user_id: UUID, kind: str) -> str | None:
        rows = self.db.query("SELECT secret_hash FROM credentials WHERE user_id = ? AND kind = ?", (str(user_id), kind))
        return rows[0][0] if rows else None

    def put(self, user_id: UUID, kind: str, secret_hash: str) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(
                "INSERT INTO credentials (user_id, kind, secret_hash) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id, kind) DO UPDATE SET secret_hash = excluded.secret_hash",
                (str(user_id), kind, secret_hash),
            )

    def put_if_absent(self, user_id: UUID, kind: str, secret_hash: str) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(
                "INSERT INTO credentials (user_id, kind, secret_hash) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (str(user_id), kind, secret_hash),
            )
