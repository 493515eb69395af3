"""Backup and restore of the store together with the key files without which it is worth little
(the master key opens personal data; the signing key signs checkpoints; the session secret signs forms).

``backup`` takes a consistent snapshot while the service runs — SQLite's online backup for the embedded
store (copying the file while it is written loses events), ``pg_dump`` (one transaction, custom format) of
the store's schema for PostgreSQL — and copies the key files into a new folder, with a manifest naming
the chain head. ``restore`` puts them back into an empty place (a new SQLite file; an empty schema of a
PostgreSQL database, through ``pg_restore``) and refuses to overwrite anything.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from domain.errors import InvalidInput, Unavailable
from infrastructure.settings import Settings

STORE = "prongsai.sqlite3"
DUMP = "prongsai.pgdump"
KEYS = {"master.key": "master_key_path", "signing-key.pem": "signing_key_path", "session-secret": "session_secret_path"}


def sqlite_path(settings: Settings) -> Path:
    if not settings.database_url.startswith("sqlite:///"):
        raise Unavailable(
            "สำรอง/คืนข้อมูลด้วยคำสั่งนี้ใช้กับ SQLite; PostgreSQL ใช้ pg_dump/pg_restore และคัดลอกไฟล์กุญแจ",
            "this backup covers the embedded SQLite store; for PostgreSQL use pg_dump/pg_restore and copy "
            "the key files",
        )
    return Path(unquote(settings.database_url[len("sqlite:///") :].split("?", 1)[0]))


def is_postgres(settings: Settings) -> bool:
    return settings.database_url.startswith(("postgresql://", "postgres://"))


def postgres_target(url: str) -> tuple[str, str]:
    """The libpq connection URI (without Prongsai's ``schema`` parameter) and the store's schema."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    schema = next((v for k, v in query if k == "schema"), "public")
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    return urlunsplit(parts._replace(query=rest)), schema


def pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore``: the newest installed server's, else the one on PATH."""
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0))
    for folder in reversed(folders):
        if os.access(Path(folder) / name, os.X_OK):
            return str(Path(folder) / name)
    found = shutil.which(name)
    if found is None:
        raise Unavailable(
            f"ไม่พบโปรแกรม {name} (ติดตั้ง postgresql-client)",
            f"{name} is not installed (install PostgreSQL's client tools, e.g. the postgresql-client package)",
        )
    return found


def _output(tool: str, *args: str) -> str:
    try:
        done = subprocess.run([pg_tool(tool), *args], capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise Unavailable(f"เรียก {tool} ไม่สำเร็จ: {exc}", f"{tool} could not run: {exc}") from None
    if done.returncode != 0:
        said = " ".join(done.stderr.split())[:300] or "no message"
        raise Unavailable(f"{tool} ไม่สำเร็จ: {said}", f"{tool} failed: {said}")
    return done.stdout


def _run(tool: str, *args: str) -> None:
    _output(tool, *args)


def _new_folder(target: Path) -> None:
    if target.exists() and any(target.iterdir()):
        raise InvalidInput(f"โฟลเดอร์ {target} มีไฟล์อยู่แล้ว", f"{target} is not empty: back up into a new folder")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)


