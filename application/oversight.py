"""Tamper evidence: signed checkpoints, verification against the stored log, verifiable exports."""

from __future__ import annotations

import base64
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from eventsourcing.utils import get_topic

from application.ports import ReadModels, SignatureCheck, Signer
from application.store import Index, Prongsai
from domain import merkle
from domain.chain import GENESIS, Finding, event_digest, next_link
from domain.checkpoint import (
    AccessRecorded,
    CheckpointIssued,
    access_log_id,
    checkpoint_message,
    checkpoints_log_id,
    signed_bytes,
)
from domain.clock import Clock
from domain.errors import InvalidInput, NotFound, StaleVersion, Unavailable
from domain.people import LEGACY_SECRET_FIELDS, User
from domain.red_flags import RULE_TITLES


def check_checkpoint_signature(checkpoint: dict[str, Any], check: SignatureCheck) -> Finding | None:
    if not check(signed_bytes(checkpoint), checkpoint["signature"]):
        return Finding(None, "signature", "the checkpoint's signature does not verify with this public key")
    return None


def classify(recomputed: list[tuple[int, bytes]], stored: dict[int, tuple[str, str]], upto: int) -> list[Finding]:
    """Locate how the stored events differ from the chain table: edited, deleted, inserted, reordered."""
    findings: list[Finding] = []
    at_digest = {d: p for p, (d, _) in stored.items()}
    seen = {p for p, _ in recomputed}
    shifted = False
    for i, (position, digest) in enumerate(recomputed):
        expected = stored.get(position)
        if expected is not None and expected[0] == digest.hex():
            shifted = False
            continue
        if expected is None:
            findings.append(Finding(position, "inserted", f"event at position {position} was never chained"))
            continue
        source = at_digest.get(digest.hex())
        following = recomputed[i + 1][1].hex() if i + 1 < len(recomputed) else None
        previous = recomputed[i - 1][1].hex() if i > 0 else None
        swapped = (source == position + 1 and following == expected[0]) or (
            source == position - 1 and previous == expected[0]
        )
        if swapped:
            findings.append(
                Finding(position, "reordered", f"position {position} holds the event chained at position {source}")
            )
        elif source == position - 1 or (source is None and following == expected[0]):
            if not shifted:
                findings.append(
                    Finding(
                        position,
                        "inserted",
                        f"an event was inserted at position {position}; later ones moved",
                    )
                )
            shifted = True
        elif source == position + 1:
            if not shifted:
                findings.append(
                    Finding(position, "deleted", f"the event at position {position} was removed; later ones moved")
                )
            shifted = True
        elif source is not None:
            findings.append(
                Finding(position, "reordered", f"position {position} holds the event chained at position {source}")
            )
        else:
            findings.append(Finding(position, "edited", f"the event at position {position} was changed"))
    for position in sorted(p for p in stored if p <= upto and p not in seen):
        if not any(f.kind in ("inserted", "deleted") and f.position and f.position < position for f in findings):
            findings.append(Finding(position, "deleted", f"the event at position {position} is missing"))
    return sorted(findings, key=lambda f: f.position or 0)


def check_search_bounds(since: datetime | None, until: datetime | None, after: int) -> None:
    """A search's times lie in the years a log can hold (1900–2200), its cursor in the store's range."""
    for name, moment in (("since", since), ("until", until)):
        if moment is not None and (moment.tzinfo is None or not 1900 <= moment.year <= 2200):
            raise InvalidInput(
                f"เวลา '{name}' ต้องระบุเขตเวลาและอยู่ระหว่างปี ค.ศ. 1900–2200",
                f"'{name}' must carry a timezone and lie between the years 1900 and 2200",
            )
    if not 0 <= after < 2**63:
        raise InvalidInput("ตำแหน่ง 'after' อยู่นอกช่วง", "'after' is out of range")


def agrees(
    entries: Iterable[tuple[int, bytes]], chain: Iterable[tuple[int, str, str]], checkpoint: dict[str, Any]
) -> int | None:
    """The common case, streamed: every stored event matches its chain row in order and the recomputed
    link is the signed one — the number of events checked; None at the first difference (then the full
    comparison runs to say where and how). Memory does not grow with the log."""
    link, count, rows = GENESIS, 0, iter(chain)
    for position, digest in entries:
        row = next(rows, None)
        if row is None or int(row[0]) != position or row[1] != digest.hex():
            return None
        link = next_link(link, position, digest)
        count += 1
    if next(rows, None) is not None or link.hex() != checkpoint["link"]:
        return None
    return count


