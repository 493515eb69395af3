"""The command line as an operator uses it, in a subprocess, against a SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED


def prongsai(*args: str, db: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRONGSAI_DATABASE_URL": f"sqlite:///{db}",
        "PRONGSAI_SIGNING_KEY_PATH": str(db.parent / "signing-key.pem"),
        "PRONGSAI_MASTER_KEY_PATH": str(db.parent / "master.key"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "interface.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_parse_prints_the_structured_plan(tmp_path):
    out = json.loads(prongsai("plan", "parse", str(SEED), db=tmp_path / "e.db").stdout)
    assert set(out) == {"organisation", "fiscal_years", "dimensions", "measures", "warnings"}
    assert len(out["measures"]) == 32 and out["warnings"]


def test_import_users_and_inspect(tmp_path):
    db = tmp_path / "e.db"
    first = json.loads(prongsai("plan", "import", str(SEED), "--org", "5490101", db=db).stdout)
    assert len(first["created"]) == 32
    again = json.loads(prongsai("plan", "import", "--org", "5490101", db=db).stdout)  # bundled copy
    assert again["unchanged"] is True
    token = prongsai("users", "add", "somchai", "--org", "5490101", "--role", "clerk", db=db).stdout
    assert token.strip().startswith("prg_")
    assert token.strip() not in db.read_bytes().decode("latin-1")  # only the hash is stored
    bad = prongsai("users", "add", "x", "--org", "5490101", "--role", "king", db=db, check=False)
    assert bad.returncode == 1 and "unknown role" in bad.stderr
    missing = prongsai("users", "add", "y", "--org", "0000000", "--role", "staff", db=db, check=False)
    assert missing.returncode == 1 and "not found" in missing.stderr
    shown = json.loads(prongsai("measures", "show", "2.3.2", "--org", "5490101", "--year", "2562", db=db).stdout)
    assert shown["status"] == "planned" and shown["code"] == "2.3.2"
    history = prongsai("measures", "history", "2.3.2", "--org", "5490101", "--year", "2562", db=db).stdout
    assert "Planned" in history


@pytest.mark.parametrize("args", [["plan", "parse", "/no/such/file"], ["plan", "import", "/no/such", "--org", "1"]])
def test_missing_files_are_clear_errors(tmp_path, args):
    result = prongsai(*args, db=tmp_path / "e.db", check=False)
    assert result.returncode == 2 and "file not found" in result.stderr


def test_the_ocds_schema_is_set_up_once_by_an_operator(tmp_path, monkeypatch):
    from tests.conftest import OCDS

    target = tmp_path / "ocds" / "release-schema.json"
    monkeypatch.setenv("PRONGSAI_OCDS_SCHEMA", str(target))
    done = prongsai("ocds", "schema", "--source", str(OCDS / "release-schema.json"), db=tmp_path / "e.db")
    assert target.read_bytes() == (OCDS / "release-schema.json").read_bytes() and "installed" in done.stderr
    wrong = prongsai("ocds", "schema", "--source", str(SEED), db=tmp_path / "e.db", check=False)
    assert wrong.returncode == 1 and "not JSON" in wrong.stderr and "Traceback" not in wrong.stderr


def run_with(url: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRONGSAI_DATABASE_URL": url, "PRONGSAI_MASTER_KEY_PATH": str(tmp_path / "master.key"),
           "PRONGSAI_SIGNING_KEY_PATH": str(tmp_path / "signing-key.pem")}  # fmt: skip
    return subprocess.run([sys.executable, "-m", "interface.cli", *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)  # fmt: skip


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("garbage://x", "must start with sqlite:/// or postgresql://"),
        ("sqlite://var/x.db", "three slashes"),
        ("postgresql://postgres@127.0.0.1:9/nothing", "cannot reach the store at 127.0.0.1:9/nothing"),
    ],
)
def test_an_operators_mistake_is_one_clear_line(tmp_path, url, says):
    result = run_with(url, "orgs", "list", tmp_path=tmp_path)
    assert result.returncode == 2 and says in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "ar").exists()  # sqlite://var/x.db no longer writes to ./ar/x.db


def test_a_binary_or_pdf_plan_is_one_clear_line(tmp_path):
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.7\n\xff\xfe\x00binary")
    result = run_with(f"sqlite:///{tmp_path}/x.db", "plan", "parse", str(tmp_path / "plan.pdf"), tmp_path=tmp_path)
    assert result.returncode == 2 and "not a readable PDF" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_word_plan_parses_and_a_cover_page_is_no_plan(tmp_path):
    from tests.conftest import SEED
    from tests.plan_files import as_docx

    (tmp_path / "plan.docx").write_bytes(as_docx(SEED.read_text(encoding="utf-8")))
    parsed = run_with(f"sqlite:///{tmp_path}/x.db", "plan", "parse", str(tmp_path / "plan.docx"), tmp_path=tmp_path)
    assert parsed.returncode == 0 and len(json.loads(parsed.stdout)["measures"]) == 32

    (tmp_path / "cover.txt").write_text("แผนปฏิบัติการป้องกันการทุจริต\nเทศบาลตำบลตัวอย่าง\n", encoding="utf-8")
    cover = run_with(f"sqlite:///{tmp_path}/x.db", "plan", "parse", str(tmp_path / "cover.txt"), tmp_path=tmp_path)
    assert cover.returncode == 1 and "no plan items" in cover.stderr
    url, cover_page = f"sqlite:///{tmp_path}/x.db", str(tmp_path / "cover.txt")
    imported = run_with(url, "plan", "import", cover_page, "--org", "5490101", tmp_path=tmp_path)
    assert imported.returncode == 1 and "Traceback" not in imported.stderr
    assert "no plan items found in this document" in imported.stderr.splitlines()[-1]  # Thai line, English line


def test_the_store_file_is_readable_by_its_owner_only(tmp_path):
    db = tmp_path / "var" / "store.sqlite3"
    assert run_with(f"sqlite:///{db}", "orgs", "list", tmp_path=tmp_path).returncode == 0
    for path in [db, *db.parent.glob("store.sqlite3-*")]:
        assert path.stat().st_mode & 0o077 == 0, (path, oct(path.stat().st_mode))


def test_a_projection_is_rebuilt_by_its_name_or_the_table_the_readme_lists(tmp_path):
    db = tmp_path / "store.sqlite3"
    assert run_with(f"sqlite:///{db}", "plan", "import", "--org", "5490101", tmp_path=tmp_path).returncode == 0
    for name in ("chain", "chain_links", "event_index"):
        result = run_with(f"sqlite:///{db}", "projections", "rebuild", name, tmp_path=tmp_path)
        assert result.returncode == 0 and "events applied" in result.stderr, result.stderr
    assert run_with(f"sqlite:///{db}", "projections", "rebuild", "nonsense", tmp_path=tmp_path).returncode == 2


def test_a_backup_of_a_store_without_events_yet_restores(tmp_path):
    """An empty store's backup has no chain head; restoring it is not 'shorter than the backup'."""
    live, other = tmp_path / "live", tmp_path / "other"
    live.mkdir()
    other.mkdir()
    prongsai("verify", db=live / "events.sqlite3", check=False)  # opens (and so creates) the empty store
    prongsai("backup", str(tmp_path / "backup"), db=live / "events.sqlite3")
    restored = prongsai("restore", str(tmp_path / "backup"), db=other / "events.sqlite3", check=False)
    assert restored.returncode == 0, restored.stderr
