"""A posted sales or purchase invoice / credit memo: header and lines."""

from __future__ import annotations

from typing import Any

from core.queries.types import Page, PageRequest, PostedDocumentView
from screens.shared.base import ListScreen
from screens.shared.columns import doc_type
from tui.context import Context
from tui.widgets.formatting import day
from tui.widgets.lazy_table import Column, Fetch


class PostedDocumentScreen(ListScreen):
    SORTABLE = SEARCHABLE = False
    HELP = "A posted document is read-only; corrections are credit memos."

    def __init__(self, ctx: Context, document: PostedDocumentView) -> None:
        super().__init__(ctx)
        self.document = document

    def screen_title(self) -> str:
        d = self.document
        return (f"Posted {doc_type(d.document_type)} {d.document_no} — {d.party_type.title()} "
                f"{d.party_no} {d.party_name}")

    def filter_words(self) -> list[str]:
        d, nf = self.document, self.ctx.number_format
        words = [f"posted {day(d.posting_date)}", f"due {day(d.due_date) or '—'}",
                 f"excl. VAT {nf.amount(d.amount_excl_vat)}", f"VAT {nf.amount(d.vat_amount)}",
                 f"total {nf.amount(d.amount_incl_vat)} {d.currency}".rstrip()]
        if d.external_document_no:
            words.append(f"ext. {d.external_document_no}")
        return words

    def columns(self) -> list[Column]:
        nf = self.ctx.number_format
        return [Column("Line", 6, lambda r: str(r.line_no // 10000), right=True),
                Column("Account", 7, lambda r: r.gl_account_no),
                Column("Description", 0, lambda r: r.description),
                Column("Excl. VAT", 12, lambda r: nf.amount(r.amount_excl_vat), right=True),
                Column("VAT %", 6, lambda r: r.vat_pct, right=True),
                Column("VAT", 10, lambda r: nf.amount(r.vat_amount), right=True)]

    def make_fetch(self) -> Fetch:
        lines = self.document.lines

        def fetch(_request: PageRequest) -> Any:
            return Page.whole(lines)

        return fetch
