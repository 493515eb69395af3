"""Procurement notices: the trail, its rules and warnings, publication, สขร.๑ and OCDS."""

from __future__ import annotations

import json
from datetime import timedelta

import jsonschema
import pytest

from domain.errors import (
    FlagsToAcknowledge,
    InvalidInput,
    InvalidTransition,
    NoAuthority,
    NotFound,
    RuleBroken,
    StaleVersion,
)
from domain.values import parse_satang
from tests.conftest import OCDS, ORG, TODAY

pytestmark = pytest.mark.store

BIDDERS = [  # three bids, the lowest 3 % under the reference price, 3 % apart: nothing to flag
    {"name": "หจก.มุกดาก่อสร้าง", "price_satang": 1_450_000_00},
    {"name": "บจก.โขงวิศวกรรม", "price_satang": 1_480_000_00},
    {"name": "ร้านรุ่งเรืองพาณิชย์", "price_satang": 1_495_000_00},
]


def register(svc, people, no="66019000001", budget=1_500_000_00, method="e_bidding", unit="กองช่าง", **kw):
    p, created = svc.procurements.register(
        people.clerk, ORG, no, "ก่อสร้างถนน คสล. ชุมชนศรีบุญเรือง", unit, budget, method, **kw
    )
    return p


def run_to_contract(svc, people, p, closes=TODAY - timedelta(days=20)):
    issue = svc.procurements.issue
    p = issue(people.mayor, p.id, p.version, "plan_entry", "k1", planned_month="2019-01")
    p = issue(
        people.mayor, p.id, p.version, "reference_price", "k2", price_satang=1_500_000_00, source="committee_formula"
    )
    p = issue(people.mayor, p.id, p.version, "invitation", "k3", opens_on=closes - timedelta(days=10), closes_on=closes)
    p = issue(people.mayor, p.id, p.version, "winner", "k4", winner=BIDDERS[0]["name"], agreed_satang=1_450_000_00,
              bidders=BIDDERS, reason="ราคาต่ำสุดและคุณสมบัติครบถ้วน")  # fmt: skip
    return issue(people.mayor, p.id, p.version, "contract", "k5", number="สัญญาเลขที่ 12/2562", signed_on=TODAY,
                 amount_satang=1_450_000_00)  # fmt: skip


def test_money_is_integer_satang_or_baht_text_never_float():
    assert parse_satang(150_000) == 150_000
    assert parse_satang("๑,๕๐๐,๐๐๐.๕๐ บาท") == 150_000_050
    assert parse_satang("1,500,000") == 150_000_000
    for bad in (1500.5, "1.005", "abc", -1, True):
        with pytest.raises(InvalidInput):
            parse_satang(bad)


def test_the_full_trail_with_publication_and_ocds(seeded, people):
    svc = seeded
    p = register(svc, people)
    p = run_to_contract(svc, people, p)
    issue = svc.procurements.issue
    p = issue(people.mayor, p.id, p.version, "inspection", "k6", inspect_on=TODAY + timedelta(days=30), time="09:30",
              place="ชุมชนศรีบุญเรือง")  # fmt: skip
    p = issue(people.mayor, p.id, p.version, "acceptance", "k7", accepted=True, note="")
    assert [n["kind"] for n in p.notices] == [
        "plan_entry", "reference_price", "invitation", "winner", "contract", "inspection", "acceptance",
    ]  # fmt: skip
    assert all(n["basis"]["kind"] == "position" for n in p.notices)
    assert p.warnings == []

    p = svc.procurements.publish(people.staff, p.id, p.version, 4, "website", "https://mukdahan.go.th/p/4")
    assert not p.published(4, svc.procurements.rules.min_channels)
    p = svc.procurements.publish(people.staff, p.id, p.version, 4, "notice_board", "บอร์ดหน้าสำนักงาน")
    assert p.published(4, 2)
    with pytest.raises(InvalidTransition):
        svc.procurements.publish(people.staff, p.id, p.version, 4, "website", "again")
    register_rows = svc.procurements.register_of_notices(ORG)
    assert register_rows[0]["announced_on"] >= register_rows[-1]["announced_on"]
    assert next(r for r in register_rows if r["kind"] == "winner")["published"] is True

    schema = json.loads((OCDS / "release-schema.json").read_text())
    releases = svc.ocds.releases(p.id)
    assert len(releases) == 7
    for release in releases:
        jsonschema.validate(release, schema, cls=jsonschema.Draft4Validator)
    record = svc.ocds.record(p.id)
    jsonschema.validate(record["compiledRelease"], schema, cls=jsonschema.Draft4Validator)
    compiled = record["compiledRelease"]
    assert compiled["tag"] == ["compiled"] and compiled["awards"][0]["value"]["amount"] == 1_450_000
    assert compiled["contracts"][0]["status"] == "terminated" and compiled["tender"]["numberOfTenderers"] == 3


