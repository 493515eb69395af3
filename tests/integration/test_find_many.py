"""Lists read through the change feed are current: what another process wrote is seen at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.measure import Measure, Status
from infrastructure.bootstrap import bootstrap
from infrastructure.clock import ManualClock
from tests.conftest import ORG, START, test_settings

pytestmark = pytest.mark.store


def test_a_list_sees_what_another_process_just_wrote(seeded, people, store_url: str, tmp_path: Path) -> None:
    svc = seeded
    first = Measure.create_id(ORG, "2562-2564", "1.1.2", 2562)
    listed = svc.measures.list(ORG, 2562)
    assert {m.status for m in listed} == {Status.PLANNED}
    assert len(svc.measures.list(ORG, 2562)) == len(listed)  # from the cache now

    other = bootstrap(test_settings(store_url, tmp_path), clock=ManualClock(START))  # another API process
    try:
        staff = other.users.get("staff")
        other.measures.submit(staff, first, 1)
    finally:
        other.close()

    again = {m.id: m for m in svc.measures.list(ORG, 2562)}
    assert again[first].status is Status.SUBMITTED and again[first].version == 2
    assert [m.id for m in svc.measures.list(ORG, 2562, Status.SUBMITTED)] == [first]
    assert svc.measures.published(ORG) == []


def test_a_listed_measure_is_a_copy_the_caller_may_change(seeded, people) -> None:
    svc = seeded
    listed = svc.measures.list(ORG, 2562)
    listed[0].name_for_test = "changed"  # a caller's change stays with the caller
    assert not hasattr(svc.measures.list(ORG, 2562)[0], "name_for_test")


def test_readers_at_the_same_moment_are_all_logged_and_none_refused(seeded, people) -> None:
    """Each auditor read is appended to the access log; racing readers used to get 409 (make load found it)."""
    from concurrent.futures import ThreadPoolExecutor

    svc = seeded
    before = len(svc.oversight.accesses(ORG))
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(
            pool.map(lambda i: svc.oversight.record_access(people.auditor, ORG, "audit/events", f"read {i}"), range(40))
        )
    reasons = [a["reason"] for a in svc.oversight.accesses(ORG)[before:]]
    assert sorted(reasons) == sorted(f"read {i}" for i in range(40))


def test_records_registered_at_the_same_moment_are_all_accepted(seeded, people) -> None:
    """Procurements and delegation orders of one organisation take the next place in its index; two at the
    same moment used to refuse the second with 409 'someone else changed this record first'."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import timedelta

    from tests.conftest import TODAY
    from tests.integration.test_delegations import scope

    svc = seeded

    def register(i: int) -> object:
        p, _ = svc.procurements.register(
            people.clerk, ORG, f"6601900{i:04d}", "ซ่อมถนน", "กองช่าง", 100_000_00, "specific"
        )
        return p

    def draft(i: int) -> object:
        day = TODAY - timedelta(days=3)
        return svc.delegations.draft(people.clerk, ORG, f"{i}/2562", day, "mayor", "head", [scope()], day)

    with ThreadPoolExecutor(max_workers=8) as pool:
        registered = list(pool.map(register, range(24)))
        drafted = list(pool.map(draft, range(1, 25)))
    assert len({p.id for p in registered}) == 24 == len({d.id for d in drafted})
    assert len(svc.procurements.list(ORG)) == 24
