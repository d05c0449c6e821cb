"""The bank statement import dialog: pick a file, see what would happen, confirm.

Open it with ``app.push_screen(ImportStatementModal(service), callback)``; the
callback gets the ``ImportResult`` or ``None`` when the clerk cancels. Parsing,
preview and import run in a thread worker (a big CAMT file takes seconds), so the
dialog stays responsive and shows a running progress bar; workers only post messages.
The dialog talks to storage only through the ``StatementImportService`` it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    DirectoryTree,
    Label,
    ProgressBar,
    Select,
    Static,
)

from core.i18n import N_, _, format_amount, format_date
from core.kernel.errors import LettrageError
from core.statements import FORMATS, ProfileError, list_profiles
from core.statements.importer import (
    BankChoice,
    ImportPreview,
    ImportResult,
    StatementImportService,
)

AUTO = "auto"
KIND_LABELS = {"new": N_("new"), "duplicate": N_("already imported"),
               "suspicious": N_("SUSPICIOUS"), "skipped": N_("not booked")}


class BankAccountsLoaded(Message):
    """The worker read the bank accounts the dialog offers."""

    def __init__(self, banks: list[BankChoice]) -> None:
        super().__init__()
        self.banks = banks


class PreviewLoaded(Message):
    """The worker classified the chosen file's lines (nothing written)."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__()
        self.preview = preview


