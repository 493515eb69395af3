"""Projections follow the log exactly once — even when the worker is killed mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from domain.measure import Measure
from infrastructure.plan_parser import parse_plan
from tests.conftest import ORG

pytestmark = pytest.mark.store
ROOT = Path(__file__).resolve().parents[2]


def busy_log(svc, people, seed_text: str, orgs: int = 6) -> None:
    doc = parse_plan(seed_text)
    for i in range(orgs):
        svc.plans.import_plan(doc, f"71000{i:02d}")
    mid = Measure.create_id(ORG, "2562-2564", "1.1.1-2", 2562)
    m = svc.measures.submit(people.staff, mid, 1)
    m = svc.measures.approve(people.mayor, mid, m.version)
    m = svc.measures.start(people.staff, mid, m.version, date(2019, 1, 7))
    doc_ = {"number": "ฎ 1", "link": "https://x.go.th/1"}
    m = svc.measures.record_disbursement(people.staff, mid, m.version, 300_000, date(2019, 2, 1), doc_)
    m = svc.measures.record_disbursement(people.staff, mid, m.version, 200_000, date(2019, 5, 1), doc_)
    svc.measures.reverse_disbursement(people.head, mid, m.version, 1, "ผิดพลาด")


def tables(svc) -> dict[str, list]:
    db = svc.projections.db
    return {
        "chain": db.query("SELECT position, digest, link FROM chain_links ORDER BY position"),
        "index": db.query("SELECT * FROM event_index ORDER BY position"),
        "progress": db.query("SELECT * FROM measure_progress ORDER BY measure_id"),
        "disbursements": db.query("SELECT * FROM measure_disbursements ORDER BY measure_id, idx"),
    }


def test_catch_up_matches_a_rebuild_from_zero(seeded, people, seed_text):
    svc = seeded
    busy_log(svc, people, seed_text, orgs=2)
    svc.projections.catch_up()
    before = tables(svc)
    assert len(before["chain"]) == len(before["index"]) == svc.projections.head()
    for name in svc.projections.projections:
        svc.projections.rebuild(name)
    assert tables(svc) == before
    row = svc.projections.db.query(
        "SELECT status, steps_done FROM measure_progress WHERE measure_id = ?",
        (str(Measure.create_id(ORG, "2562-2564", "1.1.1-2", 2562)),),
    )
    assert row == [("in_progress", 0)]


def test_killed_worker_resumes_exactly_where_it_stopped(seeded, people, seed_text, store_url, tmp_path):
    svc = seeded
    busy_log(svc, people, seed_text)
    head = svc.projections.head()
    env = {
        **os.environ,
        "PRONGSAI_DATABASE_URL": store_url,
        "PRONGSAI_PROJECTION_BATCH": "3",
        "PRONGSAI_SIGNING_KEY_PATH": str(tmp_path / "signing-key.pem"),
        "PRONGSAI_MASTER_KEY_PATH": str(tmp_path / "master.key"),
    }
    worker = subprocess.Popen([sys.executable, "-m", "interface.cli", "worker"], cwd=ROOT, env=env)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            positions = [svc.projections.position(n) for n in svc.projections.projections]
            if min(positions) > 30:
                break
            time.sleep(0.01)
        worker.send_signal(signal.SIGKILL)  # no clean shutdown: mid-transaction if it was in one
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    positions = [svc.projections.position(n) for n in svc.projections.projections]
    assert min(positions) > 30 and min(positions) < head, "the worker must be stopped mid-run"

    finished = subprocess.run(
        [sys.executable, "-m", "interface.cli", "worker", "--once"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stderr
    resumed = tables(svc)
    assert [r[0] for r in resumed["chain"]] == [r[0] for r in resumed["index"]]
    assert len(resumed["chain"]) == head  # every event once: none missed, none twice (positions are keys)
    for name in svc.projections.projections:
        svc.projections.rebuild(name)
    assert tables(svc) == resumed  # identical to a clean rebuild from the first event
    assert svc.oversight.verify(svc.oversight.issue_checkpoint())["ok"]


def test_a_search_far_behind_the_log_answers_at_once_and_says_so(seeded, people, monkeypatch):
    """An auditor's search indexes the newest events itself when few are missing (they see their own
    latest acts); far behind — the worker catching up with a national backlog — it answers from the
    index as it stands and says how many events it has not reached, instead of indexing them all first."""
    from application import oversight

    seeded.projections.catch_up()
    mid = Measure.create_id(ORG, "2562-2564", "1.1.1-1", 2562)
    seeded.measures.submit(people.staff, mid, 1, "ส่ง")
    assert seeded.oversight.index_behind() > 0
    found = seeded.oversight.search(ORG, aggregate_id=str(mid))
    assert [e["event_type"] for e in found] == ["Planned", "SubmittedForApproval"]  # indexed inline: close
    assert seeded.oversight.index_behind() == 0

    monkeypatch.setattr(oversight, "INLINE_INDEXING", 0)  # as if a national backlog were waiting
    seeded.measures.approve(people.mayor, mid, 2, "อนุมัติ")
    found = seeded.oversight.search(ORG, aggregate_id=str(mid))
    assert [e["event_type"] for e in found] == ["Planned", "SubmittedForApproval"]  # not yet indexed
    assert seeded.oversight.index_behind() == 1
    seeded.projections.catch_up()  # the worker reaches it
    assert seeded.oversight.search(ORG, aggregate_id=str(mid))[-1]["event_type"] == "Approved"


def test_the_worker_keeps_each_checkpoint_verification_for_the_auditor_page(seeded, people):
    from infrastructure.worker import Worker

    assert seeded.oversight.latest_verification() is None
    Worker(seeded).issue_checkpoint()
    kept = seeded.oversight.latest_verification()
    assert kept["ok"] and kept["checkpoint"] == seeded.oversight.latest_checkpoint()
    assert kept["events_checked"] == len(list(seeded.projections.iter_chain(kept["checkpoint"]["position"])))
    assert kept["checkpoint"]["signed_at"] < kept["verified_at"] < seeded.clock.now().isoformat()
