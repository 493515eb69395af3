"""What the web keeps beside the log — sessions and the members read model — on every store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.people import Role
from tests.conftest import ORG, START

pytestmark = pytest.mark.store


def test_sessions_live_on_the_server_expire_and_end(services):
    store = services.sessions
    store.put("sid-1", {"user_id": "u1", "csrf": "x"}, START + timedelta(hours=8))
    assert store.get("sid-1", START) == {"user_id": "u1", "csrf": "x"}
    assert store.get("sid-1", START + timedelta(hours=9)) is None  # expired
    assert store.get("someone-else", START) is None
    store.put("sid-1", {"user_id": "u1"}, START + timedelta(hours=8))  # saved again: overwritten
    assert store.get("sid-1", START) == {"user_id": "u1"}
    raw = services.read_models.query("SELECT id_hash FROM web_sessions")
    assert raw and all(row[0] != "sid-1" for row in raw)  # only a hash of the id is kept
    store.delete("sid-1")
    assert store.get("sid-1", START) is None
    store.put("sid-2", {"a": 1}, START + timedelta(minutes=1))
    assert store.purge(START + timedelta(minutes=2)) == 1


def test_members_of_an_organisation_come_from_the_log(seeded):
    svc = seeded
    svc.users.add("somsri", "นางสมศรี ใจดี", Role.STAFF, [ORG], position="นักวิเคราะห์นโยบายและแผน")
    svc.users.add("mana", "นายมานะ ขยัน", Role.CLERK, [ORG])
    members = {m["username"]: m for m in svc.projections.members(ORG)}
    assert members["somsri"]["position"] == "นักวิเคราะห์นโยบายและแผน" and members["mana"]["role"] == "clerk"
    svc.users.deactivate("somsri", "ย้ายสังกัด")
    assert "somsri" not in {m["username"] for m in svc.projections.members(ORG)}
    svc.projections.rebuild("members")
    assert {m["username"] for m in svc.projections.members(ORG)} == {"mana"}
