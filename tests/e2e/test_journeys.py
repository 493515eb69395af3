"""Whole jobs done in Chromium, as the people who do them would: a clerk drafts a delegation order and the
mayor signs it; a procurement runs from registration to acceptance with two publication channels; a
misconduct complaint goes from intake through discipline to its end, with an identity disclosed; and an
auditor finds all of it. Screenshots go to a temporary folder (or docs/screenshots with `make screenshots`).
"""

from __future__ import annotations

import re

from tests.conftest import ORG
from tests.e2e.test_browser import browser, shot, sign_in, sign_out, site  # noqa: F401 (fixtures)


def do(page, summary: str, fields: dict[str, object] | None = None, button: str | None = None,
       refused: bool = False) -> str:  # fmt: skip
    """Open the form under ``summary``, fill it (by label, or by ``#id``; selects by value, checkboxes by
    bool), press its button and wait for the fresh page, which must show no problem (or, ``refused``, must
    show one: its text is returned)."""
    details = page.locator("details.action", has=page.locator("summary", has_text=summary)).first
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    for key, value in (fields or {}).items():
        field = details.locator(key) if key.startswith("#") else details.get_by_label(key, exact=True)
        tag = field.evaluate("e => e.tagName.toLowerCase() + (e.type ? ':' + e.type : '')")
        if tag.startswith("select"):
            field.select_option(str(value))
        elif tag == "input:checkbox":
            field.set_checked(bool(value))
        else:
            field.fill(str(value))
    details.get_by_role("button", name=button or summary).click()
    page.wait_for_load_state("load")
    problems = page.locator(".error-summary, .error")
    if refused:
        assert problems.count() > 0, "the form was expected to be refused"
        return problems.first.inner_text()
    assert problems.count() == 0, problems.first.inner_text()
    return ""


def test_a_clerk_drafts_an_order_and_the_mayor_signs_it(site, browser):  # noqa: F811
    base, svc = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, "clerk")
    page.goto(f"{base}/delegations")
    scope = {"#draft-scopes-0-power": "approve", "#draft-scopes-0-action": "approve-measure",
             "#draft-scopes-0-unit": "กองการศึกษา", "#draft-scopes-0-ceiling-satang": "50,000"}  # fmt: skip
    do(page, "ร่างคำสั่งมอบอำนาจ", {"เลขที่คำสั่ง": "15/2562", "ลงวันที่": "1/6/2562", "ผู้มอบอำนาจ": "mayor",
       "ผู้รับมอบอำนาจ": "head", **scope, "มีผลตั้งแต่": "1/6/2562"})  # fmt: skip
    assert page.locator("#status").inner_text() == "ร่าง (ยังไม่ลงนาม)"
    assert "หลักสี่ตา" in page.locator(".withheld").inner_text()  # the drafter may not sign it
    shot(page, "10-delegation-drafted")
    sign_out(page)

    sign_in(page, base, "mayor")
    page.get_by_role("link", name="คำสั่งรอลงนาม 15/2562").click()
    do(page, "ลงนามคำสั่ง", {"เหตุผลที่มีผลย้อนหลัง (ถ้ามี)": "คำสั่งลงนามในกระดาษเมื่อ 1 มิ.ย. 2562"})
    assert page.locator("#status").inner_text() == "ลงนามแล้ว"
    timeline = page.locator("table.timeline").inner_text()
    assert "ลงนามคำสั่ง" in timeline and "นายกฤษดา ผู้นำ" in timeline and "อำนาจตามตำแหน่ง" in timeline
    shot(page, "11-delegation-signed")


