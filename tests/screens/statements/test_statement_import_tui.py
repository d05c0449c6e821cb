"""The import dialog driven by Textual's Pilot inside a tiny test App."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, OptionList, Static

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
    """Let the dialog's thread worker finish and its message be handled."""
    for _ in range(400):
        await pilot.pause(0.01)  # type: ignore[attr-defined]
        if not app.modal.busy:
            break
    await pilot.pause()  # type: ignore[attr-defined]


async def choose_file(app: Host, pilot: object, name: str) -> None:
    """Move down the folder list to ``name`` (shown whole) and press Enter."""
    files = app.modal.query_one("#files", OptionList)
    for _ in range(40):
        index = files.highlighted
        if index is not None and files.get_option_at_index(index).id == name:
            break
        await pilot.press("down")  # type: ignore[attr-defined]
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


def _folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (tmp_path / ".git").mkdir()
    path = write(inbox, "statement-101-hausbank-operating-account.camt053.xml", camt(TXS))
    return tmp_path.resolve(), inbox.resolve(), path


async def test_path_typed_folders_hidden_up_and_already_imported(store: Store,
                                                                 tmp_path: Path) -> None:
    """A clerk types a path; dot-folders are hidden, names whole, .. goes up; Ctrl+S on a
    file already imported says so."""
    top, inbox_folder, path = _folders(tmp_path)
    long_name = path.name
    service = StatementImportService(store, user="tui")
    app = Host(ImportStatementModal(service, start_dir=tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        modal = app.modal
        files = modal.query_one("#files", OptionList)
        ids = [files.get_option_at_index(i).id for i in range(files.option_count)]
        assert "inbox" in ids and ".git" not in ids and ".." in ids
        await pilot.press("ctrl+l")
        field = modal.query_one("#path", Input)
        assert field.has_focus
        field.value = str(path)
        await pilot.press("enter")
        await settle(app, pilot)
        assert modal.path == path and modal.preview is not None
        assert modal.folder == inbox_folder
        label = str(files.get_option_at_index(1).prompt)
        assert label == long_name  # the whole name, nothing cut
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.results and app.results[0] is not None
    # the same file again: Ctrl+S says it was imported already
    app = Host(ImportStatementModal(service))  # starts in the folder used last
    async with app.run_test(size=(80, 24)) as pilot:
        modal = app.modal
        assert modal.folder == inbox_folder
        await choose_file(app, pilot, long_name)
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = str(modal.query_one("#summary", Static).render())
        assert "already imported" in text and not app.results
        await pilot.press("backspace")  # up a folder
        await pilot.pause()
        assert modal.folder == top


async def test_a_relative_path_is_read_from_the_folder_shown_or_the_working_directory(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A path copied from the shell (relative to where the clerk started the app) is
    found even when the dialog shows another folder; a wrong one is named."""
    top, inbox_folder, path = _folders(tmp_path)
    monkeypatch.chdir(top)
    relative = path.relative_to(top)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    app = Host(ImportStatementModal(StatementImportService(store, user="tui"),
                                    start_dir=elsewhere))
    async with app.run_test(size=(80, 24)) as pilot:
        modal = app.modal
        await pilot.press("ctrl+l")
        modal.query_one("#path", Input).value = "no/such/file.xml"
        await pilot.press("enter")
        await settle(app, pilot)
        assert modal.path is None
        assert "No such file or folder" in str(modal.query_one("#summary", Static).render())
        modal.query_one("#path", Input).value = str(relative)
        await pilot.press("enter")
        await settle(app, pilot)
        assert modal.path is not None and modal.path.resolve() == path.resolve()
        assert modal.folder == inbox_folder.resolve() and modal.preview is not None
