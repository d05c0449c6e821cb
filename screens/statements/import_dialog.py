"""The bank statement import dialog: pick a file, see what would happen, confirm.

Open it with ``app.push_screen(ImportStatementModal(service), callback)``; the
callback gets the ``ImportResult`` or ``None`` when the clerk cancels. Parsing,
preview and import run in a thread worker (a big CAMT file takes seconds), so the
dialog stays responsive and shows a running progress bar; workers only post messages.
The dialog talks to storage only through the ``StatementImportService`` it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    OptionList,
    ProgressBar,
    Select,
    Static,
)
from textual.widgets.option_list import Option, OptionDoesNotExist

from core.i18n import N_, _, format_amount, format_date
from core.kernel.errors import LettrageError
from core.statements import FORMATS, ProfileError, list_profiles
from core.statements.importer import (
    BankChoice,
    ImportPreview,
    ImportResult,
    StatementImportService,
)
from screens.statements.folders import UP, folder_entries, remember_folder, start_folder
from tui.messages import CommandFailed, Outcome
from tui.widgets.checkbox import TickBox
from tui.widgets.footer import FitFooter
from tui.workers import core_worker

AUTO = "auto"
KIND_LABELS = {"new": N_("new"), "duplicate": N_("already imported"),
               "suspicious": N_("SUSPICIOUS"), "skipped": N_("not booked")}


@dataclass
class BankAccountsLoaded(Outcome, namespace="import_statement_modal"):
    """The worker read the bank accounts the dialog offers."""
    banks: list[BankChoice]


@dataclass
class PreviewLoaded(Outcome, namespace="import_statement_modal"):
    """The worker classified the chosen file's lines (nothing written)."""
    preview: ImportPreview


@dataclass
class StatementImported(Outcome, namespace="import_statement_modal"):
    """The worker imported the statement (its lines are in the journal)."""
    result: ImportResult


