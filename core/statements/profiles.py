"""Saved, named CSV column profiles: the data class, JSON files, lookup and matching.

A profile tells the CSV reader how one bank's export looks: delimiter, quote char,
encoding, lines to skip, date formats, decimal and thousands separators, which
column holds which normalized field (by header name or 0-based index; a list
joins several columns), one amount column or separate debit/credit columns, and
the sign convention. Profiles ship in ``core/statements/profiles/*.json``; a
clerk's own profiles live in a directory the caller passes in and win over the
shipped ones with the same name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from core.i18n import N_
from core.kernel.errors import Text

SHIPPED_DIR = Path(__file__).with_name("profiles")

ColumnRef = str | int | list[str | int]

FIELDS = (
    "booking_date", "value_date", "amount", "debit", "credit", "indicator", "currency",
    "counterparty_name", "counterparty_iban", "counterparty_bic", "counterparty_address",
    "remittance", "bank_reference", "end_to_end_id", "mandate_id", "creditor_id",
    "bank_transaction_code", "check_number", "balance", "account", "bank_text", "fee",
)
SIGNS = ("normal", "inverted", "indicator")


class ProfileError(ValueError):
    """A profile file or definition is unusable; ``text`` is the message id and its
    parameters, ``str()`` the message in the current language."""

    def __init__(self, message: str | Text, /, **params: Any) -> None:
        self.text = message if isinstance(message, Text) else Text(message, **params)
        super().__init__(self.text.message_id)

    def __str__(self) -> str:
        return str(self.text)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.text,))


@dataclass(frozen=True)
class Profile:
    """How to read one bank's CSV export. See the module docstring."""

    name: str
    description: str = ""
    delimiter: str = ","
    quotechar: str = '"'
    encoding: str | None = None
    skip_lines: int = 0
    has_header: bool = True
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)
    decimal_separator: str = "."
    thousands_separator: str = ""
    columns: dict[str, ColumnRef] = field(default_factory=dict)
    sign: str = "normal"
    credit_values: tuple[str, ...] = ("C", "CR", "CRDT", "H", "+")
    debit_values: tuple[str, ...] = ("D", "DR", "DBIT", "S", "-")
    currency: str | None = None
    account: str | None = None
    skip_when: dict[str, list[str]] = field(default_factory=dict)
    optional_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.columns) - set(FIELDS)
        if unknown:
            raise ProfileError(N_("profile {name}: unknown field(s) {fields}"), name=self.name,
                               fields=", ".join(sorted(unknown)))
        if "amount" not in self.columns and not {"debit", "credit"} & set(self.columns):
            raise ProfileError(N_("profile {name}: map 'amount' or 'debit'/'credit'"),
                               name=self.name)
        if "booking_date" not in self.columns:
            raise ProfileError(N_("profile {name}: map 'booking_date'"), name=self.name)
        if self.sign not in SIGNS:
            raise ProfileError(N_("profile {name}: sign must be one of {signs}"), name=self.name,
                               signs=", ".join(SIGNS))
        if self.sign == "indicator" and "indicator" not in self.columns:
            raise ProfileError(N_("profile {name}: sign 'indicator' needs an indicator column"),
                               name=self.name)
        if len(self.delimiter) != 1 or len(self.quotechar) != 1:
            raise ProfileError(N_("profile {name}: delimiter and quotechar are one character"),
                               name=self.name)

    def header_names(self) -> list[str]:
        """Header names the profile refers to (its signature for auto-detection)."""
        names: list[str] = []
        for key, ref in self.columns.items():
            for item in ref if isinstance(ref, list) else [ref]:
                if isinstance(item, str) and key not in self.optional_columns:
                    names.append(item)
        names.extend(h for h in self.skip_when if h not in names)
        return names

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["date_formats"] = list(self.date_formats)
        data["credit_values"] = list(self.credit_values)
        data["debit_values"] = list(self.debit_values)
        data["optional_columns"] = list(self.optional_columns)
        return data


def profile_from_dict(data: dict[str, Any]) -> Profile:
    known = {f.name for f in fields(Profile)}
    unknown = set(data) - known
    if unknown:
        raise ProfileError(N_("unknown profile setting(s): {settings}"),
                           settings=", ".join(sorted(unknown)))
    values = dict(data)
    for key in ("date_formats", "credit_values", "debit_values", "optional_columns"):
        if key in values:
            values[key] = tuple(values[key])
    try:
        return Profile(**values)
    except TypeError as exc:
        raise ProfileError(Text(str(exc))) from None  # a TypeError: a library message


def slug(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not text:
        raise ProfileError(N_("'{name}' is not usable as a profile name"), name=name)
    return text


def save_profile(profile: Profile, directory: Path | str) -> Path:
    """Write ``profile`` as ``<directory>/<slug>.json`` and return the path."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug(profile.name)}.json"
    path.write_text(json.dumps(profile.to_dict(), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def read_profile(path: Path) -> Profile:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProfileError(N_("{path}: {problem}"), path=str(path), problem=str(exc)) from None
    if not isinstance(data, dict):
        raise ProfileError(N_("{path}: {problem}"), path=str(path),
                           problem=Text(N_("a profile is a JSON object")))
    try:
        return profile_from_dict(data)
    except ProfileError as exc:
        raise ProfileError(N_("{path}: {problem}"), path=str(path), problem=exc.text) from None


def _search_dirs(dirs: Iterable[Path | str] | Path | str | None) -> list[Path]:
    if dirs is None:
        extra: list[Path] = []
    elif isinstance(dirs, str | Path):
        extra = [Path(dirs)]
    else:
        extra = [Path(d) for d in dirs]
    return [*extra, SHIPPED_DIR]


def list_profiles(dirs: Iterable[Path | str] | Path | str | None = None) -> list[Profile]:
    """Every profile found; a user directory's profile hides a shipped one of that name."""
    seen: dict[str, Profile] = {}
    for folder in _search_dirs(dirs):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.json")):
            profile = read_profile(path)
            seen.setdefault(slug(profile.name), profile)
    return sorted(seen.values(), key=lambda p: p.name)


def load_profile(name: str, dirs: Iterable[Path | str] | Path | str | None = None) -> Profile:
    """The profile called ``name`` (file name or ``name`` field), user dirs first."""
    wanted = slug(name)
    for folder in _search_dirs(dirs):
        path = folder / f"{wanted}.json"
        if path.is_file():
            return read_profile(path)
    for profile in list_profiles(dirs):
        if slug(profile.name) == wanted:
            return profile
    raise ProfileError(N_("no CSV profile named '{name}'"), name=name)


def norm_header(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").split()).casefold()


def find_header(rows: Sequence[Sequence[str]], names: Sequence[str], limit: int = 60) -> int | None:
    """Index of the first row (within ``limit``) holding every header name in ``names``."""
    wanted = {norm_header(n) for n in names}
    for index, row in enumerate(rows[:limit]):
        cells = {norm_header(c) for c in row}
        if wanted <= cells:
            return index
    return None
