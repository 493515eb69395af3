"""The verifier's streamed fast path: the log's rows with the chain's digest beside each.

It must say "agrees" only when every stored event's digest is the chain's, the chain holds no row the
log lacks, and the recomputed link is the signed one; anything else sends verification to the full
comparison that says where and how.
"""

from __future__ import annotations

from uuid import uuid4

from application.oversight import agrees_beside
from domain.chain import GENESIS, event_digest, next_link


def log(n: int) -> tuple[list[tuple], dict]:
    rows, link = [], GENESIS
    for position in range(1, n + 1):
        oid, state = uuid4(), f'{{"n": {position}}}'.encode()
        digest = event_digest(oid, 1, "domain.x:X.Created", state)
        link = next_link(link, position, digest)
        rows.append((position, oid, 1, "domain.x:X.Created", state, digest.hex()))
    return rows, {"position": n, "link": link.hex()}


def test_an_intact_log_agrees_and_counts_every_event():
    rows, checkpoint = log(50)
    assert agrees_beside(iter(rows), 50, checkpoint) == 50


def test_any_difference_sends_verification_to_the_full_comparison():
    rows, checkpoint = log(50)
    edited = [*rows[:10], (*rows[10][:4], b'{"n": 999}', rows[10][5]), *rows[11:]]
    assert agrees_beside(edited, 50, checkpoint) is None  # an event's bytes changed
    unchained = [*rows[:10], (*rows[10][:5], None), *rows[11:]]
    assert agrees_beside(unchained, 50, checkpoint) is None  # an event the chain never saw (inserted)
    assert agrees_beside(rows[:-1], 50, checkpoint) is None  # the chain has a row the log lacks (deleted)
    assert agrees_beside(rows, 51, checkpoint) is None
    assert agrees_beside(rows, 50, {**checkpoint, "link": "00" * 32}) is None  # not the signed link
    reordered = [rows[1], rows[0], *rows[2:]]
    assert agrees_beside(reordered, 50, checkpoint) is None
