"""E-mail: people's addresses and digest preference, the outbox the worker drains, and SMTP.

- ``contacts``: a person's e-mail address sealed under a key of their own (``KeyStore``: personal data stays
  out of the log and can be erased), how often they want mail (each notice, a daily or a weekly digest)
  and the language.
- ``outbox``: each message to send, under an id derived from what it carries (a notice's key, or a person's
  digest of a day or a week), so queuing the same thing twice keeps one row. A row is claimed before it is
  sent and marked sent after the server accepted it; a failure is retried with back-off, and after the
  last attempt the row stays ``failed`` for administrators to see. A row claimed by a worker that died is
  claimed again after the lease: a message is lost only if the server never accepted it, and sent twice only
  if the worker died between the server's acceptance and the mark (RFC 1047's window, a few microseconds;
  the stable ``Message-ID`` lets a mail program drop the copy).
- ``SmtpTransport``: ``smtplib`` to the configured server (plain, STARTTLS or TLS; optional login).
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from infrastructure.read_models import ReadModelDB

DDL = (
    "CREATE TABLE IF NOT EXISTS contacts (username TEXT PRIMARY KEY, email TEXT NOT NULL, digest TEXT NOT NULL,"
    " lang TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, username TEXT NOT NULL, subject TEXT NOT NULL,"
    " body TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL,"
    " claimed_at TEXT, sent_at TEXT, last_error TEXT, created_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at)",
)
LEASE = timedelta(minutes=10)  # by default, a claim older than this belongs to a worker that died


def stamp(moment: datetime) -> str:
    """A moment as the outbox compares them: UTC, ISO (strings in one zone order as the moments do)."""
    return moment.astimezone(UTC).isoformat()


class MailStore:
    def __init__(self, db: ReadModelDB, keys: Any, lease: timedelta = LEASE) -> None:
        self.db = db
        self.keys = keys
        self.lease = lease
        with db.transaction() as cursor:
            for statement in DDL:
                cursor.execute(statement)

    # -- contacts --------------------------------------------------------------------------------

    def set_contact(self, username: str, email: str, digest: str, lang: str) -> None:
        subject = f"contact/{username}"
        self.keys.ensure(subject)  # a change of address keeps the person's key
        sealed = self.keys.encrypt(subject, email.encode())
        with self.db.transaction() as cursor:
            cursor.execute("INSERT INTO contacts (username, email, digest, lang) VALUES (?, ?, ?, ?) ON CONFLICT"
                           " (username) DO UPDATE SET email = excluded.email, digest = excluded.digest,"
                           " lang = excluded.lang", (username, sealed, digest, lang))  # fmt: skip

    def contact(self, username: str) -> dict[str, Any] | None:
        rows = self.db.query("SELECT email, digest, lang FROM contacts WHERE username = ?", (username,))
        if not rows:
            return None
        email = self.keys.decrypt(f"contact/{username}", rows[0][0]).decode()
        return {"email": email, "digest": rows[0][1], "lang": rows[0][2]}

    def contacts(self) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT username, digest, lang FROM contacts ORDER BY username")
        return [{"username": r[0], "digest": r[1], "lang": r[2]} for r in rows]

    def address(self, username: str) -> str | None:
        rows = self.db.query("SELECT email FROM contacts WHERE username = ?", (username,))
        return self.keys.decrypt(f"contact/{username}", rows[0][0]).decode() if rows else None

    # -- outbox ----------------------------------------------------------------------------------

    def enqueue(self, rows: list[tuple[str, str, str, str]], now: datetime) -> int:
        """(id, username, subject, body) each once; returns how many were new."""
        added = 0
        with self.db.transaction() as cursor:
            for message_id, username, subject, body in rows:
                done = cursor.execute(
                    "INSERT INTO outbox (id, username, subject, body, state, next_attempt_at, created_at)"
                    " VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (id) DO NOTHING",
                    (message_id, username, subject, body, stamp(now), stamp(now)),
                )
                added += max(getattr(done, "rowcount", 0) or 0, 0)
        return added

    def claim(self, now: datetime, limit: int = 50) -> list[dict[str, Any]]:
        """Rows due (or left claimed by a worker that died), each claimed by this call alone."""
        rows = self.db.query(
            "SELECT id, username, subject, body, attempts FROM outbox WHERE (state = 'pending'"
            " AND next_attempt_at <= ?) OR (state = 'sending' AND claimed_at <= ?) ORDER BY created_at, id LIMIT ?",
            (stamp(now), stamp(now - self.lease), limit),
        )
        claimed = []
        with self.db.transaction() as cursor:
            for r in rows:
                won = cursor.execute(
                    "UPDATE outbox SET state = 'sending', claimed_at = ? WHERE id = ? AND ((state = 'pending'"
                    " AND next_attempt_at <= ?) OR (state = 'sending' AND claimed_at <= ?))",
                    (stamp(now), r[0], stamp(now), stamp(now - self.lease)),
                )
                if (getattr(won, "rowcount", 0) or 0) > 0:
                    claimed.append({"id": r[0], "username": r[1], "subject": r[2], "body": r[3], "attempts": r[4]})
        return claimed

    def sent(self, message_id: str, now: datetime) -> None:
        with self.db.transaction() as cursor:
            cursor.execute("UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ?",
                           (stamp(now), message_id))  # fmt: skip

    def failed(self, message_id: str, error: str, retry_at: datetime | None) -> None:
        state = "pending" if retry_at is not None else "failed"
        with self.db.transaction() as cursor:
            cursor.execute("UPDATE outbox SET state = ?, attempts = attempts + 1, next_attempt_at = COALESCE(?,"
                           " next_attempt_at), last_error = ?, claimed_at = NULL WHERE id = ?",
                           (state, stamp(retry_at) if retry_at else None, error[:500], message_id))  # fmt: skip

    def rows(self, state: str | None = None) -> list[dict[str, Any]]:
        columns = ("id", "username", "subject", "state", "attempts", "next_attempt_at", "sent_at", "last_error")
        sql = f"SELECT {', '.join(columns)} FROM outbox" + (" WHERE state = ?" if state else "") + " ORDER BY id"
        return [dict(zip(columns, r, strict=True)) for r in self.db.query(sql, (state,) if state else ())]


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    security: str = "starttls"  # starttls | tls | none
    username: str = ""
    password: str = ""
    sender: str = "prongsai@localhost"
    timeout: float = 20.0


class SmtpTransport:
    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def send(self, to: str, subject: str, body: str, message_id: str) -> None:
        s = self.settings
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = s.sender, to, subject
        message["Message-ID"] = f"<{hashlib.sha256(message_id.encode()).hexdigest()[:40]}@prongsai>"
        message.set_content(body)
        context = ssl.create_default_context()
        if s.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        with client:
            if s.security == "starttls":
                client.starttls(context=context)
            if s.username:
                client.login(s.username, s.password)
            client.send_message(message)
