"""Proofs anyone can check offline: that an event (and so a published document's recorded hash) is
in the log a signed checkpoint covers, and that a later checkpoint's log only added to an earlier one.

A checkpoint is a signed tree head (RFC 9162): ``tree_size`` leaves, Merkle ``root``, signed with the
deployment's Ed25519 key. An inclusion proof carries the stored event itself (so its digest, the
tree's leaf, is recomputed, never taken on trust), its leaf number and the audit path. Checking needs
the public key for the signature and SHA-256 for everything else (:func:`verify_proof`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from uuid import UUID

from application.ports import ReadModels, SignatureCheck
from application.store import Prongsai
from domain import merkle
from domain.chain import event_digest
from domain.checkpoint import signed_bytes
from domain.errors import InvalidInput, NotFound
from domain.reporting import ReportRecord

FORMAT = "prongsai-proof/1"
# Records whose events may be public in full (published reports, the organisation and its plan, the
# complaint guideline, the ITA pack): their inclusion proofs are served to anyone — unless the event
# names a staff account (a report published by hand carries the clerk's user id and username: an
# account name is not for the public). Any other event's proof is the auditors'.
PUBLIC_RECORDS = ("domain.reporting:", "domain.plan:", "domain.guideline:", "domain.ita:")


def names_staff(state: bytes) -> bool:
    """Whether a stored event names a user account (an actor with a user id), or cannot be read to tell."""
    try:
        values = json.loads(bytes(state))
    except ValueError:
        return True

    def walk(value: Any) -> bool:
        if isinstance(value, dict):
            return value.get("user_id") is not None or any(walk(v) for v in value.values())
        if isinstance(value, list):
            return any(walk(v) for v in value)
        return False

    return walk(values)


def aggregate_type_of(topic: str) -> str:
    return topic.split(":", 1)[-1].split(".")[0]


class Proofs:
    def __init__(self, app: Prongsai, projections: ReadModels, oversight: Any) -> None:
        self.app = app
        self.projections = projections
        self.oversight = oversight

    def checkpoint(self, number: int | None) -> dict[str, Any]:
        """The checkpoint ``number`` (1, 2, … in the order signed), or the latest one."""
        found = self.oversight.checkpoints()
        if not found:
            raise NotFound("ยังไม่มีจุดรับรอง", "no checkpoint has been issued yet")
        if number is None:
            chosen = found[-1]
        elif 1 <= number <= len(found):
            chosen = found[number - 1]
        else:
            raise NotFound(f"ไม่มีจุดรับรองลำดับที่ {number}", f"there is no checkpoint {number}")
        if chosen.get("tree_size") is None:
            raise NotFound(
                "จุดรับรองนี้ลงนามก่อนมีต้นไม้เมอร์เคิล ใช้จุดรับรองที่ใหม่กว่า",
                "this checkpoint was signed before the log had a Merkle tree; use a later one",
            )
        return chosen

    def _notification(self, position: int) -> Any:
        page = self.app.recorder.select_notifications(start=position, limit=1)
        if not page or page[0].id != position:
            raise NotFound(f"ไม่มีเหตุการณ์ลำดับที่ {position}", f"there is no event at position {position}")
        return page[0]

    def position_of(self, aggregate_id: UUID, version: int) -> int:
        self.projections.catch_up("event_index")
        position = self.projections.position_of(str(aggregate_id), version)
        if position is None:
            raise NotFound("ไม่พบเหตุการณ์นี้ในบันทึก", f"no event {aggregate_id} v{version} in the log")
        return position

    def inclusion(self, position: int, checkpoint: int | None = None, public: bool = False) -> dict[str, Any]:
        """The event at ``position``, and the audit path from it to the root of a signed tree head."""
        if not 0 < position < 2**63:
            raise InvalidInput("ลำดับเหตุการณ์ไม่ถูกต้อง", "position must be a positive log position")
        head = self.checkpoint(checkpoint)
        n = self._notification(position)
        if public and (not n.topic.startswith(PUBLIC_RECORDS) or names_staff(n.state)):
            raise NotFound(
                "เหตุการณ์นี้ไม่ใช่ข้อมูลสาธารณะ (ผู้ตรวจสอบขอหลักฐานได้ทางระบบตรวจสอบ)",
                "this event is not a public record (auditors ask for its proof through the audit API)",
            )
        if position > head["position"]:
            raise NotFound(
                f"จุดรับรองลำดับที่ {checkpoint or 'ล่าสุด'} ยังไม่ครอบคลุมเหตุการณ์นี้ รอจุดรับรองถัดไป",
                f"the checkpoint does not cover position {position} yet; wait for the next one",
            )
        self.projections.catch_up("merkle")
        leaf = self.projections.merkle_leaf(position)
        if leaf is None:
            raise NotFound("ยังไม่ได้บรรจุเหตุการณ์นี้ในต้นไม้", f"position {position} is not in the tree yet")
        path = merkle.path_in(leaf, head["tree_size"], self.projections.merkle_subtree)
        return {
            "format": FORMAT,
            "kind": "inclusion",
            "checkpoint": head,
            "event": {
                "position": n.id,
                "originator_id": str(n.originator_id),
                "originator_version": n.originator_version,
                "topic": n.topic,
                "state": base64.b64encode(bytes(n.state)).decode(),
            },
            "leaf_index": leaf,
            "path": [p.hex() for p in path],
        }

    def document(self, org_code: str, kind: str, period: str, version: int, fmt: str) -> dict[str, Any]:
        """A published report's proof: the event that recorded its hashes at publication, included
        under the latest checkpoint, and which of the hashes is this format's."""
        if not 0 < version < 2**31:
            raise NotFound(f"ไม่พบการเผยแพร่ครั้งที่ {version}", f"no publication version {version}")
        record_id = ReportRecord.create_id(org_code, kind, period)
        if not self.app.exists(record_id):
            raise NotFound("ยังไม่มีการเผยแพร่รายงานนี้", f"no published {kind} report for {period}")
        proof = self.inclusion(self.position_of(record_id, version), public=True)
        recorded = json.loads(base64.b64decode(proof["event"]["state"]))
        sha = (recorded.get("format_hashes") or {}).get(fmt)
        if sha is None:
            raise NotFound(f"ไม่มีไฟล์รูปแบบ {fmt}", f"version {version} has no {fmt} file")
        return proof | {
            "document": {
                "org_code": org_code,
                "kind": kind,
                "period": period,
                "version": version,
                "format": fmt,
                "sha256": sha,
            }  # fmt: skip
        }

    def consistency(self, old: int, new: int | None = None) -> dict[str, Any]:
        """Proof that checkpoint ``new`` (default the latest) only added events to checkpoint ``old``."""
        first, second = self.checkpoint(old), self.checkpoint(new)
        if first["tree_size"] > second["tree_size"]:
            raise InvalidInput("จุดรับรองแรกต้องไม่ใหม่กว่าจุดที่สอง", "the first checkpoint must be the older one")
        proof = merkle.proof_in(first["tree_size"], second["tree_size"], self.projections.merkle_subtree)
        return {
            "format": FORMAT,
            "kind": "consistency",
            "old": first,
            "new": second,
            "path": [p.hex() for p in proof],
        }


