"""The statement dialog's folder list: what a clerk sees in a folder, where it starts.

Plain path logic, no widget: entries sorted folders first, dot-entries hidden (``.git``,
``.venv``), full names; the folder used last is remembered for the rest of the session.
"""

from __future__ import annotations

from pathlib import Path

from core.i18n import _

UP = ".."
_last_folder: list[Path] = []


def folder_entries(folder: Path) -> list[tuple[str, str]]:
    """(name, label) of ``folder``'s entries: ``..`` first (unless at the root), then the
    folders (``name/``), then the files; hidden entries left out. Raises OSError when
    the folder cannot be read."""
    folders: list[str] = []
    files: list[str] = []
    for entry in folder.iterdir():
        if entry.name.startswith("."):
            continue
        try:
            (folders if entry.is_dir() else files).append(entry.name)
        except OSError:
            continue
    out = [(UP, _("../ (up a folder)"))] if folder.parent != folder else []
    out += [(name, name + "/") for name in sorted(folders, key=str.casefold)]
    out += [(name, name) for name in sorted(files, key=str.casefold)]
    return out


def remember_folder(folder: Path) -> None:
    _last_folder[:] = [folder]


def start_folder(configured: Path | None = None) -> Path:
    """The folder used last in this session, else ``configured`` (the bank feed's inbox,
    or what the caller asks), else the current folder."""
    for candidate in (*_last_folder, configured):
        if candidate is not None and candidate.is_dir():
            return candidate.resolve()
    return Path.cwd()
