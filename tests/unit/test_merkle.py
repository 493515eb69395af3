"""The Merkle tree of RFC 9162 (domain/merkle.py) against the RFC 6962 test vector and an independent
implementation (pymerkle), and its proofs: every one that should check does, none that should not."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_path,
    leaf_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

# The leaves of the test vector used by Certificate Transparency's reference implementations.
VECTOR = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43", bytes(range(0x50, 0x58)),
          bytes(range(0x60, 0x70))]  # fmt: skip
VECTOR_ROOT = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"


def tree(n: int, seed: int = 0) -> list[bytes]:
    return [leaf_hash(f"event {seed}:{i}".encode()) for i in range(n)]


def test_the_published_vector() -> None:
    assert root([leaf_hash(d) for d in VECTOR]).hex() == VECTOR_ROOT
    assert root([]) == EMPTY_ROOT and root([leaf_hash(b"")]).hex().startswith("6e340b9c")


def test_roots_agree_with_an_independent_implementation() -> None:
    from pymerkle import InmemoryTree

    entries = [os.urandom(i % 7) + bytes([i]) for i in range(70)]
    other = InmemoryTree(algorithm="sha256")
    for n, entry in enumerate(entries, start=1):
        other.append_entry(entry)
        assert root([leaf_hash(e) for e in entries[:n]]) == other.get_root(n), n


@pytest.mark.parametrize("size", range(1, 25))
def test_every_inclusion_proof_checks_and_a_wrong_one_does_not(size: int) -> None:
    leaves = tree(size)
    head = root(leaves)
    for index in range(size):
        path = inclusion_path(index, leaves)
        assert verify_inclusion(index, size, leaves[index], path, head)
        assert not verify_inclusion(index, size, leaf_hash(b"forged"), path, head)
        assert not verify_inclusion(index, size + 1, leaves[index], path, root(tree(size + 1)))
        if path:
            bent = [bytes([path[0][0] ^ 1]) + path[0][1:], *path[1:]]
            assert not verify_inclusion(index, size, leaves[index], bent, head)
            assert not verify_inclusion((index + 1) % size, size, leaves[index], path, head) or size == 1


@pytest.mark.parametrize("size", range(1, 25))
def test_every_consistency_proof_checks_and_a_rewritten_past_does_not(size: int) -> None:
    leaves = tree(size)
    for old in range(1, size + 1):
        proof = consistency_proof(old, leaves)
        assert verify_consistency(old, size, proof, root(leaves[:old]), root(leaves))
        rewritten = [leaf_hash(b"rewritten"), *leaves[1:old]]
        assert not verify_consistency(old, size, proof, root(rewritten), root(leaves))
        if old < size:
            assert not verify_consistency(old, size, proof, root(leaves[:old]), root(tree(size, seed=1)))


@given(st.integers(min_value=1, max_value=300), st.data())
def test_proofs_are_short_and_check_for_any_size(size: int, data: st.DataObject) -> None:
    leaves = tree(size)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    old = data.draw(st.integers(min_value=1, max_value=size))
    path, proof = inclusion_path(index, leaves), consistency_proof(old, leaves)
    assert len(path) <= size.bit_length() and len(proof) <= 2 * size.bit_length()
    assert verify_inclusion(index, size, leaves[index], path, root(leaves))
    assert verify_consistency(old, size, proof, root(leaves[:old]), root(leaves))
