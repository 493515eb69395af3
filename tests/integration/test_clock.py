"""One clock: business dates are Bangkok dates, and every event is stamped by the injected clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.errors import InvalidInput
from tests.integration.test_measure_workflow import EVIDENCE, measure_id, run_to_in_progress

pytestmark = pytest.mark.store


def test_today_is_the_bangkok_date_before_seven_in_the_morning(seeded, people):
    svc = seeded
    m = run_to_in_progress(svc, people, "1.1.1-2")
    # 06:30 on 1 July in Bangkok is still 30 June in UTC: "completed today" must be accepted.
    svc.clock.set(datetime(2019, 6, 30, 23, 30, tzinfo=UTC))
    assert svc.measures.today() == date(2019, 7, 1)
    m = svc.measures.complete_step(people.staff, m.id, m.version, 1, date(2019, 7, 1), EVIDENCE)
    assert m.steps_done[1]["completed_on"] == date(2019, 7, 1)
    with pytest.raises(InvalidInput):  # tomorrow in Bangkok is still the future
        svc.measures.complete_step(people.staff, m.id, m.version, 2, date(2019, 7, 2), EVIDENCE)


def test_events_carry_the_injected_clock(seeded, people):
    svc = seeded
    moment = datetime(2019, 8, 1, 3, 0, tzinfo=UTC)
    svc.clock.set(moment)
    m = svc.measures.submit(people.staff, measure_id("2.3.2"), 1)
    last = list(svc.app.stored_events(m.id))[-1]
    assert moment < last.timestamp < datetime(2019, 8, 1, 3, 1, tzinfo=UTC)
    entry = svc.app.organisations_log.get_last()
    assert entry is not None and entry.timestamp.year == 2019  # index entries too
