# ruff: noqa: E501 - the printed lines read better whole
"""``make national``: a national-scale store, filled and measured in one run (issue 16).

1. **Template years.** ``--templates`` organisations (default 4) each live a realistic fiscal year,
   written through the application services on their own moving clock (``bench/year.py``): the bundled
   plan imported, every measure proposed, approved, worked and paid for, ~100 procurements through every
   notice, ~30 complaints, a delegation order.
2. **The other organisations** are copies of a template's events under their own code, name and ids.
   Every id the domain derived from the template's code (``uuid5`` of a name holding the code) is
   derived again from the new code; a random id (a complaint's) is derived from the new code and the
   old id; references inside events follow. The complaints' personal-data keys are copied beside them,
   so every copied complaint still decrypts. The rows go in with ``COPY`` (PostgreSQL) or one
   ``executemany`` per batch (SQLite). The log then holds events the domain itself produced, for
   thousands of organisations, in minutes rather than the hours the service path would take.
3. **Measured:** events and bytes per event; projection catch-up and chain verification from zero;
   one organisation's 12-month report and ITA pack; an auditor's query across every organisation;
   p99 of a mixed HTTP load (two API processes and a worker on PostgreSQL) while the worker catches up
   with a backlog; and the extrapolation to 7,800 organisations × 5 years.

    python -m bench.national [--database-url postgresql://…] [--orgs 1300] [--templates 4]

Without ``--database-url`` a throwaway PostgreSQL cluster is started (the server binaries from Debian's
``postgresql`` package) and removed afterwards; ``sqlite:///path`` measures the embedded store instead.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from uuid import UUID

from bench.year import generate
from domain.clock import BANGKOK
from domain.plan import organisations_log_id
from domain.thai import fiscal_year_bounds

ORGS_IN_THAILAND = 7_800
YEARS = 5
FIRST_CODE = 8_000_000
CLONE_NS = UUID("6f1d3c1e-4a0b-5e55-9a1c-70726f6e6773")  # ids of copies of a template's random ids
_uuid5 = uuid.uuid5
# Places in a template's events that each copy fills with its own: code, name, sealed personal data.
CODE, NAME, SEALED = ("the organisation's code",), ("the organisation's name",), "sealed personal data"
NAMES: dict[UUID, tuple[UUID, str]] = {}  # every uuid5 the program derived: id → (namespace, name)


def recording_uuid5(namespace: UUID, name: str | bytes) -> UUID:
    made = _uuid5(namespace, name)
    if isinstance(name, str):
        NAMES[made] = (namespace, name)
    return made


@contextmanager
def recording_derived_ids() -> Iterator[None]:
    """Learn the name behind every id the domain derives meanwhile, so a copy can derive it for its code."""
    patched = [
        module
        for module in list(sys.modules.values())
        if getattr(module, "__name__", "").startswith(("domain", "application", "infrastructure", "bench"))
        and getattr(module, "uuid5", None) is _uuid5
    ]
    for module in patched:
        module.uuid5 = recording_uuid5  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module in patched:
            module.uuid5 = _uuid5  # type: ignore[attr-defined]


def code_of(i: int) -> str:
    return str(FIRST_CODE + i)


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- 1. template years -----------------------------------------------------------------------------


@dataclass
class Template:
    code: str
    name: str
    events: list[tuple[str, UUID, int, list[Any]]] = field(default_factory=list)  # topic, originator, version, parts
    owned: set[UUID] = field(default_factory=set)
    personal: dict[UUID, bytes] = field(default_factory=dict)  # complaint id → its personal data (plaintext)


def settings_for(url: str, folder: Path) -> Any:
    from infrastructure.settings import Settings

    return Settings(
        database_url=url,
        signing_key_path=folder / "signing-key.pem",
        master_key_path=folder / "master.key",
        session_secret_path=folder / "session-secret",
    )


def live_template(settings: Any, doc: Any, code: str, fy: int, seed: int, procurements: int,
                  complaints: int) -> tuple[int, int, int]:  # fmt: skip
    """One organisation's year through the services; the log positions it filled."""
    from infrastructure.bootstrap import bootstrap
    from infrastructure.clock import ManualClock

    start, _ = fiscal_year_bounds(fy)
    clock = ManualClock(datetime.combine(start - timedelta(days=20), clock_time(8), tzinfo=BANGKOK))
    svc = bootstrap(settings, clock=clock)
    try:
        first = (svc.app.recorder.max_notification_id() or 0) + 1
        svc.plans.import_plan(doc, code)
        result = generate(svc, code, fy, procurements, complaints, seed)
        return first, svc.app.recorder.max_notification_id() or 0, len(result.refused)
    finally:
        svc.close()


