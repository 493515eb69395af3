"""Projections: read models that follow the notification log exactly once.

Each projection writes its rows and its position in one transaction of the read-model database
(the event store's own database), so after a crash or restart it resumes exactly where it stopped:
no event applied twice, none missed. Batches are claimed under a lock on the position row, so
several workers may run without double-applying.

Over 400 lines on purpose: the three projections, their runner and the queries the application asks
of their tables (application/ports.py: ``ReadModels``) are kept with the SQL they share.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Any, Protocol

import orjson

from application.ports import Progress
from application.store import Prongsai
from domain import merkle
from domain.chain import GENESIS, event_digest, next_link
from domain.obligations import Obligation
from domain.red_flags import Award, RedFlagSettings, firm_key, patterns
from infrastructure.read_models import read_ahead


class Cursor(Protocol):
    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any: ...
    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None: ...
    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None: ...
    def fetchone(self) -> tuple[Any, ...] | None: ...
    def fetchall(self) -> list[tuple[Any, ...]]: ...


class ReadModelStore(Protocol):
    postgres: bool

    def transaction(self) -> AbstractContextManager[Cursor]: ...
    def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


def aggregate_type(topic: str) -> str:
    """``domain.measure:Measure.Planned`` → ``Measure``."""
    qualname = topic.split(":", 1)[-1]
    return qualname.split(".")[0]


def event_name(topic: str) -> str:
    return topic.rsplit(".", 1)[-1]


class Projection:
    name: str = ""
    ddl: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    # What apply() needs besides the stored row: "event" (decoded domain events, only for topics
    # starting with ``topic_prefix``), "dict" (the event's stored fields as plain JSON) or "none".
    needs: str = "event"
    topic_prefix: str = ""
    # With "event": the event names apply() acts on; others are passed as None, never decoded.
    events: frozenset[str] | None = None

    def apply(self, cursor: Cursor, batch: list[tuple[Any, Any]]) -> None:
        """Write rows for a batch of ``(notification, domain event or None)`` in order."""
        raise NotImplementedError


class ChainProjection(Projection):
    name = "chain"
    needs = "digest"
    tables = ("chain_links",)
    ddl = (
        "CREATE TABLE IF NOT EXISTS chain_links ("
        " position BIGINT PRIMARY KEY, digest TEXT NOT NULL, link TEXT NOT NULL)",
    )

    def apply(self, cursor: Cursor, batch: list[tuple[Any, Any]]) -> None:
        row = cursor.execute("SELECT link FROM chain_links ORDER BY position DESC LIMIT 1").fetchone()
        link = bytes.fromhex(row[0]) if row else GENESIS
        rows = []
        for n, digest in batch:
            link = next_link(link, n.id, digest)
            rows.append((n.id, digest.hex(), link.hex()))
        cursor.insert_rows("chain_links", ("position", "digest", "link"), rows)


class MerkleProjection(Projection):
    """The log as an RFC 9162 Merkle tree: one leaf per stored event (the leaf is the event's chain
    digest), and the hash of every *complete* subtree saved as it completes. Any root, inclusion path
    or consistency proof is then a few dozen saved nodes away (O(log² n) reads), never a walk of the
    log. Leaves are numbered 0, 1, 2 … in log order: positions may skip numbers, leaves never do."""

    name = "merkle"
    needs = "digest"
    tables = ("merkle_nodes", "merkle_leaves")
    # Leaves (level 0) with their log position; nodes of complete subtrees above them (level ≥ 1).
    ddl = (
        "CREATE TABLE IF NOT EXISTS merkle_nodes ("
        " level INTEGER NOT NULL, idx BIGINT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (level, idx))",
        "CREATE TABLE IF NOT EXISTS merkle_leaves ("
        " leaf BIGINT PRIMARY KEY, position BIGINT NOT NULL, hash TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS merkle_leaves_position ON merkle_leaves (position)",
    )

    def apply(self, cursor: Cursor, batch: list[tuple[Any, Any]]) -> None:
        row = cursor.execute("SELECT MAX(leaf) FROM merkle_leaves").fetchone()
        size = 0 if row is None or row[0] is None else int(row[0]) + 1
        made: dict[tuple[int, int], bytes] = {}

        def node(level: int, idx: int) -> bytes:
            if (level, idx) not in made:
                found = cursor.execute(
                    "SELECT hash FROM merkle_leaves WHERE leaf = ?"
                    if level == 0
                    else "SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?",
                    (idx,) if level == 0 else (level, idx),
                ).fetchone()
                made[(level, idx)] = bytes.fromhex(found[0])
            return made[(level, idx)]

        leaves = []
        for n, digest in batch:
            index = size + len(leaves)
            h = merkle.leaf_hash(digest)
            leaves.append((index, n.id, h.hex()))
            made[(0, index)] = h
            level, idx = 0, index
            while idx & 1:  # a right child completes its parent
                h = merkle.node_hash(node(level, idx - 1), h)
                level, idx = level + 1, idx >> 1
                made[(level, idx)] = h
        # Nodes whose last leaf came before this batch were read, not made: written once, long ago.
        new = [(level, idx, h.hex()) for (level, idx), h in made.items() if level and (idx + 1) << level > size]
        cursor.insert_rows("merkle_leaves", ("leaf", "position", "hash"), leaves)
        cursor.insert_rows("merkle_nodes", ("level", "idx", "hash"), new)


def org_of_fields(fields: dict[str, Any], topic: str) -> str | None:
    org = fields.get("org_code")
    if org:
        return org
    codes = fields.get("org_codes")
    if codes:
        return codes[0]
    return fields.get("code") if aggregate_type(topic) == "Organisation" else None


def stored_time(value: Any) -> str:
    """A timestamp as stored by the JSON transcoder (``{"_type_": "datetime_iso", "_data_": …}``)."""
    return value["_data_"] if isinstance(value, dict) else str(value)


class EventIndexProjection(Projection):
    """The auditor's index: every event by organisation, aggregate, type, actor and time."""

    name = "event_index"
    needs = "dict"
    tables = ("event_index", "aggregate_orgs")
    ddl = (
        "CREATE TABLE IF NOT EXISTS event_index ("
        " position BIGINT PRIMARY KEY, org_code TEXT, aggregate_id TEXT NOT NULL,"
        " aggregate_type TEXT NOT NULL, event_type TEXT NOT NULL, version BIGINT NOT NULL,"
        " actor_username TEXT, actor_role TEXT, ts TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS event_index_org_ts ON event_index (org_code, ts)",
        "CREATE INDEX IF NOT EXISTS event_index_aggregate ON event_index (aggregate_id)",
        "CREATE TABLE IF NOT EXISTS aggregate_orgs (aggregate_id TEXT PRIMARY KEY, org_code TEXT)",
    )

    # Aggregates whose organisation is remembered between batches; past this many the memory is
    # cleared (flat memory on a national log) and what was forgotten is read back, a batch at a time.
    REMEMBERED = 200_000

    def __init__(self) -> None:
        self.orgs: dict[str, str | None] = {}

    def apply(self, cursor: Cursor, batch: list[tuple[Any, Any]]) -> None:
        if len(self.orgs) > self.REMEMBERED:
            self.orgs.clear()
        own = [org_of_fields(fields, n.topic) for n, fields in batch]
        missing = {str(n.originator_id) for (n, _), org in zip(batch, own, strict=True) if org is None}
        found = rows_in(cursor, "SELECT aggregate_id, org_code FROM aggregate_orgs", "aggregate_id",
                        sorted(missing - self.orgs.keys()))  # fmt: skip
        self.orgs.update((str(a), o) for a, o in found)
        rows, new_orgs = [], {}
        for (n, fields), org in zip(batch, own, strict=True):
            aggregate_id = str(n.originator_id)
            if org is None:
                org = self.orgs.setdefault(aggregate_id, None)  # not recorded anywhere: an organisation-less record
            elif self.orgs.get(aggregate_id) != org:
                self.orgs[aggregate_id] = new_orgs[aggregate_id] = org
            actor = fields.get("actor") or {}
            rows.append(
                (
                    n.id,
                    org,
                    aggregate_id,
                    aggregate_type(n.topic),
                    event_name(n.topic),
                    n.originator_version,
                    actor.get("username"),
                    actor.get("role"),
                    stored_time(fields["timestamp"]),
                )
            )
        rows_in(cursor, "DELETE FROM aggregate_orgs", "aggregate_id", list(new_orgs))
        cursor.insert_rows("aggregate_orgs", ("aggregate_id", "org_code"), list(new_orgs.items()))
        cursor.insert_rows("event_index", ("position", "org_code", "aggregate_id", "aggregate_type", "event_type",
                                           "version", "actor_username", "actor_role", "ts"), rows)  # fmt: skip


