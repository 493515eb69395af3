"""Signed tree heads and the proofs built on them, on every store: the stored tree equals the RFC
9162 tree of the log's digests, proofs check offline, and tampering with the store or the proof is caught."""

from __future__ import annotations

import base64
import copy
import json
import subprocess
import sys
from datetime import date

import pytest

from application.proofs import verify_proof
from domain import merkle
from domain.chain import event_digest
from domain.measure import Measure
from infrastructure.signing import load_public_key, signature_valid
from tests.conftest import ORG
from tests.integration.test_tamper_evidence import RawDB

pytestmark = pytest.mark.store


def leaves_of(svc) -> list[bytes]:
    """The tree's leaves recomputed straight from the stored events (nothing from the projection)."""
    rows = svc.app.recorder.select_notifications(start=None, limit=100_000)
    return [merkle.leaf_hash(event_digest(n.originator_id, n.originator_version, n.topic, n.state)) for n in rows]


@pytest.fixture
def signed(seeded, people):
    svc = seeded
    mid = Measure.create_id(ORG, "2562-2564", "2.3.2", 2562)
    m = svc.measures.submit(people.staff, mid, 1, "เสนอ")
    first = svc.oversight.issue_checkpoint()
    m = svc.measures.approve(people.mayor, mid, m.version)
    svc.measures.start(people.staff, mid, m.version, date(2019, 1, 7))
    svc.reports.publish(ORG, "plan-progress", "2562-r6")
    second = svc.oversight.issue_checkpoint()
    public = load_public_key(svc.oversight.signer.public_pem)
    return svc, first, second, lambda message, signature: signature_valid(public, message, signature)


def test_tree_heads_sign_the_root_of_the_whole_log(signed):
    svc, first, second, check = signed
    leaves = leaves_of(svc)
    positions = [n.id for n in svc.app.recorder.select_notifications(start=None, limit=100_000)]
    for head in (first, second):
        assert head["tree_size"] == sum(1 for p in positions if p <= head["position"])
        assert head["root"] == merkle.root(leaves[: head["tree_size"]]).hex()
    assert (first["number"], second["number"]) == (1, 2)
    assert svc.oversight.verify(second, check)["ok"]


