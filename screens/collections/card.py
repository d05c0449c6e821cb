"""A reminder or finance charge memo: header, lines (sections, days overdue, interest,
fees), totals and texts. Before issuing: F9 issues, d deletes the highlighted line, l
changes the level, u replaces the texts (Update Reminder Text), r recomputes it from the
current entries. Issued: p shows the text version, w writes PDF + text to a folder,
e e-mails it, x cancels it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.i18n import N_, _
from screens.collections.common import hub, money, right
from screens.collections.prompt import PromptModal, TextViewScreen
from screens.shared.base import BaseScreen, title_bar
from screens.shared.confirm import ConfirmModal
from tui.context import Context
from tui.widgets.footer import FitFooter

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
        service = hub(self.ctx).service
        self.query_core(lambda: service.get(self.kind, self.no), self._show)

    def _show(self, v: Any) -> None:
        self.view = v
        self.query_one("#title", Static).update(f"{self.screen_title()} ({v.status})")
        head = (
            _(
                "{customer_no} {name} · {city} · {value} language\nDate {document_date} "
                "· due {due_date}"
            ).format(
                customer_no=v.customer_no,
                name=v.name,
                city=v.city,
                value=v.language or "default",
                document_date=v.document_date,
                due_date=v.due_date,
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
                              str(ln.due_date or ""), Text(f"{ln.days_overdue} ", justify="right"),
                              right(self.ctx, ln.remaining),
                              right(self.ctx, ln.interest) if ln.interest else "", "",
                              str(ln.level or ""), key=str(ln.line_no))
            else:
                table.add_row("fee", ln.description[:16], "", "", "", "",
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

    def _run(self, call: Any, then: Any = None) -> None:
        def done(result: Any) -> None:
            if isinstance(result, str):
                self.notify(result)
            if then is not None:
                then(result)
            else:
                self.action_reload()

        self.query_core(call, done, group="write")

    def action_issue(self) -> None:
        if not self._draft():
            return
        service = hub(self.ctx).service

        def issued(result: Any) -> None:
            self.notify(result.message)
            self.no = result.issued_no
            self.action_reload()

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(lambda: service.issue(self.kind, self.no), issued)

        total = money(self.ctx, self.view.total)
        self.app.push_screen(
            ConfirmModal(
                _("Issue {no}?").format(no=self.no),
                _("Total {total}; interest and fees post as the terms say.").format(total=total),
            ),
            answered,
        )

    def action_delete_line(self) -> None:
        table = self.query_one(DataTable)
        if not self._draft() or table.cursor_row is None or not self.view.lines:
            return
        line_no = self.view.lines[table.cursor_row].line_no
        service = hub(self.ctx).service
        self._run(lambda: service.delete_line(self.kind, self.no, line_no))

    def action_level(self) -> None:
        if not self._draft() or self.kind != "reminder":
            return
        service = hub(self.ctx).service

        def answered(value: str | None) -> None:
            if value:
                if not value.isdigit():
                    self.notify(_("'{value}' is not a level number").format(value=value),
                                severity="warning")
                    return
                self._run(lambda: service.change_level(self.no, int(value)))

        self.app.push_screen(PromptModal(_("New reminder level:"), str(self.view.level)),
                             answered)

    def action_update_text(self) -> None:
        if not self._draft():
            return
        service = hub(self.ctx).service
        self._run(lambda: service.update_text(self.kind, self.no))

    def action_recompute(self) -> None:
        if not self._draft():
            return
        service = hub(self.ctx).service

        def done(result: Any) -> None:
            new_no, message = result
            self.notify(message)
            if new_no is None:
                self.app.pop_screen()
                return
            self.no = new_no
            self.action_reload()

        self._run(lambda: service.recompute(self.kind, self.no), done)

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
        documents = hub(self.ctx).documents
        self.query_core(lambda: documents.text(self.kind, self.no),
                        lambda text: self.app.push_screen(TextViewScreen(self.no, text)))

    def action_write(self) -> None:
        if not self._issued():
            return
        documents = hub(self.ctx).documents

        def answered(folder: str | None) -> None:
            if folder:
                self._run(lambda: documents.write(self.kind, self.no, Path(folder).expanduser()),
                          lambda files: self.notify(_("Wrote {value} and {name}").format(
                                                       value=files[0], name=files[1].name)))

        self.app.push_screen(PromptModal(_("Write the PDF and text to folder:"),
                                         str(Path.home() / "lettrage-documents")), answered)

    def action_send(self) -> None:
        if not self._issued():
            return
        h = hub(self.ctx)

        def answered(to: str | None) -> None:
            if to is not None:
                self._run(lambda: h.documents.send(self.kind, self.no, h.smtp_settings(), to),
                          lambda address: self._say(_("Sent {no} to {address}").format(
                                                       no=self.no, address=address)))

        self.app.push_screen(PromptModal(_("E-mail to (blank: the customer's address):"),
                                         self.view.email), answered)

    def action_cancel_issued(self) -> None:
        if not self._issued() or self.view.status == "canceled":
            return
        service = hub(self.ctx).service

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(lambda: service.cancel(self.kind, self.no),
                          lambda r: self._say(r.message))

        self.app.push_screen(
            ConfirmModal(
                _("Cancel {no}?").format(no=self.no),
                _("Its posting is reversed and the reminder level rolls back."),
            ),
            answered,
        )

    def _say(self, message: str) -> None:
        self.notify(message)
        self.action_reload()
