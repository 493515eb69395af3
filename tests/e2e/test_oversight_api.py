"""Oversight over HTTP: log search, export verified offline by the CLI, reports, checkpoints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from domain.measure import Measure
from interface.api.app import create_app
from tests.conftest import ORG

pytestmark = pytest.mark.store
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def api(seeded, people):
    return people.caller(TestClient(create_app(seeded)))


def ok(response, status: int = 200):
    assert response.status_code == status, response.text
    return response


def test_auditor_searches_the_log_and_the_read_is_recorded(api):
    mid = Measure.create_id(ORG, "2562-2564", "2.3.2", 2562)
    ok(api("POST", f"/api/v1/measures/{mid}/submit", "staff", json={"version": 1}))
    base = f"/api/v1/organisations/{ORG}/audit"
    found = ok(api("GET", f"{base}/events?actor=staff&reason=ตรวจสอบประจำปี", "auditor")).json()
    assert [(e["event_type"], e["aggregate_id"]) for e in found] == [("SubmittedForApproval", str(mid))]
    measures = ok(api("GET", f"{base}/events?aggregate_type=Measure&limit=5", "auditor")).json()
    assert len(measures) == 5 and all(e["aggregate_type"] == "Measure" for e in measures)
    page2 = ok(api("GET", f"{base}/events?aggregate_type=Measure&limit=5&after={measures[-1]['position']}", "auditor"))
    assert page2.json()[0]["position"] > measures[-1]["position"]
    assert ok(api("GET", f"{base}/events?since=2000-01-01T00:00:00Z&limit=3", "auditor")).json()
    assert ok(api("GET", f"{base}/events?until=2000-01-01T00:00:00%2B07:00", "auditor")).json() == []
    accesses = ok(api("GET", f"{base}/access-log", "mayor")).json()
    assert accesses[0]["username"] == "auditor" and accesses[0]["reason"] == "ตรวจสอบประจำปี"
    assert api("GET", f"{base}/events", "staff").status_code == 403
    assert api("GET", f"{base}/events", "outsider").status_code == 404
    assert api("GET", f"{base}/events?since=yesterday", "auditor").status_code == 422


def test_auditor_searches_across_the_organisations_they_cover(api, seeded):
    from tests.conftest import OTHER_ORG

    mid = Measure.create_id(ORG, "2562-2564", "2.3.2", 2562)
    ok(api("POST", f"/api/v1/measures/{mid}/submit", "staff", json={"version": 1}))
    every = ok(api("GET", "/api/v1/audit/events?limit=1000&reason=ภาพรวมจังหวัด", "auditor")).json()
    assert {e["org_code"] for e in every} == {ORG, OTHER_ORG}  # both the auditor's organisations, in log order
    assert [e["position"] for e in every] == sorted(e["position"] for e in every)
    assert len(every) == seeded.oversight.count([ORG, OTHER_ORG])
    other = ok(api("GET", f"/api/v1/audit/events?org={OTHER_ORG}&limit=1000", "auditor")).json()
    assert other == [e for e in every if e["org_code"] == OTHER_ORG]
    mine = ok(api("GET", f"/api/v1/audit/events?org={ORG}&aggregate_type=Measure&actor=staff", "auditor")).json()
    assert [(e["event_type"], e["aggregate_id"]) for e in mine] == [("SubmittedForApproval", str(mid))]
    # each organisation whose events the auditor saw records the read; a page of one shows one
    for code in (ORG, OTHER_ORG):
        reasons = [a["reason"] for a in seeded.oversight.accesses(code)]
        assert "ภาพรวมจังหวัด" in reasons
    # an organisation the auditor does not cover is not found, and the executive of one sees only theirs
    assert api("GET", "/api/v1/audit/events?org=9999999", "auditor").status_code == 404
    assert api("GET", f"/api/v1/audit/events?org={ORG}", "outsider").status_code == 404
    assert {e["org_code"] for e in ok(api("GET", "/api/v1/audit/events?limit=1000", "mayor")).json()} == {ORG}
    assert api("GET", "/api/v1/audit/events", "staff").status_code == 403


def test_export_verifies_offline_with_the_cli(api, seeded, tmp_path):
    assert api("GET", "/api/v1/audit/export", "auditor").status_code == 404  # no checkpoint yet
    seeded.oversight.issue_checkpoint()
    assert ok(api("GET", "/api/v1/audit/verify", "auditor")).json()["ok"]
    assert len(ok(api("GET", "/api/v1/public/checkpoints")).json()) == 1
    key = tmp_path / "key.pem"
    key.write_text(ok(api("GET", "/api/v1/public/public-key")).text)
    log = tmp_path / "log.jsonl"
    log.write_bytes(ok(api("GET", "/api/v1/audit/export?reason=สตง.", "auditor")).content)
    check = [sys.executable, "-m", "interface.cli", "verify", "--export", str(log), "--public-key", str(key)]
    good = subprocess.run(check, cwd=ROOT, capture_output=True, text=True)
    assert good.returncode == 0, good.stdout + good.stderr
    lines = log.read_text().splitlines()
    lines[5] = lines[5].replace('"originator_version": 1', '"originator_version": 2')
    log.write_text("\n".join(lines))
    bad = subprocess.run(check, cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 1 and '"edited"' in bad.stdout


def test_reports_over_http(api):
    base = f"/api/v1/organisations/{ORG}/reports/plan-progress"
    pdf = ok(api("GET", f"{base}?period=2562-r6&format=pdf", "staff"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert ok(api("GET", f"{base}?period=2562-r6&format=csv", "auditor")).content.startswith(b"\xef\xbb\xbf")
    assert api("GET", f"{base}?period=2562&format=csv", "staff").status_code == 422
    assert api("GET", f"{base}?period=2562-r6&format=doc", "staff").status_code == 422
    assert api("POST", f"{base}/publish", "staff", json={"period": "2562-r6"}).status_code == 403
    published = ok(api("POST", f"{base}/publish", "clerk", json={"period": "2562-r6"}), 201).json()
    public = ok(api("GET", f"/api/v1/public/organisations/{ORG}/reports/plan-progress/2562-r6")).json()
    assert public[0]["content_hash"] == published["content_hash"]
    document = f"/api/v1/public/organisations/{ORG}/reports/plan-progress/2562-r6/{published['version']}"
    pdf_again = ok(api("GET", f"{document}?format=pdf"))
    assert pdf_again.headers["x-content-sha256"] == published["format_hashes"]["pdf"]
    assert api("GET", f"{document}?format=doc").status_code == 422
    assert api("GET", f"{document[:-1]}99?format=pdf").status_code == 404
    schedule = f"/api/v1/organisations/{ORG}/report-schedule"
    bad = [{"report": "plan-progress", "round": 6, "cron": "every day"}]
    assert api("PUT", schedule, "clerk", json=bad).status_code == 422
    good = [{"report": "plan-progress", "round": 6, "cron": "0 9 10 4 *"}]
    assert ok(api("PUT", schedule, "clerk", json=good)).json() == good
    assert ok(api("GET", schedule, "auditor")).json() == good
