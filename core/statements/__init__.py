"""Bank statement parsing: CAMT.052/053/054, OFX/QFX, MT940/MT942 and CSV profiles.

Entry points: :func:`parse_file` and :func:`parse_bytes` return a
:class:`ParsedFile` of normalized :class:`Statement` objects; :func:`detect_format`
tells the format from the content. Every failure, including one inside lxml,
ofxparse or an unexpected bug in a parser, comes out as :class:`StatementError`.
This package is pure: no database, no UI.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from core.i18n import N_
from core.kernel.errors import Text
from core.kernel.files import FileReadError, read_capped
from core.statements.camt import parse_camt
from core.statements.csv_guess import guess_profile
from core.statements.csv_reader import parse_csv, read_rows
from core.statements.detect import detect_format
from core.statements.encoding import decode, xml_declared_encoding
from core.statements.errors import StatementError
from core.statements.model import (
    ParsedFile,
    RemittanceReference,
    Statement,
    StatementLine,
    parsed_to_dict,
    parsed_to_json,
    statement_name,
    statement_to_dict,
)
from core.statements.mt940 import parse_mt940
from core.statements.ofx import parse_ofx
from core.statements.profiles import (
    Profile,
    ProfileError,
    find_header,
    list_profiles,
    load_profile,
    save_profile,
)
from core.statements.xmlsafe import MAX_FILE_BYTES, size_problem

__all__ = [
    "MAX_FILE_BYTES",
    "ParsedFile",
    "Profile",
    "ProfileError",
    "RemittanceReference",
    "Statement",
    "StatementError",
    "StatementLine",
    "detect_format",
    "guess_profile",
    "list_profiles",
    "load_profile",
    "parse_bytes",
    "parse_file",
    "parsed_to_dict",
    "parsed_to_json",
    "save_profile",
    "statement_name",
    "statement_to_dict",
]

Dirs = Iterable[Path | str] | Path | str | None
MAX_ZIP_MEMBERS = 50
FORMATS = ("auto", "camt", "camt.052", "camt.053", "camt.054", "ofx", "qfx", "mt940", "mt942",
           "csv", "zip")


def parse_file(path: Path | str, format: str = "auto",  # noqa: A002 - public API name
               profile: Profile | str | None = None, profiles_dir: Dirs = None) -> ParsedFile:
    """Read and parse the statement file at ``path``."""
    file = Path(path)
    try:
        data = read_capped(file)
    except FileReadError as exc:
        raise StatementError(file.name, exc.problem) from None
    return parse_bytes(data, file.name, format=format, profile=profile,
                       profiles_dir=profiles_dir)


def parse_bytes(data: bytes, name: str, format: str = "auto",  # noqa: A002 - public API name
                profile: Profile | str | None = None, profiles_dir: Dirs = None) -> ParsedFile:
    """Parse statement ``data``; ``name`` is only used in messages and the result."""
    problem = size_problem(data)
    if problem:
        raise StatementError(name, problem)
    try:
        return _dispatch(data, name, format, profile, profiles_dir, nested=False)
    except StatementError:
        raise
    except ProfileError as exc:
        raise StatementError(name, exc.text) from None
    except RecursionError:
        raise StatementError(name, Text(N_("structure nested too deeply, refused"))) from None
    except MemoryError:
        raise StatementError(name, Text(N_("file too large to parse in memory"))) from None
    except Exception as exc:  # last line of defence: never a traceback for a bad file
        raise StatementError(name, Text(N_("unexpected {kind} while parsing: {reason}"),
                                         kind=type(exc).__name__,
                                         reason=str(exc)[:200])) from exc


def _dispatch(data: bytes, name: str, fmt: str, profile: Profile | str | None,
              profiles_dir: Dirs, nested: bool) -> ParsedFile:
    if fmt not in FORMATS:
        raise StatementError(name, Text(N_("unknown format '{format}'"), format=fmt),
                             expected=", ".join(FORMATS))
    detected = detect_format(data, name) if fmt == "auto" else fmt
    if profile is not None and fmt == "auto":
        detected = "csv"
    if detected.startswith("camt"):
        encoding = xml_declared_encoding(data) or "utf-8"
        statements = parse_camt(data, name)
        kind = statements[0].source_format.rsplit(".", 2)[0] if statements else detected
        return ParsedFile(name, kind if kind.startswith("camt.") else detected, encoding,
                          statements)
    if detected in ("ofx", "qfx"):
        text, encoding = decode(data)
        return ParsedFile(name, "ofx", encoding, parse_ofx(text, name))
    if detected in ("mt940", "mt942"):
        text, encoding = decode(data)
        statements, kind = parse_mt940(text, name)
        return ParsedFile(name, kind, encoding, statements)
    if detected == "csv":
        return _parse_csv(data, name, profile, profiles_dir)
    if detected == "zip" and not nested:
        return _parse_zip(data, name, profile, profiles_dir)
    raise StatementError(name, Text(N_("format '{format}' not supported here"),
                                     format=detected))


def _parse_csv(data: bytes, name: str, profile: Profile | str | None,
               profiles_dir: Dirs) -> ParsedFile:
    chosen = _choose_profile(data, name, profile, profiles_dir)
    text, encoding = decode(data, chosen.encoding)
    return ParsedFile(name, "csv", encoding, (parse_csv(text, chosen, name),))


def _choose_profile(data: bytes, name: str, profile: Profile | str | None,
                    profiles_dir: Dirs) -> Profile:
    if isinstance(profile, Profile):
        return profile
    if isinstance(profile, str):
        return load_profile(profile, profiles_dir)
    best: tuple[int, Profile] | None = None
    for candidate in list_profiles(profiles_dir):
        text, _ = decode(data[:65536], candidate.encoding)
        rows = read_rows(text, candidate)
        names = candidate.header_names()
        matches = bool(names) and find_header(rows, names) is not None
        if matches and (best is None or len(names) > best[0]):
            best = (len(names), candidate)
    if best is None:
        raise StatementError(name, Text(N_("no CSV profile matches this file's header row; "
                                            "choose a profile or create one for this bank "
                                            "(guess, review, save)")))
    return best[1]


def _parse_zip(data: bytes, name: str, profile: Profile | str | None,
               profiles_dir: Dirs) -> ParsedFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise StatementError(name, Text(N_("damaged zip archive: {reason}"),
                                         reason=str(exc))) from None
    if not members or len(members) > MAX_ZIP_MEMBERS:
        raise StatementError(name, Text(N_("zip holds {count} files"), count=len(members)),
                             expected=Text(N_("1 to {most} statement files"),
                                           most=MAX_ZIP_MEMBERS))
    if sum(m.file_size for m in members) > MAX_FILE_BYTES:
        raise StatementError(name, Text(N_("zip content too large")),
                             expected=Text(N_("at most {cap} bytes"),
                                           cap=Decimal(MAX_FILE_BYTES)))
    statements: list[Statement] = []
    formats: set[str] = set()
    for member in members:
        inner = f"{name}/{member.filename}"
        try:
            content = archive.read(member)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise StatementError(inner, Text(N_("cannot unpack: {reason}"),
                                              reason=str(exc))) from None
        parsed = _dispatch(content, inner, "auto", profile, profiles_dir, nested=True)
        statements.extend(parsed.statements)
        formats.add(parsed.format)
    kind = formats.pop() if len(formats) == 1 else "zip"
    return ParsedFile(name, kind, None, tuple(statements))
