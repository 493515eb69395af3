"""Projections' tables live in the event store's own database, next to the events.

A thin DB-API layer over sqlite3 / psycopg: one connection per thread, ``?`` placeholders in
every statement (translated for PostgreSQL), and a transaction in which a projection writes its
rows *and* its position, so both commit or neither does.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from queue import Full, Queue
from typing import Any
from urllib.parse import unquote, urlparse


class Cursor:
    def __init__(self, raw: Any, postgres: bool) -> None:
        self.raw = raw
        self.postgres = postgres

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Cursor:
        self.raw.execute(self.sql(statement), params)
        return self

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.raw.executemany(self.sql(statement), rows)

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Append rows to a table: ``COPY`` on PostgreSQL (one stream, no round trip per row, several
        times faster than ``executemany``), one ``executemany`` on SQLite (already in-process)."""
        if not rows:
            return
        if self.postgres:
            with self.raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("?" * len(columns))
        self.raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self.raw.fetchall())

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.raw.fetchone()

    @property
    def rowcount(self) -> int:
        return int(self.raw.rowcount or 0)


class ReadModelDB:
    def __init__(self, database_url: str, lock_timeout: int = 10) -> None:
        self.url = database_url
        self.lock_timeout = lock_timeout
        self.postgres = urlparse(database_url).scheme in ("postgres", "postgresql")
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()
        self._named: dict[str, threading.Lock] = {}

    def _connect(self) -> Any:
        if self.postgres:
            import psycopg

            url = urlparse(self.url)
            query = dict(p.split("=", 1) for p in url.query.split("&") if "=" in p)
            conn = psycopg.connect(
                host=url.hostname or "127.0.0.1",
                port=url.port or 5432,
                user=unquote(url.username or ""),
                password=unquote(url.password or ""),
                dbname=url.path.lstrip("/"),
                autocommit=True,
                connect_timeout=5,
            )
            if "schema" in query:
                conn.execute(f'SET search_path TO "{query["schema"]}"')
            conn.execute(f"SET lock_timeout = '{self.lock_timeout}s'")
            return conn
        path = unquote(self.url[len("sqlite:///") :])
        conn = sqlite3.connect(path, timeout=self.lock_timeout, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA secure_delete=ON")  # deleted rows (e.g. erased keys) are overwritten
        return conn

    def connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        conn = self.connection()
        if self.postgres:
            with conn.transaction(), conn.cursor() as raw:
                yield Cursor(raw, True)
            return
        raw = conn.cursor()
        raw.execute("BEGIN IMMEDIATE")
        try:
            yield Cursor(raw, False)
        except BaseException:
            raw.execute("ROLLBACK")
            raise
        else:
            raw.execute("COMMIT")
        finally:
            raw.close()

    @contextmanager
    def hold(self, name: str) -> Iterator[None]:
        """A lock by name across every process: PostgreSQL's session advisory lock on this thread's own
        connection; for SQLite, a lock per name in this process and an ``flock`` on a file beside the
        database, so several ``serve --workers`` processes on one file respect it too."""
        if not self.postgres:
            with self._named_lock(name), self._file_lock(name):
                yield
            return
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        conn = self.connection()
        conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))

    @contextmanager
    def _file_lock(self, name: str) -> Iterator[None]:
        path = unquote(self.url[len("sqlite:///") :])
        if not path or path == ":memory:":
            yield
            return
        folder = Path(f"{path}.locks")
        folder.mkdir(mode=0o700, exist_ok=True)
        lock_file = folder / hashlib.sha256(name.encode()).hexdigest()[:24]
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _named_lock(self, name: str) -> threading.Lock:
        with self._lock:
            return self._named.setdefault(name, threading.Lock())

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        conn = self.connection()
        if self.postgres:
            with conn.cursor() as raw:
                raw.execute(statement.replace("?", "%s"), params)
                return list(raw.fetchall())
        return list(conn.execute(statement, params).fetchall())

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(Exception):  # closing is best effort
                    conn.close()
            self._all.clear()
        self._local = threading.local()


EVENT_TABLES = {
    False: ("stored_events", "rowid", "originator_id"),
    True: ("prongsai_events", "notification_id", "originator_id"),
}


def stored_rows(db: ReadModelDB, upto: int, page: int = 5000) -> Iterator[tuple[Any, ...]]:
    """Stored event rows exactly as they are in the table, in order, up to a position, each followed
    by the digest the chain table holds for its position (``None`` if it holds none).

    Verification reads the table itself (not the library's decoded view), which is also faster. A
    thread with its own connection reads the next pages while the caller hashes this one: on PostgreSQL
    from one server-side cursor (no query per page), on SQLite a page per query. Memory stays flat.
    """
    table, position_column, id_column = EVENT_TABLES[db.postgres]
    # Each row with its chain digest beside it (None where the chain has no row): one stream, not two.
    select = (
        f"SELECT e.{position_column}, e.{id_column}, e.originator_version, e.topic, e.state, c.digest"
        f" FROM {table} e LEFT JOIN chain_links c ON c.position = e.{position_column}"
    )
    position_column = f"e.{position_column}"
    if db.postgres:

        def pages() -> Iterator[list[tuple[Any, ...]]]:
            conn = db._connect()
            try:
                with conn.transaction(), conn.cursor(name="prongsai_verify") as cursor:
                    cursor.execute(f"{select} WHERE {position_column} <= %s ORDER BY {position_column}", (upto,))
                    while rows := cursor.fetchmany(page):
                        yield rows
            finally:
                conn.close()

    else:

        def pages() -> Iterator[list[tuple[Any, ...]]]:
            conn = db._connect()
            statement = f"{select} WHERE {position_column} > ? AND {position_column} <= ? ORDER BY {position_column}"
            try:
                position = 0
                while rows := conn.execute(statement + " LIMIT ?", (position, upto, page)).fetchall():
                    yield rows
                    position = rows[-1][0]
            finally:
                conn.close()

    yield from read_ahead(pages)


def read_ahead(pages: Callable[[], Iterator[list[Any]]], depth: int = 2) -> Iterator[Any]:
    """The items of ``pages()``, the next pages read by a thread while the caller works on this one (the
    store sends rows while Python hashes them). Memory: ``depth`` pages. Stopping early stops the reader;
    a reader's error is raised here."""
    queue: Queue[Any] = Queue(maxsize=depth)
    stop, done = threading.Event(), object()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def read() -> None:
        try:
            for page in pages():
                if not put(page):
                    return
            put(done)
        except BaseException as exc:  # handed to the caller, raised there
            put(exc)

    reader = threading.Thread(target=read, name="prongsai-read-ahead", daemon=True)
    reader.start()
    try:
        while (item := queue.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield from item
    finally:
        stop.set()
        reader.join()
