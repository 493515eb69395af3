"""Backup while running and restore into an empty place: the same chain head and readable personal data;
a store with encrypted data never starts with a new master key."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.errors import InvalidInput, Unavailable
from infrastructure.backup import backup, restore
from infrastructure.bootstrap import bootstrap
from infrastructure.clock import ManualClock
from tests.conftest import ORG, START, test_settings


def _empty_place_like(store_url: str, tmp_path: Path) -> Iterator[str]:
    """Where a restore goes: a new SQLite file, or a new PostgreSQL database (same schema name)."""
    if store_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/new/events.sqlite3"
        return
    import psycopg

    from infrastructure.backup import postgres_target

    conninfo, schema = postgres_target(store_url)
    database = f"restored_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {database}")
    place = f"{conninfo.rsplit('/', 1)[0]}/{database}"
    with psycopg.connect(place, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # already there and empty, as public always is
    try:
        yield f"{place}?schema={schema}"
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {database} WITH (FORCE)")


@pytest.mark.store
def test_a_backup_restores_to_the_same_chain_and_readable_identities(store_url: str, tmp_path: Path, seed_text: str):
    from infrastructure.plan_parser import parse_plan
    from tests.conftest import People

    live_dir = tmp_path / "live"
    live_dir.mkdir()
    settings = test_settings(store_url, live_dir)
    svc = bootstrap(settings, clock=ManualClock(START))
    try:
        svc.plans.import_plan(parse_plan(seed_text), ORG)
        people = People(svc)
        complaint, _ = svc.complaints.submit(ORG, "web", "general", "ไฟดับ", "ไฟถนนดับ", "", {"name": "นายสำรอง ข้อมูล"})
        svc.oversight.issue_checkpoint()
        svc.projections.catch_up("chain")
        head = svc.projections.chain_head()
        manifest = backup(settings, tmp_path / "backup", head)  # while the service is open
        with pytest.raises(InvalidInput, match="not empty"):
            backup(settings, tmp_path / "backup", head)  # never into a used folder
    finally:
        svc.close()
    assert {"master.key", "signing-key.pem"} <= set(manifest["keys"])
    assert manifest["chain_head"]["position"] == head[0]

    for place in _empty_place_like(store_url, tmp_path):
        new_dir = tmp_path / "new"
        new_dir.mkdir(exist_ok=True)
        restored = test_settings(place, new_dir)
        restore(restored, tmp_path / "backup")
        with pytest.raises(InvalidInput):
            restore(restored, tmp_path / "backup")  # never over a store
        again = bootstrap(restored, clock=ManualClock(START))
        try:
            again.projections.catch_up("chain")
            assert again.projections.chain_head() == head
            assert again.oversight.verify()["ok"]
            identity = again.complaints.identity(people.clerk, complaint.id, "ตรวจการคืนข้อมูล")
            assert identity["complainant"]["name"] == "นายสำรอง ข้อมูล"
        finally:
            again.close()


def test_a_store_with_encrypted_data_refuses_to_start_without_its_master_key(tmp_path: Path):
    settings = test_settings(f"sqlite:///{tmp_path}/events.sqlite3", tmp_path)
    svc = bootstrap(settings, clock=ManualClock(START))
    try:
        svc.organisations.register(ORG, "เทศบาลทดสอบ")
        svc.complaints.submit(ORG, "web", "general", "ไฟดับ", "ไฟถนนดับ", "", {"name": "ก"})
    finally:
        svc.close()
    shutil.move(tmp_path / "master.key", tmp_path / "elsewhere.key")  # restored without its key file
    with pytest.raises(Unavailable, match="restore the key"):
        bootstrap(settings, clock=ManualClock(START))
    assert not (tmp_path / "master.key").exists()  # no new key was made beside the old data


def test_a_log_with_signed_checkpoints_refuses_to_start_without_its_signing_key(tmp_path: Path):
    settings = test_settings(f"sqlite:///{tmp_path}/events.sqlite3", tmp_path)
    svc = bootstrap(settings, clock=ManualClock(START))
    try:
        svc.organisations.register(ORG, "เทศบาลทดสอบ")
        svc.oversight.issue_checkpoint()
    finally:
        svc.close()
    (tmp_path / "signing-key.pem").unlink()
    with pytest.raises(Unavailable, match="signing key"):
        bootstrap(settings, clock=ManualClock(START))
    assert not (tmp_path / "signing-key.pem").exists()
