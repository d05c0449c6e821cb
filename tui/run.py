"""Starting the app in this terminal (``tui.serve`` serves it to a browser)."""

from __future__ import annotations

from pathlib import Path

from data.paths import config_dir
from tui.app import LettrageApp
from tui.bootstrap import Services


def make_app(services: Services, log_path: Path | None = None) -> LettrageApp:
    return LettrageApp(services, log_path, config_dir=config_dir())


def run_app(services: Services, log_path: Path) -> None:
    make_app(services, log_path).run()
