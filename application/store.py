"""The one event-sourced application every module writes through (ADR 0001: one global order)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from copy import deepcopy
from datetime import date, datetime, time
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, EventSourcedLog
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoding

from domain.clock import BANGKOK, event_time
from domain.errors import NotFound, StaleVersion
from domain.plan import OrganisationLogged, organisations_log_id

A = TypeVar("A", bound=Aggregate)
E = TypeVar("E")


class Index(EventSourcedLog[E]):  # type: ignore[type-var]
    """An append-only index (the library's ``EventSourcedLog``) stamped by the one injected clock."""

    def _trigger_event(self, logged_cls: Any, next_originator_version: int | None = None, **kwargs: Any) -> Any:
        if next_originator_version is None:
            last = self.get_last()
            next_originator_version = 1 if last is None else last.originator_version + 1
        return logged_cls(
            originator_id=self.originator_id,
            originator_version=next_originator_version,
            timestamp=event_time(),
            **kwargs,
        )


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class Prongsai(Application):
    """All aggregates of all organisations, in one store with one notification log."""

    name = "Prongsai"
    env = {
        # Commands get → call → save; the cache fast-forwards instead of replaying.
        "AGGREGATE_CACHE_MAXSIZE": "20000",
    }

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env=env)
        self.organisations_log: Index[OrganisationLogged] = Index(
            self.events, organisations_log_id(), OrganisationLogged
        )
        # find_many's change feed: the log position read up to, when each aggregate last changed there,
        # and the position as of which each cached aggregate was loaded.
        self._feed_lock = threading.Lock()
        self._feed_position = 0
        self._changed_at: dict[UUID, int] = {}
        self._loaded_at: dict[UUID, int] = {}

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def load(self, cls: type[A], aggregate_id: UUID, version: int | None = None) -> A:
        try:
            aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(
                f"ไม่พบข้อมูล ({cls.__name__} {aggregate_id})", f"{cls.__name__} {aggregate_id} not found"
            ) from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"ไม่พบข้อมูล ({aggregate_id})", f"{cls.__name__} {aggregate_id} not found")
        return aggregate

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate, or ``None`` — one read, where "exists, then load" would take two."""
        try:
            return self.load(cls, aggregate_id)
        except NotFound:
            return None

    def find_many(self, cls: type[A], aggregate_ids: list[UUID], where: Callable[[A], bool] | None = None) -> list[A]:
        """The aggregates that exist (and satisfy ``where``), in the order asked, current as of this call.

        A list page asks for a hundred aggregates; asking the store whether each changed would be a
        hundred queries. Instead one query reads what the log recorded since the last call (its
        notifications, in order: the store commits them in order), and every cached aggregate that
        did not change since it was loaded is taken from the cache without asking the store. ``where`` is
        asked of the cached state first, so only the aggregates it keeps are copied out of the cache.
        """
        cache = self.repository.cache
        if cache is None:
            found = [a for a in (self.find(cls, i) for i in aggregate_ids) if a is not None]
            return [a for a in found if where is None or where(a)]
        position = self._follow_the_log()
        found = []
        for aggregate_id in aggregate_ids:
            aggregate = None
            if self._changed_at.get(aggregate_id, 0) <= self._loaded_at.get(aggregate_id, -1):
                try:
                    cached = cache.get(aggregate_id)
                except KeyError:
                    cached = None
                if cached is not None:
                    if not isinstance(cached, cls) or (where is not None and not where(cached)):
                        continue
                    aggregate = deepcopy(cached)
            if aggregate is None:
                aggregate = self.find(cls, aggregate_id)  # fast-forwards from the store: current as of now
                if aggregate is None:
                    continue
                self._loaded_at[aggregate_id] = position
            if isinstance(aggregate, cls) and (where is None or where(aggregate)):
                found.append(aggregate)
        return found

    def _follow_the_log(self) -> int:
        with self._feed_lock:
            head = self.recorder.max_notification_id() or 0
            if head - self._feed_position > 10_000 or len(self._changed_at) > 200_000:
                self._changed_at.clear()  # too far behind to read: forget what was loaded, load afresh
                self._loaded_at.clear()
            elif head > self._feed_position:
                unseen = head - self._feed_position
                for notification in self.recorder.select_notifications(self._feed_position + 1, unseen, stop=head):
                    self._changed_at[notification.originator_id] = notification.id
            self._feed_position = head
            return head

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.repository

    def commit(self, *aggregates: Aggregate | OrganisationLogged | None) -> int | None:
        """Save in one transaction; a concurrent writer's win becomes :class:`StaleVersion`."""
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            raise StaleVersion(
                "มีผู้อื่นบันทึกข้อมูลนี้ก่อนแล้ว กรุณาโหลดข้อมูลล่าสุด",
                "someone else changed this record first; reload the current version",
            ) from None
        self.cache_saved(aggregates)
        return recordings[-1].notification.id if recordings else None

    def cache_saved(self, objects: tuple[Any, ...]) -> None:
        """Write-through: what was just saved is the current state, so the next get need not replay.

        A copy goes into the cache (callers keep theirs); fast-forwarding on get still picks up
        anything another process or thread saved after it.
        """
        cache = self.repository.cache
        if cache is None:
            return
        for obj in objects:
            if isinstance(obj, Aggregate):
                cache.put(obj.id, deepcopy(obj))

    def stored_events(self, aggregate_id: UUID) -> Iterator[Any]:
        return self.events.get(aggregate_id)

    def as_of(self, cls: type[A], aggregate_id: UUID, moment: datetime) -> A | None:
        """The aggregate as recorded at ``moment``, or ``None`` if it did not exist yet."""
        version = self.version_at(aggregate_id, moment)
        return None if version is None else self.load(cls, aggregate_id, version=version)

    def as_of_period(
        self,
        aggregate_id: UUID,
        period_end: date,
        known_at: datetime,
        dated: dict[str, str],
    ) -> Any:
        """The aggregate as a period ending on ``period_end`` saw it, with what was known at ``known_at``.

        Every event recorded by the period's end counts. An event recorded later counts only if it
        carries a business date (``dated``: event name → its date field) within the period — a step
        done in March and entered in April belongs to March. Business dates are never in the future
        when recorded, so nothing recorded by the period's end lies outside it. Later events of
        other kinds are passed over without being decoded. The creation counts whenever it was
        recorded (a plan imported after the period still lists its items); ``None``: the aggregate
        was not known at ``known_at``.
        """
        cutoff = min(datetime.combine(period_end, time.max, tzinfo=BANGKOK), known_at)
        aggregate: Any = None
        late = False
        for stored in self.recorder.select_events(aggregate_id):
            name = stored.topic.rsplit(".", 1)[-1]
            if late and name not in dated and aggregate is not None:
                continue
            domain_event = self.mapper.to_domain_event(stored)
            if domain_event.timestamp > known_at:
                break  # an aggregate's events are recorded in order: the rest came later still
            if not late and domain_event.timestamp > cutoff:
                late = True
            if (
                aggregate is not None
                and late
                and (name not in dated or getattr(domain_event, dated[name]) > period_end)
            ):
                continue
            if aggregate is None:
                aggregate = domain_event.mutate(None)
            else:  # apply without the library's next-version check: passed-over events leave gaps
                domain_event.apply(aggregate)
                aggregate.version = domain_event.originator_version
        return aggregate

    def version_at(self, aggregate_id: UUID, moment: datetime) -> int | None:
        version = None
        for domain_event in self.events.get(aggregate_id):
            if domain_event.timestamp > moment:
                break
            version = domain_event.originator_version
        return version


def check_version(aggregate: Aggregate, expected: int) -> None:
    if aggregate.version != expected:
        raise StaleVersion(
            f"ข้อมูลเปลี่ยนไปแล้ว (ฉบับที่ {expected} → {aggregate.version}) กรุณาโหลดข้อมูลล่าสุด",
            f"stale version {expected}: the current version is {aggregate.version}",
            current_version=aggregate.version,
        )
