"""Starting the app: in this terminal, or served to a browser with textual-serve."""

from __future__ import annotations

from pathlib import Path

from data.paths import config_dir
from tui.app import LettrageApp
from tui.bootstrap import Services


def make_app(services: Services, log_path: Path | None = None) -> LettrageApp:
    return LettrageApp(services, log_path, config_dir=config_dir())


def run_app(services: Services, log_path: Path) -> None:
    make_app(services, log_path).run()


def serve(host: str, port: int, command: str) -> None:
    """Serve ``command`` (a shell command that runs the TUI) at http://host:port.
    Bind to 127.0.0.1 unless the caller chose otherwise: the app has no login."""
    from textual_serve.server import Server

    Server(command, host=host, port=port).serve()
