"""A municipality with a record of every aggregate in every state the desk can show.

Built through the application services only (the same calls the API and the web make), so every
page test and journey starts from a log that a real year could have written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from domain.clock import BANGKOK
from domain.measure import Measure
from infrastructure.bootstrap import bootstrap
from infrastructure.clock import ManualClock
from interface.api.app import create_app
from tests.conftest import ORG, START, TODAY, People, test_settings

PASSWORD = "รหัสผ่านยาวพอสมควร-2562"

BACKDATED = "บันทึกคำสั่งที่ลงนามในกระดาษก่อนเริ่มใช้ระบบ"
EVIDENCE = {"number": "บันทึกข้อความ ที่ มห 52001/12", "title": "รายงานการประชุม", "link": "https://example.go.th/1"}
BIDDERS = [
    {"name": "หจก.มุกดาก่อสร้าง", "price_satang": 1_450_000_00},
    {"name": "บจก.โขงวิศวกรรม", "price_satang": 1_480_000_00},
]
SOMCHAI = {"name": "นายสมชาย ร้องเรียนดี", "phone": "0812345678", "address": "12 ถ.สำราญชายโขง"}
ACCUSED = {"name": "นายทุจริต มิชอบ", "position": "นักวิชาการพัสดุ", "unit": "กองคลัง"}


@dataclass
class World:
    """Record ids by (kind, label): e.g. ``ids["measures"]["in_progress"]``."""

    ids: dict[str, dict[str, UUID]] = field(default_factory=dict)
    tracking: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, label: str, record: Any) -> Any:
        self.ids.setdefault(kind, {})[label] = record.id
        return record


def mid(code: str, year: int = 2562) -> UUID:
    return Measure.create_id(ORG, "2562-2564", code, year)


def build(svc: Any, people: Any) -> World:
    world = World()
    measures(svc, people, world)
    delegations(svc, people, world)
    procurements(svc, people, world)
    complaints(svc, people, world)
    return world


def measures(svc: Any, people: Any, world: World) -> None:
    m = svc.measures
    world.add("measures", "planned", m.get(people.staff, mid("1.1.1-2")))
    world.add("measures", "submitted", m.submit(people.staff, mid("1.1.2"), 1))
    r = m.submit(people.staff, mid("1.1.3"), 1)
    world.add("measures", "returned", m.return_for_revision(people.mayor, r.id, r.version, "ขอรายละเอียดงบประมาณ"))
    a = m.submit(people.staff, mid("1.2.1"), 1)
    world.add("measures", "approved", m.approve(people.mayor, a.id, a.version, "เห็นชอบ"))
    g = m.submit(people.staff, mid("1.3.1"), 1)
    g = m.approve(people.mayor, g.id, g.version)
    g = m.start(people.staff, g.id, g.version, TODAY - timedelta(days=10))
    g = m.complete_step(people.staff, g.id, g.version, 1, TODAY - timedelta(days=5), EVIDENCE)
    world.add("measures", "in_progress", g)
    done = m.submit(people.staff, mid("2.1"), 1)
    done = m.approve(people.mayor, done.id, done.version)
    done = m.start(people.staff, done.id, done.version, TODAY - timedelta(days=20))
    for step in range(1, len(done.steps) + 1):
        done = m.complete_step(people.staff, done.id, done.version, step, TODAY - timedelta(days=3), EVIDENCE)
    done = m.complete(people.head, done.id, done.version, TODAY - timedelta(days=2))
    reported = m.report_result(
        people.head, done.id, done.version, [{"actual": "ร้อยละ 85", "met": True} for _ in done.kpis], "ดำเนินการครบ"
    )
    world.add("measures", "result_reported", reported)
    c = m.submit(people.staff, mid("2.2.1"), 1)
    c = m.approve(people.mayor, c.id, c.version)
    c = m.start(people.staff, c.id, c.version, TODAY - timedelta(days=20))
    for step in range(1, len(c.steps) + 1):
        c = m.complete_step(people.staff, c.id, c.version, step, TODAY - timedelta(days=3), EVIDENCE)
    world.add("measures", "completed", m.complete(people.head, c.id, c.version, TODAY - timedelta(days=2)))
    world.add("measures", "could_not_proceed", m.declare_could_not_proceed(people.head, mid("4.1.1"), 1, "other",
                                                                           "ย้ายไปดำเนินการปีถัดไป"))  # fmt: skip


def delegations(svc: Any, people: Any, world: World) -> None:
    d = svc.delegations
    scopes = [{"power": "approve", "action": "approve-measure", "unit": "กองการศึกษา", "ceiling_satang": 5_000_000}]
    since = TODAY - timedelta(days=30)

    def draft(no: str) -> Any:
        return d.draft(people.clerk, ORG, no, since, "mayor", "head", scopes, since, None, True, None)

    world.add("delegations", "drafted", draft("1/2562"))
    issued = draft("2/2562")
    world.add("delegations", "issued", d.issue(people.mayor, issued.id, issued.version, BACKDATED))
    c = draft("3/2562")
    c = d.issue(people.mayor, c.id, c.version, BACKDATED)
    c = d.circulate(people.clerk, c.id, c.version, ["กองการศึกษา", "กองคลัง"])
    c = d.acknowledge(people.head, c.id, c.version, "กองการศึกษา")
    world.add("delegations", "circulated", c)
    p = d.publish(people.clerk, c.id, c.version)
    p = d.file_report(people.head, p.id, p.version, "2019-05", "อนุมัติโครงการ 2 รายการ", 2)
    world.add("delegations", "published", p)
    r = draft("4/2562")
    r = d.issue(people.mayor, r.id, r.version, BACKDATED)
    world.add("delegations", "revoked", d.revoke(people.mayor, r.id, r.version, "ปรับโครงสร้างส่วนราชการ"))
    starts = datetime(2019, 7, 1, 8, 30, tzinfo=BANGKOK)
    acting = d.appoint_acting(people.clerk, ORG, "5/2562", "deputy", "mayor", starts, starts + timedelta(days=3),
                              "นายกเทศมนตรีไปราชการต่างจังหวัด")  # fmt: skip
    world.add("acting", "drafted", acting)
    signed = d.appoint_acting(people.clerk, ORG, "6/2562", "deputy", "mayor", starts + timedelta(days=10),
                              starts + timedelta(days=12), "ลาพักผ่อน")  # fmt: skip
    world.add("acting", "signed", d.sign_acting(people.mayor, signed.id, signed.version))
    ended = d.appoint_acting(people.clerk, ORG, "7/2562", "deputy", "mayor", starts - timedelta(days=5), None,
                             "ป่วย")  # fmt: skip
    ended = d.sign_acting(people.mayor, ended.id, ended.version, BACKDATED)
    world.add("acting", "ended", d.end_acting(people.mayor, ended.id, ended.version))


def procurements(svc: Any, people: Any, world: World) -> None:
    pr = svc.procurements
    listed = (
        "เลขประจำตัวผู้เสียภาษี,ชื่อผู้ทิ้งงาน,วันที่แจ้งเวียน,หนังสือแจ้งเวียน\n0105559000018,บริษัท ทิ้งงาน จำกัด,12/3/2561,กค 0405.2/ว 101\n"
    )
    svc.suppliers.import_file(people.clerk, ORG, "debarments", "ผู้ทิ้งงาน.csv", listed.encode())
    firms = "tax_id,name,address,directors\n0495000000010,หจก.มุกดาก่อสร้าง,99 ถ.ชยางกูร,นายสมชาย ใจดี\n"
    svc.suppliers.import_file(people.clerk, ORG, "companies", "นิติบุคคล.csv", firms.encode())

    def register(no: str) -> Any:
        p, _ = pr.register(people.clerk, ORG, no, "ก่อสร้างถนน คสล. ชุมชนศรีบุญเรือง", "กองช่าง", 1_500_000_00,
                           "e_bidding")  # fmt: skip
        return p

    world.add("procurements", "registered", register("62019000001"))
    p = register("62019000002")
    closes = TODAY - timedelta(days=20)
    p = pr.issue(people.mayor, p.id, p.version, "plan_entry", "k1", planned_month="2019-01")
    p = pr.issue(people.mayor, p.id, p.version, "reference_price", "k2", price_satang=1_460_000_00,
                 source="committee_formula")  # fmt: skip
    p = pr.issue(people.mayor, p.id, p.version, "invitation", "k3", opens_on=closes - timedelta(days=10),
                 closes_on=closes)  # fmt: skip
    i = register("62019000004")
    i = pr.issue(people.mayor, i.id, i.version, "invitation", "k1", opens_on=closes - timedelta(days=10),
                 closes_on=closes)  # fmt: skip
    world.add("procurements", "invited", i)
    # two bids, the winning one at 99.3 % of the reference price: red flags the mayor acknowledged when signing
    p = pr.issue(people.mayor, p.id, p.version, "winner", "k4", winner=BIDDERS[0]["name"], agreed_satang=1_450_000_00,
                 bidders=BIDDERS, reason="ราคาต่ำสุดและคุณสมบัติครบถ้วน",
                 acknowledgement="รับทราบ: ตลาดงานถนนในอำเภอมีผู้รับจ้างน้อยราย ตรวจราคาต่อหน่วยแล้ว")  # fmt: skip
    p = pr.publish(people.staff, p.id, p.version, 4, "website", "https://mukdahan.go.th/p/4")
    p = pr.publish(people.staff, p.id, p.version, 4, "notice_board", "บอร์ดหน้าสำนักงาน")
    p = pr.issue(people.mayor, p.id, p.version, "contract", "k5", number="สัญญาเลขที่ 12/2562", signed_on=TODAY,
                 amount_satang=1_450_000_00)  # fmt: skip
    p = pr.appoint_observer(people.clerk, p.id, p.version, "นายสังเกต ชุมชน", "ชุมชนศรีบุญเรือง")
    p = pr.issue(people.mayor, p.id, p.version, "inspection", "k6", inspect_on=TODAY + timedelta(days=30),
                 time="09:30", place="ชุมชนศรีบุญเรือง")  # fmt: skip
    p = pr.issue(people.mayor, p.id, p.version, "acceptance", "k7", accepted=True, note="")
    world.add("procurements", "closed", p)
    c = register("62019000003")
    world.add("procurements", "cancelled", pr.issue(people.mayor, c.id, c.version, "cancellation", "k1",
                                                    reason="ไม่มีผู้ยื่นข้อเสนอ"))  # fmt: skip


def complaints(svc: Any, people: Any, world: World) -> None:
    cs = svc.complaints

    def submit(**kw: Any) -> Any:
        values = dict(org_code=ORG, channel="web", category="general", subject="ไฟส่องสว่างดับ",
                      description="ไฟถนนหน้าบ้านดับมา 2 สัปดาห์", complainant=SOMCHAI)  # fmt: skip
        values.update(kw)
        complaint, code = cs.submit(**values)
        world.tracking[str(complaint.id)] = code
        return complaint

    world.add("complaints", "received", submit())
    a = submit(subject="ถนนชำรุด")
    world.add("complaints", "acknowledged", cs.acknowledge(people.staff, a.id, a.version, "รับเรื่องแล้ว"))
    s = submit(subject="ขยะไม่เก็บ", complainant=None)
    s = cs.assign(people.clerk, s.id, s.version, "กองสาธารณสุข", "staff")
    world.add("complaints", "assigned", s)
    g = submit(subject="น้ำประปาไม่ไหล")
    g = cs.assign(people.clerk, g.id, g.version, "กองช่าง", "staff")
    g = cs.post_notice(people.staff, g.id, g.version, "ช่างเข้าตรวจสอบแล้ว")
    world.add("complaints", "in_progress", g)
    r = submit(subject="ท่อระบายน้ำอุดตัน")
    world.add("complaints", "resolved", cs.resolve(people.mayor, r.id, r.version, "ลอกท่อเรียบร้อยแล้ว"))
    j = submit(subject="ขอให้ย้ายเสาไฟ")
    world.add("complaints", "rejected", cs.reject(people.mayor, j.id, j.version, "outside_powers", "อยู่ในอำนาจ กฟภ."))
    f = submit(subject="ไฟฟ้าแรงสูง")
    world.add("complaints", "referred", cs.refer_outside(people.mayor, f.id, f.version, "การไฟฟ้าส่วนภูมิภาค"))
    x = submit(subject="ร้องเรียนซ้ำ")
    x = cs.resolve(people.mayor, x.id, x.version, "ดำเนินการแล้ว")
    world.add("complaints", "closed", cs.close(people.mayor, x.id, x.version, "ผู้ร้องพอใจ"))
    m = submit(category="misconduct", accused=ACCUSED, accused_role="staff", subject="เรียกรับเงินค่าตรวจรับงาน",
               description="เจ้าหน้าที่เรียกเงิน 5,000 บาท")  # fmt: skip
    step = cs.discipline
    m = step(people.mayor, m.id, m.version, "start-fact-finding", officer="นิติกร")
    world.add("complaints", "fact_finding", m)
    m2 = submit(category="misconduct", accused=ACCUSED, accused_role="staff", subject="ทุจริตเบิกค่าน้ำมัน",
                description="เบิกค่าน้ำมันเกินจริง")  # fmt: skip
    m2 = step(people.mayor, m2.id, m2.version, "start-fact-finding", officer="นิติกร")
    m2 = step(people.mayor, m2.id, m2.version, "conclude-fact-finding", has_substance=True, summary="มีมูล")
    m2 = step(people.mayor, m2.id, m2.version, "open-inquiry", level="minor", committee=["ก", "ข", "ค"])
    m2 = step(people.mayor, m2.id, m2.version, "record-finding", guilty=True, summary="ผิดวินัยไม่ร้ายแรง")
    m2 = step(people.mayor, m2.id, m2.version, "decide", penalty="salary_cut")
    world.add("complaints", "decided", m2)


# -- a town to browse: the world on a SQLite store, one per test module --------------------------


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Iterator[tuple[object, World, People]]:
    from infrastructure.plan_parser import parse_plan

    tmp = tmp_path_factory.mktemp("town")
    svc = bootstrap(test_settings(f"sqlite:///{tmp}/events.sqlite3", Path(tmp)), clock=ManualClock(START))
    try:
        svc.plans.import_plan(parse_plan(seed_text), ORG)
        people = People(svc)
        for name in people.users:
            svc.users.set_password(name, PASSWORD)
        world = build(svc, people)
        svc.reminders.run()  # the morning's reminders: the inbox and the dashboard have notices to show
        yield svc, world, people
    finally:
        svc.close()


def client_for(svc: object, username: str | None, lang: str = "th") -> TestClient:
    client = TestClient(create_app(svc), follow_redirects=False)
    client.cookies.set("lang", lang)
    if username:
        form = client.get("/login").text
        token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
        answer = client.post("/login", data={"form_token": token, "username": username, "password": PASSWORD})
        assert answer.status_code == 303, answer.text
    return client


# -- a year and a half of generated work: what an ITA assessment in 2563 looks back on -------------

ASSESSMENT_DAY = datetime(2020, 5, 15, 10, 0, tzinfo=BANGKOK)


@pytest.fixture(scope="module")
def busy_year(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Iterator[tuple[Any, Path]]:
    """Fiscal year 2562 in full and 2563 up to March (bench/year.py), the clock then in May 2563."""
    from bench.year import generate
    from infrastructure.plan_parser import parse_plan

    tmp = tmp_path_factory.mktemp("busy-year")
    clock = ManualClock(datetime(2018, 9, 20, 9, 0, tzinfo=BANGKOK))
    svc = bootstrap(test_settings(f"sqlite:///{tmp}/events.sqlite3", Path(tmp)), clock=clock)
    try:
        svc.plans.import_plan(parse_plan(seed_text), ORG)
        svc.organisations.describe(ORG, "เมืองมุกดาหาร", "มุกดาหาร")
        first = generate(svc, ORG, 2562, procurements=40, complaints=30, seed=2562)
        second = generate(svc, ORG, 2563, procurements=20, complaints=15, seed=2563, until=date(2020, 3, 31))
        assert not first.refused and not second.refused, first.refused + second.refused
        clock.set(ASSESSMENT_DAY)
        yield svc, Path(tmp)
    finally:
        svc.close()
