"""Unposted sales invoices and credit memos: the list and the card (header, lines,
totals). F9 posts (an invoice whose payment method has a balancing account is paid at
posting), v previews; posted documents are read on the customer ledger entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.kernel.money import parse_amount
from core.ledger.drafts import PostingResult
from core.queries.types import Page, PageRequest
from core.registration.sales_types import SalesDocumentInput, SalesDocumentView, SalesLineInput
from screens.application.line_form import parse_day
from screens.application.support import posting_text
from screens.prediction.figures import draft_prediction_line
from screens.reconciliation.dialogs import TextModal
from screens.registration.forms import Field, FormModal, Lookup
from screens.registration.setup_screens import PaymentMethodsScreen, services
from screens.shared.base import BaseScreen, ListScreen, title_bar
from screens.shared.confirm import ConfirmModal
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import day
from tui.widgets.lazy_table import Column, Fetch, LazyTable
from tui.workers import core_worker

TYPES = {"invoice": N_("Invoice"), "credit_memo": N_("Credit memo")}
LINE_TYPES = ((N_("G/L account"), "gl_account"), (N_("Item"), "item"))
ASK_POST = N_("Do you want to post the {0}?")


def _opt_day(text: str, ctx: Context) -> Any:
    return parse_day(text, ctx.today()) if text else None


def header_fields(doc: SalesDocumentView | None, ctx: Context, customer: str = ""
                  ) -> list[Field]:
    def d(v: Any) -> str:
        return v.isoformat() if v else ""

    return [
        Field("customer", _("Customer No."), doc.customer_no if doc else customer),
        Field("posting", _("Posting Date"), d(doc.posting_date) if doc else
              ctx.today().isoformat()),
        Field("document", _("Document Date"), d(doc.document_date) if doc else ""),
        Field("due", _("Due Date (blank: terms)"), d(doc.due_date) if doc else ""),
        Field("disc_date", _("Pmt. Discount Date"), d(doc.pmt_discount_date) if doc else ""),
        Field("disc_pct", _("Payment Discount %"), str(doc.payment_discount_pct) if doc else ""),
        Field("ext", _("External Document No."), doc.external_document_no if doc else ""),
        Field("method", _("Payment Method"),
              doc.payment_method_code if doc else ""),
        Field("applies", _("Applies-to Doc. No."), doc.applies_to_doc_no if doc else ""),
    ]


def header_input(values: dict[str, str], doc_type: str, ctx: Context,
                 lines: tuple[SalesLineInput, ...], keep_terms: bool) -> SalesDocumentInput:
    return SalesDocumentInput(
        doc_type, values["customer"].upper(), parse_day(values["posting"], ctx.today()),
        lines, document_date=_opt_day(values["document"], ctx),
        due_date=_opt_day(values["due"], ctx) if keep_terms or values["due"] else None,
        pmt_discount_date=_opt_day(values["disc_date"], ctx) if values["disc_date"] else None,
        payment_discount_pct=parse_amount(values["disc_pct"]) if values["disc_pct"] else None,
        external_document_no=values["ext"],
        payment_method_code=values["method"].upper() or None,
        applies_to_doc_no=values["applies"])


@dataclass
class DocumentPosted(Outcome, namespace="sales_posting"):
    document: SalesDocumentView
    result: PostingResult


@dataclass
class PostingPreviewed(Outcome, namespace="sales_posting"):
    result: PostingResult


class SalesPosting(BaseScreen):
    """Post and Preview Posting of a sales document, for the list and the card; after a
    posting ``document_posted`` runs (the screen refreshes or closes)."""

    def document_posted(self, result: PostingResult) -> None:
        """The screen's reaction once the document was posted."""

    def post_document(self, doc: SalesDocumentView) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._post_document(doc)

        self.app.push_screen(ConfirmModal(_(ASK_POST).format(_(TYPES[doc.document_type]))),
                             answered)

    @core_worker("post")
    def _post_document(self, doc: SalesDocumentView) -> DocumentPosted:
        return DocumentPosted(doc, services(self.ctx).sales.post(
            doc.id, expected_version=doc.version))

    def on_sales_posting_document_posted(self, message: DocumentPosted) -> None:
        doc, result = message.document, message.result
        paid = any(e.document_type in ("payment", "refund") for e in result.ledger_entries)
        self.notify(
            _("Posted {lower} {value}").format(
                lower=_(TYPES[doc.document_type]).lower(), value=result.document_nos[0]
            )
            + (
                _(", paid at once ({payment_method_code})").format(
                    payment_method_code=doc.payment_method_code
                )
                if paid
                else ""
            )
            + _(" (register {register_no}).").format(register_no=result.register_no),
            title=_("Posted"),
        )
        self.document_posted(result)

    def preview_document(self, doc: SalesDocumentView) -> None:
        self._preview_document(doc.id)

    @core_worker("preview")
    def _preview_document(self, header_id: int) -> PostingPreviewed:
        return PostingPreviewed(services(self.ctx).sales.post(header_id, preview=True))

    def on_sales_posting_posting_previewed(self, message: PostingPreviewed) -> None:
        self.app.push_screen(TextModal(_("Preview Posting"), posting_text(
            message.result, self.ctx.number_format, preview=True)))


