"""The inbox folder on disk: which files are ready, claiming one, archiving, rejecting.

A bank (an SFTP drop, an EBICS or FinTS client, a mailbox saved to disk) writes files
into the inbox. A file is taken only when it is completely written: either it was
renamed into place (the polite way; ``Settle.renamed``), or its size and modification
time stayed the same for ``settle`` seconds. Temporary names (``.part``, ``.tmp``,
``~``, hidden files) are never taken.

Taking a file is an atomic rename into ``.processing/`` under a name that says which
process holds it, so two watchers (or a watcher and a clerk's ``--once`` run) never
process the same file at once. After the import the file moves to ``archive/``, or to
``rejected/`` with ``NAME.reason.txt`` beside it. When a watcher dies between the
import and the move, the file stays in ``.processing/``; ``recover`` puts it back in
the inbox once its holder is gone, and importing it again adds no line twice (the
statement import's unique key), so it is simply archived then.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

PROCESSING = ".processing"
ARCHIVE = "archive"
REJECTED = "rejected"
REASON_SUFFIX = ".reason.txt"
TEMP_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".filepart", ".swp",
                 "~", REASON_SUFFIX)
SEP = "--"
# a holder on another machine (a shared folder) is presumed dead after this long
FOREIGN_STALE_SECONDS = 600.0


def host_name() -> str:
    return socket.gethostname().split(".")[0] or "host"


def is_candidate_name(name: str) -> bool:
    low = name.lower()
    return not name.startswith(".") and not low.endswith(TEMP_SUFFIXES)


def candidates(directory: Path) -> list[Path]:
    """Regular files waiting in the inbox (not yet taken), oldest first."""
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return []
    files = []
    for e in entries:
        if e.is_file(follow_symlinks=False) and is_candidate_name(e.name):
            try:
                files.append((e.stat().st_mtime_ns, e.name))
            except FileNotFoundError:  # taken meanwhile
                continue
    return [directory / name for _m, name in sorted(files)]


@dataclass
class Settle:
    """Decides when a file is completely written: last modified ``seconds`` ago or
    seen unchanged (size, mtime) that long, or announced as renamed into place. An
    empty file is never ready (a writer has created it and not written yet)."""

    seconds: float = 1.0
    _seen: dict[Path, tuple[int, int, float]] = field(default_factory=dict)
    _renamed: set[Path] = field(default_factory=set)

    def renamed(self, path: Path) -> None:
        self._renamed.add(path)

    def ready(self, paths: Iterable[Path], now: float) -> list[Path]:
        out: list[Path] = []
        alive: set[Path] = set()
        for p in paths:
            alive.add(p)
            try:
                st = p.stat()
            except FileNotFoundError:
                continue
            if st.st_size > 0 and (p in self._renamed or now - st.st_mtime >= self.seconds):
                out.append(p)  # renamed into place, or untouched for ``seconds``
                continue
            key = (st.st_size, st.st_mtime_ns)
            before = self._seen.get(p)
            if before is None or before[:2] != key:
                self._seen[p] = (*key, now)
            elif now - before[2] >= self.seconds and st.st_size > 0:
                out.append(p)
        for p in list(self._seen):
            if p not in alive:
                del self._seen[p]
        self._renamed &= alive
        return out

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)
        self._renamed.discard(path)


@dataclass(frozen=True)
class Claimed:
    """A file this process took out of the inbox."""

    inbox: Path
    original: str  # the name it had in the inbox
    path: Path  # where it is now (under .processing/)


def holder_tag() -> str:
    return f"{host_name()}{SEP}{os.getpid()}"


def claim(path: Path) -> Claimed | None:
    """Take ``path`` out of the inbox; None when another process took it first."""
    inbox = path.parent
    work = inbox / PROCESSING
    work.mkdir(exist_ok=True)
    target = work / f"{holder_tag()}{SEP}{path.name}"
    try:
        os.rename(path, target)  # atomic on one file system; fails when already taken
    except FileNotFoundError:
        return None
    return Claimed(inbox, path.name, target)


def _free_name(folder: Path, name: str, moment: datetime) -> Path:
    stem = moment.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{stem}-{name}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{stem}-{n}-{name}"
    return target


def archive(c: Claimed, moment: datetime) -> Path:
    folder = c.inbox / ARCHIVE
    folder.mkdir(exist_ok=True)
    target = _free_name(folder, c.original, moment)
    os.rename(c.path, target)
    return target


def reject(c: Claimed, reason: str, moment: datetime) -> Path:
    """Move to ``rejected/`` with a reason file; the reason file is written first, so a
    crash never leaves a rejected file without its explanation."""
    folder = c.inbox / REJECTED
    folder.mkdir(exist_ok=True)
    target = _free_name(folder, c.original, moment)
    note = target.with_name(target.name + REASON_SUFFIX)
    tmp = note.with_name(note.name + ".tmp")
    tmp.write_text(f"{moment.isoformat(timespec='seconds')} {c.original}\n{reason}\n",
                   encoding="utf-8")
    os.replace(tmp, note)
    os.rename(c.path, target)
    return target


def release(c: Claimed) -> Path:
    """Put a claimed file back in the inbox (it is to be tried again later)."""
    target = c.inbox / c.original
    if target.exists():
        target = _free_name(c.inbox, c.original, datetime.now())
    os.rename(c.path, target)
    return target


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(inbox: Path, now: float) -> list[Path]:
    """Files left in ``.processing/`` by a holder that is gone go back to the inbox."""
    work = inbox / PROCESSING
    if not work.is_dir():
        return []
    back: list[Path] = []
    me = host_name()
    for p in sorted(work.iterdir()):
        parts = p.name.split(SEP, 2)
        if len(parts) != 3 or not parts[1].isdigit():
            continue
        host, pid, original = parts[0], int(parts[1]), parts[2]
        if host == me:
            if pid == os.getpid() or _pid_alive(pid):
                continue
        else:
            try:
                # a rename sets ctime: the moment the other machine claimed it
                if now - p.stat().st_ctime < FOREIGN_STALE_SECONDS:
                    continue
            except FileNotFoundError:
                continue
        try:
            back.append(release(Claimed(inbox, original, p)))
        except FileNotFoundError:  # another watcher recovered it first
            continue
    return back
