"""Published means frozen: every report kind, in every format, regenerates byte for byte (#10)."""

from __future__ import annotations

import hashlib
import time
from datetime import date, timedelta

import pytest

from application.reports import FORMATS
from domain.measure import Measure
from tests.conftest import ORG, TODAY
from tests.integration.test_complaints import submit
from tests.integration.test_procurements import register, run_to_contract

pytestmark = pytest.mark.store

KINDS = [
    ("plan-progress", "2562-r6"),
    ("plan-progress", "2562-r12"),
    ("complaint-statistics", "2562-r12"),
    ("delegation-compliance", "2019-05"),
    ("procurement-summary", "2019-06"),
]
SCOPE = {"power": "approve", "action": "approve-measure", "unit": "*", "ceiling_satang": None}


def mid(code: str) -> object:
    return Measure.create_id(ORG, "2562-2564", code, 2562)


def test_every_published_report_regenerates_byte_for_byte_after_later_events(seeded, people):
    svc = seeded
    m = svc.measures.submit(people.staff, mid("1.1.1-2"), 1)
    m = svc.measures.approve(people.mayor, m.id, m.version)
    m = svc.measures.start(people.staff, m.id, m.version, date(2019, 1, 7))
    doc = {"number": "ฎ 1", "link": "https://x.go.th/1"}
    m = svc.measures.record_disbursement(people.staff, m.id, m.version, 300_000, date(2019, 3, 1), doc)
    complaint, _ = submit(svc)
    order = svc.delegations.draft(people.clerk, ORG, "1/2562", TODAY, "mayor", "head", [SCOPE], date(2019, 5, 1))
    order = svc.delegations.issue(people.mayor, order.id, order.version, "คำสั่งกระดาษ")
    p = register(svc, people)
    p = run_to_contract(svc, people, p)

    published = {(kind, period): svc.reports.publish(ORG, kind, period) for kind, period in KINDS}

    # Later events of every kind the reports read, and the wall clock moving on.
    svc.clock.advance(days=2)
    svc.measures.record_disbursement(people.staff, m.id, m.version, 100_000, date(2019, 3, 2), doc)
    svc.measures.declare_could_not_proceed(people.head, mid("4.4.1"), 1, "no_budget", "")
    c = svc.complaints.get(people.clerk, complaint.id)
    svc.complaints.acknowledge(people.clerk, c.id, c.version, "รับเรื่อง")
    order = svc.delegations.get(people.head, order.id)
    svc.delegations.file_report(people.head, order.id, order.version, "2019-05", "อนุมัติ 3 เรื่อง", 3)
    p = svc.procurements.get(people.mayor, p.id)
    svc.procurements.issue(people.mayor, p.id, p.version, "inspection", "k6", inspect_on=TODAY + timedelta(days=30),
                           time="09:00", place="ชุมชน")  # fmt: skip
    time.sleep(2.1)  # zip archives store wall-clock times at 2-second resolution

    for (kind, period), record in published.items():
        for fmt in FORMATS:
            document = svc.reports.reproduce(ORG, kind, period, record["version"], fmt)
            assert hashlib.sha256(document).hexdigest() == record["format_hashes"][fmt], (kind, period, fmt)
    # ...while the same reports built now do see the later events
    now = svc.reports.build(ORG, "plan-progress", "2562-r12")
    assert {i["code"]: i for i in now["items"]}["4.4.1"]["status"] == "could_not_proceed"
    assert svc.reports.build(ORG, "delegation-compliance", "2019-05")["totals"]["filed"] == 1
    r6 = svc.reports.build(ORG, "plan-progress", "2562-r6")
    assert {i["code"]: i for i in r6["items"]}["1.1.1-2"]["disbursed_satang"] == 400_000  # paid 2 March
    assert {i["code"]: i for i in r6["items"]}["4.4.1"]["status"] == "not_started"  # declared after 31 March
