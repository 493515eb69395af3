# ruff: noqa: E501 - Thai headers and labels compared whole
"""Every ITA document's content, in every format, on a generated year and a half of one town's work.

JSON is the content itself; CSV and XLSX are read back cell by cell; PDFs are read for what survives
text extraction of shaped Thai (digits, amounts, project numbers) and for their title metadata.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter
from datetime import date

import pdfplumber
import pytest
from openpyxl import load_workbook

from application.procurement_reports import LAYOUT_2_RULES
from application.reports import FORMATS, content_hash
from domain import eplan
from domain.errors import NotFound
from domain.guideline import ComplaintGuideline
from domain.procurement import METHOD_THAI, Method
from domain.red_flags import PATTERNS, RULES
from domain.reporting import ReportRecord
from tests.conftest import ORG
from tests.world import ASSESSMENT_DAY

NATIONAL_16 = ["ที่", "ปีงบประมาณ", "ชื่อหน่วยงาน", "อำเภอ", "จังหวัด", "กระทรวง", "ประเภทหน่วยงาน",
               "ชื่อรายการของงานที่ซื้อหรือจ้าง", "วงเงินงบประมาณที่ได้รับจัดสรร (บาท)", "แหล่งที่มาของงบประมาณ",
               "สถานะการจัดซื้อจัดจ้าง", "วิธีการจัดซื้อจัดจ้าง", "ราคากลาง (บาท)", "ราคาที่ตกลงซื้อหรือจ้าง (บาท)",
               "รายชื่อผู้ประกอบการที่ได้รับการคัดเลือก", "เลขที่โครงการในระบบ e-GP"]  # fmt: skip
ENGLISH_CODES = re.compile(r"\b(e_bidding|e_market|specific|selective|received|by_channel|walk_in|misconduct|general|"
                           r"not_started|in_progress|completed|None|True|False)\b")  # fmt: skip


def rendered(svc, kind: str, period: str) -> tuple[dict, dict[str, bytes]]:
    content = svc.reports.build(ORG, kind, period)
    return content, {fmt: svc.reports.render(content, fmt) for fmt in FORMATS}


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # BOM: spreadsheet programs read the Thai
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(data: bytes, sheet: str = "รายงาน") -> list[list]:
    book = load_workbook(io.BytesIO(data))
    return [list(r) for r in book[sheet].iter_rows(values_only=True)]


def pdf_read(data: bytes) -> tuple[str, dict]:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages), doc.metadata


def procurements_of(svc, year: int):
    return [p for p in svc.procurements.list(ORG) if p.fiscal_year == year]


def test_monthly_summary_has_the_national_16_fields_then_the_form(busy_year):
    svc, _ = busy_year
    months = Counter(
        n["announced_on"].strftime("%Y-%m")
        for p in procurements_of(svc, 2562)
        for n in p.notices
        if n["kind"] == "winner"
    )
    month, count = months.most_common(1)[0]
    content, files = rendered(svc, "procurement-summary", month)
    assert content["layout"] == 2 and len(content["items"]) == count and not content["warnings"]
    assert content["agency"] == {"name": "เทศบาลเมืองมุกดาหาร", "district": "เมืองมุกดาหาร", "province": "มุกดาหาร",
                                 "ministry": "กระทรวงมหาดไทย", "agency_type": "เทศบาลเมือง"}  # fmt: skip
    rows = csv_rows(files["csv"])
    assert rows[0][:16] == NATIONAL_16 and rows[0][16:] == [
        "รายชื่อผู้เสนอราคาและราคาที่เสนอ", "เหตุผลที่คัดเลือกโดยสังเขป", "เลขที่และวันที่ของสัญญาหรือข้อตกลง"]  # fmt: skip
    first = content["items"][0]
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["เลขที่โครงการในระบบ e-GP"] == first["project_no"]
    assert line["ราคาที่ตกลงซื้อหรือจ้าง (บาท)"] == f"{first['agreed_satang'] / 100:,.2f}"
    assert line["รายชื่อผู้ประกอบการที่ได้รับการคัดเลือก"] == first["winner"]  # the price is its own column now
    assert line["ปีงบประมาณ"] == "2562" and line["จังหวัด"] == "มุกดาหาร" and line["แหล่งที่มาของงบประมาณ"]
    assert line["สถานะการจัดซื้อจัดจ้าง"] == first["status_th"] and line["วิธีการจัดซื้อจัดจ้าง"] in METHOD_THAI.values()
    assert not ENGLISH_CODES.search(files["csv"].decode("utf-8-sig"))
    sheet = xlsx_rows(files["xlsx"])
    be_month = content["month_th"]
    assert sheet[0][0] == f"สรุปผลการดำเนินการจัดซื้อจัดจ้าง (แบบ สขร.๑) ประจำเดือน{be_month}" and "๒๕๖" in be_month
    header = sheet[2]
    agreed = header.index("ราคาที่ตกลงซื้อหรือจ้าง (บาท)")
    assert all(isinstance(r[agreed], float) for r in sheet[3:])  # numbers a spreadsheet can add up
    assert sum(r[agreed] for r in sheet[3:]) == pytest.approx(content["totals"]["agreed_satang"] / 100)
    text, meta = pdf_read(files["pdf"])
    assert meta["Title"] == sheet[0][0]
    assert first["project_no"] in text and f"{first['agreed_satang'] / 100:,.2f}" in text  # one line each
    assert json.loads(files["json"])["items"][0]["project_no"] == first["project_no"]


def test_a_month_without_procurement_says_so_in_every_format(busy_year):
    svc, _ = busy_year
    content, files = rendered(svc, "procurement-summary", "2020-08")  # FY 2563 after the generated months
    assert content["items"] == [] and content["note"] == "ไม่มีการจัดซื้อจัดจ้าง"
    assert csv_rows(files["csv"])[1][7] == "ไม่มีการจัดซื้อจัดจ้าง"
    assert xlsx_rows(files["xlsx"])[3][7] == "ไม่มีการจัดซื้อจัดจ้าง"
    assert xlsx_rows(files["xlsx"])[0][0].endswith("สิงหาคม ๒๕๖๓")
    assert pdf_read(files["pdf"])[1]["Title"].endswith("สิงหาคม ๒๕๖๓")


def test_a_summary_published_under_the_first_layout_still_reproduces_as_it_was(busy_year):
    svc, _ = busy_year
    old = svc.reports.build(ORG, "procurement-summary", "2019-03", layout=1)
    assert "layout" not in old and "agency" not in old  # what an earlier release published
    record = svc.app.find(ReportRecord, ReportRecord.create_id(ORG, "procurement-summary", "2019-03"))
    record = record or ReportRecord(org_code=ORG, kind="procurement-summary", period="2019-03")
    hashes = {fmt: hashlib.sha256(svc.reports.render(old, fmt)).hexdigest() for fmt in FORMATS}
    record.generated(content=old, content_hash=content_hash(old), format_hashes=hashes, trigger="old", actor={})
    svc.app.commit(record)
    for fmt in FORMATS:
        again = svc.reports.reproduce(ORG, "procurement-summary", "2019-03", record.version, fmt)
        assert hashlib.sha256(again).hexdigest() == hashes[fmt]
    assert "งานที่จัดซื้อหรือจัดจ้าง" in svc.reports.reproduce(ORG, "procurement-summary", "2019-03", record.version,
                                                                "csv").decode("utf-8-sig")  # fmt: skip


def test_complaint_statistics_keep_general_and_misconduct_apart_in_thai(busy_year):
    svc, _ = busy_year
    content, files = rendered(svc, "complaint-statistics", "2562-r12")
    general, misconduct = content["statistics"]["general"], content["statistics"]["misconduct"]
    complaints = [c for c in svc.complaints.list(ORG) if date(2018, 10, 1) <= c.received_on <= date(2019, 9, 30)]
    kinds = Counter(c.category.value for c in complaints)
    assert (general["received"], misconduct["received"]) == (kinds["general"], kinds["misconduct"]) == (24, 6)
    rows = csv_rows(files["csv"])
    assert rows[0] == ["ประเภทเรื่อง", "ตัวชี้วัด", "จำนวน"]
    by_track = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert by_track[("เรื่องร้องเรียน/ร้องทุกข์ทั่วไป", "เรื่องที่รับ")] == "24"
    assert by_track[("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "เรื่องที่รับ")] == "6"
    assert ("เรื่องร้องเรียน/ร้องทุกข์ทั่วไป", "ตามช่องทาง: เว็บไซต์") in by_track
    assert not ENGLISH_CODES.search(files["csv"].decode("utf-8-sig"))
    sheet = xlsx_rows(files["xlsx"])
    assert ["เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "เรื่องที่รับ", 6] in [list(r) for r in sheet]
    text, meta = pdf_read(files["pdf"])
    assert meta["Title"] == "สถิติเรื่องร้องเรียน/ร้องทุกข์ ปีงบประมาณ พ.ศ. ๒๕๖๒ รอบ ๑๒ เดือน"
    assert "24" in text and "6" in text


def test_annual_procurement_plan_lists_the_year_with_totals_by_method(busy_year):
    svc, _ = busy_year
    year = procurements_of(svc, 2563)
    content, files = rendered(svc, "procurement-plan", "2563")
    assert [i["project_no"] for i in content["items"]] == sorted(p.project_no for p in year)
    assert sum(m["count"] for m in content["by_method"]) == len(year)
    assert content["totals"]["budget_satang"] == sum(p.budget_satang for p in year)
    assert all(i["announced_on"] for i in content["items"]) and not content["warnings"]
    rows = csv_rows(files["csv"])
    assert rows[0][4] == "วงเงินงบประมาณ (บาท)" and rows[-1][2] == "รวม"
    assert rows[-1][4] == f"{content['totals']['budget_satang'] / 100:,.2f}"
    sheet = xlsx_rows(files["xlsx"])
    assert sheet[0][0] == "แผนการจัดซื้อจัดจ้าง ปีงบประมาณ พ.ศ. ๒๕๖๓"
    assert sheet[-1][4] == pytest.approx(content["totals"]["budget_satang"] / 100)
    text, meta = pdf_read(files["pdf"])
    assert meta["Title"] == sheet[0][0] and year[0].project_no in text


def test_notices_of_the_year_with_their_channels(busy_year):
    svc, _ = busy_year
    content, files = rendered(svc, "procurement-notices", "2562")
    expected = sum(
        1
        for p in svc.procurements.list(ORG)
        for n in p.notices
        if date(2018, 10, 1) <= n["announced_on"] <= date(2019, 9, 30)
    )
    assert content["totals"]["notices"] == expected > 100
    rows = csv_rows(files["csv"])
    assert rows[0] == ["วันที่ประกาศ", "เลขที่โครงการ", "รายการ", "ประกาศ", "ช่องทางที่เผยแพร่", "ผู้ลงนาม (ตำแหน่ง)"]
    assert {r[3] for r in rows[1:]} >= {"ประกาศราคากลาง", "ประกาศผู้ชนะการเสนอราคา", "สัญญา"}
    assert all("๒๕๖" in r[0] for r in rows[1:])  # BE dates
    assert len(xlsx_rows(files["xlsx"])) == len(rows) + 2
    assert pdf_read(files["pdf"])[1]["Title"] == "ประกาศเกี่ยวกับการจัดซื้อจัดจ้าง ปีงบประมาณ พ.ศ. ๒๕๖๒"


def test_annual_procurement_report_counts_values_shares_and_flags(busy_year):
    svc, _ = busy_year
    year = procurements_of(svc, 2562)
    awarded = [p for p in year if p.winner]
    content, files = rendered(svc, "procurement-annual", "2562")
    t = content["totals"]
    assert (t["registered"], t["awarded"], t["cancelled"]) == (
        len(year),
        len(awarded),
        sum(1 for p in year if p.cancelled),
    )
    assert t["agreed_satang"] == sum(p.winner["agreed_satang"] for p in awarded)
    specific = [p for p in awarded if p.method is Method.SPECIFIC]
    assert t["specific_count_share"] == round(100 * len(specific) / len(awarded), 1)
    flags = Counter(w["code"] for p in year for w in p.warnings)
    assert t["single_bidder"] == flags["single-bidder"] and sum(flags.values()) > 0
    counts = {w["code"]: w["count"] for w in content["warning_counts"]}
    assert content["layout"] == 3 and list(counts) == [*(r.code for r in RULES), *(p.code for p in PATTERNS)]
    across = Counter(f["rule"] for f in svc.oversight.red_flags([ORG], fiscal_year=2562, limit=10_000)
                     if f["source"] == "pattern")  # fmt: skip
    assert counts == {r.code: flags[r.code] for r in RULES} | {p.code: across[p.code] for p in PATTERNS}
    assert t["warnings"] == sum(flags.values()) + sum(across.values())
    twelve = svc.reports.build(ORG, "procurement-annual", "2562", layout=2)  # as published before the patterns
    assert twelve["layout"] == 2 and [w["code"] for w in twelve["warning_counts"]] == list(LAYOUT_2_RULES)
    assert twelve["totals"]["warnings"] == sum(flags.values())
    assert content["changes"] == ["ปีงบประมาณก่อนหน้าไม่มีข้อมูลการจัดซื้อจัดจ้างในระบบ จึงยังเปรียบเทียบไม่ได้"]
    rows = csv_rows(files["csv"])
    by_method = {r[1]: r for r in rows[1:] if r[0] == "ผลการจัดซื้อจัดจ้างจำแนกตามวิธี"}
    assert by_method["เฉพาะเจาะจง"][2] == str(len(specific))
    assert not ENGLISH_CODES.search(files["csv"].decode("utf-8-sig"))
    sheet = xlsx_rows(files["xlsx"])
    assert sheet[0][0] == "รายงานผลการจัดซื้อจัดจ้างประจำปี ปีงบประมาณ พ.ศ. ๒๕๖๒"
    values = [r[3] for r in sheet[3:] if r[0] == "ผลการจัดซื้อจัดจ้างจำแนกตามวิธี"]
    assert sum(values) == pytest.approx(t["agreed_satang"] / 100)
    later = svc.reports.build(ORG, "procurement-annual", "2563")
    assert any("เฉพาะเจาะจง" in line for line in later["changes"])  # compared with 2562 in words
    assert f"{t['agreed_satang'] / 100:,.2f}" in pdf_read(files["pdf"])[0]


def test_the_plan_and_the_e_plan_export(busy_year):
    svc, _ = busy_year
    plan, files = rendered(svc, "anti-corruption-plan", "2562")
    assert len(plan["items"]) == 32 and plan["plan_period"] == "2562-2564"
    assert {i["type_th"] for i in plan["items"]} == {"โครงการ", "กิจกรรม", "มาตรการ"}
    rows = csv_rows(files["csv"])
    assert rows[0][:4] == ["ลำดับ", "มิติ", "ประเภท", "โครงการ/กิจกรรม/มาตรการ"] and len(rows) == 33
    assert pdf_read(files["pdf"])[1]["Title"].startswith("แผนปฏิบัติการป้องกันการทุจริต พ.ศ. ๒๕๖๒-๒๕๖๔")

    export, files = rendered(svc, "eplan", "2562-r12")
    items = {i["code"]: i for i in export["items"]}
    first = items["1.1.1-1"]
    assert first["quarters"] == [2, 3, 4]  # "ระหว่างเดือนมกราคม ๒๕๖๒ – กันยายน ๒๕๖๒"
    assert first["budget_plan_satang"] == 120_000_00 and first["budget_ordinance_satang"] is not None
    done = sum(1 for i in export["items"] if i["status"] == "completed")
    assert export["progress"]["percent"] == round(100 * done / 32, 1)
    assert export["progress"]["colour"] == eplan.colour(12, export["progress"]["percent"])
    assert any(k["met"] is not None for i in export["items"] for k in i["kpis"])
    rows = csv_rows(files["csv"])
    line = dict(zip(rows[0], rows[1 + list(items).index("1.1.1-1")], strict=True))
    assert line["ไตรมาสที่ดำเนินการ"] == "ไตรมาส ๒, ไตรมาส ๓, ไตรมาส ๔" and line["จังหวัด"] == "มุกดาหาร"
    assert line["งบประมาณตามแผนพัฒนาท้องถิ่น (บาท)"] == "120,000.00" and line["สถานะ"] in eplan.STATUS_THAI.values()
    assert rows[-1][5].startswith("ภาพรวม: ดำเนินการแล้วเสร็จ") and export["progress"]["colour_th"] in rows[-1][-1]
    assert not ENGLISH_CODES.search(files["csv"].decode("utf-8-sig"))
    sheet = xlsx_rows(files["xlsx"])
    assert sheet[3 + list(items).index("1.1.1-1")][9] == pytest.approx(120_000)
    assert "e-Plan" in pdf_read(files["pdf"])[1]["Title"]


def test_progress_colours_follow_the_national_thresholds():
    assert [eplan.colour(6, p) for p in (50, 49.9, 20, 19.9)] == ["green", "orange", "orange", "red"]
    assert [eplan.colour(12, p) for p in (80, 79.9, 50, 49.9)] == ["green", "orange", "orange", "red"]
    assert eplan.item_type("measure", "แนวปฏิบัติการจัดการเรื่องร้องเรียน") == "guideline"
    assert eplan.item_type("measure", "มาตรการแต่งตั้งผู้รับผิดชอบ") == "measure"
    assert eplan.quarters("ปีงบประมาณ พ.ศ. ๒๕๖๒ - ๒๕๖๔", 2563) == [1, 2, 3, 4]
    assert eplan.quarters("ตุลาคม ๒๕๖๑ – ธันวาคม ๒๕๖๑", 2562) == [1]
    assert eplan.quarters("เดือนมกราคม ๒๕๖๒ – กันยายน ๒๕๖๒", 2563) is None  # the text dates another year only
    assert eplan.quarters("ตลอดปี", 2562) is None


def test_the_guideline_changes_only_with_the_configuration_and_says_so_in_the_log(busy_year):
    svc, _ = busy_year
    guidelines = svc.reports.guidelines
    first = guidelines.ensure(ORG)
    assert guidelines.ensure(ORG).version == first.version  # unchanged configuration: no new event
    content, files = rendered(svc, "complaint-guideline", "2563")
    text = " ".join(p for s in content["sections"] for p in s["paragraphs"])
    assert "ภายใน ๑๕ วัน" in text and "อุทธรณ์ได้ภายใน ๓๐ วัน" in text and "/p/5490101/complaint" in text
    assert [s["heading"] for s in content["sections"]] == ["ช่องทางการร้องเรียน", "สิ่งที่ควรระบุในเรื่องร้องเรียน",
                                                           "ระยะเวลาการตอบ", "เรื่องร้องเรียนการทุจริตและประพฤติมิชอบของเจ้าหน้าที่",
                                                           "การคุ้มครองผู้ร้องเรียน"]  # fmt: skip
    assert csv_rows(files["csv"])[0] == ["หัวข้อ", "แนวปฏิบัติ"] and len(csv_rows(files["csv"])) > 12
    assert xlsx_rows(files["xlsx"])[0][0].endswith(f"ฉบับที่ {'๑' if first.version == 1 else first.version}")
    assert "ฉบับที่" in pdf_read(files["pdf"])[1]["Title"]
    old_rules = guidelines.rules
    try:
        guidelines.rules = type(old_rules)(**{**old_rules.__dict__, "answer_days": 20})
        revised = guidelines.ensure(ORG)
        assert revised.version == first.version + 1
        events = [type(e).__name__ for e in svc.app.stored_events(ComplaintGuideline.create_id(ORG))]
        assert events[-1] == "Revised"
        assert "ภายใน ๒๐ วัน" in " ".join(p for s in revised.content["sections"] for p in s["paragraphs"])
        channels = svc.reports.build(ORG, "complaint-channels", "2563")
        assert channels["sections"][0]["heading"] == "ช่องทางการร้องเรียน" and len(channels["sections"]) == 1
    finally:
        guidelines.rules = old_rules
        guidelines.ensure(ORG)


def test_documents_refuse_bad_periods_and_unknown_years_clearly(busy_year):
    svc, _ = busy_year
    from domain.errors import InvalidInput

    with pytest.raises(InvalidInput):
        svc.reports.build(ORG, "procurement-annual", "25x2")
    with pytest.raises(InvalidInput):
        svc.reports.build(ORG, "eplan", "2562-r9")
    with pytest.raises(NotFound):
        svc.reports.build(ORG, "anti-corruption-plan", "2570")  # no measures that year: said, not empty


def test_documents_are_as_of_their_moment(busy_year):
    svc, _ = busy_year
    before = svc.reports.build(ORG, "procurement-annual", "2562", as_of=ASSESSMENT_DAY.replace(year=2019, month=3))
    after = svc.reports.build(ORG, "procurement-annual", "2562")
    assert before["totals"]["awarded"] < after["totals"]["awarded"]
