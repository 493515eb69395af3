"""Unknown is not "no budget": an unreadable budget stays unknown, says where, and blocks payment (#10)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidTransition, NotPermitted, RuleBroken
from domain.measure import BudgetState, Measure
from infrastructure.plan_parser import parse_plan
from tests.conftest import ORG, People

pytestmark = pytest.mark.store

DOC = {"number": "ฎ 9", "link": "https://x.go.th/9"}


def garbled(seed_text: str) -> str:
    """The seed with 1.1.1-2's budget unreadable both in its details and in the summary table."""
    lines = seed_text.splitlines()
    lines[176] = lines[176].replace("๑๐,๐๐๐\t๑๐,๐๐๐\t๑๐,๐๐๐", "๑o,ooo\t๑o,ooo\t๑o,ooo")  # letters o, not zeros
    lines[321] = lines[321].replace("๑๐,๐๐๐ บาท", "(ตามเทศบัญญัติ) บาท")
    return "\n".join(lines)


def test_an_unreadable_budget_is_unknown_with_a_warning_and_refuses_payment(services, seed_text):
    svc = services
    doc = parse_plan(garbled(seed_text))
    item = next(m for m in doc.measures if m.code == "1.1.1-2")
    assert item.budgets == {"2562": None, "2563": None, "2564": None} and item.no_budget is False
    warning = next(w for w in doc.warnings if w.kind == "budget-missing" and "1.1.1-2" in w.message)
    assert warning.line > 0  # names where
    svc.plans.import_plan(doc, ORG)
    people = People(svc)

    m = svc.measures.get(people.staff, Measure.create_id(ORG, "2562-2564", "1.1.1-2", 2562))
    assert m.budget_state is BudgetState.UNKNOWN and "ไม่ทราบ" in m.budget_label and "ไม่ใช้งบ" not in m.budget_label
    assert "1.1.1-2" in m.budget_warning and "record-budget" in m.allowed_actions
    m = svc.measures.submit(people.staff, m.id, m.version)
    m = svc.measures.approve(people.mayor, m.id, m.version)
    with pytest.raises(RuleBroken) as refused:
        svc.measures.record_disbursement(people.staff, m.id, m.version, 100_000, date(2019, 6, 1), DOC)
    assert "unknown" in refused.value.en
    report = svc.reports.plan_progress(ORG, 2562, 12)
    row = next(i for i in report["items"] if i["code"] == "1.1.1-2")
    assert row["budget_unknown"] and not row["no_budget"] and report["totals"]["budget_unknown_items"] == 1
    assert "ไม่ทราบ" in svc.reports.render(report, "csv").decode("utf-8-sig")

    with pytest.raises(NotPermitted):  # staff may not state a budget
        svc.measures.record_budget(people.staff, m.id, m.version, 1_000_000, "เทศบัญญัติ 2562")
    m = svc.measures.record_budget(people.clerk, m.id, m.version, 1_000_000, "เทศบัญญัติงบประมาณ พ.ศ. 2562")
    assert m.budget_state is BudgetState.AMOUNT and m.budget_recorded["reason"].startswith("เทศบัญญัติ")
    with pytest.raises(InvalidTransition):  # known now: changes come with a revised plan
        svc.measures.record_budget(people.clerk, m.id, m.version, 2_000_000, "แก้")
    m = svc.measures.record_disbursement(people.staff, m.id, m.version, 100_000, date(2019, 6, 1), DOC)
    assert m.disbursed_satang == 100_000
    svc.plans.import_plan(parse_plan(garbled(seed_text)), ORG)  # the same unreadable plan again
    assert svc.measures.get(people.staff, m.id).allocation_satang == 1_000_000  # the recorded figure stays

    no_budget = svc.measures.get(people.staff, Measure.create_id(ORG, "2562-2564", "2.3.2", 2562))
    assert no_budget.budget_state is BudgetState.NO_BUDGET and no_budget.budget_label == "ไม่ใช้งบประมาณ"
