"""Plans laid out the ways Thai local governments lay them out, with what each says known exactly.

Each variant writes the same kind of plan — an organisation, a 3- or 5-year span, items in the four
dimensions with yearly budgets (or none), a responsible unit, steps and KPIs — in one of the national
template's layouts: one or two summary columns per year; tab-, pipe- or space-separated summary cells;
item markers (๑), (1), ๑) or 1); Thai or Arabic heading numbers; headings split across lines; an
item only in the summary or only in the details. As text, and as Word and PDF files made from it.

``python -m tests.plan_corpus`` (``make parse-report``) parses every variant in every format and prints,
per document: items found of expected, fields right of fields checked, warnings, and the corrections a
clerk would have to make by hand (a missed or extra item, or a wrong field). Target: ≤ 3 per plan.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from domain.thai import to_thai_digits

THAI_KIND = {"project": "โครงการ", "activity": "กิจกรรม", "measure": "มาตรการ"}
DIMENSIONS = {
    1: "การสร้างสังคมที่ไม่ทนต่อการทุจริต",
    2: "การบริหารราชการเพื่อป้องกันการทุจริต",
    3: "การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน",
    4: "การเสริมสร้างและปรับปรุงกลไกในการตรวจสอบการปฏิบัติราชการ",
}


@dataclass
class Item:
    code: str  # the code the plan gives it, e.g. 1.1.1 (sub-mission) or 2.3 (mission)
    kind: str
    name: str
    budgets: list[int | None]  # per year; None = no budget that year
    unit: str
    steps: list[str]
    kpis: list[str]
    in_summary: bool = True
    in_details: bool = True

    @property
    def dimension(self) -> int:
        return int(self.code.split(".")[0])


@dataclass
class Layout:
    name: str
    years: list[int]
    columns: int = 1  # budget columns per year in the summary
    separator: str = "\t"  # "\t", "|" or "  "
    marker: str = "({n})"  # how a summary row numbers its item: "({n})", "{n})"
    thai_digits: bool = True
    split_headings: bool = False


@dataclass
class Plan:
    organisation: str
    layout: Layout
    items: list[Item] = field(default_factory=list)


def standard_items(years: int) -> list[Item]:
    """Nine items across the four dimensions; some without budget, one only in the summary, one only in
    the details (the warnings a clerk reads for them are expected, not corrections)."""

    def money(*amounts: int | None) -> list[int | None]:
        return [amounts[i % len(amounts)] for i in range(years)]

    return [
        Item("1.1.1", "project", "โครงการอบรมคุณธรรมจริยธรรมแก่บุคลากร", money(50_000, 60_000, 70_000),
             "สำนักปลัด", ["จัดทำโครงการเสนอผู้บริหาร", "จัดอบรมบุคลากร", "ประเมินผลการอบรม"],
             ["บุคลากรเข้าร่วมร้อยละ ๘๐"]),
        Item("1.1.2", "measure", "มาตรการส่งเสริมการปฏิบัติงานตามประมวลจริยธรรม", money(None),
             "งานการเจ้าหน้าที่ สำนักปลัด", ["ประกาศประมวลจริยธรรม", "ติดตามการปฏิบัติ"], ["ไม่มีเรื่องร้องเรียน"]),
        Item("1.2.1", "project", "โครงการปลูกป่าชุมชนเฉลิมพระเกียรติ", money(30_000, None, 30_000),
             "กองสาธารณสุขและสิ่งแวดล้อม", ["สำรวจพื้นที่", "จัดกิจกรรมปลูกป่า"], ["พื้นที่ป่าเพิ่มขึ้น ๕ ไร่"]),
        Item("2.1.1", "activity", "กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร", money(None),
             "สำนักปลัด", ["จัดทำประกาศ", "เผยแพร่ประกาศ"], ["มีประกาศเจตจำนง ๑ ฉบับ"]),
        Item("2.2.1", "measure", "มาตรการเผยแพร่ข้อมูลการจัดซื้อจัดจ้าง", money(None),
             "กองคลัง", ["เผยแพร่ประกาศทางเว็บไซต์", "ปิดประกาศ ณ สำนักงาน"], ["เผยแพร่ครบทุกโครงการ"]),
        Item("3.1.1", "project", "โครงการประชุมประชาคมจัดทำแผนพัฒนาท้องถิ่น", money(20_000, 25_000),
             "กองวิชาการและแผนงาน", ["ประชาสัมพันธ์", "จัดประชุมประชาคม", "สรุปผล"], ["ประชาชนเข้าร่วม ๒๐๐ คน"]),
        Item("3.2.1", "activity", "กิจกรรมรับเรื่องร้องเรียนผ่านช่องทางออนไลน์", money(None),
             "สำนักปลัด", ["เปิดช่องทางรับเรื่อง", "ตอบกลับภายใน ๑๕ วัน"], ["ตอบทุกเรื่องภายใน ๑๕ วัน"],
             in_summary=False),
        Item("4.1.1", "project", "โครงการจัดทำแผนการตรวจสอบภายในประจำปี", money(10_000),
             "หน่วยตรวจสอบภายใน", ["จัดทำแผน", "ตรวจสอบตามแผน", "รายงานผล"], ["มีแผนตรวจสอบ ๑ ฉบับ"]),
        Item("4.2.1", "activity", "กิจกรรมอบรมกรรมการตรวจรับพัสดุ", money(15_000),
             "กองคลัง", ["จัดอบรม"], ["กรรมการผ่านการอบรมร้อยละ ๙๐"], in_details=False),
    ]  # fmt: skip


LAYOUTS = [
    Layout("3-year, tabs, (๑)", [2562, 2563, 2564]),
    Layout("5-year, tabs, (๑)", [2566, 2567, 2568, 2569, 2570]),
    Layout("3-year, two columns per year", [2565, 2566, 2567], columns=2),
    Layout("3-year, pipes, ๑)", [2565, 2566, 2567], separator="|", marker="{n})"),
    Layout("5-year, spaces, (1), Arabic numbers", [2566, 2567, 2568, 2569, 2570], separator="  ", thai_digits=False),
    Layout("3-year, headings split across lines", [2562, 2563, 2564], split_headings=True),
]

ORGANISATIONS = ["เทศบาลตำบลหนองแวง", "องค์การบริหารส่วนตำบลบ้านใหม่", "เทศบาลเมืองตัวอย่าง"]


def plans() -> list[Plan]:
    return [
        Plan(ORGANISATIONS[i % len(ORGANISATIONS)], layout, standard_items(len(layout.years)))
        for i, layout in enumerate(LAYOUTS)
    ]


# -- writing a plan as text ------------------------------------------------------------------------------


def write(plan: Plan) -> str:
    lay = plan.layout

    def n(text: object) -> str:
        return to_thai_digits(str(text)) if lay.thai_digits else str(text)

    def amount(value: int | None) -> str:
        return "ไม่ใช้งบประมาณ" if value is None else n(f"{value:,}")

    def row(cells: list[str]) -> str:
        if lay.separator == "|":
            return "| " + " | ".join(cells) + " |"
        return lay.separator.join(cells)

    first, last = lay.years[0], lay.years[-1]
    out = [
        "แผนปฏิบัติการป้องกันการทุจริต",
        f"{plan.organisation}",
        f"(พ.ศ. {n(first)} - {n(last)})",
        "",
        "ส่วนที่ ๒",
        f"บัญชีสรุปแผนโครงการ/กิจกรรม/มาตรการ (พ.ศ. {n(first)} - {n(last)})",
        plan.organisation,
        "",
    ]
    for dim in range(1, 5):
        years = [f"ปี {n(y)}" for y in lay.years]
        if lay.columns == 2:
            out.append(row(["มิติ", "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", *[c for y in years for c in (y, "")],
                            "หมายเหตุ"]))  # fmt: skip
            out.append(row(["", "", "", *["งบประมาณ (บาท)", "ไม่ใช้งบประมาณ"] * len(years)]))
        else:
            out.append(row(["มิติ", "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", *years, "หมายเหตุ"]))
        listed = [i for i in plan.items if i.dimension == dim and i.in_summary]
        for k, item in enumerate(listed, start=1):
            mission = ".".join(item.code.split(".")[:2])
            label = f"มิติที่ {n(dim)}" if k == 1 else ""
            marker = lay.marker.format(n=n(k))
            if lay.columns == 2:
                money = [c for b in item.budgets for c in ((n(f"{b:,}"), "") if b is not None else ("", "✓"))]
            else:
                money = [amount(b) for b in item.budgets]
            out.append(row([label, f"{n(mission)} ภารกิจ", f"{marker} {item.name}", *money, item.unit]))
        out.append("")
    out += ["ส่วนที่ ๓", "รายละเอียดโครงการ/กิจกรรม/มาตรการ", ""]
    for dim in range(1, 5):
        if lay.split_headings:
            out += [f"มิติที่ {n(dim)}", DIMENSIONS[dim]]
        else:
            out.append(f"มิติที่ {n(dim)} {DIMENSIONS[dim]}")
        missions_written: set[str] = set()
        for item in (i for i in plan.items if i.dimension == dim and i.in_details):
            mission = ".".join(item.code.split(".")[:2])
            if mission not in missions_written:
                out.append(f"{n(mission)} ภารกิจที่ {n(mission)}")
                missions_written.add(mission)
            out.append(f"{n(item.code)} ภารกิจย่อย {n(item.code)}")
            out.append(f"{n(1)}. ชื่อโครงการ : {item.name}")
            out += [f"{n(2)}. หลักการและเหตุผล", "เพื่อป้องกันการทุจริตในองค์กร"]
            out += [f"{n(3)}. วัตถุประสงค์", f"{n(1)}. เพื่อส่งเสริมความโปร่งใส"]
            out += [f"{n(4)}. เป้าหมาย", "บุคลากรและประชาชนในพื้นที่"]
            out += [f"{n(5)}. พื้นที่ดำเนินการ", plan.organisation]
            out.append(f"{n(6)}. วิธีดำเนินการ")
            out += [f"{n(s)}. {step}" for s, step in enumerate(item.steps, start=1)]
            out += [f"{n(7)}. ระยะเวลาดำเนินการ", f"ปีงบประมาณ พ.ศ. {n(first)} - {n(last)}"]
            out.append(f"{n(8)}. งบประมาณดำเนินการ")
            if all(b is None for b in item.budgets):
                out.append("ไม่ใช้งบประมาณ")
            else:
                out += [
                    f"ปี {n(y)} {amount(b)}{'' if b is None else ' บาท'}"
                    for y, b in zip(lay.years, item.budgets, strict=True)
                ]
            out += [f"{n(9)}. ผู้รับผิดชอบโครงการ", f"{item.unit} {plan.organisation}"]
            out += [f"{n(10)}. ตัวชี้วัด/ผลลัพธ์", *item.kpis]
            out.append("")
    return "\n".join(out) + "\n"


# -- measuring the parser against what the plan says --------------------------------------------------------


@dataclass
class Score:
    document: str
    expected: int
    found: int
    fields: int
    right: int
    warnings: int
    corrections: int
    wrong: list[str]


def expected_budgets(plan: Plan, item: Item) -> dict[str, int | None]:
    """What the parser should read: no year known for an item without any budget (it is "no budget" as a
    whole); in an item with amounts, a year without one is 0 baht."""
    none = all(b is None for b in item.budgets)
    return {str(y): (None if none else (b or 0)) for y, b in zip(plan.layout.years, item.budgets, strict=True)}


def score(plan: Plan, parsed: object, document: str) -> Score:
    """Compare a parsed plan to what the plan says: per item the code, dimension, kind, name, every year's
    budget, the responsible unit, the steps and the KPIs (items only in the summary are not expected)."""
    expected = {i.code: i for i in plan.items if i.in_details}
    got = {m.code: m for m in parsed.measures}  # type: ignore[attr-defined]
    wrong: list[str] = []
    fields = right = 0
    for code, item in expected.items():
        m = got.get(code)
        checks = {
            "dimension": (m.dimension if m else None, item.dimension),
            "kind": (m.kind if m else None, item.kind),
            "name": (m.name if m else None, item.name),
            "budgets": (dict(m.budgets) if m else None, expected_budgets(plan, item)),
            "no_budget": (m.no_budget if m else None, all(b is None for b in item.budgets)),
            "unit": (m.responsible_unit.startswith(item.unit) if m else None, True),
            "steps": (m.steps if m else None, item.steps),
            "kpis": (m.kpis if m else None, item.kpis),
        }
        for name, (value, want) in checks.items():
            fields += 1
            if value == want:
                right += 1
            elif m is not None:
                wrong.append(f"{code} {name}: {value!r} ≠ {want!r}")
    missing = [c for c in expected if c not in got]
    extra = [c for c in got if c not in expected]
    wrong += [f"{c}: not found" for c in missing] + [f"{c}: not in the plan" for c in extra]
    corrections = len(missing) + len(extra) + sum(1 for w in wrong if ": not " not in w)
    return Score(document, len(expected), len(set(got) & set(expected)), fields, right,
                 len(parsed.warnings), corrections, wrong)  # type: ignore[attr-defined]  # fmt: skip


SEED_FIELDS = ("dimension", "kind", "name", "budgets", "no_budget", "responsible_unit", "objectives", "targets",
               "steps", "kpis")  # fmt: skip


def seed_score(reference: object, parsed: object, document: str) -> Score:
    """The Mukdahan plan against its reviewed reading (the bundled plan): every item field compared."""
    expected = {m.code: m for m in reference.measures}  # type: ignore[attr-defined]
    got = {m.code: m for m in parsed.measures}  # type: ignore[attr-defined]
    wrong = [f"{c}: not found" for c in expected if c not in got] + [
        f"{c}: not in the plan" for c in got if c not in expected
    ]
    fields = right = 0
    for code, want in expected.items():
        for name in SEED_FIELDS:
            fields += 1
            if code in got and getattr(got[code], name) == getattr(want, name):
                right += 1
            elif code in got:
                wrong.append(f"{code} {name}: {getattr(got[code], name)!r:.80} ≠ {getattr(want, name)!r:.80}")
    return Score(document, len(expected), len(set(got) & set(expected)), fields, right,
                 len(parsed.warnings), len(wrong), wrong)  # type: ignore[attr-defined]  # fmt: skip


def scores() -> list[Score]:
    import json
    from importlib import resources

    from domain.plan import PlanDocument
    from infrastructure.plan_parser import parse_plan
    from infrastructure.plan_sources import plan_text
    from tests.conftest import SEED
    from tests.plan_files import as_docx, as_pdf

    results = []
    bundled = resources.files("infrastructure.bundled").joinpath("mukdahan-2562-2564.json").read_text(encoding="utf-8")
    reference = PlanDocument.from_json(json.loads(bundled))
    seed = SEED.read_text(encoding="utf-8")
    for form, data, name in (("txt", seed.encode(), "seed.txt"), ("docx", as_docx(seed), "seed.docx"),
                             ("pdf", as_pdf(seed), "seed.pdf")):  # fmt: skip
        results.append(seed_score(reference, parse_plan(plan_text(data, name)), f"Mukdahan 2562–2564 ({form})"))
    for plan in plans():
        text = write(plan)
        for form, data, name in (
            ("txt", text.encode(), "plan.txt"),
            ("docx", as_docx(text), "plan.docx"),
            ("pdf", as_pdf(text), "plan.pdf"),
        ):
            parsed = parse_plan(plan_text(data, name))
            results.append(score(plan, parsed, f"{plan.layout.name} ({form})"))
    return results


def main() -> int:
    results = scores()
    print(f"{'document':<48} {'items':>7} {'fields':>9} {'warnings':>9} {'corrections':>12}")
    for s in results:
        items, fields = f"{s.found}/{s.expected}", f"{s.right}/{s.fields}"
        print(f"{s.document:<48} {items:>7} {fields:>9} {s.warnings:>9} {s.corrections:>12}")
    worst = max(s.corrections for s in results)
    print(f"\nworst: {worst} corrections in one plan (target ≤ 3)")
    for s in results:
        for line in s.wrong[:5]:
            print(f"  {s.document}: {line}")
    return 0 if worst <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