class ImportStatementModal(ModalScreen[ImportResult | None]):
    """Choose a statement file, preview duplicates and warnings, then import."""

    DEFAULT_CSS = """
    ImportStatementModal { align: center middle; }
    ImportStatementModal > Vertical { width: 100%; height: 1fr; border: round $primary;
        background: $surface; padding: 0 1; }
    ImportStatementModal #body { height: 1fr; }
    ImportStatementModal #path-row { height: 1; }
    ImportStatementModal #path-row Label { width: auto; padding-right: 1; }
    ImportStatementModal #path { height: 1; border: none; padding: 0; width: 1fr; }
    ImportStatementModal #files { width: 34%; min-width: 26; height: 1fr; border: none;
        padding: 0; }
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
        Binding("ctrl+s", "confirm", N_("Import"), id="import.confirm"),
        Binding("f5", "preview", N_("Preview"), id="import.preview"),
        Binding("ctrl+l", "edit_path", N_("Type a path"), id="import.path"),
        Binding("backspace", "up", N_("Up a folder"), show=False, id="import.up"),
        Binding("escape", "cancel", N_("Cancel"), id="import.cancel"),
        Binding("f1", "app.help", N_("Help"), id="import.help"),
    ]
    HELP = N_("Type or paste a file's path in the path field (Ctrl+L) and press Enter, or "
              "move in the folder list: Enter opens a folder or chooses a file, Backspace "
              "(or ..) goes up a folder. Folders whose name starts with a dot are hidden. "
              "The dialog starts in the folder used last, else in the bank feed's inbox. "
              "Choosing a file previews it: which lines are new, which were already "
              "imported. Ctrl+S imports the new lines, Esc cancels.")

    def __init__(self, service: StatementImportService,
                 bank_accounts: Sequence[BankChoice] | None = None,
                 profiles_dir: Path | None = None, start_dir: Path | None = None,
                 bank_no: str | None = None) -> None:
        super().__init__()
        self.wanted_bank = bank_no  # preselected once the bank accounts are loaded
        self.service = service
        self.banks = list(bank_accounts) if bank_accounts is not None else None
        self.profiles_dir = profiles_dir
        # the caller's folder (open_import: the folder used last, else the feed inbox)
        self.folder = start_dir.resolve() if start_dir else start_folder()
        self.path: Path | None = None
        self.preview: ImportPreview | None = None
        self.busy = False

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Import bank statement"), classes="dialog-title")
            with Horizontal(id="path-row"):
                yield Label(_("Path:"))
                yield Input(str(self.folder), id="path",
                            placeholder=_("type or paste a file or folder, then Enter"))
            with Horizontal(id="body"):
                yield OptionList(id="files")
                with Vertical(id="side"):
                    yield Label(_("No file chosen"), id="file", markup=False)
                    with Horizontal(id="options"):
                        yield Select(self._bank_options(), prompt=_("Bank account: by IBAN"),
                                     id="bank")
                        yield Select([(f, f) for f in FORMATS], value=AUTO,
                                     allow_blank=False, id="format")
                        yield Select(self._profile_options(), prompt=_("CSV profile: by header"),
                                     id="profile")
                    yield TickBox(_("Skip suspicious lines"), id="skip")
                    yield ProgressBar(total=None, show_eta=False, show_percentage=False,
                                      id="loading")
                    yield Static("", id="summary", markup=False)
                    yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="buttons"):
                yield Button(_("Preview"), id="preview")
                yield Button(_("Import"), id="import", variant="primary", disabled=True)
                yield Button(_("Cancel"), id="cancel")
            yield FitFooter()

    def on_mount(self) -> None:
        self.query_one("#loading").display = False
        table = self.query_one("#lines", DataTable)
        table.add_columns("#", _("What"), _("Date"), _("Amount"), _("Counterparty"), _("Why"))
        self._show_folder(self.folder)
        self.query_one("#files", OptionList).focus()
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

    def _show_folder(self, folder: Path) -> None:
        """List ``folder`` (dot-entries hidden, full names); the path field follows."""
        try:
            entries = folder_entries(folder)
        except OSError as exc:
            self._summary(_("Cannot read the folder {folder}: {reason}").format(
                folder=folder, reason=exc.strerror or exc), error=True)
            return
        self.folder = folder
        files = self.query_one("#files", OptionList)
        files.clear_options()
        files.add_options([Option(label, id=name) for name, label in entries])
        if entries:
            files.highlighted = 0
        self.query_one("#path", Input).value = str(folder)

    @on(OptionList.OptionSelected, "#files")
    def _entry_chosen(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id or ""
        self._go(self.folder.parent if name == UP else self.folder / name)

    @on(Input.Submitted, "#path")
    def _path_typed(self, event: Input.Submitted) -> None:
        text = event.value.strip().strip("'\"")
        if not text:
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            # relative to the folder shown, else to where the clerk started the app
            # (a path copied from the shell)
            shown, started = self.folder / path, Path.cwd() / path
            path = shown if shown.exists() or not started.exists() else started
        if not path.exists():
            self._summary(_("No such file or folder: {path}").format(path=path), error=True)
            return
        self._go(path)
        self.query_one("#files", OptionList).focus()

    def _go(self, path: Path) -> None:
        if path.is_dir():
            self._show_folder(path.resolve())
        else:
            self._choose(path)

    def _choose(self, path: Path) -> None:
        if path.parent.resolve() != self.folder:  # typed: the list shows its folder
            self._show_folder(path.parent.resolve())
        files = self.query_one("#files", OptionList)
        with suppress(OptionDoesNotExist):  # a hidden file typed by its path
            files.highlighted = files.get_option_index(path.name)
        self.path = path
        remember_folder(path.parent)
        self.query_one("#file", Label).update(_("File: {path}").format(path=path.name))
        self.action_preview()

    def action_edit_path(self) -> None:
        self.query_one("#path", Input).focus()

    def action_up(self) -> None:
        if not self.query_one("#path", Input).has_focus:
            self._show_folder(self.folder.parent)

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
        self._start(_("Reading {file}…").format(file=self.path.name))
        self._run_preview(self.path, self._options())

    def action_confirm(self) -> None:
        if self.busy:
            return
        if self.preview is None:
            self._summary(_("Choose a statement file first: type its path or pick it in "
                            "the list."), error=True)
            return
        if not importable(self.preview):
            message = _("Nothing to import: every line of {file} was already imported "
                        "(or is not booked).").format(file=self.preview.file_name)
            self._summary(message, error=True)
            self.notify(message, severity="warning")
            return
        self._start(_("Importing…"))
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

    @core_worker("statement-banks", exclusive=False)
    def _load_banks(self) -> BankAccountsLoaded:
        try:
            return BankAccountsLoaded(self.service.bank_accounts())
        except LettrageError:
            return BankAccountsLoaded([])

    @core_worker("statement-import")
    def _run_preview(self, path: Path, options: dict[str, Any]) -> PreviewLoaded:
        return PreviewLoaded(self.service.preview(path, **options))

    @core_worker("statement-import")
    def _run_import(self, preview: ImportPreview, options: dict[str, Any], skip: bool
                    ) -> StatementImported:
        return StatementImported(self.service.import_(
            preview, options["bank_account_no"], skip_suspicious=skip))

    # --- results -------------------------------------------------------------------------

    def on_import_statement_modal_bank_accounts_loaded(self, message: BankAccountsLoaded) -> None:
        self.banks = message.banks
        self.query_one("#bank", Select).set_options(self._bank_options())
        self._choose_bank()

    def _choose_bank(self) -> None:
        if self.wanted_bank and any(b.no == self.wanted_bank for b in self.banks or ()):
            self.query_one("#bank", Select).value = self.wanted_bank

    def on_import_statement_modal_preview_loaded(self, message: PreviewLoaded) -> None:
        self._stop()
        self.preview = message.preview
        self._summary(message.preview.describe(with_lines=False), error=False)
        fill_lines(self.query_one("#lines", DataTable), message.preview)
        self.query_one("#import", Button).disabled = not importable(message.preview)

    def on_import_statement_modal_statement_imported(self, message: StatementImported) -> None:
        self._stop()
        self.dismiss(message.result)

    def on_command_failed(self, message: CommandFailed) -> None:
        """A file the preview or the import refuses: said in the dialog, not as a
        notification (the message stops here)."""
        message.stop()
        self._stop()
        self.preview = None
        self.query_one("#import", Button).disabled = True
        self.query_one("#lines", DataTable).clear()
        self._summary(str(message.error), error=True)

    def _summary(self, text: str, error: bool) -> None:
        summary = self.query_one("#summary", Static)
        summary.set_class(error, "error")
        summary.update(text)

    def _start(self, text: str) -> None:
        self.busy = True
        self.query_one("#loading").display = True
        self.query_one("#import", Button).disabled = True
        self._summary(text, error=False)

    def _stop(self) -> None:
        self.busy = False
        self.query_one("#loading").display = False


def fill_lines(table: DataTable[Any], preview: ImportPreview) -> None:
    """The preview's lines in the dialog's table: what each is and why."""
    table.clear()
    for sp in preview.statements:
        for v in sp.lines:
            why = "" if v.kind == "new" else v.reason
            table.add_row(str(v.line_no), _(KIND_LABELS[v.kind]), format_date(v.booking_date),
                          format_amount(v.amount), (v.counterparty or v.remittance)[:30], why)


def importable(preview: ImportPreview) -> bool:
    return preview.total("new") + preview.total("suspicious") > 0
