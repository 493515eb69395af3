"""Importing the seed plan: idempotent, and a changed document recorded as a revision."""

from __future__ import annotations

import copy

import pytest

from domain.measure import Measure, Status
from domain.plan import Plan, PlanDocument
from infrastructure.plan_parser import parse_plan
from tests.conftest import ORG

pytestmark = pytest.mark.store


def test_import_creates_one_measure_per_item_and_year(services, seed_text):
    doc = parse_plan(seed_text)
    result = services.plans.import_plan(doc, ORG)
    assert len(result.created) == 32 and not result.unchanged
    measures = services.measures.list(ORG)
    assert len(measures) == 32 * 3
    assert {m.fiscal_year for m in measures} == {2562, 2563, 2564}
    assert all(m.status is Status.PLANNED for m in measures)
    organisation = services.organisations.get(ORG)
    assert organisation.name == "เทศบาลเมืองมุกดาหาร" and organisation.plan_keys == ["2562-2564"]


def test_reimporting_the_same_document_changes_nothing(services, seed_text):
    services.plans.import_plan(parse_plan(seed_text), ORG)
    position = services.app.recorder.max_notification_id()
    again = services.plans.import_plan(parse_plan(seed_text), ORG)
    assert again.unchanged and not again.created and not again.revised
    assert services.app.recorder.max_notification_id() == position


def test_changed_document_is_recorded_as_revision_not_overwrite(services, seed_text):
    doc = parse_plan(seed_text)
    services.plans.import_plan(doc, ORG)
    measure_id = Measure.create_id(ORG, doc.plan_key, "1.1.1-2", 2563)

    changed = PlanDocument.from_json(copy.deepcopy(doc.to_json()))
    item = next(m for m in changed.measures if m.code == "1.1.1-2")
    item.budgets["2563"] = 25_000
    item.steps.append("ประเมินผลหลังการอบรม ๓ เดือน")
    changed.measures = [m for m in changed.measures if m.code != "4.4.1"]

    result = services.plans.import_plan(changed, ORG)
    assert result.revised == ["1.1.1-2"] and result.removed == ["4.4.1"] and result.revision == 2
    measure = services.app.load(Measure, measure_id)
    assert measure.allocation_satang == 2_500_000 and len(measure.steps) == 7
    events = list(services.app.stored_events(measure_id))
    assert [type(e).__name__ for e in events] == ["Planned", "PlanDetailsRevised"]
    assert sorted(events[1].changed_fields) == ["budgets", "steps"]
    # the original plan text is still in the log
    assert services.app.repository.get(measure_id, version=1).allocation_satang == 1_000_000
    plan = services.app.load(Plan, Plan.create_id(ORG, doc.plan_key))
    assert plan.revision == 2 and "4.4.1" not in plan.item_codes


def test_a_clerks_corrections_shape_the_import_and_are_recorded_with_line_and_reason(services, seed_text):
    from domain.errors import InvalidInput
    from domain.plan import Correction

    doc = parse_plan(seed_text)
    item = next(m for m in doc.measures if m.code == "3.1.2")
    fixes = [
        Correction("3.1.2", "responsible_unit", item.responsible_unit, "กองวิชาการและแผนงาน", item.line,
                   "บัญชีสรุประบุกองวิชาการฯ ตรวจสอบกับคำสั่งแล้ว"),
        Correction("3.1.2", "budget:2563", str(item.budgets["2563"]), "15,000", item.line, "ตามข้อบัญญัติปี ๒๕๖๓"),
    ]  # fmt: skip
    with pytest.raises(InvalidInput, match="needs a reason"):
        services.plans.import_plan(doc, ORG, corrections=[Correction("3.1.2", "name", "", "x", 1, " ")])
    assert services.app.recorder.max_notification_id() in (None, 0)  # a refused import writes nothing

    services.plans.import_plan(doc, ORG, corrections=fixes)
    measure = services.app.load(Measure, Measure.create_id(ORG, doc.plan_key, "3.1.2", 2563))
    assert measure.details["responsible_unit"] == "กองวิชาการและแผนงาน"
    assert measure.allocation_satang == 15_000_00
    plan_events = list(services.app.stored_events(Plan.create_id(ORG, doc.plan_key)))
    corrected = [e for e in plan_events if type(e).__name__ == "CorrectedByHand"]
    assert len(corrected) == 1
    recorded = corrected[0].corrections
    assert [(c["code"], c["field"], c["typed"], c["line"]) for c in recorded] == [
        ("3.1.2", "responsible_unit", "กองวิชาการและแผนงาน", item.line),
        ("3.1.2", "budget:2563", "15,000", item.line),
    ]
    assert recorded[0]["read"] == item.responsible_unit and recorded[0]["reason"].startswith("บัญชีสรุป")
