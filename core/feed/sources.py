"""Bank connections that bring statement files: the interface and the hand-over.

A ``StatementSource`` fetches the statement files of one bank account for a period
(FinTS today, ``core.feed.fints_source``; EBICS is meant to be a second implementation
of the same interface: an EBICS client would download C53/C52 (camt.053/052) or STA
(MT940) order types for the period and return them as files). What a source fetched is
delivered into the bank account's inbox with ``deliver``: each file is written under a
temporary ``.part`` name (never taken by the watcher) and renamed into place, so the
watcher only ever sees complete files and imports them with the usual rules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

PART = ".part"


@dataclass(frozen=True)
class FetchedFile:
    """One statement file as the bank delivered it."""

    name: str  # a plain file name (no folder), unique for the account and period
    data: bytes


class StatementSource(Protocol):
    """Fetches the booked statement files of one configured bank account."""

    def fetch(self, since: date, until: date) -> list[FetchedFile]:
        """The bank's statement files for ``since``..``until`` (both included)."""
        ...


def _free(inbox: Path, name: str) -> Path:
    target = inbox / name
    stem, dot, ext = name.rpartition(".")
    n = 1
    while target.exists():  # an earlier fetch's file not taken yet: keep both
        n += 1
        target = inbox / (f"{stem}-r{n}.{ext}" if dot else f"{name}-r{n}")
    return target


def deliver(files: list[FetchedFile], inbox: Path) -> list[Path]:
    """Write ``files`` into ``inbox`` atomically (``NAME.part`` then a rename)."""
    out: list[Path] = []
    for f in files:
        if not f.name or "/" in f.name or f.name.startswith("."):
            raise ValueError(f"not a plain file name: {f.name!r}")
        target = _free(inbox, f.name)
        part = target.with_name(target.name + PART)
        with open(part, "wb") as fh:
            fh.write(f.data)
            fh.flush()
            os.fsync(fh.fileno())
        os.rename(part, target)
        out.append(target)
    return out
