"""Report files: JSON, CSV, XLSX (openpyxl) and PDF (fpdf2 + HarfBuzz shaping, Sarabun, BE dates)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime
from typing import Any

from fontpkg_sarabun import ROOT as SARABUN
from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

from domain.clock import BANGKOK, business_date
from domain.complaint import CATEGORY_THAI, INTAKE_THAI
from domain.eplan import TYPE_THAI
from domain.reporting import NATIONAL_STATUS_THAI
from domain.thai import baht, thai_date, to_thai_digits
from infrastructure.ita_formats import (
    EPLAN_PDF_SKIP,
    EPLAN_PDF_WIDTHS,
    SUMMARY_V2_PDF_WIDTHS,
    TABLES,
    UNKNOWN,
    Amount,
    reason_text,
)

PLAN_COLUMNS = [
    ("code", "ลำดับ/รหัส"),
    ("dimension", "มิติ"),
    ("kind", "ประเภท"),
    ("name", "โครงการ/กิจกรรม/มาตรการ"),
    ("responsible_unit", "หน่วยงานรับผิดชอบ"),
    ("budget_plan", "งบประมาณตามแผน (บาท)"),
    ("disbursed", "เบิกจ่าย (บาท)"),
    ("status_th", "สถานะ"),
    ("not_proceed_reason", "เหตุผลที่ไม่ได้ดำเนินการ"),
    ("kpis", "ตัวชี้วัด: เป้าหมาย → ผล"),
]
PLAN_WIDTHS = (16, 9, 15, 62, 35, 24, 20, 24, 26, 46)
COMPLIANCE_COLUMNS = [
    ("order_no", "เลขที่คำสั่ง"),
    ("delegate", "ผู้รับมอบอำนาจ"),
    ("filed", "รายงานแล้ว"),
    ("actions_count", "จำนวนครั้งที่ใช้อำนาจ"),
    ("overdue", "เกินกำหนด"),
]
KIND_THAI = TYPE_THAI  # project, activity, measure (and guideline, which the plan report never shows)


def budget_text(item: dict[str, Any]) -> str:
    """Never a silent "no budget": an unreadable figure is said to be unknown."""
    if item.get("budget_unknown"):
        return "ไม่ทราบ (อ่านจากเอกสารแผนไม่ได้)"
    return baht(item["budget_plan_satang"])


def plan_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for item in content["items"]:
        reason = reason_text(item)
        rows.append(
            {
                "code": item["code"],
                "dimension": item["dimension"],
                "kind": KIND_THAI.get(item["kind"], item["kind"]),
                "name": item["name"],
                "responsible_unit": item["responsible_unit"],
                "budget_plan": budget_text(item),
                "disbursed": baht(item["disbursed_satang"]) if not item["no_budget"] else "-",
                "status_th": item["status_th"],
                "not_proceed_reason": reason,
                "kpis": "; ".join(f"{k['target']} → {k['actual'] or '-'}" for k in item["kpis"]),
            }
        )
    return rows


def compliance_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "order_no": r["order_no"],
            "delegate": f"{r['delegate']['name']} ({r['delegate']['position']})",
            "filed": "ใช่" if r["filed"] else "ไม่",
            "actions_count": "" if r["actions_count"] is None else r["actions_count"],
            "overdue": "เกินกำหนด" if r["overdue"] else "",
        }
        for r in content["items"]
    ]


SUMMARY_COLUMNS = [
    ("no", "ลำดับ"),
    ("item", "งานที่จัดซื้อหรือจัดจ้าง"),
    ("budget", "วงเงินที่จัดซื้อหรือจัดจ้าง"),
    ("reference", "ราคากลาง"),
    ("method", "วิธีซื้อหรือจ้าง"),
    ("bidders", "รายชื่อผู้เสนอราคาและราคาที่เสนอ"),
    ("winner", "ผู้ได้รับการคัดเลือกและราคาที่ตกลง"),
    ("reason", "เหตุผลที่คัดเลือกโดยสังเขป"),
    ("contract", "เลขที่และวันที่ของสัญญาหรือข้อตกลง"),
]


def summary_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "no": r["no"],
            "item": r["item"],
            "budget": baht(r["budget_satang"]),
            "reference": baht(r["reference_price_satang"]) if r["reference_price_satang"] is not None else "-",
            "method": r["method_th"],
            "bidders": "; ".join(f"{b['name']} {baht(b['price_satang'])}" for b in r["bidders"]),
            "winner": f"{r['winner']} {baht(r['agreed_satang'])}",
            "reason": r["reason"],
            "contract": f"{r['contract_no']} ลว. {thai_date(date.fromisoformat(str(r['contract_date'])))}"
            if r["contract_no"]
            else "-",
        }
        for r in content["items"]
    ]


# The national procurement list (2568: 16 fields, in order), then the rest of แบบ สขร.๑.
SUMMARY_COLUMNS_V2 = [
    ("no", "ที่"),
    ("fiscal_year", "ปีงบประมาณ"),
    ("agency", "ชื่อหน่วยงาน"),
    ("district", "อำเภอ"),
    ("province", "จังหวัด"),
    ("ministry", "กระทรวง"),
    ("agency_type", "ประเภทหน่วยงาน"),
    ("item", "ชื่อรายการของงานที่ซื้อหรือจ้าง"),
    ("budget", "วงเงินงบประมาณที่ได้รับจัดสรร (บาท)"),
    ("budget_source", "แหล่งที่มาของงบประมาณ"),
    ("status", "สถานะการจัดซื้อจัดจ้าง"),
    ("method", "วิธีการจัดซื้อจัดจ้าง"),
    ("reference", "ราคากลาง (บาท)"),
    ("agreed", "ราคาที่ตกลงซื้อหรือจ้าง (บาท)"),
    ("winner", "รายชื่อผู้ประกอบการที่ได้รับการคัดเลือก"),
    ("project_no", "เลขที่โครงการในระบบ e-GP"),
    ("bidders", "รายชื่อผู้เสนอราคาและราคาที่เสนอ"),
    ("reason", "เหตุผลที่คัดเลือกโดยสังเขป"),
    ("contract", "เลขที่และวันที่ของสัญญาหรือข้อตกลง"),
]


def contract_text(r: dict[str, Any]) -> str:
    if not r["contract_no"]:
        return "-"
    return f"{r['contract_no']} ลว. {thai_date(date.fromisoformat(str(r['contract_date'])))}"


def summary_rows_v2(content: dict[str, Any]) -> list[dict[str, Any]]:
    agency = content["agency"]
    if not content["items"]:
        return [{"item": content["note"]}]  # a month without procurement says so, never a bare header
    place = {key: agency[key] or UNKNOWN for key in ("district", "province", "ministry", "agency_type")}
    return [
        {
            "no": r["no"],
            "fiscal_year": r["fiscal_year"],
            "agency": agency["name"],
            **place,
            "item": r["item"],
            "budget": Amount(r["budget_satang"]),
            "budget_source": r["budget_source"] or "ไม่ได้บันทึก",
            "status": r["status_th"],
            "method": r["method_th"],
            "reference": Amount(r["reference_price_satang"]),
            "agreed": Amount(r["agreed_satang"]),
            "winner": r["winner"] or "-",
            "project_no": r["project_no"],
            "bidders": "; ".join(f"{b['name']} {baht(b['price_satang'])}" for b in r["bidders"]),
            "reason": r["reason"] or "-",
            "contract": contract_text(r),
        }
        for r in content["items"]
    ]


STATISTICS_COLUMNS = [("metric", "ตัวชี้วัด"), ("value", "จำนวน")]
STATISTICS_THAI = {
    "received": "เรื่องที่รับ",
    "by_channel": "ตามช่องทาง",
    "by_category": "ตามประเภท",
    "answered_within_promise": "ตอบภายในกำหนด",
    "answered_late": "ตอบเกินกำหนด",
    "median_days_to_answer": "มัธยฐานจำนวนวันที่ตอบ",
    "open": "อยู่ระหว่างดำเนินการ",
    "overdue": "เกินกำหนดยังไม่ตอบ",
    "overdue_explained": "เกินกำหนดและชี้แจงแล้ว",
    "referred_outside": "ส่งต่อหน่วยงานภายนอก",
    "promise_days": "กำหนดตอบ (วัน)",
}


SUB_THAI: dict[str, dict[str, str]] = {
    "by_channel": {c.value: th for c, th in INTAKE_THAI.items()},
    "by_category": {c.value: th for c, th in CATEGORY_THAI.items()},
}
TRACK_THAI = {"general": "เรื่องร้องเรียน/ร้องทุกข์ทั่วไป", "misconduct": "เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"}
STATISTICS_COLUMNS_V2 = [("track", "ประเภทเรื่อง"), ("metric", "ตัวชี้วัด"), ("value", "จำนวน")]


def statistics_lines(stats: dict[str, Any]) -> list[tuple[str, Any]]:
    """``(Thai label, value)`` for each figure: never a code, never ``None`` (no answer yet is ``-``)."""
    lines: list[tuple[str, Any]] = []
    for key, value in stats.items():
        if key in ("org_code", "period"):
            continue
        label = STATISTICS_THAI.get(key, key)
        if isinstance(value, dict):
            names = SUB_THAI.get(key, {})
            lines += [(f"{label}: {names.get(sub, sub)}", n) for sub, n in value.items()]
        else:
            lines.append((label, "-" if value is None else value))
    return lines


def statistics_rows_v2(content: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for track, stats in content["statistics"].items():
        stats = {k: v for k, v in stats.items() if k != "by_category"}  # each track is one category
        rows += [
            {"track": TRACK_THAI[track], "metric": label, "value": value} for label, value in statistics_lines(stats)
        ]
    return rows


def statistics_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key, value in content["statistics"].items():
        if key in ("org_code", "period"):
            continue
        label = STATISTICS_THAI.get(key, key)
        if isinstance(value, dict):
            rows += [{"metric": f"{label}: {sub}", "value": n} for sub, n in value.items()]
        else:
            rows.append({"metric": label, "value": "-" if value is None else value})
    return rows


def table(content: dict[str, Any]) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    if content["report"] in TABLES:
        columns, rows, _ = TABLES[content["report"]]
        return columns, rows(content)
    if content["report"] == "plan-progress":
        return PLAN_COLUMNS, plan_rows(content)
    if content["report"] == "complaint-statistics" and content.get("layout") == 2:
        return STATISTICS_COLUMNS_V2, statistics_rows_v2(content)
    if content["report"] == "complaint-statistics":
        return STATISTICS_COLUMNS, statistics_rows(content)
    if content["report"] == "procurement-summary" and content.get("layout") == 2:
        return SUMMARY_COLUMNS_V2, summary_rows_v2(content)
    if content["report"] == "procurement-summary":
        return SUMMARY_COLUMNS, summary_rows(content)
    return COMPLIANCE_COLUMNS, compliance_rows(content)


def cell_value(value: Any) -> Any:
    """What an XLSX cell holds: amounts as numbers of baht, everything else as it is."""
    if isinstance(value, Amount):
        return "-" if value.satang is None else value.satang / 100
    return value


def title(content: dict[str, Any]) -> str:
    if content["report"] in TABLES:
        return TABLES[content["report"]][2](content)
    if content["report"] == "plan-progress":
        return (
            "รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต "
            f"ปีงบประมาณ พ.ศ. {to_thai_digits(str(content['fiscal_year']))} "
            f"รอบ {to_thai_digits(str(content['round']))} เดือน"
        )
    if content["report"] == "complaint-statistics":
        return (
            "สถิติเรื่องร้องเรียน/ร้องทุกข์ "
            f"ปีงบประมาณ พ.ศ. {to_thai_digits(str(content['fiscal_year']))} "
            f"รอบ {to_thai_digits(str(content['round']))} เดือน"
        )
    if content["report"] == "procurement-summary" and content.get("layout") == 2:
        return f"สรุปผลการดำเนินการจัดซื้อจัดจ้าง (แบบ สขร.๑) ประจำเดือน{content['month_th']}"
    if content["report"] == "procurement-summary":
        return f"สรุปผลการดำเนินการจัดซื้อจัดจ้าง (แบบ สขร.๑) ประจำเดือน {content['month']}"
    return f"รายงานการใช้อำนาจตามคำสั่งมอบอำนาจ ประจำเดือน {content['month']}"


def generated_at(content: dict[str, Any]) -> datetime:
    """The moment the content was computed as of: every format takes its dates from it, never the clock."""
    return datetime.fromisoformat(content["generated_at"])


def generated_on(content: dict[str, Any]) -> str:
    return thai_date(business_date(generated_at(content)))


def stable_zip(data: bytes, moment: datetime) -> bytes:
    """The same archive with every member stamped with ``moment`` (zip stores local wall-clock times,
    which would make two renderings of one report differ)."""
    stamp = moment.astimezone(BANGKOK).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type, info.external_attr = member.compress_type, member.external_attr
            target.writestr(info, source.read(member.filename))
    return out.getvalue()


class ReportRenderer:
    def render(self, content: dict[str, Any], fmt: str) -> bytes:
        return getattr(self, f"_{fmt}")(content)

    def _json(self, content: dict[str, Any]) -> bytes:
        return json.dumps(content, ensure_ascii=False, indent=2, default=str).encode()

    def _csv(self, content: dict[str, Any]) -> bytes:
        columns, rows = table(content)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([th for _, th in columns])
        for row in rows:
            writer.writerow([str(v) if isinstance(v := row.get(key, ""), Amount) else v for key, _ in columns])
        return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel opens Thai CSV correctly

    def _xlsx(self, content: dict[str, Any]) -> bytes:
        columns, rows = table(content)
        book = Workbook()
        stamp = generated_at(content).astimezone(UTC).replace(tzinfo=None)  # openpyxl writes naive UTC
        book.properties.created = book.properties.modified = stamp
        sheet = book.active
        sheet.title = "รายงาน"
        sheet.append([title(content)])
        sheet.append([f"{content['organisation']} — จัดทำเมื่อ {generated_on(content)}"])
        sheet.append([th for _, th in columns])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True)
        for row in rows:
            sheet.append([cell_value(row.get(key, "")) for key, _ in columns])
            for cell, (key, _) in zip(sheet[sheet.max_row], columns, strict=True):
                if isinstance(row.get(key), Amount) and row[key].satang is not None:
                    cell.number_format = "#,##0.00"
        if content.get("warnings"):
            notes = book.create_sheet("ข้อสังเกต")
            notes.append(["ข้อสังเกตของข้อมูล"])
            for warning in content["warnings"]:
                notes.append([warning])
        if content["report"] == "plan-progress":
            summary = book.create_sheet("สรุปรายมิติ")
            summary.append(["มิติ", "จำนวน", *NATIONAL_STATUS_THAI.values(), "งบประมาณตามแผน", "เบิกจ่าย"])
            for d in content["dimensions"] + [{**content["totals"], "dimension": "รวม"}]:
                summary.append(
                    [
                        d["dimension"],
                        d["items"],
                        *[d[k] for k in NATIONAL_STATUS_THAI],
                        d["budget_plan_satang"] / 100,
                        d["disbursed_satang"] / 100,
                    ]
                )
        out = io.BytesIO()
        # openpyxl's save() stamps "modified" with the wall clock; its writer keeps the stamp set above.
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(book, archive).save()
        return stable_zip(out.getvalue(), generated_at(content))

    def _pdf(self, content: dict[str, Any]) -> bytes:
        pdf = FPDF(orientation="L", unit="mm", format="A4")
        pdf.set_creation_date(generated_at(content))
        if content.get("layout") == 2 or content["report"] in TABLES:  # not for layout 1: those stay byte-identical
            pdf.set_title(title(content))
            pdf.set_subject(content["organisation"])
        pdf.add_font("Sarabun", "", str(SARABUN / "files" / "Sarabun-Regular.ttf"))
        pdf.add_font("Sarabun", "B", str(SARABUN / "files" / "Sarabun-Bold.ttf"))
        pdf.set_text_shaping(True)
        pdf.set_auto_page_break(True, margin=12)
        pdf.add_page()
        pdf.set_font("Sarabun", "B", 16)
        pdf.multi_cell(0, 8, title(content), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sarabun", "", 12)
        pdf.cell(0, 7, f"{content['organisation']}   จัดทำเมื่อ {generated_on(content)}", align="C")
        pdf.ln(10)
        if content["report"] == "plan-progress":
            self._chart(pdf, content)
        columns, rows = table(content)
        widths = PLAN_WIDTHS if content["report"] == "plan-progress" else None
        if content["report"] == "procurement-summary" and content.get("layout") == 2:
            widths = SUMMARY_V2_PDF_WIDTHS
        if content["report"] == "eplan":
            a = content["agency"]
            pdf.cell(0, 6, f"จังหวัด{a['province'] or UNKNOWN} อำเภอ{a['district'] or UNKNOWN}  "
                           f"ช่วงแผน {to_thai_digits(str(content['items'][0]['plan_period']))}", align="C")  # fmt: skip
            pdf.ln(8)
            columns, widths = [c for c in columns if c[0] not in EPLAN_PDF_SKIP], EPLAN_PDF_WIDTHS
        pdf.set_font("Sarabun", "", 9 if len(columns) <= 12 else 7)  # the national list is wide
        pdf.set_fill_color(255, 255, 255)
        with pdf.table(text_align="LEFT", line_height=5, col_widths=widths) as grid:
            header = grid.row()
            for _, th in columns:
                header.cell(th)
            for row in rows:
                line = grid.row()
                for key, _ in columns:
                    line.cell(str(row.get(key, "")))
        if content.get("warnings"):  # what could not be read or is missing: said, never left blank
            pdf.ln(4)
            pdf.set_font("Sarabun", "B", 11)
            pdf.cell(0, 7, "ข้อสังเกตของข้อมูล", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Sarabun", "", 9)
            for warning in content["warnings"]:
                pdf.multi_cell(0, 5, f"• {warning}", new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())

    def _chart(self, pdf: FPDF, content: dict[str, Any]) -> None:
        """Progress per dimension: a bar of all items, the completed share filled."""
        pdf.set_font("Sarabun", "B", 12)
        pdf.cell(0, 7, "ความก้าวหน้ารายมิติ (ดำเนินการแล้ว / ทั้งหมด)")
        pdf.ln(8)
        pdf.set_font("Sarabun", "", 11)
        width = 150
        for d in content["dimensions"]:
            total = max(d["items"], 1)
            y = pdf.get_y()
            pdf.set_xy(15, y)
            pdf.cell(30, 6, f"มิติที่ {to_thai_digits(str(d['dimension']))}")
            pdf.set_fill_color(225, 225, 225)
            pdf.rect(48, y + 1, width, 4.5, style="F")
            pdf.set_fill_color(28, 100, 60)
            pdf.rect(48, y + 1, width * d["completed"] / total, 4.5, style="F")
            pdf.set_fill_color(220, 150, 30)
            pdf.rect(48 + width * d["completed"] / total, y + 1, width * d["in_progress"] / total, 4.5, style="F")
            pdf.set_xy(48 + width + 4, y)
            pdf.cell(0, 6, to_thai_digits(f"{d['completed']}/{d['items']} (กำลังดำเนินการ {d['in_progress']})"))
            pdf.ln(7)
        pdf.ln(3)


def statistics_csv(stats: dict[str, Any]) -> bytes:
    """Complaint statistics as CSV in Thai (UTF-8 with BOM, so spreadsheet programs read the Thai)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ตัวชี้วัด", "จำนวน"])
    writer.writerows(statistics_lines(stats))
    return ("\ufeff" + out.getvalue()).encode()
