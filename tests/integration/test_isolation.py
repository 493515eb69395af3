"""One store, many organisations: nothing of one is visible or writable through another."""

from __future__ import annotations

import pytest

from domain.errors import NotFound
from domain.measure import Measure
from infrastructure.plan_parser import parse_plan
from tests.conftest import ORG, OTHER_ORG

pytestmark = pytest.mark.store


def test_outsider_cannot_read_or_write_another_organisations_measures(seeded, people, seed_text):
    svc = seeded
    svc.plans.import_plan(parse_plan(seed_text), OTHER_ORG)  # same plan text, other organisation
    mine = Measure.create_id(ORG, "2562-2564", "2.3.2", 2562)
    theirs = Measure.create_id(OTHER_ORG, "2562-2564", "2.3.2", 2562)
    assert mine != theirs

    for action in (
        lambda: svc.measures.get(people.outsider, mine),
        lambda: svc.measures.submit(people.outsider, mine, 1),
        lambda: svc.history.events(people.outsider, mine),
        lambda: svc.history.as_of(people.outsider, mine, version=1),
        lambda: svc.measures.get(people.staff, theirs),
        lambda: svc.measures.approve(people.mayor, theirs, 1),
    ):
        with pytest.raises(NotFound):
            action()

    svc.measures.submit(people.outsider, theirs, 1)
    assert svc.measures.get(people.staff, mine).version == 1
    assert svc.measures.get(people.outsider, theirs).version == 2
    # the auditor spans both organisations and sees both
    assert svc.measures.get(people.auditor, mine).org_code == ORG
    assert svc.measures.get(people.auditor, theirs).org_code == OTHER_ORG
    mine_listed = {m.org_code for m in svc.measures.list(ORG)}
    assert mine_listed == {ORG}
