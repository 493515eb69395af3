"""The hash chain and signed checkpoints catch direct tampering with the database, on every store."""

from __future__ import annotations

import base64
import json
import sqlite3
import uuid
from datetime import date
from urllib.parse import urlparse

import pytest

from application.oversight import verify_export
from domain.measure import Measure
from tests.conftest import ORG

pytestmark = pytest.mark.store


class RawDB:
    """The events table, reached around the application — as an attacker with DB access would."""

    def __init__(self, store_url: str) -> None:
        self.postgres = store_url.startswith("postgresql")
        if self.postgres:
            import psycopg

            url = urlparse(store_url)
            schema = url.query.split("schema=")[1]
            self.conn = psycopg.connect(store_url.split("?")[0], autocommit=True)
            self.conn.execute(f"SET search_path TO {schema}")
            self.table, self.id = "prongsai_events", "notification_id"
        else:
            self.conn = sqlite3.connect(store_url[len("sqlite:///") :], isolation_level=None)
            self.table, self.id = "stored_events", "rowid"

    def run(self, sql: str, params: tuple = ()) -> list:
        sql = sql.format(t=self.table, id=self.id)
        if self.postgres:
            sql = sql.replace("?", "%s")
        cursor = self.conn.execute(sql, params)
        try:
            return list(cursor.fetchall())
        except Exception:  # noqa: BLE001 - statements without rows
            return []

    def row(self, position: int) -> tuple:
        return self.run("SELECT originator_id, originator_version, topic, state FROM {t} WHERE {id} = ?", (position,))[
            0
        ]

    def shift_after(self, position: int, by: int) -> None:
        """Renumber every row after ``position`` (two steps, so unique ids never collide)."""
        self.run("UPDATE {t} SET {id} = {id} + 1000000 WHERE {id} > ?", (position,))
        self.run("UPDATE {t} SET {id} = {id} - 1000000 + ? WHERE {id} > 1000000", (by,))


@pytest.fixture
def logged(seeded, people, store_url):
    """A log with some workflow history, fully chained and signed at its head."""
    svc = seeded
    mid = Measure.create_id(ORG, "2562-2564", "2.3.2", 2562)
    m = svc.measures.submit(people.staff, mid, 1, "เสนอ")
    m = svc.measures.approve(people.mayor, mid, m.version)
    svc.measures.start(people.staff, mid, m.version, date(2019, 1, 7))
    checkpoint = svc.oversight.issue_checkpoint()
    assert svc.oversight.verify(checkpoint)["ok"]
    return svc, checkpoint, RawDB(store_url)


def findings(svc, checkpoint) -> list[tuple[int | None, str]]:
    result = svc.oversight.verify(checkpoint)
    assert not result["ok"]
    assert result["findings"][-1]["kind"] == "checkpoint-mismatch"
    return [(f["position"], f["kind"]) for f in result["findings"]]


def test_untouched_log_verifies_and_a_forged_signature_does_not(logged):
    svc, checkpoint, _ = logged
    result = svc.oversight.verify(checkpoint)
    assert result["ok"] and result["events_checked"] == checkpoint["position"]
    forged = {**checkpoint, "link": "00" * 32}
    kinds = [f["kind"] for f in svc.oversight.verify(forged)["findings"]]
    assert "signature" in kinds and "checkpoint-mismatch" in kinds


def test_edited_event_is_located(logged):
    svc, checkpoint, db = logged
    db.run("UPDATE {t} SET state = ? WHERE {id} = ?", (b'{"note":"forged"}', 40))
    assert findings(svc, checkpoint)[0] == (40, "edited")


def test_deleted_event_is_located(logged):
    svc, checkpoint, db = logged
    db.run("DELETE FROM {t} WHERE {id} = ?", (17,))
    assert findings(svc, checkpoint)[0] == (17, "deleted")


def test_deleted_and_renumbered_is_located(logged):
    svc, checkpoint, db = logged
    db.run("DELETE FROM {t} WHERE {id} = ?", (23,))
    db.shift_after(23, -1)
    assert findings(svc, checkpoint)[0] == (23, "deleted")


def test_inserted_event_is_located(logged):
    svc, checkpoint, db = logged
    _, _, topic, state = db.row(30)
    db.shift_after(29, 1)
    db.run(
        "INSERT INTO {t} ({id}, originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?, ?)",
        (30, str(uuid.uuid4()) if not db.postgres else uuid.uuid4(), 1, topic, state),
    )
    assert findings(svc, checkpoint)[0] == (30, "inserted")


def test_reordered_events_are_located(logged):
    svc, checkpoint, db = logged
    a, b = db.row(10), db.row(11)
    db.run("DELETE FROM {t} WHERE {id} IN (?, ?)", (10, 11))
    insert = "INSERT INTO {t} ({id}, originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?, ?)"
    db.run(insert, (10, *b))
    db.run(insert, (11, *a))
    assert findings(svc, checkpoint)[:2] == [(10, "reordered"), (11, "reordered")]


def test_rewriting_the_chain_table_too_is_still_caught_by_the_checkpoint(logged):
    svc, checkpoint, db = logged
    db.run("UPDATE {t} SET state = ? WHERE {id} = ?", (b'{"note":"forged"}', 5))
    svc.projections.rebuild("chain")  # the attacker recomputes the chain over the forged log
    kinds = [f["kind"] for f in svc.oversight.verify(checkpoint)["findings"]]
    assert kinds == ["checkpoint-mismatch"]


def test_export_verifies_offline_with_the_public_key_alone(logged, people, tmp_path):
    svc, checkpoint, db = logged
    from infrastructure.signing import load_public_key, signature_valid

    public = load_public_key(svc.oversight.signer.public_pem)

    def check(message: bytes, signature: str) -> bool:
        return signature_valid(public, message, signature)

    lines = list(svc.oversight.export(people.auditor, checkpoint))
    assert verify_export(lines, check)["ok"]
    outsider_lines = list(svc.oversight.export(people.outsider, checkpoint))
    assert verify_export(outsider_lines, check)["ok"]
    assert not any('"kind": "event"' in line and ORG in line for line in outsider_lines[1:])

    def forge(line: str) -> str:
        item = json.loads(line)
        if item.get("topic", "").endswith("SubmittedForApproval"):
            state = base64.b64decode(item["state"]).replace("เสนอ".encode(), "ปลอม".encode())
            item["state"] = base64.b64encode(state).decode()
            return json.dumps(item)
        return line

    tampered = [forge(line) for line in lines]
    position = next(json.loads(a)["position"] for a, b in zip(lines, tampered, strict=True) if a != b)
    result = verify_export(tampered, check)
    assert not result["ok"] and (result["findings"][0]["position"], result["findings"][0]["kind"]) == (
        position,
        "edited",
    )