def rows_in(cursor: Cursor, statement: str, column: str, ids: Sequence[str], tail: str = "") -> list[tuple[Any, ...]]:
    """``statement WHERE column IN (ids) tail`` in pieces small enough for either store; the rows of a SELECT."""
    found: list[tuple[Any, ...]] = []
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        result = cursor.execute(f"{statement} WHERE {column} IN ({', '.join('?' * len(chunk))}){tail}", chunk)
        if statement.lstrip().upper().startswith("SELECT"):
            found += result.fetchall()
    return found


MEASURE_TOPIC = "domain.measure:Measure."
STATUS_OF_EVENT = {
    "SubmittedForApproval": "submitted",
    "Returned": "returned",
    "Approved": "approved",
    "Started": "in_progress",
    "Completed": "completed",
    "ResultReported": "result_reported",
    "CouldNotProceed": "could_not_proceed",
}


class MeasureProgressProjection(Projection):
    """One row per measure with what the national progress form asks for."""

    name = "measure_progress"
    topic_prefix = MEASURE_TOPIC
    # What apply_one acts on (a corrected step, say, changes no column: it is never decoded).
    events = frozenset({"Planned", "PlanDetailsRevised", "Published", "StepCompleted", "DisbursementRecorded",
                        "DisbursementReversed", *STATUS_OF_EVENT})  # fmt: skip
    tables = ("measure_progress", "measure_disbursements")
    ddl = (
        "CREATE TABLE IF NOT EXISTS measure_progress ("
        " measure_id TEXT PRIMARY KEY, org_code TEXT NOT NULL, plan_key TEXT NOT NULL,"
        " code TEXT NOT NULL, fiscal_year INTEGER NOT NULL, dimension INTEGER, mission TEXT,"
        " kind TEXT, name TEXT, responsible_unit TEXT, kpis TEXT, allocation_satang BIGINT,"
        " status TEXT NOT NULL, not_proceed_reason TEXT, not_proceed_note TEXT,"
        " kpi_actuals TEXT, result_summary TEXT, published INTEGER NOT NULL DEFAULT 0,"
        " steps_total INTEGER NOT NULL DEFAULT 0, steps_done INTEGER NOT NULL DEFAULT 0,"
        " started_on TEXT, completed_on TEXT, updated_at TEXT)",
        "CREATE INDEX IF NOT EXISTS measure_progress_org_year ON measure_progress (org_code, fiscal_year)",
        "CREATE TABLE IF NOT EXISTS measure_disbursements ("
        " measure_id TEXT NOT NULL, idx INTEGER NOT NULL, paid_on TEXT NOT NULL,"
        " amount_satang BIGINT NOT NULL, reversed INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (measure_id, idx))",
    )

    COLUMNS = ("measure_id", "org_code", "plan_key", "code", "fiscal_year", "dimension", "mission", "kind", "name",
               "responsible_unit", "kpis", "allocation_satang", "status", "not_proceed_reason", "not_proceed_note",
               "kpi_actuals", "result_summary", "published", "steps_total", "steps_done", "started_on",
               "completed_on", "updated_at")  # fmt: skip
    PAID = ("measure_id", "idx", "paid_on", "amount_satang", "reversed")

    def apply(self, cursor: Cursor, batch: list[tuple[Any, Any]]) -> None:
        """The batch's measures are read once, changed in memory event by event, and written back once:
        a few statements per batch, where a statement per event would be a round trip per event."""
        events = [(str(n.originator_id), event_name(n.topic), e) for n, e in batch if e is not None]
        ids = sorted({mid for mid, _, _ in events})
        rows: dict[str, dict[str, Any]] = {}
        paid: dict[str, list[list[Any]]] = {mid: [] for mid in ids}
        for row in rows_in(cursor, f"SELECT {', '.join(self.COLUMNS)} FROM measure_progress", "measure_id", ids):
            rows[row[0]] = dict(zip(self.COLUMNS, row, strict=True))
        for row in rows_in(cursor, f"SELECT {', '.join(self.PAID)} FROM measure_disbursements", "measure_id", ids,
                           " ORDER BY measure_id, idx"):  # fmt: skip
            paid[row[0]].append(list(row))
        for mid, kind, e in events:
            self.apply_one(rows, paid, mid, kind, e)
        rows_in(cursor, "DELETE FROM measure_progress", "measure_id", ids)
        rows_in(cursor, "DELETE FROM measure_disbursements", "measure_id", ids)
        cursor.insert_rows("measure_progress", self.COLUMNS,
                           [tuple(r[c] for c in self.COLUMNS) for r in rows.values()])  # fmt: skip
        cursor.insert_rows("measure_disbursements", self.PAID, [tuple(p) for mid in ids for p in paid[mid]])

    @staticmethod
    def apply_one(rows: dict[str, dict[str, Any]], paid: dict[str, list[list[Any]]], mid: str, kind: str,
                  e: Any) -> None:  # fmt: skip
        ts = e.timestamp.isoformat()
        if kind == "Planned":
            d = e.details
            rows[mid] = dict.fromkeys(MeasureProgressProjection.COLUMNS) | {
                "measure_id": mid, "org_code": e.org_code, "plan_key": e.plan_key, "code": e.code,
                "fiscal_year": e.fiscal_year, "dimension": d.get("dimension"), "mission": d.get("mission"),
                "kind": d.get("kind"), "name": d.get("name"), "responsible_unit": d.get("responsible_unit"),
                "kpis": json.dumps(d.get("kpis") or [], ensure_ascii=False), "allocation_satang": e.allocation_satang,
                "status": "planned", "published": 0, "steps_total": len(d.get("steps") or []), "steps_done": 0,
                "updated_at": ts,
            }  # fmt: skip
            return
        r = rows.get(mid)
        if r is None:  # a measure never planned: nothing to change (as an UPDATE of no row)
            return
        if kind == "PlanDetailsRevised":
            d = e.details
            kpis = json.dumps(d.get("kpis") or [], ensure_ascii=False)
            r.update(dimension=d.get("dimension"), mission=d.get("mission"), kind=d.get("kind"), name=d.get("name"),
                     responsible_unit=d.get("responsible_unit"), kpis=kpis, allocation_satang=e.allocation_satang,
                     steps_total=len(d.get("steps") or []), updated_at=ts)  # fmt: skip
        elif kind in STATUS_OF_EVENT:
            r.update(status=STATUS_OF_EVENT[kind], updated_at=ts)
            if kind == "Started":
                r["started_on"] = e.started_on.isoformat()
            elif kind == "Completed":
                r["completed_on"] = e.completed_on.isoformat()
            elif kind == "ResultReported":
                r.update(kpi_actuals=json.dumps(e.kpi_actuals, ensure_ascii=False), result_summary=e.summary)
            elif kind == "CouldNotProceed":
                r.update(not_proceed_reason=e.reason, not_proceed_note=e.note)
        elif kind == "Published":
            r.update(published=1, updated_at=ts)
            if r["status"] == "result_reported":
                r["status"] = "published"
        elif kind == "StepCompleted":
            r.update(steps_done=r["steps_done"] + 1, updated_at=ts)
        elif kind == "DisbursementRecorded":
            paid[mid].append([mid, len(paid[mid]) + 1, e.paid_on.isoformat(), e.amount_satang, 0])
        elif kind == "DisbursementReversed":
            for entry in paid[mid]:
                if entry[1] == e.index:
                    entry[4] = 1