@dataclass
class DocumentCreated(Outcome, namespace="sales_documents_screen"):
    document: SalesDocumentView


@dataclass
class DocumentDeleted(Outcome, namespace="sales_documents_screen"):
    header_id: int


class SalesDocumentsScreen(SalesPosting, ListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new('invoice')", N_("New invoice"), id="sales.new_invoice"),
        Binding("c", "new('credit_memo')", N_("New cr. memo"), id="sales.new_credit"),
        Binding("f9", "post", N_("Post"), id="sales.post"),
        Binding("v", "preview", N_("Preview"), id="sales.preview", show=False),
        Binding("delete", "delete", N_("Delete"), id="sales.delete", show=False),
        Binding("m", "methods", N_("Payment methods"), id="sales.methods", show=False),
    ]
    SORTABLE = False
    TITLE_TEXT = N_("Sales Invoices and Credit Memos")
    HELP = (N_("Unposted sales documents. Enter opens the card; n/c create an invoice or a "
            "credit memo; F9 posts the highlighted one, v previews; Del deletes it. "
            "Posted documents are on the customer ledger entries (Enter on an entry)."))

    def __init__(self, ctx: Context, customer_no: str = "") -> None:
        super().__init__(ctx)
        self.customer_no = customer_no

    def columns(self) -> list[Column]:
        nf = self.ctx.number_format
        return [Column(_("Type"), 7, lambda d: _("Invoice") if d.document_type == "invoice"
                       else _("Cr.memo")),
                Column(_("No."), 9, lambda d: d.no),
                Column(_("Cust."), 7, lambda d: d.customer_no),
                Column(_("Name"), 0, lambda d: d.customer_name),
                Column(_("Posting"), 10, lambda d: day(d.posting_date)),
                Column(_("Method"), 6, lambda d: d.payment_method_code),
                Column(_("Incl. VAT"), 11, lambda d: nf.amount(d.totals.amount_incl_vat),
                       right=True)]

    def filter_words(self) -> list[str]:
        who = _("customer {customer_no}").format(customer_no=self.customer_no)
        return [_("unposted"), *([who] if self.customer_no else [])]

    def make_fetch(self) -> Fetch:
        sales, text, customer = services(self.ctx).sales, self.text, self.customer_no

        def fetch(request: PageRequest) -> Any:
            page = sales.documents(request=request, text=text, customer_no=customer)
            return page

        return fetch

    def on_lazy_table_row_selected(self, event: LazyTable.RowSelected) -> None:
        if event.value is not None:
            self.app.push_screen(SalesCardScreen(self.ctx, event.value.id))

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def action_new(self, doc_type: str) -> None:

        def done(values: dict[str, str] | None) -> None:
            if not values:
                return
            try:
                doc = header_input(values, doc_type, self.ctx, (), keep_terms=False)
            except (LettrageError, ValueError) as exc:
                self.notify(str(exc), severity="warning")
                return
            self._create(doc)

        self.app.push_screen(FormModal(_("New sales {lower}").format(
                                          lower=_(TYPES[doc_type]).lower()),
                                       header_fields(None, self.ctx, self.customer_no)),
                             done)

    def action_post(self) -> None:
        doc = self.table.cursor_value
        if doc is not None:
            self.post_document(doc)

    def document_posted(self, result: PostingResult) -> None:
        self.refresh_list()

    def action_preview(self) -> None:
        doc = self.table.cursor_value
        if doc is not None:
            self.preview_document(doc)

    @core_worker("create")
    def _create(self, doc: SalesDocumentInput) -> DocumentCreated:
        return DocumentCreated(services(self.ctx).sales.create(doc))

    def on_sales_documents_screen_document_created(self, message: DocumentCreated) -> None:
        self.app.push_screen(SalesCardScreen(self.ctx, message.document.id))

    @core_worker("delete")
    def _delete(self, header_id: int, version: int) -> DocumentDeleted:
        services(self.ctx).sales.delete(header_id, version)
        return DocumentDeleted(header_id)

    def on_sales_documents_screen_document_deleted(self, message: DocumentDeleted) -> None:
        self.refresh_list()

    def action_delete(self) -> None:
        doc = self.table.cursor_value
        if doc is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(doc.id, doc.version)

        self.app.push_screen(
            ConfirmModal(
                _("Delete {lower} {no}?").format(
                    lower=_(TYPES[doc.document_type]).lower(), no=doc.no
                )
            ),
            answered,
        )

    def action_methods(self) -> None:
        self.app.push_screen(PaymentMethodsScreen(self.ctx))


