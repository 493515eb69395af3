"""The parser on the real seed plan and on small documents made messy on purpose."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from domain.plan import PlanDocument
from infrastructure.plan_parser import normalise_text, parse_plan

SEED_CODES = [
    "1.1.1-1",
    "1.1.1-2",
    "1.1.2",
    "1.1.3",
    "1.2.1",
    "1.2.2",
    "1.3.1",
    "1.3.2",
    "1.3.3",
    "2.1",
    "2.2.1",
    "2.2.2-1",
    "2.2.2-2",
    "2.3.1",
    "2.3.2",
    "2.4.1",
    "2.4.2",
    "2.5.1",
    "2.5.2",
    "2.5.3",
    "3.1.1",
    "3.1.2",
    "3.2.3",
    "3.3.1",
    "3.3.2",
    "4.1.1",
    "4.1.2",
    "4.2.1",
    "4.2.2",
    "4.2.3",
    "4.3.2",
    "4.4.1",
]


@pytest.fixture(scope="module")
def seed(seed_text: str) -> PlanDocument:
    return parse_plan(seed_text)


def by_code(doc: PlanDocument, code: str):
    return next(m for m in doc.measures if m.code == code)


def kinds(doc: PlanDocument) -> set[str]:
    return {w.kind for w in doc.warnings}


def test_seed_every_detailed_item_is_found(seed):
    assert seed.organisation == "เทศบาลเมืองมุกดาหาร"
    assert seed.fiscal_years == [2562, 2563, 2564]
    assert [m.code for m in seed.measures] == SEED_CODES
    assert [d.number for d in seed.dimensions] == [1, 2, 3, 4]
    assert [m.code for m in seed.dimensions[2].missions] == ["3.1", "3.2", "3.3"]
    assert seed.dimensions[2].missions[1].title.startswith("การรับฟังความคิดเห็น")  # from the summary


def test_seed_item_fields(seed):
    delegation = by_code(seed, "2.3.2")
    assert delegation.name == "มาตรการการมอบอำนาจอนุมัติ อนุญาต สั่งการ เพื่อลดขั้นตอนการปฏิบัติราชการ"
    assert delegation.kind == "measure" and delegation.dimension == 2 and delegation.mission == "2.3"
    assert delegation.no_budget and delegation.budgets == {"2562": None, "2563": None, "2564": None}
    assert len(delegation.steps) == 4 and delegation.steps[1].startswith("แจ้งเวียนผู้รับมอบอำนาจ")
    assert delegation.responsible_unit.startswith("สำนักงานปลัด")
    training = by_code(seed, "1.1.1-2")
    assert training.kind == "project" and training.budgets == {"2562": 10000, "2563": 10000, "2564": 10000}
    assert training.steps[0] == "จัดทำโครงการเพื่อขออนุมัติจากผู้บริหารท้องถิ่น" and len(training.steps) == 6
    assert len(training.kpis) == 2 and training.period.startswith("เดือนมกราคม")
    observers = by_code(seed, "4.2.3")  # name merged into the sub-mission heading line
    assert observers.name.startswith("กิจกรรมส่งเสริมประชาชนมีส่วนร่วมในการตรวจสอบ")
    assert len(observers.steps) == 3  # "๖.๑", "๖.๒", "๓."
    assert by_code(seed, "2.2.2-2").name == "มาตรการสร้างความโปร่งใสในการใช้จ่ายเงินงบประมาณ"


def test_seed_disagreements_are_reported_with_lines(seed):
    messages = [(w.line, w.kind, w.message) for w in seed.warnings]
    assert all(w.line > 0 and w.message and w.message_th for w in seed.warnings)
    assert (229, "budget-mismatch") in {(l, k) for l, k, _ in messages}  # 120,000 vs 1,500,000
    assert by_code(seed, "1.1.1-1").budgets == {"2562": 120000, "2563": 1500000, "2564": 1500000}
    assert any(k == "count-mismatch" and "declares 10 items" in m for _, k, m in messages)
    assert any(k == "count-mismatch" and "declares 8 items" in m for _, k, m in messages)
    assert any(k == "impossible-year" and "2664" in m for _, k, m in messages)
    assert any(k == "foreign-organisation" and "ปากกลาง" in m for _, k, m in messages)
    assert {"summary-only", "detail-only", "missing-heading", "kind-assumed"} <= kinds(seed)
    detail_only = {m.split("'")[0].split()[-1] for _, k, m in messages if k == "detail-only"}
    assert detail_only == {"2.1", "3.1.1", "4.1.1"}


def test_bundled_plan_is_the_parsers_output(seed):
    bundled = resources.files("infrastructure.bundled").joinpath("mukdahan-2562-2564.json")
    assert json.loads(bundled.read_text(encoding="utf-8")) == json.loads(json.dumps(seed.to_json(), ensure_ascii=False))


MESSY = """ส่วนที่ ๒
บัญชีสรุปแผน (พ.ศ. ๒๕๖๕ - 2567)
เทศบาลตำบลทดสอบ

