"""Reads an anti-corruption action plan in its text form into a :class:`PlanDocument`.

Real documents are messy. What is safe to normalise is normalised (Thai/Arabic/mixed digits,
"มติ" for "มิติ", nikhahit + sara aa for sara am, stray markdown bold, lines merged at a bold
marker); everything else that disagrees is reported as a warning with its line number and the
parser's choice is said out loud, never silently guessed.

Over 400 lines on purpose: one reader for one document form, in reading order; PDF and Word
ingestion (issue 14) will split it by stage.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from domain.plan import Dimension, Mission, PlanDocument, PlanItem, PlanWarning
from domain.thai import is_plausible_be_year, to_arabic_digits

D = r"[0-9๐-๙]"
NO_BUDGET = "ไม่ใช้งบประมาณ"

# Section headings inside an item, recognised by keyword (their numbers vary between items).
SECTION_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("name", ("ชื่อโครงการ",)),
    ("rationale", ("หลักการและเหตุผล", "หลักเหตุและผล")),
    ("objectives", ("วัตถุประสงค์",)),
    ("targets", ("เป้าหมาย", "กลุ่มเป้าหมาย")),
    ("area", ("พื้นที่ดำเนินการ", "สถานที่ดำเนินการ")),
    ("steps", ("วิธีดำเนินการ", "วิธีการดำเนินการ", "วิธีการดำเนินงาน", "วิธีดำเนินงาน")),
    ("period", ("ระยะเวลา",)),
    ("budget", ("งบประมาณ",)),
    ("responsible", ("ผู้รับผิดชอบ", "หน่วยงานที่รับผิดชอบ", "หน่วยงานรับผิดชอบ")),
    ("kpis", ("ตัวชี้วัด", "ดัชนีชี้วัด", "ผลลัพธ์", "ผลที่คาดว่าจะได้รับ")),
    ("benefits", ("ประโยชน์ที่คาดว่าจะได้รับ",)),
]
LATE_SECTIONS = {"responsible", "kpis", "benefits", "budget", "period"}

RE_DIMENSION = re.compile(rf"^มิติที่\s*({D})\s*(.*)$")
RE_SUB_MISSION = re.compile(rf"^({D})\s*\.\s*({D}{{1,2}})\s*\.\s*({D}{{1,2}})\.?\s+(.+)$")
RE_MISSION = re.compile(rf"^({D})\s*\.\s*({D}{{1,2}})\s*\.?\s+(.+)$")
RE_SECTION = re.compile(rf"^({D}{{1,2}})\s*\.\s*(.+)$")
RE_STEP_TOP = re.compile(rf"^({D}{{1,2}})\s*[.)]\s*(?!{D})(.*)$")
RE_STEP_SUB = re.compile(rf"^({D}{{1,2}})\s*\.\s*({D}{{1,2}})\.?\s*(.*)$")
RE_MARKER = re.compile(rf"^(?:[-•*]\s*|{D}{{1,2}}(?:\s*\.\s*{D}{{1,2}})+\.?\s*|\(?{D}{{1,2}}\s*[.)]\s*)")
RE_AMOUNT = re.compile(rf"({D}{{1,3}}(?:,{D}{{3}})+|{D}+)\s*บาท")
RE_YEAR = re.compile(rf"(?<!{D})({D}{{4}})(?!{D})")
RE_ORG = re.compile(r"(เทศบาล(?:นคร|เมือง|ตำบล)[ก-ฮะ-์]+|องค์การบริหารส่วน(?:ตำบล|จังหวัด)[ก-ฮะ-์]+)")
RE_COUNTS = re.compile(rf"({D}+)\.?\s*(?:ภารกิจ|การกิจ)\s*({D}+)\s*(?:กิจกรรม|โครงการ)")
RE_SPAN = re.compile(rf"พ\.ศ\.\s*({D}{{4}})\s*[-–]\s*(?:พ\.ศ\.\s*)?({D}{{4}})")
RE_SUMMARY_ITEM = re.compile(rf"^(?:\(({D}+)\)|({D}+)\))\s*(.+)$")  # (๑) name, or ๑) name
RE_CELLS = re.compile(r"\t| {2,}")  # a table row's cells: tabs, or runs of spaces where the layout used them
RE_SUMMARY_MISSION = re.compile(rf"({D})\s*\.\s*({D})\.?\s+([^<]+)")


def num(text: str) -> int:
    return int(to_arabic_digits(text).replace(",", ""))


RE_MIXED_DIGITS = re.compile(r"[0-9๐-๙]*(?:[0-9][๐-๙]|[๐-๙][0-9])[0-9๐-๙]*")


def normalise_text(raw: str) -> str:
    """Thai as it was meant, from Thai as typed, extracted or OCR'd, without touching the layout.

    PyThaiNLP's rules: zero-width characters out, spaces before marks out, tone marks after their vowel
    (``ท่ี`` → ``ที่``), nikhahit + sara aa as sara am, repeated vowels once. Then one number written
    in mixed digits (``๒๕62``) in Thai digits throughout, and the common "มติที่" for "มิติที่".
    """
    from pythainlp.util import arabic_digit_to_thai_digit, remove_repeat_vowels, remove_zw, reorder_vowels
    from pythainlp.util.normalize import remove_spaces_before_marks

    text = remove_repeat_vowels(reorder_vowels(remove_spaces_before_marks(remove_zw(raw.replace("\ufeff", "")))))
    text = text.replace("\u0e4d\u0e32", "\u0e33")
    text = RE_MIXED_DIGITS.sub(lambda m: arabic_digit_to_thai_digit(m.group(0)), text)
    return re.sub(r"^(\**\s*)มติที่", r"\1มิติที่", text, flags=re.MULTILINE)


@dataclass
class Line:
    no: int
    text: str
    indent: int = 0


def logical_lines(raw: str) -> list[Line]:
    """Split merged headings at bold markers, drop the markers, keep the physical line number."""
    lines = []
    for no, physical in enumerate(normalise_text(raw).split("\n"), start=1):
        for part in re.split(rf"\*\*(?=\s*{D}{{1,2}}\s*\.)", physical):
            text = part.replace("**", "")
            if text.strip():
                lines.append(Line(no, text.strip(), len(text) - len(text.lstrip())))
    return lines


def section_of(text: str) -> tuple[str, str] | None:
    """``(section, rest)`` when the line is an item's section heading such as ``๘. งบประมาณ``."""
    m = RE_SECTION.match(text)
    if not m:
        return None
    body = m.group(2).strip()
    for name, keywords in SECTION_KEYWORDS:
        for kw in keywords:
            if body.startswith(kw):
                rest = body[len(kw) :].strip()
                if name == "name":
                    return name, rest
                if len(rest) <= 30 or ":" in rest:
                    # "๙. ผู้รับผิดชอบโครงการ" is all heading; "๘. งบประมาณ : ๑๐,๐๐๐ บาท" has content
                    return name, rest.split(":", 1)[1].strip() if ":" in rest else ""
    return None