def test_rules_that_refuse_write_nothing(seeded, people):
    svc = seeded
    before = svc.app.recorder.max_notification_id()
    with pytest.raises(RuleBroken):  # specific above 500,000 without a ground
        register(svc, people, method="specific")
    with pytest.raises(RuleBroken):
        register(svc, people, method="e_bidding", budget=400_000_00)
    with pytest.raises(RuleBroken):
        register(svc, people, method="e_market", budget=6_000_000_00)
    assert svc.app.recorder.max_notification_id() == before
    register(svc, people, "66019000009", method="specific", specific_ground="urgent")

    p = register(svc, people)
    issue = svc.procurements.issue
    with pytest.raises(RuleBroken):  # winner before any invitation
        issue(
            people.mayor,
            p.id,
            p.version,
            "winner",
            "w",
            winner=BIDDERS[0]["name"],
            agreed_satang=1,
            bidders=BIDDERS,
            reason="x",
        )
    with pytest.raises(RuleBroken):  # contract before the winner
        issue(people.mayor, p.id, p.version, "contract", "c", number="1", signed_on=TODAY, amount_satang=1)
    p = issue(
        people.mayor,
        p.id,
        p.version,
        "invitation",
        "i",
        opens_on=TODAY - timedelta(days=2),
        closes_on=TODAY + timedelta(days=5),
    )
    with pytest.raises(RuleBroken):  # the invitation has not closed yet
        issue(
            people.mayor,
            p.id,
            p.version,
            "winner",
            "w",
            winner=BIDDERS[0]["name"],
            agreed_satang=1,
            bidders=BIDDERS,
            reason="x",
        )
    mark = svc.app.recorder.max_notification_id()
    svc.clock.advance(days=6)
    with pytest.raises(RuleBroken):  # agreed price above the budget
        issue(people.mayor, p.id, p.version, "winner", "w", winner=BIDDERS[0]["name"], agreed_satang=1_600_000_00,
              bidders=BIDDERS, reason="x")  # fmt: skip
    with pytest.raises(StaleVersion):
        issue(people.mayor, p.id, p.version - 1, "cancellation", "c2", reason="x")
    with pytest.raises(NoAuthority):  # staff hold no power to sign notices
        issue(people.staff, p.id, p.version, "cancellation", "c3", reason="งบประมาณไม่พอ")
    with pytest.raises(NotFound):
        issue(people.mayor, p.id, p.version, "rumour", "r")
    assert svc.app.recorder.max_notification_id() == mark

    selective = register(svc, people, "66019000010", method="selective", budget=900_000_00)
    with pytest.raises(RuleBroken):  # selective needs ≥ 3 invited or a reason
        issue(people.mayor, selective.id, 1, "invitation", "s", opens_on=TODAY, closes_on=TODAY + timedelta(days=5),
              invited=["ก", "ข"])  # fmt: skip
    issue(people.mayor, selective.id, 1, "invitation", "s", opens_on=TODAY, closes_on=TODAY + timedelta(days=5),
          invited=["ก", "ข"], fewer_invited_reason="มีผู้ประกอบการในพื้นที่เพียง 2 ราย")  # fmt: skip


def test_idempotent_submissions_and_registration(seeded, people):
    svc = seeded
    p = register(svc, people)
    again = register(svc, people)
    assert again.id == p.id and again.version == p.version
    with pytest.raises(InvalidTransition):
        register(svc, people, budget=1_600_000_00)
    p = svc.procurements.issue(people.mayor, p.id, p.version, "plan_entry", "same-key", planned_month="2019-01")
    position = svc.app.recorder.max_notification_id()
    twice = svc.procurements.issue(people.mayor, p.id, p.version, "plan_entry", "same-key", planned_month="2019-01")
    assert twice.version == p.version and svc.app.recorder.max_notification_id() == position


