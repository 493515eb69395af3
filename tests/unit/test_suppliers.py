"""Imported facts about firms (domain/suppliers.py) and the files they come in (infrastructure/tables.py)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from domain.errors import InvalidInput
from domain.suppliers import read_rows, tax_id
from infrastructure.tables import read_table
from tests.unit.test_red_flags import TAX_IDS


def digest(text: str) -> str:
    return "d:" + text


def test_tax_ids_are_read_with_thai_digits_spaces_and_dashes_and_checked():
    assert tax_id(TAX_IDS[0]) == TAX_IDS[0]
    spaced = f"{TAX_IDS[0][0]}-{TAX_IDS[0][1:5]}-{TAX_IDS[0][5:10]}-{TAX_IDS[0][10:12]}-{TAX_IDS[0][12]}"
    assert tax_id(spaced) == TAX_IDS[0]
    assert tax_id(TAX_IDS[0].translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))) == TAX_IDS[0]
    assert tax_id(TAX_IDS[0][:12] + str((int(TAX_IDS[0][12]) + 1) % 10)) is None
    assert tax_id("12345") is None and tax_id("") is None


def test_company_rows_keep_addresses_and_directors_only_as_digests():
    rows = [["เลขประจำตัวผู้เสียภาษี", "ชื่อนิติบุคคล", "ที่อยู่", "กรรมการ"],
            [TAX_IDS[0], "หจก.มุกดาก่อสร้าง", "99 ถ.ชยางกูร  มุกดาหาร", "นายสมชาย ใจดี; นางสาวสมหญิง ใจงาม"]]  # fmt: skip
    [firm] = read_rows("companies", rows, digest)
    assert firm == {"tax_id": TAX_IDS[0], "name": "หจก.มุกดาก่อสร้าง", "address": "d:address:99 ถ.ชยางกูร มุกดาหาร",
                    "directors": ["d:director:นางสาวสมหญิง ใจงาม", "d:director:นายสมชาย ใจดี"]}  # fmt: skip


def test_a_file_with_a_bad_row_is_refused_whole_naming_each_row():
    rows = [["tax_id", "name", "listed_on"], [TAX_IDS[0], "ก", "20/11/2561"], ["123", "ข", ""],
            [TAX_IDS[1], "ค", "20/11/2018"]]  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        read_rows("debarments", rows, digest)
    assert "แถว 3" in refused.value.th and "แถว 4" in refused.value.th and "row 4: date" in refused.value.en


def test_a_file_without_the_columns_it_needs_says_which():
    with pytest.raises(InvalidInput) as refused:
        read_rows("companies", [["ชื่อ", "ที่อยู่"], ["ก", "x"]], digest)
    assert "เลขประจำตัวผู้เสียภาษี" in refused.value.th and "tax_id" in refused.value.en


def test_xlsx_and_windows_874_csv_read_alike_and_a_tax_id_typed_as_a_number_gets_its_zero_back():
    book = Workbook()
    book.active.append(["tax_id", "name"])
    book.active.append([int(TAX_IDS[0]), "หจก.มุกดาก่อสร้าง"])
    xlsx = io.BytesIO()
    book.save(xlsx)
    csv_874 = f"tax_id,name\r\n{TAX_IDS[0]},หจก.มุกดาก่อสร้าง\r\n".encode("cp874")
    assert read_rows("companies", read_table("f.xlsx", xlsx.getvalue()), digest) == read_rows(
        "companies", read_table("f.csv", csv_874), digest)  # fmt: skip


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused():
    with pytest.raises(InvalidInput):
        read_table("plan.pdf", b"%PDF-1.7")
    with pytest.raises(InvalidInput):
        read_table("broken.xlsx", b"PK\x03\x04 not a workbook")
