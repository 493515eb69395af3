"""One clock for the whole service: business dates are Thai dates (Asia/Bangkok).

The domain never reads the wall clock. The composition root hands every service one ``Clock``
and installs the same clock for event timestamps (:func:`use_for_events`), so an event's
timestamp, the "today" a rule checks against and the moment an authority is asked about all
come from one source — the system clock in production, a manual clock in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from typing import Protocol

BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


def business_date(moment: datetime) -> date:
    """The date in Thailand at a moment: every business date is a Bangkok date."""
    return moment.astimezone(BANGKOK).date()


def today(clock: Clock) -> date:
    return business_date(clock.now())


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=BANGKOK)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BANGKOK)


_event_clock: Callable[[], datetime] | None = None


def use_for_events(clock: Clock) -> None:
    """Stamp every event the domain records with this clock (called once by the composition root)."""
    global _event_clock
    _event_clock = clock.now


def event_time() -> datetime:
    if _event_clock is None:
        # Nothing installed a clock (a bare unit test): the library's own UTC clock.
        from eventsourcing.domain import datetime_now_with_tzinfo

        return datetime_now_with_tzinfo()
    return _event_clock()
