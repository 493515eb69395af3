"""Reports from projections; every publication recorded with its content hash; schedules."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from application.reports import content_hash
from domain.errors import InvalidInput, NotFound
from domain.measure import Measure
from infrastructure.worker import Worker
from tests.conftest import ORG

pytestmark = pytest.mark.store


def mid(code: str, year: int = 2562):
    return Measure.create_id(ORG, "2562-2564", code, year)


@pytest.fixture
def progressed(seeded, people):
    svc = seeded
    m = svc.measures.submit(people.staff, mid("1.1.1-2"), 1)
    m = svc.measures.approve(people.mayor, m.id, m.version)
    m = svc.measures.start(people.staff, m.id, m.version, date(2019, 1, 7))
    doc = {"number": "ฎ 1", "link": "https://x.go.th/1"}
    m = svc.measures.record_disbursement(people.staff, m.id, m.version, 300_000, date(2019, 3, 1), doc)
    svc.measures.record_disbursement(people.staff, m.id, m.version, 200_000, date(2019, 5, 1), doc)
    svc.measures.declare_could_not_proceed(people.head, mid("4.4.1"), 1, "no_budget", "")
    return svc


def test_plan_progress_in_the_national_form_shape(progressed):
    report = progressed.reports.plan_progress(ORG, 2562, 6)
    assert report["period"] == {"from": "2018-10-01", "to": "2019-03-31"}
    items = {i["code"]: i for i in report["items"]}
    assert len(items) == 32 and list(items)[:3] == ["1.1.1-1", "1.1.1-2", "1.1.2"]
    training = items["1.1.1-2"]
    assert training["status"] == "in_progress" and training["budget_plan_satang"] == 1_000_000
    assert training["disbursed_satang"] == 300_000  # the May payment is after the 6-month round
    # declared on 30 June, after the round's end on 31 March: not part of the 6-month report (#10)
    assert items["4.4.1"]["status"] == "not_started" and items["4.4.1"]["not_proceed_reason"] is None
    assert items["2.3.2"]["no_budget"] and items["2.3.2"]["kpis"][0]["actual"] is None
    assert [d["dimension"] for d in report["dimensions"]] == [1, 2, 3, 4]
    assert report["totals"]["items"] == 32 and report["totals"]["in_progress"] == 1
    assert sum(d["items"] for d in report["dimensions"]) == 32
    year_end = progressed.reports.plan_progress(ORG, 2562, 12)
    year_items = {i["code"]: i for i in year_end["items"]}
    assert year_items["1.1.1-2"]["disbursed_satang"] == 500_000
    assert year_items["4.4.1"]["status"] == "could_not_proceed"
    assert year_items["4.4.1"]["not_proceed_reason"] == "no_budget"


def test_every_format_is_a_real_file(progressed):
    content = progressed.reports.plan_progress(ORG, 2562, 12)
    rows = list(csv.reader(io.StringIO(progressed.reports.render(content, "csv").decode("utf-8-sig"))))
    assert rows[0][0] == "ลำดับ/รหัส" and len(rows) == 33
    book = load_workbook(io.BytesIO(progressed.reports.render(content, "xlsx")))
    assert book.sheetnames == ["รายงาน", "สรุปรายมิติ"] and book["รายงาน"].max_row == 35
    pdf = progressed.reports.render(content, "pdf")
    assert pdf.startswith(b"%PDF") and b"Sarabun" in pdf
    with pytest.raises(InvalidInput):
        progressed.reports.render(content, "docx")


def test_publication_is_recorded_with_its_content_hash(progressed, people):
    svc = progressed
    first = svc.reports.publish(ORG, "plan-progress", "2562-r6")
    svc.measures.declare_could_not_proceed(people.head, mid("4.2.1"), 1, "policy_change", "")
    second = svc.reports.publish(ORG, "plan-progress", "2562-r6")
    versions = svc.reports.published(ORG, "plan-progress", "2562-r6")
    assert [v["content_hash"] for v in versions] == [first["content_hash"], second["content_hash"]]
    assert first["content_hash"] != second["content_hash"]
    assert all(content_hash(v["content"]) == v["content_hash"] for v in versions)
    assert set(first["format_hashes"]) == {"json", "csv", "xlsx", "pdf"}
    with pytest.raises(NotFound):
        svc.reports.published(ORG, "plan-progress", "2563-r6")
    with pytest.raises(InvalidInput):
        svc.reports.publish(ORG, "plan-progress", "2562-6")


def test_delegation_compliance_report(progressed, people):
    svc = progressed
    from datetime import timedelta

    today = svc.measures.today()
    scope = {"power": "approve", "action": "approve-measure", "unit": "*", "ceiling_satang": None}
    d = svc.delegations.draft(people.clerk, ORG, "7/2569", today, "mayor", "head", [scope], today - timedelta(days=60))
    svc.delegations.issue(people.mayor, d.id, d.version, "คำสั่งเดิมที่ลงนามในกระดาษ")
    month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    report = svc.reports.delegation_compliance(ORG, month)
    assert report["totals"]["orders"] == 1 and report["items"][0]["filed"] is False


def test_schedules_are_validated_and_run_by_the_worker(progressed):
    svc = progressed
    assert [e["report"] for e in svc.reports.schedule(ORG)] == [
        "plan-progress",
        "plan-progress",
        "delegation-compliance",
        "complaint-statistics",
        "complaint-statistics",
        "procurement-summary",
    ]
    with pytest.raises(InvalidInput):
        svc.reports.set_schedule(None, ORG, [{"report": "plan-progress", "round": 6, "cron": "99 9 10 4 *"}])
    with pytest.raises(InvalidInput):
        svc.reports.set_schedule(None, ORG, [{"report": "gossip", "round": 6, "cron": "0 9 10 4 *"}])
    entries = [{"report": "plan-progress", "round": 12, "cron": "0 9 5 * *"}]
    assert svc.reports.set_schedule(None, ORG, entries) == entries
    assert svc.reports.period_due(entries[0], date(2019, 10, 5)) == "2562-r12"
    assert svc.reports.period_due({"report": "plan-progress", "round": 6, "cron": ""}, date(2019, 4, 10)) == "2562-r6"

    worker = Worker(svc)
    worker.refresh_schedules()
    jobs = [j for j in worker.scheduler.get_jobs() if j.id.startswith(f"report/{ORG}/")]
    assert len(jobs) == 1
    svc.clock.set(datetime(2019, 10, 5, 2, 0, tzinfo=UTC))
    jobs[0].func()
    assert worker.errors == []
    published = svc.reports.published(ORG, "plan-progress", "2562-r12")
    assert published[0]["trigger"] == "schedule 0 9 5 * *"