def clean_name(rest: str) -> str:
    name = rest.lstrip(":： ").strip()
    name = re.sub(r"^(มาตรการ|กิจกรรม|โครงการ)\s*[“\"](.+)[”\"]$", r"\1\2", name)
    if re.fullmatch(r"[“\"].+[”\"]", name):
        name = name[1:-1]
    return re.sub(r"\s+", " ", name).strip()


def kind_of(name: str) -> str | None:
    if name.startswith("โครงการ"):
        return "project"
    if name.startswith("กิจกรรม"):
        return "activity"
    if name.startswith(("มาตรการ", "มาตรฐาน", "แนวปฏิบัติ")):
        return "measure"
    return None


def strip_marker(text: str) -> str:
    return RE_MARKER.sub("", text, count=1).strip()


def list_entries(lines: list[Line]) -> list[str]:
    """One entry per marked line; in a marked list, a line without a marker continues the entry above
    (a long target wrapped onto the next line is one target, not two)."""
    marked = any(strip_marker(line.text) != line.text for line in lines)
    entries: list[str] = []
    for line in lines:
        text = strip_marker(line.text)
        if not text:
            continue
        if marked and entries and text == line.text.strip():
            entries[-1] = f"{entries[-1]} {text}"
        else:
            entries.append(text)
    return entries


def steps_from(lines: list[Line], section_no: int | None) -> list[str]:
    """Top-level method steps in order; sub-items and bullets stay with their step.

    Numbered lines are steps (``๖.๑`` inside section ๖ too). Without numbers, plain lines are
    steps and bullets belong to them; with bullets only, unindented bullets are steps.
    """

    def is_bullet(line: Line) -> bool:
        return line.text.startswith(("-", "•"))

    def arabic(line: Line) -> str:
        return to_arabic_digits(line.text[:6]) + line.text[6:]

    numbered = any(RE_STEP_TOP.match(arabic(l)) for l in lines)
    has_plain = any(not is_bullet(l) for l in lines)
    steps: list[str] = []
    for line in lines:
        text = arabic(line)
        sub = RE_STEP_SUB.match(text)
        top = RE_STEP_TOP.match(text)
        if sub and section_no is not None and int(sub.group(1)) == section_no:
            starts_step, body = True, line.text[sub.start(3) :]
        elif top:
            starts_step, body = True, line.text[top.start(2) :]
        elif not numbered:
            starts_step = not is_bullet(line) or (not has_plain and line.indent == 0)
            body = strip_marker(line.text)
        else:
            starts_step, body = False, strip_marker(line.text)
        body = table_row_text(body)
        if body is None:
            continue  # a table's rule or empty row
        if starts_step or not steps:
            steps.append(body.strip())
        elif strip_marker(line.text) == line.text.strip() and not line.text.lstrip().startswith("|"):
            steps[-1] += " " + body.strip()  # an unmarked line continues the sentence (a wrapped line)
        else:
            steps[-1] += "\n" + body.strip()  # a bullet or sub-item stays with its step, on its own line
    return [s for s in steps if s]


