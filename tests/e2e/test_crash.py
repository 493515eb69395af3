"""``kill -9`` under a stream of commands, on both stores: nothing acknowledged is lost or doubled.

A real server process (``prongsai serve`` with its worker inside, so projections are killed mid-batch
too) takes disbursements from three writers at once, each a distinct amount; it is killed with
SIGKILL mid-stream, restarted, and killed again. Afterwards every disbursement that was acknowledged
(HTTP 200) is in the log exactly once; ones in flight at the kill may be there or not, never twice; the
projections catch up to the head; the chain verifies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx2 as httpx
import pytest

from domain.measure import Measure
from domain.thai import fiscal_year_bounds
from infrastructure.bootstrap import bootstrap
from infrastructure.clock import ManualClock
from infrastructure.plan_parser import parse_plan
from tests.conftest import ORG, START, People, test_settings
from tests.pg_cluster import free_port

pytestmark = pytest.mark.store
ROOT = Path(__file__).resolve().parents[2]
MEASURES = [("1.1.1-1", 2562), ("1.1.1-1", 2563), ("1.1.1-1", 2564)]  # the seed's items with room in their budget
WRITERS = len(MEASURES)
ROUNDS = 2


def _prepare(store_url: str, tmp_path: Path, seed_text: str) -> tuple[str, dict[str, int]]:
    """Approved measures and a staff token, written through the application services."""
    svc = bootstrap(test_settings(store_url, tmp_path), clock=ManualClock(START))
    try:
        svc.plans.import_plan(parse_plan(seed_text), ORG)
        people = People(svc)
        versions = {}
        for code, year in MEASURES:
            measure_id = Measure.create_id(ORG, "2562-2564", code, year)
            m = svc.measures.submit(people.staff, measure_id, 1)
            m = svc.measures.approve(people.mayor, m.id, m.version)
            versions[str(m.id)] = m.version
        return people.tokens["staff"], versions
    finally:
        svc.close()


class Writer(threading.Thread):
    """Records disbursements on one measure, one after another, until the server goes away."""

    def __init__(self, base: str, token: str, measure_id: str, version: int, first_amount: int, paid_on: date) -> None:
        super().__init__(daemon=True)
        self.url = f"{base}/api/v1/measures/{measure_id}/disbursements"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.version = version
        self.amount = first_amount
        self.acknowledged: list[int] = []
        self.in_flight: int | None = None
        self.paid_on = paid_on
        self.refused = ""

    def run(self) -> None:
        document = {"number": "ฎีกา 1", "title": "ใบเบิกจ่าย", "link": "https://example.go.th/d/1"}
        with httpx.Client(timeout=10) as client:
            while True:
                self.amount += 1
                self.in_flight = self.amount
                body = {
                    "version": self.version,
                    "amount_satang": self.amount,
                    "paid_on": str(self.paid_on),
                    "document": document,
                }
                try:
                    answer = client.post(self.url, json=body, headers=self.headers)
                except httpx.HTTPError:
                    return  # the server is gone; this amount may or may not have been written
                if answer.status_code != 200:
                    self.refused = answer.text
                    return
                self.acknowledged.append(self.amount)
                self.in_flight = None
                self.version = answer.json()["version"]


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "interface.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the server did not start")


def test_nothing_acknowledged_is_lost_or_doubled_by_kill_9(store_url: str, tmp_path: Path, seed_text: str) -> None:
    token, versions = _prepare(store_url, tmp_path, seed_text)
    paid_on = {str(Measure.create_id(ORG, "2562-2564", c, y)): fiscal_year_bounds(y)[0] for c, y in MEASURES}
    env = {
        **os.environ,
        "PRONGSAI_DATABASE_URL": store_url,
        "PRONGSAI_SIGNING_KEY_PATH": str(tmp_path / "signing-key.pem"),
        "PRONGSAI_MASTER_KEY_PATH": str(tmp_path / "master.key"),
        "PRONGSAI_SESSION_SECRET_PATH": str(tmp_path / "session-secret"),
        "PRONGSAI_EMBEDDED_WORKER": "true",  # the projections follow the log in the killed process too
    }
    acknowledged: dict[str, list[int]] = {m: [] for m in versions}
    in_flight: dict[str, list[int]] = {m: [] for m in versions}
    for round_no in range(ROUNDS):
        port = free_port()
        server = _serve(env, port)
        writers = [
            Writer(f"http://127.0.0.1:{port}", token, m, versions[m], (round_no * WRITERS + i) * 10_000, paid_on[m])
            for i, m in enumerate(versions)
        ]
        try:
            for w in writers:
                w.start()
            deadline = time.time() + 30
            while time.time() < deadline and min(len(w.acknowledged) for w in writers) < 25:
                time.sleep(0.02)
            server.send_signal(signal.SIGKILL)  # no shutdown of any kind, mid-request for some writers
            server.wait(timeout=30)
        finally:
            if server.poll() is None:
                server.kill()
        for w, m in zip(writers, versions, strict=True):
            w.join(timeout=30)
            assert not w.refused, w.refused
            assert len(w.acknowledged) >= 25, "each writer must have been acknowledged before the kill"
            acknowledged[m] += w.acknowledged
            if w.in_flight is not None:
                in_flight[m].append(w.in_flight)

        # the next round starts from the version the log holds (an in-flight write may have landed)
        svc = bootstrap(test_settings(store_url, tmp_path), clock=ManualClock(START))
        try:
            for m in versions:
                versions[m] = svc.app.repository.get(UUID(m)).version
        finally:
            svc.close()

    svc = bootstrap(test_settings(store_url, tmp_path), clock=ManualClock(START))
    try:
        total = 0
        for m in versions:
            measure: Any = svc.app.repository.get(UUID(m))
            amounts = [d["amount_satang"] for d in measure.disbursements]
            assert len(amounts) == len(set(amounts)), f"{m}: a disbursement written twice"
            missing = set(acknowledged[m]) - set(amounts)
            assert not missing, f"{m}: acknowledged but lost: {sorted(missing)}"
            assert set(amounts) <= set(acknowledged[m]) | set(in_flight[m]), f"{m}: a disbursement nobody sent"
            total += len(acknowledged[m])
        assert total >= WRITERS * 25 * ROUNDS
        landed = sum(len(v) for v in in_flight.values())
        print(f"kill -9 × {ROUNDS}: {total} acknowledged disbursements all present once; {landed} in flight at a kill")
        svc.projections.catch_up()
        head = svc.projections.head()
        assert all(svc.projections.position(n) == head for n in svc.projections.projections)
        assert svc.oversight.verify(svc.oversight.issue_checkpoint())["ok"]
    finally:
        svc.close()
