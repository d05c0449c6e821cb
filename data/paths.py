"""Where Lettrage keeps its files (platformdirs), with environment overrides."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "lettrage"


def data_dir() -> Path:
    override = os.environ.get("LETTRAGE_DATA_DIR")
    path = Path(override) if override else platformdirs.user_data_path(APP)
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    override = os.environ.get("LETTRAGE_CONFIG_DIR")
    path = Path(override) if override else platformdirs.user_config_path(APP)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    """``--db`` beats ``LETTRAGE_DATABASE_URL`` beats the SQLite file in the data dir."""
    env = os.environ.get("LETTRAGE_DATABASE_URL")
    if env:
        return env
    return f"sqlite:///{data_dir() / 'lettrage.db'}"


def log_file() -> Path:
    return data_dir() / "lettrage.log"
