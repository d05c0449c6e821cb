"""Every screen reachable from home, rendered in French at 80x24, shows no English UI
word (issue #16): a string someone forgot to mark shows up here by itself. The catalog
side (every marked string has a French entry) is tests/core/i18n/test_catalog.py."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

from core.i18n import set_language
from core.ledger.defaults import CHART
from tests.ui_fixtures import settle
from tui.app import LettrageApp
from tui.bootstrap import Services

# Home keys that open a screen (tui/home.py), each checked then closed with Escape.
KEYS = ("o", "u", "d", "p", "l", "c", "v", "e", "n", "g", "a", "b", "r", "m", "k", "t", "w",
        "j", "h", "x", "s", "f1")
# English words of the UI that French never uses (data such as names are not UI).
ENGLISH = re.compile(r"\b(the|and|of|with|Entries|Entry|Customers?|Vendors?|Amount|Posting|"
                     r"Remaining|Search|Refresh|Loading|Cancel|Balance|Statement|Payments?|"
                     r"Overdue|Reminders?|Help|Quit|Back|Due|Apply|Settings|Filter|"
                     r"Document|Open|Close|Edit|Delete|Add|Save|Lines?|Account|Bank)\b")
# Data, not UI: the default chart's account names (a company's own master data).
DATA = tuple(sorted((name for _no, name, *_rest in CHART), key=len, reverse=True))


def _screen_text(app: LettrageApp) -> str:
    svg = app.export_screenshot()
    rows: dict[str, list[str]] = {}
    for match in re.finditer(r'<text[^>]*y="([\d.]+)"[^>]*>(.*?)</text>', svg, re.S):
        rows.setdefault(match.group(1), []).append(html.unescape(
            re.sub(r"<[^>]+>", "", match.group(2))))
    return "\n".join("".join(parts).replace("\xa0", " ") for parts in rows.values())


async def _sweep(services: Services, tmp_path: Path, keys: tuple[str, ...]) -> dict[str, list[str]]:
    """The lines with an English UI word, per home key (home itself under "home")."""
    set_language("fr")
    found: dict[str, list[str]] = {}
    try:
        app = LettrageApp(services, log_path=tmp_path / "lettrage.log")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            for key in ("", *keys):
                if key:
                    await pilot.press(key)
                    await settle(pilot, app)
                text = _screen_text(app)
                for name in DATA:
                    text = text.replace(name, "")
                lines = [line.strip() for line in text.splitlines() if ENGLISH.search(line)]
                if lines:
                    found[key or "home"] = lines
                while len(app.screen_stack) > 2 or app.screen.is_modal:
                    await pilot.press("escape")
                    await settle(pilot, app)
    finally:
        set_language("en")
    return found


@pytest.mark.slow
async def test_no_english_on_any_screen_in_french(services: Services, tmp_path: Path) -> None:
    keys = tuple(os.environ.get("LETTRAGE_SWEEP_KEYS", " ".join(KEYS)).split())
    assert await _sweep(services, tmp_path, keys) == {}


async def test_no_english_on_the_newer_screens_in_french(services: Services,
                                                         tmp_path: Path) -> None:
    """The short version CI runs every time: payment registration and bank reconciliation."""
    assert await _sweep(services, tmp_path, ("x", "h")) == {}
