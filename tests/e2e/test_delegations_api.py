"""Delegations over HTTP: the order's life, approvals under it, the public register, audits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from domain.measure import Measure
from interface.api.app import create_app
from tests.conftest import ORG, TODAY

pytestmark = pytest.mark.store


@pytest.fixture
def api(seeded, people):
    return people.caller(TestClient(create_app(seeded)))


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


ORDER = {
    "order_no": "12/2569",
    "order_date": str(TODAY - timedelta(days=5)),
    "delegator": "mayor",
    "delegate": "head",
    "scopes": [{"power": "approve", "action": "approve-measure", "unit": "กองการศึกษา", "ceiling_satang": 5_000_000}],
    "valid_from": str(TODAY - timedelta(days=5)),
    "sub_delegation_allowed": False,
}


def test_order_life_and_approval_over_http(api, seeded):
    base = f"/api/v1/organisations/{ORG}"
    d = ok(api("POST", f"{base}/delegations", "clerk", json=ORDER), 201)
    url = f"/api/v1/delegations/{d['id']}"
    assert api("POST", f"{url}/issue", "clerk", json={"version": d["version"]}).status_code == 403  # drafted it
    backdated = api("POST", f"{url}/issue", "mayor", json={"version": d["version"]})
    assert backdated.status_code == 422 and "ย้อนหลัง" in backdated.json()["message_th"]
    d = ok(api("POST", f"{url}/issue", "mayor", json={"version": d["version"], "backdate_reason": "ลงนามในกระดาษแล้ว"}))
    assert d["signature"]["basis"]["kind"] == "position" and d["signature"]["backdate_reason"]
    d = ok(api("POST", f"{url}/circulate", "clerk", json={"version": d["version"], "recipients": ["กองการศึกษา"]}))
    d = ok(api("POST", f"{url}/acknowledge", "head", json={"version": d["version"], "unit": "กองการศึกษา"}))
    d = ok(api("POST", f"{url}/publish", "clerk", json={"version": d["version"]}))
    assert d["status"] == "published"

    mid = Measure.create_id(ORG, "2562-2564", "1.1.1-2", 2562)
    m = ok(api("POST", f"/api/v1/measures/{mid}/submit", "staff", json={"version": 1}))
    m = ok(api("POST", f"/api/v1/measures/{mid}/approve", "head", json={"version": m["version"]}))
    assert m["approval"]["basis"]["order_no"] == "12/2569"

    powers = ok(api("GET", f"{base}/my-powers", "head"))
    assert powers[0]["basis"]["order_no"] == "12/2569"
    register = ok(api("GET", f"/api/v1/public/organisations/{ORG}/delegations"))
    assert [r["order_no"] for r in register] == ["12/2569"]
    assert "username" not in str(register) and register[0]["delegate"]["position"]
    assert ok(api("GET", f"/api/v1/public/organisations/{ORG}/delegations?on={TODAY - timedelta(days=30)}")) == []

    under = ok(api("GET", f"{base}/audit/approvals?order_no=12/2569", "auditor"))
    assert [a["code"] for a in under] == ["1.1.1-2"]
    assert ok(api("GET", f"{base}/audit/invalid-approvals", "auditor")) == []
    assert ok(api("GET", f"{base}/audit/overdue-reports", "auditor")) == []
    assert api("GET", f"{base}/audit/approvals", "staff").status_code == 403
    assert api("GET", f"{base}/audit/approvals", "outsider").status_code == 404


def test_bad_orders_get_clear_errors_and_write_nothing(api, seeded):
    base = f"/api/v1/organisations/{ORG}/delegations"
    before = seeded.app.recorder.max_notification_id()
    bad = [
        ({**ORDER, "delegate": "mayor"}, 422),
        ({**ORDER, "valid_until": str(TODAY - timedelta(days=30))}, 422),
        ({**ORDER, "scopes": ORDER["scopes"] * 2}, 422),
        ({**ORDER, "scopes": [{**ORDER["scopes"][0], "ceiling_satang": -5}]}, 422),
        ({**ORDER, "scopes": [{**ORDER["scopes"][0], "action": "fly"}]}, 422),
        ({**ORDER, "delegator": "head", "delegate": "staff"}, 403),
        ({**ORDER, "delegate": "nobody"}, 422),
        ({**ORDER, "order_date": "31/12/2562"}, 422),
    ]
    for body, status in bad:
        response = api("POST", base, "clerk", json=body)
        assert response.status_code == status, (body, response.text)
        assert response.json()["message_th"] and response.json()["message_en"]
    assert api("POST", base, "staff", json=ORDER).status_code == 403
    assert seeded.app.recorder.max_notification_id() == before
