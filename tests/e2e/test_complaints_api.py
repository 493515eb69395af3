"""Complaints over HTTP: a citizen's complaint and tracking, staff handling, identities, abuse."""

from __future__ import annotations

import base64
import re

import pytest
from fastapi.testclient import TestClient

from interface.api.app import create_app
from tests.conftest import ORG

pytestmark = pytest.mark.store

FORM = {
    "subject": "ขยะไม่ได้รับการจัดเก็บ",
    "description": "ขยะหน้าชุมชนไม่ได้เก็บมา 1 สัปดาห์",
    "location": "ชุมชนศรีบุญเรือง",
    "complainant": {"name": "นางสาวสมหญิง ใจงาม", "phone": "0899999999"},
    "attachments": [
        {"filename": "photo.jpg", "media_type": "image/jpeg", "content_base64": base64.b64encode(b"JPEG").decode()}
    ],
}


@pytest.fixture
def api(seeded, people):
    return people.caller(TestClient(create_app(seeded)))


def ok(response, status: int = 200):
    assert response.status_code == status, response.text
    return response.json()


def test_citizen_complains_and_follows_the_case(api):
    made = ok(api("POST", f"/api/v1/public/organisations/{ORG}/complaints", json=FORM), 201)
    code = made["tracking_code"]
    track = {"X-Tracking-Code": code}
    seen = ok(api("GET", "/api/v1/public/complaints/track", headers=track))
    assert seen["state"] == "received" and "สมหญิง" not in str(seen)

    cases = ok(api("GET", f"/api/v1/organisations/{ORG}/complaints", "staff"))
    case = cases[0]
    assert case["case_no"] == made["case_no"] and "สมหญิง" not in str(cases) and "0899999999" not in str(cases)
    url = f"/api/v1/complaints/{case['id']}"
    v = case["version"]
    v = ok(api("POST", f"{url}/acknowledge", "staff", json={"version": v, "text": "รับเรื่องแล้ว"}))["version"]
    v = ok(api("POST", f"{url}/assign", "clerk", json={"version": v, "unit": "กองสาธารณสุข", "officer": "head"}))[
        "version"
    ]
    v = ok(api("POST", f"{url}/notices", "head", json={"version": v, "text": "นัดรถเก็บขยะแล้ว"}))["version"]
    assert api("POST", f"{url}/identity", "head", json={"version": v, "reason": "x"}).status_code == 403
    who = ok(api("POST", f"{url}/identity", "clerk", json={"version": v, "reason": "โทรแจ้งผล"}))
    assert who["complainant"]["phone"] == "0899999999"
    photo_url = f"{url}/attachments/{case['attachments'][0]['sha256']}?reason=ตรวจภาพ"
    assert api("GET", photo_url, "head").status_code == 403  # like the identity: only once disclosed to them
    photo = api("GET", photo_url, "clerk")
    assert photo.status_code == 200 and photo.content == b"JPEG"
    assert photo.headers["content-disposition"].startswith("attachment;")  # a download, never inline
    assert photo.headers["x-content-type-options"] == "nosniff"
    assert photo.headers["content-type"] == "application/octet-stream"
    v = ok(api("GET", url, "clerk"))["version"]
    v = ok(api("POST", f"{url}/resolve", "mayor", json={"version": v, "text": "เก็บขยะเรียบร้อย"}))["version"]
    seen = ok(api("GET", "/api/v1/public/complaints/track", headers=track))
    assert seen["state"] == "resolved" and seen["notices"][-1]["text"] == "เก็บขยะเรียบร้อย"
    assert api("POST", f"{url}/close", "clerk", json={"version": v - 1}).status_code == 409  # stale

    stats = ok(api("GET", f"/api/v1/public/organisations/{ORG}/complaints/statistics?start=2018-10-01&end=2019-09-30"))
    assert stats["received"] == 1 and stats["answered_within_promise"] == 1 and "สมหญิง" not in str(stats)
    csv = api(
        "GET", f"/api/v1/organisations/{ORG}/complaints/statistics?start=2018-10-01&end=2019-09-30&format=csv", "clerk"
    )
    text = csv.content.decode("utf-8-sig")
    assert csv.status_code == 200 and "เรื่องที่รับ,1" in text and "ตามช่องทาง: เว็บไซต์,1" in text
    assert not re.search(r"received|by_channel|answered|walk_in|None", text)  # Thai labels, never codes


def test_abuse_gets_clear_errors_no_hints_and_a_rate_limit(api, seeded):
    before = seeded.app.recorder.max_notification_id()
    base = f"/api/v1/public/organisations/{ORG}/complaints"
    assert api("POST", base, json={**FORM, "description": "ก" * 10_001}).status_code == 422
    assert (
        api("POST", base, json={**FORM, "attachments": [{"filename": "a", "content_base64": "***"}]}).status_code == 422
    )
    big = base64.b64encode(b"0" * 5_000_001).decode()
    assert (
        api("POST", base, json={**FORM, "attachments": [{"filename": "a", "content_base64": big}]}).status_code == 422
    )
    assert api("POST", "/api/v1/public/organisations/0000000/complaints", json=FORM).status_code == 404
    assert seeded.app.recorder.max_notification_id() == before

    answers = [
        api("GET", "/api/v1/public/complaints/track", headers={"X-Tracking-Code": f"guess-{i:030d}"}) for i in range(12)
    ]
    assert [r.status_code for r in answers[:10]] == [404] * 10
    assert len({r.json()["message_en"] for r in answers[:10]}) == 1  # the same answer for every wrong code
    assert answers[10].status_code == 429 and answers[10].headers["Retry-After"] == "60"
