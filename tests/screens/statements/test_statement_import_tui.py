"""The import dialog driven by Textual's Pilot inside a tiny test App."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import DataTable, DirectoryTree, Static

from core.kernel.store import Store
from core.statements.importer import ImportResult, StatementImportService
from screens.statements.import_dialog import ImportStatementModal
from tests.statement_samples import OTHER_IBAN, Tx, camt, write

TXS = [Tx("100.00", ref="R1"), Tx("5.00"), Tx("5.00")]


class Host(App[None]):
    """Opens the modal the way the real app shell will, and keeps its answer."""

    def __init__(self, modal: ImportStatementModal) -> None:
        super().__init__()
        self.modal = modal
        self.results: list[ImportResult | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.results.append)


async def settle(app: Host, pilot: object) -> None:
    """Let the dialog's thread worker finish and its message be handled. (Not
    ``workers.wait_for_complete()``: the DirectoryTree's loader worker never ends.)"""
    for _ in range(400):
        await pilot.pause(0.01)  # type: ignore[attr-defined]
        if not app.modal.busy:
            break
    await pilot.pause()  # type: ignore[attr-defined]


async def choose_file(app: Host, pilot: object, name: str) -> None:
    tree = app.modal.query_one(DirectoryTree)
    for _ in range(40):
        node = tree.cursor_node
        if node is not None and node.data is not None and Path(node.data.path).name == name:
            break
        await pilot.press("down")  # type: ignore[attr-defined]
        await pilot.pause(0.01)  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(app, pilot)


async def test_modal_previews_and_imports(store: Store, tmp_path: Path) -> None:
    write(tmp_path, "jan.xml", camt(TXS))
    service = StatementImportService(store, user="tui")
    app = Host(ImportStatementModal(service, start_dir=tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await choose_file(app, pilot, "jan.xml")
        modal = app.modal
        assert modal.preview is not None and modal.preview.total("new") == 3
        summary = str(modal.query_one("#summary", Static).render())
        assert "3 new, 0 already imported" in summary
        assert modal.query_one("#lines", DataTable).row_count == 3
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    (result,) = app.results
    assert result is not None and result.imported == 3


async def test_modal_shows_duplicates_and_errors_then_cancels(store: Store,
                                                              tmp_path: Path) -> None:
    path = write(tmp_path, "a.xml", camt(TXS))
    write(tmp_path, "b.xml", camt(TXS, iban=OTHER_IBAN))
    service = StatementImportService(store, user="tui")
    service.import_(path)
    app = Host(ImportStatementModal(service, start_dir=tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await choose_file(app, pilot, "a.xml")
        modal = app.modal
        assert modal.preview is not None and modal.preview.total("duplicate") == 3
        assert modal.query_one("#import").disabled  # nothing new: nothing to confirm
        await choose_file(app, pilot, "b.xml")
        text = str(modal.query_one("#summary", Static).render())
        assert "no bank account has IBAN" in text and modal.preview is None
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]
