"""``make bench``: Prongsai's speed and memory, as ratios measured in one run on one store.

1. raw ``eventsourcing`` append rate: a one-event aggregate saved per transaction;
2. Prongsai measure commands through the application layer (get → check → call → save);
3. the same commands through HTTP (uvicorn, one process) with 16 concurrent keep-alive clients;
4. reading every event back from the notification log (select + decode);
5. peak RSS of the bench process and of the server process.

Targets on the embedded SQLite store: application ≥ 60 % of raw, HTTP ≥ 25 % of raw,
full replay ≥ 20,000 events/s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from domain.measure import Measure
from domain.people import Role
from domain.plan import PlanDocument
from infrastructure.bootstrap import bootstrap
from infrastructure.settings import Settings
from interface.cli import load_document

CLIENTS = 16


class Dot(Aggregate):
    @event("Created")
    def __init__(self, n: int) -> None:
        self.n = n


class Raw(Application):
    name = "Prongsai"  # same tables as Prongsai, so both write to the same store


def raw_rate(env: dict[str, str], n: int) -> float:
    app = Raw(env=env)
    try:
        start = time.perf_counter()
        for i in range(n):
            app.save(Dot(i))
        return n / (time.perf_counter() - start)
    finally:
        app.close()


def org_code(i: int) -> str:
    return f"{9000000 + i}"


def seed_orgs(svc, doc: PlanDocument, count: int) -> dict[str, str]:
    tokens = {}
    for i in range(count):
        code = org_code(i)
        svc.plans.import_plan(doc, code)
        for name, role in (("staff", Role.STAFF), ("mayor", Role.EXECUTIVE)):
            _, token = svc.users.add(f"{name}{i}", name, role, [code])
            tokens[f"{name}{i}"] = token
    return tokens


def measure_ids(doc: PlanDocument, code: str) -> list[str]:
    return [
        str(Measure.create_id(code, doc.plan_key, item.code, year))
        for item in doc.measures
        for year in doc.fiscal_years
    ]


def app_rate(svc, doc: PlanDocument, orgs: range) -> tuple[float, int]:
    """submit (v1) then approve (v2) every measure of the given organisations."""
    plan = [(svc.users.get(f"staff{i}"), svc.users.get(f"mayor{i}"), measure_ids(doc, org_code(i))) for i in orgs]
    count = 0
    start = time.perf_counter()
    for staff, mayor, ids in plan:
        for mid in ids:
            svc.measures.submit(staff, UUID(mid), 1, "bench")
            svc.measures.approve(mayor, UUID(mid), 2, "bench")
            count += 2
    return count / (time.perf_counter() - start), count


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def http_client(port: int, jobs: list[tuple[str, str, bytes]], failures: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for path, token, body in jobs:
            writer.write(
                (
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
                ).encode()
                + body
            )
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            payload = await reader.readexactly(length)
            if status != 200:
                failures.append(f"{status} {payload[:200]!r}")
    finally:
        writer.close()


async def http_run(port: int, jobs_per_client: list[list[tuple[str, str, bytes]]]) -> list[str]:
    failures: list[str] = []
    await asyncio.gather(*(http_client(port, jobs, failures) for jobs in jobs_per_client))
    return failures


def wait_for(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited early")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def http_rate(
    url: str, doc: PlanDocument, tokens: dict[str, str], orgs: range, processes: int = 1
) -> tuple[float, int, int]:
    port = free_port()
    env = {**os.environ, "PRONGSAI_DATABASE_URL": url}
    proc = subprocess.Popen(
        [*os.environ.get("BENCH_SERVER_CMD", f"{sys.executable} -m bench.server").split(), str(port), str(processes)],
        env=env,
    )
    try:
        wait_for(port, proc)
        submit_jobs: list[list[tuple[str, str, bytes]]] = [[] for _ in range(CLIENTS)]
        approve_jobs: list[list[tuple[str, str, bytes]]] = [[] for _ in range(CLIENTS)]
        n = 0
        for i in orgs:
            for mid in measure_ids(doc, org_code(i)):
                submit_jobs[n % CLIENTS].append(
                    (f"/api/v1/measures/{mid}/submit", tokens[f"staff{i}"], b'{"version":1,"note":"b"}')
                )
                approve_jobs[n % CLIENTS].append(
                    (f"/api/v1/measures/{mid}/approve", tokens[f"mayor{i}"], b'{"version":2,"note":"b"}')
                )
                n += 1
        start = time.perf_counter()
        failures = asyncio.run(http_run(port, submit_jobs))
        failures += asyncio.run(http_run(port, approve_jobs))
        elapsed = time.perf_counter() - start
        if failures:
            raise RuntimeError(f"{len(failures)} HTTP failures, first: {failures[0]}")
        server_rss = peak_rss_kib(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return 2 * n / elapsed, 2 * n, server_rss


def oversight_rates(url: str, doc: PlanDocument, events_wanted: int, tmp: Path) -> dict[str, float]:
    """One organisation with ~``events_wanted`` events: projection catch-up, chain verification,
    and the 12-month report rebuilt from the log as of the round's end (no projection)."""
    from domain.people import SYSTEM_ACTOR

    svc = bootstrap(Settings(database_url=url, signing_key_path=tmp / "k.pem"))
    try:
        code = "9999999"
        svc.plans.import_plan(doc, code)
        mayor, _ = svc.users.add("bench-mayor", "bench", Role.EXECUTIVE, [code])
        measures = svc.measures.list(code, doc.fiscal_years[0])
        per_measure = max(1, events_wanted // len(measures))
        evidence = {"number": "1", "link": "https://bench.local/1"}
        day = date(2019, 1, 7)
        for measure in measures:
            measure.submit(SYSTEM_ACTOR, "")
            measure.approve(mayor.as_actor(), "", {"kind": "position"})
            measure.start(SYSTEM_ACTOR, day, day, "")
            if not measure.steps:
                continue
            measure.complete_step(SYSTEM_ACTOR, 1, day, day, evidence, "")
            for n in range(per_measure):
                measure.correct_step(SYSTEM_ACTOR, 1, day, day, evidence, f"correction {n}")
                if n % 500 == 499:
                    svc.app.commit(measure)
            svc.app.commit(measure)
        events = svc.projections.head()
        start = time.perf_counter()
        applied = svc.projections.catch_up()
        catch_up = events / (time.perf_counter() - start)  # log events through all projections
        checkpoint = svc.oversight.issue_checkpoint()
        start = time.perf_counter()
        result = svc.oversight.verify(checkpoint)
        verification = result["events_checked"] / (time.perf_counter() - start)
        assert result["ok"], result["findings"][:3]
        start = time.perf_counter()
        svc.reports.plan_progress(code, doc.fiscal_years[0], 12)
        report_seconds = time.perf_counter() - start
        return {
            "events": events,
            "applied": applied,
            "projections": len(svc.projections.names()),
            "catch_up": catch_up,
            "verification": verification,
            "report_seconds": report_seconds,
        }
    finally:
        svc.close()


def peak_rss_kib(pid: int) -> int:
    """VmHWM: the process's peak resident set, read while it still runs."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def replay_rate(svc) -> tuple[float, int]:
    recorder, mapper = svc.app.recorder, svc.app.mapper
    start_time = time.perf_counter()
    position, count = 0, 0
    while True:
        page = recorder.select_notifications(start=position, limit=500, inclusive_of_start=False)
        if not page:
            break
        for notification in page:
            mapper.to_domain_event(notification)
        count += len(page)
        position = page[-1].id
    return count / (time.perf_counter() - start_time), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--raw", type=int, default=3000, help="raw one-event saves")
    parser.add_argument("--orgs", type=int, default=12, help="organisations (96 measures each)")
    parser.add_argument("--oversight-events", type=int, default=100_000, help="events of the report organisation")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="prongsai-bench-"))
    url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    postgres = url.startswith("postgres")
    # application | HTTP, one process | HTTP, two API processes (PostgreSQL: several processes share a server)
    half = args.orgs // 3 if postgres else args.orgs // 2
    second = range(half, 2 * half) if postgres else range(half, args.orgs)
    try:
        svc = bootstrap(Settings(database_url=url, signing_key_path=tmp / "k.pem"))
        doc = load_document(None)
        from infrastructure.event_store import store_env

        env = store_env(url)
        rates: dict[str, float] = {}
        tokens = seed_orgs(svc, doc, args.orgs)
        # raw saves before and after the application stage, so disk drift hits both alike
        raw_before = raw_rate(env, args.raw // 2)
        rates["app"], app_n = app_rate(svc, doc, range(half))
        rates["raw"] = (raw_before + raw_rate(env, args.raw - args.raw // 2)) / 2
        svc.close()  # the server process owns the store for the HTTP stage
        rates["http"], http_n, server_rss = http_rate(url, doc, tokens, second)
        if postgres:
            rates["http2"], http2_n, _ = http_rate(url, doc, tokens, range(2 * half, args.orgs), processes=2)
        svc = bootstrap(Settings(database_url=url, signing_key_path=tmp / "k.pem"))
        rates["replay"], replay_n = replay_rate(svc)
        svc.close()
        oversight_url = f"sqlite:///{tmp}/oversight.sqlite3" if url.startswith("sqlite") else url
        over = oversight_rates(oversight_url, doc, args.oversight_events, tmp)
        bench_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        store = "SQLite (embedded)" if url.startswith("sqlite") else "PostgreSQL"
        print(f"Prongsai bench — store: {store}, {os.cpu_count()} cores, {date.today().isoformat()}")
        print(f"  raw eventsourcing append (1-event aggregate) : {rates['raw']:9,.0f} events/s  ({args.raw:,} saves)")
        print(
            f"  measure commands, application layer         : {rates['app']:9,.0f} commands/s "
            f"({app_n:,})  = {rates['app'] / rates['raw']:6.1%} of raw  (target ≥ 60 %)"
        )
        print(
            f"  measure commands, HTTP, {CLIENTS} clients           : {rates['http']:9,.0f} commands/s "
            f"({http_n:,})  = {rates['http'] / rates['raw']:6.1%} of raw  (target ≥ 25 %)"
        )
        if postgres:
            print(
                f"  measure commands, HTTP, 2 API processes      : {rates['http2']:9,.0f} commands/s "
                f"({http2_n:,})  = {rates['http2'] / rates['raw']:6.1%} of raw  (target ≥ 100 % on PostgreSQL)"
            )
        print(
            f"  full replay (select + decode)                : {rates['replay']:9,.0f} events/s  "
            f"({replay_n:,} events; target ≥ 20,000)"
        )
        print(
            f"  projection catch-up (all {over['projections']} projections)      : {over['catch_up']:9,.0f} events/s  "
            f"({over['events']:,} log events; target ≥ 50,000)"
        )
        print(
            f"  hash-chain verification                      : {over['verification']:9,.0f} events/s  "
            f"(target ≥ 200,000)"
        )
        print(
            f"  12-month plan report, organisation with {over['events']:,} events: "
            f"{over['report_seconds'] * 1000:,.0f} ms (target ≤ 2 s)"
        )
        print(f"  peak RSS: bench process {bench_rss / 1024:,.0f} MiB, server process {server_rss / 1024:,.0f} MiB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
