"""Every aggregate's transitions and the authority function, in memory: no store, no clock but the events'.

What each record allows next is written out here, independently of the catalogues (domain/*_commands.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4

import pytest

from domain.authority import confer_basis, find_basis
from domain.clock import BANGKOK, use_for_events
from domain.complaint import Complaint, State
from domain.complaint_commands import COMPLAINTS
from domain.delegation import ActingAppointment, Action, Delegation, DelegationStatus
from domain.delegation_commands import ACTING, DELEGATIONS
from domain.errors import (
    FlagsToAcknowledge,
    FourEyes,
    InvalidInput,
    InvalidTransition,
    NoAuthority,
    NotPermitted,
    RuleBroken,
)
from domain.procurement import Procurement, ProcurementRules
from domain.procurement_commands import PROCUREMENTS, Stage
from infrastructure.clock import ManualClock

DAY = date(2019, 6, 30)
NOON = datetime(2019, 6, 30, 12, 0, tzinfo=BANGKOK)


def person(username: str, role: str, position: str) -> dict[str, str]:
    return {"username": username, "name": username, "position": position, "role": role}


MAYOR = person("mayor", "executive", "นายกเทศมนตรี")
CLERK = person("clerk", "clerk", "ปลัดเทศบาล")
HEAD = person("head", "division_head", "ผู้อำนวยการกองคลัง")
STAFF = person("staff", "staff", "เจ้าหน้าที่")
BASIS = {"kind": "position", "position": "นายกเทศมนตรี"}
APPROVE_ALL = {"power": "approve", "action": "approve-measure", "unit": "*", "ceiling_satang": 500_000_00}


@pytest.fixture(autouse=True)
def event_clock() -> None:
    use_for_events(ManualClock(NOON))


def offered(catalogue, record) -> set[str]:
    return {c.name for c in catalogue.available(record)}


# -- delegation orders ---------------------------------------------------------------------------


def an_order(valid_from: date = DAY, parent=None, sub: bool = False, scopes=None, delegate=HEAD) -> Delegation:
    return Delegation.draft("5490101", f"{uuid4().hex[:6]}/2562", DAY, MAYOR, delegate, scopes or [APPROVE_ALL],
                            valid_from, None, sub, parent, CLERK)  # fmt: skip


def test_an_order_lives_drafted_issued_circulated_published_revoked() -> None:
    d = an_order()
    assert offered(DELEGATIONS, d) == {"issue"}
    with pytest.raises(FourEyes):
        Delegation.draft("5490101", "1/2562", DAY, MAYOR, HEAD, [APPROVE_ALL], DAY, None, False, None, MAYOR).issue(
            MAYOR, DAY, BASIS
        )
    with pytest.raises(NotPermitted):  # only the delegator signs
        d.issue(HEAD, DAY, BASIS)
    d.issue(MAYOR, DAY, BASIS)
    assert d.status is DelegationStatus.ISSUED and offered(DELEGATIONS, d) == {"circulate", "amend", "revoke", "report"}
    with pytest.raises(InvalidTransition):
        d.publish(CLERK, DAY)  # not before it is circulated
    d.circulate(CLERK, ["กองคลัง", " "])
    assert d.recipients == ["กองคลัง"]
    with pytest.raises(InvalidInput):
        d.acknowledge(STAFF, "กองช่าง")  # not a recipient
    d.acknowledge(STAFF, "กองคลัง")
    with pytest.raises(InvalidTransition):
        d.acknowledge(STAFF, "กองคลัง")  # once
    d.publish(CLERK, DAY)
    assert offered(DELEGATIONS, d) == {"acknowledge", "amend", "revoke", "report"}
    d.revoke(MAYOR, NOON, "ยกเลิก", BASIS)
    assert d.status is DelegationStatus.REVOKED and offered(DELEGATIONS, d) == {"report"}
    assert d.in_force_at(NOON + timedelta(hours=1)).startswith("revoked")


def test_backdating_needs_a_reason_and_reports_cannot_be_of_the_future() -> None:
    d = an_order(valid_from=DAY - timedelta(days=10))
    with pytest.raises(InvalidInput):
        d.issue(MAYOR, DAY, BASIS)
    d.issue(MAYOR, DAY, BASIS, backdate_reason="ออกคำสั่งตามหนังสือสั่งการเดิม")
    assert d.signature["backdate_reason"]
    with pytest.raises(InvalidInput):
        d.amend(MAYOR, [APPROVE_ALL], DAY - timedelta(days=1), "", DAY, BASIS)
    with pytest.raises(InvalidInput):
        d.file_report(HEAD, "2019-08", "ใช้อำนาจ", 3, DAY)
    d.file_report(HEAD, "2019-06", "ใช้อำนาจ", 3, DAY)
    with pytest.raises(InvalidTransition):
        d.file_report(HEAD, "2019-06", "อีกครั้ง", 1, DAY)


def test_an_acting_record_confers_nothing_until_signed_by_someone_else() -> None:
    a = ActingAppointment.appoint("5490101", "ร1/2562", CLERK, MAYOR, "executive", NOON, None, "ลาพักร้อน", CLERK)
    assert offered(ACTING, a) == {"sign", "end"} and not a.covers(NOON)
    with pytest.raises(FourEyes):
        a.sign(CLERK, NOON, BASIS)  # the drafter is also the appointee
    a.sign(MAYOR, NOON, BASIS)
    assert a.covers(NOON + timedelta(hours=1)) and offered(ACTING, a) == {"end"}
    a.end(MAYOR, NOON + timedelta(days=1))
    assert offered(ACTING, a) == set() and not a.covers(NOON + timedelta(days=2))
    with pytest.raises(InvalidTransition):
        a.end(MAYOR, NOON + timedelta(days=3))


# -- the authority function ----------------------------------------------------------------------


def test_authority_is_the_position_a_delegation_in_force_or_an_acting_record() -> None:
    assert find_basis("mayor", "executive", "นายก", Action.APPROVE_MEASURE, "กองคลัง", 10**9, NOON, [], [])["kind"] == (
        "position"
    )
    order = an_order()
    with pytest.raises(NoAuthority):  # drafted orders confer nothing
        find_basis("head", "division_head", "ผอ.", Action.APPROVE_MEASURE, "กองคลัง", 100, NOON, [order], [])
    order.issue(MAYOR, DAY, BASIS)
    basis = find_basis("head", "division_head", "ผอ.", Action.APPROVE_MEASURE, "กองคลัง", 100, NOON, [order], [])
    assert basis["kind"] == "delegation" and basis["order_no"] == order.order_no
    with pytest.raises(NoAuthority):  # above the ceiling
        find_basis("head", "division_head", "ผอ.", Action.APPROVE_MEASURE, "กองคลัง", 10**9, NOON, [order], [])
    with pytest.raises(NoAuthority):  # another action
        find_basis("head", "division_head", "ผอ.", Action.DECIDE_COMPLAINT, "กองคลัง", 1, NOON, [order], [])
    with pytest.raises(NoAuthority):  # before it took effect
        find_basis("head", "division_head", "ผอ.", Action.APPROVE_MEASURE, "กองคลัง", 1, NOON - timedelta(days=2),
                   [order], [])  # fmt: skip
    acting = ActingAppointment.appoint("5490101", "ร2/2562", CLERK, MAYOR, "executive", NOON, None, "ราชการ", HEAD)
    with pytest.raises(NoAuthority):  # unsigned
        find_basis("clerk", "clerk", "ปลัด", Action.APPROVE_MEASURE, "กองคลัง", 1, NOON, [], [acting])
    acting.sign(MAYOR, NOON, BASIS)
    via = find_basis("clerk", "clerk", "ปลัด", Action.APPROVE_MEASURE, "กองคลัง", 1, NOON, [], [acting])
    assert via["kind"] == "acting" and via["via"]["kind"] == "position"


def test_conferring_power_is_never_delegated_and_sub_delegation_stays_within_its_parent() -> None:
    order = an_order(sub=True)
    order.issue(MAYOR, DAY, BASIS)
    with pytest.raises(NoAuthority):  # a delegate never signs orders of their own power
        confer_basis("head", "division_head", "ผอ.", NOON, [order], [])
    assert confer_basis("head", "division_head", "ผอ.", NOON, [order], [], order.id, [APPROVE_ALL])["kind"] == (
        "delegation"
    )
    wider = {**APPROVE_ALL, "ceiling_satang": None}
    with pytest.raises(NoAuthority):
        confer_basis("head", "division_head", "ผอ.", NOON, [order], [], order.id, [wider])
    closed = an_order(sub=False)
    closed.issue(MAYOR, DAY, BASIS)
    with pytest.raises(NoAuthority):
        confer_basis("head", "division_head", "ผอ.", NOON, [closed], [], closed.id, [APPROVE_ALL])


# -- procurements --------------------------------------------------------------------------------

RULES = ProcurementRules()


def a_procurement(method: str = "e_bidding") -> Procurement:
    return Procurement("5490101", f"P{uuid4().hex[:6]}", "จัดซื้อครุภัณฑ์", "กองคลัง", 1_500_000_00, 2562, method,
                       None, None, {}, STAFF)  # fmt: skip


def test_a_procurement_moves_through_its_notices_each_once_and_in_order() -> None:
    p = a_procurement()
    assert offered(PROCUREMENTS, p) == {  # each notice only once the one before it exists: no contract yet
        "plan-entry", "reference-price", "invitation", "cancel", "appoint-observer", "observer-attendance",
        "observer-remark",
    }  # fmt: skip
    with pytest.raises(FourEyes):
        p.announce_plan(STAFF, BASIS, "", DAY, "2019-07")  # the registrar never signs its notices
    p.announce_plan(MAYOR, BASIS, "k1", DAY, "2019-07")
    assert "plan-entry" not in offered(PROCUREMENTS, p) and "publication" in offered(PROCUREMENTS, p)
    with pytest.raises(InvalidTransition):
        p.announce_plan(MAYOR, BASIS, "k2", DAY, "2019-08")
    with pytest.raises(RuleBroken):  # no winner before the invitation
        p.announce_winner(MAYOR, BASIS, "", DAY, "ก", 1, [{"name": "ก", "price_satang": 1}], "ถูก", 0, RULES)
    p.announce_invitation(MAYOR, BASIS, "", DAY - timedelta(days=20), DAY - timedelta(days=19), DAY - timedelta(days=5),
                          [], "", RULES)  # fmt: skip
    one = [{"name": "ก", "price_satang": 1_400_000_00}]
    with pytest.raises(FlagsToAcknowledge) as shown:  # one bidder in e-bidding: the signer sees the flag first
        p.announce_winner(MAYOR, BASIS, "", DAY, "ก", 1_400_000_00, one, "ถูก", 0, RULES)
    assert [f["rule"] for f in shown.value.details["red_flags"]] == ["single-bidder"] and p.winner is None
    p.announce_winner(MAYOR, BASIS, "", DAY, "ก", 1_400_000_00, one, "ถูก", 0, RULES, "ยื่นรายเดียว ตรวจคุณสมบัติแล้ว")
    assert [w["code"] for w in p.warnings] == ["single-bidder"]
    assert p.red_flags == [{"rule": "single-bidder", "version": 1, "numbers": {"bidders": 1}, "notices": [3],
                            "message_th": "มีผู้เสนอราคาเพียงรายเดียว", "message_en": "only one bidder",
                            "acknowledgement": "ยื่นรายเดียว ตรวจคุณสมบัติแล้ว", "by": MAYOR["username"]}]  # fmt: skip
    assert {"contract"} <= offered(PROCUREMENTS, p) and not {"winner", "inspection"} & offered(PROCUREMENTS, p)
    with pytest.raises(RuleBroken):  # the contract may not exceed the agreed price
        p.sign_contract(MAYOR, BASIS, "", DAY, "12/2562", DAY, 1_500_000_00)
    p.sign_contract(MAYOR, BASIS, "", DAY, "12/2562", DAY, 1_400_000_00)
    assert "inspection" in offered(PROCUREMENTS, p) and "acceptance" not in offered(PROCUREMENTS, p)
    p.schedule_inspection(MAYOR, BASIS, "", DAY, DAY + timedelta(days=30), "09:30", "ห้องประชุม")
    p.record_acceptance(MAYOR, BASIS, "", DAY, True, "")
    assert p.stage is Stage.CLOSED
    assert offered(PROCUREMENTS, p) == {"publication", "observer-attendance", "observer-remark"}
    with pytest.raises(InvalidTransition):
        p.cancel(MAYOR, BASIS, "", DAY, "สาย")


def test_a_cancelled_procurement_takes_no_more_notices_and_publication_is_once_per_channel() -> None:
    p = a_procurement()
    p.cancel(MAYOR, BASIS, "", DAY, "งบประมาณไม่พอ")
    assert p.stage is Stage.CANCELLED and offered(PROCUREMENTS, p) == {
        "publication", "observer-attendance", "observer-remark"
    }  # fmt: skip
    with pytest.raises(InvalidTransition):
        p.announce_plan(MAYOR, BASIS, "", DAY, "2019-07")
    p.publish(STAFF, 1, "website", "https://example.go.th/n/1")
    with pytest.raises(InvalidTransition):
        p.publish(STAFF, 1, "website", "again")
    with pytest.raises(InvalidInput):
        p.publish(STAFF, 1, "carrier_pigeon", "")


# -- complaints ----------------------------------------------------------------------------------


def a_complaint(category: str = "general", accused_role: str | None = None) -> Complaint:
    return Complaint(uuid4(), "5490101", "1/2562", "web", category, True, "ไฟดับ", "ไฟถนนดับ", "", [], None, [],
                     accused_role, "h", DAY, DAY + timedelta(days=15), {"username": "public"})  # fmt: skip


def test_a_general_complaint_is_acknowledged_assigned_answered_closed_and_may_be_reopened() -> None:
    c = a_complaint()
    assert offered(COMPLAINTS, c) == {
        "acknowledge", "assign", "explain-delay", "resolve", "reject", "refer",
    }  # fmt: skip
    c.acknowledge(STAFF, "web", "รับเรื่อง")
    c.assign(CLERK, "กองช่าง", {"username": "head", "name": "head"})
    assert "notice" in offered(COMPLAINTS, c) and "acknowledge" not in offered(COMPLAINTS, c)
    c.post_notice(STAFF, "กำลังซ่อม", True)
    assert c.state is State.IN_PROGRESS
    c.resolve(MAYOR, "ซ่อมแล้ว", DAY, BASIS)
    assert offered(COMPLAINTS, c) == {"close"}
    c.object("ยังไม่ซ่อม")
    assert c.state is not State.RESOLVED
    c.resolve(MAYOR, "ซ่อมใหม่แล้ว", DAY, BASIS)
    c.close(STAFF, "")
    assert c.state is State.CLOSED and offered(COMPLAINTS, c) == set()


def test_the_disciplinary_track_is_offered_step_by_step_only_on_misconduct_decided_inside() -> None:
    general = a_complaint()
    assert "start-fact-finding" not in offered(COMPLAINTS, general)
    against_mayor = a_complaint("misconduct", "executive")
    assert "start-fact-finding" not in offered(COMPLAINTS, against_mayor)
    with pytest.raises(RuleBroken):
        against_mayor.start_fact_finding(MAYOR, "นิติกร", BASIS)
    c = a_complaint("misconduct", "staff")
    steps = [
        ("start-fact-finding", lambda: c.start_fact_finding(MAYOR, "นิติกร", BASIS)),
        ("conclude-fact-finding", lambda: c.conclude_fact_finding(MAYOR, True, "มีมูล", BASIS)),
        ("open-inquiry", lambda: c.open_inquiry(MAYOR, "minor", ["ก", "ข", "ค"], BASIS)),
        ("record-finding", lambda: c.record_finding(MAYOR, True, "ผิด", BASIS)),
        ("decide", lambda: c.decide(MAYOR, "salary_cut", DAY, 30, BASIS)),
        ("appeal", lambda: c.appeal(STAFF, "ขออุทธรณ์", DAY)),
        ("finalise", lambda: c.finalise(MAYOR, "ยืน", DAY, BASIS)),
    ]
    track = {name for name, _ in steps}
    for name, move in steps:
        assert offered(COMPLAINTS, c) & track == ({name, "finalise"} if name == "appeal" else {name})
        move()
    assert offered(COMPLAINTS, c) & track == set()
    c.resolve(MAYOR, "ดำเนินการทางวินัยแล้ว", DAY, BASIS)
    assert c.state is State.RESOLVED