@dataclass
class DocumentLoaded(Outcome, namespace="sales_card_screen"):
    """The document as saved (after loading or saving it)."""
    document: SalesDocumentView


@dataclass
class PredictionLoaded(Outcome, namespace="sales_card_screen"):
    line: str


class SalesCardScreen(SalesPosting):
    """One document: header, lines and totals."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "header", N_("Header"), id="card.header"),
        Binding("n", "new_line", N_("New line"), id="card.new_line"),
        Binding("f9", "post", N_("Post"), id="card.post"),
        Binding("v,ctrl+alt+f9", "preview", N_("Preview"), id="card.preview"),
        Binding("delete", "delete_line", N_("Delete line"), id="card.delete_line", show=False),
    ]
    HELP = (N_("h edits the header (customer, dates, discount, payment method, applies-to), "
            "n adds a line, Enter edits the highlighted line, Del removes it; F9 posts, "
            "v previews. Blank due date and discount come from the payment terms."))

    def __init__(self, ctx: Context, header_id: int) -> None:
        super().__init__(ctx)
        self.header_id = header_id
        self.doc: SalesDocumentView | None = None

    def compose(self) -> ComposeResult:
        yield title_bar(_("Sales document"))
        yield Static(_("Loading…"), id="head", markup=False)
        yield LazyTable(self._columns(), id="lines", empty_text=_("No lines: n adds one"))
        yield Static("", id="totals", markup=False)
        yield Static("", id="prediction", markup=False)  # late payment prediction (#22)
        yield FitFooter()

    def _columns(self) -> list[Column]:
        nf = self.ctx.number_format
        return [Column(_("No."), 8, lambda ln: ln.no),
                Column(_("Description"), 0, lambda ln: ln.description),
                Column(_("Qty"), 6, lambda ln: f"{ln.quantity.normalize():f}", right=True),
                Column(_("Unit price"), 11, lambda ln: nf.amount(ln.unit_price), right=True),
                Column(_("VAT %"), 5, lambda ln: f"{ln.vat_pct.normalize():f}", right=True),
                Column(_("Amount"), 12, lambda ln: nf.amount(ln.amount), right=True)]

    @property
    def lines_table(self) -> LazyTable:
        return self.query_one("#lines", LazyTable)

    def on_mount(self) -> None:
        self.lines_table.focus()
        self._load(self.header_id)

    @core_worker("load")
    def _load(self, header_id: int) -> DocumentLoaded:
        return DocumentLoaded(services(self.ctx).sales.document(header_id))

    def on_sales_card_screen_document_loaded(self, message: DocumentLoaded) -> None:
        self._show(message.document)

    def _show(self, doc: SalesDocumentView) -> None:
        self.doc = doc
        nf = self.ctx.number_format
        self.query_one("#title", Static).update(
            f"Sales {_(TYPES[doc.document_type]).lower()} {doc.no} — {doc.customer_no} "
            f"{doc.customer_name}"[:60])
        disc = (_("{normalize:f} % until {pmt_discount_date}").format(
                   normalize=doc.payment_discount_pct.normalize(),
                   pmt_discount_date=day(doc.pmt_discount_date))
                if doc.pmt_discount_date else "none")
        head = [_(" Posting {posting_date} · document {document_date} · due {due_date} · "
                   "terms {value}").format(posting_date=day(doc.posting_date),
                   document_date=day(doc.document_date), due_date=day(doc.due_date),
                   value=doc.payment_terms_code or '—'),
                _(" Discount {disc} · method {value} · ext. {value2}").format(disc=disc,
                   value=doc.payment_method_code or '—', value2=doc.external_document_no or '—')
                + (_(" · applies to {applies_to_doc_no}").format(
                      applies_to_doc_no=doc.applies_to_doc_no) if doc.applies_to_doc_no else "")]
        self.query_one("#head", Static).update("\n".join(head))
        t = doc.totals
        self.query_one("#totals", Static).update(
            _(" Excl. VAT {amount_excl_vat} · VAT {vat_amount} · Total {amount_incl_vat} "
               "· discount {pmt_discount}").format(amount_excl_vat=nf.amount(t.amount_excl_vat),
               vat_amount=nf.amount(t.vat_amount), amount_incl_vat=nf.amount(t.amount_incl_vat),
               pmt_discount=nf.amount(t.pmt_discount)))
        lines = doc.lines

        def fetch(_request: PageRequest) -> Any:
            return Page.whole(lines)

        self.lines_table.load(fetch)
        if doc.document_type == "invoice" and doc.lines:
            self._predict(doc)

    @core_worker("prediction")
    def _predict(self, doc: SalesDocumentView) -> PredictionLoaded:
        return PredictionLoaded(" " + draft_prediction_line(self.ctx.services.prediction, doc))

    def on_sales_card_screen_prediction_loaded(self, message: PredictionLoaded) -> None:
        self.query_one("#prediction", Static).update(message.line)

    def _save(self, doc_input: SalesDocumentInput) -> None:
        assert self.doc is not None
        self._update(self.doc.id, doc_input, self.doc.version)

    @core_worker("save")
    def _update(self, header_id: int, doc_input: SalesDocumentInput, version: int
                ) -> DocumentLoaded:
        return DocumentLoaded(services(self.ctx).sales.update(header_id, doc_input, version))

    def action_header(self) -> None:
        doc = self.doc
        if doc is None:
            return

        def done(values: dict[str, str] | None) -> None:
            if not values:
                return
            try:
                same = values["customer"].upper() == doc.customer_no and \
                    values["document"] == (doc.document_date.isoformat())
                new = header_input(values, doc.document_type, self.ctx, doc.lines, same)
                if same and not values["disc_pct"]:
                    new = SalesDocumentInput(**{**new.__dict__, "payment_discount_pct": None})
            except (LettrageError, ValueError) as exc:
                self.notify(str(exc), severity="warning")
                return
            self._save(new)

        self.app.push_screen(FormModal(_("Header"), header_fields(doc, self.ctx)), done)

    def _line_form(self, index: int | None) -> None:
        doc = self.doc
        if doc is None:
            return
        ln = doc.lines[index] if index is not None else None
        fields = [Field("type", _("Type"), ln.line_type if ln else "gl_account", "choice",
                        tuple((_(label), value) for label, value in LINE_TYPES)),
                  Field("no", _("No. (F4: items)"), ln.no if ln else "4100"),
                  Field("description", _("Description"), ln.description if ln else ""),
                  Field("qty", _("Quantity"), f"{ln.quantity.normalize():f}" if ln else "1"),
                  Field("price", _("Unit price"), str(ln.unit_price) if ln else ""),
                  Field("vat", _("VAT %"), f"{ln.vat_pct.normalize():f}" if ln else "19")]

        def done(values: dict[str, str] | None) -> None:
            if not values:
                return
            try:
                new = SalesLineInput(values["no"].strip().upper() if values["type"] == "item"
                                     else values["no"], parse_amount(values["qty"] or "1"),
                                     parse_amount(values["price"] or "0"),
                                     parse_amount(values["vat"] or "0"),
                                     values["description"], line_type=values["type"])
            except ValueError as exc:
                self.notify(str(exc), severity="warning")
                return
            lines = list(doc.lines)
            if index is None:
                lines.append(new)
            else:
                lines[index] = new
            self._save(SalesDocumentInput(**{**doc.as_input().__dict__,
                                             "lines": tuple(lines)}))

        self.app.push_screen(FormModal(_("Line"), fields, lookups={"no": self._item_lookup()}),
                             done)

    def _item_lookup(self) -> Lookup:
        """F4 on No.: the items; the chosen one fills description, price and VAT %."""
        items, seen = services(self.ctx).sales.items, {}

        def search(text: str) -> list[tuple[str, str]]:
            found = items.items(text)
            seen.update({i.no: i for i in found})
            return [(i.no, f"{i.no:<10} {i.description[:34]:<34} {i.unit_price:>9.2f}")
                    for i in found if not i.blocked]

        def fill(no: str) -> dict[str, str]:
            i = seen.get(no)
            if i is None:
                return {}
            return {"type": "item", "description": i.description,
                    "price": f"{i.unit_price:.2f}", "vat": f"{i.vat_pct.normalize():f}"}

        return Lookup(_("Items"), search, fill,
                      start=lambda values: values["no"] if values["type"] == "item" else "")

    def action_new_line(self) -> None:
        self._line_form(None)

    def on_lazy_table_row_selected(self, event: LazyTable.RowSelected) -> None:
        if self.doc is not None and event.value in self.doc.lines:
            self._line_form(self.doc.lines.index(event.value))

    def action_delete_line(self) -> None:
        doc, value = self.doc, self.lines_table.cursor_value
        if doc is None or value is None:
            return
        lines = list(doc.lines)
        lines.remove(value)
        self._save(SalesDocumentInput(**{**doc.as_input().__dict__, "lines": tuple(lines)}))

    def action_post(self) -> None:
        if self.doc is not None:
            self.post_document(self.doc)

    def document_posted(self, result: PostingResult) -> None:
        self.app.pop_screen()

    def action_preview(self) -> None:
        if self.doc is not None:
            self.preview_document(self.doc)