PROCUREMENT_TOPIC = "domain.procurement:Procurement."


class RedFlagProjection(Projection):
    """The red-flag register: every flag raised, with the procurement's organisation, unit, year and
    project number, for auditors to filter by rule, unit and period within an organisation or across."""

    name = "red_flags"
    topic_prefix = PROCUREMENT_TOPIC
    events = frozenset({"Registered", "RedFlagRaised"})
    tables = ("red_flags", "red_flag_procurements")
    ddl = (
        "CREATE TABLE IF NOT EXISTS red_flag_procurements (procurement_id TEXT PRIMARY KEY, org_code TEXT NOT NULL,"
        " unit TEXT NOT NULL, fiscal_year INTEGER NOT NULL, project_no TEXT NOT NULL, subject TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS red_flags (position BIGINT PRIMARY KEY, procurement_id TEXT NOT NULL,"
        " org_code TEXT NOT NULL, unit TEXT NOT NULL, fiscal_year INTEGER NOT NULL, project_no TEXT NOT NULL,"
        " subject TEXT NOT NULL, rule TEXT NOT NULL, version INTEGER NOT NULL, notice INTEGER NOT NULL,"
        " numbers TEXT NOT NULL, message_th TEXT NOT NULL, message_en TEXT NOT NULL, acknowledgement TEXT NOT NULL,"
        " signer TEXT, ts TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS red_flags_org_rule ON red_flags (org_code, rule, ts)",
    )
    COLUMNS = ("position", "procurement_id", "org_code", "unit", "fiscal_year", "project_no", "subject", "rule",
               "version", "notice", "numbers", "message_th", "message_en", "acknowledgement", "signer",
               "ts")  # fmt: skip

    def apply(self, cursor: Cursor, batch: list[tuple[Any, Any]]) -> None:
        registered, flags = [], []
        for n, e in batch:
            if e is None:
                continue
            if event_name(n.topic) == "Registered":
                registered.append((str(n.originator_id), e.org_code, e.unit, e.fiscal_year, e.project_no, e.subject))
            else:
                flags.append((n, e))
        cursor.insert_rows("red_flag_procurements", ("procurement_id", "org_code", "unit", "fiscal_year", "project_no",
                                                     "subject"), registered)  # fmt: skip
        if not flags:
            return
        ids = sorted({str(n.originator_id) for n, _ in flags})
        select = "SELECT procurement_id, org_code, unit, fiscal_year, project_no, subject FROM red_flag_procurements"
        known = {str(row[0]): tuple(row[1:]) for row in rows_in(cursor, select, "procurement_id", ids)}
        rows = []
        for n, e in flags:
            org, unit, year, project_no, subject = known[str(n.originator_id)]
            numbers = json.dumps(e.numbers, ensure_ascii=False, sort_keys=True)
            rows.append((n.id, str(n.originator_id), org, unit, year, project_no, subject, e.rule, e.version,
                         e.notices[0], numbers, e.message_th, e.message_en, e.acknowledgement,
                         e.actor.get("username"), e.timestamp.isoformat()))  # fmt: skip
        cursor.insert_rows("red_flags", self.COLUMNS, rows)


