"""Reading a clerk's input file safely: a size cap, regular files only, no binary.

Every command that reads a file (``load``, ``statement import``, ``statement profile
guess``) goes through :func:`read_capped`, so a 1 GB file, ``/dev/zero`` or a pipe that
never ends is refused before it fills the memory.
"""

from __future__ import annotations

import stat
from decimal import Decimal
from pathlib import Path

from core.i18n import N_
from core.kernel.errors import ImportFileError, Text

MAX_FILE_BYTES = 200 * 1024 * 1024
"""Files larger than this are refused before parsing (bytes)."""

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class FileReadError(ImportFileError):
    """A file cannot be read as input; ``problem`` is the reason without the path."""

    def __init__(self, path: Path, problem: Text | str) -> None:
        super().__init__(N_("{path}: {problem}"), path=str(path), problem=problem)
        self.path = path
        self.problem = problem

    def __reduce__(self) -> tuple[type, tuple[Path, Text | str]]:
        return (type(self), (self.path, self.problem))


def read_capped(path: Path, cap: int | None = None) -> bytes:
    """The bytes of the regular file at ``path``, refusing folders, devices, pipes and
    anything larger than ``cap`` (default :data:`MAX_FILE_BYTES`; checked on the size
    and again while reading, so a file that grows meanwhile cannot slip through)."""
    cap = MAX_FILE_BYTES if cap is None else cap
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise FileReadError(path, Text(N_("is a folder, not a file")))
        if not stat.S_ISREG(info.st_mode):
            raise FileReadError(path, Text(N_("is not a regular file (a device or a pipe); "
                                                 "give the path of a file")))
        if info.st_size > cap:
            raise FileReadError(path, Text(N_("is {size} bytes, larger than the {cap} bytes "
                                              "accepted"), size=Decimal(info.st_size),
                                           cap=Decimal(cap)))
        with path.open("rb") as f:
            data = f.read(cap + 1)
    except OSError as exc:
        raise FileReadError(path, Text(N_("cannot read the file ({reason})"),
                                      reason=exc.strerror or str(exc))) from None
    if len(data) > cap:
        raise FileReadError(path, Text(N_("is larger than the {cap} bytes accepted"),
                                      cap=Decimal(cap)))
    return data


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding a bank or a spreadsheet writes:
    NUL bytes in an 8-bit text, or control bytes that text never holds. UTF-16/32
    (with or without BOM: NULs in a regular pattern) count as text."""
    head = data[:8192]
    if not head:
        return False
    if head.startswith(_BOMS) or _utf16_pattern(head):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 26, 27))
    return controls > len(head) // 100


def _utf16_pattern(head: bytes) -> bool:
    """ASCII text in UTF-16 without BOM: every other byte is NUL."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return odd.count(0) > len(odd) * 0.9 or even.count(0) > len(even) * 0.9
