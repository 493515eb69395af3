# ruff: noqa: E501 - Thai literals in scheduled acts read better on one line
"""A realistic year of one municipality, written through the application services on a moving clock.

What a fiscal year of a เทศบาลเมือง looks like in the log: the plan's measures proposed, approved,
started, worked step by step and paid for, most finished and reported, a few that could not proceed;
the budget ordinance's figures recorded in October; procurements planned in October and run through
reference price, invitation, winner, contract, inspection and acceptance (some with one bidder or a
price above the reference, a few cancelled); complaints arriving all year — general ones answered,
some late, corruption complaints through fact-finding and discipline; a delegation order signed.

Every act goes through the same services the API and the desk call, on the day it happens (a
``ManualClock`` moved forward), so reports and proofs computed afterwards see an ordinary year.
Deterministic for a seed. Used by the ITA-pack test, ``python -m bench.year`` and the national bench.

    python -m bench.year --org 5490101 --fiscal-year 2562 [--procurements 40] [--complaints 30]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from domain.clock import BANGKOK
from domain.errors import DomainError, InvalidInput
from domain.people import Role
from domain.thai import fiscal_year_bounds

STAFF = [
    ("mayor", "นายสมศักดิ์ ใจซื่อ", Role.EXECUTIVE, "นายกเทศมนตรี"),
    ("deputy", "นางสาวอรุณี พิทักษ์ธรรม", Role.DEPUTY, "ปลัดเทศบาล"),
    ("clerk", "นางมาลี รักงาน", Role.CLERK, "นักจัดการงานทั่วไป"),
    ("head", "นายวิชัย ตั้งใจ", Role.DIVISION_HEAD, "ผู้อำนวยการกองคลัง"),
    ("staff", "นางสาวปราณี ขยัน", Role.STAFF, "นักวิเคราะห์นโยบายและแผน"),
]
SUBJECTS = [
    ("จัดซื้อวัสดุสำนักงาน", "สำนักปลัดเทศบาล", (20_000, 150_000)),
    ("จัดซื้อวัสดุคอมพิวเตอร์", "กองคลัง", (30_000, 200_000)),
    ("จ้างซ่อมแซมถนน คสล. ชุมชน", "กองช่าง", (200_000, 480_000)),
    ("จ้างก่อสร้างรางระบายน้ำ คสล.", "กองช่าง", (600_000, 3_500_000)),
    ("จัดซื้ออาหารเสริม (นม) โรงเรียน", "กองการศึกษา", (300_000, 490_000)),
    ("จ้างเหมาเก็บขยะมูลฝอย", "กองสาธารณสุขและสิ่งแวดล้อม", (550_000, 2_400_000)),
    ("จัดซื้อครุภัณฑ์การแพทย์", "กองสาธารณสุขและสิ่งแวดล้อม", (100_000, 450_000)),
    ("จ้างปรับปรุงอาคารศูนย์พัฒนาเด็กเล็ก", "กองการศึกษา", (700_000, 4_500_000)),
]
FIRMS = ["หจก.มุกดาก่อสร้าง", "บจก.โขงวิศวกรรม", "ร้านรุ่งเรืองพาณิชย์", "หจก.สองฝั่งโขงค้าวัสดุ", "บจก.อินโดจีนซัพพลาย",
         "ร้านมุกดาภัณฑ์", "หจก.ศรีบุญเรืองการโยธา"]  # fmt: skip
SOURCES = ["เทศบัญญัติงบประมาณรายจ่ายประจำปี งบลงทุน", "เทศบัญญัติงบประมาณรายจ่ายประจำปี งบดำเนินงาน",
           "เงินอุดหนุนเฉพาะกิจ", "เงินสะสม"]  # fmt: skip
COMPLAINTS = ["ไฟส่องสว่างดับ", "ถนนชำรุดเป็นหลุม", "ขยะไม่ได้จัดเก็บ", "ท่อระบายน้ำอุดตัน", "เสียงดังรบกวนจากสถานประกอบการ",
              "น้ำประปาไม่ไหล", "สุนัขจรจัด"]  # fmt: skip
ALLEGATIONS = ["เรียกรับเงินค่าตรวจรับงาน", "เบิกค่าน้ำมันเกินจริง", "ใช้รถราชการไปธุระส่วนตัว", "ล็อกสเปกผู้รับจ้าง"]
FLAGGED = ("reference_price", "invitation", "winner")  # notices red-flag rules read (domain/red_flags.py)
EVIDENCE = {"number": "บันทึกข้อความ", "title": "รายงานผลการดำเนินงาน", "link": "https://example.go.th/evidence"}


@dataclass(order=True)
class Act:
    day: date
    order: int
    run: Callable[[], Any] = field(compare=False)


@dataclass
class YearResult:
    acts: int = 0
    refused: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


class Held(dict):
    """The record an earlier act made; an act after a refused one is refused too (said, not a crash)."""

    def __missing__(self, key: str) -> Any:
        raise InvalidInput("ขั้นตอนก่อนหน้าไม่สำเร็จ", "an earlier act on this record was refused")


class Year:
    def __init__(self, svc: Any, org_code: str, fiscal_year: int, seed: int = 2562) -> None:
        self.svc = svc
        self.org = org_code
        self.fy = fiscal_year
        self.rng = random.Random(seed)
        self.start, self.end = fiscal_year_bounds(fiscal_year)
        self.acts: list[Act] = []
        self.people: dict[str, Any] = {}
        self.result = YearResult()

    # -- scheduling ----------------------------------------------------------------------------

    def at(self, day: date, run: Callable[[], Any]) -> None:
        self.acts.append(Act(min(day, self.end), len(self.acts), run))

    def day_in(self, first: date, last: date) -> date:
        last = min(last, self.end)
        return first + timedelta(days=self.rng.randint(0, max((last - first).days, 0)))

    def run(self, until: date | None = None) -> YearResult:
        """Every act in date order, each on its day (09:00–16:00 Bangkok, the clock moved there)."""
        until = until or self.end
        for act in sorted(self.acts):
            if act.day > until:
                break
            moment = datetime.combine(act.day, time(9), tzinfo=BANGKOK) + timedelta(minutes=act.order % 420)
            if moment > self.svc.clock.now():
                self.svc.clock.set(moment)
            try:
                act.run()
                self.result.acts += 1
            except DomainError as exc:  # a refusal the year's randomness ran into: noted, never hidden
                self.result.refused.append(f"{act.day}: {exc.en}")
        return self.result

    def count(self, what: str) -> None:
        self.result.counts[what] = self.result.counts.get(what, 0) + 1

    # -- the cast ------------------------------------------------------------------------------

    def cast(self) -> None:
        for name, display, role, position in STAFF:
            username = f"{name}-{self.org}"
            try:
                self.people[name] = self.svc.users.get(username)
            except DomainError:
                self.people[name], _ = self.svc.users.add(username, display, role, [self.org], position=position)

    def plan(self, procurements: int = 40, complaints: int = 30) -> Year:
        """Schedule the whole year (nothing runs until :meth:`run`)."""
        self.cast()
        self.measures()
        self.procurements(procurements)
        self.complaints(complaints)
        self.delegation()
        return self

    # -- measures --------------------------------------------------------------------------------

    def measures(self) -> None:
        for m in self.svc.measures.list(self.org, self.fy):
            self.measure(m.id)

    def measure(self, mid: Any) -> None:
        p, r = self.people, self.rng
        load = lambda: self.svc.measures.get(p["staff"], mid)  # noqa: E731 - the record as it stands now
        fate = r.random()
        ordinance_day = self.day_in(self.start, self.start + timedelta(days=20))

        def ordinance() -> None:
            m = load()
            if m.allocation_satang:
                share = r.choice((1.0, 1.0, 0.9, 0.8))
                self.svc.measures.record_ordinance_budget(p["head"], mid, m.version, int(m.allocation_satang * share),
                                                          f"เทศบัญญัติงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. {self.fy}")  # fmt: skip
                self.count("ordinance budgets")

        self.at(ordinance_day, ordinance)
        if fate < 0.06:
            day = self.day_in(self.start + timedelta(days=60), self.start + timedelta(days=200))
            self.at(day, lambda: self.svc.measures.declare_could_not_proceed(
                p["head"], mid, load().version, "no_budget", "ไม่ได้รับจัดสรรงบประมาณตามเทศบัญญัติ"))  # fmt: skip
            return
        submit = self.day_in(self.start + timedelta(days=5), self.start + timedelta(days=75))
        approve = submit + timedelta(days=r.randint(1, 7))
        start = approve + timedelta(days=r.randint(3, 20))
        self.at(submit, lambda: self.svc.measures.submit(p["staff"], mid, load().version, "เสนอตามแผน"))
        self.at(approve, lambda: self.svc.measures.approve(p["mayor"], mid, load().version, "อนุมัติ"))
        self.at(start, lambda: self.svc.measures.start(p["staff"], mid, load().version, start))
        steps = len(load().steps)
        finishes = fate < 0.85
        last = self.end - timedelta(days=10) if finishes else self.end + timedelta(days=200)
        span = max((last - start).days, steps + 1)
        for step in range(1, steps + 1):
            day = start + timedelta(days=span * step // (steps + 1))
            if day <= self.end:
                self.at(day, lambda step=step, day=day: self.svc.measures.complete_step(
                    p["staff"], mid, load().version, step, day, EVIDENCE))  # fmt: skip
        m = load()
        if m.allocation_satang:
            for k in range(1, 3):
                day = start + timedelta(days=span * k // 3)
                if day <= self.end:
                    amount = int(m.allocation_satang * r.uniform(0.2, 0.45))
                    self.at(day, lambda day=day, amount=amount: self.svc.measures.record_disbursement(
                        p["staff"], mid, load().version, amount, day, {"number": f"ฎีกาเลขที่ {r.randint(1, 999)}/{self.fy}", "link": "https://example.go.th/voucher"}))  # fmt: skip
        if finishes:
            done = start + timedelta(days=span)
            self.at(done, lambda: self.svc.measures.complete(p["head"], mid, load().version, done))
            if r.random() < 0.8:
                report = done + timedelta(days=3)

                def result() -> None:
                    kpis = load().kpis
                    actuals = [{"actual": f"ร้อยละ {r.randint(70, 100)}", "met": r.random() < 0.85} for _ in kpis]
                    self.svc.measures.report_result(p["head"], mid, load().version, actuals, "ดำเนินการตามแผน")
                    self.count("results reported")

                self.at(report, result)

    # -- procurements ----------------------------------------------------------------------------

    def procurements(self, n: int) -> None:
        for i in range(n):
            subject, unit, (low, high) = self.rng.choice(SUBJECTS)
            budget = self.rng.randrange(low, high, 1000) * 100
            method = "specific" if budget <= 500_000_00 else self.rng.choice(("e_bidding", "e_bidding", "e_market"))
            if method == "e_market" and budget > 5_000_000_00:
                method = "e_bidding"
            self.procurement(i, f"{subject} ครั้งที่ {i + 1}", unit, budget, method)

    def procurement(self, i: int, subject: str, unit: str, budget: int, method: str) -> None:
        p, r, svc = self.people, self.rng, self.svc
        project_no = f"{self.fy % 100:02d}{self.org[-3:]}{i + 1:06d}"
        registered = self.day_in(self.start, self.start + timedelta(days=25))
        month = self.day_in(self.start + timedelta(days=30), self.end - timedelta(days=60))
        holder: dict[str, Any] = Held()
        load = lambda: svc.procurements.get(p["mayor"], holder["id"])  # noqa: E731

        def register() -> None:
            made, _ = svc.procurements.register(p["clerk"], self.org, project_no, subject, unit, budget, method,
                                                self.fy, budget_source=r.choice(SOURCES))  # fmt: skip
            holder["id"] = made.id
            self.count("procurements")

        def issue(kind: str, **values: Any) -> Callable[[], Any]:
            def signed() -> Any:  # the signer is shown the notice's red flags first and acknowledges any
                flags = svc.procurements.red_flags(p["mayor"], holder["id"], kind, **values) if kind in FLAGGED else []
                if flags:
                    values["acknowledgement"] = "รับทราบข้อสังเกต ตรวจสอบเหตุผลประกอบแล้ว"
                    for flag in flags:
                        self.count(f"red flag {flag['rule']}")
                return svc.procurements.issue(p["mayor"], holder["id"], load().version, kind, f"{kind}-{i}", **values)

            return signed

        self.at(registered, register)
        self.at(registered + timedelta(days=2), issue("plan_entry", planned_month=month.strftime("%Y-%m")))
        reference = int(budget * r.uniform(0.9, 1.0))
        self.at(month, issue("reference_price", price_satang=reference, source="market_survey"))
        opens = month + timedelta(days=3)
        if r.random() < 0.05:
            self.at(opens, issue("cancellation", reason="ไม่มีผู้ยื่นข้อเสนอ"))
            return
        closes = opens + timedelta(days=r.choice((2, 7, 10)) if method != "specific" else 1)
        if method != "specific":
            self.at(opens, issue("invitation", opens_on=opens, closes_on=closes))
        n_bidders = 1 if method == "specific" or r.random() < 0.12 else r.randint(2, 4)
        names = r.sample(FIRMS, n_bidders)
        prices = sorted(int(reference * r.uniform(0.85, 1.02)) for _ in names)
        bidders = [
            {"name": name, "price_satang": min(price, budget)} for name, price in zip(names, prices, strict=True)
        ]
        won = bidders[0]
        award = closes + timedelta(days=r.randint(1, 5))
        self.at(award, issue("winner", winner=won["name"], agreed_satang=won["price_satang"], bidders=bidders,
                             reason="ราคาต่ำสุดและคุณสมบัติครบถ้วน"))  # fmt: skip
        signed = award + timedelta(days=r.randint(3, 10))
        self.at(signed, issue("contract", number=f"สัญญาเลขที่ {i + 1}/{self.fy}", signed_on=signed,
                              amount_satang=won["price_satang"]))  # fmt: skip
        inspect = signed + timedelta(days=r.randint(15, 60))
        self.at(signed + timedelta(days=1), issue("inspection", inspect_on=inspect, time="09:30", place=unit))
        self.at(inspect, issue("acceptance", accepted=True, note="ถูกต้องครบถ้วนตามสัญญา"))

    # -- complaints ------------------------------------------------------------------------------

    def complaints(self, n: int) -> None:
        for i in range(n):
            misconduct = i % 5 == 4
            self.complaint(i, misconduct)

    def complaint(self, i: int, misconduct: bool) -> None:
        p, r, cs = self.people, self.rng, self.svc.complaints
        received = self.day_in(self.start, self.end - timedelta(days=5))
        holder: dict[str, Any] = Held()
        load = lambda: cs.get(p["clerk"], holder["id"])  # noqa: E731

        def submit() -> None:
            values: dict[str, Any] = {
                "org_code": self.org,
                "channel": r.choice(("web", "web", "phone", "walk_in", "letter")),
            }
            if misconduct:
                values |= {"category": "misconduct", "subject": r.choice(ALLEGATIONS), "description": "ขอให้ตรวจสอบ",
                           "accused": {"name": "เจ้าหน้าที่ผู้ถูกร้อง", "position": "นักวิชาการพัสดุ", "unit": "กองคลัง"},
                           "accused_role": "staff"}  # fmt: skip
            else:
                values |= {"category": "general", "subject": r.choice(COMPLAINTS), "description": "ขอให้แก้ไขโดยเร็ว",
                           "complainant": {"name": f"ผู้ร้องที่ {i + 1}", "phone": "0812345678"} if r.random() < 0.7 else None}  # fmt: skip
            complaint, _ = cs.submit(**values)
            holder["id"] = complaint.id
            self.count("complaints")

        self.at(received, submit)
        if misconduct:
            step = cs.discipline
            self.at(received + timedelta(days=2), lambda: step(p["mayor"], holder["id"], load().version,
                                                               "start-fact-finding", officer="นิติกร"))  # fmt: skip
            if r.random() < 0.5:
                self.at(received + timedelta(days=12), lambda: step(
                    p["mayor"], holder["id"], load().version, "conclude-fact-finding", has_substance=False,
                    summary="ข้อเท็จจริงไม่มีมูล"))  # fmt: skip
            return
        self.at(
            received + timedelta(days=1), lambda: cs.acknowledge(p["staff"], holder["id"], load().version, "รับเรื่องแล้ว")
        )
        answered = received + timedelta(days=r.choice((3, 5, 8, 12, 14, 20)))
        self.at(answered, lambda: cs.resolve(p["mayor"], holder["id"], load().version, "ดำเนินการแก้ไขเรียบร้อยแล้ว"))

    # -- authority -------------------------------------------------------------------------------

    def delegation(self) -> None:
        p, d = self.people, self.svc.delegations
        scopes = [{"power": "approve", "action": "approve-measure", "unit": "*", "ceiling_satang": 5_000_000_00}]
        day = self.start + timedelta(days=3)
        holder: dict[str, Any] = Held()

        def draft() -> None:
            made = d.draft(p["clerk"], self.org, f"1/{self.fy}", day, p["mayor"].username, p["deputy"].username,
                           scopes, day, None, False, None)  # fmt: skip
            holder["id"] = made.id
            self.count("delegations")

        self.at(day, draft)
        self.at(day, lambda: d.issue(p["mayor"], holder["id"], d.get(p["mayor"], holder["id"]).version))


def generate(svc: Any, org_code: str, fiscal_year: int, procurements: int = 40, complaints: int = 30,
             seed: int = 2562, until: date | None = None) -> YearResult:  # fmt: skip
    """Write a year of the organisation's work into the store behind ``svc`` (its clock must be manual)."""
    return Year(svc, org_code, fiscal_year, seed).plan(procurements, complaints).run(until)


def main() -> None:
    from infrastructure.bootstrap import bootstrap
    from infrastructure.clock import ManualClock
    from infrastructure.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--org", required=True)
    parser.add_argument("--fiscal-year", type=int, required=True)
    parser.add_argument("--procurements", type=int, default=40)
    parser.add_argument("--complaints", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2562)
    args = parser.parse_args()
    start, _ = fiscal_year_bounds(args.fiscal_year)
    svc = bootstrap(Settings(), clock=ManualClock(datetime.combine(start, time(8), tzinfo=BANGKOK)))
    try:
        result = generate(svc, args.org, args.fiscal_year, args.procurements, args.complaints, args.seed)
    finally:
        svc.close()
    print(f"{result.acts} acts, {len(result.refused)} refused; {result.counts}")
    for line in result.refused[:20]:
        print("  refused:", line)


if __name__ == "__main__":
    main()
