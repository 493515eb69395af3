"""Web sessions that end when you sign out, public forms that need no session and lose nothing, and
tracking codes a person can read over the phone."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from interface.api.app import create_app
from tests.conftest import ORG
from tests.world import PASSWORD, client_for


def token_of(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_signing_out_ends_the_session_for_good(town):
    svc, world, _ = town
    client = client_for(svc, "staff")
    old = client.cookies.get("prongsai_session")
    assert client.get("/").status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
    assert client.post("/logout", data={"csrf": csrf}).status_code == 303
    stranger = TestClient(create_app(svc), follow_redirects=False)
    stranger.cookies.set("prongsai_session", old)  # the cookie as it was before signing out
    assert stranger.get(f"/measures/{world.ids['measures']['planned']}").status_code == 303  # → sign-in


def test_signing_in_issues_a_new_session_id(town):
    svc, _, _ = town
    client = TestClient(create_app(svc), follow_redirects=False)
    client.cookies.set("lang", "en")
    client.get("/lang/th")  # a pre-login session id, e.g. one planted by someone else
    before = client.cookies.get("prongsai_session")
    page = client.get("/login").text
    client.post("/login", data={"form_token": token_of(page), "username": "staff", "password": PASSWORD})
    assert client.cookies.get("prongsai_session") and client.cookies.get("prongsai_session") != before


def test_anonymous_pages_start_no_session(town):
    svc, _, _ = town
    client = TestClient(create_app(svc), follow_redirects=False)
    for url in ("/", f"/p/{ORG}", f"/p/{ORG}/complaint", "/track", "/login"):
        answer = client.get(url)
        assert answer.status_code == 200 and "prongsai_session" not in answer.headers.get("set-cookie", ""), url


def test_a_public_complaint_needs_no_session_and_a_refusal_keeps_everything(town):
    svc, _, _ = town
    client = TestClient(create_app(svc), follow_redirects=False)
    token = token_of(client.get(f"/p/{ORG}/complaint").text)
    client.cookies.clear()  # cleared or expired cookies: the form still works
    typed = {"form_token": token, "category": "misconduct", "subject": "", "description": "เรียกรับเงิน",
             "name": "นายแจ้ง เบาะแส", "phone": "0812345678"}  # fmt: skip
    refused = client.post(f"/p/{ORG}/complaint", data=typed)
    assert refused.status_code == 422
    html = refused.text
    assert 'value="misconduct" checked' in html  # a whistleblower stays a whistleblower
    assert 'value="นายแจ้ง เบาะแส"' in html and 'value="0812345678"' in html and "เรียกรับเงิน" in html
    assert 'href="#subject"' in html and 'aria-invalid="true"' in html  # the summary links to the field
    done = client.post(f"/p/{ORG}/complaint", data={**typed, "subject": "เรียกรับเงินค่าตรวจรับ"})
    assert done.status_code == 200 and 'id="tracking-code"' in done.text and f'href="/p/{ORG}"' in done.text


def test_an_expired_public_form_keeps_what_was_typed(town):
    svc, _, _ = town
    client = TestClient(create_app(svc), follow_redirects=False)
    typed = {"form_token": "forged.token", "category": "general", "subject": "ไฟดับ", "description": "ไฟดับทั้งซอย"}
    refused = client.post(f"/p/{ORG}/complaint", data=typed)
    assert refused.status_code == 401 and "ไฟดับทั้งซอย" in refused.text and "หมดอายุ" in refused.text


def test_a_tracking_code_is_found_however_it_is_typed(town):
    svc, world, _ = town
    complaint_id = str(world.ids["complaints"]["received"])
    code = world.tracking[complaint_id]
    client = TestClient(create_app(svc), follow_redirects=False)
    token = token_of(client.get("/track").text)
    spoken = code.lower().replace("-", " ")
    found = client.post("/track", data={"form_token": token, "code": spoken})
    assert found.status_code == 200 and "ไฟส่องสว่างดับ" in found.text


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def post_form(client: TestClient, url: str, command: str, values: dict[str, str]):
    page = client.get(url).text
    version = re.search(rf'action="{url}/do/{command}".*?name="version" value="(\d+)"', page, re.S).group(1)
    return client.post(f"{url}/do/{command}", data={"csrf": csrf_of(page), "version": version, **values})


def test_a_refused_form_comes_back_after_a_redirect_with_what_was_typed_and_the_problem_linked(town):
    svc, world, people = town
    url = f"/measures/{world.ids['measures']['in_progress']}"
    client = client_for(svc, "staff")
    before = svc.measures.get(people.staff, world.ids["measures"]["in_progress"]).version
    typed = {"step_no": "2", "completed_on": "1/7/2019", "evidence.number": "ที่ มห 52001/99",
             "evidence.title": "", "evidence.link": "", "evidence.sha256": "", "note": "ครบถ้วน"}  # fmt: skip
    answer = post_form(client, url, "complete-step", typed)
    assert answer.status_code == 303 and answer.headers["location"] == f"{url}#error-summary"  # post/redirect/get
    page = client.get(url).text
    assert 'class="error-summary"' in page and 'href="#complete-step-completed-on"' in page
    assert "พ.ศ." in page and 'aria-invalid="true"' in page
    assert 'value="ที่ มห 52001/99"' in page and "ครบถ้วน" in page and 'value="1/7/2019"' in page
    assert 'class="error-summary"' not in client.get(url).text  # shown once: a refresh is a plain page
    assert svc.measures.get(people.staff, world.ids["measures"]["in_progress"]).version == before  # nothing written


def test_rules_are_told_before_anyone_fails_them(town):
    svc, world, _ = town
    page = client_for(svc, "staff").get(f"/measures/{world.ids['measures']['in_progress']}").text
    assert "ลิงก์หรือค่าแฮช SHA-256" in page  # the evidence rule, as a hint
    assert "วัน/เดือน/ปี พ.ศ." in page and 'class="required"' in page and "ต้องกรอก" in page
    assert 'value="30/06/2562"' in page  # today's date, written the Thai way


def test_dates_are_typed_in_the_buddhist_era_and_checked_against_the_fiscal_year(town):
    svc, world, people = town
    client = client_for(svc, "staff")
    url = f"/measures/{world.ids['measures']['approved']}"
    post_form(client, url, "start", {"started_on": "1/1/2558", "note": ""})
    page = client.get(url).text
    assert "อยู่นอกปีงบประมาณ 2562" in page  # a FY 2562 measure does not start in 2015
    assert post_form(client, url, "start", {"started_on": "๓/๖/๒๕๖๒", "note": ""}).status_code == 303
    started = svc.measures.get(people.staff, world.ids["measures"]["approved"])
    assert started.started_on.isoformat() == "2019-06-03"


def test_a_stale_form_redirects_to_the_fresh_state_with_a_clear_message(town):
    svc, world, people = town
    url = f"/measures/{world.ids['measures']['submitted']}"
    client = client_for(svc, "mayor")
    page = client.get(url).text
    version = re.search(rf'action="{url}/do/approve".*?name="version" value="(\d+)"', page, re.S).group(1)
    answer = client.post(f"{url}/do/approve", data={"csrf": csrf_of(page), "version": str(int(version) - 1)})
    assert answer.status_code == 303
    assert "มีผู้อื่นบันทึกข้อมูลนี้ก่อนแล้ว" in client.get(url).text


def test_the_plan_is_public_by_dimension_with_a_page_per_measure(town):
    svc, world, _ = town
    client = TestClient(create_app(svc), follow_redirects=False)
    home = client.get("/").text
    assert f'href="/p/{ORG}"' in home and 'href="/track"' in home  # citizens are not sent to the staff sign-in
    plan = client.get(f"/p/{ORG}/plan").text
    assert "มิติที่ 1" in plan and "มิติที่ 4" in plan and "1.1.1-2" in plan
    measure_id = world.ids["measures"]["in_progress"]
    assert f"/p/{ORG}/measures/{measure_id}" in plan
    page = client.get(f"/p/{ORG}/measures/{measure_id}").text
    assert "ตัวชี้วัด" in page and "รายงานการประชุม" in page  # KPIs and evidence of the steps done
    assert "คุณstaff" not in page  # no one's name
    assert client.get(f"/p/6540102/measures/{measure_id}").status_code == 404  # another organisation's URL


def test_pages_are_compressed_protected_and_light(town):
    svc, _, _ = town
    client = TestClient(create_app(svc), follow_redirects=False)
    page = client.get(f"/p/{ORG}", headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert "<title>" in page.text and "favicon" in page.text
    font = client.get("/fonts/Sarabun-Regular.woff2")
    assert font.headers["content-type"] == "font/woff2" and font.content[:4] == b"wOF2" and len(font.content) < 40_000
    assert client.get("/fonts/Sarabun-Regular.ttf").status_code == 404
    assert client.get("/favicon.ico").headers["content-type"].startswith("image/svg+xml")


def test_the_language_switch_goes_back_to_this_site_only(town):
    svc, _, _ = town
    client = TestClient(create_app(svc), follow_redirects=False)
    for referer, expected in [(f"http://testserver/p/{ORG}?year=2562", f"/p/{ORG}?year=2562"),
                              ("https://evil.example/steal", "/steal"), ("//evil.example/x", "/x")]:  # fmt: skip
        answer = client.get("/lang/en", headers={"Referer": referer})
        assert answer.headers["location"] == expected, referer