def test_red_flags_are_shown_to_the_signer_acknowledged_and_recorded_for_auditors(seeded, people):
    svc = seeded
    issue = svc.procurements.issue
    seen = "ผู้ลงนามรับทราบ: ตรวจสอบเหตุผลประกอบแล้ว"
    for n in range(3):
        p = register(svc, people, f"6601900010{n}")
        p = issue(
            people.mayor, p.id, p.version, "reference_price", "r", price_satang=1_400_000_00, source="market_survey"
        )
        invitation = {"opens_on": TODAY - timedelta(days=10), "closes_on": TODAY - timedelta(days=8)}
        if n == 2:  # the signer is shown the flags first; signing without a note writes nothing
            mark = svc.app.recorder.max_notification_id()
            with pytest.raises(FlagsToAcknowledge) as shown:
                issue(people.mayor, p.id, p.version, "invitation", "i", **invitation)
            assert [f["rule"] for f in shown.value.details["red_flags"]] == ["short-posting"]
            assert svc.app.recorder.max_notification_id() == mark
        p = issue(people.mayor, p.id, p.version, "invitation", "i", **invitation, acknowledgement=seen)
        winner = {"winner": BIDDERS[0]["name"], "agreed_satang": 1_450_000_00, "bidders": BIDDERS[:1],
                  "reason": "รายเดียว"}  # fmt: skip
        preview = svc.procurements.red_flags(people.mayor, p.id, "winner", **winner)
        with pytest.raises(FlagsToAcknowledge) as shown:
            issue(people.mayor, p.id, p.version, "winner", "w", **winner)
        assert shown.value.details["red_flags"] == preview
        p = issue(people.mayor, p.id, p.version, "winner", "w", **winner, acknowledgement=seen)
    codes = [w["code"] for w in p.warnings]
    assert codes == ["short-posting", "above-reference-price", "single-bidder", "repeat-winner"]
    assert [f["rule"] for f in preview] == codes[1:]
    assert {(f["version"], f["acknowledgement"], f["by"]) for f in p.red_flags} == {(1, seen, people.mayor.username)}
    assert p.red_flags[1]["numbers"] == {"agreed_satang": 1_450_000_00, "reference_satang": 1_400_000_00}
    assert p.red_flags[1]["notices"] == [3] and p.notices[2]["kind"] == "winner"
    assert p.red_flags[3]["numbers"] == {"winner": BIDDERS[0]["name"], "wins": 3, "threshold": 3}
    types = [h["type"] for h in svc.history.events(people.auditor, p.id)]
    assert types.count("RedFlagRaised") == 4

    # The auditor's register: every flag of the organisation, newest first, by rule and unit, with its evidence
    register_ = svc.oversight.red_flags([ORG])
    assert len(register_) == 3 * 2 + 3 + 1  # each procurement: short posting, above reference, single; one repeat
    newest = register_[0]
    assert (newest["rule"], newest["rule_th"], newest["project_no"]) == ("repeat-winner", "ผู้ชนะรายเดิมซ้ำในหน่วยงานเดียว",
                                                                         "66019000102")  # fmt: skip
    assert newest["acknowledgement"] == seen and newest["signer"] == "mayor" and newest["unit"] == "กองช่าง"
    assert newest["evidence"] == {"procurement": f"/api/v1/procurements/{p.id}",
                                  "ocds_releases": f"/api/v1/procurements/{p.id}/ocds/releases",
                                  "ocds_release_id": "66019000102-03"}  # fmt: skip
    assert [f["project_no"] for f in svc.oversight.red_flags([ORG], rule="single-bidder")] == [
        "66019000102", "66019000101", "66019000100"]  # fmt: skip
    assert (
        svc.oversight.red_flags([ORG], unit="กองคลัง") == [] and svc.oversight.red_flags([ORG], fiscal_year=2561) == []
    )
    svc.projections.rebuild("red_flags")  # rebuilt from the log: the same register
    assert svc.oversight.red_flags([ORG]) == register_


