"""The record tells the truth: power is proven when it is conferred and when it is used (issue #10)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.delegation import ActingAppointment, Delegation
from domain.errors import FourEyes, InvalidInput, InvalidTransition, NoAuthority, NotPermitted
from domain.measure import Measure
from tests.conftest import ORG, TODAY
from tests.integration.test_procurements import register

pytestmark = pytest.mark.store

ANY_SCOPE = {"power": "approve", "action": "approve-measure", "unit": "*", "ceiling_satang": None}


def mid(code: str, year: int = 2562):
    return Measure.create_id(ORG, "2562-2564", code, year)


def test_a_clerk_cannot_make_anyone_acting_mayor(seeded, people):
    svc = seeded
    now = svc.clock.now()
    own = svc.measures.submit(people.staff, mid("2.3.2"), 1)
    record = svc.delegations.appoint_acting(
        people.clerk, ORG, "ร.9/2562", "staff", "mayor", now - timedelta(days=90), None, "นายกไปราชการ"
    )
    theirs = svc.measures.submit(people.head, mid("4.4.1"), 1)
    with pytest.raises(NoAuthority):  # a draft confers nothing
        svc.measures.approve(people.staff, theirs.id, theirs.version)
    with pytest.raises(FourEyes):  # the clerk drafted it
        svc.delegations.sign_acting(people.clerk, record.id, record.version)
    with pytest.raises(NoAuthority):  # the deputy holds no power to confer power
        svc.delegations.sign_acting(people.deputy, record.id, record.version, "ย้อนหลัง")
    with pytest.raises(NotPermitted):  # nor does the appointee sign their own appointment
        svc.delegations.sign_acting(people.staff, record.id, record.version)
    with pytest.raises(InvalidInput):  # 90 days in the past: only with a stated reason
        svc.delegations.sign_acting(people.mayor, record.id, record.version)
    record = svc.delegations.sign_acting(people.mayor, record.id, record.version, "คำสั่งกระดาษลงวันที่ 1 เม.ย.")
    assert record.signature["basis"]["kind"] == "position"
    with pytest.raises(FourEyes):  # acting mayor or not, never one's own submission
        svc.measures.approve(people.staff, own.id, own.version)
    approved = svc.measures.approve(people.staff, theirs.id, theirs.version)
    assert approved.approval["basis"]["kind"] == "acting"
    assert svc.audit.invalid(ORG) == []
    [flagged] = svc.audit.backdated(ORG)
    assert (flagged["code"], flagged["signed_by"]["username"], flagged["days_back"]) == ("ร.9/2562", "mayor", 90)
    assert flagged["applies_from"] == TODAY - timedelta(days=90) and flagged["reason"].startswith("คำสั่งกระดาษ")


def test_no_record_takes_effect_before_the_signers_power_existed(seeded, people):
    svc = seeded
    now = svc.clock.now()
    acting = svc.delegations.appoint_acting(people.clerk, ORG, "ร.1/2562", "deputy", "mayor", now, None, "ลา")
    svc.delegations.sign_acting(people.mayor, acting.id, acting.version)
    # The deputy acts as mayor from today: an order they sign may not claim to apply from before.
    order = svc.delegations.draft(people.clerk, ORG, "3/2562", TODAY, "deputy", "head", [ANY_SCOPE], TODAY)
    late = svc.delegations.draft(
        people.clerk, ORG, "4/2562", TODAY, "deputy", "staff", [ANY_SCOPE], TODAY - timedelta(days=10)
    )
    with pytest.raises(NoAuthority):  # the deputy's own power (as acting mayor) did not exist 10 days ago
        svc.delegations.issue(people.deputy, late.id, late.version, "ย้อนหลัง")
    issued = svc.delegations.issue(people.deputy, order.id, order.version)
    assert issued.signature["basis"]["kind"] == "acting"


def test_four_eyes_on_measures_orders_and_procurements(seeded, people):
    svc = seeded
    m = svc.measures.submit(people.mayor, mid("2.3.2"), 1)
    with pytest.raises(FourEyes) as refused:
        svc.measures.approve(people.mayor, m.id, m.version)
    assert "หลักสี่ตา" in refused.value.th and "four eyes" in refused.value.en
    with pytest.raises(FourEyes):
        svc.measures.return_for_revision(people.mayor, m.id, m.version, "แก้ไข")
    own_order = svc.delegations.draft(people.mayor, ORG, "5/2562", TODAY, "mayor", "head", [ANY_SCOPE], TODAY)
    with pytest.raises(FourEyes):
        svc.delegations.issue(people.mayor, own_order.id, own_order.version)
    p, _ = svc.procurements.register(
        people.mayor, ORG, "66019000077", "จัดซื้อวัสดุสำนักงาน", "สำนักปลัด", 9_000_00, "specific"
    )
    with pytest.raises(FourEyes):
        svc.procurements.issue(people.mayor, p.id, p.version, "plan_entry", "k1", planned_month="2019-07")
    before = svc.app.recorder.max_notification_id()
    assert svc.app.recorder.max_notification_id() == before  # nothing written by any refusal


def test_refusals_come_in_order_role_then_state_then_authority(seeded, people):
    svc = seeded
    planned = svc.measures.get(people.head, mid("1.1.1-2"))
    with pytest.raises(NotPermitted) as role:
        svc.measures.approve(people.auditor, planned.id, planned.version)
    assert type(role.value) is NotPermitted
    with pytest.raises(InvalidTransition):  # not submitted: 409 whoever asks, authority or not
        svc.measures.approve(people.head, planned.id, planned.version)
    submitted = svc.measures.submit(people.staff, planned.id, planned.version)
    with pytest.raises(NoAuthority):
        svc.measures.approve(people.head, submitted.id, submitted.version)
    order = svc.delegations.draft(people.clerk, ORG, "6/2562", TODAY, "mayor", "head", [ANY_SCOPE], TODAY)
    order = svc.delegations.issue(people.mayor, order.id, order.version)
    with pytest.raises(InvalidTransition):  # already signed: 409, not "you are not the delegator"
        svc.delegations.issue(people.head, order.id, order.version)
    with pytest.raises(NotPermitted):
        svc.delegations.issue(people.staff, order.id, order.version)


def test_every_kind_of_forged_act_is_found_by_the_audit(seeded, people):
    """Write each kind of act around the services, straight into the log: the audit re-check finds it."""
    svc = seeded
    now = svc.clock.now()
    staff, clerk, head = people.staff.as_actor(), people.clerk.as_actor(), people.head.as_actor()

    acting = svc.delegations.appoint_acting(people.clerk, ORG, "ร.7/2562", "staff", "mayor", now, None, "ปลอม")
    forged_acting = svc.app.repository.get(acting.id)
    forged_acting._sign(actor=clerk, basis={"kind": "position"}, backdate_reason="")

    order = svc.delegations.draft(people.clerk, ORG, "8/2562", TODAY, "mayor", "head", [ANY_SCOPE], TODAY)
    forged_order = svc.app.repository.get(order.id)
    forged_order._sign(actor=head, signed_on=TODAY, basis={"kind": "position"}, backdate_reason="")

    real = svc.delegations.draft(people.clerk, ORG, "9/2562", TODAY, "mayor", "deputy", [ANY_SCOPE], TODAY)
    real = svc.delegations.issue(people.mayor, real.id, real.version)
    forged_amendment = svc.app.repository.get(real.id)
    forged_amendment._sign_amendment(actor=staff, scopes=[ANY_SCOPE], effective_from=TODAY, note="", basis={})
    svc.app.commit(forged_acting, forged_order, forged_amendment)
    forged_revocation = svc.app.repository.get(real.id)
    forged_revocation._sign_revocation(actor=staff, at=svc.clock.now(), reason="ปลอม", basis={})

    p = register(svc, people)
    forged_notice = svc.app.repository.get(p.id)
    forged_notice._notice(
        kind="plan_entry", details={}, signer=staff, basis={}, idempotency_key="x", announced_on=TODAY
    )
    complaint, _ = svc.complaints.submit(
        org_code=ORG, channel="web", category="general", subject="ถนนชำรุด", description="หลุมใหญ่", complainant=None
    )
    forged_answer = svc.app.repository.get(complaint.id)
    forged_answer._resolve(actor=staff, answer="เรียบร้อย", answered_on=TODAY, basis={})

    m = svc.measures.submit(people.mayor, mid("2.3.2"), 1)
    forged_approval = svc.app.repository.get(m.id)
    forged_approval._approve(actor=people.mayor.as_actor(), note="", basis={"kind": "position"})
    svc.app.commit(forged_revocation, forged_notice, forged_answer, forged_approval)

    found = {(i["aggregate_type"], i["type"], i["actor"]["username"]) for i in svc.audit.invalid(ORG)}
    assert found == {
        ("ActingAppointment", "Signed", "clerk"),
        ("Delegation", "Signed", "head"),
        ("Delegation", "AmendmentSigned", "staff"),
        ("Delegation", "RevocationSigned", "staff"),
        ("Procurement", "NoticeIssued", "staff"),
        ("Complaint", "Resolved", "staff"),
        ("Measure", "Approved", "mayor"),
    }
    four_eyes = [i for i in svc.audit.invalid(ORG) if i["aggregate_type"] == "Measure"]
    assert four_eyes[0]["code_of_refusal"] == "four-eyes"
    assert svc.app.load(ActingAppointment, acting.id).signature is not None  # forged, yet the log keeps it
    assert svc.app.load(Delegation, real.id).status.value == "revoked"
