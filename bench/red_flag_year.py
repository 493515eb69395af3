# ruff: noqa: E501 - Thai literals in scheduled acts read better on one line
"""A fiscal year of one municipality's procurement with planted red-flag patterns, and what was raised.

Forty-odd ordinary procurements (clean bids: three firms, the lowest 9–15 % under a reference price
close to the budget, well spread, posted for the full period, nobody winning or meeting too often)
and, planted among them, one pattern for each red-flag rule: a reference price above the budget, a
winning bid at 99.5 % of the reference, a ring of three firms taking turns, purchases of electrical
supplies split into three, specific-method buying crowded into September, two competitors sharing a
director, a bidder on the debarment list… Every act goes through the application services on the day
it happens (bench/year.py's moving clock); the company facts (CSV) and the debarment list (XLSX) are
imported in October as a clerk would.

``planted_year(svc, org)`` returns what was planted and what the register raised, rule by rule:
the test (tests/integration/test_red_flag_year.py) requires them equal, and a year with nothing
planted must raise nothing. ``make red-flags`` prints the table:

    python -m bench.red_flag_year [--background 40] [--no-plants]
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from bench.year import FLAGGED, Held, Year
from domain.clock import BANGKOK
from domain.red_flags import RULE_TITLES

PLACES = [
    "มุกดา",
    "โขงเจียม",
    "ศรีบุญเรือง",
    "หนองแวง",
    "ดงหลวง",
    "คำชะอี",
    "นิคมคำสร้อย",
    "ดอนตาล",
    "หว้านใหญ่",
    "สองคอน",
    "บางทรายใหญ่",
    "ภูผาเทิบ",
]
TRADES = ["ก่อสร้าง", "วิศวกรรม", "ค้าวัสดุ", "ซัพพลาย", "พาณิชย์", "การโยธา", "ภัณฑ์", "เทรดดิ้ง"]
FIRST = ["สมชาย", "สมศรี", "ประเสริฐ", "วิไล", "บุญมี", "สุดารัตน์", "ทองดี", "จันทร์เพ็ญ", "อุดม", "พรทิพย์", "เกษม", "ละเอียด"]
LAST = ["ใจดี", "ศรีสุข", "มั่นคง", "พูลผล", "แก้วมณี", "ทองคำ", "สายบุญ", "วงศ์ไทย"]
UNITS = ["สำนักปลัดเทศบาล", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม"]
ITEMS = [
    "โต๊ะทำงานพร้อมเก้าอี้",
    "ตู้เหล็กเก็บเอกสาร",
    "เครื่องปรับอากาศ",
    "กล้องโทรทัศน์วงจรปิด",
    "เครื่องพิมพ์เลเซอร์",
    "รถเข็นผู้ป่วย",
    "เต็นท์ผ้าใบ",
    "เครื่องขยายเสียง",
    "พัดลมอุตสาหกรรม",
    "เครื่องตัดหญ้าแบบข้อแข็ง",
    "โปรเจกเตอร์",
    "ตู้เย็นเก็บวัคซีน",
    "เครื่องสูบน้ำ",
    "บันไดอะลูมิเนียม",
    "ชุดกีฬานักเรียน",
    "หนังสือเรียนภาษาไทย",
    "ยางมะตอยสำเร็จรูป",
    "ทรายอะเบท",
    "น้ำยาพ่นหมอกควัน",
    "ถังขยะพลาสติก",
    "แบบพิมพ์ทะเบียนราษฎร์",
    "ผ้าม่านห้องประชุม",
    "อาหารกลางวันเด็กเล็ก",
    "ของเล่นเสริมพัฒนาการ",
    "สายดับเพลิง",
    "ชุดปฐมพยาบาล",
]
WORKS = [
    "ก่อสร้างถนน คสล. ชุมชน",
    "วางท่อระบายน้ำ คสล. ชุมชน",
    "ปรับปรุงอาคารศูนย์พัฒนาเด็กเล็ก",
    "ขุดลอกคลองระบายน้ำ ชุมชน",
    "ติดตั้งไฟฟ้าส่องสว่าง ชุมชน",
    "ก่อสร้างลานกีฬาอเนกประสงค์ ชุมชน",
    "ซ่อมแซมอาคารตลาดสด",
    "ก่อสร้างรั้วโรงเรียนเทศบาล",
]
COMMUNITIES = ["ศรีบุญเรือง", "โพธิ์ศรี", "หนองบัว", "ตลาดเก่า", "บ้านพัก", "แก้วกาหลง", "มุกดาลัย", "ดงเย็น", "ท่าไคร้"]
CLEAN_REASON = "ราคาต่ำสุดและคุณสมบัติครบถ้วน"
SCORED_REASON = "คะแนนรวมเกณฑ์ราคาประกอบเกณฑ์คุณภาพสูงสุด"
ACKNOWLEDGED = "รับทราบข้อสังเกต ตรวจสอบเอกสารประกอบแล้ว"


def tax_id_of(first12: str) -> str:
    return first12 + str((11 - sum(int(d) * (13 - i) for i, d in enumerate(first12)) % 11) % 10)


def baht(amount: float) -> int:
    """Whole baht, in satang."""
    return int(round(amount)) * 100


class PlantedYear(Year):
    """The year's schedule: imports, the ordinary procurements and (unless ``plants`` is off) the plants."""

    def __init__(self, svc: Any, org_code: str, fiscal_year: int = 2562, seed: int = 17, background: int = 40,
                 plants: bool = True) -> None:  # fmt: skip
        super().__init__(svc, org_code, fiscal_year, seed)
        self.background_count = background
        self.plants = plants
        self.firms = [f"หจก.{place}{trade}" for place in PLACES for trade in TRADES]
        self.tax_ids = {name: tax_id_of(f"0495{i + 1:08d}") for i, name in enumerate(self.firms)}
        self.spare = list(self.firms)
        self.rng.shuffle(self.spare)
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.wins: Counter[tuple[str, str]] = Counter()
        self.numbered = 0
        self.planted: Counter[str] = Counter()
        self.where: dict[str, set[str]] = {}  # rule → the procurements whose winner notice may complete it
        self.shared: dict[str, list[tuple[str, str]]] = {"address": [], "director": []}
        self.debarred: str | None = None
        self.items = list(ITEMS)

    # -- firms -----------------------------------------------------------------------------------

    def take(self, n: int, unit: str) -> list[str]:
        """``n`` firms no two of which met twice already, the first (the winner) not yet twice a winner here."""
        for _ in range(1000):
            chosen = self.rng.sample(self.firms, n)
            if self.wins[(unit, chosen[0])] < 2 and all(self.pairs[p] < 2 for p in combinations(sorted(chosen), 2)):
                return chosen
        raise RuntimeError("no firms left that have not met twice")

    def fresh(self) -> str:
        """A firm kept aside for one plant (never drawn for ordinary procurements)."""
        firm = self.spare.pop()
        self.firms.remove(firm)
        return firm

    def met(self, firms: list[str], unit: str, winner: str) -> None:
        for pair in combinations(sorted(firms), 2):
            self.pairs[pair] += 1
        self.wins[(unit, winner)] += 1

    # -- files the clerk imports in October --------------------------------------------------------

    def companies_csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["เลขประจำตัวผู้เสียภาษี", "ชื่อนิติบุคคล", "ที่ตั้งสำนักงานใหญ่", "หุ้นส่วนผู้จัดการ"])
        address = {
            name: f"{i + 1} หมู่ {i % 12 + 1} ต.{PLACES[i % 12]} อ.เมือง จ.มุกดาหาร" for i, name in enumerate(self.tax_ids)
        }
        director = {name: f"นาย{FIRST[i % 12]} {LAST[i // 12 % 8]}" for i, name in enumerate(self.tax_ids)}
        for a, b in self.shared["address"]:
            address[b] = address[a]
        for a, b in self.shared["director"]:
            director[b] = f"{director[b]}; {director[a]}"
        for name, tid in self.tax_ids.items():
            writer.writerow([tid, name, address[name], director[name]])
        return out.getvalue().encode("utf-8-sig")

    def debarments_xlsx(self) -> bytes:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(["เลขประจำตัวผู้เสียภาษี", "ชื่อผู้ทิ้งงาน", "วันที่แจ้งเวียน", "หนังสือแจ้งเวียน"])
        sheet.append([tax_id_of("010555900001"), "บริษัท ทิ้งงานตัวอย่าง จำกัด", "12/3/2561", "กค 0405.2/ว 101"])
        sheet.append([tax_id_of("034355800002"), "ห้างหุ้นส่วนจำกัด ผิดสัญญา", "2/8/2561", "กค 0405.2/ว 322"])
        if self.debarred:
            sheet.append([int(self.tax_ids[self.debarred]), self.debarred, "20/9/2561", "กค 0405.2/ว 415"])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    # -- the year --------------------------------------------------------------------------------

    def plan(self, procurements: int = 0, complaints: int = 0) -> PlantedYear:
        self.cast()
        if self.plants:
            self.plant()
        for _ in range(self.background_count):
            self.ordinary()
        imported = self.start + timedelta(days=1)
        s, clerk = self.svc.suppliers, self.people["clerk"]
        self.at(imported, lambda: s.import_file(clerk, self.org, "companies", "นิติบุคคล.csv", self.companies_csv()))
        self.at(imported, lambda: s.import_file(clerk, self.org, "debarments", "ผู้ทิ้งงาน.xlsx", self.debarments_xlsx()))
        return self

    def ordinary(self) -> None:
        """A procurement that must raise nothing."""
        r = self.rng
        day = self.day_in(self.start + timedelta(days=30), self.end - timedelta(days=45))
        if r.random() < 0.35 and self.items:
            item = self.items.pop(r.randrange(len(self.items)))
            budget = baht(r.randrange(50_000, 250_000, 500))
            self.schedule(f"จัดซื้อ{item}", r.choice(UNITS), budget, "specific", day)
            return
        budget = baht(r.randrange(600_000, 4_800_000, 1000))
        self.schedule(f"จ้าง{r.choice(WORKS)}{r.choice(COMMUNITIES)}", r.choice(UNITS[2:]), budget,
                      r.choice(("e_bidding", "e_market")), day)  # fmt: skip

    def plant(self) -> None:
        """One pattern per rule (the count each must raise is added to ``planted``)."""
        fy = self.start.year
        on = lambda month, day: date(fy + (month < 10), month, day)  # noqa: E731 - a day of this fiscal year
        eb = "e_bidding"
        works = iter(f"จ้าง{w}{c}" for c in reversed(COMMUNITIES) for w in reversed(WORKS))

        plants: list[tuple[str, dict[str, Any]]] = [
            ("reference-above-budget", {"budget": 1_200_000, "reference": 1.025, "bids": [0.88, 0.92, 0.95]}),
            ("reference-far-below-budget", {"budget": 2_000_000, "reference": 0.45, "bids": [0.88, 0.92, 0.95]}),
            ("short-posting", {"budget": 1_300_000, "posting": 3}),
            (
                "above-reference-price",
                {"budget": 1_500_000, "reference": 0.93, "bids": [1.02, 0.93, 0.96], "reason": SCORED_REASON},
            ),
            (
                "near-reference-price",
                {"budget": 1_500_000, "reference": 0.93, "bids": [0.995, 0.93, 0.95], "reason": SCORED_REASON},
            ),
            ("abnormally-low-bid", {"budget": 1_500_000, "reference": 0.93, "bids": [0.65, 0.89, 0.93]}),
            ("bids-above-reference", {"budget": 1_500_000, "reference": 0.93, "bids": [0.89, 0.95, 1.04]}),
            ("single-bidder", {"budget": 900_000, "bids": [0.88]}),
            ("few-bidders", {"budget": 900_000, "bids": [0.87, 0.92]}),
            ("identical-bids", {"budget": 900_000, "bids": [0.87, 0.92, 0.92]}),
            ("clustered-bids", {"budget": 900_000, "bids": [0.90, 0.91, 0.917]}),
        ]
        for month, (rule, p) in zip((11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 11), plants, strict=True):
            firms = [self.fresh() for _ in p.get("bids", [0.88, 0.92, 0.95])]
            no = self.schedule(next(works), UNITS[2 + month % 3], baht(p["budget"]), eb, on(month, 5 + month),
                               reference=p.get("reference", 0.97), bids=p.get("bids"), firms=firms,
                               posting=p.get("posting", 7), reason=p.get("reason", CLEAN_REASON))  # fmt: skip
            self.mark(rule, no)

        # repeat winner: one firm wins three roads of one unit (the third raises it), against new rivals each time
        winner = self.fresh()
        for k, month in enumerate((1, 3, 5)):
            no = self.schedule(next(works), "กองช่าง", baht(1_800_000 + 100_000 * k), eb, on(month, 20),
                               firms=[winner, self.fresh(), self.fresh()])  # fmt: skip
        self.mark("repeat-winner", no)

        # co-bidding: three firms meet in three tenders of one unit, taking turns to win (the third raises it)
        ring = [self.fresh() for _ in range(3)]
        for k, month in enumerate((2, 4, 6)):
            no = self.schedule(next(works), "กองการศึกษา", baht(2_400_000 + 50_000 * k), eb, on(month, 24),
                               firms=ring[k:] + ring[:k])  # fmt: skip
        self.mark("co-bidding", no)

        # linked bidders: two competitors with one address; two with a director in common
        for link, month in (("address", 3), ("director", 7)):
            firms = [self.fresh() for _ in range(3)]
            self.shared[link].append((firms[0], firms[1]))
            self.mark("linked-bidders", self.schedule(next(works), "กองช่าง", baht(1_100_000), eb, on(month, 11),
                                                      firms=firms))  # fmt: skip

        # a bidder on the debarment list loses an ordinary tender
        firms = [self.fresh() for _ in range(3)]
        self.debarred = firms[2]
        no = self.schedule(next(works), "กองสาธารณสุขและสิ่งแวดล้อม", baht(1_250_000), eb, on(4, 16), firms=firms)
        self.mark("debarred-bidder", no)

        # contract splitting: electrical supplies bought three times in 18 days, 200,000 baht each
        for k in range(3):
            no = self.schedule(f"จัดซื้อวัสดุไฟฟ้าและวิทยุ ครั้งที่ {k + 1}", "สำนักปลัดเทศบาล", baht(200_000),
                               "specific", on(3, 4 + 9 * k), firms=[self.fresh()])  # fmt: skip
        self.mark("contract-splitting", no)

        # year-end: six specific-method purchases of 450,000 baht in September
        for k, item in enumerate(["รถจักรยานยนต์", "เครื่องกำเนิดไฟฟ้า", "ชุดโต๊ะประชุม", "เครื่องคอมพิวเตอร์แม่ข่าย",
                                  "เครื่องเล่นสนามเด็กเล่น", "เรือท้องแบน"]):  # fmt: skip
            no = self.schedule(f"จัดซื้อ{item}", UNITS[k % 5], baht(450_000), "specific", on(9, 2 + 3 * k),
                               firms=[self.fresh()])  # fmt: skip
            self.where.setdefault("year-end-specific", set()).add(no)  # whichever tips the share: once
        self.planted["year-end-specific"] += 1

    def mark(self, rule: str, project_no: str) -> None:
        self.planted[rule] += 1
        self.where.setdefault(rule, set()).add(project_no)

    def schedule(self, subject: str, unit: str, budget: int, method: str, day: date, *, reference: float = 0.97,
                 bids: list[float] | None = None, firms: list[str] | None = None, posting: int = 7,
                 reason: str = CLEAN_REASON) -> str:  # fmt: skip
        """One procurement: registered ten days before ``day`` (its reference price), the invitation three
        days later for ``posting`` days, the winner two days after it closes. ``bids`` are shares of the
        reference price, the winner's first; none given: an ordinary spread."""
        p, svc, r = self.people, self.svc, self.rng
        self.numbered += 1
        i = self.numbered
        price = int(budget * reference)
        if bids is None:
            low = r.uniform(0.85, 0.91)
            bids = [low] if method == "specific" else [low, low * r.uniform(1.03, 1.045), low * r.uniform(1.06, 1.08)]
        firms = firms or self.take(len(bids), unit)
        self.met(firms, unit, firms[0])
        offers = [{"name": f, "price_satang": baht(price * share / 100), "tax_id": self.tax_ids[f]}
                  for f, share in zip(firms, bids, strict=True)]  # fmt: skip
        holder: dict[str, Any] = Held()
        project_no = f"{self.fy % 100:02d}{self.org[-3:]}{i:06d}"

        def register() -> None:
            made, _ = svc.procurements.register(
                p["clerk"], self.org, project_no, subject, unit, budget, method, self.fy
            )
            holder["id"] = made.id

        def issue(kind: str, **values: Any) -> Callable[[], Any]:
            def signed() -> Any:  # the signer sees the flags first and acknowledges them
                load = svc.procurements.get(p["mayor"], holder["id"])
                flags = svc.procurements.red_flags(p["mayor"], holder["id"], kind, **values) if kind in FLAGGED else []
                note = {"acknowledgement": ACKNOWLEDGED} if flags else {}
                return svc.procurements.issue(
                    p["mayor"], holder["id"], load.version, kind, f"{kind}-{i}", **values, **note
                )

            return signed

        self.at(day - timedelta(days=10), register)
        self.at(day - timedelta(days=8), issue("plan_entry", planned_month=day.strftime("%Y-%m")))
        self.at(day, issue("reference_price", price_satang=price, source="market_survey"))
        closes = day + timedelta(days=3 + posting)
        if method != "specific":
            self.at(day + timedelta(days=3), issue("invitation", opens_on=day + timedelta(days=3), closes_on=closes))
        else:
            closes = day
        self.at(closes + timedelta(days=2), issue("winner", winner=firms[0], agreed_satang=offers[0]["price_satang"],
                                                  bidders=offers, reason=reason))  # fmt: skip
        return project_no


