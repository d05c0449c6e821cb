"""The statement import flow, from any screen (home, bank accounts, a journal): the
import dialog, then the journal of the bank that got lines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.feed.service import InboxView
from core.i18n import _
from core.statements.importer import ImportResult
from screens.shared.base import BaseScreen
from screens.shared.navigate import Navigate
from screens.statements.folders import start_folder
from screens.statements.import_dialog import ImportStatementModal
from tui.messages import Outcome
from tui.workers import core_worker


@dataclass
class InboxesLoaded(Outcome, namespace="import_flow"):
    """The bank feed's inboxes (the dialog starts in one) for importing for ``bank_no``."""
    bank_no: str | None
    inboxes: list[InboxView]


class ImportFlow(BaseScreen):
    """The statement import dialog from a screen: ``open_import(bank_no)`` loads the feed
    inboxes in a worker, shows the dialog and, after an import that wrote lines, calls
    ``statement_imported`` (by default: open that bank's journal)."""

    def open_import(self, bank_no: str | None) -> None:
        """Show the statement import dialog (for ``bank_no`` when given)."""
        self._load_inboxes(bank_no)

    @core_worker("import-inboxes")
    def _load_inboxes(self, bank_no: str | None) -> InboxesLoaded:
        return InboxesLoaded(bank_no, self.ctx.services.feed.inboxes())

    def statement_imported(self, bank: str) -> None:
        """A statement with new lines for ``bank`` was imported: open its journal."""
        self.post_message(Navigate("journal", bank_no=bank, apply_after_open=True))

    def on_import_flow_inboxes_loaded(self, message: InboxesLoaded) -> None:
        """The dialog, starting in the folder used last, else the bank's feed inbox (or
        any inbox) when there is one."""
        bank_no, inboxes = message.bank_no, message.inboxes
        services = self.ctx.services
        mine = [i for i in inboxes if i.bank_account_no == (bank_no or "")] or inboxes
        start = start_folder(Path(mine[0].directory) if mine else None)
        modal = ImportStatementModal(services.statement_import, start_dir=start,
                                     profiles_dir=services.statement_profiles_dir,
                                     bank_no=bank_no)

        def done(result: ImportResult | None) -> None:
            if result is None:
                return
            self.notify(result.message, title=_("Statement imported"), timeout=8)
            bank = result.preview.statements[0].bank_account_no \
                if result.imported and result.preview.statements else bank_no
            if result.imported and bank:
                self.statement_imported(bank)

        self.app.push_screen(modal, done)
