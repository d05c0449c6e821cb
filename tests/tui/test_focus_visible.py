"""Focus and checkboxes read without colour (issue #15): the focused field carries a bar
on its left, a checkbox reads ``[x]`` or ``[ ]`` whatever the terminal's colours."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input

from tui.widgets.checkbox import TickBox

STYLES = Path(__file__).resolve().parents[2] / "tui" / "styles" / "app.tcss"


class _Form(App[None]):
    CSS_PATH = str(STYLES)

    def compose(self) -> ComposeResult:
        yield Input(id="one")
        yield Input(id="two")
        yield TickBox("Skip suspicious lines", id="tick")


async def test_focused_field_has_a_bar_and_checkbox_reads_x() -> None:
    app = _Form()
    async with app.run_test(size=(80, 24)) as pilot:
        one, two = app.query_one("#one", Input), app.query_one("#two", Input)
        one.focus()
        await pilot.pause()
        assert one.styles.border_left[0] == "outer"
        assert two.styles.border_left[0] != "outer"
        tick = app.query_one(TickBox)
        assert tick.render().plain.startswith("[ ]")
        tick.focus()
        await pilot.press("space")
        assert tick.value and tick.render().plain.startswith("[x]")
        assert tick.styles.border_left[0] == "outer"
        assert one.styles.border_left[0] != "outer"
