"""Notices by e-mail through a real SMTP server on loopback (aiosmtpd): each notice or a digest as each
person chose, queued once, sent once, a failure retried with back-off and kept for administrators; the
addresses never in the log."""

from __future__ import annotations

import email
import email.policy
import socket
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from domain.clock import BANGKOK
from domain.errors import InvalidInput
from infrastructure.bootstrap import bootstrap
from infrastructure.clock import ManualClock
from tests.conftest import ORG, START, People, test_settings

pytestmark = pytest.mark.store


class Recorder:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """An SMTP server on a fixed loopback port that can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.recorder = Recorder()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    server = Server()
    server.start()
    try:
        yield server, server.recorder
    finally:
        server.stop()


@pytest.fixture
def mailing(store_url: str, tmp_path: Path, smtp):
    controller, _ = smtp
    settings = test_settings(store_url, tmp_path, smtp_host="127.0.0.1", smtp_port=controller.port,
                             smtp_security="none", smtp_sender="prongsai@mukdahan.go.th")  # fmt: skip
    svc = bootstrap(settings, clock=ManualClock(START))
    svc.organisations.register(ORG, "เทศบาลเมืองมุกดาหาร")  # no plan: only the complaints' deadlines here
    try:
        yield svc, People(svc)
    finally:
        svc.close()


def morning(day: date) -> datetime:
    return datetime.combine(day, time(7), tzinfo=BANGKOK)


def test_each_notice_or_a_digest_as_each_person_chose_sent_once(mailing, smtp):
    svc, people = mailing
    _, server = smtp
    svc.mail.set_contact("staff", "staff@mukdahan.go.th", "each")
    svc.mail.set_contact("mayor", "mayor@mukdahan.go.th", "daily", "en")
    first, _ = svc.complaints.submit(
        org_code=ORG, channel="web", category="general", subject="ไฟดับ", description="ซอย 1"
    )
    second, _ = svc.complaints.submit(
        org_code=ORG, channel="web", category="general", subject="น้ำท่วม", description="ซอย 2"
    )
    for c in (first, second):
        svc.complaints.assign(people.clerk, c.id, svc.complaints.get(people.clerk, c.id).version, "กองช่าง", "staff")
    svc.clock.set(morning(date(2019, 7, 19)))  # both overdue three days: reminded, and the mayor told
    assert svc.reminders.run()["sent"] == 4
    assert svc.mail.queue() == 3  # staff: one message per notice; the mayor: the day's digest
    assert svc.mail.drain() == {"sent": 3, "failed": 0}
    to = sorted((m["To"], m["Subject"]) for m in server.messages)
    assert to == [
        ("mayor@mukdahan.go.th", "Prongsai: 2 notices (2019-07-19)"),
        ("staff@mukdahan.go.th", f"[เกินกำหนด] ตอบผลเรื่องร้องเรียน: เรื่องร้องเรียนเลขที่ {first.case_no}"),
        ("staff@mukdahan.go.th", f"[เกินกำหนด] ตอบผลเรื่องร้องเรียน: เรื่องร้องเรียนเลขที่ {second.case_no}"),
    ]  # fmt: skip
    digest = next(m for m in server.messages if m["To"].startswith("mayor"))
    assert digest.get_content().count("Overdue: escalated") == 2 and "/inbox" in digest.get_content()
    assert len({m["Message-ID"] for m in server.messages}) == 3
    # again: nothing new is queued or sent
    assert svc.reminders.run()["sent"] == 0 and svc.mail.queue() == 0 and svc.mail.drain()["sent"] == 0
    assert len(server.messages) == 3
    # the addresses are sealed outside the log
    log = b"".join(n.state for n in svc.app.recorder.select_notifications(start=1, limit=100_000))
    assert b"mukdahan.go.th" not in log and b"staff@" not in log


def test_a_server_that_refuses_is_retried_later_and_gives_up_in_sight(mailing, smtp):
    svc, people = mailing
    controller, server = smtp
    svc.mail.set_contact("clerk", "clerk@mukdahan.go.th", "each")
    svc.complaints.submit(org_code=ORG, channel="web", category="general", subject="ถนนพัง", description="หน้าตลาด")
    svc.clock.set(morning(date(2019, 7, 16)))
    svc.reminders.run()
    assert svc.mail.queue() == 1
    controller.stop()  # the server is down
    assert svc.mail.drain() == {"sent": 0, "failed": 1}
    [row] = svc.mail.store.rows()
    assert (row["state"], row["attempts"]) == ("pending", 1) and "Connection" in row["last_error"]
    assert svc.mail.drain() == {"sent": 0, "failed": 0}  # not before its time
    controller.start()
    svc.clock.set(svc.clock.now() + timedelta(minutes=2))
    assert svc.mail.drain() == {"sent": 1, "failed": 0}
    assert [m["To"] for m in server.messages] == ["clerk@mukdahan.go.th"]
    # a message that never goes through stays failed, with why, after the last attempt
    svc.mail.set_contact("mayor", "mayor@mukdahan.go.th", "each")
    svc.clock.set(morning(date(2019, 7, 20)))  # escalated to the mayor
    svc.reminders.run()
    controller.stop()
    assert svc.mail.queue() == 1
    for _ in range(8):
        svc.mail.drain()
        svc.clock.set(svc.clock.now() + timedelta(hours=7))
    [failed] = svc.mail.store.rows("failed")
    assert failed["attempts"] == 7 and failed["username"] == "mayor"
    [shown] = svc.mail.problems()  # what the executives see on their inbox page
    assert (shown["state"], shown["username"]) == ("failed", "mayor") and "Connection" in shown["last_error"]


def test_a_complainant_who_asked_is_told_each_step_with_nothing_personal_and_only_them(mailing, smtp):
    svc, people = mailing
    _, server = smtp
    cs = svc.complaints
    asked, code = cs.submit(ORG, "web", "general", "ไฟดับทั้งซอย", "ซอยศรีบุญเรือง 3", "",
                            {"name": "นางสมใจ รักถิ่น", "email": "somjai@example.org"}, updates_by_email=True)  # fmt: skip
    quiet, _ = cs.submit(ORG, "web", "general", "ถนนเป็นหลุม", "หน้าวัด", "",
                         {"name": "นายเงียบ", "email": "quiet@example.org"})  # fmt: skip
    with pytest.raises(InvalidInput):  # updates by e-mail need an address; nothing is recorded
        cs.submit(ORG, "web", "general", "น้ำไม่ไหล", "ทั้งหมู่บ้าน", "", {"name": "ไม่มีอีเมล"}, updates_by_email=True)
    for c in (asked, quiet):
        c = cs.acknowledge(people.clerk, c.id, cs.get(people.clerk, c.id).version, "รับเรื่องแล้ว")
        c = cs.assign(people.clerk, c.id, c.version, "กองช่าง", "staff")
        c = cs.post_notice(people.staff, c.id, c.version, "บันทึกภายใน", public=False)  # not told: not public
        cs.resolve(people.mayor, c.id, c.version, "เปลี่ยนหลอดไฟแล้ว")
    assert svc.mail.queue() == 3 and svc.mail.drain() == {"sent": 3, "failed": 0}
    assert [m["To"] for m in server.messages] == ["somjai@example.org"] * 3
    steps = [m["Subject"].split(": ", 1)[1] for m in server.messages]
    assert steps == [f"รับเรื่องแล้ว (Complaint {asked.case_no}: received and acknowledged)",
                     f"ส่งให้หน่วยงานที่รับผิดชอบดำเนินการแล้ว (Complaint {asked.case_no}: passed to the unit responsible)",
                     f"ตอบผลการดำเนินการแล้ว (Complaint {asked.case_no}: answered)"]  # fmt: skip
    text = "".join(m.get_content() for m in server.messages)
    assert "/track" in text and "สมใจ" not in text and "เปลี่ยนหลอดไฟ" not in text and code not in text
    assert svc.mail.queue() == 0  # each step once
