"""The measure workflow, end to end through the application layer, on every store."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted, RuleBroken, StaleVersion
from domain.measure import Measure, Status
from tests.conftest import ORG

pytestmark = pytest.mark.store

EVIDENCE = {"number": "มห 52001/123", "title": "บันทึกข้อความ", "sha256": "ab" * 32}


def measure_id(code: str, year: int = 2562):
    return Measure.create_id(ORG, "2562-2564", code, year)


def run_to_in_progress(svc, people, code: str):
    mid = measure_id(code)
    m = svc.measures.submit(people.staff, mid, 1, "ขออนุมัติ")
    m = svc.measures.approve(people.mayor, mid, m.version, "อนุมัติ")
    m = svc.measures.start(people.staff, mid, m.version, date(2019, 1, 7))
    return m


def test_full_workflow_to_publication(seeded, people):
    svc = seeded
    mid = measure_id("1.1.1-2")  # โครงการอบรมพัฒนาบุคลากรทางการศึกษา: 6 steps, 10,000 baht
    m = svc.measures.get(people.staff, mid)
    assert m.status is Status.PLANNED and m.allocation_satang == 1_000_000 and len(m.steps) == 6

    m = svc.measures.submit(people.staff, mid, m.version, "เสนอขออนุมัติโครงการ")
    m = svc.measures.return_for_revision(people.mayor, mid, m.version, "แก้ไขกำหนดการ")
    assert m.status is Status.RETURNED and m.return_reason == "แก้ไขกำหนดการ"
    m = svc.measures.submit(people.staff, mid, m.version, "แก้ไขแล้ว")
    m = svc.measures.approve(people.mayor, mid, m.version, "อนุมัติ")
    assert m.approval["basis"]["kind"] == "position"
    assert m.approval["by"]["username"] == "mayor"
    m = svc.measures.start(people.staff, mid, m.version, date(2019, 1, 7))
    for step in range(1, 7):
        m = svc.measures.complete_step(
            people.staff, mid, m.version, step, date(2019, 2, step), EVIDENCE, f"ขั้นตอน {step}"
        )
    m = svc.measures.record_disbursement(
        people.staff,
        mid,
        m.version,
        600_000,
        date(2019, 2, 10),
        {"number": "ฎ 12", "link": "https://x.go.th/a"},
    )
    m = svc.measures.complete(people.head, mid, m.version, date(2019, 2, 20))
    m = svc.measures.record_disbursement(
        people.staff,
        mid,
        m.version,
        400_000,
        date(2019, 2, 21),
        {"number": "ฎ 13", "link": "https://x.go.th/b"},
    )
    assert m.disbursed_satang == 1_000_000
    actuals = [{"actual": f"ผล {i}", "met": True} for i in range(len(m.kpis))]
    m = svc.measures.report_result(people.clerk, mid, m.version, actuals, "บรรลุเป้าหมาย")
    m = svc.measures.publish(people.clerk, mid, m.version)
    assert m.status is Status.PUBLISHED and m.published

    history = svc.history.events(people.auditor, mid)
    types = [h["type"] for h in history]
    assert types[0] == "Planned" and types[-1] == "Published"
    assert types.count("StepCompleted") == 6
    assert all(h["actor"]["username"] for h in history)
    assert [h["version"] for h in history] == list(range(1, m.version + 1))


def test_rejected_commands_write_nothing(seeded, people):
    svc = seeded
    mid = measure_id("1.1.1-2")
    m = run_to_in_progress(svc, people, "1.1.1-2")
    before = svc.app.recorder.max_notification_id()
    version = m.version
    refusals = [
        (InvalidTransition, lambda: svc.measures.approve(people.mayor, mid, version)),
        (
            StaleVersion,
            lambda: svc.measures.complete_step(people.staff, mid, version - 1, 1, TODAYISH, EVIDENCE),
        ),
        (
            InvalidInput,
            lambda: svc.measures.complete_step(people.staff, mid, version, 99, TODAYISH, EVIDENCE),
        ),
        (
            InvalidInput,
            lambda: svc.measures.complete_step(people.staff, mid, version, 1, date(2030, 1, 1), EVIDENCE),
        ),
        (
            InvalidInput,
            lambda: svc.measures.complete_step(people.staff, mid, version, 1, TODAYISH, {"title": "x"}),
        ),
        (RuleBroken, lambda: svc.measures.complete(people.head, mid, version, TODAYISH)),
        (
            RuleBroken,
            lambda: svc.measures.record_disbursement(
                people.staff, mid, version, 1_000_001, TODAYISH, {"number": "1", "link": "https://a.b/c"}
            ),
        ),
        (NotPermitted, lambda: svc.measures.complete(people.staff, mid, version, TODAYISH)),
        (NotPermitted, lambda: svc.measures.submit(people.auditor, mid, version)),
        (InvalidInput, lambda: svc.measures.declare_could_not_proceed(people.head, mid, version, "weather")),
        (
            InvalidInput,
            lambda: svc.measures.declare_could_not_proceed(people.head, mid, version, "other", ""),
        ),
    ]
    for error, command in refusals:
        with pytest.raises(error):
            command()
    assert svc.app.recorder.max_notification_id() == before
    assert svc.measures.get(people.staff, mid).version == version


TODAYISH = date(2019, 3, 1)


def test_no_budget_item_refuses_any_disbursement(seeded, people):
    svc = seeded
    m = run_to_in_progress(svc, people, "2.3.2")
    assert m.allocation_satang is None
    with pytest.raises(RuleBroken):
        svc.measures.record_disbursement(
            people.staff, m.id, m.version, 100, TODAYISH, {"number": "1", "link": "https://a.b/c"}
        )


def test_only_the_executive_approves(seeded, people):
    svc = seeded
    mid = measure_id("2.3.2")
    m = svc.measures.submit(people.staff, mid, 1)
    for who in ("deputy", "clerk", "head", "staff", "auditor"):
        with pytest.raises(NotPermitted):
            svc.measures.approve(getattr(people, who), mid, m.version)
    assert svc.measures.approve(people.mayor, mid, m.version).status is Status.APPROVED


def test_could_not_proceed_then_published(seeded, people):
    svc = seeded
    mid = measure_id("4.4.1", 2563)
    m = svc.measures.declare_could_not_proceed(people.head, mid, 1, "not_enough_staff", "ขาดบุคลากร")
    assert m.status is Status.COULD_NOT_PROCEED
    with pytest.raises(InvalidTransition):
        svc.measures.submit(people.staff, mid, m.version)
    m = svc.measures.publish(people.mayor, mid, m.version)
    assert m.published and m.status is Status.COULD_NOT_PROCEED


def test_concurrent_writers_one_wins(seeded, people):
    """Two copies of the same version: the second save is refused with StaleVersion, not lost."""
    svc = seeded
    mid = measure_id("1.2.1")
    first = svc.app.repository.get(mid)
    second = svc.app.repository.get(mid)
    first.submit(people.staff.as_actor(), "a")
    second.submit(people.head.as_actor(), "b")
    svc.app.commit(first)
    with pytest.raises(StaleVersion):
        svc.app.commit(second)
    history = svc.history.events(people.auditor, mid)
    assert [h["actor"]["username"] for h in history if h["type"] == "SubmittedForApproval"] == ["staff"]


def test_state_as_of_version_and_time(seeded, people):
    svc = seeded
    mid = measure_id("1.2.2")
    m = svc.measures.submit(people.staff, mid, 1)
    submitted_at = m.modified_on
    m = svc.measures.approve(people.mayor, mid, m.version)
    old = svc.history.as_of(people.auditor, mid, version=2)
    assert old.status is Status.SUBMITTED and old.version == 2
    at_time = svc.history.as_of(people.auditor, mid, moment=submitted_at)
    assert at_time.status is Status.SUBMITTED
    assert svc.history.as_of(people.auditor, mid).status is Status.APPROVED
    with pytest.raises(NotFound):
        svc.history.as_of(people.auditor, mid, version=99)


def test_deactivated_user_and_replaced_token_stop_working(seeded, people):
    from domain.errors import NotAuthenticated

    svc = seeded
    token = people.tokens["staff"]
    assert svc.users.authenticate(token).username == "staff"
    new_token = svc.users.issue_token("staff")
    with pytest.raises(NotAuthenticated):
        svc.users.authenticate(token)
    assert svc.users.authenticate(new_token).username == "staff"
    svc.users.deactivate("staff", "ย้ายหน่วยงาน")
    with pytest.raises(NotAuthenticated):
        svc.users.authenticate(new_token)


def test_corrections_are_new_events_and_the_original_stays(seeded, people):
    svc = seeded
    mid = measure_id("1.1.1-2")
    m = run_to_in_progress(svc, people, "1.1.1-2")
    m = svc.measures.complete_step(people.staff, mid, m.version, 1, date(2019, 2, 1), EVIDENCE)
    fixed = {"number": "มห 52001/124", "title": "บันทึกข้อความ (ฉบับแก้ไข)", "link": "https://x.go.th/1"}
    with pytest.raises(InvalidInput):
        svc.measures.correct_step(people.head, mid, m.version, 1, date(2019, 2, 2), fixed, " ")
    m = svc.measures.correct_step(people.head, mid, m.version, 1, date(2019, 2, 2), fixed, "แนบเอกสารผิด")
    assert m.steps_done[1]["evidence"]["number"] == "มห 52001/124"
    assert svc.history.as_of(people.auditor, mid, version=m.version - 1).steps_done[1]["evidence"] == {
        **EVIDENCE,
        "link": "",
    }
    doc = {"number": "ฎ 1", "link": "https://x.go.th/d"}
    m = svc.measures.record_disbursement(people.staff, mid, m.version, 900_000, date(2019, 2, 3), doc)
    with pytest.raises(RuleBroken):
        svc.measures.record_disbursement(people.staff, mid, m.version, 200_000, date(2019, 2, 3), doc)
    m = svc.measures.reverse_disbursement(people.head, mid, m.version, 1, "พิมพ์จำนวนเงินผิด")
    assert m.disbursed_satang == 0
    with pytest.raises(InvalidTransition):  # nothing left to reverse: the catalogue's condition (409)
        svc.measures.reverse_disbursement(people.head, mid, m.version, 1, "ซ้ำ")
    m = svc.measures.record_disbursement(people.staff, mid, m.version, 200_000, date(2019, 2, 3), doc)
    assert m.disbursed_satang == 200_000 and len(m.disbursements) == 2
    types = [h["type"] for h in svc.history.events(people.auditor, mid)]
    assert types.count("StepCorrected") == 1 and types.count("DisbursementReversed") == 1