TOKEN = r"(?<![0-9a-f])([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-f])"


def read_template(app: Any, keys: Any, code: str, name: str, first: int, last: int) -> Template:
    """The template's events cut into literal text and the places that name its code, name or ids, or
    hold a complaint's sealed personal data (each copy seals it again under its own key)."""
    template = Template(code, name)
    rows = app.recorder.select_notifications(first, last - first + 1, stop=last)
    shared = organisations_log_id()
    for n in rows:
        if n.originator_id == shared:  # the one index of every organisation: copies append to it
            continue
        if n.originator_version == 1:
            template.owned.add(n.originator_id)
        elif n.originator_id not in template.owned:
            topic = n.topic
            raise SystemExit(f"the template's event {n.id} ({topic}) changes a record made before it; cannot copy it")
    pattern = re.compile(TOKEN + rf"|(?<!\d)({re.escape(code)})(?!\d)|({re.escape(name)})"
                         + r'|"personal":"([A-Za-z0-9+/=]+)"')  # fmt: skip
    for n in rows:
        text, parts, at = n.state.decode("utf-8"), [], 0
        for match in pattern.finditer(text):
            if match.group(4):
                template.personal[n.originator_id] = keys.decrypt(str(n.originator_id), match.group(4))
                parts += [text[at : match.start(4)], (SEALED, n.originator_id)]
                at = match.end(4)
                continue
            if match.group(1):
                found = UUID(match.group(1))
                if found not in template.owned:
                    continue
                token: Any = (found, "-" in match.group(1))
            else:
                token = CODE if match.group(2) else NAME
            parts += [text[at : match.start()], token]
            at = match.end()
        parts.append(text[at:])
        template.events.append((n.topic, n.originator_id, n.originator_version, parts))
    return template


def derived(old: UUID, template_code: str, code: str) -> UUID:
    known = NAMES.get(old)
    if known is not None and template_code in known[1]:
        return _uuid5(known[0], re.sub(rf"(?<!\d){template_code}(?!\d)", code, known[1]))
    return _uuid5(CLONE_NS, f"{code}/{old}")


def copy_rows(template: Template, code: str, name: str, log_version: list[int], keys: Any,
              wrapped: list[tuple[str, bytes]]) -> Iterator[tuple[UUID, int, str, bytes]]:  # fmt: skip
    """The template's events for one copy; the copy's complaint keys are added to ``wrapped``."""
    ids = {old: derived(old, template.code, code) for old in template.owned}
    text = {old: (new.hex, str(new)) for old, new in ids.items()}
    sealed = {}
    for old, plaintext in template.personal.items():
        subject = str(ids[old])
        key, wrapped_key = keys.new_key(subject)
        wrapped.append((subject, wrapped_key))
        sealed[old] = keys.seal(key, subject, plaintext)
    shared = organisations_log_id()
    for topic, originator, version, parts in template.events:
        state = "".join(
            p if type(p) is str
            else code if p is CODE
            else name if p is NAME
            else sealed[p[1]] if p[0] is SEALED
            else text[p[0]][p[1]]
            for p in parts
        )  # fmt: skip
        if originator == shared:
            log_version[0] += 1
            yield shared, log_version[0], topic, state.encode()
        else:
            yield ids[originator], version, topic, state.encode()


# -- 2. writing copies -----------------------------------------------------------------------------