มิติ\tภารกิจตามมิติ\tโครงการ/กิจกรรม/มาตรการ\tปี ๒๕๖๕\tปี ๒๕๖๖\tปี ๒๕๖๗\tหมายเหตุ
มิติที่ ๑\t๑.๑ ภารกิจแรก\t(๑) โครงการอบรมคุณธรรม\t๕๐,๐๐๐\t50,000\t๕o,ooo\tสำนักปลัด
\t\t(๒) มาตรการที่ไม่มีในรายละเอียด\tไม่ใช้งบประมาณ\tไม่ใช้งบประมาณ\tไม่ใช้งบประมาณ\tกองคลัง
มิติที่ ๑\tรวม\t๑ ภารกิจ ๓ กิจกรรม\t๕๐,๐๐๐\t๕๐,๐๐๐\t๕๐,๐๐๐

ส่วนที่ ๓ รายละเอียด

**มติที่ ๑ ด้านการสร้างสังคม
๑.๑ ภารกิจแรก
๑.๑.๑ ภารกิจย่อย**๑. ชื่อโครงการ : “โครงการอบรมคุณธรรม”
๓. วัตถุประสงค์
๑. เพื่อส่งเสริมคุณธรรม
๖. วิธีดำเนินการ
1. เสนอโครงการ
๒. จัดอบรม
- ภาคเช้า
๗. ระยะเวลาดำเนินการ
ปีงบประมาณ พ.ศ. ๒๕๖5 – ๒๕๖๗ และปี ๒๔๖๖
๘. งบประมาณดำเนินการ
๔๐,๐๐๐ บาท
๙. ผู้รับผิดชอบโครงการ
สำนักปลัด องค์การบริหารส่วนตำบลอื่น
๑๐. ตัวชี้วัด/ผลลัพธ์
ผู้เข้าร่วมร้อยละ ๘๐
"""


def test_messy_document_is_normalised_and_reported():
    doc = parse_plan(MESSY)
    assert doc.organisation == "เทศบาลตำบลทดสอบ"
    assert doc.fiscal_years == [2565, 2566, 2567]  # Thai and Arabic digits in one span
    assert [d.number for d in doc.dimensions] == [1]  # "มติที่" read as "มิติที่", bold stripped
    (item,) = doc.measures
    assert item.code == "1.1.1" and item.name == "โครงการอบรมคุณธรรม" and item.kind == "project"
    assert item.steps == ["เสนอโครงการ", "จัดอบรม\nภาคเช้า"]  # mixed digits; bullet stays with step
    assert item.budgets == {"2565": 40000, "2566": 40000, "2567": 40000}
    found = {w.kind for w in doc.warnings}
    assert {"budget-mismatch", "summary-only", "count-mismatch", "impossible-year"} <= found
    assert "foreign-organisation" in found
    assert all(w.line > 0 for w in doc.warnings)


def test_sara_am_written_as_nikhahit_and_sara_aa_is_fixed():
    assert normalise_text("การดําเนินการ") == "การดำเนินการ"
    assert normalise_text("มติที่ ๒") == "มิติที่ ๒"


def test_no_input_gives_warnings_not_a_crash():
    doc = parse_plan("")
    assert doc.measures == [] and {"fiscal-years", "structure"} <= kinds(doc)


TWO_COLUMNS = """ส่วนที่ ๒
บัญชีสรุปแผน (พ.ศ. ๒๕๖๕ - ๒๕๖๗)
เทศบาลตำบลทดสอบ

มิติ\tภารกิจตามมิติ\tโครงการ/กิจกรรม/มาตรการ\tปี ๒๕๖๕\t\tปี ๒๕๖๖\t\tปี ๒๕๖๗\t\tหมายเหตุ
\t\t\tงบประมาณ (บาท)\tไม่ใช้งบประมาณ\tงบประมาณ (บาท)\tไม่ใช้งบประมาณ\tงบประมาณ (บาท)\tไม่ใช้งบประมาณ
มิติที่ ๑\t๑.๑ ภารกิจแรก\t(๑) โครงการอบรมคุณธรรม\t10,000\t-\t20,000\t-\t30,000\t-\tสำนักปลัด
\t\t(๒) มาตรการเผยแพร่\t-\tไม่ใช้งบประมาณ\t-\tไม่ใช้งบประมาณ\t-\tไม่ใช้งบประมาณ\tกองคลัง

