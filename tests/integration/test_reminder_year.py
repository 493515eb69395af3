"""A fiscal year of one municipality's deadlines (FY 2562), a day at a time, with e-mail (issue 18).

The worker's run goes at 07:00 each morning (reminders, then the mail queue, then sending to a real SMTP
server on loopback); people act at 09:00. What happens, and so what must be sent, and nothing else:

- a delegation order (October–January, delegate: the head of division, delegator: the mayor): October's
  and January's reports filed early; November's on its last day; December's five days late;
- complaint A answered in five days; complaint B, never assigned, answered six days late;
- a measure submitted for approval, approved on the morning its first reminder went;
- the plan's 6-month report published two days late;
- a procurement's plan entry published on both channels the next day; its reference-price notice never.

The clerk reads each notice by e-mail, the mayor a daily digest, the head of division a weekly one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from domain.clock import BANGKOK
from infrastructure.bootstrap import bootstrap
from infrastructure.clock import ManualClock
from infrastructure.plan_parser import parse_plan
from tests.conftest import ORG, People, test_settings
from tests.integration.test_delegations import scope
from tests.integration.test_mail import Server

pytestmark = pytest.mark.store
WHO = ("clerk", "mayor", "head", "staff", "deputy")

EXPECTED = [  # (day sent, to whom, about what, stage)
    ("2018-12-02", "head", "delegation-report", "due-soon-3"),  # November's report, filed on 4 December
    ("2018-12-04", "head", "delegation-report", "due-soon-1"),
    ("2019-01-02", "head", "delegation-report", "due-soon-3"),  # December's, filed on 10 January
    ("2019-01-04", "head", "delegation-report", "due-soon-1"),
    ("2019-01-06", "head", "delegation-report", "overdue"),
    ("2019-01-09", "mayor", "delegation-report", "escalated"),
    ("2019-01-19", "clerk", "complaint-answer", "due-soon-3"),  # complaint B, due 22 January, answered on 28
    ("2019-01-21", "clerk", "complaint-answer", "due-soon-1"),
    ("2019-01-23", "clerk", "complaint-answer", "overdue"),
    ("2019-01-26", "mayor", "complaint-answer", "escalated"),
    ("2019-02-08", "mayor", "measure-approval", "due-soon-3"),  # submitted 4 February, approved 8 February at 9
    ("2019-03-12", "clerk", "notice-publication", "due-soon-3"),  # the plan entry, due 14 March, published at 9
    ("2019-04-27", "clerk", "plan-report", "due-soon-3"),  # the 6-month report, due 30 April, published 2 May
    ("2019-04-29", "clerk", "plan-report", "due-soon-1"),
    ("2019-05-01", "clerk", "plan-report", "overdue"),
    ("2019-06-04", "clerk", "notice-publication", "due-soon-3"),  # signed 3 June after that morning's run
    ("2019-06-05", "clerk", "notice-publication", "due-soon-1"),
    ("2019-06-07", "clerk", "notice-publication", "overdue"),
    ("2019-06-10", "mayor", "notice-publication", "escalated"),
]
DIGESTS = {  # the mayor: a digest a day there is something; the head of division: one on Mondays (notices)
    "digest/mayor/2019-01-09": 1, "digest/mayor/2019-01-26": 1, "digest/mayor/2019-02-08": 1,
    "digest/mayor/2019-06-10": 1,
    "digest/head/week-2018-12-03": 1, "digest/head/week-2018-12-10": 1, "digest/head/week-2019-01-07": 3,
}  # fmt: skip


def test_a_fiscal_year_sends_every_reminder_escalation_and_digest_due_and_no_other(
    store_url: str, tmp_path: Path, seed_text: str
):
    server = Server()
    server.start()
    settings = test_settings(store_url, tmp_path, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
    svc = bootstrap(settings, clock=ManualClock(datetime(2018, 9, 20, 9, tzinfo=BANGKOK)))
    try:
        svc.plans.import_plan(parse_plan(seed_text), ORG)
        people = People(svc)
        svc.mail.set_contact("clerk", "clerk@mukdahan.go.th", "each")
        svc.mail.set_contact("mayor", "mayor@mukdahan.go.th", "daily")
        svc.mail.set_contact("head", "head@mukdahan.go.th", "weekly")
        acts = the_year(svc, people)
        sent = []
        day = date(2018, 10, 1)
        while day <= date(2019, 9, 30):
            svc.clock.set(datetime.combine(day, time(7), tzinfo=BANGKOK))  # the worker's morning run
            before = {n["key"] for who in WHO for n in svc.reminders.inbox(getattr(people, who))}
            assert svc.reminders.run()["warnings"] == []
            svc.mail.queue()
            assert svc.mail.drain()["failed"] == 0
            sent += [(n["sent_on"], who, n["kind"], n["stage"]) for who in WHO
                     for n in svc.reminders.inbox(getattr(people, who)) if n["key"] not in before]  # fmt: skip
            svc.clock.set(datetime.combine(day, time(9), tzinfo=BANGKOK))
            for act in acts.get(day, []):
                act()
            day += timedelta(days=1)
        assert sorted(sent) == EXPECTED

        rows = svc.mail.store.rows()
        assert {r["state"] for r in rows} == {"sent"}
        each = {r["id"].removeprefix("notice/") for r in rows if r["id"].startswith("notice/")}
        assert each == {n["key"] for n in svc.reminders.inbox(people.clerk)}  # every notice of the clerk's, once
        assert {r["id"] for r in rows if r["id"].startswith("digest/")} == set(DIGESTS)
        by_to = {}
        for m in server.recorder.messages:
            by_to.setdefault(m["To"], []).append(m)
        assert len(by_to["clerk@mukdahan.go.th"]) == 10
        assert len(by_to["mayor@mukdahan.go.th"]) == 4 and len(by_to["head@mukdahan.go.th"]) == 3
        weekly = next(m for m in by_to["head@mukdahan.go.th"] if "3 รายการ" in m["Subject"])
        assert weekly.get_content().count("• ") == 3 and "เดือนธันวาคม ๒๕๖๑" in weekly.get_content()
    finally:
        svc.close()
        server.stop()


def the_year(svc, people) -> dict[date, list[Callable[[], object]]]:
    cs, ms, ds, pr = svc.complaints, svc.measures, svc.delegations, svc.procurements
    held: dict[str, object] = {}

    def order() -> None:
        d = ds.draft(people.clerk, ORG, "12/2562", date(2018, 10, 1), "mayor", "head", [scope()], date(2018, 10, 1),
                     date(2019, 1, 31), False, None)  # fmt: skip
        held["order"] = ds.issue(people.mayor, d.id, d.version)

    def report(month: str) -> Callable[[], object]:
        return lambda: ds.file_report(people.head, held["order"].id, ds.get(people.head, held["order"].id).version,
                                      month, "อนุมัติตามคำสั่ง", 1)  # fmt: skip

    def complaint(name: str) -> Callable[[], object]:
        def submit() -> None:
            held[name], _ = cs.submit(ORG, "web", "general", f"เรื่อง {name}", "ขอให้แก้ไข")

        return submit

    def answer(name: str) -> Callable[[], object]:
        return lambda: cs.resolve(people.mayor, held[name].id, cs.get(people.mayor, held[name].id).version, "แก้ไขแล้ว")

    def submit_measure() -> None:
        held["measure"] = next(m for m in ms.list(ORG, 2562) if m.status.value == "planned")
        ms.submit(people.staff, held["measure"].id, ms.get(people.staff, held["measure"].id).version, "เสนอ")

    def approve() -> None:
        ms.approve(people.mayor, held["measure"].id, ms.get(people.mayor, held["measure"].id).version, "อนุมัติ")

    def procure() -> None:
        p, _ = pr.register(people.clerk, ORG, "62019000777", "จัดซื้อวัสดุสำนักงาน", "กองคลัง", 100_000_00, "specific")
        held["procurement"] = pr.issue(people.mayor, p.id, p.version, "plan_entry", "k1", planned_month="2019-06")

    def publish() -> None:
        p = held["procurement"]
        p = pr.publish(people.staff, p.id, p.version, 1, "website", "https://mukdahan.go.th/p/1")
        held["procurement"] = pr.publish(people.staff, p.id, p.version, 1, "notice_board", "บอร์ด")

    def reference() -> None:
        p = pr.get(people.mayor, held["procurement"].id)
        pr.issue(people.mayor, p.id, p.version, "reference_price", "k2", price_satang=98_000_00, source="market_survey")

    return {
        date(2018, 10, 1): [order], date(2018, 11, 1): [report("2018-10")], date(2018, 11, 5): [complaint("A")],
        date(2018, 11, 10): [answer("A")], date(2018, 12, 4): [report("2018-11")],
        date(2019, 1, 7): [complaint("B")], date(2019, 1, 10): [report("2018-12")], date(2019, 1, 28): [answer("B")],
        date(2019, 2, 1): [report("2019-01")], date(2019, 2, 4): [submit_measure], date(2019, 2, 8): [approve],
        date(2019, 3, 11): [procure], date(2019, 3, 12): [publish],
        date(2019, 5, 2): [lambda: svc.reports.publish(ORG, "plan-progress", "2562-r6")],
        date(2019, 6, 3): [reference],
    }  # fmt: skip