class Writer:
    """Appends rows to the library's stored-events table and keys to the key table, in bulk."""

    def __init__(self, url: str, table: str) -> None:
        self.url, self.table = url, table
        if url.startswith("sqlite"):
            import sqlite3

            self.conn: Any = sqlite3.connect(url[len("sqlite:///") :], timeout=60)
        else:
            import psycopg

            base, _, query = url.partition("?")
            options = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
            self.conn = psycopg.connect(base)
            if "schema" in options:  # the store's schema (as the tests give it)
                self.conn.execute(f"SET search_path TO {options['schema']}")

    def organisations_log_version(self) -> int:
        cur = self.conn.cursor()
        cur.execute(f"SELECT MAX(originator_version) FROM {self.table} WHERE originator_id = "
                    + ("?" if self.sqlite else "%s"), (self.id_value(organisations_log_id()),))  # fmt: skip
        return int(cur.fetchone()[0] or 0)

    @property
    def sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def id_value(self, value: UUID) -> Any:
        return value.hex if self.sqlite else value  # how the library stores an id in each

    def write(self, rows: list[tuple[UUID, int, str, bytes]], keys: list[tuple[str, bytes]]) -> None:
        cur = self.conn.cursor()
        columns = "(originator_id, originator_version, topic, state)"
        if self.sqlite:
            cur.execute("BEGIN IMMEDIATE")
            cur.executemany(f"INSERT INTO {self.table} {columns} VALUES (?, ?, ?, ?)",
                            [(a.hex, v, t, s) for a, v, t, s in rows])  # fmt: skip
            cur.executemany("INSERT INTO personal_data_keys (subject_id, wrapped) VALUES (?, ?)", keys)
        else:
            cur.execute(f"LOCK TABLE {self.table} IN EXCLUSIVE MODE")  # the library's own rule for appends
            with cur.copy(f"COPY {self.table} {columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with cur.copy("COPY personal_data_keys (subject_id, wrapped) FROM STDIN") as copy:
                for row in keys:
                    copy.write_row(row)
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


def fill(url: str, app: Any, keystore: Any, templates: list[Template], first: int, count: int,
         batch_orgs: int = 25) -> float:  # fmt: skip
    """Copies for organisations ``first``…``first + count - 1``; the events per second written."""
    writer = Writer(url, app.recorder.events_table_name)
    try:
        log_version = [writer.organisations_log_version()]
        started, written = time.perf_counter(), 0
        rows: list[tuple[UUID, int, str, bytes]] = []
        keys: list[tuple[str, bytes]] = []
        for i in range(first, first + count):
            template = templates[i % len(templates)]
            code = code_of(i)
            name = f"เทศบาลตำบลจำลองที่ {i + 1:,}"
            rows.extend(copy_rows(template, code, name, log_version, keystore, keys))
            if (i + 1 - first) % batch_orgs == 0 or i == first + count - 1:
                writer.write(rows, keys)
                written += len(rows)
                rows, keys = [], []
        return written / (time.perf_counter() - started)
    finally:
        writer.close()


# -- 3. measuring ----------------------------------------------------------------------------------


def store_bytes(url: str, read_models: Any, table: str | None = None) -> int:
    if url.startswith("sqlite"):
        path = Path(url[len("sqlite:///") :])
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    if table:
        return int(read_models.query(f"SELECT pg_total_relation_size('{table}')")[0][0])
    return int(read_models.query("SELECT pg_database_size(current_database())")[0][0])


def timed(run: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def http_under_catch_up(url: str, folder: Path, app: Any, keystore: Any, templates: list[Template], first: int,
                        backlog: int,
                        seconds: int, rate: float) -> dict[str, Any]:  # fmt: skip
    """The load harness's mixed workload while the worker works through ``backlog`` organisations' events."""
    from bench import load
    from bench.run import free_port
    from infrastructure.bootstrap import bootstrap

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PRONGSAI_")},
        "PRONGSAI_DATABASE_URL": url,
        "PRONGSAI_SIGNING_KEY_PATH": str(folder / "signing-key.pem"),
        "PRONGSAI_MASTER_KEY_PATH": str(folder / "master.key"),
        "PRONGSAI_SESSION_SECRET_PATH": str(folder / "session-secret"),
    }
    plan = load.prepare(env, 2, folder)
    per_user = 10.0
    users = max(3, round(rate / per_user))
    clerks = min(len(plan["measures"]), max(1, round(users * 0.3)))
    auditors = max(1, round(users * 0.15))
    plan["weights"] = {"clerk": clerks, "auditor": auditors, "citizen": max(1, users - clerks - auditors)}
    plan_file = folder / "plan.json"
    plan_file.write_text(json.dumps(plan))
    fill(url, app, keystore, templates, first, backlog)
    svc = bootstrap(settings_for(url, folder))
    try:
        head = svc.projections.head()
        before = {name: svc.projections.position(name) for name in svc.projections.names()}
        port = free_port()
        processes = load.start_service(env, port, 2)
        try:
            load.wait_for(port, processes)
            started = time.perf_counter()
            load.run_locust(port, plan_file, users, seconds, per_user, folder)
            elapsed = time.perf_counter() - started
            after = {name: svc.projections.position(name) for name in svc.projections.names()}
        finally:
            load.stop(processes)
        ok = load.report(folder, seconds, users * per_user)
    finally:
        svc.close()
    behind = head - min(before.values())
    done = min(after.values()) - min(before.values())
    return {"backlog": behind, "caught_up": done, "elapsed": elapsed, "ok": ok}


def main() -> int:  # noqa: PLR0915 - one run, printed in order
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="default: a throwaway PostgreSQL cluster")
    parser.add_argument("--orgs", type=int, default=1_300, help="organisations in the store (templates included)")
    parser.add_argument("--templates", type=int, default=4, help="organisations whose year runs through the services")
    parser.add_argument("--procurements", type=int, default=100)
    parser.add_argument("--complaints", type=int, default=30)
    parser.add_argument("--fiscal-year", type=int, default=2562)
    parser.add_argument("--backlog", type=int, default=40, help="organisations added while the HTTP load runs")
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--load-rate", type=float, default=200.0, help="offered requests per second")
    args = parser.parse_args()
    if args.templates < 1 or args.orgs < args.templates:
        parser.error("--orgs must be at least --templates (≥ 1)")

    from infrastructure.bootstrap import bootstrap
    from infrastructure.clock import ManualClock
    from interface.cli import load_document

    folder = Path(tempfile.mkdtemp(prefix="prongsai-national."))
    cluster = None
    url = args.database_url
    if not url:
        from tests.pg_cluster import ThrowawayCluster, server_binaries

        binaries = server_binaries()
        if binaries is None:
            print("make national: PostgreSQL's server binaries are not installed (apt install postgresql), "
                  "or pass --database-url", file=sys.stderr)  # fmt: skip
            return 2
        cluster = ThrowawayCluster(binaries)
        url = cluster.start()
    store = "SQLite (embedded)" if url.startswith("sqlite") else "PostgreSQL"
    try:
        settings = settings_for(url, folder)
        doc = load_document(None)
        fy = args.fiscal_year
        print(f"Prongsai national bench — {store}, {os.cpu_count()} cores, {date.today().isoformat()}")

        # 1. templates through the services
        started = time.perf_counter()
        spans, refused_acts = [], 0
        with recording_derived_ids():
            for t in range(args.templates):
                first, last, refused = live_template(settings, doc, code_of(t), fy, 2562 + t, args.procurements,
                                                     args.complaints)  # fmt: skip
                spans.append((first, last))
                refused_acts += refused
        service_seconds = time.perf_counter() - started
        service_events = sum(last - first + 1 for first, last in spans)
        svc = bootstrap(settings)
        keystore = svc.complaints.keys
        templates = [
            read_template(svc.app, keystore, code_of(t), svc.organisations.get(code_of(t)).name, first, last)
            for t, (first, last) in enumerate(spans)
        ]
        svc.close()
        print(f"  {args.templates} template years through the services: {service_events:,} events in "
              f"{service_seconds:,.1f} s ({service_events / service_seconds:,.0f} events/s); acts refused: {refused_acts}")  # fmt: skip

        # 2. copies
        copies = args.orgs - args.templates
        started = time.perf_counter()
        copy_rate = fill(url, svc.app, keystore, templates, args.templates, copies) if copies else 0.0
        fill_seconds = time.perf_counter() - started
        generate_seconds = service_seconds + fill_seconds

        end = fiscal_year_bounds(fy)[1]
        clock = ManualClock(datetime.combine(end + timedelta(days=45), clock_time(10), tzinfo=BANGKOK))
        svc = bootstrap(settings, clock=clock)
        try:
            events = svc.projections.head()
            log_bytes = store_bytes(url, svc.read_models, svc.app.recorder.events_table_name)
            print(f"  organisations: {args.orgs:,}; events: {events:,} "
                  f"({events / args.orgs:,.0f} per organisation-year); copies written at {copy_rate:,.0f} events/s")  # fmt: skip
            print(f"  generated in {generate_seconds / 60:,.1f} min (target: ≥ 2,000,000 events in ≤ 10 min)")
            print(
                f"  stored log: {log_bytes / 2**20:,.0f} MiB = {log_bytes / events:,.0f} bytes per event (with indexes)"
            )

            rss_before = rss_mib()
            _, seconds = timed(svc.projections.catch_up)
            catch_up = events / seconds
            all_bytes = store_bytes(url, svc.read_models)
            print(f"  projection catch-up from zero, {len(svc.projections.names())} projections: {catch_up:,.0f} events/s "
                  f"({seconds:,.0f} s; target ≥ 50,000); peak RSS {rss_before:,.0f} → {rss_mib():,.0f} MiB")  # fmt: skip
            print(f"  store with projections: {all_bytes / 2**20:,.0f} MiB = {all_bytes / events:,.0f} bytes per event")
            checkpoint = svc.oversight.issue_checkpoint()
            result, seconds = timed(lambda: svc.oversight.verify(checkpoint))
            verification = result["events_checked"] / seconds
            print(f"  chain verification: {verification:,.0f} events/s ({seconds:,.1f} s; target ≥ 200,000); "
                  f"ok: {result['ok']}")  # fmt: skip

            one = code_of(0)
            _, report_seconds = timed(lambda: svc.reports.plan_progress(one, fy, 12))
            print(f"  one organisation's 12-month plan report: {report_seconds * 1000:,.0f} ms")
            pack, pack_seconds = timed(lambda: svc.ita.assemble(one, fy + 1))
            items = pack.get("items", [])
            print(f"  one organisation's ITA pack ({fy + 1}): {pack_seconds:,.1f} s, {len(items)} items")
            everyone = [code_of(i) for i in range(args.orgs)]
            since = datetime.combine(fiscal_year_bounds(fy)[0], clock_time(0), tzinfo=BANGKOK)
            found, query_seconds = timed(lambda: svc.oversight.search(
                everyone, aggregate_type="Procurement", since=since, limit=200))  # fmt: skip
            counted, count_seconds = timed(lambda: svc.oversight.count(everyone, aggregate_type="Procurement"))
            print(f"  auditor query across {len(everyone):,} organisations (procurement events of FY {fy}): "
                  f"first page of {len(found)} in {query_seconds * 1000:,.0f} ms; "
                  f"{counted:,} in all counted in {count_seconds * 1000:,.0f} ms")  # fmt: skip
        finally:
            svc.close()

        load_result = None
        if args.backlog and not url.startswith("sqlite"):
            print(f"\n  mixed HTTP load (2 API processes + a worker) while the worker catches up with "
                  f"{args.backlog} more organisations' events:")  # fmt: skip
            svc = bootstrap(settings)
            load_result = http_under_catch_up(url, folder, svc.app, svc.complaints.keys, templates, args.orgs, args.backlog,
                                              args.load_seconds, args.load_rate)  # fmt: skip
            svc.close()
            print(f"  the worker caught up {load_result['caught_up']:,} of {load_result['backlog']:,} events "
                  f"in {load_result['elapsed']:,.0f} s under load "
                  f"({load_result['caught_up'] / load_result['elapsed']:,.0f} events/s)")  # fmt: skip

        per_org = events / args.orgs
        national = per_org * ORGS_IN_THAILAND * YEARS
        print(f"\n  extrapolation to {ORGS_IN_THAILAND:,} organisations × {YEARS} years "
              f"({per_org:,.0f} events per organisation-year): {national / 1e6:,.0f} million events, "
              f"{national * all_bytes / events / 2**30:,.0f} GiB with projections; "
              f"catch-up from zero {national / catch_up / 3600:,.1f} h, verification {national / verification / 60:,.0f} min")  # fmt: skip
        return 0
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