def agrees_beside(
    rows: Iterable[tuple[int, Any, int, str, bytes, str | None]], chained: int, checkpoint: dict[str, Any]
) -> int | None:
    """:func:`agrees` over rows that carry their chain digest (a join of the log and the chain): every
    stored event's digest is the chain's for its position, the chain has no row the log lacks
    (``chained``: its rows up to the checkpoint), and the recomputed link is the signed one."""
    link, count = GENESIS, 0
    for position, originator_id, version, topic, state, chain_digest in rows:
        digest = event_digest(originator_id, version, topic, state)
        if chain_digest != digest.hex():
            return None
        link = next_link(link, position, digest)
        count += 1
    if count != chained or link.hex() != checkpoint["link"]:
        return None
    return count


def verify_links(
    entries: Iterable[tuple[int, bytes]],
    checkpoint: dict[str, Any],
    stored: dict[int, tuple[str, str]] | None = None,
    expected_links: dict[int, str] | None = None,
) -> tuple[int, list[Finding]]:
    """Recompute the chain over ``(position, digest)`` in order and compare.

    ``stored`` (the chain table, position → (digest, link)) locates a difference; ``expected_links``
    (from an export) locates the first divergence offline; the checkpoint's signed link proves the
    whole prefix even when the chain table was rewritten as well.
    """
    findings: list[Finding] = []
    link = GENESIS
    recomputed: list[tuple[int, bytes]] = []
    diverged = False
    last = 0
    for position, digest in entries:
        if position > checkpoint["position"]:
            break
        if position <= last:
            findings.append(Finding(position, "reordered", f"position {position} appears out of order"))
        last = position
        recomputed.append((position, digest))
        link = next_link(link, position, digest)
        expected = (expected_links or {}).get(position)
        if expected is not None and expected != link.hex() and not diverged:
            diverged = True
            findings.append(
                Finding(position, "edited", f"the log diverges from its recorded chain at position {position}")
            )
    if stored is not None:
        findings += classify(recomputed, stored, checkpoint["position"])
    if link.hex() != checkpoint["link"]:
        where = f" (first difference at position {findings[0].position})" if findings else ""
        findings.append(
            Finding(
                None,
                "checkpoint-mismatch",
                f"the log up to position {checkpoint['position']} does not match the signed checkpoint{where}",
            )
        )
    return len(recomputed), findings


# A search indexes this many new events itself before answering (the auditor sees their own latest
# acts); further behind, the worker is catching up and the answer says how far the index has come.
INLINE_INDEXING = 5_000


