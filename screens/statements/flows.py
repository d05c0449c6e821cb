"""The statement import flow, from any screen (home, bank accounts, a journal): the
import dialog, then the journal of the bank that got lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.i18n import _
from core.statements.importer import ImportResult
from screens.shared.base import BaseScreen
from screens.shared.navigate import Navigate
from screens.statements.folders import start_folder
from screens.statements.import_dialog import ImportStatementModal


def open_import(screen: BaseScreen, bank_no: str | None,
                imported: Callable[[str], object] | None = None) -> None:
    """Show the statement import dialog (for ``bank_no`` when given); after an import
    that wrote lines, open that bank's journal (or call ``imported`` with the bank)."""
    screen.query_core(screen.ctx.services.feed.inboxes,
                      lambda inboxes: _push_import(screen, bank_no, imported, inboxes))


def _push_import(screen: BaseScreen, bank_no: str | None,
                 imported: Callable[[str], object] | None, inboxes: list[Any]) -> None:
    """The dialog, starting in the folder used last, else the bank's feed inbox (or any
    inbox) when there is one."""
    services = screen.ctx.services
    mine = [i for i in inboxes if i.bank_account_no == (bank_no or "")] or inboxes
    start = start_folder(Path(mine[0].directory) if mine else None)
    modal = ImportStatementModal(services.statement_import, start_dir=start,
                                 profiles_dir=services.statement_profiles_dir, bank_no=bank_no)

    def done(result: ImportResult | None) -> None:
        if result is None:
            return
        screen.notify(result.message, title=_("Statement imported"), timeout=8)
        bank = result.preview.statements[0].bank_account_no \
            if result.imported and result.preview.statements else bank_no
        if result.imported and bank and imported is not None:
            imported(bank)
        elif result.imported and bank:
            screen.post_message(Navigate("journal", bank_no=bank, apply_after_open=True))

    screen.app.push_screen(modal, done)
