"""The aggregate base every Prongsai aggregate shares."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any, ClassVar

from eventsourcing.domain import Aggregate

from domain.clock import event_time


class ProngsaiAggregate(Aggregate):
    """An aggregate whose copies (handed out by the repository cache) are cheap.

    Containers are copied deeply; immutable values (ids, dates, enums, strings) are shared; and
    attributes named in ``_SHARED_STATE`` are shared too, because they are only ever replaced
    as a whole by an event, never mutated in place.
    """

    _SHARED_STATE: ClassVar[frozenset[str]] = frozenset()

    class Event(Aggregate.Event):
        @staticmethod
        def create_timestamp() -> datetime:
            return event_time()  # the one injected clock (domain/clock.py)

    class Created(Event, Aggregate.Created):
        pass

    def __deepcopy__(self, memo: dict[int, Any]) -> ProngsaiAggregate:
        clone = object.__new__(type(self))
        for key, value in self.__dict__.items():
            if key not in self._SHARED_STATE and isinstance(value, (dict, list, set)):
                value = copy.deepcopy(value, memo)
            clone.__dict__[key] = value
        return clone
