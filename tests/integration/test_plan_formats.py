"""A plan read from its Word or PDF file says what its text form says: the seed plan, written into a
.docx and a .pdf here (tables as tables, with the project's own Sarabun font), parses to the same plan.
And what is not a plan is refused with a clear message, never imported as an empty one."""

from __future__ import annotations

import json

import pytest

from domain.errors import InvalidInput
from domain.plan import PlanDocument
from infrastructure.plan_parser import normalise_text, parse_plan
from infrastructure.plan_sources import plan_text
from tests.conftest import SEED
from tests.plan_files import as_docx, as_pdf

SEED_TEXT = SEED.read_text(encoding="utf-8")


def plan_of(text: str) -> dict:
    return json.loads(json.dumps(parse_plan(text).to_json(), ensure_ascii=False, default=str))


def test_the_seed_from_word_is_the_seed_from_text() -> None:
    from_text = plan_of(SEED_TEXT)
    from_word = plan_of(plan_text(as_docx(SEED_TEXT), "แผน.docx"))
    assert len(from_word["measures"]) == 32
    assert from_word == from_text


def test_the_seed_from_pdf_is_the_seed_from_text_but_for_line_numbers() -> None:
    """A PDF's lines are the page's (wrapped, blank lines gone), so line numbers differ; every item, every
    field of it, the dimensions and missions, and the kinds and number of warnings are the same."""
    from_text = plan_of(SEED_TEXT)
    from_pdf = plan_of(plan_text(as_pdf(SEED_TEXT), "แผน.pdf"))

    def without_lines(plan: dict) -> list[dict]:
        return [{k: v for k, v in m.items() if k != "line"} for m in plan["measures"]]

    assert without_lines(from_pdf) == without_lines(from_text)
    for key in ("organisation", "fiscal_years", "dimensions"):
        assert from_pdf[key] == from_text[key]
    assert sorted(w["kind"] for w in from_pdf["warnings"]) == sorted(w["kind"] for w in from_text["warnings"])


def test_ocr_text_is_read_as_typed_text() -> None:
    """Tone mark before the vowel, nikhahit + sara aa, a year in mixed digits: normalised (PyThaiNLP)."""
    assert normalise_text("มิติท่ี ๒ ปี ๒๕62 ดํารง") == "มิติที่ ๒ ปี ๒๕๖๒ ดำรง"
    ocr = SEED_TEXT.replace("มิติที่", "มิติท่ี").replace("๒๕๖๒", "๒๕62")
    assert plan_of(ocr)["measures"] == plan_of(SEED_TEXT)["measures"]


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"%PDF-1.7\n\xff\xfe\x00binary", "plan.pdf", "not a readable PDF"),
        (b"\x00\x01\x02\xff\xfe", "plan.txt", "not a text, Word"),
        (b"PK\x03\x04broken", "plan.docx", "not a readable Word"),
        (b"\xd0\xcf\x11\xe0old", "plan.doc", "old Word file"),
    ],
)
def test_what_is_not_a_plan_file_is_refused_clearly(data: bytes, name: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        plan_text(data, name)


def test_a_pdf_without_a_text_layer_is_a_scan_not_an_empty_plan() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 100, 50, style="F")  # a page with a picture and no text, as a scan is
    with pytest.raises(InvalidInput, match="no text layer"):
        plan_text(bytes(pdf.output()), "scan.pdf")


@pytest.mark.parametrize(
    "text",
    ["", "แผนปฏิบัติการป้องกันการทุจริต\nเทศบาลตำบลตัวอย่าง\n(หน้าปก)", "\n\n\n"],
)
def test_a_document_without_plan_items_is_refused_by_import(text: str) -> None:
    with pytest.raises(InvalidInput, match="no plan items"):
        parse_plan(text).check_importable()


def test_an_item_without_a_code_or_dimension_is_refused_by_import() -> None:
    plan = parse_plan(SEED_TEXT)
    broken = PlanDocument.from_json({**plan.to_json()})
    broken.measures[3].code = "None.0"
    broken.measures[3].dimension = 0
    with pytest.raises(InvalidInput, match="no code or dimension"):
        broken.check_importable()
    plan.check_importable()  # the seed itself is importable