class PatternFlagProjection(Projection):
    """Red flags across procurements (domain/red_flags.py ``PATTERNS``): each winner notice beside the
    organisation's earlier awards of its fiscal year, in the log's order, so the flag appears as soon as
    the worker (or the register's reader) reaches the notice that completes the pattern, and a rebuild
    from zero raises the same flags. The thresholds are settings; each flag keeps the ones it used."""

    name = "red_flag_patterns"
    topic_prefix = PROCUREMENT_TOPIC
    events = frozenset({"Registered", "NoticeIssued"})
    tables = ("pattern_procurements", "pattern_awards", "pattern_flags")
    ddl = (
        "CREATE TABLE IF NOT EXISTS pattern_procurements (procurement_id TEXT PRIMARY KEY, org_code TEXT NOT NULL,"
        " unit TEXT NOT NULL, fiscal_year INTEGER NOT NULL, project_no TEXT NOT NULL, subject TEXT NOT NULL,"
        " method TEXT NOT NULL, budget_satang BIGINT NOT NULL, notices INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS pattern_awards (position BIGINT PRIMARY KEY, procurement_id TEXT NOT NULL,"
        " org_code TEXT NOT NULL, fiscal_year INTEGER NOT NULL, award TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS pattern_awards_year ON pattern_awards (org_code, fiscal_year, position)",
        "CREATE TABLE IF NOT EXISTS pattern_flags (position BIGINT NOT NULL, rule TEXT NOT NULL,"
        " procurement_id TEXT NOT NULL, org_code TEXT NOT NULL, unit TEXT NOT NULL, fiscal_year INTEGER NOT NULL,"
        " project_no TEXT NOT NULL, subject TEXT NOT NULL, version INTEGER NOT NULL, notice INTEGER NOT NULL,"
        " numbers TEXT NOT NULL, message_th TEXT NOT NULL, message_en TEXT NOT NULL, ts TEXT NOT NULL,"
        " PRIMARY KEY (position, rule))",
        "CREATE INDEX IF NOT EXISTS pattern_flags_year ON pattern_flags (org_code, fiscal_year)",
    )
    PROCUREMENT = ("procurement_id", "org_code", "unit", "fiscal_year", "project_no", "subject", "method",
                   "budget_satang", "notices")  # fmt: skip
    FLAG = ("position", "rule", "procurement_id", "org_code", "unit", "fiscal_year", "project_no", "subject",
            "version", "notice", "numbers", "message_th", "message_en", "ts")  # fmt: skip

    def __init__(self, settings: RedFlagSettings | None = None) -> None:
        self.settings = settings or RedFlagSettings()

    def apply(self, cursor: Cursor, batch: list[tuple[Any, Any]]) -> None:
        fresh: dict[str, tuple[Any, ...]] = {}
        issued: dict[str, int] = {}  # notices issued in this batch, by procurement
        wins = []
        for n, e in batch:
            if e is None:
                continue
            pid = str(n.originator_id)
            if event_name(n.topic) == "Registered":
                fresh[pid] = (pid, e.org_code, e.unit, e.fiscal_year, e.project_no, e.subject,
                              str(getattr(e.method, "value", e.method)), e.budget_satang, 0)  # fmt: skip
                continue
            issued[pid] = issued.get(pid, 0) + 1
            if e.kind == "winner":
                wins.append((n, e, issued[pid]))
        cursor.insert_rows("pattern_procurements", self.PROCUREMENT, list(fresh.values()))
        if not issued:
            return
        select = f"SELECT {', '.join(self.PROCUREMENT)} FROM pattern_procurements"
        known = {str(r[0]): tuple(r) for r in rows_in(cursor, select, "procurement_id", sorted(issued))}
        cursor.executemany("UPDATE pattern_procurements SET notices = notices + ? WHERE procurement_id = ?",
                           [(count, pid) for pid, count in sorted(issued.items())])  # fmt: skip
        years: dict[tuple[str, int], tuple[list[Award], set[str]]] = {}
        awards, flags = [], []
        for n, e, nth in wins:
            pid, org, unit, year, project_no, subject, method, budget, before = known[str(n.originator_id)]
            d = e.details
            award = Award(pid, project_no, unit, int(year), method, subject, int(budget), int(d["agreed_satang"]),
                          e.announced_on, int(before) + nth, tuple(firm_key(b) for b in d["bidders"]),
                          tuple(str(b["name"]) for b in d["bidders"]))  # fmt: skip
            if (org, award.fiscal_year) not in years:
                years[(org, award.fiscal_year)] = self._year(cursor, org, award.fiscal_year)
            earlier, raised = years[(org, award.fiscal_year)]
            for flag in patterns(award, earlier, self.settings, frozenset(raised)):
                raised.add(flag.rule)
                flags.append((n.id, flag.rule, pid, org, unit, year, project_no, subject, flag.version, award.notice,
                              json.dumps(flag.numbers, ensure_ascii=False, sort_keys=True), flag.message_th,
                              flag.message_en, e.timestamp.astimezone(UTC).isoformat()))  # fmt: skip
            earlier.append(award)
            awards.append((n.id, pid, org, award.fiscal_year, json.dumps(self._stored(award), ensure_ascii=False)))
        cursor.insert_rows("pattern_awards", ("position", "procurement_id", "org_code", "fiscal_year", "award"), awards)
        cursor.insert_rows("pattern_flags", self.FLAG, flags)

    @staticmethod
    def _stored(award: Award) -> dict[str, Any]:
        return {**award.__dict__, "awarded_on": award.awarded_on.isoformat()}

    @staticmethod
    def _year(cursor: Cursor, org: str, year: int) -> tuple[list[Award], set[str]]:
        """The organisation's awards of a fiscal year so far, in the log's order, and the rules raised."""
        mine = "org_code = ? AND fiscal_year = ?"
        rows = cursor.execute(
            f"SELECT award FROM pattern_awards WHERE {mine} ORDER BY position", (org, year)
        ).fetchall()
        awards = []
        for (text,) in rows:
            a = json.loads(text)
            awards.append(Award(**{**a, "awarded_on": date.fromisoformat(a["awarded_on"]), "firms": tuple(a["firms"]),
                                   "names": tuple(a["names"])}))  # fmt: skip
        raised = {str(r[0]) for r in cursor.execute(f"SELECT DISTINCT rule FROM pattern_flags WHERE {mine}",
                                                      (org, year)).fetchall()}  # fmt: skip
        return awards, raised