def test_every_inclusion_proof_checks_and_equals_the_reference_path(signed):
    svc, _, second, check = signed
    leaves = leaves_of(svc)[: second["tree_size"]]
    for position in (1, 2, 17, second["position"] // 2, second["position"]):
        proof = svc.proofs.inclusion(position)
        assert proof["path"] == [p.hex() for p in merkle.inclusion_path(position - 1, leaves)]
        assert verify_proof(json.loads(json.dumps(proof)), check)["ok"]


def test_a_proof_refuses_a_changed_event_path_root_or_signature(signed):
    svc, _, _, check = signed
    proof = svc.proofs.inclusion(5)
    event = proof["event"]
    changed = copy.deepcopy(proof)
    changed["event"]["state"] = base64.b64encode(base64.b64decode(event["state"]) + b" ").decode()
    bent = copy.deepcopy(proof)
    bent["path"][0] = "00" * 32
    moved = copy.deepcopy(proof)
    moved["leaf_index"] += 1
    forged = copy.deepcopy(proof)
    forged["checkpoint"]["root"] = proof["path"][-1]
    for bad in (changed, bent, moved, forged):
        result = verify_proof(bad, check)
        assert not result["ok"] and result["findings"]
    assert any("signature" in f for f in verify_proof(forged, check)["findings"])


def test_consistency_between_checkpoints_and_a_rewritten_past_is_caught(signed, store_url):
    svc, first, second, check = signed
    proof = svc.proofs.consistency(1, 2)
    assert verify_proof(proof, check)["ok"]
    # Someone edits an event the first checkpoint covers and rebuilds the tree to hide it.
    RawDB(store_url).run("UPDATE {t} SET state = ? WHERE {id} = ?", (b'{"note":"forged"}', 3))
    svc.projections.rebuild("merkle")
    assert not verify_proof(svc.proofs.consistency(1, 2), check)["ok"]
    assert not verify_proof(svc.proofs.inclusion(3), check)["ok"]


def test_a_published_report_is_proven_through_the_event_that_recorded_its_hash(signed):
    svc, _, second, check = signed
    record = svc.reports.published(ORG, "plan-progress", "2562-r6")[0]
    document = svc.reports.reproduce(ORG, "plan-progress", "2562-r6", record["version"], "pdf")
    from domain.reporting import ReportRecord

    position = svc.proofs.position_of(ReportRecord.create_id(ORG, "plan-progress", "2562-r6"), record["version"])
    proof = svc.proofs.inclusion(position, public=True) | {"document": {"format": "pdf"}}
    assert verify_proof(proof, check, document)["ok"]
    tampered = verify_proof(proof, check, document + b"%")
    assert not tampered["ok"] and "not a hash the event recorded" in tampered["findings"][0]


def test_public_proofs_are_only_for_public_records_naming_no_account(signed, people):
    svc, *_ = signed
    from domain.errors import NotFound

    user_event = 1 + next(
        i for i, n in enumerate(svc.app.recorder.select_notifications(start=None, limit=1000)) if "people:" in n.topic
    )
    with pytest.raises(NotFound):
        svc.proofs.inclusion(user_event, public=True)
    assert svc.proofs.inclusion(user_event)["event"]["position"] == user_event  # an auditor's question
    # A report published by hand names the clerk's account: its proof is the auditors' too.
    from domain.reporting import ReportRecord

    by_hand = svc.reports.publish(ORG, "plan-progress", "2562-r12", "manual", people.clerk.as_actor())
    svc.oversight.issue_checkpoint()
    position = svc.proofs.position_of(ReportRecord.create_id(ORG, "plan-progress", "2562-r12"), by_hand["version"])
    with pytest.raises(NotFound):
        svc.proofs.inclusion(position, public=True)
    assert "clerk" in str(base64.b64decode(svc.proofs.inclusion(position)["event"]["state"]))


def test_prongsai_verify_checks_a_proof_offline(signed, tmp_path):
    svc, _, second, _ = signed
    proof_file, key_file = tmp_path / "proof.json", tmp_path / "key.pem"
    proof_file.write_text(json.dumps(svc.proofs.inclusion(second["position"])))
    key_file.write_text(svc.oversight.signer.public_pem)
    command = [
        sys.executable,
        "-m",
        "interface.cli",
        "verify",
        "--proof",
        str(proof_file),
        "--public-key",
        str(key_file),
    ]
    env = {"PATH": "/usr/bin:/bin", "PRONGSAI_DATABASE_URL": "sqlite:////nonexistent/never-opened.sqlite3"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True
    bundle = json.loads(proof_file.read_text())
    bundle["leaf_index"] = 0
    proof_file.write_text(json.dumps(bundle))
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 1 and json.loads(done.stdout)["ok"] is False


def test_the_standalone_checker_and_openssl_need_nothing_of_prongsai(signed, tmp_path):
    """docs/proofs.md: the tree with hashlib alone (tools/check_proof.py), the signature with OpenSSL."""
    import shutil

    svc, _, second, _ = signed
    record = svc.reports.published(ORG, "plan-progress", "2562-r6")[0]
    document = tmp_path / "report.pdf"
    document.write_bytes(svc.reports.reproduce(ORG, "plan-progress", "2562-r6", record["version"], "pdf"))
    proof_file = tmp_path / "proof.json"
    proof_file.write_text(json.dumps(svc.proofs.document(ORG, "plan-progress", "2562-r6", record["version"], "pdf")))
    checker = [sys.executable, "-I", "tools/check_proof.py", str(proof_file), str(document)]
    done = subprocess.run(checker, capture_output=True, text=True, check=False, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0 and ": True" in done.stdout, done.stdout + done.stderr
    document.write_bytes(document.read_bytes() + b"\n")
    assert subprocess.run(checker, capture_output=True, check=False).returncode == 1
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to check the documented signature command")
    head = json.loads(proof_file.read_text())["checkpoint"]
    fields = ("key_id", "link", "position", "root", "signed_at", "tree_size")
    (tmp_path / "message").write_text(json.dumps({k: head[k] for k in fields}, sort_keys=True, separators=(",", ":")))
    (tmp_path / "signature").write_bytes(bytes.fromhex(head["signature"]))
    (tmp_path / "key.pem").write_text(svc.oversight.signer.public_pem)
    openssl = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem", "-rawin", "-in", "message",
               "-sigfile", "signature"]  # fmt: skip
    assert subprocess.run(openssl, cwd=tmp_path, capture_output=True, check=False).returncode == 0
    (tmp_path / "message").write_text((tmp_path / "message").read_text().replace(head["root"], "0" * 64))
    assert subprocess.run(openssl, cwd=tmp_path, capture_output=True, check=False).returncode != 0


def test_checkpoints_signed_before_the_tree_still_verify_and_are_named_when_asked_for_a_proof(seeded, people):
    """A store from before this release holds checkpoints without tree_size and root (class version 1)."""
    from eventsourcing.persistence import StoredEvent

    from domain.checkpoint import checkpoint_message
    from domain.errors import NotFound

    svc = seeded
    svc.projections.catch_up("chain")
    position, link = svc.projections.chain_head()
    signer, signed_at = svc.oversight.signer, svc.clock.now().isoformat()
    signature = signer.sign(checkpoint_message(position, link, signed_at, signer.key_id))
    event = svc.oversight.log.trigger_event(position=position, link=link, signed_at=signed_at, key_id=signer.key_id,
                                            signature=signature, tree_size=None, root=None)  # fmt: skip
    stored = svc.app.mapper.to_stored_event(event)
    state = json.loads(stored.state)
    for key in ("tree_size", "root", "class_version"):
        state.pop(key)
    svc.app.recorder.insert_events([StoredEvent(stored.originator_id, stored.originator_version, stored.topic,
                                                json.dumps(state).encode())])  # fmt: skip
    old = svc.oversight.checkpoints()[0]
    assert "tree_size" not in old and old["number"] == 1
    public = load_public_key(signer.public_pem)
    assert svc.oversight.verify(old, lambda m, s: signature_valid(public, m, s))["ok"]
    with pytest.raises(NotFound, match="before the log had a Merkle tree"):
        svc.proofs.inclusion(1, checkpoint=1)
    new = svc.oversight.issue_checkpoint()
    assert new["number"] == 2 and new["tree_size"] >= position
    assert verify_proof(svc.proofs.inclusion(1), lambda m, s: signature_valid(public, m, s))["ok"]
