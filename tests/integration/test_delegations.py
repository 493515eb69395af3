"""Delegations of authority and approvals that prove their authority, on every store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.delegation import ActingAppointment, Delegation, DelegationStatus
from domain.errors import InvalidInput, InvalidTransition, NoAuthority, NotPermitted
from domain.measure import Measure, Status
from tests.conftest import ORG, TODAY

pytestmark = pytest.mark.store

BACKDATED = "บันทึกคำสั่งที่ลงนามในกระดาษก่อนเริ่มใช้ระบบ"
EDUCATION = "กองการศึกษา"  # responsible unit of 1.1.1-2 (allocation 10,000 baht)


def scope(action="approve-measure", unit=EDUCATION, ceiling=5_000_000, power="approve"):
    return {"power": power, "action": action, "unit": unit, "ceiling_satang": ceiling}


def mid(code: str, year: int = 2562):
    return Measure.create_id(ORG, "2562-2564", code, year)


def submitted(svc, people, code: str, year: int = 2562, by=None) -> Measure:
    return svc.measures.submit(by or people.staff, mid(code, year), 1)


def in_force(
    svc,
    people,
    order_no="1/2569",
    delegate="head",
    scopes=None,
    sub=True,
    parent=None,
    delegator="mayor",
    days_back=30,
    until=None,
) -> Delegation:
    d = svc.delegations.draft(
        people.clerk,
        ORG,
        order_no,
        TODAY - timedelta(days=days_back),
        delegator,
        delegate,
        [scope()] if scopes is None else scopes,
        TODAY - timedelta(days=days_back),
        until,
        sub,
        parent,
    )
    d = svc.delegations.issue(getattr(people, delegator), d.id, d.version, BACKDATED if days_back > 0 else "")
    return d


def test_life_of_an_order_and_approval_under_it(seeded, people):
    svc = seeded
    d = svc.delegations.draft(
        people.clerk, ORG, "1/2569", TODAY, "mayor", "head", [scope()], TODAY - timedelta(days=1), None, True
    )
    assert d.status is DelegationStatus.DRAFTED
    m = submitted(svc, people, "1.1.1-2")
    with pytest.raises(NoAuthority):  # drafted, not signed
        svc.measures.approve(people.head, m.id, m.version)
    with pytest.raises(NotPermitted):  # only the delegator signs
        svc.delegations.issue(people.clerk, d.id, d.version)
    d = svc.delegations.issue(people.mayor, d.id, d.version, BACKDATED)
    d = svc.delegations.circulate(people.clerk, d.id, d.version, ["head", EDUCATION, "สำนักปลัด"])
    d = svc.delegations.acknowledge(people.head, d.id, d.version, "head")
    d = svc.delegations.acknowledge(people.staff, d.id, d.version, EDUCATION)
    with pytest.raises(InvalidTransition):
        svc.delegations.acknowledge(people.staff, d.id, d.version, EDUCATION)
    d = svc.delegations.publish(people.clerk, d.id, d.version)
    assert d.status is DelegationStatus.PUBLISHED and len(d.acknowledgements) == 2

    m = svc.measures.approve(people.head, m.id, m.version, "อนุมัติตามคำสั่ง")
    basis = m.approval["basis"]
    assert basis["kind"] == "delegation" and basis["order_no"] == "1/2569" and basis["version"] == d.version
    assert svc.audit.under_order(ORG, "1/2569")[0]["code"] == "1.1.1-2"
    assert svc.audit.invalid(ORG) == []

    other_unit = submitted(svc, people, "2.3.2")  # สำนักงานปลัด: not covered
    with pytest.raises(NoAuthority) as refused:
        svc.measures.approve(people.head, other_unit.id, other_unit.version)
    assert "does not cover" in refused.value.en
    assert svc.measures.approve(people.mayor, other_unit.id, other_unit.version).approval["basis"]["kind"] == "position"


def test_ceiling_is_enforced(seeded, people):
    svc = seeded
    in_force(svc, people, scopes=[scope(ceiling=999_999)])  # 9,999.99 baht < 10,000 baht
    m = submitted(svc, people, "1.1.1-2")
    with pytest.raises(NoAuthority):
        svc.measures.approve(people.head, m.id, m.version)
    assert svc.measures.get(people.head, m.id).status is Status.SUBMITTED


def test_sub_delegation_rules(seeded, people):
    svc = seeded
    until = TODAY + timedelta(days=300)
    parent = in_force(svc, people, until=until)
    child_scope = [scope(ceiling=2_000_000)]
    before = svc.app.recorder.max_notification_id()
    bad = [
        dict(scopes=[scope(ceiling=6_000_000)]),  # ceiling above the delegator's own
        dict(scopes=[scope(unit="*")]),  # wider unit
        dict(scopes=[scope(action="decide-complaint", power="order")]),  # a power the parent lacks
        dict(scopes=child_scope, until=None),  # outlives the parent
        dict(scopes=child_scope, until=until + timedelta(days=1)),
    ]
    for kw in bad:
        with pytest.raises(InvalidInput):
            in_force(
                svc,
                people,
                "2/2569",
                "staff",
                kw["scopes"],
                sub=False,
                parent="1/2569",
                delegator="head",
                until=kw.get("until", until),
            )
    assert svc.app.recorder.max_notification_id() == before

    child = in_force(
        svc, people, "2/2569", "staff", child_scope, sub=False, parent="1/2569", delegator="head", until=until
    )
    m = submitted(svc, people, "1.1.1-2", by=people.head)
    approved = svc.measures.approve(people.staff, m.id, m.version)
    assert approved.approval["basis"]["parents"] == ["1/2569"]
    with pytest.raises(InvalidInput):  # the child does not allow sub-delegation
        in_force(svc, people, "3/2569", "deputy", child_scope, parent="2/2569", delegator="staff", until=until)

    # revoking the parent invalidates the child from that moment, not retroactively
    svc.delegations.revoke(people.mayor, parent.id, parent.version, "ปรับโครงสร้าง")
    m2 = submitted(svc, people, "1.1.1-2", 2563, by=people.head)
    with pytest.raises(NoAuthority) as refused:
        svc.measures.approve(people.staff, m2.id, m2.version)
    assert "revoked" in refused.value.en
    assert svc.audit.invalid(ORG) == []  # the earlier approval was valid when given, and says so
    # under order 1/2569: the sub-delegation signed under it, and the approval made through it
    assert [a["code"] for a in svc.audit.under_order(ORG, "1/2569")] == ["order 2/2569", "1.1.1-2"]
    assert svc.app.load(Delegation, child.id).status is DelegationStatus.ISSUED  # child record untouched


def test_bad_orders_are_refused_and_write_nothing(seeded, people):
    svc = seeded
    before = svc.app.recorder.max_notification_id()
    cases = [
        (InvalidInput, dict(delegate="mayor")),  # delegate is the delegator
        (InvalidInput, dict(until=TODAY - timedelta(days=40))),  # ends before it starts
        (InvalidInput, dict(scopes=[scope(), scope(unit="*")])),  # overlapping scopes
        (InvalidInput, dict(scopes=[scope(), scope()])),  # the same scope twice
        (InvalidInput, dict(scopes=[scope(action="fly")])),
        (InvalidInput, dict(scopes=[scope(ceiling=-1)])),
        (InvalidInput, dict(scopes=[])),
        (InvalidInput, dict(delegate="auditor")),
        (NotPermitted, dict(delegator="head", delegate="staff")),  # not the executive, no parent order
    ]
    for error, kw in cases:
        with pytest.raises(error):
            in_force(svc, people, **kw)
    assert svc.app.recorder.max_notification_id() == before
    with pytest.raises(NotPermitted):
        svc.delegations.draft(people.staff, ORG, "9/2569", TODAY, "mayor", "head", [scope()], TODAY)


def test_amendment_takes_effect_from_its_date(seeded, people):
    svc = seeded
    d = in_force(svc, people, scopes=[scope(unit="สำนักปลัด")])
    m = submitted(svc, people, "1.1.1-2")
    with pytest.raises(NoAuthority):
        svc.measures.approve(people.head, m.id, m.version)
    d = svc.delegations.amend(people.mayor, d.id, d.version, [scope()], TODAY, "เพิ่มกองการศึกษา")
    narrowed = svc.delegations.amend(people.mayor, d.id, d.version, [scope(unit="สำนักปลัด")], TODAY + timedelta(days=1))
    with pytest.raises(InvalidInput):  # earlier than the previous amendment
        svc.delegations.amend(people.mayor, d.id, narrowed.version, [scope()], TODAY)
    approved = svc.measures.approve(people.head, m.id, m.version)  # today's version of the scope
    assert approved.approval["basis"]["scope_version"] == d.version
    assert svc.audit.invalid(ORG) == []


def test_acting_in_office(seeded, people):
    svc = seeded
    now = svc.clock.now()
    m = submitted(svc, people, "2.3.2")
    with pytest.raises(NoAuthority):
        svc.measures.approve(people.clerk, m.id, m.version)
    record = svc.delegations.appoint_acting(
        people.clerk,
        ORG,
        "ร.1/2569",
        "clerk",
        "mayor",
        now - timedelta(hours=1),
        now + timedelta(days=3),
        "ลาพักร้อน",
    )
    with pytest.raises(NoAuthority):  # a draft confers nothing
        svc.measures.approve(people.clerk, m.id, m.version)
    record = svc.delegations.sign_acting(people.mayor, record.id, record.version)
    approved = svc.measures.approve(people.clerk, m.id, m.version)
    assert approved.approval["basis"]["kind"] == "acting"
    assert approved.approval["basis"]["via"]["kind"] == "position"
    powers = svc.authority.powers(people.clerk, ORG)
    assert any(p["basis"]["kind"] == "acting" for p in powers)
    svc.delegations.end_acting(people.mayor, record.id, record.version)
    m2 = submitted(svc, people, "2.3.2", 2563)
    with pytest.raises(NoAuthority):
        svc.measures.approve(people.clerk, m2.id, m2.version)
    assert svc.app.load(ActingAppointment, record.id).ends is not None
    assert svc.audit.invalid(ORG) == []
    with pytest.raises(InvalidInput):
        svc.delegations.appoint_acting(people.mayor, ORG, "ร.2/2569", "mayor", "mayor", now, None, "")


def test_a_forged_approval_is_found_by_the_audit(seeded, people):
    """Bypass the authority service and write an approval directly: the audit must catch it."""
    svc = seeded
    m = submitted(svc, people, "4.4.1", by=people.head)
    forged = svc.app.repository.get(m.id)
    forged.approve(people.staff.as_actor(), "", basis={"kind": "position", "role": "staff"})
    svc.app.commit(forged)
    invalid = svc.audit.invalid(ORG)
    assert [(i["code"], i["actor"]["username"]) for i in invalid] == [("4.4.1", "staff")]


def test_register_as_it_stood_and_my_powers(seeded, people):
    svc = seeded
    d = in_force(svc, people, days_back=10)
    d = svc.delegations.circulate(people.clerk, d.id, d.version, ["head"])
    assert svc.authority.register(ORG) == []  # not yet published
    svc.delegations.publish(people.clerk, d.id, d.version)
    assert [r.order_no for r in svc.authority.register(ORG)] == ["1/2569"]
    assert svc.authority.register(ORG, TODAY - timedelta(days=20)) == []  # before it was valid
    assert svc.authority.register(ORG, TODAY - timedelta(days=1)) == []  # not yet published then
    powers = svc.authority.powers(people.head, ORG)
    assert [(p["scope"]["action"], p["basis"]["order_no"]) for p in powers] == [("approve-measure", "1/2569")]
    assert svc.authority.powers(people.staff, ORG) == []


def test_monthly_reports_and_overdue(seeded, people):
    svc = seeded
    d = in_force(svc, people, days_back=70)
    overdue = svc.delegations.overdue_reports(ORG)
    assert len(overdue) == 1
    months = overdue[0]["months"]
    assert months and all(len(m) == 7 for m in months)
    with pytest.raises(NotPermitted):
        svc.delegations.file_report(people.mayor, d.id, d.version, months[0], "สรุป", 3)
    with pytest.raises(InvalidInput):
        svc.delegations.file_report(people.head, d.id, d.version, "2099-01", "สรุป", 3)
    for month in months:
        d = svc.delegations.file_report(people.head, d.id, d.version, month, "อนุมัติ ๓ โครงการ", 3)
    assert svc.delegations.overdue_reports(ORG) == []