def test_a_procurement_from_registration_to_acceptance(site, browser):  # noqa: F811
    base, svc = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, "somchai")
    page.goto(f"{base}/procurements")
    do(page, "บันทึกโครงการจัดซื้อจัดจ้าง", {"เลขที่โครงการ (e-GP)": "62019001234",
       "ชื่อโครงการ": "ก่อสร้างถนน คสล. ชุมชนศรีบุญเรือง", "หน่วยงานเจ้าของโครงการ": "กองช่าง",
       "วงเงินงบประมาณ (บาท)": "1,500,000", "วิธีจัดหา": "e_bidding"})  # fmt: skip
    url = page.url
    assert "ลงนามประกาศ" not in page.content() or "หลักสี่ตา" in page.locator(".withheld").inner_text()
    sign_out(page)

    sign_in(page, base, "mayor")
    page.goto(url)
    assert page.locator("#do-contract").count() == 0  # no contract before a winner
    do(page, "ประกาศเผยแพร่แผนการจัดซื้อจัดจ้าง", {"เดือนที่คาดว่าจะจัดหา": "1/2562"})
    do(page, "ประกาศราคากลาง", {"ราคากลาง (บาท)": "1,460,000", "ที่มาของราคากลาง": "committee_formula"})
    do(page, "ประกาศเชิญชวน", {"วันเริ่มรับข้อเสนอ": "1/6/2562", "วันปิดรับข้อเสนอ": "10/6/2562"})
    award = {"#winner-bidders-0-name": "หจก.มุกดาก่อสร้าง", "#winner-bidders-0-price-satang": "1,450,000",
             "#winner-bidders-1-name": "บจก.โขงวิศวกรรม", "#winner-bidders-1-price-satang": "1,480,000",
             "ผู้ชนะ": "หจก.มุกดาก่อสร้าง", "ราคาที่ตกลง (บาท)": "1,450,000",
             "เหตุผลที่คัดเลือก": "ราคาต่ำสุด คุณสมบัติครบ"}  # fmt: skip
    # Two bids, the winner at 99.3 % of the reference price: the mayor is shown the red flags before signing,
    # and signs with a note acknowledging them (recorded with the flags).
    shown = do(page, "ประกาศผู้ชนะ", award, refused=True)
    assert "ข้อสังเกต" in shown and "ใกล้ราคากลางมาก" in shown and "น้อยกว่า 3 ราย" in shown
    shot(page, "12a-procurement-red-flags")
    do(page, "ประกาศผู้ชนะ", {**award, "บันทึกรับทราบข้อสังเกต (red flag) ถ้ามี": "ผู้รับจ้างในพื้นที่มีน้อยราย ตรวจราคาต่อหน่วยแล้ว"})
    assert "ผู้รับจ้างในพื้นที่มีน้อยราย" in page.content()  # the acknowledgement is on the record
    sign_out(page)

    sign_in(page, base, "somchai")
    page.goto(url)
    for channel in ("website", "notice_board"):
        do(page, "บันทึกการเผยแพร่ประกาศ", {"ประกาศ": "4", "ช่องทาง": channel, "อ้างอิง (ลิงก์/เลขที่)": "ประกาศ 4"})
    sign_out(page)

    sign_in(page, base, "mayor")
    page.goto(url)
    do(page, "บันทึกสัญญา", {"เลขที่สัญญา": "สัญญาเลขที่ 12/2562", "วันที่ลงนามสัญญา": "30/6/2562",
       "มูลค่าสัญญา (บาท)": "1,450,000"})  # fmt: skip
    do(page, "กำหนดการตรวจรับ", {"วันตรวจรับ": "30/7/2562", "เวลา (HH:MM)": "09:30", "สถานที่": "ชุมชนศรีบุญเรือง"})
    do(page, "บันทึกผลการตรวจรับ", {"รับมอบงาน": True})
    assert page.locator("#status").inner_text() == "ตรวจรับเสร็จสิ้น"
    shot(page, "12-procurement-accepted")

    page.goto(f"{base}/p/{ORG}")
    winner = page.locator("tr", has=page.locator("td", has_text="ประกาศผู้ชนะการเสนอราคา")).inner_text()
    assert "เว็บไซต์" in winner and "บอร์ดประกาศ" in winner  # published on both channels, in words


