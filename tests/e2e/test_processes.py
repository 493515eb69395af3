"""Several API processes on one store, and a worker apart: ``prongsai serve --workers 2`` plus
``prongsai worker`` (PostgreSQL; on SQLite the worker lives in the supervising process).

One scenario driven through both API processes: a measure's workflow request after request (whichever
process answers sees the latest version), a web session signed in once and honoured by both, the
tracking-code limit counted once for the deployment, twenty simultaneous complaints with gapless case
numbers, and the projections followed by the worker. Then two workers claim the same scheduled job:
one runs it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from domain.measure import Measure
from infrastructure.bootstrap import bootstrap
from infrastructure.clock import ManualClock
from infrastructure.plan_parser import parse_plan
from infrastructure.worker import Worker
from tests.conftest import ORG, START, People, test_settings
from tests.pg_cluster import free_port

pytestmark = pytest.mark.store
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "รหัสผ่านยาวพอสมควร-2562"


def wait_for(port: int, processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.time() + 90
    while time.time() < deadline:
        if any(p.poll() is not None for p in processes):
            raise AssertionError("a process exited while starting")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("the service did not start")


@pytest.fixture
def deployment(store_url: str, tmp_path: Path, seed_text: str) -> Iterator[tuple[str, dict[str, str], str]]:
    svc = bootstrap(test_settings(store_url, tmp_path), clock=ManualClock(START))
    try:
        svc.plans.import_plan(parse_plan(seed_text), ORG)
        people = People(svc)
        svc.users.set_password("clerk", PASSWORD)
        tokens = people.tokens
    finally:
        svc.close()
    postgres = store_url.startswith("postgres")
    env = {
        **os.environ,
        "PRONGSAI_DATABASE_URL": store_url,
        "PRONGSAI_SIGNING_KEY_PATH": str(tmp_path / "signing-key.pem"),
        "PRONGSAI_MASTER_KEY_PATH": str(tmp_path / "master.key"),
        "PRONGSAI_SESSION_SECRET_PATH": str(tmp_path / "session-secret"),
        "PRONGSAI_EMBEDDED_WORKER": "false" if postgres else "true",
        "PRONGSAI_WORKER_POLL_SECONDS": "0.2",
    }
    port = free_port()
    command = [sys.executable, "-m", "interface.cli"]
    processes = [subprocess.Popen([*command, "serve", "--port", str(port), "--workers", "2"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]  # fmt: skip
    if postgres:
        processes.append(subprocess.Popen([*command, "worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))  # fmt: skip
    try:
        wait_for(port, processes)
        yield f"http://127.0.0.1:{port}", tokens, store_url
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def test_one_scenario_through_two_api_processes_and_a_worker(deployment, tmp_path: Path) -> None:
    base, tokens, store_url = deployment
    auth = lambda who: {"Authorization": f"Bearer {tokens[who]}"}  # noqa: E731
    # No keep-alive: each request is a new connection, which either process may accept.
    with httpx.Client(base_url=base, timeout=30, limits=httpx.Limits(max_keepalive_connections=0)) as client:
        served_by: set[str] = set()
        deadline = time.time() + 60  # the second process may still be starting when the first answers
        while len(served_by) < 2 and time.time() < deadline:
            served_by.add(client.get("/api/v1/health").json()["process"])
        assert len(served_by) == 2, f"both API processes answer: {served_by}"

        # A workflow, each request answered by either process: every answer knows the latest version.
        measure = f"/api/v1/measures/{Measure.create_id(ORG, '2562-2564', '2.3.2', 2562)}"
        version = client.get(measure, headers=auth("staff")).json()["version"]
        steps = [("submit", "staff", {}), ("approve", "mayor", {}), ("start", "staff", {"started_on": "2019-01-07"})]
        for command, who, body in steps:
            answer = client.post(f"{measure}/{command}", headers=auth(who), json={"version": version, **body})
            assert answer.status_code == 200, answer.text
            version = answer.json()["version"]
            for _ in range(4):
                assert client.get(measure, headers=auth("clerk")).json()["version"] == version

        # A web session signed in once is honoured by both processes.
        form = client.get("/login").text
        token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
        signed_in = client.post("/login", data={"form_token": token, "username": "clerk", "password": PASSWORD})
        assert signed_in.status_code == 303
        pages = [client.get("/") for _ in range(10)]
        assert all(p.status_code == 200 and "ออกจากระบบ" in p.text for p in pages), [p.status_code for p in pages]

        # Twenty complaints at once: every one accepted, case numbers without gaps.
        made: list[str] = []
        form_body = {"channel": "web", "category": "general", "subject": "ไฟดับ", "description": "ไฟถนนดับ"}

        def complain() -> None:
            answer = httpx.post(f"{base}/api/v1/public/organisations/{ORG}/complaints", json=form_body, timeout=30)
            assert answer.status_code == 201, answer.text
            made.append(answer.json()["tracking_code"])

        threads = [threading.Thread(target=complain) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(made) == 20
        cases = client.get(f"/api/v1/organisations/{ORG}/complaints", headers=auth("clerk")).json()
        numbers = sorted(int(c["case_no"].split("/")[1]) for c in cases)  # "2569/00001"
        assert numbers == list(range(1, 21)), numbers

        # The tracking-code limit is the deployment's, not each process's (10 a minute per address).
        answers = [client.get("/api/v1/public/complaints/track", headers={"X-Tracking-Code": made[0]})
                   for _ in range(12)]  # fmt: skip
        assert [a.status_code for a in answers].count(200) == 10 and answers[-1].status_code == 429

        # The worker follows the log: the auditor's index shows the newest events.
        deadline = time.time() + 60
        while time.time() < deadline:
            found = client.get(f"/api/v1/organisations/{ORG}/audit/events?aggregate_type=Complaint&limit=1000",
                               headers=auth("auditor")).json()  # fmt: skip
            if len({e["aggregate_id"] for e in found}) == 20:
                break
            time.sleep(0.3)
        else:
            raise AssertionError("the worker did not index the complaints")


def test_a_scheduled_job_runs_once_however_many_workers(store_url: str, tmp_path: Path, seed_text: str) -> None:
    clock = ManualClock(START)
    one = bootstrap(test_settings(store_url, tmp_path), clock=clock)
    two = bootstrap(test_settings(store_url, tmp_path), clock=clock)
    try:
        one.plans.import_plan(parse_plan(seed_text), ORG)
        workers = [Worker(one), Worker(two)]
        for w in workers:
            w.issue_checkpoint()  # the same minute: one signs
        assert len(one.oversight.checkpoints()) == 1
        clock.advance(minutes=1)
        for w in reversed(workers):
            w.issue_checkpoint()
        assert len(one.oversight.checkpoints()) == 2
        entry = {"report": "plan-progress", "round": 6, "cron": "0 9 10 4 *"}
        for w in workers:
            w._report_job(ORG, entry)()  # the same day: one publication
        assert len(one.reports.published(ORG, "plan-progress", one.reports.period_due(entry, clock.now().date()))) == 1
        assert not workers[0].errors and not workers[1].errors
    finally:
        one.close()
        two.close()
