"""Store fixtures: every store-level test runs on SQLite and on PostgreSQL, changing only settings.

PostgreSQL comes from ``PRONGSAI_TEST_POSTGRES_URL`` (``.ci/run`` starts a throwaway cluster). Without
it, where PostgreSQL's server binaries are installed, the run starts its own throwaway cluster
(``tests/pg_cluster.py``); ``PRONGSAI_TEST_POSTGRES=off`` opts out. With no server at all the PostgreSQL
half skips locally with the reason shown, and fails in CI.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from domain.clock import BANGKOK
from domain.people import Role, User
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.clock import ManualClock
from infrastructure.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_84f9b3d3dee21d4b.txt"
OCDS = SHARED / "data" / "ocds-1.1.5"
POSTGRES_URL = os.environ.get("PRONGSAI_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/prongsai_test")
_CLUSTER = None
ORG = "5490101"
OTHER_ORG = "6540102"
TODAY = date(2019, 6, 30)  # inside FY 2562, the seed plan's first year
# The one clock every store test runs on: 09:00 Bangkok time on TODAY; tests move it with advance().
START = datetime(2019, 6, 30, 9, 0, tzinfo=BANGKOK)


settings.register_profile("prongsai", derandomize=True, database=None, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "prongsai"))


def pytest_configure(config: pytest.Config) -> None:
    """Start a throwaway PostgreSQL for this run when none was given and the binaries are here."""
    global POSTGRES_URL, _CLUSTER
    if "PRONGSAI_TEST_POSTGRES_URL" in os.environ or os.environ.get("PRONGSAI_TEST_POSTGRES") == "off":
        return
    from tests.pg_cluster import ThrowawayCluster, server_binaries

    binaries = server_binaries()
    if binaries is None:
        return
    cluster = ThrowawayCluster(binaries)
    try:
        POSTGRES_URL = cluster.start()
    except Exception as exc:  # noqa: BLE001 — report and fall back to the skip/fail rule below
        cluster.stop()
        print(f"could not start a throwaway PostgreSQL from {binaries}: {exc}")
        return
    _CLUSTER = cluster
    os.environ["PRONGSAI_TEST_POSTGRES_URL"] = POSTGRES_URL  # subprocesses (CLI tests) see it too


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CLUSTER is not None:
        _CLUSTER.stop()
        os.environ.pop("PRONGSAI_TEST_POSTGRES_URL", None)


def pytest_report_header(config: pytest.Config) -> str:
    where = "a throwaway cluster started for this run" if _CLUSTER else "PRONGSAI_TEST_POSTGRES_URL or the default"
    return f"PostgreSQL: {POSTGRES_URL} ({where})"


def postgres_unavailable() -> str | None:
    import psycopg

    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}".splitlines()[0]
    return None


@pytest.fixture(scope="session")
def postgres_ready() -> None:
    reason = postgres_unavailable()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI needs PostgreSQL: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store: a new SQLite file, or a new PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/events.sqlite3"
        return
    request.getfixturevalue("postgres_ready")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{POSTGRES_URL}?schema={schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_settings(store_url: str, tmp_path: Path, **overrides: object) -> Settings:
    """Settings for one test: its store, keys in its temp dir, the shared OCDS schema as if set up."""
    values: dict[str, object] = {
        "database_url": store_url,
        "postgres_pool_size": 4,
        "signing_key_path": tmp_path / "signing-key.pem",
        "master_key_path": tmp_path / "master.key",
        "ocds_schema": OCDS / "release-schema.json",
        "session_secret_path": tmp_path / "session-secret",
    }
    return Settings(**{**values, **overrides})


test_settings.__test__ = False  # a helper, not a test


@pytest.fixture
def services(store_url: str, tmp_path: Path) -> Iterator[Services]:
    svc = bootstrap(test_settings(store_url, tmp_path), clock=ManualClock(START))
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def seeded(services: Services, seed_text: str) -> Services:
    from infrastructure.plan_parser import parse_plan

    services.plans.import_plan(parse_plan(seed_text), ORG)
    return services


class People:
    """One user per role in the seed organisation, plus an outsider and an auditor."""

    def __init__(self, svc: Services) -> None:
        svc.organisations.register(OTHER_ORG, "เทศบาลตำบลตัวอย่าง")
        self.tokens: dict[str, str] = {}
        self.users: dict[str, User] = {}
        for name, role, orgs in [
            ("mayor", Role.EXECUTIVE, [ORG]),
            ("deputy", Role.DEPUTY, [ORG]),
            ("clerk", Role.CLERK, [ORG]),
            ("head", Role.DIVISION_HEAD, [ORG]),
            ("staff", Role.STAFF, [ORG]),
            ("auditor", Role.AUDITOR, [ORG, OTHER_ORG]),
            ("outsider", Role.EXECUTIVE, [OTHER_ORG]),
        ]:
            user, token = svc.users.add(name, f"คุณ{name}", role, orgs)
            self.users[name] = user
            self.tokens[name] = token

    def caller(self, client: Any) -> Callable[..., Any]:
        """``call(method, path, who=None, **kw)``: an API request as one of these people (or anonymous)."""

        def call(method: str, path: str, who: str | None = None, **kw: Any) -> Any:
            headers = kw.pop("headers", {})
            if who:
                headers["Authorization"] = f"Bearer {self.tokens[who]}"
            return client.request(method, path, headers=headers, **kw)

        return call

    def __getattr__(self, name: str) -> User:
        try:
            return self.users[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def people(seeded: Services) -> People:
    return People(seeded)


from tests.world import busy_year, town  # noqa: E402, F401 — the browsable town and a generated year (tests/world.py)
