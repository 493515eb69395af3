"""Sign-in failures: nobody can lock someone else out from their own desk, password spraying from one
address stops, and the count survives a restart and is shared by every process — on both stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.errors import NotAuthenticated
from infrastructure.bootstrap import bootstrap
from infrastructure.clock import ManualClock
from tests.conftest import START, test_settings

pytestmark = pytest.mark.store
GOOD = "รหัสผ่านยาวพอสมควร-2562"


def locked(svc, username: str, password: str, address: str) -> bool:
    try:
        svc.users.sign_in(username, password, address)
    except NotAuthenticated as exc:
        return bool(exc.details.get("locked"))
    return False


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(people, seeded):
    svc = seeded
    svc.users.set_password("head", GOOD)
    for _ in range(5):
        assert not locked(svc, "head", "wrong-password-123", "203.0.113.9")  # someone guessing
    assert locked(svc, "head", GOOD, "203.0.113.9")  # that address waits, even with the right password
    assert svc.users.sign_in("head", GOOD, "10.0.0.21").username == "head"  # the owner, at their desk


def test_spraying_many_accounts_from_one_address_is_stopped(people, seeded):
    svc = seeded
    for i in range(20):
        locked(svc, f"guess{i}", "password-123", "198.51.100.7")
    svc.users.set_password("staff", GOOD)
    assert locked(svc, "staff", GOOD, "198.51.100.7")
    assert svc.users.sign_in("staff", GOOD, "10.0.0.22").username == "staff"


def test_the_count_survives_a_restart(people, seeded, store_url, tmp_path: Path):
    svc = seeded
    svc.users.set_password("clerk", GOOD)
    for _ in range(5):
        locked(svc, "clerk", "wrong-password-123", "192.0.2.1")
    again = bootstrap(test_settings(store_url, tmp_path), clock=ManualClock(START))  # another process
    try:
        assert locked(again, "clerk", GOOD, "192.0.2.1")
    finally:
        again.close()
