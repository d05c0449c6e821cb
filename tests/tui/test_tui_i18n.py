"""Marked key descriptions (N_) reach Textual's footer and key panel in the current
language, also after a switch at run time (tui.i18n.retranslate)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer

from core.i18n import N_, _, config_language, get_language, set_language
from tests.ui_fixtures import settle
from tui.app import LettrageApp
from tui.i18n import retranslate
from tui.widgets.formatting import NumberFormat, day

AMOUNT = "'{text}' is not an amount"
FRENCH = "« {text} » n'est pas un montant"
COLUMN = N_(AMOUNT)


class _Demo(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "bell", N_(AMOUNT), id="demo.x")]

    def compose(self) -> ComposeResult:
        table: DataTable[Any] = DataTable()
        table.add_column(_(COLUMN), key="a")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        retranslate(self)


def _footer(app: App[None]) -> list[str]:
    return [str(key.render()) for key in app.screen.query_one(Footer).query("FooterKey")]


async def test_footer_follows_the_language() -> None:
    set_language("fr")
    try:
        app = _Demo()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert any(FRENCH in text for text in _footer(app))
            column = app.query_one(DataTable).ordered_columns[0]
            assert str(column.label) == FRENCH
            set_language("en")
            retranslate(app)
            await pilot.pause()
            assert any(AMOUNT in text for text in _footer(app))
            assert not any(FRENCH in text for text in _footer(app))
    finally:
        set_language("en")


def test_number_format_follows_the_language() -> None:
    nf = NumberFormat()
    try:
        assert nf.amount(Decimal("1234.5")) == "1,234.50"
        assert nf.parse("1.234,56") == Decimal("1234.56")
        set_language("fr")
        assert nf.amount(Decimal("1234.5")) == "1\u202f234,50"
        assert (nf.thousands, nf.decimal) == ("\u202f", ",")
        assert nf.parse("1 234,56") == Decimal("1234.56")
        assert nf.parse_day("27/11/2026").isoformat() == "2026-11-27"
        assert day(date(2026, 11, 27)) == "27/11/2026"
    finally:
        set_language("en")


async def test_language_switch_from_the_palette_action(services: Any, tmp_path: Any) -> None:
    """The palette's Language command: the app is rebuilt in French without restarting,
    and the choice is remembered in the user's config file."""
    app = LettrageApp(services, log_path=tmp_path / "log", config_dir=tmp_path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            assert any("Receivables" in text for text in _footer(app))
            await app.run_action("language('fr')")
            await settle(pilot, app)
            assert get_language() == "fr"
            assert any("Créances" in text for text in _footer(app)), _footer(app)
            assert config_language(tmp_path) == "fr"
            await app.run_action("language('en')")
            await settle(pilot, app)
            assert any("Receivables" in text for text in _footer(app))
    finally:
        set_language("en")
