"""The main screens in French at 80x24 (issue #16): nothing that matters cut off, the
columns still fit, French numbers and dates. Update only after reading the report:
``pytest tests/tui/test_tui_snapshots_fr.py --snapshot-update``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.i18n import set_language
from tests.ui_fixtures import settle
from tui.app import LettrageApp
from tui.bootstrap import Services

SIZE = (80, 24)


@pytest.fixture
def app_fr(services: Services, tmp_path: Path) -> Iterator[LettrageApp]:
    set_language("fr")
    try:
        yield LettrageApp(services, log_path=tmp_path / "lettrage.log")
    finally:
        set_language("en")


def _keys(*keys: str) -> Any:
    async def run(pilot: Any) -> None:
        await settle(pilot, pilot.app)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, pilot.app)

    return run


def test_home_fr(app_fr: LettrageApp, snap_compare: Any) -> None:
    assert snap_compare(app_fr, terminal_size=SIZE, run_before=_keys())


def test_help_fr(app_fr: LettrageApp, snap_compare: Any) -> None:
    assert snap_compare(app_fr, terminal_size=SIZE, run_before=_keys("f1"))


def test_customer_ledger_entries_fr(app_fr: LettrageApp, snap_compare: Any) -> None:
    assert snap_compare(app_fr, terminal_size=SIZE, run_before=_keys("e"))


def test_apply_entries_fr(app_fr: LettrageApp, snap_compare: Any) -> None:
    assert snap_compare(app_fr, terminal_size=SIZE, run_before=_keys("o", "a"))


def test_cash_receipt_journal_fr(app_fr: LettrageApp, snap_compare: Any) -> None:
    assert snap_compare(app_fr, terminal_size=SIZE, run_before=_keys("k"))


def test_reconciliation_journal_fr(app_fr: LettrageApp, snap_compare: Any) -> None:
    assert snap_compare(app_fr, terminal_size=SIZE, run_before=_keys("j"))


def test_review_queue_fr(app_fr: LettrageApp, snap_compare: Any) -> None:
    assert snap_compare(app_fr, terminal_size=SIZE, run_before=_keys("j", "r"))
