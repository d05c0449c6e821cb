"""Plain-text rendering of a document (for e-mail bodies, terminals and archives)."""

from __future__ import annotations

import textwrap

from core.documents.model import Column, Document

WIDTH = 76  # fits an 80-column terminal with a border and a scrollbar


def _cell(value: str, width: int, numeric: bool) -> str:
    value = value if len(value) <= width else value[: max(width - 1, 0)] + "…"
    return value.rjust(width) if numeric else value.ljust(width)


def _widths(columns: list[Column]) -> list[int]:
    room = WIDTH - (len(columns) - 1)
    total = sum(c.width for c in columns) or 1
    widths = [c.width for c in columns] if total <= room else \
        [max(4, c.width * room // total) for c in columns]
    widths[0] += room - sum(widths)
    return widths


def render_text(doc: Document) -> str:
    out: list[str] = []
    out += list(doc.company.all_lines())
    if doc.company.vat_no:
        out.append(doc.company.vat_no)
    out.append("")
    out += [f"{' ' * 44}{line}" for line in doc.recipient.all_lines()]
    out.append("")
    out.append(f"{doc.title} {doc.number}".upper())
    for label, value in doc.header_fields:
        out.append(f"{label + ':':<22}{value}")
    out.append("")
    for paragraph in doc.beginning_texts:
        out += textwrap.wrap(paragraph, WIDTH) or [""]
    if doc.beginning_texts:
        out.append("")
    if doc.columns:
        keep = [i for i, c in enumerate(doc.columns) if c.in_text]
        columns = [doc.columns[i] for i in keep]
        widths = _widths(columns)
        out.append(" ".join(_cell(c.title, w, c.numeric) for c, w in zip(columns, widths,
                                                                         strict=True)))
        out.append("-" * WIDTH)
        headings = dict(doc.sections)
        for i, row in enumerate(doc.rows):
            if i in headings:
                out.append(headings[i])
            out.append(" ".join(_cell(row[k], w, c.numeric) for k, c, w in zip(
                keep, columns, widths, strict=True)).rstrip())
        out.append("-" * WIDTH)
    for total in doc.totals:
        line = f"{total.label:>{WIDTH - 20}} {doc.amount(total.amount):>15} {doc.currency}"
        out.append(line.upper() if total.strong else line)
    out.append("")
    for paragraph in doc.ending_texts:
        out += textwrap.wrap(paragraph, WIDTH) or [""]
    if doc.footer:
        out += ["", doc.footer]
    return "\n".join(out).rstrip() + "\n"
