"""Check a Prongsai inclusion proof with nothing but SHA-256 (Python's standard library).

    python3 check_proof.py proof.json [document.pdf]

It recomputes the event's digest from the stored event in the proof, hashes it into an RFC 9162
leaf, walks the audit path to the root and compares it with the root the checkpoint signed; with a
document it also checks that the event recorded the document's SHA-256. The checkpoint's Ed25519
signature is checked separately with the deployment's public key (see docs/proofs.md); `prongsai
verify --proof` does both. Exit status 0: the proof holds; 1: it does not.
"""

import base64
import hashlib
import json
import sys
from pathlib import Path


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def root_from_path(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes | None:
    """RFC 9162 section 2.1.3.2."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = sha(b"\x01" + p + r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = sha(b"\x01" + r + p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def main() -> int:
    proof = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    event, head = proof["event"], proof["checkpoint"]
    state = base64.b64decode(event["state"])
    stored = f"{event['originator_id'].replace('-', '')}|{event['originator_version']}|{event['topic']}|".encode()
    leaf = sha(b"\x00" + sha(stored + state))
    path = [bytes.fromhex(p) for p in proof["path"]]
    ok = root_from_path(proof["leaf_index"], head["tree_size"], leaf, path) == bytes.fromhex(head["root"])
    print(f"event {event['position']} in the tree of {head['tree_size']} signed at {head['signed_at']}: {ok}")
    if len(sys.argv) > 2:
        digest = hashlib.sha256(Path(sys.argv[2]).read_bytes()).hexdigest()
        recorded = json.loads(state).get("format_hashes", {})
        found = digest in recorded.values()
        print(f"document {digest[:16]}… recorded by the event: {found}")
        ok = ok and found
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