def table_row_text(text: str) -> str | None:
    """A markdown table row inside an item read as a line (``| (๑) ผู้แทนสมาชิกสภา | ๒ คน |`` →
    ``(๑) ผู้แทนสมาชิกสภา — ๒ คน``); a rule or a row of empty cells is ``None``. Other text unchanged."""
    if not text.lstrip("- ").startswith("|"):
        return text
    cells = [c.strip() for c in text.lstrip("- ").strip().strip("|").split("|")]
    cells = [c for c in cells if c and not re.fullmatch(r":?-+:?", c)]
    return " — ".join(cells) if cells else None


RE_DIVISION = re.compile(r"(ทุกกอง|ทุกสำนัก|สำนักงาน[ก-๛]*|สำนัก[ก-๛]*|กอง[ก-๛]*|งาน[ก-๛]*)")


def table_cells(text: str) -> list[str]:
    """A summary row's cells: ``| a | b |`` (pipes), tabs, or runs of two or more spaces."""
    if text.startswith("|"):
        return [c.strip() for c in text.strip().strip("|").split("|")]
    return [c.strip() for c in RE_CELLS.split(text)]


def divisions(unit: str) -> list[str]:
    """The division names in a responsible unit ("กองสวัสดิการฯ" → "กองสวัสดิการ"; สำนักงานปลัด = สำนักปลัด)."""
    names = []
    for name in RE_DIVISION.findall(unit.replace("ฯ", " ")):
        name = name.replace("สำนักงานปลัด", "สำนักปลัด")
        if name not in ("กอง", "สำนัก", "งาน"):
            names.append(name)
    return names


def joined(lines: list[Line]) -> str:
    return " ".join(strip_marker(line.text) for line in lines).strip()


def name_key(name: str) -> str:
    key = re.sub(r"[\s“”\"'()\-/.,:]", "", name)
    return re.sub(r"^(โครงการ|กิจกรรม|มาตรการ|มาตรฐาน)", "", key)


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, name_key(a), name_key(b)).ratio()


@dataclass
class RawItem:
    line: int
    dimension: int
    mission: str
    sub_mission: str | None
    name: str
    sections: dict[str, list[Line]] = field(default_factory=dict)
    section_numbers: dict[str, int] = field(default_factory=dict)
    code: str = ""


@dataclass
class SummaryRow:
    line: int
    dimension: int
    mission: str | None
    name: str
    budgets: list[int | None]
    unit: str


@dataclass
class SummaryBlock:
    dimension: int
    line: int
    rows: list[SummaryRow] = field(default_factory=list)
    declared_missions: int | None = None
    declared_items: int | None = None
    declared_total: list[int | None] | None = None
    missions: dict[str, str] = field(default_factory=dict)
    paired: bool = False  # two columns per year: "งบประมาณ (บาท)" then "ไม่ใช้งบประมาณ"


