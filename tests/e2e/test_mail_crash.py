"""``kill -9`` of the worker in the middle of sending the day's digests: no e-mail twice, none lost (issue 18).

Forty people each have a daily digest waiting in the outbox. The worker (``prongsai worker``, draining the
outbox every second here) sends them to a real SMTP server on loopback; the server holds the 13th
message's recipient until the test has killed the worker with SIGKILL, so the kill lands mid-run with
twelve sent, one in the middle of its SMTP conversation and the rest waiting. A new worker, started once
the dead one's claim has lapsed, sends the rest. The server then holds each of the forty digests exactly
once, by Message-ID, and the outbox says every one was sent.
"""

from __future__ import annotations

import email
import email.policy
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from domain.clock import BANGKOK
from domain.people import Role
from infrastructure.bootstrap import bootstrap
from infrastructure.clock import ManualClock
from tests.conftest import ORG, START, test_settings
from tests.pg_cluster import free_port

pytestmark = pytest.mark.store
ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 40
HELD = 13


class HoldingServer:
    """Records each message; holds the HELD-th recipient until released (the client is killed meanwhile)."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.rcpts = 0
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        self.rcpts += 1
        if self.rcpts == HELD:
            self.holding.set()
            while not self.release.is_set():  # the aiosmtpd loop thread waits: this connection stalls
                time.sleep(0.01)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def test_kill_9_mid_digest_run_sends_none_twice_and_loses_none(store_url: str, tmp_path: Path):
    port = free_port()
    handler = HoldingServer()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    settings = test_settings(store_url, tmp_path, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                             mail_lease_seconds=1)  # fmt: skip
    svc = bootstrap(settings, clock=ManualClock(START))
    try:  # forty people, each with a complaint overdue, each reminded: forty daily digests queued
        svc.organisations.register(ORG, "เทศบาลเมืองมุกดาหาร")
        for i in range(PEOPLE):
            user, _ = svc.users.add(f"officer{i:02d}", f"เจ้าหน้าที่ {i}", Role.STAFF, [ORG])
            svc.mail.set_contact(user.username, f"officer{i:02d}@mukdahan.go.th", "daily")
        clerk, _ = svc.users.add("clerk", "ปลัด", Role.CLERK, [ORG])
        for i in range(PEOPLE):
            c, _ = svc.complaints.submit(org_code=ORG, channel="web", category="general", subject=f"เรื่องที่ {i}",
                                         description="ขอให้แก้ไข")  # fmt: skip
            svc.complaints.assign(clerk, c.id, c.version, "กองช่าง", f"officer{i:02d}")
        svc.clock.set(datetime.combine(date(2019, 7, 12), clock_time(7), tzinfo=BANGKOK))  # three days before
        assert svc.reminders.run()["sent"] == PEOPLE
        assert svc.mail.queue() == PEOPLE
    finally:
        svc.close()
    env = {
        "PRONGSAI_DATABASE_URL": store_url,
        "PRONGSAI_SIGNING_KEY_PATH": str(tmp_path / "signing-key.pem"),
        "PRONGSAI_MASTER_KEY_PATH": str(tmp_path / "master.key"),
        "PRONGSAI_SESSION_SECRET_PATH": str(tmp_path / "session-secret"),
        "PRONGSAI_SMTP_HOST": "127.0.0.1",
        "PRONGSAI_SMTP_PORT": str(port),
        "PRONGSAI_SMTP_SECURITY": "none",
        "PRONGSAI_MAIL_LEASE_SECONDS": "1",
        "PRONGSAI_MAIL_POLL_SECONDS": "1",
        "PATH": "/usr/bin:/bin",
        "PRONGSAI_REMINDER_CRON": "0 7 1 1 *",
    }  # fmt: skip  (no reminder run on the wall clock's day)
    worker = [sys.executable, "-m", "interface.cli", "worker"]
    second = None
    try:
        first = subprocess.Popen(worker, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert handler.holding.wait(90), "the worker never reached the held message"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        handler.release.set()
        assert len(handler.messages) == HELD - 1  # twelve sent before the kill; the held one never got to DATA
        time.sleep(1.5)  # the dead worker's claim lapses
        second = subprocess.Popen(worker, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 90
        while len(handler.messages) < PEOPLE and time.time() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # and nothing more comes after the last
    finally:
        handler.release.set()
        if second is not None:
            second.send_signal(signal.SIGTERM)
            try:
                second.wait(timeout=30)
            except subprocess.TimeoutExpired:
                second.kill()
        smtp.stop()
    ids = [m["Message-ID"] for m in handler.messages]
    assert len(ids) == PEOPLE and len(set(ids)) == PEOPLE  # every digest once
    assert sorted(m["To"] for m in handler.messages) == sorted(f"officer{i:02d}@mukdahan.go.th" for i in range(PEOPLE))
    svc = bootstrap(settings, clock=ManualClock(START))
    try:
        assert {r["state"] for r in svc.mail.store.rows()} == {"sent"}
    finally:
        svc.close()
