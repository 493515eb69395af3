"""A fiscal year of procurement as ITA asks to see it: the annual plan (O19), the notices (O20) and
the annual report with its analysis (O22) — each computed from the procurements as they stood at a
moment, so a published one regenerates byte for byte."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from domain.procurement import METHOD_THAI, NOTICE_THAI, Method, Procurement
from domain.red_flags import RULE_TITLES
from domain.thai import fiscal_year_bounds

WARNING_THAI = {  # layout 1 of the annual report: the four warnings there were before red flags
    "single-bidder": "มีผู้เสนอราคาเพียงรายเดียว",
    "above-reference-price": "ราคาที่ตกลงสูงกว่าราคากลาง",
    "repeat-winner": "ผู้ชนะรายเดิมซ้ำในหน่วยงานเดียวกัน",
    "short-posting": "ระยะเวลาประกาศเชิญชวนสั้นกว่าขั้นต่ำ",
}
# layout 2: the twelve notice rules there were when it was published, in the rules' order
LAYOUT_2_RULES = ("reference-above-budget", "reference-far-below-budget", "short-posting", "above-reference-price",
                  "near-reference-price", "abnormally-low-bid", "bids-above-reference", "single-bidder",
                  "few-bidders", "identical-bids", "clustered-bids", "repeat-winner")  # fmt: skip
FLAG_THAI = {code: WARNING_THAI.get(code, RULE_TITLES[code][0]) for code in LAYOUT_2_RULES}
# layout 3: every rule, the notice rules then the patterns across procurements (domain/red_flags.py)
EVERY_FLAG_THAI = {code: WARNING_THAI.get(code, titles[0]) for code, titles in RULE_TITLES.items()}
LAYOUTS = {1: WARNING_THAI, 2: FLAG_THAI, 3: EVERY_FLAG_THAI}
PatternFlags = Callable[[str, int, datetime], list[dict[str, Any]]]  # org, fiscal year, until → flags


def by_method(procurements: list[Procurement], amount: Any) -> list[dict[str, Any]]:
    """Count and value per method, every method listed (a method not used says 0, not nothing)."""
    rows = []
    for method in Method:
        mine = [p for p in procurements if p.method is method]
        rows.append(
            {
                "method": method.value,
                "method_th": METHOD_THAI[method],
                "count": len(mine),
                "value_satang": sum(amount(p) or 0 for p in mine),
            }
        )
    return rows


def share(part: int, whole: int) -> float | None:
    """A percentage with one decimal; None (shown as "-") when there is nothing to divide."""
    return None if whole == 0 else round(100 * part / whole, 1)


class ProcurementReports:
    def __init__(self, procurements: Any, pattern_flags: PatternFlags | None = None) -> None:
        self.procurements = procurements
        self.pattern_flags = pattern_flags or (lambda org, year, until: [])

    def of_year(self, org_code: str, fiscal_year: int, at: datetime) -> list[Procurement]:
        stood = self.procurements.as_they_stood(org_code, at)
        return sorted((p for p in stood if p.fiscal_year == fiscal_year), key=lambda p: p.project_no)

    def annual_plan(self, org_code: str, fiscal_year: int, at: datetime) -> dict[str, Any]:
        """O19: every procurement planned for the fiscal year, with the month it is expected and when
        the plan entry was announced; totals by method."""
        items = []
        for p in self.of_year(org_code, fiscal_year, at):
            entry = next((n for n in p.notices if n["kind"] == "plan_entry"), None)
            items.append(
                {
                    "no": len(items) + 1,
                    "project_no": p.project_no,
                    "item": p.subject,
                    "unit": p.unit,
                    "budget_satang": p.budget_satang,
                    "budget_source": p.budget_source,
                    "method": p.method.value,
                    "method_th": METHOD_THAI[p.method],
                    "planned_month": entry["details"]["planned_month"] if entry else None,
                    "announced_on": entry["announced_on"].isoformat() if entry else None,
                }
            )
        unannounced = [i["project_no"] for i in items if i["announced_on"] is None]
        warnings = [f"โครงการ {no}: ยังไม่ได้ประกาศเผยแพร่แผนการจัดซื้อจัดจ้าง" for no in unannounced]
        if not items:
            warnings.append(f"ไม่มีโครงการจัดซื้อจัดจ้างที่บันทึกไว้สำหรับปีงบประมาณ {fiscal_year}")
        stood = self.of_year(org_code, fiscal_year, at)
        return {
            "items": items,
            "by_method": by_method(stood, lambda p: p.budget_satang),
            "totals": {"items": len(items), "budget_satang": sum(i["budget_satang"] for i in items)},
            "warnings": warnings,
        }

    def notices(self, org_code: str, fiscal_year: int, at: datetime) -> dict[str, Any]:
        """O20: every notice announced in the fiscal year, with the channels it was published on."""
        start, end = fiscal_year_bounds(fiscal_year)
        rows = []
        for p in self.procurements.as_they_stood(org_code, at):
            for n in p.notices:
                if start <= n["announced_on"] <= end:
                    rows.append(
                        {
                            "project_no": p.project_no,
                            "item": p.subject,
                            "notice_no": n["no"],
                            "kind": n["kind"],
                            "kind_th": NOTICE_THAI[n["kind"]],
                            "announced_on": n["announced_on"].isoformat(),
                            "channels": sorted(n["channels"]),
                            "signer_position": n["signer"].get("position"),
                        }
                    )
        rows.sort(key=lambda r: (r["announced_on"], r["project_no"], r["notice_no"]))
        return {"items": rows, "totals": {"notices": len(rows)}}

    def annual_report(self, org_code: str, fiscal_year: int, at: datetime, layout: int = 3) -> dict[str, Any]:
        """O22: the year's results — counts and values by method, the share bought by the specific
        method, red flags raised (layout 3: every rule, the patterns across procurements too; layout 2:
        the twelve notice rules; layout 1, published before red flags: the four warnings), repeat winners
        — and how they compare with the year before."""
        kinds = LAYOUTS[min(max(layout, 1), 3)]
        across = (lambda year: self.pattern_flags(org_code, year, at)) if layout >= 3 else (lambda year: [])
        this = self.figures(self.of_year(org_code, fiscal_year, at), kinds, across(fiscal_year))
        before = self.figures(self.of_year(org_code, fiscal_year - 1, at), kinds, across(fiscal_year - 1))
        empty = [] if this["totals"]["registered"] else [f"ไม่มีโครงการจัดซื้อจัดจ้างที่บันทึกไว้ในปีงบประมาณ {fiscal_year}"]
        content = {**this, "previous_year": {"fiscal_year": fiscal_year - 1, **before["totals"]},
                   "changes": self.changes(this["totals"], before["totals"]), "warnings": empty}  # fmt: skip
        return {"layout": min(layout, 3), **content} if layout >= 2 else content

    def figures(self, year: list[Procurement], kinds: dict[str, str] = WARNING_THAI,
                across: list[dict[str, Any]] | None = None) -> dict[str, Any]:  # fmt: skip
        awarded = [p for p in year if p.winner]
        agreed = sum(p.winner["agreed_satang"] for p in awarded)
        specific = [p for p in awarded if p.method is Method.SPECIFIC]
        flags = [
            {
                "project_no": p.project_no,
                "item": p.subject,
                "code": w["code"],
                "code_th": kinds.get(w["code"], w["code"]),
                "message_th": w["message_th"],
            }  # fmt: skip
            for p in year
            for w in p.warnings
        ]
        flags += [{"project_no": f["project_no"], "item": f["subject"], "code": f["rule"],
                   "code_th": kinds.get(f["rule"], f["rule"]), "message_th": f["message_th"]}
                  for f in across or []]  # fmt: skip
        counted = Counter(w["code"] for w in flags)
        winners = Counter(p.winner["winner"] for p in awarded)
        return {
            "by_method": by_method(awarded, lambda p: p.winner["agreed_satang"]),
            "flags": flags,
            "warning_counts": [
                {"code": code, "code_th": th, "count": counted.get(code, 0)} for code, th in kinds.items()
            ],  # fmt: skip
            "repeat_winners": [{"winner": w, "wins": n} for w, n in sorted(winners.items()) if n > 1],
            "totals": {
                "registered": len(year),
                "awarded": len(awarded),
                "cancelled": sum(1 for p in year if p.cancelled),
                "budget_satang": sum(p.budget_satang for p in year),
                "agreed_satang": agreed,
                "saved_satang": sum(p.budget_satang - p.winner["agreed_satang"] for p in awarded),
                "specific_count": len(specific),
                "specific_count_share": share(len(specific), len(awarded)),
                "specific_value_share": share(sum(p.winner["agreed_satang"] for p in specific), agreed),
                "single_bidder": counted.get("single-bidder", 0),
                "above_reference": counted.get("above-reference-price", 0),
                "warnings": len(flags),
            },
        }

    @staticmethod
    def changes(now: dict[str, Any], before: dict[str, Any]) -> list[str]:
        """What improved or worsened since the year before, said in words (ITA asks what was improved)."""
        if not before["awarded"]:
            return ["ปีงบประมาณก่อนหน้าไม่มีข้อมูลการจัดซื้อจัดจ้างในระบบ จึงยังเปรียบเทียบไม่ได้"]
        lines = []
        for key, th in (("specific_count_share", "สัดส่วนการจัดซื้อจัดจ้างโดยวิธีเฉพาะเจาะจง (ร้อยละของจำนวน)"),
                        ("single_bidder", "จำนวนโครงการที่มีผู้เสนอราคารายเดียว"),
                        ("above_reference", "จำนวนโครงการที่ราคาตกลงสูงกว่าราคากลาง")):  # fmt: skip
            old, new = before[key], now[key]
            if old is None or new is None:
                continue
            word = "ลดลง (ดีขึ้น)" if new < old else "เพิ่มขึ้น (ต้องปรับปรุง)" if new > old else "เท่าเดิม"
            lines.append(f"{th}: {old} → {new} {word}")
        return lines
