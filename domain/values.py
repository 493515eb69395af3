"""Small typed values and the input rules every aggregate shares (evidence, notes, dates)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.catalogue import text
from domain.errors import InvalidInput
from domain.thai import to_arabic_digits

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_URL = re.compile(r"^https?://\S+$")
MAX_BAHT = 10**13  # ten trillion baht: above any public budget, below a 64-bit column in satang


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """A document proving an act: its number and/or title, plus a link or its SHA-256 content hash."""

    number: str = text("เลขที่เอกสาร", "Document number", required=False, max_length=200)
    title: str = text("ชื่อเอกสาร", "Document title", required=False, max_length=500)
    link: str = text("ลิงก์เอกสาร (http/https)", "Document link (http/https)", required=False, max_length=2000)
    sha256: str = text("หรือค่าแฮช SHA-256", "or its SHA-256 hash", required=False, max_length=64)

    @classmethod
    def of(cls, value: Evidence | Mapping[str, Any]) -> Evidence:
        if isinstance(value, Evidence):
            return value
        return cls(**{k: str(value.get(k) or "") for k in ("number", "title", "link", "sha256")})

    def checked(self) -> dict[str, str]:
        """The evidence as recorded on the event, or a clear refusal."""
        title, number = self.title.strip(), self.number.strip()
        link, sha = self.link.strip(), self.sha256.strip().lower()
        if not (title or number):
            raise InvalidInput("หลักฐานต้องมีเลขที่หรือชื่อเอกสาร", "evidence needs a document number or title")
        if not (link or sha):
            raise InvalidInput(
                "หลักฐานต้องมีลิงก์หรือค่าแฮช SHA-256 ของเอกสาร",
                "evidence needs a link or the document's SHA-256 hash",
            )
        if link and not _URL.match(link):
            raise InvalidInput("ลิงก์หลักฐานต้องขึ้นต้นด้วย http(s)://", "evidence link must be an http(s) URL")
        if sha and not _SHA256.match(sha):
            raise InvalidInput("ค่าแฮชต้องเป็น SHA-256 เลขฐานสิบหก 64 ตัว", "sha256 must be 64 hexadecimal characters")
        return {"number": number, "title": title, "link": link, "sha256": sha}


def check_evidence(evidence: Evidence | Mapping[str, Any]) -> dict[str, str]:
    return Evidence.of(evidence).checked()


@dataclass(frozen=True, kw_only=True)
class Note:
    """The input of a command that needs at most a note."""

    note: str = text("หมายเหตุ", "Note", required=False)


@dataclass(frozen=True, kw_only=True)
class NoInput:
    """Nothing to fill in: the act itself is the record."""


BAHT_TEXT = re.compile(r"-?[0-9]{1,16}(?:\.[0-9]{1,2})?")  # ASCII digits (Thai ones are turned into them first)


def parse_satang(value: Any, what_th: str = "จำนวนเงิน", what_en: str = "amount") -> int:
    """Integer satang, or Decimal baht as text (Thai or Arabic digits, commas) — never a float."""
    if isinstance(value, (bool, float)):
        raise InvalidInput(
            f"{what_th}ต้องเป็นจำนวนเต็มสตางค์หรือข้อความจำนวนเงินบาท", f"{what_en}: send integer satang or a baht string"
        )
    if isinstance(value, int):
        satang = value
    else:
        text = re.sub(r"[\s,]|บาท", "", to_arabic_digits(str(value)[:100]))
        if not BAHT_TEXT.fullmatch(text):  # digits and a point only: no exponent, no infinity, no other scripts
            shown = str(value)[:40]
            raise InvalidInput(f"{what_th}ไม่ถูกต้อง: '{shown}' (เช่น 10,000.50)", f"{what_en} is not an amount: '{shown}'")
        try:
            baht = Decimal(text)
        except InvalidOperation:
            raise InvalidInput(f"{what_th}ไม่ถูกต้อง: '{value}'", f"{what_en} is not a number: '{value}'") from None
        if not baht.is_finite() or abs(baht) >= MAX_BAHT:
            raise InvalidInput(f"{what_th}ไม่ถูกต้อง: '{value}'", f"{what_en} is out of range: '{value}'")
        if baht != baht.quantize(Decimal("0.01")):
            raise InvalidInput(f"{what_th}ละเอียดเกินสตางค์", f"{what_en} has more precision than satang")
        satang = int(baht * 100)
    if abs(satang) >= MAX_BAHT * 100:
        raise InvalidInput(f"{what_th}สูงเกินจริง", f"{what_en} is out of range")
    if satang < 0:
        raise InvalidInput(f"{what_th}ต้องไม่ติดลบ", f"{what_en} cannot be negative")
    return satang


def check_not_future(day: date, today: date, what_th: str, what_en: str) -> None:
    if day > today:
        raise InvalidInput(
            f"{what_th}ต้องไม่เป็นวันในอนาคต ({day.isoformat()})",
            f"{what_en} cannot be in the future ({day.isoformat()})",
        )


# Characters nobody types on purpose in a record: control characters (but tab and line breaks),
# zero-width and byte-order marks, and the bidirectional overrides that make text read other than it is stored.
INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def plain_text(value: str) -> str:
    """Text as stored and published: NFC, without invisible or direction-changing characters."""
    return unicodedata.normalize("NFC", INVISIBLE.sub("", value or ""))


def check_note(text_: str, what_th: str, what_en: str) -> str:
    text_ = plain_text(text_ or "").strip()
    if not text_:
        raise InvalidInput(f"ต้องระบุ{what_th}", f"a {what_en} is required")
    if len(text_) > 4000:
        raise InvalidInput(f"{what_th}ยาวเกิน 4,000 ตัวอักษร", f"the {what_en} exceeds 4,000 characters")
    return text_
