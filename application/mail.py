"""E-mail for the notices in people's inboxes (application/reminders.py): each notice as it comes, or a
daily or weekly digest, as each person chose; queued once, sent by the worker, retried with back-off."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Protocol
from uuid import UUID

from domain.clock import Clock, today
from domain.errors import InvalidInput, NotFound
from domain.obligations import citizen_message, notice_message
from domain.thai import thai_date

DIGESTS = ("each", "daily", "weekly")
LOOK_BACK_DAYS = 7  # a queue run after the worker was down still finds the week's notices (each queued once)
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360)  # then the message stays failed, for administrators to see


class MailPort(Protocol):
    def set_contact(self, username: str, email: str, digest: str, lang: str) -> None: ...
    def contacts(self) -> list[dict[str, Any]]: ...
    def contact(self, username: str) -> dict[str, Any] | None: ...
    def address(self, username: str) -> str | None: ...
    def enqueue(self, rows: list[tuple[str, str, str, str]], now: Any) -> int: ...
    def claim(self, now: Any, limit: int = 50) -> list[dict[str, Any]]: ...
    def sent(self, message_id: str, now: Any) -> None: ...
    def failed(self, message_id: str, error: str, retry_at: Any) -> None: ...
    def rows(self, state: str | None = None) -> list[dict[str, Any]]: ...


class Transport(Protocol):
    def send(self, to: str, subject: str, body: str, message_id: str) -> None: ...


class Mailer:
    def __init__(self, store: MailPort, transport: Transport | None, inbox: Callable[[str], list[dict[str, Any]]],
                 clock: Clock, base_url: str, citizen_updates: Callable[[str], list[dict[str, Any]]] | None = None,
                 complainant_address: Callable[[UUID], str | None] | None = None) -> None:  # fmt: skip
        self.store = store
        self.transport = transport  # None: no SMTP server configured (mail waits in the outbox)
        self.inbox = inbox
        self.clock = clock
        self.base_url = base_url.rstrip("/")
        self.citizen_updates = citizen_updates or (lambda since: [])
        self.complainant_address = complainant_address or (lambda complaint_id: None)

    def set_contact(self, username: str, email: str, digest: str = "daily", lang: str = "th") -> None:
        email = email.strip()
        if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
            raise InvalidInput(f"อีเมล '{email}' ไม่ถูกต้อง", f"'{email}' is not an e-mail address")
        if digest not in DIGESTS or lang not in ("th", "en"):
            raise InvalidInput("รอบการส่งต้องเป็น each, daily หรือ weekly", "digest must be each, daily or weekly")
        self.store.set_contact(username, email, digest, lang)

    # -- queuing ---------------------------------------------------------------------------------

    def queue(self, on: date | None = None) -> int:
        """Queue what is due by ``on``: each new notice for those who want each, the day's digest for the
        daily, the past week's on Mondays for the weekly. Run after the reminders; safe to run again."""
        on = on or today(self.clock)
        rows = []
        for contact in self.store.contacts():
            user, lang, digest = contact["username"], contact["lang"], contact["digest"]
            recent = [n for n in self.inbox(user) if on - timedelta(days=LOOK_BACK_DAYS) <= date.fromisoformat(
                n["sent_on"]) <= on]  # fmt: skip
            if digest == "each":
                rows += [(f"notice/{n['key']}", user, *self.render([n], lang)) for n in recent]
            elif digest == "daily":
                for day in sorted({n["sent_on"] for n in recent}):
                    of_day = [n for n in recent if n["sent_on"] == day]
                    rows.append((f"digest/{user}/{day}", user, *self.render(of_day, lang, date.fromisoformat(day))))
            else:
                monday = on - timedelta(days=on.weekday())
                week = [n for n in recent if monday - timedelta(days=7) <= date.fromisoformat(n["sent_on"]) < monday]
                if week:
                    rows.append((f"digest/{user}/week-{monday.isoformat()}", user, *self.render(week, lang, monday)))
        since = (on - timedelta(days=LOOK_BACK_DAYS)).isoformat()
        for u in self.citizen_updates(since):  # complainants who asked: each step, once
            rows.append((f"citizen/{u['key']}", f"complaint:{u['complaint_id']}",
                         *citizen_message(u["case_no"], u["step"], f"{self.base_url}/track")))  # fmt: skip
        return self.store.enqueue(rows, self.clock.now())

    def address(self, recipient: str) -> str | None:
        """A person's address from their contact details; a complainant's from their own sealed data (none
        once it is erased: the message then fails, and says why)."""
        if recipient.startswith("complaint:"):
            return self.complainant_address(UUID(recipient.removeprefix("complaint:")))
        return self.store.address(recipient)

    def render(self, notices: list[dict[str, Any]], lang: str, digest_of: date | None = None) -> tuple[str, str]:
        lines = [notice_message(n, lang) for n in notices]
        link = f"{self.base_url}/inbox"
        if digest_of is None:
            subject, body = lines[0]
            return subject, f"{body}\n{link}\n"
        heading = (f"Prongsai: {len(lines)} notices ({digest_of.isoformat()})" if lang == "en"
                   else f"โปร่งใส: การแจ้งเตือน {len(lines)} รายการ ({thai_date(digest_of)})")  # fmt: skip
        return heading, "\n".join(f"• {s}\n{b}" for s, b in lines) + f"\n{link}\n"

    def problems(self) -> list[dict[str, Any]]:
        """What administrators should see: messages that failed for good, and those waiting to be tried again
        (with the last error). A complainant's address is never shown; the recipient is named as "ผู้ร้อง"."""
        rows = [r for r in self.store.rows() if r["state"] == "failed" or (r["state"] == "pending" and r["last_error"])]
        return [{**r, "username": "ผู้ร้องเรียน" if r["username"].startswith("complaint:") else r["username"]}
                for r in rows]  # fmt: skip

    # -- sending ---------------------------------------------------------------------------------

    def drain(self, limit: int = 50) -> dict[str, int]:
        """Send what is due: each claimed once, marked sent when the server accepted it; a failure waits
        longer each time and, after the last attempt, stays failed (``prongsai mail status``)."""
        if self.transport is None:
            return {"sent": 0, "failed": 0}
        done = {"sent": 0, "failed": 0}
        for row in self.store.claim(self.clock.now(), limit):
            to = self.address(row["username"])
            try:
                if to is None:
                    raise NotFound("ไม่มีอีเมลของผู้รับ", f"{row['username']} has no e-mail address")
                self.transport.send(to, row["subject"], row["body"], row["id"])
            except Exception as exc:  # noqa: BLE001 - any refusal or network fault: retried later, kept
                attempt = row["attempts"]
                retry = (self.clock.now() + timedelta(minutes=BACKOFF_MINUTES[attempt])
                         if attempt < len(BACKOFF_MINUTES) else None)  # fmt: skip
                self.store.failed(row["id"], f"{type(exc).__name__}: {exc}", retry)
                done["failed"] += 1
                continue
            self.store.sent(row["id"], self.clock.now())
            done["sent"] += 1
        return done