def _hex(value: Any, what: str) -> bytes:
    if not isinstance(value, str) or len(value) != 64:
        raise InvalidInput(f"{what} ต้องเป็นค่าแฮช 64 หลัก", f"{what} must be a 64-digit hex hash")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise InvalidInput(f"{what} ต้องเป็นค่าแฮช 64 หลัก", f"{what} must be a 64-digit hex hash") from None


def _signed(head: dict[str, Any], check: SignatureCheck, what: str) -> list[str]:
    try:
        ok = check(signed_bytes(head), head["signature"])
    except (KeyError, TypeError, ValueError):
        ok = False
    return [] if ok else [f"the signature of the {what} does not verify with this public key"]


def verify_proof(bundle: dict[str, Any], check: SignatureCheck, document: bytes | None = None) -> dict[str, Any]:
    """Check a proof file offline: the tree head's signature, then the path (inclusion) or the
    consistency proof, then — for a published document — that the event records the document's hash."""
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise InvalidInput("ไม่ใช่ไฟล์หลักฐานของโปร่งใส", f"not a proof file (format must be {FORMAT})")
    findings: list[str] = []
    try:
        if bundle["kind"] == "consistency":
            old, new = bundle["old"], bundle["new"]
            findings += _signed(old, check, "older checkpoint") + _signed(new, check, "newer checkpoint")
            path = [_hex(p, "path") for p in bundle["path"]]
            if not merkle.verify_consistency(
                int(old["tree_size"]), int(new["tree_size"]), path, _hex(old["root"], "root"), _hex(new["root"], "root")
            ):
                findings.append("the consistency proof does not lead from the older root to the newer one")
            return {"kind": "consistency", "ok": not findings, "findings": findings, "old": old, "new": new}
        if bundle["kind"] != "inclusion":
            raise InvalidInput("ชนิดหลักฐานไม่ถูกต้อง", "kind must be inclusion or consistency")
        head, event = bundle["checkpoint"], bundle["event"]
        findings += _signed(head, check, "checkpoint")
        state = base64.b64decode(event["state"], validate=True)
        digest = event_digest(event["originator_id"], int(event["originator_version"]), event["topic"], state)
        path = [_hex(p, "path") for p in bundle["path"]]
        index, size, root = int(bundle["leaf_index"]), int(head["tree_size"]), _hex(head["root"], "root")
        if not merkle.verify_inclusion(index, size, merkle.leaf_hash(digest), path, root):
            findings.append("the event is not in the tree the checkpoint signed (the path does not lead to its root)")
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput("ไฟล์หลักฐานไม่ครบหรือผิดรูปแบบ", f"the proof file is malformed: {exc}") from None
    result: dict[str, Any] = {
        "kind": "inclusion",
        "checkpoint": head,
        "position": event["position"],
        "event": event["topic"].rsplit(".", 1)[-1],
        "record": aggregate_type_of(event["topic"]),
    }
    if document is not None:
        findings += _document_findings(state, bundle.get("document") or {}, document)
        result["document_sha256"] = hashlib.sha256(document).hexdigest()
    return {**result, "ok": not findings, "findings": findings}


def _document_findings(state: bytes, claimed: dict[str, Any], document: bytes) -> list[str]:
    """A published document is proven through the event that recorded its hash at publication."""
    try:
        recorded = json.loads(state)
    except ValueError:
        return ["the event is not readable JSON, so the document's recorded hash cannot be read"]
    hashes = recorded.get("format_hashes") or {}
    digest = hashlib.sha256(document).hexdigest()
    fmt = claimed.get("format")
    if fmt and hashes.get(fmt) == digest:
        return []
    if digest in hashes.values() or recorded.get("content_hash") == digest:
        return []
    return [f"the document's SHA-256 {digest[:16]}… is not a hash the event recorded"]