def backup(settings: Settings, target: Path, chain_head: tuple[int, str] | None) -> dict[str, Any]:
    if is_postgres(settings):
        conninfo, schema = postgres_target(settings.database_url)
        _new_folder(target)
        # one repeatable-read transaction: a consistent snapshot while the service writes
        _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--schema={schema}",
             f"--file={target / DUMP}", conninfo)  # fmt: skip
        os.chmod(target / DUMP, 0o600)
        store: dict[str, Any] = {"store": DUMP, "kind": "postgresql", "schema": schema}
    else:
        source = sqlite_path(settings)
        if not source.exists():
            raise InvalidInput(f"ไม่พบฐานข้อมูล {source}", f"no store at {source}")
        _new_folder(target)
        with sqlite3.connect(source) as live, sqlite3.connect(target / STORE) as copy:
            live.backup(copy)  # a consistent snapshot, even while the service writes
        os.chmod(target / STORE, 0o600)
        store = {"store": STORE, "kind": "sqlite"}
    copied = []
    for name, setting in KEYS.items():
        path = Path(getattr(settings, setting))
        if path.exists():
            shutil.copy2(path, target / name)
            os.chmod(target / name, 0o600)
            copied.append(name)
    manifest = {"format": "prongsai-backup/1", **store, "keys": copied,
                "chain_head": {"position": chain_head[0], "link": chain_head[1]} if chain_head else None}  # fmt: skip
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(settings: Settings, source: Path) -> dict[str, Any]:
    manifest_path = source / "manifest.json"
    if not manifest_path.exists():
        raise InvalidInput(f"{source} ไม่ใช่ชุดสำรองของโปร่งใส", f"{source} is not a Prongsai backup (no manifest.json)")
    manifest = json.loads(manifest_path.read_text())
    kind = manifest.get("kind", "sqlite")
    if kind != ("postgresql" if is_postgres(settings) else "sqlite"):
        raise InvalidInput(
            f"ชุดสำรองนี้เป็นของ {kind} แต่ PRONGSAI_DATABASE_URL ชี้ไปที่ฐานข้อมูลอีกชนิด",
            f"this backup is of a {kind} store; PRONGSAI_DATABASE_URL names the other kind",
        )
    if kind == "postgresql":
        conninfo, schema = postgres_target(settings.database_url)
        if schema != manifest["schema"]:
            raise InvalidInput(
                f"ชุดสำรองเป็นของ schema {manifest['schema']} แต่ปลายทางคือ {schema}",
                f"the backup holds schema {manifest['schema']}; restore into a URL with ?schema={manifest['schema']}",
            )
        schema_exists = _refuse_a_used_schema(conninfo, schema)
    else:
        target = sqlite_path(settings)
        if target.exists() and target.stat().st_size > 0:
            raise InvalidInput(f"มีฐานข้อมูลอยู่แล้วที่ {target}", f"a store exists at {target}: restore into an empty place")
    for name in manifest["keys"]:
        path = Path(getattr(settings, KEYS[name]))
        if path.exists() and path.read_bytes() != (source / name).read_bytes():
            raise InvalidInput(f"มีไฟล์กุญแจอื่นอยู่แล้วที่ {path}", f"a different key file exists at {path}")
    if kind == "postgresql":
        with tempfile.TemporaryDirectory() as scratch:
            options = []
            if schema_exists:  # an empty schema is there already (always so for public): all but its creation
                listing = _output("pg_restore", "--list", str(source / DUMP))
                kept = [line for line in listing.splitlines() if f" SCHEMA - {schema} " not in f"{line} "]
                Path(scratch, "restore.list").write_text("\n".join(kept) + "\n")
                options = [f"--use-list={Path(scratch, 'restore.list')}"]
            _run("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                 *options, f"--dbname={conninfo}", str(source / DUMP))  # fmt: skip
    else:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with sqlite3.connect(source / STORE) as saved, sqlite3.connect(target) as live:
            saved.backup(live)
        os.chmod(target, 0o600)
    for name in manifest["keys"]:
        path = Path(getattr(settings, KEYS[name]))
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, path)
        os.chmod(path, 0o600)
    return manifest


def _refuse_a_used_schema(conninfo: str, schema: str) -> bool:
    """Refuse a schema that holds tables; answer whether the (empty) schema exists already."""
    import psycopg

    try:
        with psycopg.connect(conninfo, connect_timeout=10) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s", (schema,)
            ).fetchone()[0]
            exists = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone() is not None
    except psycopg.Error as exc:
        said = str(exc).strip().splitlines()[0]
        raise Unavailable(f"เชื่อมต่อ PostgreSQL ไม่ได้: {said}", f"cannot reach PostgreSQL: {said}") from None
    if tables:
        raise InvalidInput(
            f"schema {schema} มีตารางอยู่แล้ว: คืนข้อมูลลงฐานข้อมูลว่างเท่านั้น",
            f"schema {schema} already holds tables: restore into an empty database or schema",
        )
    return exists
