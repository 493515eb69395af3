"""The web application in Debian's Chromium, driven by Playwright — as a clerk, an executive, a
citizen and an auditor would use it. Screenshots of the main pages go to a temporary folder, or to
docs/screenshots/ when PRONGSAI_SCREENSHOTS=docs (a test run leaves the work tree clean)."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from domain.measure import Measure
from domain.people import Role
from infrastructure.plan_parser import parse_plan
from interface.api.app import create_app
from tests.conftest import ORG

SHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("PRONGSAI_SCREENSHOTS") == "docs"
    else Path(tempfile.gettempdir()) / "prongsai-screenshots"
)
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "รหัสผ่านยาวพอสมควร-2562"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def site(services, seed_text) -> Iterator[tuple[str, object]]:
    if not Path(CHROMIUM).exists():
        if __import__("os").environ.get("CI"):
            pytest.fail("CI needs Debian's chromium for the browser tests")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    services.plans.import_plan(parse_plan(seed_text), ORG)
    for name, full, role in [
        ("somchai", "สมชาย ใจดี", Role.STAFF),
        ("mayor", "นายกฤษดา ผู้นำ", Role.EXECUTIVE),
        ("head", "นางวิไล หัวหน้า", Role.DIVISION_HEAD),
        ("clerk", "นายปลัด เทศบาล", Role.CLERK),
        ("auditor", "ผู้ตรวจ สตง.", Role.AUDITOR),
    ]:
        services.users.add(name, full, role, [ORG])
        services.users.set_password(name, PASSWORD)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", services
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{base}/" if username != "auditor" else f"{base}/audit")


def sign_out(page) -> None:
    page.get_by_role("button", name="ออกจากระบบ").click()


def act(page, summary: str, fill: dict[str, str] | None = None, button: str | None = None) -> None:
    """Open the action's form, fill it by label, press its button, and wait for the fresh page."""
    details = page.locator("details.action", has=page.locator("summary", has_text=summary))
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    for label, value in (fill or {}).items():
        details.get_by_label(label, exact=True).fill(value)
    details.get_by_role("button", name=button or summary).click()
    page.wait_for_load_state("load")
    assert page.locator(".error").count() == 0, page.locator(".error").inner_text()


def test_a_measure_from_submission_to_the_public_page(site, browser):
    base, svc = site
    mid = Measure.create_id(ORG, "2562-2564", "2.3.2", 2562)
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    sign_in(page, base, "somchai")
    shot(page, "01-dashboard")
    page.goto(f"{base}/plan?year=2562")
    assert page.get_by_role("link", name="มาตรการการมอบอำนาจอนุมัติ อนุญาต สั่งการ เพื่อลดขั้นตอนการปฏิบัติราชการ").count() == 1
    shot(page, "02-plan")
    page.goto(f"{base}/measures/{mid}")
    act(page, "เสนอขออนุมัติ", {"หมายเหตุ": "ขออนุมัติดำเนินมาตรการ"})
    assert page.locator("#status").inner_text() == "เสนอขออนุมัติ"
    sign_out(page)

    sign_in(page, base, "mayor")
    assert (
        page.get_by_role("link", name="2.3.2 มาตรการการมอบอำนาจอนุมัติ อนุญาต สั่งการ เพื่อลดขั้นตอนการปฏิบัติราชการ").count() == 1
    )
    page.goto(f"{base}/measures/{mid}")
    act(page, "อนุมัติ")
    sign_out(page)

    sign_in(page, base, "somchai")
    page.goto(f"{base}/measures/{mid}")
    act(page, "เริ่มดำเนินการ")
    for _ in range(4):
        act(page, "บันทึกขั้นตอน", {"เลขที่เอกสาร": "มห 52001/99", "ลิงก์เอกสาร (http/https)": "https://mukdahan.go.th/d/99"})
    shot(page, "03-measure-in-progress")
    sign_out(page)

    sign_in(page, base, "head")
    page.goto(f"{base}/measures/{mid}")
    act(page, "ปิดโครงการ")
    sign_out(page)

    sign_in(page, base, "clerk")
    page.goto(f"{base}/measures/{mid}")
    details = page.locator("details.action", has=page.locator("summary", has_text="รายงานผล"))
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    for field in details.locator("input[name$='.actual']").all():
        field.fill("ดำเนินการครบถ้วน")
    details.get_by_label("สรุปผลการดำเนินงาน").fill("ออกคำสั่งมอบอำนาจและแจ้งเวียนครบทุกกอง")
    details.get_by_role("button", name="รายงานผล").click()
    page.wait_for_load_state("load")
    act(page, "เผยแพร่")
    assert page.locator("#status").inner_text() == "เผยแพร่ต่อสาธารณะแล้ว"
    shot(page, "04-measure-published")

    public = browser.new_page(viewport={"width": 390, "height": 844})  # a citizen's phone
    public.goto(f"{base}/p/{ORG}")
    row = public.locator("#published tr", has_text="2.3.2")
    assert row.count() == 1 and "ออกคำสั่งมอบอำนาจ" in row.inner_text()
    assert "สมชาย" not in public.content() and "somchai" not in public.content()
    shot(public, "05-public-portal-phone")
    assert svc.measures.get(svc.users.get("auditor"), mid).published