class Oversight:
    def __init__(
        self,
        app: Prongsai,
        projections: ReadModels,
        signer: Signer | None,
        signature_check: SignatureCheck | None,
        clock: Clock,
        rows: Callable[[int], Iterable[tuple[int, Any, int, str, bytes, str | None]]] | None = None,
    ) -> None:
        self.app = app
        self.projections = projections
        self.signer = signer
        self.signature_check = signature_check
        self.clock = clock
        self.rows = rows

    @property
    def log(self) -> Index[CheckpointIssued]:
        return Index(self.app.events, checkpoints_log_id(), CheckpointIssued)

    def issue_checkpoint(self) -> dict[str, Any]:
        if self.signer is None:
            raise InvalidInput("ยังไม่ได้ตั้งค่ากุญแจลงนาม", "no signing key is configured")
        self.projections.catch_up("chain")
        head = self.projections.chain_head()
        if head is None:
            raise InvalidInput("ยังไม่มีเหตุการณ์ให้รับรอง", "there are no events to checkpoint yet")
        position, link = head
        self.projections.catch_up("merkle")
        size = self.projections.merkle_size(position)
        root = merkle.root_in(size, self.projections.merkle_subtree).hex()
        signed_at = self.clock.now().isoformat()
        key = self.signer.key_id
        signature = self.signer.sign(checkpoint_message(position, link, signed_at, key, size, root))
        issued = self.log.trigger_event(
            position=position,
            link=link,
            signed_at=signed_at,
            key_id=key,
            signature=signature,
            tree_size=size,
            root=root,
        )
        self.app.commit(issued)
        return issued.as_dict()

    def checkpoints(self) -> list[dict[str, Any]]:
        return [c.as_dict() for c in self.log.get()]

    def latest_checkpoint(self) -> dict[str, Any]:
        last = self.log.get_last()
        if last is None:
            raise NotFound("ยังไม่มีจุดรับรอง", "no checkpoint has been issued yet")
        return last.as_dict()

    def record_access(self, user: User, org_code: str, what: str, reason: str) -> None:
        """Auditors' reads of personal data are themselves part of the log.

        Two readers at the same moment race for the log's next position; an entry needs nothing of the
        ones before it, so the one who lost takes the position after (a read is never refused for it).
        """
        log = Index(self.app.events, access_log_id(org_code), AccessRecorded)
        for attempt in range(50):
            entry = log.trigger_event(
                user_id=str(user.id), username=user.username, role=user.role.value, what=what, reason=reason
            )
            try:
                self.app.commit(entry)
                return
            except StaleVersion:
                time.sleep(random.uniform(0.001, 0.01) * (attempt + 1))  # noqa: S311 - jitter, not secrecy
        raise Unavailable("บันทึกการเข้าถึงไม่สำเร็จ กรุณาลองใหม่", "the access log is busy; retry")

    def accesses(self, org_code: str) -> list[dict[str, Any]]:
        log = Index(self.app.events, access_log_id(org_code), AccessRecorded)
        return [
            {"at": e.timestamp, "username": e.username, "role": e.role, "what": e.what, "reason": e.reason}
            for e in log.get()
        ]

    def search(
        self,
        org_code: str | Sequence[str],
        aggregate_type: str | None = None,
        aggregate_id: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: int = 0,
        limit: int = 200,
        *,
        before: int | None = None,
        newest_first: bool = False,
    ) -> list[dict[str, Any]]:
        """The event index: by organisation (one code, or the codes an auditor covers), aggregate type,
        aggregate, actor and time range."""
        check_search_bounds(since, until, after)
        self._catch_up_if_close("event_index")
        return self.projections.search_events(org_code, aggregate_type, aggregate_id, actor, since, until, after, limit,
                                              before=before, newest_first=newest_first)  # fmt: skip

    def red_flags(self, org_codes: Sequence[str], rule: str | None = None, unit: str | None = None,
                  fiscal_year: int | None = None, limit: int = 500) -> list[dict[str, Any]]:  # fmt: skip
        """The red-flag register: each flag with its rule in words and the evidence it links to (the
        procurement, the notice's OCDS release)."""
        self._catch_up_if_close("red_flags")
        self._catch_up_if_close("red_flag_patterns")
        found = self.projections.red_flags(org_codes, rule, unit, fiscal_year, limit)
        for flag in found:
            th, en = RULE_TITLES.get(flag["rule"], (flag["rule"], flag["rule"]))
            pid = flag["procurement_id"]
            flag |= {"rule_th": th, "rule_en": en, "evidence": {
                "procurement": f"/api/v1/procurements/{pid}",
                "ocds_releases": f"/api/v1/procurements/{pid}/ocds/releases",
                "ocds_release_id": f"{flag['project_no']}-{flag['notice']:02d}",
            }}  # fmt: skip
        return found

    def index_behind(self, name: str = "event_index") -> int:
        """Events a projection has not reached yet (the worker is catching up when this is large)."""
        return max(0, self.projections.head() - self.projections.position(name))

    def _catch_up_if_close(self, name: str) -> None:
        """A reader sees their own latest acts; a backlog is the worker's to work through, not the request's."""
        if self.index_behind(name) <= INLINE_INDEXING:
            self.projections.catch_up(name)

    def verify_and_keep(self, checkpoint: dict[str, Any] | None = None) -> dict[str, Any]:
        """Verify and keep the outcome for the auditor's page (the worker does this after each checkpoint,
        so a page never recomputes a national log while someone waits)."""
        result = self.verify(checkpoint)
        at = self.clock.now().isoformat()
        self.projections.record_verification(result, at)
        return {**result, "verified_at": at}

    def latest_verification(self) -> dict[str, Any] | None:
        return self.projections.latest_verification()

    def count(
        self,
        org_code: str | Sequence[str],
        aggregate_type: str | None = None,
        aggregate_id: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> int:
        """How many events the same search finds (the index is caught up by ``search``)."""
        return self.projections.count_events(org_code, aggregate_type, aggregate_id, actor, since, until)

    def checkpoint_for_export(self) -> dict[str, Any]:
        """The latest checkpoint if it covers every event; otherwise one sealed now, so an export can be
        taken at any moment and still verify offline."""
        self.projections.catch_up("chain")
        head = self.projections.chain_head()
        last = self.log.get_last()
        if last is not None and (head is None or last.as_dict()["position"] >= head[0]):
            return last.as_dict()
        return self.issue_checkpoint()

    def stored_digests(self, upto: int) -> Iterator[tuple[int, bytes]]:
        if self.rows is not None:
            for position, originator_id, version, topic, state, _ in self.rows(upto):
                yield position, event_digest(originator_id, version, topic, state)
            return
        position = 0
        while True:
            page = self.app.recorder.select_notifications(
                start=position, limit=2000, stop=upto, inclusive_of_start=False
            )
            if not page:
                return
            for n in page:
                yield n.id, event_digest(n.originator_id, n.originator_version, n.topic, n.state)
            position = page[-1].id

    def verify(self, checkpoint: dict[str, Any] | None = None, check: SignatureCheck | None = None) -> dict[str, Any]:
        """Recompute the chain from the stored events and check it against a checkpoint."""
        checkpoint = checkpoint or self.latest_checkpoint()
        check = check or self.signature_check
        findings: list[Finding] = []
        if check is not None:
            bad = check_checkpoint_signature(checkpoint, check)
            if bad:
                findings.append(bad)
        upto = checkpoint["position"]
        if self.rows is not None:  # the stored rows with their chain digests beside them: one stream
            count = agrees_beside(self.rows(upto), self.projections.chain_count(upto), checkpoint)
        else:
            count = agrees(self.stored_digests(upto), self.projections.iter_chain(upto), checkpoint)
        if count is None:  # something differs: the full comparison locates it
            stored = {int(p): (d, l) for p, d, l in self.projections.iter_chain(upto=checkpoint["position"])}
            count, more = verify_links(self.stored_digests(checkpoint["position"]), checkpoint, stored)
            findings += more
        return {
            "checkpoint": checkpoint,
            "events_checked": count,
            "ok": not findings,
            "findings": [asdict(f) for f in findings],
        }

    def export(self, user: User, checkpoint: dict[str, Any] | None = None) -> Iterator[str]:
        """JSON Lines up to a checkpoint: full events of the user's organisations, digests of others.

        With the checkpoint and the deployment's public key the file verifies offline.
        """
        checkpoint = checkpoint or self.latest_checkpoint()
        self.projections.catch_up("event_index")
        self.projections.catch_up("chain")
        orgs = self.projections.event_orgs(checkpoint["position"])
        links = {int(p): l for p, _, l in self.projections.iter_chain(upto=checkpoint["position"])}
        yield json.dumps({"kind": "header", "format": "prongsai-log/1", "checkpoint": checkpoint})
        position = 0
        while True:
            page = self.app.recorder.select_notifications(
                start=position, limit=2000, stop=checkpoint["position"], inclusive_of_start=False
            )
            if not page:
                break
            for n in page:
                if user.may_see(orgs.get(n.id) or "") and not carries_secret(n.topic, n.state):
                    yield json.dumps(
                        {
                            "kind": "event",
                            "position": n.id,
                            "originator_id": str(n.originator_id),
                            "originator_version": n.originator_version,
                            "topic": n.topic,
                            "state": base64.b64encode(bytes(n.state)).decode(),
                            "link": links.get(n.id),
                        },
                        ensure_ascii=False,
                    )
                else:
                    digest = event_digest(n.originator_id, n.originator_version, n.topic, n.state)
                    yield json.dumps(
                        {"kind": "digest", "position": n.id, "digest": digest.hex(), "link": links.get(n.id)}
                    )
            position = page[-1].id


# The events that carried a hash before the credential store existed (see domain.people.User).
SECRET_TOPICS = tuple(get_topic(cls) for cls in (User.Registered, User.TokenIssued, User.PasswordSet))


def carries_secret(topic: str, state: bytes) -> bool:
    """Events written before the credential store held a token or password hash: export only their digest."""
    if not topic.startswith(SECRET_TOPICS):
        return False
    try:
        values = json.loads(bytes(state))
    except ValueError:
        return True  # not plain JSON (e.g. compressed): never risk exporting it
    return any(values.get(name) for name in LEGACY_SECRET_FIELDS)


def verify_export(lines: Iterable[str], check: SignatureCheck) -> dict[str, Any]:
    """Verify an exported log offline: needs only the file and the deployment's public key."""
    header: dict[str, Any] | None = None
    entries: list[tuple[int, bytes]] = []
    links: dict[int, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if item["kind"] == "header":
                header = item
            elif item["kind"] == "event":
                state = base64.b64decode(item["state"])
                digest = event_digest(item["originator_id"], item["originator_version"], item["topic"], state)
                entries.append((int(item["position"]), digest))
            elif item["kind"] == "digest":
                entries.append((int(item["position"]), bytes.fromhex(item["digest"])))
            if item["kind"] in ("event", "digest") and item.get("link"):
                links[int(item["position"])] = item["link"]
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidInput(f"บรรทัด {number} ไม่ถูกต้อง", f"line {number} is malformed: {exc}") from None
    if header is None:
        raise InvalidInput("ไม่พบส่วนหัวของไฟล์", "the export has no header line")
    checkpoint = header["checkpoint"]
    findings = []
    bad = check_checkpoint_signature(checkpoint, check)
    if bad:
        findings.append(bad)
    count, more = verify_links(entries, checkpoint, expected_links=links)
    findings += more
    return {
        "checkpoint": checkpoint,
        "events_checked": count,
        "ok": not findings,
        "findings": [asdict(f) for f in findings],
    }
