"""A reminder or finance charge memo: header, lines (sections, days overdue, interest,
fees), totals and texts. Before issuing: F9 issues, d deletes the highlighted line, l
changes the level, u replaces the texts (Update Reminder Text), r recomputes it from the
current entries. Issued: p shows the text version, w writes PDF + text to a folder,
e e-mails it, x cancels it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.collections.views import CancelResult, DocumentView, IssueResult
from core.i18n import N_, NP_, _, format_date
from screens.collections.common import hub, money, right
from screens.collections.prompt import PromptModal, TextViewScreen
from screens.shared.base import BaseScreen, title_bar
from screens.shared.confirm import ConfirmModal
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.workers import core_worker

NAMES = {"reminder": N_("Reminder"), "finance_charge": N_("Finance Charge Memo")}
SECTIONS = {"overdue": N_("due"), "not_due": N_("not due"), "on_hold": N_("hold")}
SHORT = {
    "invoice": N_("Inv."),
    "credit_memo": N_("Cr.memo"),
    "payment": N_("Pmt."),
    "refund": N_("Refund"),
    "reminder": N_("Remind."),
    "finance_charge_memo": N_("FinChg"),
}


STATUS_WORDS = {"draft": NP_("document status", "draft"),
                "issued": NP_("document status", "issued"),
                "canceled": NP_("document status", "canceled")}


@dataclass
class DocumentLoaded(Outcome, namespace="document_card_screen"):
    view: DocumentView


@dataclass
class DraftChanged(Outcome, namespace="document_card_screen"):
    """A draft was changed (a line deleted, its level or texts changed)."""
    notice: str


@dataclass
class DocumentIssued(Outcome, namespace="document_card_screen"):
    result: IssueResult


@dataclass
class DocumentRecomputed(Outcome, namespace="document_card_screen"):
    """The draft was computed again (``new_no`` None: nothing left to remind)."""
    new_no: str | None
    notice: str


@dataclass
class DocumentCanceled(Outcome, namespace="document_card_screen"):
    result: CancelResult


@dataclass
class TextLoaded(Outcome, namespace="document_card_screen"):
    text: str


@dataclass
class FilesWritten(Outcome, namespace="document_card_screen"):
    pdf: Path
    text: Path


@dataclass
class DocumentSent(Outcome, namespace="document_card_screen"):
    address: str


class DocumentCardScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f9", "issue", N_("Issue"), id="card.issue"),
        Binding("p", "text", N_("Text"), id="card.text"),
        Binding("e", "send", N_("E-mail"), id="card.send"),
        Binding("x", "cancel_issued", N_("Cancel issued"), id="card.cancel"),
        Binding("d", "delete_line", N_("Delete line"), id="card.delete", show=False),
        Binding("l", "level", N_("Change level"), id="card.level", show=False),
        Binding("u", "update_text", N_("Update text"), id="card.text_update", show=False),
        Binding("r", "recompute", N_("Recompute"), id="card.recompute", show=False),
        Binding("w", "write", N_("Write PDF"), id="card.write", show=False),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="card.refresh", show=False),
    ]
    HELP = (N_("Draft: F9 issues it; d deletes the highlighted line; l changes the level (fee, "
            "due date and texts follow); u replaces the texts with a level's texts; r "
            "recomputes it from the customer's current entries. Issued: p shows the text "
            "version, w writes the PDF and text to a folder, e e-mails the PDF to the "
            "customer, x cancels it."))
    DEFAULT_CSS = """
    DocumentCardScreen #doc-head { height: auto; padding: 0 1; }
    DocumentCardScreen #doc-lines { height: 1fr; }
    DocumentCardScreen #doc-foot { height: auto; max-height: 6; padding: 0 1;
                                   background: $boost; }
    """

    def __init__(self, ctx: Context, kind: str, no: str) -> None:
        super().__init__(ctx)
        self.kind, self.no = kind, no
        self.view: Any = None

    def screen_title(self) -> str:
        return f"{_(NAMES[self.kind])} {self.no}"

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static(_("Loading…"), id="doc-head", markup=False)
        table: DataTable[str] = DataTable(id="doc-lines", cursor_type="row", cell_padding=0)
        yield table
        yield Static("", id="doc-foot", markup=False)
        yield FitFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in ((_("Sec."), 7), (_("Document"), 16), (_("Due"), 10), (_("Days"), 5),
                             (_("Remaining"), 11), (_("Interest"), 9), (_("Fee"), 7), (_("Lv"), 3)):
            table.add_column(label, width=width + 1)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self._load(self.kind, self.no)

    @core_worker("load")
    def _load(self, kind: str, no: str) -> DocumentLoaded:
        return DocumentLoaded(hub(self.ctx).service.get(kind, no))

    def on_document_card_screen_document_loaded(self, message: DocumentLoaded) -> None:
        v = message.view
        self.view = v
        status = STATUS_WORDS.get(v.status)
        self.query_one("#title", Static).update(
            f"{self.screen_title()} ({_(status) if status else v.status})")
        head = (
            _(
                "{customer_no} {name} · {city} · {value} language\nDate {document_date} "
                "· due {due_date}"
            ).format(
                customer_no=v.customer_no,
                name=v.name,
                city=v.city,
                value=v.language.upper() if v.language else _("default"),
                document_date=format_date(v.document_date),
                due_date=format_date(v.due_date),
            )
            + (_(" · level {level}").format(level=v.level) if self.kind == "reminder" else "")
            + (_(" · terms {terms_code}").format(terms_code=v.terms_code) if v.terms_code else "")
            + (_(" · sent to {sent_to}").format(sent_to=v.sent_to) if v.sent_to else "")
        )
        if v.beginning_texts:
            head += "\n" + " ".join(v.beginning_texts)[:150]
        self.query_one("#doc-head", Static).update(head)
        table = self.query_one(DataTable)
        table.clear()
        for ln in v.lines:
            if ln.line_type == "entry":
                table.add_row(_(SECTIONS.get(ln.section, ln.section)),
                              f"{_(SHORT.get(ln.document_type, ln.document_type[:6]))} "
                              f"{ln.document_no}"[:16],
                              format_date(ln.due_date),
                              Text(f"{ln.days_overdue} ", justify="right"),
                              right(self.ctx, ln.remaining),
                              right(self.ctx, ln.interest) if ln.interest else "", "",
                              str(ln.level or ""), key=str(ln.line_no))
            else:
                table.add_row(_("fee"), ln.description[:16], "", "", "", "",
                              right(self.ctx, ln.fee), "", key=str(ln.line_no))
        fees = v.additional_fee + v.line_fee
        foot = _(
            "Remaining {ctx} + interest {ctx2} + fees {ctx3} = total {ctx4} {currency}"
        ).format(
            ctx=money(self.ctx, v.remaining),
            ctx2=money(self.ctx, v.interest),
            ctx3=money(self.ctx, fees),
            ctx4=money(self.ctx, v.total),
            currency=v.currency,
        )
        if self.kind == "finance_charge":
            foot = (_("Interest {ctx} + fees {ctx2} = total {ctx3} (on {ctx4} overdue)").format(
                       ctx=money(self.ctx, v.interest), ctx2=money(self.ctx, fees),
                       ctx3=money(self.ctx, v.total), ctx4=money(self.ctx, v.remaining)))
        if v.ending_texts:
            foot += "\n" + " ".join(v.ending_texts)[:150]
        self.query_one("#doc-foot", Static).update(foot)

    # --- draft actions --------------------------------------------------------------------

    def _draft(self) -> bool:
        if self.view is None or self.view.status != "draft":
            self.notify(_("{no} is issued; only drafts can be changed").format(no=self.no),
                        severity="warning")
            return False
        return True

    @core_worker("write")
    def _change_draft(self, change: str, kind: str, no: str, value: int = 0) -> DraftChanged:
        service = hub(self.ctx).service
        if change == "delete_line":
            return DraftChanged(service.delete_line(kind, no, value))
        if change == "level":
            return DraftChanged(service.change_level(no, value))
        return DraftChanged(service.update_text(kind, no))

    def on_document_card_screen_draft_changed(self, message: DraftChanged) -> None:
        self.notify(message.notice)
        self.action_reload()

    def action_issue(self) -> None:
        if not self._draft():
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._issue(self.kind, self.no)

        total = money(self.ctx, self.view.total)
        self.app.push_screen(
            ConfirmModal(
                _("Issue {no}?").format(no=self.no),
                _("Total {total}; interest and fees post as the terms say.").format(total=total),
            ),
            answered,
        )

    @core_worker("write")
    def _issue(self, kind: str, no: str) -> DocumentIssued:
        return DocumentIssued(hub(self.ctx).service.issue(kind, no))

    def on_document_card_screen_document_issued(self, message: DocumentIssued) -> None:
        self.notify(message.result.message)
        self.no = message.result.issued_no
        self.action_reload()

    def action_delete_line(self) -> None:
        table = self.query_one(DataTable)
        if not self._draft() or table.cursor_row is None or not self.view.lines:
            return
        line_no = self.view.lines[table.cursor_row].line_no
        self._change_draft("delete_line", self.kind, self.no, line_no)

    def action_level(self) -> None:
        if not self._draft() or self.kind != "reminder":
            return
        def answered(value: str | None) -> None:
            if value:
                if not value.isdigit():
                    self.notify(_("'{value}' is not a level number").format(value=value),
                                severity="warning")
                    return
                self._change_draft("level", self.kind, self.no, int(value))

        self.app.push_screen(PromptModal(_("New reminder level:"), str(self.view.level)),
                             answered)

    def action_update_text(self) -> None:
        if not self._draft():
            return
        self._change_draft("text", self.kind, self.no)

    def action_recompute(self) -> None:
        if not self._draft():
            return
        self._recompute(self.kind, self.no)

    @core_worker("write")
    def _recompute(self, kind: str, no: str) -> DocumentRecomputed:
        return DocumentRecomputed(*hub(self.ctx).service.recompute(kind, no))

    def on_document_card_screen_document_recomputed(self, message: DocumentRecomputed
                                                    ) -> None:
        self.notify(message.notice)
        if message.new_no is None:
            self.app.pop_screen()
            return
        self.no = message.new_no
        self.action_reload()

    # --- issued actions -------------------------------------------------------------------

    def _issued(self) -> bool:
        if self.view is None or self.view.status == "draft":
            self.notify(_("{no} is not issued yet (F9 issues it)").format(no=self.no),
                        severity="warning")
            return False
        return True

    def action_text(self) -> None:
        if not self._issued():
            return
        self._load_text(self.kind, self.no)

    @core_worker("load")
    def _load_text(self, kind: str, no: str) -> TextLoaded:
        return TextLoaded(hub(self.ctx).documents.text(kind, no))

    def on_document_card_screen_text_loaded(self, message: TextLoaded) -> None:
        self.app.push_screen(TextViewScreen(self.no, message.text))

    def action_write(self) -> None:
        if not self._issued():
            return
        def answered(folder: str | None) -> None:
            if folder:
                self._write(self.kind, self.no, Path(folder).expanduser())

        self.app.push_screen(PromptModal(_("Write the PDF and text to folder:"),
                                         str(Path.home() / "lettrage-documents")), answered)

    @core_worker("write")
    def _write(self, kind: str, no: str, folder: Path) -> FilesWritten:
        return FilesWritten(*hub(self.ctx).documents.write(kind, no, folder))

    def on_document_card_screen_files_written(self, message: FilesWritten) -> None:
        self.notify(_("Wrote {value} and {name}").format(value=message.pdf,
                                                          name=message.text.name))

    def action_send(self) -> None:
        if not self._issued():
            return

        def answered(to: str | None) -> None:
            if to is not None:
                self._send(self.kind, self.no, to)

        self.app.push_screen(PromptModal(_("E-mail to (blank: the customer's address):"),
                                         self.view.email), answered)

    @core_worker("write")
    def _send(self, kind: str, no: str, to: str) -> DocumentSent:
        h = hub(self.ctx)
        return DocumentSent(h.documents.send(kind, no, h.smtp_settings(), to))

    def on_document_card_screen_document_sent(self, message: DocumentSent) -> None:
        self.notify(message.address)  # as before: the address, then the sentence
        self._say(_("Sent {no} to {address}").format(no=self.no, address=message.address))

    def action_cancel_issued(self) -> None:
        if not self._issued() or self.view.status == "canceled":
            return
        def answered(yes: bool | None) -> None:
            if yes:
                self._cancel(self.kind, self.no)

        self.app.push_screen(
            ConfirmModal(
                _("Cancel {no}?").format(no=self.no),
                _("Its posting is reversed and the reminder level rolls back."),
            ),
            answered,
        )

    @core_worker("write")
    def _cancel(self, kind: str, no: str) -> DocumentCanceled:
        return DocumentCanceled(hub(self.ctx).service.cancel(kind, no))

    def on_document_card_screen_document_canceled(self, message: DocumentCanceled) -> None:
        self._say(message.result.message)

    def _say(self, message: str) -> None:
        self.notify(message)
        self.action_reload()
