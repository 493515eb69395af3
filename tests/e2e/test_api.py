"""The HTTP API: the whole workflow, errors as problem+json, auth, isolation and the public view."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from domain.measure import Measure
from interface.api.app import create_app
from tests.conftest import ORG, OTHER_ORG

pytestmark = pytest.mark.store

EVIDENCE = {"number": "มห 52001/7", "title": "รายงานการประชุม", "link": "https://mukdahan.go.th/doc/7"}


@pytest.fixture
def api(seeded, people):
    return people.caller(TestClient(create_app(seeded)))


def mid(code: str, year: int = 2562) -> str:
    return str(Measure.create_id(ORG, "2562-2564", code, year))


def problem_of(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["message_th"] and body["message_en"]
    return body


def test_whole_workflow_over_http_and_the_public_page(api):
    m = api("GET", f"/api/v1/measures/{mid('2.3.2')}", "staff").json()
    assert m["status"] == "planned" and m["allowed_actions"] == ["submit", "could-not-proceed"]
    v = m["version"]

    def post(path, who, body):
        nonlocal v
        r = api("POST", f"/api/v1/measures/{mid('2.3.2')}/{path}", who, json={"version": v, **body})
        assert r.status_code == 200, r.text
        v = r.json()["version"]
        return r.json()

    post("submit", "staff", {"note": "เสนอ"})
    post("approve", "mayor", {"note": "อนุมัติ"})
    post("start", "staff", {"started_on": "2019-01-07"})
    for n in range(1, 5):
        post(f"steps/{n}/complete", "staff", {"completed_on": "2019-02-01", "evidence": EVIDENCE})
    post("complete", "head", {"completed_on": "2019-03-01"})
    kpis = api("GET", f"/api/v1/measures/{mid('2.3.2')}", "staff").json()["details"]["kpis"]
    post("result", "clerk", {"summary": "สำเร็จ", "kpi_actuals": [{"actual": "ครบ", "met": True}] * len(kpis)})
    public_before = api("GET", f"/api/v1/public/organisations/{ORG}/measures").json()
    assert public_before == []
    final = post("publish", "mayor", {})
    assert final["status"] == "published"

    public = api("GET", f"/api/v1/public/organisations/{ORG}/measures").json()
    assert [p["code"] for p in public] == ["2.3.2"]
    text = str(public)
    assert "คุณ" not in text and "mayor" not in text and "user_id" not in text  # no personal data

    history = api("GET", f"/api/v1/measures/{mid('2.3.2')}/history", "auditor").json()
    assert history[0]["type"] == "Planned" and history[-1]["type"] == "Published"
    approved = next(h for h in history if h["type"] == "Approved")
    assert approved["actor"]["role"] == "executive" and approved["changes"]["basis"]["kind"] == "position"
    old = api("GET", f"/api/v1/measures/{mid('2.3.2')}?version=3", "auditor").json()
    assert old["status"] == "approved" and old["version"] == 3
    at = api("GET", f"/api/v1/aggregates/{mid('2.3.2')}", "auditor", params={"as_of": approved["timestamp"]})
    assert at.json()["state"]["status"] == "approved"


def test_errors_are_problem_json_and_write_nothing(api, seeded):
    url = f"/api/v1/measures/{mid('1.1.1-2')}"
    before = seeded.app.recorder.max_notification_id()
    problem_of(api("GET", url), 401)
    problem_of(api("GET", url, headers={"Authorization": "Bearer prg_00_bad"}), 401)
    problem_of(api("POST", f"{url}/approve", "mayor", json={"version": 1}), 409)  # not submitted
    problem_of(api("POST", f"{url}/submit", "auditor", json={"version": 1}), 403)
    problem_of(api("POST", f"{url}/submit", "staff", json={"version": 7}), 409)  # stale
    problem_of(api("POST", f"{url}/submit", "staff", json={"version": "one"}), 422)
    problem_of(api("POST", f"{url}/submit", "staff", json={}), 422)
    problem_of(api("POST", f"{url}/submit", "staff", content=b"{not json"), 422)
    problem_of(api("POST", f"{url}/return", "mayor", json={"version": 1, "reason": ""}), 422)
    problem_of(api("POST", f"{url}/could-not-proceed", "head", json={"version": 1, "reason": "rain"}), 422)
    problem_of(api("GET", "/api/v1/measures/not-a-uuid", "staff"), 422)
    problem_of(api("GET", f"/api/v1/measures/{mid('9.9.9')}", "staff"), 404)
    problem_of(api("GET", f"{url}?version=99", "staff"), 404)
    problem_of(api("GET", f"{url}?as_of=2019-01-01T00:00:00", "staff"), 422)  # no timezone
    problem_of(api("GET", "/api/v1/no-such-thing"), 404)
    budget = {"version": 1, "amount_satang": 1_000_000, "reason": "เทศบัญญัติ"}
    problem_of(api("POST", f"{url}/budget", "clerk", json=budget), 409)  # the plan states it: not unknown
    problem_of(api("POST", f"{url}/budget", "clerk", json={**budget, "amount": "๑๐,๐๐๐"}), 422)  # unknown field
    problem_of(api("POST", f"{url}/budget", "clerk", json={**budget, "amount_satang": 1.5}), 422)  # a float
    problem_of(api("POST", f"{url}/budget", "clerk", json={**budget, "amount_satang": 10**20}), 422)  # absurd
    assert seeded.app.recorder.max_notification_id() == before
    shown = api("GET", url, "staff").json()
    assert (
        shown["budget_state"] == "amount" and shown["budget_th"] == "10,000.00 บาท" and shown["budget_warning"] is None
    )


def test_stale_form_gets_409_with_current_version(api):
    url = f"/api/v1/measures/{mid('1.2.1')}"
    assert api("POST", f"{url}/submit", "staff", json={"version": 1}).status_code == 200
    body = problem_of(api("POST", f"{url}/submit", "head", json={"version": 1}), 409)
    assert body["code"] == "stale-version" and body["current_version"] == 2


def test_organisations_are_isolated_over_http(api):
    url = f"/api/v1/measures/{mid('1.2.1')}"
    problem_of(api("GET", url, "outsider"), 404)
    problem_of(api("GET", f"/api/v1/organisations/{ORG}/measures", "outsider"), 404)
    problem_of(api("GET", f"/api/v1/aggregates/{mid('1.2.1')}/history", "outsider"), 404)
    assert [o["code"] for o in api("GET", "/api/v1/organisations", "outsider").json()] == [OTHER_ORG]
    assert {o["code"] for o in api("GET", "/api/v1/organisations", "auditor").json()} == {ORG, OTHER_ORG}
    listed = api("GET", f"/api/v1/organisations/{ORG}/measures?fiscal_year=2563", "staff").json()
    assert len(listed) == 32 and {m["fiscal_year"] for m in listed} == {2563}


def test_openapi_is_served(api):
    spec = api("GET", "/openapi.json").json()
    assert "/api/v1/measures/{measure_id}/approve" in spec["paths"]
