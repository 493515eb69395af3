"""Reminders, overdue notices and escalation over two months of one municipality (issue 18).

The clock moves a day at a time from 30 June 2019 and the daily run goes each morning. A complaint is
answered late (reminded, overdue, escalated to the mayor), another on time (nothing), a measure waits
for approval past its week (reminded, overdue, then approved: no escalation), a delegate files July's
report after being reminded (August's then runs to its own date). Every notice that should go, and
none other, with who got it and when.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from fastapi.testclient import TestClient

from domain.clock import BANGKOK
from domain.measure import Measure
from domain.obligations import Reminders
from interface.api.app import create_app
from tests.conftest import ORG, TODAY
from tests.integration.test_delegations import scope

pytestmark = pytest.mark.store


def morning(day: date) -> datetime:
    return datetime.combine(day, time(7), tzinfo=BANGKOK)


def test_a_summer_of_obligations_sends_every_reminder_due_and_no_other(seeded, people):
    svc = seeded
    cs = svc.complaints
    late, _ = cs.submit(org_code=ORG, channel="web", category="general", subject="ไฟส่องสว่างดับ", description="ซอย 3")
    timely, _ = cs.submit(org_code=ORG, channel="web", category="general", subject="ขยะตกค้าง", description="ตลาด")
    assert late.due_on == date(2019, 7, 15)  # 15 calendar days
    measure = next(m for m in svc.measures.list(ORG, 2562) if m.status.value == "planned")
    order = svc.delegations.draft(people.clerk, ORG, "7/2562", TODAY, "mayor", "head", [scope()], date(2019, 7, 1),
                                  None, False, None)  # fmt: skip
    svc.delegations.issue(people.mayor, order.id, order.version)

    def act(day: date) -> None:  # what people do, on the day they do it
        if day == date(2019, 7, 1):
            c = cs.assign(people.clerk, late.id, cs.get(people.clerk, late.id).version, "กองช่าง", "staff")
            assert c.officer["username"] == "staff"
        if day == date(2019, 7, 2):
            svc.measures.submit(people.staff, measure.id, svc.measures.get(people.staff, measure.id).version, "เสนอ")
        if day == date(2019, 7, 5):
            cs.resolve(people.mayor, timely.id, cs.get(people.mayor, timely.id).version, "เก็บขยะแล้ว")
        if day == date(2019, 7, 10):
            svc.measures.approve(people.mayor, measure.id, svc.measures.get(people.mayor, measure.id).version, "อนุมัติ")
        if day == date(2019, 8, 3):
            d = svc.delegations.get(people.head, order.id)
            svc.delegations.file_report(people.head, order.id, d.version, "2019-07", "อนุมัติโครงการ 2 รายการ", 2)

    sent: list[tuple[str, str, str, str]] = []
    day = TODAY
    while day <= date(2019, 8, 31):
        svc.clock.set(max(svc.clock.now(), morning(day)))  # the worker's run at 07:00
        before = {n["key"] for n in inbox_of(svc, people)}
        result = svc.reminders.run()
        assert result["warnings"] == []
        sent += [(n["sent_on"], n["recipient"], n["kind"], n["stage"]) for n in inbox_of(svc, people)
                 if n["key"] not in before]  # fmt: skip
        svc.clock.set(morning(day) + timedelta(hours=2))  # then the day's work
        act(day)
        day += timedelta(days=1)

    assert sorted(sent) == sorted([
        ("2019-06-30", "clerk", "plan-report", "overdue"),  # the plan came in after its 6-month report was due
        ("2019-06-30", "mayor", "plan-report", "escalated"),  # (30 April): its owner and the mayor are told at once
        ("2019-07-06", "mayor", "measure-approval", "due-soon-3"),
        ("2019-07-08", "mayor", "measure-approval", "due-soon-1"),
        ("2019-07-10", "mayor", "measure-approval", "overdue"),  # the 7am run, before the mayor approves at 9
        ("2019-07-12", "staff", "complaint-answer", "due-soon-3"),
        ("2019-07-14", "staff", "complaint-answer", "due-soon-1"),
        ("2019-07-16", "staff", "complaint-answer", "overdue"),
        ("2019-07-19", "mayor", "complaint-answer", "escalated"),
        ("2019-08-02", "head", "delegation-report", "due-soon-3"),
    ])  # fmt: skip

    # Who was told is in the log: the organisation's reminders of the fiscal year, one event per run that sent
    reminders = svc.app.load(Reminders, Reminders.create_id(ORG, 2562))
    assert len(reminders.sent) == len(sent)
    assert {n["recipient"] for n in reminders.sent.values()} == {"mayor", "staff", "head", "clerk"}
    assert svc.reminders.run()["sent"] == 0  # again the same day: nothing twice


def inbox_of(svc, people):
    return [n for who in ("mayor", "staff", "head", "clerk") for n in svc.reminders.inbox(getattr(people, who))]


def test_a_run_that_was_down_for_days_catches_up_once_and_rebuilds_the_same(seeded, people):
    svc = seeded
    complaint, _ = svc.complaints.submit(org_code=ORG, channel="web", category="general", subject="ท่อแตก",
                                         description="ถนนหน้าโรงเรียน")  # fmt: skip
    svc.clock.set(morning(date(2019, 7, 25)))  # nobody ran reminders since the complaint came in
    assert svc.reminders.run()["sent"] == 4  # the complaint and the overdue 6-month report: clerk, then the mayor
    assert [(n["stage"], n["title"]) for n in svc.reminders.inbox(people.clerk)] == [
        ("overdue", f"เรื่องร้องเรียนเลขที่ {complaint.case_no}"), ("overdue", "รอบ 6 เดือน ปีงบประมาณ 2562")]  # fmt: skip
    assert svc.reminders.run()["sent"] == 0
    before = svc.projections.open_obligations()
    for name in ("deadlines", "inbox"):
        svc.projections.rebuild(name)
    assert svc.projections.open_obligations() == before
    assert len(svc.reminders.inbox(people.mayor)) == 2
    call = people.caller(TestClient(create_app(svc)))  # the same over the API, in the language asked
    mine = call("GET", "/api/v1/me/notices?lang=en", "clerk").json()
    assert [n["subject"] for n in mine] == [f"[Overdue] Answer a complaint: เรื่องร้องเรียนเลขที่ {complaint.case_no}",
                                            "[Overdue] Publish the anti-corruption plan's progress report: "
                                            "รอบ 6 เดือน ปีงบประมาณ 2562"]  # fmt: skip
    assert call("GET", "/api/v1/me/notices").status_code == 401
    assert Measure  # the module's imports are used by the scenario above


def test_a_notice_until_it_is_on_its_channels_and_a_plan_report_until_it_is_published(seeded, people):
    svc = seeded
    pr = svc.procurements
    p, _ = pr.register(people.clerk, ORG, "62019000901", "จัดซื้อวัสดุสำนักงาน", "กองคลัง", 100_000_00, "specific")
    p = pr.issue(people.mayor, p.id, p.version, "plan_entry", "k1", planned_month="2019-08")
    opened = {ob.key: ob for ob in svc.projections.open_obligations()}
    notice = opened[f"notice-publication/{p.id}/1"]
    assert (notice.due_on, notice.owner, notice.above) == (date(2019, 7, 3), "clerk", "role:executive")
    assert notice.title == "ประกาศเผยแพร่แผนการจัดซื้อจัดจ้าง โครงการเลขที่ 62019000901"
    p = pr.publish(people.staff, p.id, p.version, 1, "website", "https://mukdahan.go.th/p/1")
    assert f"notice-publication/{p.id}/1" in {ob.key for ob in svc.projections.open_obligations()}  # one channel
    pr.publish(people.staff, p.id, p.version, 1, "notice_board", "บอร์ดหน้าสำนักงาน")
    assert f"notice-publication/{p.id}/1" not in {ob.key for ob in svc.projections.open_obligations()}

    assert f"plan-report/{ORG}/2562-r6" in {ob.key for ob in svc.projections.open_obligations()}
    svc.reports.publish(ORG, "plan-progress", "2562-r6")
    still = {ob.key for ob in svc.projections.open_obligations()}
    assert f"plan-report/{ORG}/2562-r6" not in still and f"plan-report/{ORG}/2562-r12" in still


def test_the_appeal_window_is_a_deadline_until_the_final_outcome_is_recorded(seeded, people):
    """A disciplinary decision opens a deadline at the end of its 30-day appeal window: the clerk is reminded
    to record the final outcome; recording it (or an appeal) closes it."""
    svc, step = seeded, seeded.complaints.discipline
    c, _ = svc.complaints.submit(ORG, "web", "misconduct", "เรียกรับเงิน", "เจ้าหน้าที่เรียกเงิน", "",
                                 {"name": "ผู้ร้อง"}, {"name": "เจ้าหน้าที่", "position": "นักวิชาการพัสดุ",
                                                      "unit": "กองคลัง"}, "staff")  # fmt: skip
    c = step(people.mayor, c.id, c.version, "start-fact-finding", officer="นิติกร")
    c = step(people.mayor, c.id, c.version, "conclude-fact-finding", has_substance=True, summary="มีมูล")
    c = step(people.mayor, c.id, c.version, "open-inquiry", level="minor", committee=["ก", "ข", "ค"])
    c = step(people.mayor, c.id, c.version, "record-finding", guilty=True, summary="ผิดวินัยไม่ร้ายแรง")
    c = step(people.mayor, c.id, c.version, "decide", penalty="salary_cut")
    window = {ob.key: ob for ob in svc.projections.open_obligations()}[f"appeal-window/{c.id}"]
    assert (window.due_on, window.owner, window.above) == (TODAY + timedelta(days=30), "role:clerk", "role:executive")
    svc.clock.set(morning(TODAY + timedelta(days=27)))
    svc.reminders.run()
    assert ("due-soon-3", "appeal-window") in {(n["stage"], n["kind"]) for n in svc.reminders.inbox(people.clerk)}
    svc.clock.set(morning(TODAY + timedelta(days=31)))
    c = step(people.mayor, c.id, svc.complaints.get(people.mayor, c.id).version, "finalise", outcome="ถึงที่สุด")
    assert f"appeal-window/{c.id}" not in {ob.key for ob in svc.projections.open_obligations()}
