"""The log as a Merkle tree (RFC 9162, the certificate-transparency design): a root over every event,
a short proof that one event is in the tree, and a short proof that a later tree only added to an
earlier one. Only SHA-256 is needed to check either, so anyone can check them offline.

Leaves and nodes are hashed with distinct prefixes (0x00 and 0x01), so no leaf can pose as a node.
``MTH`` splits ``n`` leaves at the largest power of two smaller than ``n``; proofs are the RFC's ``PATH``
and ``PROOF`` lists of 32-byte hashes, checked with the RFC's verification algorithms (§2.1.3.2 and
§2.1.4.2). Proofs ask a ``Subtree`` function for the hashes of runs of leaves: from a list here, from
the saved nodes of complete subtrees in the store (infrastructure/projections.py: ``MerkleProjection``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


Subtree = Callable[[int, int], bytes]  # (first leaf, number of leaves) → MTH of that run of leaves


def of_leaves(leaves: Sequence[bytes]) -> Subtree:
    """Subtree hashes computed from the leaf hashes themselves (a store answers from saved nodes)."""
    return lambda start, size: _mth(leaves[start : start + size])


def _mth(leaves: Sequence[bytes]) -> bytes:
    n = len(leaves)
    if n == 1:
        return leaves[0]
    k = _split(n)
    return node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes."""
    return _mth(leaves) if leaves else EMPTY_ROOT


def root_in(size: int, subtree: Subtree) -> bytes:
    """MTH of the first ``size`` leaves."""
    return subtree(0, size) if size else EMPTY_ROOT


def inclusion_path(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]): the hashes that lead from leaf ``index`` to the root of ``leaves``."""
    return path_in(index, len(leaves), of_leaves(leaves))


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]): what shows the tree of ``len(leaves)`` grew from its first ``old_size`` leaves."""
    return proof_in(old_size, len(leaves), of_leaves(leaves))


def path_in(index: int, size: int, subtree: Subtree) -> list[bytes]:
    """PATH(m, D[n]) asking ``subtree`` only for the O(log n) sibling subtrees it needs."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")

    def path(m: int, start: int, n: int) -> list[bytes]:
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return [*path(m, start, k), subtree(start + k, n - k)]
        return [*path(m - k, start + k, n - k), subtree(start, k)]

    return path(index, 0, size)


def proof_in(old_size: int, size: int, subtree: Subtree) -> list[bytes]:
    """PROOF(m, D[n]) asking ``subtree`` only for the subtrees it needs."""
    if not 0 < old_size <= size:
        raise ValueError(f"no consistency proof from {old_size} to {size}")

    def subproof(m: int, start: int, n: int, complete: bool) -> list[bytes]:
        if m == n:
            return [] if complete else [subtree(start, n)]
        k = _split(n)
        if m <= k:
            return [*subproof(m, start, k, complete), subtree(start + k, n - k)]
        return [*subproof(m - k, start + k, n - k, False), subtree(start, k)]

    return subproof(old_size, 0, size, True)


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes], expected_root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does ``path`` lead from leaf hash ``leaf`` at ``index`` to ``expected_root``?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(old_size: int, size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes) -> bool:
    """RFC 9162 §2.1.4.2: does ``proof`` show the tree of ``size`` leaves extends the one of ``old_size``?"""
    if not 0 < old_size <= size:
        return False
    if old_size == size:
        return not proof and old_root == new_root
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node of the proof
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
