"""A4 PDF rendering of a document with fpdf2, on as many pages as its lines need.

A table longer than a page goes on: each following page repeats a short heading (title,
number, recipient) and the column titles; a running balance (``Document.carry_column``)
is carried forward at the foot of a page and brought forward at the top of the next;
every page is numbered "Page n of N" in the document's language.

A Unicode TrueType font (DejaVu Sans) is used when the system has one, so French
accents, the euro sign and narrow spaces print; otherwise the PDF core font with
Latin-1 text (the euro sign spelled EUR)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from core.documents.model import Document
from core.i18n import _, using_language

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts"), Path("/Library/Fonts"),
             Path("C:/Windows/Fonts"))
MARGIN = 18.0
LINE = 5.0
FOOT = MARGIN + 2 * LINE  # the page's foot: the footer text and the page number


def _font(pdf: FPDF) -> tuple[str, bool]:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold if bold.exists() else regular))
            return "DejaVu", True
    return "Helvetica", False


class _Pages(FPDF):
    """FPDF drawing the document's footer and the page number on every page."""

    writer: _Writer

    def footer(self) -> None:
        w = self.writer
        self.set_y(self.h - MARGIN - 2 * LINE)
        w.font(7.5)
        if w.doc.footer:
            self.cell(0, LINE, w.text(w.doc.footer), align="C", new_x="LMARGIN",
                      new_y="NEXT")
        else:
            self.ln(LINE)
        self.cell(0, LINE, w.text(w.page_label.format(page=self.page_no(),
                                                      pages=self.str_alias_nb_pages)),
                  align="R")


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.pdf = _Pages(format="A4")
        self.pdf.writer = self
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.family, self.unicode = _font(self.pdf)
        self.width = self.pdf.w - 2 * MARGIN
        total = sum(c.width for c in doc.columns) or 1
        self.widths = [self.width * c.width / total for c in doc.columns]
        with using_language(doc.language):
            self.page_label = _("Page {page} of {pages}")
            self.carried = _("Carried forward")
            self.brought = _("Brought forward")
        self.pdf.add_page()

    @property
    def bottom(self) -> float:
        return self.pdf.h - FOOT

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

    def room(self, height: float) -> bool:
        return self.pdf.get_y() + height <= self.bottom

    def new_page(self) -> None:
        """A following page: a short heading (title, number, recipient)."""
        self.pdf.add_page()
        self.font(9, True)
        doc = self.doc
        self.pdf.cell(0, LINE, self.text(f"{doc.title} {doc.number} · {doc.recipient.name}"),
                      new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def paragraph(self, value: str) -> None:
        self.font(10)
        if not self.room(3 * LINE):
            self.new_page()
            self.font(10)
        self.pdf.multi_cell(self.width, LINE, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def column_titles(self) -> None:
        self.font(8.5, True)
        self.pdf.set_fill_color(235, 235, 235)
        for col, w in zip(self.doc.columns, self.widths, strict=True):
            self.pdf.cell(w, 6, self.text(col.title), align="R" if col.numeric else "L",
                          fill=True)
        self.pdf.ln(6)

    def row(self, row: tuple[str, ...], bold: bool = False) -> None:
        self.font(8.5, bold)
        for value, col, w in zip(row, self.doc.columns, self.widths, strict=True):
            self.pdf.cell(w, LINE, self.text(_fit(self.pdf, value, w)),
                          align="R" if col.numeric else "L")
        self.pdf.ln(LINE)

    def carry_row(self, label: str, balance: str) -> None:
        cells = [""] * len(self.doc.columns)
        cells[1 if len(cells) > 1 else 0] = label
        cells[self.doc.carry_column] = balance
        self.row(tuple(cells), bold=True)

    def table(self) -> None:
        doc = self.doc
        self.column_titles()
        headings = dict(doc.sections)
        for i, row in enumerate(doc.rows):
            carrying = 0 < i < doc.carry_until and doc.carry_column >= 0
            need = LINE * (2 if i in headings else 1) + (LINE if carrying else 0)
            if not self.room(need):
                balance = doc.rows[i - 1][doc.carry_column] if carrying else ""
                if carrying:
                    self.carry_row(self.carried, balance)
                self.new_page()
                self.column_titles()
                if carrying:
                    self.carry_row(self.brought, balance)
            if i in headings:
                self.font(8.5, True)
                self.pdf.cell(0, LINE, self.text(headings[i]), new_x="LMARGIN", new_y="NEXT")
            self.row(row)
        self.pdf.line(MARGIN, self.pdf.get_y() + 1, MARGIN + self.width, self.pdf.get_y() + 1)
        self.pdf.ln(3)

    def totals(self) -> None:
        for total in self.doc.totals:
            if not self.room(LINE):
                self.new_page()
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
    """The document as an A4 PDF, every line on as many pages as it takes."""
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
    if doc.columns:
        w.table()
    w.totals()
    for p in doc.ending_texts:
        w.paragraph(p)
    return bytes(w.pdf.output())
