"""Tables and titles of the ITA documents (procurement plan, notices and annual report; the plan; the
e-Plan export; the complaint guideline): Thai headers, Thai labels, BE dates, amounts that stay
numbers in XLSX. The report renderer (report_formats.py) lays them out in every format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.measure_commands import NOT_PROCEED_THAI
from domain.procurement_commands import CHANNEL_THAI, Channel
from domain.thai import THAI_MONTHS, baht, thai_date, to_thai_digits

Columns = list[tuple[str, str]]
Rows = list[dict[str, Any]]
UNKNOWN = "ไม่ทราบ"


@dataclass(frozen=True)
class Amount:
    """An amount in a table: baht text in CSV and PDF, a number (formatted with separators) in XLSX."""

    satang: int | None

    def __str__(self) -> str:
        return "-" if self.satang is None else baht(self.satang)


def be(n: Any) -> str:
    return to_thai_digits(str(n))


def month_text(month: str | None) -> str:
    """``2019-01`` → ``มกราคม ๒๕๖๒``; nothing recorded → ``-``."""
    if not month:
        return "-"
    year, number = (int(x) for x in month.split("-"))
    return be(f"{THAI_MONTHS[number - 1]} {year + 543}")


def day_text(value: str | None) -> str:
    return thai_date(date.fromisoformat(value)) if value else "-"


def plan_budget(item: dict[str, Any]) -> Any:
    if item.get("budget_unknown"):
        return "ไม่ทราบ (อ่านจากเอกสารแผนไม่ได้)"
    if item.get("no_budget"):
        return "ไม่ใช้งบประมาณ"
    return Amount(item["budget_plan_satang"])


def percent(value: float | None) -> str:
    return "-" if value is None else f"ร้อยละ {value:.1f}"


# -- O19 the annual procurement plan -----------------------------------------------------------

PLAN_COLUMNS = [("no", "ที่"), ("project_no", "เลขที่โครงการ (e-GP)"), ("item", "รายการ"), ("unit", "หน่วยงาน"),
                ("budget", "วงเงินงบประมาณ (บาท)"), ("budget_source", "แหล่งที่มาของงบประมาณ"),
                ("method", "วิธีการจัดซื้อจัดจ้าง"), ("planned_month", "ช่วงเวลาที่คาดว่าจะประกาศ"),
                ("announced_on", "วันที่ประกาศเผยแพร่แผน")]  # fmt: skip


def procurement_plan_rows(content: dict[str, Any]) -> Rows:
    if not content["items"]:
        return [{"item": "ไม่มีแผนการจัดซื้อจัดจ้าง"}]
    return [
        {
            **i,
            "budget": Amount(i["budget_satang"]),
            "budget_source": i["budget_source"] or "ไม่ได้บันทึก",
            "method": i["method_th"],
            "planned_month": month_text(i["planned_month"]),
            "announced_on": day_text(i["announced_on"]) if i["announced_on"] else "ยังไม่ได้ประกาศ",
        }  # fmt: skip
        for i in content["items"]
    ] + [{"item": "รวม", "budget": Amount(content["totals"]["budget_satang"])}]


# -- O20 the notices ---------------------------------------------------------------------------

NOTICE_COLUMNS = [("announced_on", "วันที่ประกาศ"), ("project_no", "เลขที่โครงการ"), ("item", "รายการ"),
                  ("kind", "ประกาศ"), ("channels", "ช่องทางที่เผยแพร่"), ("signer", "ผู้ลงนาม (ตำแหน่ง)")]  # fmt: skip


def notice_rows(content: dict[str, Any]) -> Rows:
    if not content["items"]:
        return [{"item": "ไม่มีประกาศเกี่ยวกับการจัดซื้อจัดจ้าง"}]
    return [
        {
            "announced_on": day_text(n["announced_on"]),
            "project_no": n["project_no"],
            "item": n["item"],
            "kind": n["kind_th"],
            "channels": ", ".join(CHANNEL_THAI[Channel(c)] for c in n["channels"]) or "ยังไม่ได้เผยแพร่",
            "signer": n["signer_position"] or "-",
        }  # fmt: skip
        for n in content["items"]
    ]


# -- O22 the annual procurement report ---------------------------------------------------------

ANNUAL_COLUMNS = [("section", "หัวข้อ"), ("metric", "รายการ"), ("count", "จำนวน"), ("value", "มูลค่า (บาท)")]


def annual_rows(content: dict[str, Any]) -> Rows:
    t = content["totals"]
    rows: Rows = [{"section": "ผลการจัดซื้อจัดจ้างจำแนกตามวิธี", "metric": m["method_th"], "count": m["count"],
                   "value": Amount(m["value_satang"])} for m in content["by_method"]]  # fmt: skip
    summary = [
        ("โครงการที่บันทึกในปี", t["registered"], Amount(t["budget_satang"])),
        ("ประกาศผู้ชนะแล้ว (ราคาที่ตกลง)", t["awarded"], Amount(t["agreed_satang"])),
        ("ยกเลิก", t["cancelled"], ""),
        ("งบประมาณที่ประหยัดได้", "", Amount(t["saved_satang"])),
        ("สัดส่วนวิธีเฉพาะเจาะจง (จำนวน)", percent(t["specific_count_share"]), ""),
        ("สัดส่วนวิธีเฉพาะเจาะจง (มูลค่า)", percent(t["specific_value_share"]), ""),
    ]
    rows += [{"section": "สรุป", "metric": metric, "count": count, "value": value} for metric, count, value in summary
    ]  # fmt: skip
    rows += [{"section": "ข้อสังเกตที่ระบบแจ้งเตือน", "metric": w["code_th"], "count": w["count"]}
             for w in content["warning_counts"]]  # fmt: skip
    rows += [
        {"section": "ผู้ชนะหลายโครงการ", "metric": w["winner"], "count": w["wins"]} for w in content["repeat_winners"]
    ]
    rows += [{"section": "รายละเอียดข้อสังเกต", "metric": f"{w['project_no']} {w['item']}: {w['message_th']}"}
             for w in content["flags"]]  # fmt: skip
    rows += [{"section": f"เทียบกับปีงบประมาณ {be(content['previous_year']['fiscal_year'])}", "metric": line}
             for line in content["changes"]]  # fmt: skip
    return rows


# -- O36 the plan ------------------------------------------------------------------------------

PLAN_DOC_COLUMNS = [("code", "ลำดับ"), ("dimension", "มิติ"), ("type", "ประเภท"), ("name", "โครงการ/กิจกรรม/มาตรการ"),
                    ("objectives", "วัตถุประสงค์"), ("period", "ระยะเวลาดำเนินการ"), ("budget", "งบประมาณ (บาท)"),
                    ("unit", "หน่วยงานรับผิดชอบ"), ("kpis", "ตัวชี้วัด")]  # fmt: skip


def plan_doc_rows(content: dict[str, Any]) -> Rows:
    return [
        {
            "code": i["code"],
            "dimension": i["dimension"],
            "type": i["type_th"],
            "name": i["name"],
            "objectives": "; ".join(i["objectives"]),
            "period": i["period"] or "-",
            "budget": plan_budget(i),
            "unit": i["responsible_unit"] or "-",
            "kpis": "; ".join(i["kpis"]),
        }  # fmt: skip
        for i in content["items"]
    ]


# -- the e-Plan round export -------------------------------------------------------------------

EPLAN_COLUMNS = [("province", "จังหวัด"), ("district", "อำเภอ"), ("organisation", "หน่วยงาน"),
                 ("plan_period", "ช่วงแผน"), ("code", "ลำดับ"), ("name", "ชื่อโครงการ/กิจกรรม/มาตรการ"),
                 ("type", "ประเภท"), ("quarters", "ไตรมาสที่ดำเนินการ"), ("dimension", "มิติ"),
                 ("budget_plan", "งบประมาณตามแผนพัฒนาท้องถิ่น (บาท)"), ("budget_ordinance", "งบประมาณตามเทศบัญญัติ (บาท)"),
                 ("disbursed", "เบิกจ่ายจริง (บาท)"), ("status", "สถานะ"), ("reason", "เหตุผลที่ไม่สามารถดำเนินการได้"),
                 ("kpis", "ผลตามตัวชี้วัด"), ("summary", "สรุปผลการดำเนินงาน"), ("progress", "ความก้าวหน้า")]  # fmt: skip
# The national procurement list on A4 landscape (277 mm): amounts and e-GP numbers on one line.
SUMMARY_V2_PDF_WIDTHS = (6, 8, 14, 11, 11, 11, 11, 24, 17, 14, 14, 12, 17, 17, 16, 18, 20, 12, 14)
# In the PDF the place and the plan period head the page instead of repeating in narrow columns.
EPLAN_PDF_SKIP = ("province", "district", "organisation", "plan_period")
EPLAN_PDF_WIDTHS = (12, 40, 14, 16, 8, 20, 20, 18, 18, 20, 50, 22, 14)
REASON_THAI = {reason.value: th for reason, th in NOT_PROCEED_THAI.items()}


def reason_text(item: dict[str, Any]) -> str:
    """Why an item could not proceed, as the national form says it, with the note given (or empty)."""
    reason = REASON_THAI.get(item["not_proceed_reason"] or "", "")
    if item["not_proceed_note"]:
        reason = f"{reason} ({item['not_proceed_note']})" if reason else item["not_proceed_note"]
    return reason


def kpi_text(k: dict[str, Any]) -> str:
    met = {True: "บรรลุ", False: "ไม่บรรลุ", None: "ยังไม่รายงานผล"}[k["met"]]
    return f"{k['target']} → {k['actual'] or '-'} ({met})"


def eplan_rows(content: dict[str, Any]) -> Rows:
    agency = content["agency"]
    rows = []
    for i in content["items"]:
        ordinance: Any = Amount(i["budget_ordinance_satang"])
        if i["no_budget"]:
            ordinance = "ไม่ใช้งบประมาณ"
        elif i["budget_ordinance_satang"] is None:
            ordinance = "ยังไม่ได้บันทึก"
        reason = reason_text(i)
        rows.append({
            "province": agency["province"] or UNKNOWN, "district": agency["district"] or UNKNOWN,
            "organisation": content["organisation"], "plan_period": be(i["plan_period"]), "code": i["code"],
            "name": i["name"], "type": i["type_th"],
            "quarters": ", ".join(f"ไตรมาส {be(q)}" for q in i["quarters"]) if i["quarters"] else UNKNOWN,
            "dimension": i["dimension"], "budget_plan": plan_budget(i), "budget_ordinance": ordinance,
            "disbursed": "-" if i["no_budget"] else Amount(i["disbursed_satang"]), "status": i["status_th"],
            "reason": reason or "-", "kpis": "; ".join(kpi_text(k) for k in i["kpis"]) or "-",
            "summary": i["result_summary"] or "-", "progress": percent(i["progress_percent"]),
        })  # fmt: skip
    p = content["progress"]
    rows.append({"name": f"ภาพรวม: ดำเนินการแล้วเสร็จ {be(p['completed'])} จาก {be(p['items'])} รายการ",
                 "progress": f"{percent(p['percent'])} ({p['colour_th']})"})  # fmt: skip
    return rows


# -- O27 the complaint guideline ---------------------------------------------------------------

GUIDELINE_COLUMNS = [("heading", "หัวข้อ"), ("text", "แนวปฏิบัติ")]


def guideline_rows(content: dict[str, Any]) -> Rows:
    return [{"heading": s["heading"], "text": p} for s in content["sections"] for p in s["paragraphs"]]


def fy(content: dict[str, Any]) -> str:
    return f"ปีงบประมาณ พ.ศ. {be(content['fiscal_year'])}"


TABLES: dict[str, tuple[Columns, Callable[[dict[str, Any]], Rows], Callable[[dict[str, Any]], str]]] = {
    "procurement-plan": (PLAN_COLUMNS, procurement_plan_rows, lambda c: f"แผนการจัดซื้อจัดจ้าง {fy(c)}"),
    "procurement-notices": (NOTICE_COLUMNS, notice_rows, lambda c: f"ประกาศเกี่ยวกับการจัดซื้อจัดจ้าง {fy(c)}"),
    "procurement-annual": (ANNUAL_COLUMNS, annual_rows, lambda c: f"รายงานผลการจัดซื้อจัดจ้างประจำปี {fy(c)}"),
    "anti-corruption-plan": (PLAN_DOC_COLUMNS, plan_doc_rows,
                             lambda c: f"แผนปฏิบัติการป้องกันการทุจริต พ.ศ. {be(c['plan_period'])} รายการของ{fy(c)}"),
    "eplan": (EPLAN_COLUMNS, eplan_rows, lambda c: "รายงานผลการดำเนินการตามแผนปฏิบัติการป้องกันการทุจริต "
              f"(ระบบ e-Plan) {fy(c)} รอบ {be(c['round'])} เดือน"),
    "complaint-guideline": (GUIDELINE_COLUMNS, guideline_rows, lambda c: "แนวปฏิบัติการจัดการเรื่องร้องเรียน"
                            f"การทุจริตและประพฤติมิชอบ ฉบับที่ {be(c['version'])}"),
    "complaint-channels": (GUIDELINE_COLUMNS, guideline_rows,
                           lambda c: f"ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ (ตามแนวปฏิบัติฉบับที่ {be(c['version'])})"),
}  # fmt: skip