def planted_year(svc: Any, org_code: str, background: int = 40, plants: bool = True, seed: int = 17
                 ) -> tuple[PlantedYear, list[dict[str, Any]], list[str]]:  # fmt: skip
    """Write the year through ``svc`` (a manual clock before October) and return the year (what was planted
    and where), the register's flags and any act that was refused."""
    year = PlantedYear(svc, org_code, seed=seed, background=background, plants=plants).plan()
    result = year.run()
    return year, svc.oversight.red_flags([org_code], limit=100_000), result.refused


def table(planted: Counter[str], raised: Counter[str]) -> str:
    rules = list(RULE_TITLES)
    lines = ["| rule | planted | raised |", "|---|---:|---:|"]
    lines += [f"| {rule} ({RULE_TITLES[rule][1]}) | {planted[rule]} | {raised[rule]} |" for rule in rules]
    lines.append(f"| **total** | {sum(planted.values())} | {sum(raised.values())} |")
    return "\n".join(lines)


def main() -> None:
    from infrastructure.bootstrap import bootstrap
    from infrastructure.clock import ManualClock
    from infrastructure.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--background", type=int, default=40)
    parser.add_argument("--no-plants", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/events.sqlite3", master_key_path=Path(tmp) / "master.key",
                            signing_key_path=Path(tmp) / "signing.pem", session_secret_path=Path(tmp) / "session")  # fmt: skip
        svc = bootstrap(settings, clock=ManualClock(datetime.combine(date(2018, 9, 20), time(9), tzinfo=BANGKOK)))
        try:
            svc.organisations.register("5490101", "เทศบาลเมืองมุกดาหาร")
            year, flags, refused = planted_year(svc, "5490101", args.background, not args.no_plants)
        finally:
            svc.close()
    raised = Counter(f["rule"] for f in flags)
    print(table(year.planted, raised))
    for line in refused:
        print("refused:", line)
    astray = [
        f"{f['rule']} on {f['project_no']}" for f in flags if f["project_no"] not in year.where.get(f["rule"], ())
    ]
    if year.planted != raised or refused or astray:
        raise SystemExit(f"the register does not match what was planted: {astray}")


if __name__ == "__main__":
    main()
