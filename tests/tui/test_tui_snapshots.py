"""A few reviewed snapshots of the main screens (slow; keep them few).

Update only after reading the report: ``pytest tests/tui/test_tui_snapshots.py
--snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui_fixtures import settle
from tui.app import LettrageApp


async def _ready(pilot: Any) -> None:
    await settle(pilot, pilot.app)


def test_home_80x24(app: LettrageApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ready)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_customer_ledger_entries(app: LettrageApp, snap_compare: Any,
                                 size: tuple[int, int]) -> None:
    async def open_entries(pilot: Any) -> None:
        await _ready(pilot)
        await pilot.press("e")
        await _ready(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_entries)


def test_customer_card_120x40(app: LettrageApp, snap_compare: Any) -> None:
    async def open_card(pilot: Any) -> None:
        await _ready(pilot)
        await pilot.press("c")
        await _ready(pilot)
        await pilot.press("enter")
        await _ready(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=open_card)
