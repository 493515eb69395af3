"""One setting picks the store: ``PRONGSAI_DATABASE_URL`` → the library's persistence env."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from domain.errors import InvalidInput, Unavailable


def private_file(path: Path) -> None:
    """The store's file readable by its owner only (SQLite gives its -wal and -shm files the same mode):
    the log holds who did what, and the credential and key tables sit beside it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError as exc:
        raise Unavailable(
            f"สร้างหรือเปิดไฟล์ฐานข้อมูล {path} ไม่ได้: {exc.strerror}",
            f"cannot create or open the store file {path}: {exc.strerror}",
        ) from None


def store_env(database_url: str, pool_size: int = 10, lock_timeout: int = 10) -> dict[str, str]:
    """Translate a database URL into ``eventsourcing`` settings (passed as the app's ``env``)."""
    url = urlparse(database_url)
    if url.scheme == "sqlite":
        if not database_url.startswith("sqlite:///"):  # sqlite://var/x.db would silently mean ./ar/x.db
            raise InvalidInput(
                f"PRONGSAI_DATABASE_URL ของ SQLite ต้องมีทับสามตัว เช่น sqlite:///var/x.db (ได้รับ '{database_url}')",
                f"a SQLite PRONGSAI_DATABASE_URL takes three slashes, e.g. sqlite:///var/x.db (got '{database_url}')",
            )
        # sqlite:///var/x.db is relative to the working directory, sqlite:////abs/x.db absolute
        path = unquote(database_url[len("sqlite:///") :].split("?", 1)[0])
        if path in ("", ":memory:"):
            raise InvalidInput("ต้องระบุไฟล์ฐานข้อมูล SQLite", "a SQLite file path is required")
        private_file(Path(path))
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": str(lock_timeout),
        }
    if url.scheme in ("postgres", "postgresql"):
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": url.path.lstrip("/"),
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or ""),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_POOL_SIZE": str(pool_size),
            "POSTGRES_LOCK_TIMEOUT": str(lock_timeout),
            "POSTGRES_CONNECT_TIMEOUT": "5",
        }
        query = dict(p.split("=", 1) for p in url.query.split("&") if "=" in p)
        if "schema" in query:
            env["POSTGRES_SCHEMA"] = query["schema"]
        return env
    raise InvalidInput(
        f"PRONGSAI_DATABASE_URL ต้องขึ้นต้นด้วย sqlite:/// หรือ postgresql:// (ได้รับ '{url.scheme}')",
        f"PRONGSAI_DATABASE_URL must start with sqlite:/// or postgresql:// (got '{url.scheme}')",
    )
