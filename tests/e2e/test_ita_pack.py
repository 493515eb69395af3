"""`prongsai ita-pack` on the bundled plan with a generated year and a half of work: every OIT item
gets its documents, each with its hash and a proof that `prongsai verify --proof` checks offline —
nothing of the deployment needed but the files and the public key."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from application.proofs import verify_proof
from infrastructure.signing import load_public_key, signature_valid
from interface.api.app import create_app
from tests.conftest import ORG

ROOT = Path(__file__).resolve().parents[2]
ITEMS_2566 = ["O19", "O20", "O21", "O22", "O27", "O28", "O29", "O36", "O37", "O38"]


def prongsai(*args: str, folder: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRONGSAI_DATABASE_URL": f"sqlite:///{folder}/events.sqlite3",
        "PRONGSAI_SIGNING_KEY_PATH": str(folder / "signing-key.pem"),
        "PRONGSAI_MASTER_KEY_PATH": str(folder / "master.key"),
        "PRONGSAI_SESSION_SECRET_PATH": str(folder / "session-secret"),
    }
    done = subprocess.run([sys.executable, "-m", "interface.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600, check=False)  # fmt: skip
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def pack(busy_year, tmp_path_factory):
    svc, folder = busy_year
    out = tmp_path_factory.mktemp("pack") / "ita-2563"
    index = json.loads(prongsai("ita-pack", "--org", ORG, "--year", "2563", "--output", str(out), folder=folder).stdout)
    return svc, folder, out, index


def test_every_item_has_its_documents_with_hashes_and_a_checkpoint(pack):
    svc, _, out, index = pack
    assert [entry["item"] for entry in index["items"]] == ITEMS_2566
    assert index["numbering"][1] == "item numbers follow the 2566 OIT table (there is no table for 2563)"
    checkpoint = index["checkpoint"]
    assert checkpoint["tree_size"] > 1000 and len(checkpoint["root"]) == 64
    for entry in index["items"]:
        assert entry["documents"] and not entry["missing"], entry
        assert entry["url"] == f"http://127.0.0.1:8000/p/{ORG}/ita/2563/{entry['item']}"
        for d in entry["documents"]:
            assert d["position"] <= checkpoint["position"]
            for fmt, sha in d["format_hashes"].items():
                data = (out / entry["item"] / f"{d['kind']}-{d['period']}-v{d['version']}.{fmt}").read_bytes()
                assert hashlib.sha256(data).hexdigest() == sha
    kinds = {entry["item"]: sorted({d["kind"] for d in entry["documents"]}) for entry in index["items"]}
    assert kinds["O21"] == ["procurement-summary"] and kinds["O38"] == ["eplan", "plan-progress"]
    assert len([d for d in index["items"][2]["documents"]]) == 12  # every month of fiscal year 2563
    assert json.loads((out / "index.json").read_text()) == index


def test_every_document_proof_checks_offline_and_a_changed_file_does_not(pack):
    svc, folder, out, index = pack
    public = load_public_key((out / "public-key.pem").read_bytes())
    check = lambda message, signature: signature_valid(public, message, signature)  # noqa: E731
    for entry in index["items"]:
        for d in entry["documents"]:
            stem = out / entry["item"] / f"{d['kind']}-{d['period']}-v{d['version']}"
            proof = json.loads(Path(f"{stem}.pdf.proof.json").read_text())
            assert verify_proof(proof, check, Path(f"{stem}.pdf").read_bytes())["ok"], stem
    # The command an assessor runs, one document per item, with no store at all behind it.
    for entry in index["items"]:
        d = entry["documents"][0]
        stem = out / entry["item"] / f"{d['kind']}-{d['period']}-v{d['version']}"
        done = prongsai("verify", "--proof", f"{stem}.pdf.proof.json", "--public-key", str(out / "public-key.pem"),
                        "--document", f"{stem}.pdf", folder=Path("/nonexistent"))  # fmt: skip
        assert json.loads(done.stdout)["ok"] is True
    changed = out / "changed.pdf"
    changed.write_bytes(Path(f"{stem}.pdf").read_bytes().replace(b"%%EOF", b"%%EOF\n%"))
    done = prongsai("verify", "--proof", f"{stem}.pdf.proof.json", "--public-key", str(out / "public-key.pem"),
                    "--document", str(changed), folder=Path("/nonexistent"), check=False)  # fmt: skip
    assert done.returncode == 1 and json.loads(done.stdout)["ok"] is False


def test_the_public_pages_serve_the_pack_its_documents_and_proofs(pack):
    svc, _, _, index = pack
    client = TestClient(create_app(svc))
    page = client.get(f"/p/{ORG}/ita/2563")
    assert (
        page.status_code == 200
        and "O21" in page.text
        and index["items"][0]["documents"][0]["format_hashes"]["pdf"] in page.text
    )
    item = client.get(f"/p/{ORG}/ita/2563/O22")
    assert item.status_code == 200 and "รายงานผลการจัดซื้อจัดจ้างประจำปี" in item.text and "O21 " not in item.text
    assert client.get(f"/p/{ORG}/ita/2563/O99").status_code == 404
    assert client.get(f"/p/{ORG}/ita/2599").status_code == 404
    assert client.get(f"/api/v1/public/organisations/{ORG}/ita/2563").json()["items"][0]["item"] == "O19"
    d = index["items"][3]["documents"][0]
    base = "http://127.0.0.1:8000"
    document = client.get(d["urls"]["pdf"].removeprefix(base))
    assert hashlib.sha256(document.content).hexdigest() == d["format_hashes"]["pdf"]
    proof = client.get(d["urls"]["proof"].removeprefix(base)).json()
    public = load_public_key(client.get("/api/v1/public/public-key").content)
    assert verify_proof(proof, lambda m, s: signature_valid(public, m, s), document.content)["ok"]
    form = client.get(f"/p/{ORG}/complaint?category=misconduct").text  # O28's page opens the corruption channel
    assert 'value="misconduct" checked' in form
    checkpoints = client.get("/checkpoints")
    assert checkpoints.status_code == 200 and index["checkpoint"]["root"] in checkpoints.text


def test_assembling_again_publishes_nothing_new(pack):
    svc, _, _, index = pack
    again = svc.ita.assemble(ORG, 2563)  # in-process, on the clock of May 2563: seven months have ended
    versions = lambda i: {(d["kind"], d["period"]): d["version"] for e in i["items"] for d in e["documents"]}  # noqa: E731
    before, now = versions(index), versions(again)
    assert now.items() <= before.items()  # every document again: the version published by the command
    assert sorted(p for k, p in now if k == "procurement-summary") == [f"{y}-{m:02d}" for y, m in (
        (2019, 10), (2019, 11), (2019, 12), (2020, 1), (2020, 2), (2020, 3), (2020, 4))]  # fmt: skip
    later = svc.proofs.consistency(index["checkpoint"]["number"], again["checkpoint"]["number"])
    public = load_public_key(svc.oversight.signer.public_pem)
    assert verify_proof(later, lambda m, s: signature_valid(public, m, s))["ok"]  # the log only grew


def test_ita_pack_refuses_clearly(busy_year, tmp_path):
    _, folder = busy_year
    bad = prongsai("ita-pack", "--org", ORG, "--year", "63", folder=folder, check=False)
    assert bad.returncode == 1 and "BE year" in bad.stderr and len(bad.stderr.strip().splitlines()) == 2
    unknown = prongsai("ita-pack", "--org", "1234567", "--year", "2563", folder=folder, check=False)
    assert unknown.returncode == 1 and "not found" in unknown.stderr
    (tmp_path / "x").write_text("x")
    busy = prongsai("ita-pack", "--org", ORG, "--year", "2563", "--output", str(tmp_path), folder=folder, check=False)
    assert busy.returncode == 1 and "not empty" in busy.stderr


def test_an_unreadable_table_file_is_one_clear_line_for_the_operator(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PRONGSAI_DATABASE_URL": f"sqlite:///{tmp_path}/e.sqlite3",
           "PRONGSAI_SIGNING_KEY_PATH": str(tmp_path / "k.pem"), "PRONGSAI_MASTER_KEY_PATH": str(tmp_path / "m.key"),
           "PRONGSAI_OIT_TABLE": str(tmp_path / "missing.json")}  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "interface.cli", "ita-pack", "--org", "5490101", "--year", "2568"],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)  # fmt: skip
    assert done.returncode == 2 and "cannot read the OIT table" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    (tmp_path / "bad.json").write_text(json.dumps({"years": {"2570": [{"item": "O1", "title": "t",
                                                                        "documents": [{"kind": "x"}]}]}}))  # fmt: skip
    env["PRONGSAI_OIT_TABLE"] = str(tmp_path / "bad.json")
    done = subprocess.run([sys.executable, "-m", "interface.cli", "ita-pack", "--org", "5490101", "--year", "2568"],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)  # fmt: skip
    assert done.returncode == 2 and "item O1" in done.stderr
