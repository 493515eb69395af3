"""``make national``'s copies: a template organisation's year under new codes must be a working organisation.

The national bench fills a store with copies of a few template years (bench/national.py). The figures
it prints mean something only if each copy is an organisation the program treats like any other: its
records found under ids derived from its own code, its name its own, its complainants' data readable
with the copied key, the chain over all of it verifying, and an auditor's search across organisations
finding every one of them.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bench import national
from domain.measure import Measure
from domain.people import Role
from infrastructure.bootstrap import bootstrap
from interface.cli import load_document
from tests.conftest import test_settings


@pytest.fixture
def copied(store_url, tmp_path):
    settings = test_settings(store_url, tmp_path)
    doc = load_document(None)
    template_code = national.code_of(0)
    with national.recording_derived_ids():
        first, last, refused = national.live_template(settings, doc, template_code, 2562, 7, 6, 5)
    assert refused == 0
    svc = bootstrap(settings)
    try:
        name = svc.organisations.get(template_code).name
        template = national.read_template(svc.app, svc.complaints.keys, template_code, name, first, last)
        national.fill(store_url, svc.app, svc.complaints.keys, [template], 1, 2, batch_orgs=1)
    finally:
        svc.close()
    svc = bootstrap(settings)
    yield svc, doc, template_code, last - first + 1
    svc.close()


def test_each_copy_is_an_organisation_of_its_own(copied):
    svc, doc, template_code, template_events = copied
    codes = [national.code_of(i) for i in range(3)]
    assert [o.code for o in svc.organisations.all()] == codes
    assert svc.organisations.get(codes[1]).name == "เทศบาลตำบลจำลองที่ 2"
    assert svc.organisations.get(codes[2]).name == "เทศบาลตำบลจำลองที่ 3"
    assert svc.app.recorder.max_notification_id() >= 3 * template_events
    template_measures = svc.measures.list(template_code, 2562)
    for code in codes[1:]:
        measures = svc.measures.list(code, 2562)
        # found under ids derived from the copy's own code, in the same states as the template's
        assert [m.id for m in measures] == [Measure.create_id(code, doc.plan_key, m.code, 2562) for m in measures]
        assert Counter(m.status for m in measures) == Counter(m.status for m in template_measures)
        assert all(m.org_code == code for m in measures)
        assert len(svc.procurements.list(code)) == len(svc.procurements.list(template_code)) == 6
        assert {p.org_code for p in svc.procurements.list(code)} == {code}
        complaints = svc.complaints.list(code)
        assert len(complaints) == 5 and {c.org_code for c in complaints} == {code}
        mayor = svc.users.get(f"mayor-{code}")
        assert mayor.org_codes == [code] and mayor.role is Role.EXECUTIVE
        with_identity = [c for c in complaints if c.personal]
        assert with_identity, "the generated year has complainants who gave their name"
        assert svc.complaints.identity(mayor, with_identity[0].id, "ตรวจสอบข้อมูลผู้ร้อง")  # the copied key opens it


def test_the_chain_verifies_and_an_auditor_searches_across_the_copies(copied):
    svc, _, _, _ = copied
    codes = [national.code_of(i) for i in range(3)]
    svc.projections.catch_up()
    result = svc.oversight.verify(svc.oversight.issue_checkpoint())
    assert result["ok"], result["findings"][:3]
    per_org = [svc.oversight.count(code, aggregate_type="Procurement") for code in codes]
    assert per_org[0] > 0 and len(set(per_org)) == 1
    assert svc.oversight.count(codes, aggregate_type="Procurement") == sum(per_org)
    found = svc.oversight.search(codes, aggregate_type="Procurement", limit=1000)
    assert Counter(row["org_code"] for row in found) == dict.fromkeys(codes, per_org[0])
    assert svc.oversight.search(codes[1:], aggregate_type="Procurement", limit=1000) == [
        row for row in found if row["org_code"] != codes[0]
    ]
