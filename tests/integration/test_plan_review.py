"""The clerk's review: a Word plan uploaded on the desk, read beside its lines, corrected, imported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.measure import Measure
from domain.plan import Plan
from infrastructure.bootstrap import bootstrap
from infrastructure.clock import ManualClock
from tests.conftest import ORG, SEED, START, People, test_settings
from tests.plan_files import as_docx
from tests.world import PASSWORD, client_for


@pytest.fixture
def office(tmp_path: Path):
    svc = bootstrap(test_settings(f"sqlite:///{tmp_path}/events.sqlite3", tmp_path), clock=ManualClock(START))
    svc.organisations.register(ORG, "เทศบาลเมืองมุกดาหาร")
    people = People(svc)
    for name in people.users:
        svc.users.set_password(name, PASSWORD)
    yield svc
    svc.close()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def upload(client, data: bytes, name: str = "แผน.docx"):
    form = client.get("/plan/import")
    assert form.status_code == 200, form.text
    return client.post(
        "/plan/import",
        data={"csrf": csrf_of(form.text), "org": ORG},
        files={"file": (name, data, "application/octet-stream")},
    )


def test_a_clerk_reviews_corrects_with_a_reason_and_imports(office) -> None:
    clerk = client_for(office, "clerk")
    read = upload(clerk, as_docx(SEED.read_text(encoding="utf-8")))
    assert read.status_code == 303 and read.headers["location"].startswith("/plan/import/")
    review = clerk.get(read.headers["location"])
    assert review.status_code == 200
    page = review.text
    assert page.count('<section class="card" id="item-') == 32
    assert "บัญชีสรุป (บรรทัด 204) ระบุผู้รับผิดชอบ" in page  # 3.1.2's unit disagreement, beside the item
    assert 'class="warned"' in page
    assert office.app.recorder.max_notification_id() in (None, 0) or not office.measures.plans(ORG)  # nothing yet

    fields = dict(re.findall(r'name="(field:[^"]+)" value="([^"]*)"', page))
    fields["field:3.1.2|responsible_unit"] = "กองวิชาการและแผนงาน"
    # a change without its reason is refused, nothing is written, and what was typed comes back
    refused = clerk.post(read.headers["location"], data={"csrf": csrf_of(page), **fields})
    assert refused.status_code == 303 and refused.headers["location"].endswith("#error-summary")
    again = clerk.get(read.headers["location"]).text
    assert "needs a reason" in again or "ต้องระบุเหตุผล" in again
    assert 'value="กองวิชาการและแผนงาน"' in again
    assert not office.measures.plans(ORG)

    done = clerk.post(read.headers["location"], data={
        "csrf": csrf_of(again), **fields, "reason:3.1.2": "บัญชีสรุประบุกองวิชาการฯ ตรวจกับคำสั่งแล้ว",
    })  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == f"/plan?org={ORG}"
    measure = office.app.load(Measure, Measure.create_id(ORG, "2562-2564", "3.1.2", 2562))
    assert measure.details["responsible_unit"] == "กองวิชาการและแผนงาน"
    events = list(office.app.stored_events(Plan.create_id(ORG, "2562-2564")))
    (corrected,) = [e for e in events if type(e).__name__ == "CorrectedByHand"]
    assert corrected.corrections[0]["field"] == "responsible_unit" and corrected.corrections[0]["line"] > 0
    assert clerk.get(read.headers["location"]).status_code == 404  # the draft is gone once imported


def test_staff_may_not_import_a_plan_and_a_scan_is_a_clear_refusal(office) -> None:
    assert client_for(office, "staff").get("/plan/import").status_code == 403
    clerk = client_for(office, "clerk")
    refused = upload(clerk, b"%PDF-1.7 broken", "scan.pdf")
    assert refused.status_code == 303 and refused.headers["location"] == "/plan/import"
    assert "PDF" in clerk.get("/plan/import").text


def test_the_plan_page_offers_the_import_to_those_who_may_import(office) -> None:
    assert 'href="/plan/import"' in client_for(office, "clerk").get("/plan").text
    assert 'href="/plan/import"' not in client_for(office, "staff").get("/plan").text


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_review_shows_human_terms(office, lang: str) -> None:
    from tests.integration.test_pages import program_output

    clerk = client_for(office, "clerk", lang)
    read = upload(clerk, as_docx(SEED.read_text(encoding="utf-8")))
    for url in ("/plan/import", read.headers["location"]):
        html = clerk.get(url).text
        assert program_output(html, lang) == [], url
