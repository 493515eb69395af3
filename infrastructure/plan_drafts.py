"""Plan files read but not yet imported: the clerk's review works from the text the file gave.

Beside the log and never in it (a draft is nobody's act yet). A draft is the extracted text of one
uploaded file, for one organisation and one person; the review re-reads it, so what a clerk sees and
what the import records as "read" are the parser's reading of the same text. Drafts older than a week
are dropped when a new one is made.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from infrastructure.read_models import ReadModelDB

DDL = (
    "CREATE TABLE IF NOT EXISTS plan_drafts (id TEXT PRIMARY KEY, org_code TEXT NOT NULL, username TEXT NOT NULL,"
    " filename TEXT NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL)"
)
KEPT = timedelta(days=7)


class SqlPlanDrafts:
    def __init__(self, db: ReadModelDB) -> None:
        self.db = db
        with db.transaction() as cursor:
            cursor.execute(DDL)

    def put(self, org_code: str, username: str, filename: str, text: str, now: datetime) -> str:
        draft_id = uuid.uuid4().hex
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM plan_drafts WHERE created_at < ?", ((now - KEPT).astimezone(UTC).isoformat(),))
            cursor.execute(
                "INSERT INTO plan_drafts (id, org_code, username, filename, text, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (draft_id, org_code, username, filename, text, now.astimezone(UTC).isoformat()),
            )
        return draft_id

    def get(self, draft_id: str) -> dict[str, Any] | None:
        rows = self.db.query(
            "SELECT org_code, username, filename, text FROM plan_drafts WHERE id = ?", (draft_id[:64],)
        )
        if not rows:
            return None
        org_code, username, filename, text = rows[0]
        return {"id": draft_id, "org_code": org_code, "username": username, "filename": filename, "text": text}

    def delete(self, draft_id: str) -> None:
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM plan_drafts WHERE id = ?", (draft_id,))
