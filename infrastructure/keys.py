"""Per-subject encryption keys for personal data (crypto-shredding), outside the event log.

Each complaint gets its own AES-256-GCM data key; the key is stored wrapped by the deployment's
master key in ``personal_data_keys`` (the store's database). Destroying the row erases the
personal data everywhere it was encrypted — events, attachments — while the events themselves and
the hash chain stay untouched. On SQLite deletes use ``secure_delete`` and the WAL is truncated, so
the wrapped key's bytes do not survive in the file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.complaint import personal_data_erased as erased
from domain.errors import Unavailable
from infrastructure.read_models import ReadModelDB


def wrong_master_key() -> Unavailable:
    """The key file does not open this store's keys: an operator's mistake (a restored store without its
    key, or a new key generated beside old data) — said plainly, and nothing is changed."""
    return Unavailable(
        "กุญแจหลัก (master key) ไม่ตรงกับฐานข้อมูลนี้ — ผู้ดูแลระบบต้องคืนไฟล์กุญแจเดิม ข้อมูลส่วนบุคคลจึงยังเปิดไม่ได้",
        "the master key does not match this store's keys: an operator must put back the original key file",
    )


DDL = (
    "CREATE TABLE IF NOT EXISTS personal_data_keys (subject_id TEXT PRIMARY KEY, wrapped BYTEA NOT NULL)",
    "CREATE TABLE IF NOT EXISTS personal_data_blobs ("
    " subject_id TEXT NOT NULL, sha256 TEXT NOT NULL, content BYTEA NOT NULL, PRIMARY KEY (subject_id, sha256))",
)


def load_or_create_master_key(path: Path, store_has_keys: Callable[[], bool] = lambda: False) -> bytes:
    """The key that wraps every complaint's key. Created once — but never beside a store that already holds
    wrapped keys: a new one would open none of them (a restore without its key file), so that is refused."""
    if path.exists():
        key = path.read_bytes()
        if len(key) != 32:
            raise Unavailable(f"ไฟล์กุญแจหลัก {path} ไม่ถูกต้อง (ต้องเป็น 32 ไบต์)", f"{path} must hold 32 random bytes")
        return key
    if store_has_keys():
        raise Unavailable(
            f"ไม่พบไฟล์กุญแจหลัก {path} แต่ฐานข้อมูลมีข้อมูลส่วนบุคคลที่เข้ารหัสไว้แล้ว — คืนไฟล์กุญแจจากสำรองก่อน",
            f"the master key file {path} is missing but the store holds encrypted personal data: restore the key "
            "file from the backup (a new key would open none of it)",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    key = AESGCM.generate_key(bit_length=256)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


class KeyStore:
    def __init__(self, db: ReadModelDB, master_key: bytes) -> None:
        self.db = db
        self.master = AESGCM(master_key)
        with db.transaction() as cursor:
            for statement in DDL:
                cursor.execute(statement if db.postgres else statement.replace("BYTEA", "BLOB"))

    def _raw_key(self, subject_id: str) -> bytes:
        rows = self.db.query("SELECT wrapped FROM personal_data_keys WHERE subject_id = ?", (subject_id,))
        if not rows:
            raise erased()
        wrapped = bytes(rows[0][0])
        try:
            return self.master.decrypt(wrapped[:12], wrapped[12:], subject_id.encode())
        except InvalidTag:
            raise wrong_master_key() from None

    def _key(self, subject_id: str) -> AESGCM:
        return AESGCM(self._raw_key(subject_id))

    def ensure(self, subject_id: str) -> None:
        """The subject's key, created unless it exists (a person's contact details, a supplier register)."""
        _, wrapped = self.new_key(subject_id)
        with self.db.transaction() as cursor:
            cursor.execute("INSERT INTO personal_data_keys (subject_id, wrapped) VALUES (?, ?) ON CONFLICT DO NOTHING",
                           (subject_id, wrapped))  # fmt: skip

    def digester(self, subject_id: str) -> Callable[[str], str]:
        """Keyed digests (HMAC-SHA256 under the subject's key, created on first use): equal texts give equal
        digests, and without the key nobody can tell which text it was. Destroying the subject's key leaves
        the digests already recorded unmatched by any new one. The key is read once per digester."""
        self.ensure(subject_id)
        key = self._raw_key(subject_id)
        return lambda text: hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]

    def new_key(self, subject_id: str) -> tuple[AESGCM, bytes]:
        """A fresh key for the subject, and the same key wrapped by the master key (what the table holds)."""
        key, nonce = AESGCM.generate_key(bit_length=256), os.urandom(12)
        return AESGCM(key), nonce + self.master.encrypt(nonce, key, subject_id.encode())

    @staticmethod
    def seal(key: AESGCM, subject_id: str, plaintext: bytes) -> str:
        nonce = os.urandom(12)
        return base64.b64encode(nonce + key.encrypt(nonce, plaintext, subject_id.encode())).decode()

    def create(self, subject_id: str) -> None:
        _, wrapped = self.new_key(subject_id)
        with self.db.transaction() as cursor:
            cursor.execute("INSERT INTO personal_data_keys (subject_id, wrapped) VALUES (?, ?)", (subject_id, wrapped))

    def encrypt(self, subject_id: str, plaintext: bytes) -> str:
        return self.seal(self._key(subject_id), subject_id, plaintext)

    def decrypt(self, subject_id: str, token: str) -> bytes:
        raw = base64.b64decode(token)
        try:
            return self._key(subject_id).decrypt(raw[:12], raw[12:], subject_id.encode())
        except InvalidTag:
            raise wrong_master_key() from None

    def put_blob(self, subject_id: str, content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        sealed = base64.b64decode(self.encrypt(subject_id, content))
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM personal_data_blobs WHERE subject_id = ? AND sha256 = ?", (subject_id, digest))
            cursor.execute(
                "INSERT INTO personal_data_blobs (subject_id, sha256, content) VALUES (?, ?, ?)",
                (subject_id, digest, sealed),
            )
        return digest

    def get_blob(self, subject_id: str, digest: str) -> bytes:
        rows = self.db.query(
            "SELECT content FROM personal_data_blobs WHERE subject_id = ? AND sha256 = ?", (subject_id, digest)
        )
        if not rows:
            raise erased()
        return self.decrypt(subject_id, base64.b64encode(bytes(rows[0][0])).decode())

    def destroy(self, subject_id: str) -> None:
        """Crypto-shred: remove the key (and the now unreadable blobs) for good."""
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM personal_data_keys WHERE subject_id = ?", (subject_id,))
            cursor.execute("DELETE FROM personal_data_blobs WHERE subject_id = ?", (subject_id,))
        if not self.db.postgres:
            self.db.query("PRAGMA wal_checkpoint(TRUNCATE)")


def store_has_keys(db: ReadModelDB) -> bool:
    """Whether the store already holds wrapped personal-data keys (the table may not exist yet)."""
    try:
        return bool(db.query("SELECT 1 FROM personal_data_keys LIMIT 1"))
    except Exception:  # noqa: BLE001 - no table yet: a new store
        return False