def test_observers_and_the_monthly_summary(seeded, people):
    svc = seeded
    p = run_to_contract(svc, people, register(svc, people))
    p = svc.procurements.appoint_observer(people.clerk, p.id, p.version, name="นายชุมชน ตัวแทน", community="ชุมชนศรีบุญเรือง")
    p = svc.procurements.record_attendance(people.clerk, p.id, p.version, name="นายชุมชน ตัวแทน", stage="เปิดซอง")
    p = svc.procurements.record_remark(people.clerk, p.id, p.version, name="นายชุมชน ตัวแทน", text="ขั้นตอนโปร่งใส")
    with pytest.raises(InvalidInput):
        svc.procurements.record_remark(people.clerk, p.id, p.version, name="คนอื่น", text="x")
    assert p.observers[0]["remarks"] == ["ขั้นตอนโปร่งใส"]
    month = TODAY.strftime("%Y-%m")
    summary = svc.procurements.monthly_summary(ORG, month)
    (row,) = summary["items"]
    assert row["winner"] == BIDDERS[0]["name"] and row["contract_no"] == "สัญญาเลขที่ 12/2562"
    assert row["reference_price_satang"] == 1_500_000_00 and len(row["bidders"]) == 3
    content = svc.reports.build(ORG, "procurement-summary", month)
    csv_text = svc.reports.render(content, "csv").decode("utf-8-sig")
    assert "ชื่อรายการของงานที่ซื้อหรือจ้าง" in csv_text and "1,450,000.00" in csv_text
    assert svc.reports.render(content, "xlsx")[:2] == b"PK"
    assert svc.procurements.monthly_summary(ORG, "2018-01")["items"] == []


def test_the_plan_measure_must_be_one_of_the_same_organisation(seeded, people):
    from uuid import uuid4

    from domain.measure import Measure

    svc = seeded
    before = svc.app.recorder.max_notification_id()
    for wrong in (uuid4(), Measure.create_id("6540102", "2562-2564", "2.2.2-1", 2562)):
        with pytest.raises(InvalidInput):
            register(svc, people, no="66019000999", measure_id=wrong)
    assert svc.app.recorder.max_notification_id() == before
    ours = Measure.create_id(ORG, "2562-2564", "2.2.2-1", 2562)
    assert register(svc, people, no="66019000999", measure_id=ours).measure_id == ours


def test_a_pattern_across_procurements_is_in_the_register_as_soon_as_its_last_notice_is_signed(seeded, people):
    """Three purchases of one thing by one unit in a fortnight, 200,000 baht each: the third completes the
    splitting pattern, and the register shows it at once (no worker run), naming all three."""
    svc, issue = seeded, seeded.procurements.issue
    for n in range(3):
        p, _ = svc.procurements.register(people.clerk, ORG, f"6601900030{n}", f"จัดซื้อวัสดุไฟฟ้า ครั้งที่ {n + 1}",
                                         "สำนักปลัดเทศบาล", 200_000_00, "specific")  # fmt: skip
        p = issue(
            people.mayor, p.id, p.version, "reference_price", "r", price_satang=195_000_00, source="market_survey"
        )
        issue(people.mayor, p.id, p.version, "winner", "w", winner=f"ร้านไฟฟ้า {n}", agreed_satang=190_000_00,
              bidders=[{"name": f"ร้านไฟฟ้า {n}", "price_satang": 190_000_00}], reason="ราคาเหมาะสม")  # fmt: skip
        found = svc.oversight.red_flags([ORG], rule="contract-splitting")
        assert len(found) == (1 if n == 2 else 0)
    assert found[0]["numbers"]["procurements"] == ["66019000300", "66019000301", "66019000302"]
    assert found[0]["source"] == "pattern" and found[0]["project_no"] == "66019000302" and found[0]["notice"] == 2
    assert found[0]["rule_th"] == "แบ่งซื้อแบ่งจ้าง" and "600,000.00" in found[0]["message_th"]


def test_the_signers_preview_checks_a_notice_as_signing_would(seeded, people):
    """The preview and the signature build the notice's details with the same domain code: what signing would
    refuse, the preview refuses with the same words, and nothing is written either way."""
    svc = seeded
    p = register(svc, people, "66019000400")
    mark = svc.app.recorder.max_notification_id()
    backwards = {"opens_on": TODAY, "closes_on": TODAY - timedelta(days=1)}
    with pytest.raises(InvalidInput) as previewed:
        svc.procurements.red_flags(people.mayor, p.id, "invitation", **backwards)
    with pytest.raises(InvalidInput) as signed:
        svc.procurements.issue(people.mayor, p.id, p.version, "invitation", "i", **backwards)
    assert previewed.value.th == signed.value.th == "วันปิดรับต้องไม่ก่อนวันเปิดรับ"
    with pytest.raises(InvalidInput):
        svc.procurements.red_flags(people.mayor, p.id, "reference_price", price_satang=1, source="guessed")
    assert svc.app.recorder.max_notification_id() == mark