def default_projections(flags: RedFlagSettings | None = None, reminders: Any = None,
                        report_deadline_day: int = 5) -> list[Projection]:  # fmt: skip
    from infrastructure.deadlines import (  # they build on this module
        CitizenUpdateProjection,
        DeadlineProjection,
        InboxProjection,
    )

    return [
        ChainProjection(),
        MerkleProjection(),
        EventIndexProjection(),
        MeasureProgressProjection(),
        MembersProjection(),
        RedFlagProjection(),
        PatternFlagProjection(flags),
        DeadlineProjection(reminders, report_deadline_day),
        InboxProjection(),
        CitizenUpdateProjection(),
    ]


def stored_fields(mapper: Any, state: bytes) -> dict[str, Any]:
    """The event's stored fields as plain JSON: no event classes built (the index needs no more)."""
    if getattr(mapper, "cipher", None) is not None:
        state = mapper.cipher.decrypt(state)
    if getattr(mapper, "compressor", None) is not None:
        state = mapper.compressor.decompress(state)
    return orjson.loads(state)


USER_TOPIC = "domain.people:User."


class MembersProjection(Projection):
    """Who works in each organisation, by name and position: the people a form may name (delegator,
    delegate, acting holder). Built from the users' own events, so it can be rebuilt like any other."""

    name = "members"
    topic_prefix = USER_TOPIC
    events = frozenset({"Registered", "Deactivated"})
    tables = ("members",)
    ddl = (
        "CREATE TABLE IF NOT EXISTS members ("
        " org_code TEXT NOT NULL, user_id TEXT NOT NULL, username TEXT NOT NULL, display_name TEXT NOT NULL,"
        " position TEXT NOT NULL, role TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1,"
        " PRIMARY KEY (org_code, user_id))",
    )

    def apply(self, cursor: Cursor, batch: list[tuple[Any, Any]]) -> None:
        for n, event in batch:
            if event is None:
                continue
            kind = event_name(n.topic)
            if kind == "Registered":
                role = getattr(event.role, "value", event.role)
                rows = [(org, str(n.originator_id), event.username, event.display_name, event.position or "", role)
                        for org in event.org_codes]  # fmt: skip
                cursor.executemany(
                    "INSERT INTO members (org_code, user_id, username, display_name, position, role)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (org_code, user_id) DO NOTHING",
                    rows,
                )
            elif kind == "Deactivated":
                cursor.execute("UPDATE members SET active = 0 WHERE user_id = ?", (str(n.originator_id),))

    @staticmethod
    def members(db: ReadModelStore, org_code: str) -> list[dict[str, Any]]:
        rows = db.query(
            "SELECT username, display_name, position, role FROM members WHERE org_code = ? AND active = 1"
            " ORDER BY display_name",
            (org_code,),
        )
        return [dict(zip(("username", "name", "position", "role"), row, strict=True)) for row in rows]


