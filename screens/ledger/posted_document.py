"""A posted sales or purchase invoice / credit memo: header and lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.widgets import Static

from core.i18n import N_, _
from core.ledger.drafts import party_title
from core.prediction.service import PredictionView
from core.queries.types import Page, PageRequest, PostedDocumentView
from screens.shared.base import ListScreen
from screens.shared.columns import doc_type
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.formatting import day
from tui.widgets.lazy_table import Column, Fetch
from tui.workers import core_worker


@dataclass
class PredictionLoaded(Outcome, namespace="posted_document_screen"):
    """The late payment prediction of the invoice (none when there is none)."""
    predictions: list[PredictionView]


class PostedDocumentScreen(ListScreen):
    SORTABLE = SEARCHABLE = False
    HELP = N_("A posted document is read-only; corrections are credit memos.")

    def __init__(self, ctx: Context, document: PostedDocumentView) -> None:
        super().__init__(ctx)
        self.document = document
        self.prediction = ""  # late payment prediction (#22) of a sales invoice

    def on_mount(self) -> None:
        super().on_mount()
        d = self.document
        if d.party_type == "customer" and d.document_type == "invoice":
            self._load_prediction(d.party_no, d.document_no)

    @core_worker("prediction")
    def _load_prediction(self, party_no: str, document_no: str) -> PredictionLoaded:
        return PredictionLoaded([v for v in self.ctx.services.prediction.predictions(party_no)
                                 if v.document_no == document_no])

    def on_posted_document_screen_prediction_loaded(self, message: PredictionLoaded) -> None:
        views = message.predictions
        if not views:
            return
        v = views[0]
        self.prediction = (_("{value} ({confidence} {confidence_pct}%), expected "
                              "{expected_payment_date}").format(
                              value=_('predicted LATE') if v.late else _('predicted on time'),
                              confidence=_(v.confidence), confidence_pct=v.confidence_pct,
                              expected_payment_date=day(v.expected_payment_date)))
        self.query_one("#filters", Static).update(self._filter_line())
        if v.late:  # BC's notification on the sales document
            self.notify(_("The payment is predicted to be late, with {confidence_pct}% "
                           "confidence: {reasons}").format(confidence_pct=v.confidence_pct,
                           reasons='; '.join(v.reasons)), timeout=8)

    def screen_title(self) -> str:
        d = self.document
        return (_("Posted {document_type} {document_no} — {title} {party_no} {party_name}").format(
                   document_type=doc_type(d.document_type), document_no=d.document_no,
                   title=party_title(d.party_type), party_no=d.party_no, party_name=d.party_name))

    def filter_words(self) -> list[str]:
        d, nf = self.document, self.ctx.number_format
        words = [
            _("posted {posting_date}").format(posting_date=day(d.posting_date)),
            _("due {value}").format(value=day(d.due_date) or "—"),
            _("excl. VAT {amount_excl_vat}").format(amount_excl_vat=nf.amount(d.amount_excl_vat)),
            _("VAT {vat_amount}").format(vat_amount=nf.amount(d.vat_amount)),
            f"total {nf.amount(d.amount_incl_vat)} {d.currency}".rstrip(),
        ]
        if d.external_document_no:
            words.append(_("ext. {external_document_no}").format(
                            external_document_no=d.external_document_no))
        if self.prediction:
            words.append(self.prediction)
        return words

    def columns(self) -> list[Column]:
        nf = self.ctx.number_format
        return [Column(_("Line"), 6, lambda r: str(r.line_no // 10000), right=True),
                Column(_("Account"), 7, lambda r: r.gl_account_no),
                Column(_("Description"), 0, lambda r: r.description),
                Column(_("Excl. VAT"), 12, lambda r: nf.amount(r.amount_excl_vat), right=True),
                Column(_("VAT %"), 6, lambda r: r.vat_pct, right=True),
                Column(_("VAT"), 10, lambda r: nf.amount(r.vat_amount), right=True)]

    def make_fetch(self) -> Fetch:
        lines = self.document.lines

        def fetch(_request: PageRequest) -> Any:
            return Page.whole(lines)

        return fetch