def test_a_stale_form_shows_a_clear_message_and_the_fresh_state(site, browser):
    base, svc = site
    mid = Measure.create_id(ORG, "2562-2564", "1.2.1", 2562)
    page = browser.new_page()
    sign_in(page, base, "somchai")
    page.goto(f"{base}/measures/{mid}")
    svc.measures.submit(svc.users.get("head"), mid, 1, "ส่งก่อน")  # someone else acts first
    details = page.locator("details.action", has=page.locator("summary", has_text="เสนอขออนุมัติ"))
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    details.get_by_role("button", name="เสนอขออนุมัติ").click()
    page.wait_for_load_state("load")
    assert "มีผู้อื่นบันทึกข้อมูลนี้ก่อนแล้ว" in page.locator(".error").inner_text()
    assert page.locator("#status").inner_text() == "เสนอขออนุมัติ"


def test_a_citizen_complains_and_follows_the_case(site, browser):
    base, svc = site
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{base}/p/{ORG}/complaint")
    page.get_by_label("เรื่อง", exact=True).fill("ไฟถนนดับ ซอยสามัคคี")
    page.get_by_label("รายละเอียด").fill("ไฟถนนดับมาหนึ่งสัปดาห์ อันตรายตอนกลางคืน")
    page.get_by_label("ชื่อผู้ร้อง (ไม่บังคับ)").fill("นางสาวมะลิ ร้องเรียน")
    shot(page, "06-complaint-form-phone")
    page.get_by_role("button", name="ส่ง").click()
    code = page.locator("#tracking-code").inner_text().strip()
    assert len(code) == 29 and code.count("-") == 4
    shot(page, "07-complaint-received-phone")

    staff = browser.new_page()
    sign_in(staff, base, "somchai")
    staff.goto(f"{base}/complaints")
    staff.get_by_role("link", name=svc.complaints.list(ORG)[0].case_no).click()
    assert "มะลิ" not in staff.content()  # the identity stays sealed
    act(staff, "แจ้งตอบรับ", {"ข้อความ": "รับเรื่องแล้ว จะส่งช่างไฟฟ้าตรวจสอบภายใน 3 วัน"})

    page.goto(f"{base}/track")
    page.get_by_label("รหัสติดตาม").fill(code)
    page.get_by_role("button", name="ค้นหา").click()
    page.locator("#case").wait_for()
    assert "แจ้งตอบรับแล้ว" in page.locator("#case").inner_text()
    assert "ส่งช่างไฟฟ้า" in page.locator("#case").inner_text()
    shot(page, "08-tracking-phone")
    page.get_by_label("รหัสติดตาม").fill("x" * 40)
    page.get_by_role("button", name="ค้นหา").click()
    page.locator("#result .error").wait_for()


def test_the_auditor_view_and_sign_in_lockout(site, browser):
    base, svc = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, "auditor")
    assert page.locator("h1").inner_text().startswith("ตรวจสอบ")
    from infrastructure.worker import Worker

    Worker(svc).issue_checkpoint()  # the worker's hourly job: sign a checkpoint, verify the log, keep the outcome
    page.goto(f"{base}/audit?aggregate_type=Plan&reason=ตรวจประจำปี")
    assert "ตรงกับจุดรับรองที่ลงนาม" in page.content() and "ตรวจเมื่อ" in page.content()
    shot(page, "09-auditor-view")
    page.get_by_role("link", name="แผนปฏิบัติการ").last.click()
    assert "นำเข้าแผนปฏิบัติการ" in page.content()

    other = browser.new_page()
    for _ in range(5):
        other.goto(f"{base}/login")
        other.get_by_label("ชื่อผู้ใช้").fill("head")
        other.get_by_label("รหัสผ่าน").fill("wrong-password-123")
        other.get_by_role("button", name="เข้าสู่ระบบ").click()
    other.goto(f"{base}/login")
    other.get_by_label("ชื่อผู้ใช้").fill("head")
    other.get_by_label("รหัสผ่าน").fill(PASSWORD)
    other.get_by_role("button", name="เข้าสู่ระบบ").click()
    assert "ล็อก" in other.locator(".error").inner_text()  # locked even with the right password


def test_delegation_orders_follow_the_same_list_detail_action_pattern(site, browser):
    base, svc = site

    today = svc.measures.today()
    scope = {"power": "approve", "action": "approve-measure", "unit": "*", "ceiling_satang": None}
    d = svc.delegations.draft(svc.users.get("clerk"), ORG, "15/2569", today, "mayor", "head", [scope], today)
    page = browser.new_page()
    sign_in(page, base, "mayor")
    page.goto(f"{base}/delegations")
    page.get_by_role("link", name="15/2569").click()
    act(page, "ลงนามคำสั่ง")
    act(page, "แจ้งเวียน", {"ผู้รับแจ้งเวียน (คั่นด้วย ,)": "กองคลัง, สำนักปลัด"})
    act(page, "เผยแพร่ต่อสาธารณะ")
    assert svc.delegations.get(svc.users.get("mayor"), d.id).status.value == "published"
    page.goto(f"{base}/p/{ORG}")
    assert "15/2569" in page.content() and "นางวิไล หัวหน้า" in page.content()
