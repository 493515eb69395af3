"""Plan files made in the tests from a plan's text: Word (tab rows as tables) and PDF (Sarabun, ruled
tables), as a municipality's office software would save them."""

from __future__ import annotations

import io
from itertools import groupby


def blocks(text: str) -> list[tuple[bool, list[str]]]:
    """Runs of lines: (True, rows) for tab-separated table rows, (False, lines) for the rest."""
    return [(is_table, list(lines)) for is_table, lines in groupby(text.split("\n"), key=lambda line: "\t" in line)]


def as_docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    for is_table, lines in blocks(text):
        if not is_table:
            for line in lines:
                document.add_paragraph(line)
            continue
        rows = [line.split("\t") for line in lines]
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for row, cells in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, cells, strict=False):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(text: str) -> bytes:
    from fontpkg_sarabun import ROOT as SARABUN
    from fpdf import FPDF

    pdf = FPDF(orientation="L")
    pdf.add_font("Sarabun", "", str(SARABUN / "files" / "Sarabun-Regular.ttf"))
    pdf.set_font("Sarabun", size=9)
    pdf.set_text_shaping(True)
    pdf.add_page()
    for is_table, lines in blocks(text):
        if not is_table:
            for line in lines:
                indent = len(line) - len(line.lstrip())  # an indented line stays indented on the page
                pdf.set_x(pdf.l_margin + 4 * indent)
                pdf.multi_cell(0, 6, line.strip() or " ", new_x="LMARGIN", new_y="NEXT")
            continue
        rows = [line.split("\t") for line in lines]
        width = max(len(r) for r in rows)
        with pdf.table(col_widths=[1] * width, first_row_as_headings=False, line_height=5) as table:
            for cells in rows:
                row = table.row()
                for value in cells + [""] * (width - len(cells)):
                    row.cell(value)
    return bytes(pdf.output())
