"""``make load``: a bounded, mixed load on loopback, with throughput and p50/p95/p99 per class.

Prepares a fresh store (the bundled plan for a few organisations, approved measures with budget room,
a clerk per organisation and an auditor), starts the service the way an operator does, and drives it
with Locust for a fixed time at a fixed offered rate: clerks' commands (disbursements), citizens'
public reads, auditors' log queries. Embedded store: one ``prongsai serve`` (its worker inside).
PostgreSQL (``--database-url postgresql://…``): several API processes (uvicorn workers) and a
``prongsai worker`` beside them.

Targets on a 2-core machine, embedded store: 300 requests/s offered and served; p99 ≤ 100 ms for
commands and ≤ 50 ms for reads. The load generator shares the machine with the service, so the
figures are conservative.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import free_port

ROOT = Path(__file__).resolve().parents[1]
MEASURES = [("1.1.1-1", 2562), ("1.1.1-1", 2563), ("1.1.1-1", 2564)]  # the seed's items with budget room
TARGETS = {"command": 100.0, "read": 50.0, "audit read": 50.0}  # p99, milliseconds


def prepare(env: dict[str, str], orgs: int, folder: Path) -> dict:
    """Organisations, people and approved measures, written through the application services."""
    from domain.measure import Measure
    from domain.people import Role
    from domain.thai import fiscal_year_bounds
    from infrastructure.bootstrap import bootstrap
    from infrastructure.settings import Settings
    from interface.cli import load_document

    doc = load_document(None)
    svc = bootstrap(Settings(**{k[len("PRONGSAI_") :].lower(): v for k, v in env.items() if k.startswith("PRONGSAI_")}))
    try:
        measures = []
        auditor_orgs = []
        for i in range(orgs):
            code = f"{9100000 + i}"
            auditor_orgs.append(code)
            svc.plans.import_plan(doc, code)
            staff, token = svc.users.add(f"clerk{i}", f"เจ้าหน้าที่ {i}", Role.STAFF, [code])
            mayor, _ = svc.users.add(f"mayor{i}", f"นายก {i}", Role.EXECUTIVE, [code])
            for item, year in MEASURES:
                m = svc.measures.submit(staff, Measure.create_id(code, doc.plan_key, item, year), 1, "load")
                m = svc.measures.approve(mayor, m.id, m.version, "load")
                paid_on = str(fiscal_year_bounds(year)[0])
                measures.append({"id": str(m.id), "token": token, "paid_on": paid_on})
        _, auditor = svc.users.add("auditor", "ผู้ตรวจ", Role.AUDITOR, auditor_orgs)
        svc.projections.catch_up()
    finally:
        svc.close()
    return {"org": auditor_orgs[0], "measures": measures, "auditor": auditor}


def wait_for(port: int, processes: list[subprocess.Popen]) -> None:
    import urllib.request

    deadline = time.time() + 60
    while time.time() < deadline:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError("the service stopped while starting")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the service did not start")


def start_service(env: dict[str, str], port: int, processes: int) -> list[subprocess.Popen]:
    cli = [sys.executable, "-m", "interface.cli"]
    if env["PRONGSAI_DATABASE_URL"].startswith("sqlite"):
        return [subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=ROOT)]
    api = [sys.executable, "-m", "uvicorn", "interface.api.app:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(processes), "--log-level", "warning", "--no-access-log"]  # fmt: skip
    worker_env = {**env}
    return [
        subprocess.Popen(api, env={**env, "PRONGSAI_EMBEDDED_WORKER": "false"}, cwd=ROOT),
        subprocess.Popen([*cli, "worker"], env=worker_env, cwd=ROOT),
    ]


def stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
    for p in processes:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()


def run_locust(port: int, plan_file: Path, users: int, seconds: int, per_user: float, out: Path) -> None:
    env = {**os.environ, "PRONGSAI_LOAD_PLAN": str(plan_file), "PRONGSAI_LOAD_PER_USER": str(per_user)}
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "--host", f"http://127.0.0.1:{port}", "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
               "--csv", str(out / "load"), "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "5"]  # fmt: skip
    subprocess.run(command, env=env, check=False, cwd=out)


def report(out: Path, seconds: int, offered: float) -> bool:
    rows = {row["Name"]: row for row in csv.DictReader(open(out / "load_stats.csv", encoding="utf-8"))}  # noqa: SIM115
    head = f"{'class':<12} {'requests':>9} {'failures':>9} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    print(f"\n{head}  target")
    ok = True
    for name in ("command", "read", "audit read", "Aggregated"):
        row = rows.get(name)
        if row is None:
            continue
        p99 = float(row["99%"])
        target = TARGETS.get(name)
        verdict = "" if target is None else (f"p99 ≤ {target:.0f} ms: " + ("met" if p99 <= target else "MISSED"))
        ok &= target is None or p99 <= target
        print(
            f"{name:<12} {row['Request Count']:>9} {row['Failure Count']:>9} {float(row['Requests/s']):>8.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}  {verdict}"
        )
    total = rows["Aggregated"]
    served = float(total["Requests/s"])
    failures = int(total["Failure Count"])
    rate_ok = served >= 0.95 * offered
    verdict = "met" if rate_ok else "MISSED"
    print(f"\noffered {offered:.0f} req/s for {seconds} s; served {served:.1f} req/s "
          f"({served / offered:.2f} of the offered rate: {verdict}); failures {failures}")  # fmt: skip
    failed = list(csv.DictReader(open(out / "load_failures.csv", encoding="utf-8")))  # noqa: SIM115
    for row in sorted(failed, key=lambda r: -int(r["Occurrences"]))[:5]:
        print(f"  {row['Occurrences']} × {row['Name']}: {row['Error'][:160]}")
    return ok and rate_ok and failures == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file in a temporary folder")
    parser.add_argument("--rate", type=float, default=300.0, help="offered requests per second, all classes")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--orgs", type=int, default=4)
    parser.add_argument("--processes", type=int, default=2, help="API processes (PostgreSQL only)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="prongsai-load."))
    try:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PRONGSAI_")},
            "PRONGSAI_DATABASE_URL": args.database_url or f"sqlite:///{folder}/load.sqlite3",
            "PRONGSAI_SIGNING_KEY_PATH": str(folder / "signing-key.pem"),
            "PRONGSAI_MASTER_KEY_PATH": str(folder / "master.key"),
            "PRONGSAI_SESSION_SECRET_PATH": str(folder / "session-secret"),
        }
        plan = prepare(env, args.orgs, folder)
        per_user = 10.0
        users = max(3, round(args.rate / per_user))
        clerks = min(len(plan["measures"]), max(1, round(users * 0.3)))  # 30 % commands, 15 % audit, the rest public
        auditors = max(1, round(users * 0.15))
        plan["weights"] = {"clerk": clerks, "auditor": auditors, "citizen": max(1, users - clerks - auditors)}
        plan_file = folder / "plan.json"
        plan_file.write_text(json.dumps(plan))
        port = free_port()
        store = "PostgreSQL" if env["PRONGSAI_DATABASE_URL"].startswith("postgres") else "SQLite (embedded)"
        processes = start_service(env, port, args.processes)
        try:
            wait_for(port, processes)
            shape = f"{args.processes} API processes + a worker" if store == "PostgreSQL" else "one process"
            w = plan["weights"]
            print(f"{store}, {shape}; {users} users ({w['clerk']} clerks, {w['citizen']} citizens, "
                  f"{w['auditor']} auditors) at {per_user:.0f} req/s each, for {args.seconds} s")  # fmt: skip
            run_locust(port, plan_file, users, args.seconds, per_user, folder)
        finally:
            stop(processes)
        return 0 if report(folder, args.seconds, users * per_user) else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
