"""A plan file as the municipality has it — text, Word or PDF — turned into the text the parser reads.

The parser reads lines; a table row is one line with its cells separated by tabs (as the text form of
the national template has them). Word files are read with python-docx, paragraphs and tables in
document order; PDF files with a text layer with pdfplumber, ruled tables as tables and the rest as
lines in reading order. (The parser then normalises the Thai of every source with PyThaiNLP: tone marks
after their vowel, nikhahit + sara aa as sara am, mixed digits.) A file that holds no text — a scanned PDF, an
image, a binary — is refused with a clear message, never read as an empty plan.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from domain.errors import InvalidInput

TEXT = {".txt", ".md", ""}
WORD = {".docx"}
PDF = {".pdf"}
FORMATS = "txt, docx, pdf"


def plan_text(data: bytes, filename: str) -> str:
    """The text of a plan file (UTF-8 text, ``.docx`` or ``.pdf``), ready for the parser."""
    suffix = Path(filename).suffix.lower()
    if data.startswith(b"%PDF") or suffix in PDF:
        return pdf_text(data, filename)
    if data.startswith(b"PK\x03\x04") or suffix in WORD:
        return docx_text(data, filename)
    if suffix == ".doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput(
            f"{filename}: ไฟล์ Word รุ่นเก่า (.doc) กรุณาบันทึกเป็น .docx หรือ PDF",
            f"{filename}: an old Word file (.doc); save it as .docx or PDF",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{filename}: ไม่ใช่ไฟล์ข้อความ, Word (.docx) หรือ PDF",
            f"{filename}: not a text, Word (.docx) or PDF file (formats read: {FORMATS})",
        ) from None
    if "\x00" in text:
        raise InvalidInput(f"{filename}: ไฟล์นี้ไม่ใช่ข้อความ", f"{filename}: a binary file, not text")
    return text


def read_plan_file(path: Path) -> str:
    return plan_text(path.read_bytes(), path.name)


# -- Word -------------------------------------------------------------------------------------------


def docx_text(data: bytes, filename: str) -> str:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InvalidInput(
            f"{filename}: เปิดไฟล์ Word ไม่ได้ ({exc})", f"{filename}: not a readable Word (.docx) file ({exc})"
        ) from None
    lines: list[str] = []
    for block in document.iter_inner_content():  # paragraphs and tables, in document order
        if isinstance(block, Paragraph):
            lines.extend(block.text.split("\n"))
        elif isinstance(block, Table):
            lines.extend(table_lines(block))
    return "\n".join(lines)


def table_lines(table: object) -> list[str]:
    """Each row as one line, cells separated by tabs; a merged cell counted once; trailing blanks dropped."""
    lines = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # python-docx repeats a horizontally merged cell
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split("\n")).strip())
        while cells and not cells[-1]:
            cells.pop()
        lines.append("\t".join(cells))
    return lines


# -- PDF --------------------------------------------------------------------------------------------


def pdf_text(data: bytes, filename: str) -> str:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError) as exc:
        raise InvalidInput(f"{filename}: เปิดไฟล์ PDF ไม่ได้", f"{filename}: not a readable PDF ({exc})") from None
    lines: list[str] = []
    with pdf:
        for page in pdf.pages:
            lines.extend(page_lines(page))
    if not "".join(lines).strip():
        raise InvalidInput(
            f"{filename}: PDF นี้ไม่มีชั้นข้อความ (เป็นภาพสแกน) กรุณาใช้ไฟล์ Word หรือ PDF ที่สร้างจากโปรแกรม",
            f"{filename}: this PDF has no text layer (a scan); give the Word file or a PDF exported from it",
        )
    return "\n".join(lines)


def page_lines(page: object) -> list[str]:
    """A page's lines top to bottom: ruled tables as tab-separated rows, the text around them as lines.

    Text is assembled from the characters themselves, in the order the page draws them: Thai tone marks
    and upper vowels have no width, and assembling by position alone puts spaces around them or moves
    them to the next letter. Glyphs that map to no character (``(cid:N)``) are presentation only and
    dropped.
    """
    tables = page.find_tables()  # type: ignore[attr-defined]
    blocks: list[tuple[float, list[str]]] = []
    for table in tables:
        rows = []
        for row in table.rows:
            cells = []
            for bbox in row.cells:
                inside = page.crop(bbox).chars if bbox else []  # type: ignore[attr-defined]
                cells.append(joined_cell([text for _, text, _, _ in char_lines(inside)]))
            while cells and not cells[-1]:
                cells.pop()
            rows.append("\t".join(cells))
        blocks.append((table.bbox[1], rows))
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    blocks += [(top, [text]) for top, text in unwrapped(char_lines(outside.chars))]  # type: ignore[attr-defined]
    blocks.sort(key=lambda block: block[0])
    return [text for _, rows in blocks for text in rows]


THAI = re.compile(r"[\u0e01-\u0e4e]")


def joined_cell(lines: list[str]) -> str:
    """A table cell's lines as one: a cell wraps its text wherever the column ends, and Thai writes no
    space between words, so two Thai ends meet without a space; anything else is joined by one."""
    text = ""
    for line in lines:
        if text and not text.endswith(" ") and not (THAI.match(text[-1]) and THAI.match(line.lstrip()[:1])):
            text += " "
        text += line
    return " ".join(text.split())


RE_STARTS_ITEM = re.compile(r"^(?:[-•*|]|\(?[0-9๐-๙]{1,2}\s*[.)]|มิติที่|ส่วนที่)")


def unwrapped(lines: list[tuple[float, str, float, float]]) -> list[tuple[float, str]]:
    """Lines the page wrapped joined again: a line that runs to the right edge of the text continues on
    the next line when that one starts at the same left edge and does not start an item of its own.
    A line that starts right of the text's left edge keeps its indent (a sub-item under its step)."""
    right = max((x1 for *_, x1 in lines), default=0.0)
    left = min((x0 for _, _, x0, _ in lines), default=0.0)
    joined: list[list] = []
    for top, text, x0, x1 in lines:
        text = text.strip()
        if joined:
            previous = joined[-1]
            if previous[3] >= right - 12 and abs(x0 - previous[2]) <= 2 and not RE_STARTS_ITEM.match(text):
                previous[1] = f"{previous[1]} {text}"
                previous[3] = x1
                continue
        joined.append([top, text, x0, x1])
    return [(top, " " * round((x0 - left) / 10) + text) for top, text, x0, _ in joined]


def char_lines(chars: list[dict]) -> list[tuple[float, str, float, float]]:
    """Characters grouped into lines by their top, each line in drawing order: (top, text, left, right)."""
    lines: list[tuple[float, list[dict]]] = []
    for char in chars:
        if char["text"].startswith("(cid:"):
            continue
        for top, members in lines:
            if abs(char["top"] - top) <= 2:
                members.append(char)
                break
        else:
            lines.append((char["top"], [char]))
    lines.sort(key=lambda line: line[0])
    result = []
    for top, members in lines:
        text = "".join(c["text"] for c in members)
        visible = [c for c in members if c["text"].strip()] or members
        result.append((top, text, min(c["x0"] for c in visible), max(c["x1"] for c in visible)))
    return result
