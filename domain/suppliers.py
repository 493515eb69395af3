"""What an organisation knows of the firms that bid to it: company facts and the debarment list.

Both are data the organisation imports (a CSV or XLSX file): the company facts it holds from the
Department of Business Development (a firm's tax id, name, registered address and directors), and the
Comptroller General's list of debarred bidders (บัญชีรายชื่อผู้ทิ้งงาน). Each import is an event naming the
file, its SHA-256 digest, who imported it and every row read, and replaces the list before it, so a red
flag raised at a winner notice can be traced to the list as it was then.

Addresses and directors' names are personal data: they reach the log only as keyed digests (the
application asks the ``Keys`` port for them), enough to see that two firms share one and no more.
Tax ids, firms' names and the debarment list are public by law and are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import ProngsaiAggregate
from domain.errors import InvalidInput
from domain.people import NS
from domain.red_flags import firm_name
from domain.shapes import Actor
from domain.thai import parse_be_date, to_arabic_digits

# The columns a file may have, in Thai or English (the first row names them).
COLUMNS = {
    "tax_id": ("tax_id", "เลขประจำตัวผู้เสียภาษี", "เลขประจำตัวผู้เสียภาษีอากร", "เลขทะเบียนนิติบุคคล", "เลขประจำตัวประชาชน"),
    "name": ("name", "ชื่อ", "ชื่อผู้ประกอบการ", "ชื่อนิติบุคคล", "ชื่อผู้ทิ้งงาน"),
    "address": ("address", "ที่อยู่", "ที่ตั้งสำนักงานใหญ่"),
    "directors": ("directors", "กรรมการ", "รายชื่อกรรมการ", "หุ้นส่วนผู้จัดการ"),
    "listed_on": ("listed_on", "วันที่ประกาศ", "วันที่แจ้งเวียน", "ลงวันที่"),
    "reference": ("reference", "เลขที่หนังสือ", "หนังสือแจ้งเวียน", "อ้างอิง"),
}
REQUIRED = {"companies": ("tax_id", "name"), "debarments": ("tax_id", "name")}
KIND_THAI = {"companies": "ข้อมูลนิติบุคคล", "debarments": "บัญชีรายชื่อผู้ทิ้งงาน"}
KIND_EN = {"companies": "Company facts", "debarments": "Debarment list"}
MAX_ROWS = 50_000


def tax_id(text: str) -> str | None:
    """A Thai 13-digit tax id (or citizen id: same check digit), spaces and dashes allowed; None if it is
    not one (wrong length or check digit)."""
    digits = re.sub(r"[\s\-]", "", to_arabic_digits(str(text or "")))
    if not re.fullmatch(r"\d{13}", digits):
        return None
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(digits[:12])) % 11) % 10
    return digits if check == int(digits[12]) else None


def column_of(header: str) -> str | None:
    key = re.sub(r"\s+", "", str(header or "")).lower()
    return next((name for name, spellings in COLUMNS.items() if key in {s.replace(" ", "") for s in spellings}), None)


def read_rows(kind: str, rows: Sequence[Sequence[Any]], digest: Callable[[str], str]) -> list[dict[str, Any]]:
    """The rows of an imported table (the first names its columns) as the register keeps them; an
    unreadable row is refused with its number, never skipped in silence."""
    if not rows:
        raise InvalidInput("ไฟล์ไม่มีข้อมูล", "the file has no rows")
    header = [column_of(h) for h in rows[0]]
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        th = ", ".join(COLUMNS[c][1] for c in missing)
        raise InvalidInput(f"แถวแรกของไฟล์ไม่มีคอลัมน์ {th}", f"the first row names no column {', '.join(missing)}")
    if len(rows) - 1 > MAX_ROWS:
        raise InvalidInput(f"ไฟล์มีเกิน {MAX_ROWS:,} แถว", f"the file has over {MAX_ROWS:,} rows")
    read, errors, seen = [], [], set()
    for number, row in enumerate(rows[1:], start=2):
        cells = {c: str(v if v is not None else "").strip() for c, v in zip(header, row, strict=False) if c}
        if not any(cells.values()):
            continue
        tid = tax_id(cells.get("tax_id", ""))
        if tid is None:
            errors.append((number, f"เลขประจำตัวผู้เสียภาษี '{cells.get('tax_id', '')}' ไม่ถูกต้อง",
                           f"tax id '{cells.get('tax_id', '')}' is not a valid 13-digit id"))  # fmt: skip
            continue
        if not cells.get("name"):
            errors.append((number, "ไม่มีชื่อ", "the name is empty"))
            continue
        if tid in seen and kind == "companies":
            errors.append((number, f"เลขประจำตัวผู้เสียภาษี {tid} ซ้ำ", f"tax id {tid} appears twice"))
            continue
        seen.add(tid)
        entry: dict[str, Any] = {"tax_id": tid, "name": cells["name"][:300]}
        if kind == "companies":
            address = re.sub(r"\s+", " ", cells.get("address", "")).strip()
            entry["address"] = digest("address:" + address) if address else None
            people = [p.strip() for p in re.split(r"[;,\n]", cells.get("directors", "")) if p.strip()]
            entry["directors"] = sorted({digest("director:" + re.sub(r"\s+", " ", p)) for p in people})
        else:
            listed = cells.get("listed_on", "")
            try:
                entry["listed_on"] = parse_be_date(listed).isoformat() if listed else None
            except ValueError:
                errors.append((number, f"วันที่ '{listed}' อ่านไม่ได้ (วัน/เดือน/ปี พ.ศ.)",
                               f"date '{listed}' unreadable (day/month/BE year)"))  # fmt: skip
                continue
            entry["reference"] = cells.get("reference", "")[:200]
        read.append(entry)
    if errors:
        shown = errors[:5]
        more = f" และอีก {len(errors) - 5} แถว" if len(errors) > 5 else ""
        raise InvalidInput(
            "นำเข้าไม่ได้ ไม่มีการบันทึก: " + "; ".join(f"แถว {n}: {th}" for n, th, _ in shown) + more,
            "nothing imported: " + "; ".join(f"row {n}: {en}" for n, _, en in shown)
            + (f" and {len(errors) - 5} more rows" if len(errors) > 5 else ""),
        )  # fmt: skip
    if not read:
        raise InvalidInput("ไฟล์ไม่มีแถวข้อมูล", "the file has no data rows")
    return read


class SupplierRegister(ProngsaiAggregate):
    """One organisation's imported facts about firms: the latest import of each kind stands."""

    # Replaced whole by each import, never changed in place: copies out of the cache share them.
    _SHARED_STATE = frozenset({"companies", "debarred"})

    @staticmethod
    def create_id(org_code: str) -> UUID:
        return uuid5(NS, f"suppliers/{org_code}")

    @event("Opened")
    def __init__(self, org_code: str, actor: Actor) -> None:
        self.org_code = org_code
        self.companies: dict[str, dict[str, Any]] = {}
        self.debarred: dict[str, dict[str, Any]] = {}
        self.imports: list[dict[str, Any]] = []

    def import_list(self, actor: Actor, kind: str, source: Mapping[str, Any], rows: list[dict[str, Any]]) -> None:
        if kind not in KIND_THAI:
            raise InvalidInput("ชนิดข้อมูลต้องเป็น companies หรือ debarments", "kind must be companies or debarments")
        self._imported(actor=actor, kind=kind, source=dict(source), rows=rows)

    @event("ListImported")
    def _imported(self, actor: Actor, kind: str, source: dict[str, Any], rows: list[dict[str, Any]]) -> None:
        """An imported list (company facts or debarments): the file's name and digest, and every row read."""
        listing = {r["tax_id"]: r for r in rows}
        if kind == "companies":
            self.companies = listing
        else:
            self.debarred = listing
        self.imports.append({"kind": kind, **source, "rows": len(rows), "by": actor})

    def facts(self) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        """What the notice rules read: firms by tax id; the debarment list by tax id and by name."""
        debarred = dict(self.debarred)
        debarred |= {"name:" + firm_name(r["name"]): r for r in self.debarred.values()}
        return self.companies, debarred

    def latest(self, kind: str) -> dict[str, Any] | None:
        return next((i for i in reversed(self.imports) if i["kind"] == kind), None)
