"""Complaints: intake, the 15-day promise, the disciplinary track and protected identities."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from domain.complaint import State
from domain.errors import InvalidInput, InvalidTransition, NoAuthority, NotFound, NotPermitted, RuleBroken
from tests.conftest import ORG, TODAY

pytestmark = pytest.mark.store

SOMCHAI = {"name": "นายสมชาย ร้องเรียนดี", "phone": "0812345678", "address": "12 ถ.สำราญชายโขง"}
ACCUSED = {"name": "นายทุจริต มิชอบ", "position": "นักวิชาการพัสดุ", "unit": "กองคลัง"}


def submit(svc, **kw):
    values = dict(
        org_code=ORG,
        channel="web",
        category="general",
        subject="ไฟส่องสว่างดับ",
        description="ไฟถนนหน้าบ้านดับมา 2 สัปดาห์",
        complainant=SOMCHAI,
    )
    values.update(kw)
    return svc.complaints.submit(**values)


def test_general_complaint_life_and_tracking(seeded, people):
    svc = seeded
    c, code = submit(svc)
    assert c.case_no.startswith("2562/") and c.due_on == TODAY + timedelta(days=15)
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{5}-){4}[0-9A-HJKMNP-TV-Z]{5}", code)  # 125 bits, read aloud in groups
    assert c.personal and "สมชาย" not in c.personal and not c.anonymous
    seen = svc.complaints.track(code)
    assert seen["state"] == "received" and "สมชาย" not in str(seen)
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")  # as read over the phone
    assert svc.complaints.track(typed)["case_no"] == c.case_no

    c = svc.complaints.acknowledge(people.staff, c.id, c.version, "ได้รับเรื่องแล้ว จะดำเนินการภายใน 15 วัน")
    c = svc.complaints.assign(people.clerk, c.id, c.version, "กองช่าง", "head")
    c = svc.complaints.post_notice(people.head, c.id, c.version, "ส่งช่างไฟฟ้าตรวจสอบแล้ว")
    c = svc.complaints.post_notice(people.head, c.id, c.version, "บันทึกลับ: รออะไหล่", public=False)
    c = svc.complaints.resolve(people.mayor, c.id, c.version, "ซ่อมไฟถนนเรียบร้อยแล้ว")
    assert c.answer["basis"]["kind"] == "position"
    seen = svc.complaints.track(code)
    assert seen["state"] == "resolved" and "บันทึกลับ" not in str(seen)
    assert [n["kind"] for n in seen["notices"]] == ["acknowledgement", "progress", "answer"]

    assert svc.complaints.object(code, "ไฟยังดับอยู่")["state"] == "in_progress"
    c = svc.complaints.get(people.clerk, c.id)
    c = svc.complaints.resolve(people.mayor, c.id, c.version, "เปลี่ยนโคมใหม่แล้ว")
    c = svc.complaints.close(people.clerk, c.id, c.version)
    with pytest.raises(InvalidTransition):  # a notice on a closed case
        svc.complaints.post_notice(people.head, c.id, c.version, "ข้อความ")
    with pytest.raises(NotFound):
        svc.complaints.track("x" * 32)
    with pytest.raises(NotFound):
        svc.complaints.track("short")


def test_anonymous_complaint_and_bad_input_write_nothing(seeded, people):
    svc = seeded
    c, _ = submit(svc, complainant=None, channel="phone")
    assert c.anonymous and c.personal is None
    before = svc.app.recorder.max_notification_id()
    bad = [
        dict(subject=""),
        dict(description="ก" * 10_001),
        dict(channel="pigeon"),
        dict(category="gossip"),
        dict(org_code="0000000"),
        dict(attachments=[{"filename": "big.pdf", "content": b"0" * 5_000_001}]),
        dict(attachments=[{"filename": f"{i}.txt", "content": b"x"} for i in range(6)]),
        dict(accused_role="king"),
    ]
    for kw in bad:
        with pytest.raises((InvalidInput, NotFound)):
            submit(svc, **kw)
    assert svc.app.recorder.max_notification_id() == before


def test_fifteen_day_clock_overdue_and_explanation(seeded, people):
    svc = seeded
    c, _ = submit(svc)
    with pytest.raises(InvalidTransition):
        svc.complaints.explain_delay(people.clerk, c.id, c.version, "ยังไม่เกินกำหนด")
    svc.clock.advance(days=16)
    assert [o.id for o in svc.complaints.overdue(ORG)] == [c.id]
    c = svc.complaints.explain_delay(people.clerk, c.id, c.version, "ต้องรองบประมาณซ่อมแซม")
    assert c.delay_explained
    c = svc.complaints.resolve(people.mayor, c.id, c.version, "ซ่อมแล้ว")
    stats = svc.complaints.statistics(ORG, date(2018, 10, 1), date(2019, 9, 30))
    assert stats["received"] == 1 and stats["answered_late"] == 1 and stats["median_days_to_answer"] == 16
    assert stats["by_channel"]["web"] == 1 and stats["overdue"] == 0
    assert "สมชาย" not in str(stats)


def test_working_day_clock_skips_weekends_and_holidays():
    from domain.complaint import deadline_from

    friday = date(2019, 6, 28)
    assert deadline_from(friday, 1, True, frozenset()) == date(2019, 7, 1)
    assert deadline_from(friday, 1, True, frozenset({date(2019, 7, 1)})) == date(2019, 7, 2)
    assert deadline_from(friday, 15, False, frozenset()) == date(2019, 7, 13)


def test_misconduct_track_needs_authority_and_follows_its_order(seeded, people):
    svc = seeded
    c, code = submit(svc, category="misconduct", accused=ACCUSED, accused_role="staff",
                     subject="เรียกรับเงินค่าตรวจรับงาน", description="เจ้าหน้าที่เรียกเงิน 5,000 บาท")  # fmt: skip
    assert c.personal_fields == [
        "accused.name", "accused.position", "accused.unit",
        "complainant.address", "complainant.name", "complainant.phone",
    ]  # fmt: skip
    with pytest.raises(InvalidTransition):  # answer only after the disciplinary track
        svc.complaints.resolve(people.mayor, c.id, c.version, "ยุติ")
    with pytest.raises(NoAuthority):
        svc.complaints.discipline(people.head, c.id, c.version, "start-fact-finding", officer="นิติกร")
    step = svc.complaints.discipline
    c = step(people.mayor, c.id, c.version, "start-fact-finding", officer="นิติกร")
    with pytest.raises(InvalidTransition):
        step(people.mayor, c.id, c.version, "record-finding", guilty=True, summary="ผิด")
    c = step(people.mayor, c.id, c.version, "conclude-fact-finding", has_substance=True, summary="มีมูล")
    with pytest.raises(InvalidInput):
        step(people.mayor, c.id, c.version, "open-inquiry", level="minor", committee=["ก", "ข"])
    c = step(people.mayor, c.id, c.version, "open-inquiry", level="minor", committee=["ก", "ข", "ค"])
    c = step(people.mayor, c.id, c.version, "record-finding", guilty=True, summary="ผิดวินัยไม่ร้ายแรง")
    with pytest.raises(RuleBroken):  # a serious penalty after a minor inquiry
        step(people.mayor, c.id, c.version, "decide", penalty="dismissal")
    c = step(people.mayor, c.id, c.version, "decide", penalty="salary_cut")
    assert c.discipline["appeal_until"] == TODAY + timedelta(days=30)
    with pytest.raises(RuleBroken):
        step(people.mayor, c.id, c.version, "finalise", outcome="ถึงที่สุด")
    c = svc.complaints.appeal(people.staff, c.id, c.version, "ขออุทธรณ์คำสั่ง")
    c = step(people.mayor, c.id, c.version, "finalise", outcome="ยืนตามคำสั่งเดิม")
    c = svc.complaints.resolve(people.mayor, c.id, c.version, "ดำเนินการทางวินัยแล้ว")
    assert c.state is State.RESOLVED
    history = [h["type"] for h in svc.history.events(people.auditor, c.id)]
    assert history.count("DisciplinaryDecision") == 1 and "Appealed" in history


def test_complaints_against_the_mayor_are_referred_outside(seeded, people):
    svc = seeded
    c, _ = submit(svc, category="misconduct", accused={"name": "นายก", "position": "นายกเทศมนตรี"},
                  accused_role="executive")  # fmt: skip
    for action in (
        lambda: svc.complaints.resolve(people.mayor, c.id, c.version, "ไม่มีมูล"),
        lambda: svc.complaints.discipline(people.mayor, c.id, c.version, "start-fact-finding", officer="x"),
    ):
        with pytest.raises(RuleBroken):
            action()
    c = svc.complaints.refer_outside(people.clerk, c.id, c.version, "สำนักงาน ป.ป.ช. ประจำจังหวัดมุกดาหาร")
    assert c.state is State.REFERRED


def test_identities_are_protected_every_read_recorded_and_erasure_shreds(seeded, people, store_url):
    svc = seeded
    c, code = submit(svc, category="misconduct", accused=ACCUSED, accused_role="staff",
                     attachments=[{"filename": "หลักฐาน.txt", "content": "โอนเงินให้ นายทุจริต".encode()}])  # fmt: skip
    c = svc.complaints.assign(people.clerk, c.id, c.version, "กองคลัง", "head")
    for who in ("staff", "head", "deputy"):
        with pytest.raises(NotPermitted):
            svc.complaints.identity(getattr(people, who), c.id, "อยากรู้")
    with pytest.raises(InvalidInput):
        svc.complaints.identity(people.clerk, c.id, "")  # a reason is required
    data = svc.complaints.identity(people.clerk, c.id, "ตรวจสอบข้อเท็จจริงเบื้องต้น")
    assert data["complainant"]["name"] == SOMCHAI["name"] and data["accused"]["unit"] == "กองคลัง"
    c = svc.complaints.get(people.clerk, c.id)
    with pytest.raises(NotPermitted):  # attachments follow the identity's disclosure rules
        svc.complaints.attachment(people.head, c.id, c.attachments[0]["sha256"], "อยากดู")
    for nobody in ("ghost", "outsider", "auditor"):  # unknown, another organisation's, not a handler
        with pytest.raises(InvalidInput):
            svc.complaints.disclose_to(people.clerk, c.id, c.version, nobody, "ส่งต่อ")
    c = svc.complaints.disclose_to(people.clerk, c.id, c.version, "head", "ต้องสอบถามผู้ร้องโดยตรง")
    assert svc.complaints.attachment(people.head, c.id, c.attachments[0]["sha256"], "สอบปากคำ")[1]
    assert svc.complaints.identity(people.head, c.id, "นัดสอบปากคำ")["complainant"]["phone"] == "0812345678"
    listed, content = svc.complaints.attachment(people.auditor, c.id, c.attachments[0]["sha256"], "ตรวจหลักฐาน")
    assert content.decode().startswith("โอนเงิน")
    reads = [h for h in svc.history.events(people.auditor, c.id) if h["type"] == "PersonalDataRead"]
    assert [(r["actor"]["username"], r["changes"]["reason"]) for r in reads] == [
        ("clerk", "ตรวจสอบข้อเท็จจริงเบื้องต้น"),
        ("head", "สอบปากคำ"),
        ("head", "นัดสอบปากคำ"),
        ("auditor", "ตรวจหลักฐาน"),
    ]

    c = svc.complaints.get(people.clerk, c.id)
    with pytest.raises(RuleBroken):  # retention not yet over
        svc.complaints.erase(people.clerk, c.id, c.version, "ครบกำหนด")
    svc.clock.advance(days=3651)
    wrapped = svc.read_models.query("SELECT wrapped FROM personal_data_keys WHERE subject_id = ?", (str(c.id),))[0][0]
    checkpoint = svc.oversight.issue_checkpoint()
    c = svc.complaints.erase(people.clerk, c.id, c.version, "พ้นระยะเวลาเก็บรักษา 10 ปี")
    with pytest.raises(InvalidTransition):
        svc.complaints.identity(people.clerk, c.id, "ดูอีกครั้ง")
    with pytest.raises(InvalidTransition):
        svc.complaints.attachment(people.clerk, c.id, c.attachments[0]["sha256"], "ดูอีกครั้ง")
    assert svc.complaints.track(code)["state"] == "assigned"  # the case and its log remain
    assert svc.oversight.verify(checkpoint)["ok"]  # the audit trail is intact

    if store_url.startswith("sqlite"):
        path = Path(store_url[len("sqlite:///") :])
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())
        for secret in (SOMCHAI["name"], SOMCHAI["phone"], ACCUSED["name"], "โอนเงินให้"):
            assert secret.encode() not in raw, secret
        assert bytes(wrapped) not in raw  # the key itself is gone from the file (and its WAL)
        assert re.search(rb"PersonalDataErased", raw)


def test_complaint_statistics_are_a_scheduled_report_without_personal_data(seeded, people):
    svc = seeded
    submit(svc)
    submit(svc, complainant=None, channel="letter", category="misconduct")
    content = svc.reports.build(ORG, "complaint-statistics", "2562-r12")
    general, misconduct = content["statistics"]["general"], content["statistics"]["misconduct"]
    assert general["received"] == 1 and general["by_channel"]["web"] == 1
    assert misconduct["received"] == 1 and misconduct["by_channel"]["letter"] == 1
    for fmt in ("csv", "xlsx", "pdf"):
        assert SOMCHAI["name"].encode() not in svc.reports.render(content, fmt)
    published = svc.reports.publish(ORG, "complaint-statistics", "2562-r12")
    assert (
        svc.reports.published(ORG, "complaint-statistics", "2562-r12")[0]["content_hash"] == published["content_hash"]
    )
    kinds = {e["report"] for e in svc.reports.schedule(ORG)}
    assert "complaint-statistics" in kinds