ส่วนที่ ๓ รายละเอียด

มิติที่ ๑ ด้านการสร้างสังคม
๑.๑ ภารกิจแรก
๑. ชื่อโครงการ : โครงการอบรมคุณธรรม
๖. วิธีดำเนินการ
๑. จัดอบรม
๙. ผู้รับผิดชอบโครงการ
สำนักปลัด
๑๐. ตัวชี้วัด
ผู้เข้าร่วมร้อยละ ๘๐
"""


def test_a_summary_with_two_columns_per_year_is_read_in_pairs():
    """`10,000 | - | 20,000 | - | 30,000 | -` under "งบประมาณ | ไม่ใช้งบประมาณ" per year: 2566 is 20,000,
    not "no budget", and 2567 is 30,000, not 20,000 (the first three cells used to be read as the years)."""
    doc = parse_plan(TWO_COLUMNS)
    first = doc.measures[0]
    assert first.budgets == {"2565": 10000, "2566": 20000, "2567": 30000}  # the detail is silent: the summary decides
    assert "summary-layout" not in kinds(doc)


def test_the_seed_summary_in_two_columns_per_year_needs_no_layout_warning(seed):
    """Dimension 4 of the seed has two columns per year; it is read in pairs, not flagged as odd."""
    layout = [w.message for w in seed.warnings if w.kind == "summary-layout"]
    assert not [m for m in layout if m.startswith("dimension 4")] and len(seed.measures) == 32


def spaced_summary(gap: str) -> str:
    body = TWO_COLUMNS.split("ส่วนที่ ๓", 1)[1]
    return f"""ส่วนที่ ๒
บัญชีสรุปแผน (พ.ศ. ๒๕๖๕ - ๒๕๖๗)
เทศบาลตำบลทดสอบ

มิติ ภารกิจตามมิติ โครงการ/กิจกรรม/มาตรการ ปี ๒๕๖๕ ปี ๒๕๖๖ ปี ๒๕๖๗ หมายเหตุ
มิติที่ ๑{gap}๑.๑ ภารกิจแรก{gap}๑) โครงการอบรมคุณธรรม{gap}๕๐,๐๐๐{gap}๖๐,๐๐๐{gap}๗๐,๐๐๐{gap}สำนักปลัด

ส่วนที่ ๓{body}"""


def test_a_space_separated_summary_with_numbered_markers_is_read():
    """A header separated by spaces and items marked ๑): the rows are read (they gave no rows, no word)."""
    doc = parse_plan(spaced_summary("  "))
    assert doc.measures[0].budgets == {"2565": 50000, "2566": 60000, "2567": 70000}
    assert not {"summary-unread", "detail-only"} & kinds(doc)


def test_a_summary_whose_rows_cannot_be_read_says_so():
    doc = parse_plan(spaced_summary(" "))  # single spaces: cells cannot be told apart from words
    unread = [w for w in doc.warnings if w.kind == "summary-unread"]
    assert unread and unread[0].line == 5


def test_the_summary_and_the_details_naming_different_units_is_said(seed):
    """The four items of the seed whose summary row names another responsible unit than their details."""
    mismatched = sorted(w.message.split(":")[0].split()[-1] for w in seed.warnings if w.kind == "unit-mismatch")
    assert mismatched == ["1.3.1", "2.3.1", "3.1.2", "3.2.3"]


def test_summary_rows_labelled_with_another_dimension_are_said(seed):
    """Lines 180 and 182 of the seed label dimension 1's missions 1.2 and 1.3 as dimensions 2 and 3."""
    labelled = [w.line for w in seed.warnings if w.kind == "summary-dimension"]
    assert labelled == [180, 182]


def test_a_wrapped_line_in_a_marked_list_is_one_entry(seed):
    """2.4.1's third target wraps onto a line of its own ("๑๐ คน/ปี"); it is one target, not two."""
    assert by_code(seed, "2.4.1").targets[-1].endswith("จำนวนไม่น้อยกว่า ๑๐ คน/ปี")
    assert len(by_code(seed, "2.4.1").targets) == 3
    assert by_code(seed, "1.3.1").objectives[-1].endswith("เพื่อรักษา ประโยชน์ส่วนรวม")


def test_a_markdown_table_inside_a_step_reads_as_lines(seed):
    """3.3.2's first step lists the committee as a markdown table; it reads as one line per member."""
    step = by_code(seed, "3.3.2").steps[0]
    assert "|" not in step and "--" not in step
    assert step.splitlines()[2] == "(๒) ผู้แทนสมาชิกสภา — ๒ คน"
