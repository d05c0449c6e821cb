"""One-page A4 PDF rendering of a document with fpdf2.

A Unicode TrueType font (DejaVu Sans) is used when the system has one, so French
accents, the euro sign and narrow spaces print; otherwise the PDF core font with
Latin-1 text (the euro sign spelled EUR)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fpdf import FPDF

from core.documents.model import Document

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts"), Path("/Library/Fonts"),
             Path("C:/Windows/Fonts"))
MARGIN = 18.0
LINE = 5.0


def _font(pdf: FPDF) -> tuple[str, bool]:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold if bold.exists() else regular))
            return "DejaVu", True
    return "Helvetica", False


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.add_page()
        self.family, self.unicode = _font(self.pdf)
        self.width = self.pdf.w - 2 * MARGIN

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        value = value.replace("€", "EUR").replace("\u202f", " ").replace("\u2026", "...")
        return value.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def lines(self, values: tuple[str, ...] | list[str], size: float = 10,
              bold_first: bool = False, x: float | None = None) -> None:
        for i, value in enumerate(values):
            self.font(size, bold_first and i == 0)
            if x is not None:
                self.pdf.set_x(x)
            self.pdf.cell(0, LINE, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, value: str) -> None:
        self.font(10)
        self.pdf.multi_cell(self.width, LINE, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def table(self) -> None:
        doc = self.doc
        total = sum(c.width for c in doc.columns) or 1
        widths = [self.width * c.width / total for c in doc.columns]
        self.font(8.5, True)
        self.pdf.set_fill_color(235, 235, 235)
        for col, w in zip(doc.columns, widths, strict=True):
            self.pdf.cell(w, 6, self.text(col.title), align="R" if col.numeric else "L",
                          fill=True)
        self.pdf.ln(6)
        headings = dict(doc.sections)
        for i, row in enumerate(doc.rows):
            if i in headings:
                self.font(8.5, True)
                self.pdf.cell(0, LINE, self.text(headings[i]), new_x="LMARGIN", new_y="NEXT")
            self.font(8.5)
            for value, col, w in zip(row, doc.columns, widths, strict=True):
                self.pdf.cell(w, LINE, self.text(_fit(self.pdf, value, w)),
                              align="R" if col.numeric else "L")
            self.pdf.ln(LINE)
        self.pdf.line(MARGIN, self.pdf.get_y() + 1, MARGIN + self.width, self.pdf.get_y() + 1)
        self.pdf.ln(3)

    def totals(self) -> None:
        for total in self.doc.totals:
            self.font(10, total.strong)
            self.pdf.cell(self.width - 45, LINE, self.text(total.label), align="R")
            self.pdf.cell(45, LINE, self.text(f"{self.doc.amount(total.amount)} "
                                              f"{self.doc.currency}"), align="R",
                          new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(3)


def _fit(pdf: FPDF, value: str, width: float) -> str:
    while value and pdf.get_string_width(value) > width - 1.5:
        value = value[:-2] + "…" if len(value) > 2 else ""
    return value


def render_pdf(doc: Document) -> bytes:
    """The document as a one-page A4 PDF (long tables are cut with a note)."""
    w = _Writer(doc)
    w.lines(list(doc.company.all_lines()) + ([doc.company.vat_no] if doc.company.vat_no
                                              else []), size=9, bold_first=True)
    w.pdf.set_y(50)
    w.lines(doc.recipient.all_lines(), size=10, bold_first=True, x=110)
    w.pdf.set_y(80)
    w.font(15, True)
    w.pdf.cell(0, 8, w.text(f"{doc.title} {doc.number}"), new_x="LMARGIN", new_y="NEXT")
    for label, value in doc.header_fields:
        w.font(9)
        w.pdf.cell(40, LINE, w.text(label))
        w.pdf.cell(0, LINE, w.text(value), new_x="LMARGIN", new_y="NEXT")
    w.pdf.ln(3)
    for p in doc.beginning_texts:
        w.paragraph(p)
    w.pdf.ln(2)
    room = int((w.pdf.h - 95 - w.pdf.get_y()) // LINE)
    rows = doc.rows
    if len(rows) > room:  # one page: keep the first rows and say how many are left out
        doc = _cut(doc, room)
        w.doc = doc
    if doc.columns:
        w.table()
    w.totals()
    for p in doc.ending_texts:
        w.paragraph(p)
    if doc.footer:
        w.pdf.set_y(w.pdf.h - MARGIN - LINE)
        w.font(7.5)
        w.pdf.cell(0, LINE, w.text(doc.footer), align="C")
    return bytes(w.pdf.output())


def _cut(doc: Document, room: int) -> Document:
    keep = max(room - 1, 1)
    left = len(doc.rows) - keep
    note = (f"... {left} more lines",) + ("",) * (len(doc.columns) - 1)
    return replace(doc, rows=(*doc.rows[:keep], note),
                   sections=tuple(s for s in doc.sections if s[0] < keep))