def test_a_misconduct_complaint_through_discipline_with_an_identity_disclosed(site, browser):  # noqa: F811
    base, svc = site
    citizen = browser.new_page(viewport={"width": 390, "height": 844})
    citizen.goto(f"{base}/p/{ORG}/complaint")
    citizen.get_by_label("แจ้งเบาะแสการทุจริต/ประพฤติมิชอบ").check()
    citizen.get_by_label("เรื่อง", exact=True).fill("เรียกรับเงินค่าตรวจรับงาน")
    citizen.get_by_label("รายละเอียด").fill("เจ้าหน้าที่พัสดุเรียกเงิน 5,000 บาท ก่อนตรวจรับงาน")
    citizen.get_by_label("ชื่อผู้ร้อง (ไม่บังคับ)").fill("นายแจ้ง เบาะแส")
    citizen.get_by_role("button", name="ส่ง").click()
    code = citizen.locator("#tracking-code").inner_text().strip()
    case = svc.complaints.by_code(code)

    mayor = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(mayor, base, "mayor")
    mayor.get_by_role("link", name=case.case_no).first.click()  # the new complaints inbox
    do(mayor, "สืบสวนข้อเท็จจริง", {"ผู้สืบสวนข้อเท็จจริง": "นายนิติ กรพัสดุ"})
    do(mayor, "สรุปผลการสืบสวน", {"มีมูล": True, "สรุปผลการสืบสวน": "มีพยานสองปาก"})
    do(mayor, "ตั้งคณะกรรมการสอบสวน", {"ระดับความผิด": "minor", "#open-inquiry-committee": "นาย ก, นาย ข, นาย ค"})
    do(mayor, "บันทึกผลการสอบสวน", {"ผิดวินัย": True, "ผลการสอบสวน": "ผิดวินัยไม่ร้ายแรง"})
    do(mayor, "สั่งลงโทษหรือยกข้อกล่าวหา", {"โทษ (เว้นว่างเมื่อไม่ผิด)": "salary_cut"})
    do(mayor, "บันทึกคำอุทธรณ์", {"คำอุทธรณ์": "ผู้ถูกลงโทษอุทธรณ์"})
    do(mayor, "ยุติขั้นตอนทางวินัย", {"ผลที่สุด": "ยืนตามคำสั่งเดิม"})
    do(mayor, "อนุญาตให้เจ้าหน้าที่เห็นตัวผู้ร้อง", {"เจ้าหน้าที่ผู้รับผิดชอบที่จะเห็นตัวผู้ร้อง": "somchai",
       "เหตุผลที่ต้องเปิดเผย": "ต้องติดต่อผู้ร้องเพื่อแจ้งผล"})  # fmt: skip
    do(mayor, "ตอบผล", {"ผลการดำเนินการที่แจ้งผู้ร้อง": "ดำเนินการทางวินัยแล้ว"})
    assert mayor.locator("#status").inner_text() == "ตอบผลการดำเนินการแล้ว"
    shot(mayor, "13-misconduct-decided")

    staff = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(staff, base, "somchai")
    staff.goto(mayor.url)
    assert "นายแจ้ง" not in staff.content()
    staff.get_by_text("เปิดดูข้อมูลผู้ร้อง").first.click()
    staff.get_by_label("เหตุผลในการเปิดดู").fill("โทรแจ้งผลการดำเนินการ")
    staff.get_by_role("button", name="เปิดดูข้อมูลผู้ร้อง").click()
    assert "นายแจ้ง เบาะแส" in staff.locator(".identity").inner_text()
    staff.goto(mayor.url)
    assert "นายแจ้ง" not in staff.content()  # on that answer only: the case page does not keep it

    citizen.goto(f"{base}/track")
    citizen.get_by_label("รหัสติดตาม").fill(code.lower())
    citizen.get_by_role("button", name="ค้นหา").click()
    citizen.locator("#case").wait_for()
    assert "ดำเนินการทางวินัยแล้ว" in citizen.locator("#case").inner_text()


def test_the_auditor_finds_all_of_it(site, browser):  # noqa: F811
    base, svc = site
    test_a_clerk_drafts_an_order_and_the_mayor_signs_it(site, browser)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, "auditor")
    page.goto(f"{base}/audit?aggregate_type=Delegation&reason=ตรวจประจำปี")
    log = page.locator("table").last.inner_text()
    assert "ลงนามคำสั่ง" in log and "ร่างคำสั่ง" in log and "นายปลัด เทศบาล" in log
    assert re.search(r"\d{1,2} มิถุนายน 2562 \d\d:\d\d น\.", log)  # Bangkok time, BE
    page.locator("table").last.get_by_role("link", name="คำสั่งมอบอำนาจ").first.click()
    assert "คำสั่งมอบอำนาจ 15/2562" in page.locator("h1").inner_text()
    page.get_by_label("ดูสถานะ ณ วันที่").fill("2019-06-30")
    page.get_by_role("button", name="ค้นหา").click()
    assert "ลงนามคำสั่ง" in page.locator("table.timeline").inner_text()
    shot(page, "14-auditor-as-of")
    with page.expect_download() as download:
        page.goto(f"{base}/audit")
        page.get_by_role("link", name=re.compile("ดาวน์โหลด")).click()
    assert download.value.suggested_filename == "prongsai-log.jsonl"


def test_the_pages_people_use_pass_axe(site, browser):  # noqa: F811
    """axe-core (WCAG 2 A/AA rules) on the public pages and the desk pages of every kind of record."""
    from axe_playwright_python.sync_playwright import Axe

    base, svc = site
    test_a_procurement_from_registration_to_acceptance(site, browser)
    axe = Axe()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    urls = ["/", f"/p/{ORG}", f"/p/{ORG}/plan", f"/p/{ORG}/complaint", "/track", "/login"]
    measure = svc.measures.list(ORG, 2562)[0]
    urls.append(f"/p/{ORG}/measures/{measure.id}")
    problems = []

    def check(url: str) -> None:
        page.goto(f"{base}{url}")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
        problems.extend(f"{url}: {v['id']} ({len(v['nodes'])}) {v['help']}" for v in results.response["violations"])

    for url in urls:
        check(url)
    sign_in(page, base, "mayor")
    procurement = svc.procurements.list(ORG)[0]
    desk = ["/", "/plan", f"/measures/{measure.id}", "/delegations", "/procurements", "/complaints", "/audit"]
    for url in [*desk, f"/procurements/{procurement.id}"]:
        check(url)
    assert not problems, "\n".join(problems)