class StatementImported(Message):
    """The worker imported the statement (its lines are in the journal)."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__()
        self.result = result


PreviewReady = PreviewLoaded  # the former names
ImportDone = StatementImported


class WorkFailed(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ImportStatementModal(ModalScreen[ImportResult | None]):
    """Choose a statement file, preview duplicates and warnings, then import."""

    DEFAULT_CSS = """
    ImportStatementModal { align: center middle; }
    ImportStatementModal > Vertical { width: 100%; height: 100%; border: thick $primary;
        background: $surface; padding: 0 1; }
    ImportStatementModal #body { height: 1fr; }
    ImportStatementModal DirectoryTree { width: 30%; min-width: 24; height: 1fr; }
    ImportStatementModal #side { width: 1fr; height: 1fr; padding-left: 1; }
    ImportStatementModal #options { height: auto; layout: vertical; }
    ImportStatementModal #options Select { width: 100%; }
    ImportStatementModal #options SelectCurrent { height: 1; border: none; padding: 0 1; }
    ImportStatementModal #options SelectCurrent Static#label { height: 1; overflow: hidden;
        text-wrap: nowrap; text-overflow: ellipsis; }
    ImportStatementModal Checkbox { height: 1; border: none; padding: 0; }
    ImportStatementModal #buttons Button { height: 1; min-width: 10; border: none; }
    ImportStatementModal #summary { height: auto; max-height: 12; overflow-y: auto; }
    ImportStatementModal DataTable { height: 1fr; }
    ImportStatementModal ProgressBar { height: 1; }
    ImportStatementModal #buttons { height: auto; align-horizontal: right; }
    ImportStatementModal .error { color: $error; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("f5", "preview", N_("Preview")),
        Binding("ctrl+s", "confirm", N_("Import")),
    ]

    def __init__(self, service: StatementImportService,
                 bank_accounts: Sequence[BankChoice] | None = None,
                 profiles_dir: Path | None = None, start_dir: Path | None = None,
                 bank_no: str | None = None) -> None:
        super().__init__()
        self.wanted_bank = bank_no  # preselected once the bank accounts are loaded
        self.service = service
        self.banks = list(bank_accounts) if bank_accounts is not None else None
        self.profiles_dir = profiles_dir
        self.start_dir = start_dir or Path.cwd()
        self.path: Path | None = None
        self.preview: ImportPreview | None = None
        self.busy = False

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("[b]" + _("Import bank statement") + "[/b]  "
                        + _("(Enter: choose file · F5: preview · Ctrl+S: import · Esc: cancel)"))
            with Horizontal(id="body"):
                yield DirectoryTree(self.start_dir, id="files")
                with Vertical(id="side"):
                    yield Label(_("No file chosen"), id="file", markup=False)
                    with Horizontal(id="options"):
                        yield Select(self._bank_options(), prompt=_("Bank account: by IBAN"),
                                     id="bank")
                        yield Select([(f, f) for f in FORMATS], value=AUTO,
                                     allow_blank=False, id="format")
                        yield Select(self._profile_options(), prompt=_("CSV profile: by header"),
                                     id="profile")
                    yield Checkbox(_("Skip suspicious lines"), id="skip")
                    yield ProgressBar(total=None, show_eta=False, show_percentage=False,
                                      id="loading")
                    yield Static("", id="summary", markup=False)
                    yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="buttons"):
                yield Button(_("Preview"), id="preview")
                yield Button(_("Import"), id="import", variant="primary", disabled=True)
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#loading").display = False
        table = self.query_one("#lines", DataTable)
        table.add_columns("#", _("What"), _("Date"), _("Amount"), _("Counterparty"), _("Why"))
        self.query_one("#files", DirectoryTree).focus()
        if self.banks is None:
            self._load_banks()
        else:
            self._choose_bank()

    def _bank_options(self) -> list[tuple[str, str]]:
        """The banks given to the dialog; else none until ``_load_banks`` read them."""
        return [(b.label, b.no) for b in self.banks or ()]

    def _profile_options(self) -> list[tuple[str, str]]:
        try:
            return [(p.name, p.name) for p in list_profiles(self.profiles_dir)]
        except ProfileError:
            return []

    # --- choices -------------------------------------------------------------------------

    @on(DirectoryTree.FileSelected)
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        self.path = Path(event.path)
        self.query_one("#file", Label).update(_("File: {path}").format(path=self.path))
        self.action_preview()

    @on(Select.Changed)
    def _option_changed(self) -> None:
        if self.path is not None:
            self.action_preview()

    def _options(self) -> dict[str, Any]:
        bank = self.query_one("#bank", Select).value
        fmt_value = self.query_one("#format", Select).value
        profile = self.query_one("#profile", Select).value
        return {
            "bank_account_no": bank if isinstance(bank, str) else None,
            "format": fmt_value if isinstance(fmt_value, str) else AUTO,
            "profile": profile if isinstance(profile, str) else None,
            "profiles_dir": self.profiles_dir,
        }

    # --- actions -------------------------------------------------------------------------

    def action_preview(self) -> None:
        if self.path is None or self.busy:
            return
        self._start(f"Reading {self.path.name}…")
        self._run_preview(self.path, self._options())

    def action_confirm(self) -> None:
        if self.preview is None or self.busy or not self._importable(self.preview):
            return
        self._start("Importing…")
        skip = self.query_one("#skip", Checkbox).value
        self._run_import(self.preview, self._options(), skip)

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    @on(Button.Pressed, "#preview")
    def _preview_pressed(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#import")
    def _import_pressed(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # --- workers (thread: never touch widgets, only post messages) -----------------------

    @work(thread=True, group="statement-banks")
    def _load_banks(self) -> None:
        try:
            banks = self.service.bank_accounts()
        except LettrageError:
            banks = []
        self.post_message(BankAccountsLoaded(banks))

    @work(thread=True, exclusive=True, group="statement-import")
    def _run_preview(self, path: Path, options: dict[str, Any]) -> None:
        try:
            self.post_message(PreviewLoaded(self.service.preview(path, **options)))
        except LettrageError as exc:
            self.post_message(WorkFailed(str(exc)))

    @work(thread=True, exclusive=True, group="statement-import")
    def _run_import(self, preview: ImportPreview, options: dict[str, Any], skip: bool) -> None:
        try:
            self.post_message(StatementImported(self.service.import_(
                preview, options["bank_account_no"], skip_suspicious=skip)))
        except LettrageError as exc:
            self.post_message(WorkFailed(str(exc)))

    # --- results -------------------------------------------------------------------------

    @on(BankAccountsLoaded)
    def _banks_loaded(self, message: BankAccountsLoaded) -> None:
        self.banks = message.banks
        self.query_one("#bank", Select).set_options(self._bank_options())
        self._choose_bank()

    def _choose_bank(self) -> None:
        if self.wanted_bank and any(b.no == self.wanted_bank for b in self.banks or ()):
            self.query_one("#bank", Select).value = self.wanted_bank

    @on(PreviewLoaded)
    def _show_preview(self, message: PreviewLoaded) -> None:
        self._stop()
        self.preview = message.preview
        self._summary(message.preview.describe(with_lines=False), error=False)
        self._fill_table(message.preview)
        self.query_one("#import", Button).disabled = not self._importable(message.preview)

    @on(StatementImported)
    def _done(self, message: StatementImported) -> None:
        self._stop()
        self.dismiss(message.result)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self._stop()
        self.preview = None
        self.query_one("#import", Button).disabled = True
        self.query_one("#lines", DataTable).clear()
        self._summary(message.text, error=True)

    def _fill_table(self, preview: ImportPreview) -> None:
        table = self.query_one("#lines", DataTable)
        table.clear()
        for sp in preview.statements:
            for v in sp.lines:
                why = "" if v.kind == "new" else v.reason
                table.add_row(str(v.line_no), _(KIND_LABELS[v.kind]), format_date(v.booking_date),
                              format_amount(v.amount), (v.counterparty or v.remittance)[:30], why)

    def _summary(self, text: str, error: bool) -> None:
        summary = self.query_one("#summary", Static)
        summary.set_class(error, "error")
        summary.update(text)

    @staticmethod
    def _importable(preview: ImportPreview) -> bool:
        return preview.total("new") + preview.total("suspicious") > 0

    def _start(self, text: str) -> None:
        self.busy = True
        self.query_one("#loading").display = True
        self.query_one("#import", Button).disabled = True
        self._summary(text, error=False)

    def _stop(self) -> None:
        self.busy = False
        self.query_one("#loading").display = False
