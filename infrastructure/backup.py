"""Backup and restore of the embedded store together with the key files without which it is worth little
(the master key opens personal data; the signing key signs checkpoints; the session secret signs forms).

``backup`` copies a live SQLite store with SQLite's online backup (a consistent snapshot while the service
runs — copying the file while it is written loses events) and the key files into a new folder, with a
manifest naming the chain head. ``restore`` puts them back into an empty place and refuses to overwrite.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from domain.errors import InvalidInput, Unavailable
from infrastructure.settings import Settings

STORE = "prongsai.sqlite3"
KEYS = {"master.key": "master_key_path", "signing-key.pem": "signing_key_path", "session-secret": "session_secret_path"}


def sqlite_path(settings: Settings) -> Path:
    if not settings.database_url.startswith("sqlite:///"):
        raise Unavailable(
            "สำรอง/คืนข้อมูลด้วยคำสั่งนี้ใช้กับ SQLite; PostgreSQL ใช้ pg_dump/pg_restore และคัดลอกไฟล์กุญแจ",
            "this backup covers the embedded SQLite store; for PostgreSQL use pg_dump/pg_restore and copy "
            "the key files",
        )
    return Path(unquote(settings.database_url[len("sqlite:///") :].split("?", 1)[0]))


def backup(settings: Settings, target: Path, chain_head: tuple[int, str] | None) -> dict[str, Any]:
    source = sqlite_path(settings)
    if not source.exists():
        raise InvalidInput(f"ไม่พบฐานข้อมูล {source}", f"no store at {source}")
    if target.exists() and any(target.iterdir()):
        raise InvalidInput(f"โฟลเดอร์ {target} มีไฟล์อยู่แล้ว", f"{target} is not empty: back up into a new folder")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    with sqlite3.connect(source) as live, sqlite3.connect(target / STORE) as copy:
        live.backup(copy)  # a consistent snapshot, even while the service writes
    os.chmod(target / STORE, 0o600)
    copied = []
    for name, setting in KEYS.items():
        path = Path(getattr(settings, setting))
        if path.exists():
            shutil.copy2(path, target / name)
            os.chmod(target / name, 0o600)
            copied.append(name)
    manifest = {"format": "prongsai-backup/1", "store": STORE, "keys": copied,
                "chain_head": {"position": chain_head[0], "link": chain_head[1]} if chain_head else None}  # fmt: skip
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(settings: Settings, source: Path) -> dict[str, Any]:
    manifest_path = source / "manifest.json"
    if not manifest_path.exists():
        raise InvalidInput(f"{source} ไม่ใช่ชุดสำรองของโปร่งใส", f"{source} is not a Prongsai backup (no manifest.json)")
    manifest = json.loads(manifest_path.read_text())
    target = sqlite_path(settings)
    if target.exists() and target.stat().st_size > 0:
        raise InvalidInput(f"มีฐานข้อมูลอยู่แล้วที่ {target}", f"a store exists at {target}: restore into an empty place")
    for name in manifest["keys"]:
        path = Path(getattr(settings, KEYS[name]))
        if path.exists() and path.read_bytes() != (source / name).read_bytes():
            raise InvalidInput(f"มีไฟล์กุญแจอื่นอยู่แล้วที่ {path}", f"a different key file exists at {path}")
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
