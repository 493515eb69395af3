"""Secrets never enter the log: token and password hashes live in the credential store (issue #10)."""

from __future__ import annotations

import base64
import json
import re

import pytest

from application.history import event_changes
from application.oversight import verify_export
from domain.errors import NotAuthenticated
from domain.people import Role, User, hash_secret
from infrastructure.signing import load_public_key, signature_valid
from tests.conftest import ORG

pytestmark = pytest.mark.store

# What hash material looks like: argon2 strings, and any non-empty field named like a secret hash.
HASH_MATERIAL = re.compile(r'\$argon2|"(token|password)_hash":\s*"[^"]')


def stored_hashes(svc) -> set[str]:
    """Every hash the credential store holds: none may appear in an export."""
    return {row[0] for row in svc.read_models.query("SELECT secret_hash FROM credentials")}


def texts_of_export(lines: list[str]) -> list[str]:
    """Every line, and every event state in it decoded, so nothing hides behind base64."""
    found = []
    for line in lines:
        item = json.loads(line)
        if item["kind"] == "event":
            found.append(base64.b64decode(item["state"]).decode())
        elif item["kind"] == "header":
            found.append(json.dumps(item["checkpoint"].get("signature", "")))
    return found


def export_and_check(svc, auditor) -> tuple[list[str], dict]:
    checkpoint = svc.oversight.issue_checkpoint()
    public = load_public_key(svc.oversight.signer.public_pem)
    lines = list(svc.oversight.export(auditor, checkpoint))
    result = verify_export(lines, lambda message, signature: signature_valid(public, message, signature))
    return lines, result


def test_exports_and_the_log_hold_no_hash_material(people, seeded):
    svc = seeded
    svc.users.set_password("clerk", "รหัสผ่านยาวพอสมควร")
    token = svc.users.issue_token("staff")
    assert svc.users.authenticate(token).username == "staff"
    assert svc.users.sign_in("clerk", "รหัสผ่านยาวพอสมควร").username == "clerk"
    secrets_ = {hash_secret(token.rsplit("_", 1)[1]), *people.tokens.values()}
    lines, result = export_and_check(svc, svc.users.get("auditor"))
    assert result["ok"]
    events = [e for e in texts_of_export(lines) if '"username"' in e]
    assert events, "the export must contain the users' events to be searched"
    hashes = stored_hashes(svc)
    assert len(hashes) >= 8
    for text in texts_of_export(lines):
        assert not HASH_MATERIAL.search(text), text
        assert not any(s in text for s in secrets_ | hashes)
    # and the immutable store itself: no user event carries a hash
    for n in svc.app.recorder.select_notifications(start=1, limit=100_000):
        if n.topic.startswith("domain.people:User"):
            assert not HASH_MATERIAL.search(bytes(n.state).decode()), n.topic
    kinds = [type(e).__qualname__ for e in svc.app.stored_events(svc.users.get("clerk").id)]
    assert kinds == ["User.Registered", "User.PasswordChanged"]  # that it happened, by whom, when


def test_a_store_written_before_the_credential_store_keeps_its_users(people, seeded):
    """Hashes recorded in events by earlier versions move to the credential store on first use;
    the export then carries only the digests of those events, and still verifies."""
    svc = seeded
    legacy_secret = "legacy-secret-of-256-bits-xxxxxxxxxxxxxxxxxxx"
    user = User(
        username="old",
        display_name="ผู้ใช้เดิม",
        role=Role.STAFF.value,
        position="เจ้าหน้าที่",
        org_codes=[ORG],
        token_hash=hash_secret(legacy_secret),
        actor=people.clerk.as_actor(),
    )
    user._legacy_password_set(password_hash=svc.users.hasher.hash("รหัสผ่านเดิมของระบบ"), actor=user.as_actor())
    svc.app.commit(user)
    token = f"prg_{user.id.hex}_{legacy_secret}"
    assert svc.users.authenticate(token).username == "old"
    assert svc.users.sign_in("old", "รหัสผ่านเดิมของระบบ").username == "old"
    assert svc.users.credentials.get(user.id, "token") == hash_secret(legacy_secret)
    lines, result = export_and_check(svc, svc.users.get("auditor"))
    assert result["ok"]
    hashes = stored_hashes(svc)
    for text in texts_of_export(lines):
        assert not HASH_MATERIAL.search(text), text
        assert not any(h in text for h in hashes)
    shown = [event_changes(e) for e in svc.app.stored_events(user.id)]  # what history pages show
    assert shown[0]["token_hash"] == "[redacted]" and shown[1]["password_hash"] == "[redacted]"
    # a new token voids the one whose hash once stood in the log
    fresh = svc.users.issue_token("old")
    svc.users._verified.clear()
    with pytest.raises(NotAuthenticated):
        svc.users.authenticate(token)
    assert svc.users.authenticate(fresh).username == "old"