class Projections:
    """Runs projections over the one notification log: catch up, follow, rebuild."""

    POSITIONS_DDL = "CREATE TABLE IF NOT EXISTS projection_positions (name TEXT PRIMARY KEY, position BIGINT NOT NULL)"

    def __init__(
        self,
        app: Prongsai,
        db: ReadModelStore,
        projections: list[Projection] | None = None,
        batch: int = 1000,
    ) -> None:
        self.app = app
        self.db = db
        self.projections = {p.name: p for p in (projections or default_projections())}
        self.batch = batch
        self.setup()

    VERIFICATIONS_DDL = (
        "CREATE TABLE IF NOT EXISTS verifications (checkpoint_position BIGINT NOT NULL, verified_at TEXT NOT NULL,"
        " result TEXT NOT NULL)"
    )

    def setup(self) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(self.POSITIONS_DDL)
            cursor.execute(self.VERIFICATIONS_DDL)
            for projection in self.projections.values():
                for statement in projection.ddl:
                    cursor.execute(statement)
                cursor.execute(
                    "INSERT INTO projection_positions (name, position) VALUES (?, 0) ON CONFLICT (name) DO NOTHING",
                    (projection.name,),
                )

    def position(self, name: str) -> int:
        rows = self.db.query("SELECT position FROM projection_positions WHERE name = ?", (name,))
        return int(rows[0][0]) if rows else 0

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def step(self, name: str, stop: int | None = None) -> int:
        """Apply the next batch (if any) in one transaction; return how many events it applied."""
        projection = self.projections[name]
        lock = " FOR UPDATE" if self.db.postgres else ""
        with self.db.transaction() as cursor:
            row = cursor.execute(f"SELECT position FROM projection_positions WHERE name = ?{lock}", (name,)).fetchone()
            position = int(row[0])
            notifications = self.app.recorder.select_notifications(
                start=position, limit=self.batch, stop=stop, inclusive_of_start=False
            )
            if not notifications:
                return 0
            projection.apply(cursor, [(n, self.prepare(projection, n)) for n in notifications])
            cursor.execute("UPDATE projection_positions SET position = ? WHERE name = ?", (notifications[-1].id, name))
            return len(notifications)

    def prepare(self, projection: Projection, notification: Any) -> Any:
        if projection.needs == "digest":
            n = notification
            return event_digest(n.originator_id, n.originator_version, n.topic, n.state)
        if projection.needs == "event":
            if not notification.topic.startswith(projection.topic_prefix):
                return None
            if projection.events is not None and event_name(notification.topic) not in projection.events:
                return None
            return self.app.mapper.to_domain_event(notification)
        if projection.needs == "dict":
            return stored_fields(self.app.mapper, notification.state)
        return None

    def step_together(self, read: tuple[int, list[Any]] | None = None) -> int | None:
        """Apply the next batch to every projection in one transaction, reading and decoding the log
        once for all of them (catch-up from behind); return the events applied, summed over projections.

        ``read``: the batch already read (the position it follows, the notifications). ``None`` is
        returned, and nothing applied, if the projections are no longer at that position."""
        lock = " FOR UPDATE" if self.db.postgres else ""
        names = list(self.projections)
        with self.db.transaction() as cursor:
            rows = cursor.execute(f"SELECT name, position FROM projection_positions{lock}").fetchall()
            positions = {str(r[0]): int(r[1]) for r in rows}
            start = min(positions.get(name, 0) for name in names)
            if read is not None and read[0] != start:
                return None
            notifications = read[1] if read is not None else self.app.recorder.select_notifications(
                start=start, limit=self.batch, inclusive_of_start=False)  # fmt: skip
            if not notifications:
                return 0
            prepared: dict[tuple[str, str, frozenset[str] | None], dict[int, Any]] = {}
            applied = 0
            for name in names:
                projection = self.projections[name]
                mine = [n for n in notifications if n.id > positions.get(name, 0)]
                if not mine:
                    continue
                cache = prepared.setdefault((projection.needs, projection.topic_prefix, projection.events), {})
                batch = []
                for n in mine:
                    if n.id not in cache:
                        cache[n.id] = self.prepare(projection, n)
                    batch.append((n, cache[n.id]))
                projection.apply(cursor, batch)
                cursor.execute("UPDATE projection_positions SET position = ? WHERE name = ?", (mine[-1].id, name))
                applied += len(mine)
            return applied

    def catch_up(self, name: str | None = None, progress: Progress | None = None) -> int:
        done = 0
        if name is None:  # every projection: one read of the log per batch, one transaction
            # The next batches are read by a thread while this one is projected; if another worker moves
            # the positions meanwhile, what was read ahead is dropped and the loop below reads afresh.
            for read in read_ahead(lambda: self._batches(self.lowest_position())):
                applied = self.step_together(read)
                if applied is None:
                    break
                done += applied
                if progress:
                    progress(read[1][-1].id, self.head())
            while applied := self.step_together():
                done += applied
                if progress:
                    progress(min(self.position(n) for n in self.projections), self.head())
            return done
        for projection in [self.projections[name]]:
            while True:
                applied = self.step(projection.name)
                if not applied:
                    break
                done += applied
                if progress:
                    progress(self.position(projection.name), self.head())
        return done

    def lowest_position(self) -> int:
        rows = self.db.query("SELECT name, position FROM projection_positions")
        positions = {str(r[0]): int(r[1]) for r in rows}
        return min(positions.get(name, 0) for name in self.projections)

    def _batches(self, after: int) -> Iterator[list[tuple[int, list[Any]]]]:
        """The log from ``after`` in batches, each with the position it follows, up to the head as read."""
        while notifications := self.app.recorder.select_notifications(start=after, limit=self.batch,
                                                                      inclusive_of_start=False):  # fmt: skip
            yield [(after, notifications)]
            after = notifications[-1].id

    def resolve(self, name: str) -> str | None:
        """A projection by its name or by one of its tables (``chain_links`` → ``chain``), else None."""
        if name in self.projections:
            return name
        return next((p.name for p in self.projections.values() if name in p.tables), None)

    def rebuild(self, name: str, progress: Progress | None = None) -> int:
        """Drop a projection's rows and position, and rebuild it from the first event."""
        projection = self.projections[name]
        with self.db.transaction() as cursor:
            for table in projection.tables:
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute("UPDATE projection_positions SET position = 0 WHERE name = ?", (name,))
        if isinstance(projection, EventIndexProjection):
            projection.orgs.clear()
        return self.catch_up(name, progress)

    def iter_chain(self, upto: int | None = None, page: int = 10_000) -> Iterator[tuple[int, str, str]]:
        """The chain table in order, a page at a time (memory independent of the log's length)."""
        position, last = 0, upto if upto is not None else 2**63 - 1
        while True:
            rows = self.db.query(
                "SELECT position, digest, link FROM chain_links WHERE position > ? AND position <= ?"
                " ORDER BY position LIMIT ?",
                (position, last, page),
            )
            if not rows:
                return
            yield from (tuple(r) for r in rows)
            position = int(rows[-1][0])

    # -- the questions the application asks (application/ports.py: ReadModels) ------------------

    def names(self) -> list[str]:
        return list(self.projections)

    def members(self, org_code: str) -> list[dict[str, Any]]:
        """The active people of an organisation: username, name, position, role (by name)."""
        self.catch_up("members")
        return MembersProjection.members(self.db, org_code)

    def red_flags(self, org_codes: Sequence[str], rule: str | None = None, unit: str | None = None,
                  fiscal_year: int | None = None, limit: int = 500) -> list[dict[str, Any]]:  # fmt: skip
        """The red-flag register of some organisations, newest first, by rule, unit and fiscal year."""
        if not org_codes:
            return []
        columns = (*RedFlagProjection.COLUMNS, "source")
        where = f" WHERE org_code IN ({', '.join('?' * len(org_codes))})"
        params: list[Any] = list(org_codes)
        for column, value in (("rule", rule), ("unit", unit), ("fiscal_year", fiscal_year)):
            if value:
                where += f" AND {column} = ?"
                params.append(value)
        # A notice's flags (events, with the signer's note) and the patterns found across procurements.
        notices = f"SELECT {', '.join(RedFlagProjection.COLUMNS)}, 'notice' FROM red_flags{where}"
        found = ("SELECT position, procurement_id, org_code, unit, fiscal_year, project_no, subject, rule, version,"
                 " notice, numbers, message_th, message_en, '', NULL, ts, 'pattern' FROM pattern_flags")  # fmt: skip
        found += where
        rows = self.db.query(f"{notices} UNION ALL {found} ORDER BY 1 DESC, 8 LIMIT ?", [*params, *params, limit])
        return [{**dict(zip(columns, row, strict=True)), "numbers": json.loads(row[10])} for row in rows]

    def pattern_flags(self, org_code: str, fiscal_year: int, until: datetime) -> list[dict[str, Any]]:
        """The flags across procurements an organisation's fiscal year had raised by ``until`` (the register
        caught up first, so a report computed now and recomputed later reads the same rows)."""
        self.catch_up("red_flag_patterns")
        rows = self.db.query("SELECT rule, project_no, subject, message_th FROM pattern_flags WHERE org_code = ?"
                             " AND fiscal_year = ? AND ts <= ? ORDER BY position, rule",
                             (org_code, fiscal_year, until.astimezone(UTC).isoformat()))  # fmt: skip
        return [dict(zip(("rule", "project_no", "subject", "message_th"), row, strict=True)) for row in rows]

    def open_obligations(self) -> list[Obligation]:
        self.catch_up("deadlines")
        rows = self.db.query("SELECT key, org_code, kind, record_id, title, due_on, owner, above FROM obligations"
                             " WHERE open = 1 ORDER BY due_on, key")  # fmt: skip
        return [Obligation(r[0], r[1], r[2], r[3], r[4], date.fromisoformat(r[5]), r[6], r[7]) for r in rows]

    def inbox(self, username: str, limit: int = 200) -> list[dict[str, Any]]:
        from infrastructure.deadlines import InboxProjection

        self.catch_up("inbox")
        columns = InboxProjection.COLUMNS
        rows = self.db.query(f"SELECT {', '.join(columns)} FROM inbox WHERE recipient = ? ORDER BY position DESC,"
                             " key LIMIT ?", (username, limit))  # fmt: skip
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def citizen_updates(self, since: str) -> list[dict[str, Any]]:
        """The public steps of complaints whose complainants asked for updates, from a business day on."""
        self.catch_up("citizen_updates")
        columns = ("key", "complaint_id", "org_code", "case_no", "step", "on_day")
        rows = self.db.query(f"SELECT {', '.join(columns)} FROM citizen_updates WHERE on_day >= ? ORDER BY position",
                             (since,))  # fmt: skip
        return [dict(zip(columns, r, strict=True)) for r in rows]

    def chain_count(self, upto: int) -> int:
        return int(self.db.query("SELECT COUNT(*) FROM chain_links WHERE position <= ?", (upto,))[0][0])

    def chain_head(self) -> tuple[int, str] | None:
        rows = self.db.query("SELECT position, link FROM chain_links ORDER BY position DESC LIMIT 1")
        return (int(rows[0][0]), rows[0][1]) if rows else None

    def position_of(self, aggregate_id: str, version: int) -> int | None:
        rows = self.db.query(
            "SELECT position FROM event_index WHERE aggregate_id = ? AND version = ?", (aggregate_id, version)
        )
        return int(rows[0][0]) if rows else None

    def merkle_leaf(self, position: int) -> int | None:
        rows = self.db.query("SELECT leaf FROM merkle_leaves WHERE position = ?", (position,))
        return int(rows[0][0]) if rows else None

    def merkle_size(self, upto: int) -> int:
        """How many leaves the tree has up to and including log position ``upto``."""
        rows = self.db.query(
            "SELECT leaf FROM merkle_leaves WHERE position <= ? ORDER BY position DESC LIMIT 1", (upto,)
        )
        return int(rows[0][0]) + 1 if rows else 0

    def merkle_subtree(self, start: int, size: int) -> bytes:
        """MTH of leaves ``[start, start + size)``: a saved node when the run is a complete subtree,
        otherwise split as RFC 9162 splits it (only the right edge of a tree is ever incomplete)."""
        if size & (size - 1) == 0 and start % size == 0:
            level = size.bit_length() - 1
            rows = (
                self.db.query("SELECT hash FROM merkle_leaves WHERE leaf = ?", (start,))
                if level == 0
                else self.db.query("SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?", (level, start >> level))
            )
            if not rows:
                raise LookupError(f"the Merkle tree has no leaves {start}..{start + size - 1} yet")
            return bytes.fromhex(rows[0][0])
        k = 1 << ((size - 1).bit_length() - 1)
        return merkle.node_hash(self.merkle_subtree(start, k), self.merkle_subtree(start + k, size - k))

    @staticmethod
    def _event_filter(
        org_code: str | Sequence[str],
        aggregate_type: str | None,
        aggregate_id: str | None,
        actor: str | None,
        since: datetime | None,
        until: datetime | None,
    ) -> tuple[str, list[Any]]:
        """One organisation (a code) or several (a list of codes: an auditor who covers a province)."""
        if isinstance(org_code, str):
            sql = " FROM event_index WHERE org_code = ?"
            params: list[Any] = [org_code]
        else:
            sql = f" FROM event_index WHERE org_code IN ({', '.join('?' * len(org_code)) or 'NULL'})"
            params = list(org_code)
        for column, value in (
            ("aggregate_type", aggregate_type),
            ("aggregate_id", aggregate_id),
            ("actor_username", actor),
        ):
            if value:
                sql += f" AND {column} = ?"
                params.append(value)
        if since:
            sql += " AND ts >= ?"
            params.append(since.astimezone(UTC).isoformat())
        if until:
            sql += " AND ts <= ?"
            params.append(until.astimezone(UTC).isoformat())
        return sql, params

    def search_events(
        self,
        org_code: str | Sequence[str],
        aggregate_type: str | None,
        aggregate_id: str | None,
        actor: str | None,
        since: datetime | None,
        until: datetime | None,
        after: int,
        limit: int,
        *,
        before: int | None = None,
        newest_first: bool = False,
    ) -> list[dict[str, Any]]:
        """The auditor's index: by organisation, aggregate type, aggregate, actor and time range; oldest
        first after a position (the API's cursor), or newest first before one (the auditor's pages)."""
        where, params = self._event_filter(org_code, aggregate_type, aggregate_id, actor, since, until)
        sql = (
            "SELECT position, aggregate_id, aggregate_type, event_type, version, actor_username, actor_role, ts,"
            " org_code" + where
        )
        sql += " AND position > ?"
        params.append(after)
        if before is not None:
            sql += " AND position < ?"
            params.append(before)
        sql += f" ORDER BY position {'DESC' if newest_first else 'ASC'} LIMIT ?"
        params.append(limit)
        keys = ("position", "aggregate_id", "aggregate_type", "event_type", "version", "actor", "actor_role", "at",
                "org_code")  # fmt: skip
        return [dict(zip(keys, row, strict=True)) for row in self.db.query(sql, params)]

    def count_events(
        self,
        org_code: str | Sequence[str],
        aggregate_type: str | None,
        aggregate_id: str | None,
        actor: str | None,
        since: datetime | None,
        until: datetime | None,
    ) -> int:
        where, params = self._event_filter(org_code, aggregate_type, aggregate_id, actor, since, until)
        return int(self.db.query("SELECT COUNT(*)" + where, params)[0][0])

    def record_verification(self, result: dict[str, Any], at: str) -> None:
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM verifications")  # the latest is what a page shows; the log keeps the rest
            cursor.execute(
                "INSERT INTO verifications (checkpoint_position, verified_at, result) VALUES (?, ?, ?)",
                (result["checkpoint"]["position"], at, json.dumps(result, ensure_ascii=False, default=str)),
            )

    def latest_verification(self) -> dict[str, Any] | None:
        rows = self.db.query("SELECT verified_at, result FROM verifications ORDER BY checkpoint_position DESC LIMIT 1")
        return {**json.loads(rows[0][1]), "verified_at": rows[0][0]} if rows else None

    def event_orgs(self, upto: int) -> dict[int, str | None]:
        rows = self.db.query("SELECT position, org_code FROM event_index WHERE position <= ?", (upto,))
        return {int(p): o for p, o in rows}
