"""Tables people upload (CSV or XLSX) as rows of cells: the first row names the columns.

CSV is read as UTF-8 (with or without the BOM Excel writes) or, failing that, as Windows-874, the Thai
code page older Thai spreadsheets still save in. XLSX is read with openpyxl, first sheet, values not
formulas. A file that is neither is refused with a clear error; nothing is guessed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from typing import Any

from domain.errors import InvalidInput

MAX_BYTES = 20 * 1024 * 1024


def cell(value: Any) -> Any:
    """A spreadsheet cell as text the domain reads: a date as ISO, a whole number without ``.0``; a tax id
    typed as a number lost its leading zero, so a whole number of 12 digits gets it back (the check
    digit then says whether that was right)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        return text.zfill(13) if len(text) == 12 else text
    return value


def read_table(filename: str, content: bytes) -> list[list[Any]]:
    if len(content) > MAX_BYTES:
        raise InvalidInput("ไฟล์ใหญ่เกิน 20 MB", "the file is over 20 MB")
    name = (filename or "").lower()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        return _xlsx(content)
    if name.endswith((".csv", ".txt")) or not name:
        return _csv(content)
    raise InvalidInput("รับเฉพาะไฟล์ CSV หรือ XLSX", "only CSV or XLSX files are read")


def _csv(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp874")
        except UnicodeDecodeError:
            raise InvalidInput("อ่านไฟล์ CSV ไม่ได้ (ต้องเป็น UTF-8 หรือ Windows-874)",
                               "the CSV file is neither UTF-8 nor Windows-874") from None  # fmt: skip
    return [row for row in csv.reader(io.StringIO(text)) if row]


def _xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook  # imported when an XLSX comes, not at start-up

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvalidInput("อ่านไฟล์ XLSX ไม่ได้ (ไฟล์เสียหรือไม่ใช่ Excel)", "the XLSX file cannot be read") from None
    try:
        sheet = book.worksheets[0]
        return [[cell(v) for v in row] for row in sheet.iter_rows(values_only=True)
                if any(v is not None and str(v).strip() for v in row)]  # fmt: skip
    finally:
        book.close()