class PlanParser:
    def __init__(self, raw: str) -> None:
        self.lines = logical_lines(raw)
        self.warnings: list[PlanWarning] = []

    def warn(self, line: int, kind: str, en: str, th: str) -> None:
        self.warnings.append(PlanWarning(line=line, kind=kind, message=en, message_th=th))

    # -- whole document ----------------------------------------------------------------------

    def parse(self) -> PlanDocument:
        organisation = self.organisation()
        years = self.fiscal_years()
        summary_start, detail_start = self.part_bounds()
        blocks = self.summary(self.lines[summary_start:detail_start], years)
        dimensions, raw_items = self.details(self.lines[detail_start:])
        self.fill_missing_missions(dimensions, blocks)
        self.assign_codes(raw_items)
        measures = [self.build_item(raw, years, organisation) for raw in raw_items]
        self.reconcile(blocks, raw_items, measures, dimensions, years)
        self.warnings.sort(key=lambda w: (w.line, w.kind))
        return PlanDocument(
            organisation=organisation,
            fiscal_years=years,
            dimensions=dimensions,
            measures=measures,
            warnings=self.warnings,
        )

    def organisation(self) -> str:
        whole = Counter(l.text for l in self.lines if RE_ORG.fullmatch(l.text))
        if whole:
            return whole.most_common(1)[0][0]
        found = Counter(m.group(1) for l in self.lines for m in RE_ORG.finditer(l.text))
        if not found:
            self.warn(1, "organisation", "organisation name not found", "ไม่พบชื่อองค์กรปกครองส่วนท้องถิ่น")
            return ""
        return found.most_common(1)[0][0]

    def fiscal_years(self) -> list[int]:
        spans = Counter()
        first_line = {}
        for line in self.lines:
            for m in RE_SPAN.finditer(line.text):
                span = (num(m.group(1)), num(m.group(2)))
                spans[span] += 1
                first_line.setdefault(span, line.no)
        plausible = [
            (s, c)
            for s, c in spans.most_common()
            if is_plausible_be_year(s[0]) and is_plausible_be_year(s[1]) and 0 <= s[1] - s[0] <= 5
        ]
        if not plausible:
            self.warn(1, "fiscal-years", "plan period (พ.ศ. X – Y) not found", "ไม่พบช่วงปีของแผน")
            return []
        start, end = plausible[0][0]
        for span, line in first_line.items():
            if span != (start, end) and not (
                is_plausible_be_year(span[0]) and is_plausible_be_year(span[1]) and span[1] >= span[0]
            ):
                self.warn(
                    line,
                    "impossible-year",
                    f"impossible year span {span[0]}–{span[1]}; the plan covers {start}–{end}",
                    f"ช่วงปีไม่ถูกต้อง {span[0]}–{span[1]} (แผนครอบคลุม {start}–{end})",
                )
        return list(range(start, end + 1))

    def part_bounds(self) -> tuple[int, int]:
        summary = detail = None
        for i, line in enumerate(self.lines):
            text = re.sub(r"\s+", "", to_arabic_digits(line.text))
            if text.startswith("ส่วนที่2") and summary is None:
                summary = i
            elif text.startswith("ส่วนที่3") and detail is None:
                detail = i
        if detail is None:
            detail = next(
                (i for i, l in enumerate(self.lines) if section_of(l.text) and "ชื่อโครงการ" in l.text),
                len(self.lines),
            )
            self.warn(1, "structure", "part 3 (details) heading not found", "ไม่พบหัวข้อส่วนที่ ๓")
        if summary is None:
            summary = detail
            self.warn(1, "structure", "part 2 (summary table) not found", "ไม่พบบัญชีสรุปส่วนที่ ๒")
        return summary, detail

    # -- part 2: the summary table -----------------------------------------------------------

    def summary(self, lines: list[Line], years: list[int]) -> list[SummaryBlock]:
        blocks: list[SummaryBlock] = []
        for line in lines:
            cells = table_cells(line.text)
            if re.match(r"^มิติ\s+ภารกิจ", " ".join(cells)):  # the header, whatever separates its cells
                blocks.append(SummaryBlock(dimension=len(blocks) + 1, line=line.no))
                continue
            if not blocks:
                continue
            block = blocks[-1]
            if (
                not block.rows
                and years
                and not any(RE_SUMMARY_ITEM.match(c) for c in cells)
                and any(c.startswith("งบประมาณ") for c in cells)
                and sum(c == NO_BUDGET for c in cells) >= len(years)
            ):
                block.paired = True  # the header's second row names a "no budget" column beside every year's
                continue
            label = re.match(rf"^มิติที่\s*({D})", cells[0])
            if label and num(label.group(1)) != block.dimension:
                self.warn(
                    line.no,
                    "summary-dimension",
                    f"a row of the summary table of dimension {block.dimension} is labelled dimension "
                    f"{num(label.group(1))}; it is read as dimension {block.dimension}",
                    f"แถวในบัญชีสรุปมิติที่ {block.dimension} ระบุว่าเป็นมิติที่ {num(label.group(1))} อ่านเป็นมิติที่ {block.dimension}",
                )
            counts = RE_COUNTS.search(line.text)
            if counts:
                block.declared_missions, block.declared_items = num(counts.group(1)), num(counts.group(2))
            for cell in cells:
                for m in RE_SUMMARY_MISSION.finditer(re.sub(r"<[^>]+>", " ", cell)):
                    if num(m.group(1)) == block.dimension and not RE_SUMMARY_ITEM.match(cell):
                        block.missions[f"{num(m.group(1))}.{num(m.group(2))}"] = m.group(3).strip()
            if "รวม" in cells:
                after = cells[cells.index("รวม") + 1 :]
                amounts = [self.budget_cell(c) for c in after if self.is_budget_cell(c)]
                if amounts:
                    block.declared_total = amounts
            for i, cell in enumerate(cells):
                m = RE_SUMMARY_ITEM.match(cell)
                if m:
                    block.rows.append(self.summary_row(line, block, cells, i, m.group(3), years))
        for block in blocks:
            if not block.rows:
                self.warn(
                    block.line,
                    "summary-unread",
                    f"summary table of dimension {block.dimension}: no item rows could be read (items are expected "
                    "as '(๑) name' or '๑) name' followed by one budget cell per year)",
                    f"บัญชีสรุปมิติที่ {block.dimension}: อ่านรายการไม่ได้เลย (ควรเป็น '(๑) ชื่อ' หรือ '๑) ชื่อ' ตามด้วยงบประมาณปีละช่อง)",
                )
        return blocks

    @staticmethod
    def is_budget_cell(cell: str) -> bool:
        return cell == NO_BUDGET or cell == "-" or bool(re.fullmatch(rf"{D}{{1,3}}(?:,{D}{{3}})*", cell))

    def budget_cell(self, cell: str) -> int | None:
        return None if cell in (NO_BUDGET, "-") else num(cell)

    def paired_cell(self, amount: str, none: str) -> int | None:
        """A year's amount from its two cells: the figure, or None when the year is marked "no budget"."""
        if re.fullmatch(rf"{D}{{1,3}}(?:,{D}{{3}})*", amount):
            return num(amount)
        if re.fullmatch(rf"{D}{{1,3}}(?:,{D}{{3}})*", none):  # the figure written one column late
            return num(none)
        return None

    def summary_row(
        self, line: Line, block: SummaryBlock, cells: list[str], i: int, name: str, years: list[int]
    ) -> SummaryRow:
        mission = None
        for cell in cells[:i]:
            m = RE_SUMMARY_MISSION.match(cell)
            if m and num(m.group(1)) == block.dimension:
                mission = f"{num(m.group(1))}.{num(m.group(2))}"
        rest = [c for c in cells[i + 1 :] if c]
        budgets = [self.budget_cell(c) for c in rest if self.is_budget_cell(c)]
        if block.paired and years:
            # one amount column and one "no budget" column per year, read in pairs by position
            pairs = cells[i + 1 : i + 1 + 2 * len(years)]
            pairs += [""] * (2 * len(years) - len(pairs))
            budgets = [self.paired_cell(a, b) for a, b in zip(pairs[::2], pairs[1::2], strict=True)]
            rest = [c for c in cells[i + 1 + 2 * len(years) :] if c]
        unit = next((c for c in rest if not self.is_budget_cell(c)), "")
        return SummaryRow(line.no, block.dimension, mission, re.sub(r"\s+", " ", name), budgets, unit)

    # -- part 3: the detailed items ----------------------------------------------------------

    def details(self, lines: list[Line]) -> tuple[list[Dimension], list[RawItem]]:
        dimensions: list[Dimension] = []
        items: list[RawItem] = []
        mission: str | None = None
        sub_mission: str | None = None
        item: RawItem | None = None
        section: str | None = None

        def in_late_section() -> bool:
            return item is None or section in LATE_SECTIONS

        for line in lines:
            text = to_arabic_digits(line.text[:8]) + line.text[8:]
            m = RE_DIMENSION.match(text)
            if m:
                dimensions.append(Dimension(number=int(m.group(1)), title=m.group(2).strip()))
                mission = sub_mission = None
                item, section = None, None
                continue
            dim = dimensions[-1].number if dimensions else None
            m = RE_SUB_MISSION.match(text)
            if m and dim == int(m.group(1)) and in_late_section():
                sub_mission = f"{int(m.group(1))}.{int(m.group(2))}.{int(m.group(3))}"
                parent = sub_mission.rsplit(".", 1)[0]
                if mission != parent:
                    self.warn(
                        line.no,
                        "missing-heading",
                        f"sub-mission {sub_mission} appears without its mission heading {parent}",
                        f"ภารกิจย่อย {sub_mission} ไม่มีหัวข้อภารกิจ {parent}",
                    )
                    mission = parent
                    dimensions[-1].missions.append(Mission(code=parent, title=""))
                item, section = None, None
                continue
            m = RE_MISSION.match(text)
            if m and dim == int(m.group(1)) and in_late_section() and not section_of(line.text):
                code = f"{int(m.group(1))}.{int(m.group(2))}"
                if not mission or [int(x) for x in code.split(".")] > [int(x) for x in mission.split(".")]:
                    mission, sub_mission = code, None
                    dimensions[-1].missions.append(Mission(code=code, title=m.group(3).strip()))
                    item, section = None, None
                    continue
            heading = section_of(line.text)
            if heading and heading[0] == "name":
                if not dimensions:
                    self.warn(line.no, "structure", "item before any dimension", "พบโครงการก่อนหัวข้อมิติ")
                    dimensions.append(Dimension(number=0, title=""))
                if mission is None:
                    mission = f"{dim}.0"
                item = RawItem(
                    line=line.no,
                    dimension=dimensions[-1].number,
                    mission=mission,
                    sub_mission=sub_mission,
                    name=clean_name(heading[1]),
                )
                items.append(item)
                section = "name"
                continue
            if item is None:
                continue
            if heading and heading[0] not in item.sections:
                section = heading[0]
                item.sections[section] = []
                item.section_numbers[section] = num(RE_SECTION.match(line.text).group(1))
                if heading[1]:
                    item.sections[section].append(Line(line.no, heading[1]))
                continue
            if section == "name":
                self.warn(
                    line.no,
                    "missing-heading",
                    f"item '{item.name}': text after the name has no section heading; read as rationale",
                    f"โครงการ '{item.name}': ข้อความหลังชื่อโครงการไม่มีหัวข้อ ถือเป็นหลักการและเหตุผล",
                )
                section = "rationale"
                item.sections.setdefault(section, [])
            item.sections[section].append(line)
        return dimensions, items

    def fill_missing_missions(self, dimensions: list[Dimension], blocks: list[SummaryBlock]) -> None:
        titles = {code: title for b in blocks for code, title in b.missions.items()}
        for dimension in dimensions:
            for mission in dimension.missions:
                if not mission.title and mission.code in titles:
                    mission.title = titles[mission.code]

    def assign_codes(self, items: list[RawItem]) -> None:
        groups: dict[str, list[RawItem]] = {}
        for item in items:
            groups.setdefault(item.sub_mission or item.mission, []).append(item)
        for code, members in groups.items():
            for n, item in enumerate(members, start=1):
                item.code = code if len(members) == 1 else f"{code}-{n}"

    # -- one item ----------------------------------------------------------------------------

    def build_item(self, raw: RawItem, years: list[int], organisation: str) -> PlanItem:
        s = raw.sections
        for needed, th in (("steps", "วิธีดำเนินการ"), ("budget", "งบประมาณ"), ("responsible", "ผู้รับผิดชอบ")):
            if needed not in s:
                self.warn(
                    raw.line,
                    "missing-section",
                    f"item {raw.code} '{raw.name}' has no '{needed}' section",
                    f"โครงการ {raw.code} '{raw.name}' ไม่มีหัวข้อ{th}",
                )
        kind = kind_of(raw.name)
        if kind is None:
            kind = "activity"
            self.warn(
                raw.line,
                "kind-assumed",
                f"item {raw.code} '{raw.name}' does not say project/activity/measure; read as activity",
                f"โครงการ {raw.code} '{raw.name}' ไม่ระบุประเภท ถือเป็นกิจกรรม",
            )
        responsible = joined(s.get("responsible", []))
        self.check_responsible(raw, responsible, organisation)
        period = joined(s.get("period", []))
        self.check_years(raw, s.get("period", []) + s.get("budget", []), years)
        budgets, no_budget = self.detail_budgets(raw, s.get("budget", []), years)
        return PlanItem(
            code=raw.code,
            dimension=raw.dimension,
            mission=raw.mission,
            sub_mission=raw.sub_mission,
            kind=kind,
            name=raw.name,
            objectives=list_entries(s.get("objectives", [])),
            targets=list_entries(s.get("targets", [])),
            steps=steps_from(s.get("steps", []), raw.section_numbers.get("steps")),
            period=period,
            budgets=budgets,
            no_budget=no_budget,
            responsible_unit=responsible,
            kpis=self.kpis(raw),
            area=joined(s.get("area", [])),
            line=raw.line,
        )

    def kpis(self, raw: RawItem) -> list[str]:
        if "kpis" in raw.sections:
            return list_entries(raw.sections["kpis"])
        if "benefits" in raw.sections:
            self.warn(
                raw.line,
                "missing-section",
                f"item {raw.code} '{raw.name}' has no KPI section; its expected benefits are used as KPIs",
                f"โครงการ {raw.code} '{raw.name}' ไม่มีหัวข้อตัวชี้วัด ใช้ประโยชน์ที่คาดว่าจะได้รับแทน",
            )
            return list_entries(raw.sections["benefits"])
        self.warn(
            raw.line,
            "missing-section",
            f"item {raw.code} '{raw.name}' has no KPI section",
            f"โครงการ {raw.code} '{raw.name}' ไม่มีหัวข้อตัวชี้วัด",
        )
        return []

    def check_responsible(self, raw: RawItem, unit: str, organisation: str) -> None:
        for m in RE_ORG.finditer(unit):
            if organisation and m.group(1) != organisation:
                line = raw.sections["responsible"][0].no if raw.sections.get("responsible") else raw.line
                self.warn(
                    line,
                    "foreign-organisation",
                    f"item {raw.code}: responsible unit names another organisation ({m.group(1)})",
                    f"โครงการ {raw.code}: หน่วยงานรับผิดชอบระบุองค์กรอื่น ({m.group(1)})",
                )

    def check_years(self, raw: RawItem, lines: list[Line], years: list[int]) -> None:
        if not years:
            return
        for line in lines:
            for m in RE_YEAR.finditer(line.text):
                year = num(m.group(1))
                if not (years[0] - 1 <= year <= years[-1]):
                    self.warn(
                        line.no,
                        "impossible-year",
                        f"item {raw.code}: year {year} is outside the plan's {years[0]}–{years[-1]}",
                        f"โครงการ {raw.code}: ปี {year} อยู่นอกช่วงแผน {years[0]}–{years[-1]}",
                    )

    def detail_budgets(self, raw: RawItem, lines: list[Line], years: list[int]) -> tuple[dict[str, int | None], bool]:
        """Per-year budget stated in the item's own budget section (summary fills gaps later)."""
        text = " ".join(l.text for l in lines)
        budgets: dict[str, int | None] = {str(y): None for y in years}
        if NO_BUDGET in text:
            stated = self.budget_by_year(text, years)
            if not stated or all(v is None for v in stated.values()):
                return budgets, True
            # some years have an amount and others none ("ปี ๒๕๖๓ ไม่ใช้งบประมาณ"): those are 0, not unknown
            for year, value in stated.items():
                budgets[str(year)] = 0 if value is None else value
            raw.sections["_budget_years"] = [Line(lines[0].no, ",".join(map(str, stated)))]
            return budgets, False
        amounts = list(RE_AMOUNT.finditer(text))
        if not amounts:
            return budgets, False
        named_years = [num(y) for y in RE_YEAR.findall(text) if num(y) in years]
        if named_years and len(amounts) == len(named_years):
            for year, amount in zip(named_years, amounts, strict=True):
                budgets[str(year)] = num(amount.group(1))
            raw.sections["_budget_years"] = [Line(lines[0].no, ",".join(map(str, named_years)))]
        else:
            for year in years:
                budgets[str(year)] = num(amounts[0].group(1))
        return budgets, False

    @staticmethod
    def budget_by_year(text: str, years: list[int]) -> dict[int, int | None]:
        """``ปี ๒๕๖๒ ๓๐,๐๐๐ บาท ปี ๒๕๖๓ ไม่ใช้งบประมาณ`` → {2562: 30000, 2563: None}: each year named
        takes the first amount or "no budget" written after it, before the next year."""
        tokens = sorted(
            [(m.start(), "year", num(m.group(1))) for m in RE_YEAR.finditer(text) if num(m.group(1)) in years]
            + [(m.start(), "amount", num(m.group(1))) for m in RE_AMOUNT.finditer(text)]
            + [(m.start(), "none", None) for m in re.finditer(NO_BUDGET, text)]
        )
        stated: dict[int, int | None] = {}
        year = None
        for _, kind, value in tokens:
            if kind == "year":
                year = value
            elif year is not None and year not in stated:
                stated[year] = value
                year = None
        return stated

    # -- summary vs details ------------------------------------------------------------------

    def reconcile(
        self,
        blocks: list[SummaryBlock],
        raws: list[RawItem],
        items: list[PlanItem],
        dimensions: list[Dimension],
        years: list[int],
    ) -> None:
        by_dimension: dict[int, list[int]] = {}
        for i, item in enumerate(items):
            by_dimension.setdefault(item.dimension, []).append(i)
        matched_items: set[int] = set()
        for block in blocks:
            found = by_dimension.get(block.dimension, [])
            dimension = next((d for d in dimensions if d.number == block.dimension), None)
            if block.declared_items is not None and block.declared_items != len(found):
                self.warn(
                    block.line,
                    "count-mismatch",
                    f"dimension {block.dimension}: the summary declares {block.declared_items} items, "
                    f"the details contain {len(found)}",
                    f"มิติที่ {block.dimension}: บัญชีสรุประบุ {block.declared_items} กิจกรรม แต่รายละเอียดมี {len(found)}",
                )
            if block.declared_items is not None and block.declared_items != len(block.rows):
                self.warn(
                    block.line,
                    "count-mismatch",
                    f"dimension {block.dimension}: the summary declares {block.declared_items} items "
                    f"but lists {len(block.rows)} rows",
                    f"มิติที่ {block.dimension}: บัญชีสรุประบุ {block.declared_items} กิจกรรม แต่มีรายการ {len(block.rows)} แถว",
                )
            missions_declared = block.declared_missions
            if dimension and missions_declared is not None and missions_declared != len(dimension.missions):
                self.warn(
                    block.line,
                    "count-mismatch",
                    f"dimension {block.dimension}: the summary declares {block.declared_missions} "
                    f"missions, the details contain {len(dimension.missions)}",
                    f"มิติที่ {block.dimension}: บัญชีสรุประบุ {block.declared_missions} ภารกิจ "
                    f"แต่รายละเอียดมี {len(dimension.missions)}",
                )
            self.check_totals(block, years)
            odd = [row for row in block.rows if years and len(row.budgets) != len(years)]
            if odd:
                cells = sorted({len(row.budgets) for row in odd})
                self.warn(
                    odd[0].line,
                    "summary-layout",
                    f"dimension {block.dimension}: {len(odd)} summary rows have {cells} budget cells for "
                    f"{len(years)} fiscal years; the first {len(years)} cells are read as the years",
                    f"มิติที่ {block.dimension}: {len(odd)} แถวในบัญชีสรุปมีช่องงบประมาณ {cells} ช่อง "
                    f"แต่แผนมี {len(years)} ปี อ่าน {len(years)} ช่องแรกเป็นรายปี",
                )
            pairs = sorted(
                ((similarity(row.name, items[i].name), r, i) for r, row in enumerate(block.rows) for i in found),
                reverse=True,
            )
            used_rows: set[int] = set()
            for score, r, i in pairs:
                if score < 0.6 or r in used_rows or i in matched_items:
                    continue
                used_rows.add(r)
                matched_items.add(i)
                self.compare_budgets(block.rows[r], raws[i], items[i], years)
                self.compare_units(block.rows[r], items[i])
            for r, row in enumerate(block.rows):
                if r not in used_rows:
                    self.warn(
                        row.line,
                        "summary-only",
                        f"summary lists '{row.name}' but no detailed item matches it",
                        f"บัญชีสรุปมี '{row.name}' แต่ไม่พบรายละเอียดโครงการ",
                    )
        for i, item in enumerate(items):
            if i not in matched_items:
                self.warn(
                    item.line,
                    "detail-only",
                    f"item {item.code} '{item.name}' is not in the summary table",
                    f"โครงการ {item.code} '{item.name}' ไม่อยู่ในบัญชีสรุป",
                )
            missing = [y for y, v in item.budgets.items() if v is None] if not item.no_budget else []
            if missing:
                self.warn(
                    item.line,
                    "budget-missing",
                    f"item {item.code}: no budget figure for fiscal year(s) {', '.join(missing)}",
                    f"โครงการ {item.code}: ไม่พบวงเงินงบประมาณปี {', '.join(missing)}",
                )

    def check_totals(self, block: SummaryBlock, years: list[int]) -> None:
        if not block.declared_total:
            return
        for n, declared in enumerate(block.declared_total[: len(years)]):
            summed = sum(row.budgets[n] or 0 for row in block.rows if len(row.budgets) > n)
            if declared is not None and declared != summed:
                self.warn(
                    block.line,
                    "total-mismatch",
                    f"dimension {block.dimension}, FY {years[n]}: the summary total is {declared:,} "
                    f"but its rows add up to {summed:,}",
                    f"มิติที่ {block.dimension} ปี {years[n]}: ยอดรวม {declared:,} บาท ไม่เท่ากับผลรวมรายการ {summed:,} บาท",
                )

    def compare_units(self, row: SummaryRow, item: PlanItem) -> None:
        """The summary's responsible unit and the detail's should name the same division (abbreviations
        such as "กองสวัสดิการฯ" and "สำนักปลัด" for "สำนักงานปลัด" allowed); when they do not, both are said."""
        summary, detail = divisions(row.unit), divisions(item.responsible_unit)
        if not summary:
            return
        if any(a.startswith(b) or b.startswith(a) for a in summary for b in detail):
            return
        self.warn(
            item.line,
            "unit-mismatch",
            f"item {item.code}: the summary (line {row.line}) names '{row.unit}' as responsible, "
            f"the details '{item.responsible_unit}'; the details are kept",
            f"โครงการ {item.code}: บัญชีสรุป (บรรทัด {row.line}) ระบุผู้รับผิดชอบ '{row.unit}' "
            f"แต่รายละเอียดระบุ '{item.responsible_unit}' ใช้ตามรายละเอียด",
        )

    def compare_budgets(self, row: SummaryRow, raw: RawItem, item: PlanItem, years: list[int]) -> None:
        row_no_budget = bool(row.budgets) and all(b is None for b in row.budgets)
        if item.no_budget and not row_no_budget and row.budgets:
            self.warn(
                item.line,
                "budget-mismatch",
                f"item {item.code}: the details say no budget, the summary (line {row.line}) gives amounts",
                f"โครงการ {item.code}: รายละเอียดระบุไม่ใช้งบประมาณ แต่บัญชีสรุป (บรรทัด {row.line}) มีวงเงิน",
            )
            return
        if row_no_budget and not item.no_budget and any(item.budgets.values()):
            self.warn(
                item.line,
                "budget-mismatch",
                f"item {item.code}: the summary (line {row.line}) says no budget, the details give amounts",
                f"โครงการ {item.code}: บัญชีสรุป (บรรทัด {row.line}) ระบุไม่ใช้งบประมาณ แต่รายละเอียดมีวงเงิน",
            )
            return
        stated_years = raw.sections.get("_budget_years")
        explicit = {int(y) for y in stated_years[0].text.split(",")} if stated_years else set(years)
        for n, year in enumerate(years):
            summary = row.budgets[n] if n < len(row.budgets) else None
            detail = item.budgets.get(str(year))
            if item.no_budget or summary is None:
                continue
            if detail is None:
                item.budgets[str(year)] = summary  # the detail page is silent: the summary decides
            elif detail != summary:
                source = "stated" if year in explicit else "applied to every year"
                self.warn(
                    item.line,
                    "budget-mismatch",
                    f"item {item.code}, FY {year}: the details give {detail:,} baht ({source}), "
                    f"the summary (line {row.line}) {summary:,}; the details are kept",
                    f"โครงการ {item.code} ปี {year}: รายละเอียดระบุ {detail:,} บาท "
                    f"แต่บัญชีสรุป (บรรทัด {row.line}) ระบุ {summary:,} บาท ใช้ตามรายละเอียด",
                )


def parse_plan(raw: str) -> PlanDocument:
    return PlanParser(raw).parse()
