"""The organisation's imported facts about firms (domain/suppliers.py): company facts and the
debarment list, each imported from a CSV or XLSX file and recorded as an event."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from application.ports import Keys
from application.store import Prongsai
from domain.catalogue import DESK
from domain.clock import Clock, today
from domain.errors import InvalidInput, NotFound, NotPermitted
from domain.people import User
from domain.plan import Organisation
from domain.suppliers import KIND_THAI, SupplierRegister, read_rows

Facts = tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]
TableReader = Callable[[str, bytes], list[list[Any]]]  # a file's name and bytes → rows of cells


def supplier_facts(app: Prongsai, org_code: str) -> Facts:
    """What the red-flag rules read of an organisation's imported facts (nothing imported: nothing)."""
    register = app.find(SupplierRegister, SupplierRegister.create_id(org_code))
    return register.facts() if register is not None else ({}, {})


class Suppliers:
    def __init__(self, app: Prongsai, keys: Keys, read_table: TableReader, clock: Clock) -> None:
        self.app = app
        self.keys = keys
        self.read_table = read_table
        self.clock = clock

    def import_file(self, user: User, org_code: str, kind: str, filename: str, content: bytes) -> dict[str, Any]:
        """Import company facts (``companies``) or the debarment list (``debarments``): the file replaces the
        list before it; a row that cannot be read refuses the whole file and nothing is written."""
        self.check_importer(user, org_code)
        if kind not in KIND_THAI:
            raise InvalidInput("ชนิดข้อมูลต้องเป็น companies หรือ debarments", "kind must be companies or debarments")
        if not content:
            raise InvalidInput("ไม่มีไฟล์ หรือไฟล์ว่าง", "no file, or an empty one")
        subject = f"suppliers/{org_code}"
        rows = read_rows(kind, self.read_table(filename, content), self.keys.digester(subject))
        register = self.app.find(SupplierRegister, SupplierRegister.create_id(org_code))
        if register is None:
            register = SupplierRegister(org_code=org_code, actor=user.as_actor())
        source = {"file_name": (filename or "")[-200:], "sha256": hashlib.sha256(content).hexdigest(),
                  "imported_on": today(self.clock)}  # fmt: skip
        register.import_list(user.as_actor(), kind, source, rows)
        self.app.commit(register)
        return self.summary(user, org_code)

    @staticmethod
    def _shown(entry: dict[str, Any] | None) -> dict[str, Any] | None:
        """An import as the API shows it: who imported it by username."""
        return entry and {**entry, "by": (entry.get("by") or {}).get("username")}

    def check_importer(self, user: User, org_code: str) -> None:
        """Who imports: the organisation's desk (a clerk, a head of division, the executives)."""
        if not user.may_see(org_code) or not self.app.exists(Organisation.create_id(org_code)):
            raise NotFound(f"ไม่พบหน่วยงานรหัส {org_code}", f"organisation {org_code} not found")
        if user.role not in DESK:
            raise NotPermitted("ไม่มีสิทธิ์นำเข้าข้อมูลผู้ประกอบการ", f"role '{user.role.value}' may not import supplier data")

    def summary(self, user: User, org_code: str) -> dict[str, Any]:
        """What was imported, when and from which file; the debarment list itself is public."""
        if not user.may_see(org_code):
            raise NotFound(f"ไม่พบหน่วยงานรหัส {org_code}", f"organisation {org_code} not found")
        register = self.app.find(SupplierRegister, SupplierRegister.create_id(org_code))
        if register is None:
            return {"org_code": org_code, "companies": None, "debarments": None, "debarred": [],
                    "warnings": ["ยังไม่ได้นำเข้าข้อมูลนิติบุคคลและบัญชีผู้ทิ้งงาน จึงยังตรวจความเชื่อมโยงของผู้เสนอราคาไม่ได้"]}  # fmt: skip
        latest = {kind: self._shown(register.latest(kind)) for kind in KIND_THAI}
        warnings = [f"ยังไม่ได้นำเข้า{th} จึงยังตรวจข้อนี้ไม่ได้" for kind, th in KIND_THAI.items() if latest[kind] is None]
        return {
            "org_code": org_code,
            **latest,
            "firms": len(register.companies),
            "debarred": sorted(register.debarred.values(), key=lambda r: r["name"]),
            "warnings": warnings,
        }
