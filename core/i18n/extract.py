"""Extracting the marked strings from the source and checking the catalogs against them.

The check (run by the CI test ``tests/core/i18n/test_catalog.py`` and by
``python -m core.i18n check``) reports:
* ``missing``: a string marked in the source that no French catalog file has;
* ``untranslated`` / ``fuzzy``: an entry with an empty or fuzzy French translation;
* ``placeholders``: a translation whose ``{name}`` or ``%(name)s`` placeholders differ
  from the English text's (it would raise or lose a value when formatted);
* ``conflict``: the same string translated differently in two catalog files;
* ``plural``: a string marked with ``ngettext`` whose catalog entry is not plural (or the
  other way round): gettext would never find it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir

from core.i18n.catalogs import DOMAIN, LOCALE_DIR, read_catalog, source_files

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("core", "tui", "screens", "data")
KEYWORDS: dict[str, Any] = {
    "_": None,
    "gettext": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "NP_": ((1, "c"), 2),
}
METHOD_MAP = [("**.py", "python")]
_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0+]*\d*(?:\.\d+)?[sdifr%]")


def extract(root: Path = ROOT, dirs: Iterable[str] = SOURCE_DIRS) -> Catalog:
    """The marked strings of the source as a template catalog."""
    catalog = Catalog(domain=DOMAIN, project="Lettrage", fuzzy=False)
    for folder in dirs:
        path = root / folder
        if not path.is_dir():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
                str(path), METHOD_MAP, keywords=KEYWORDS, comment_tags=("Translators:",),
                strip_comment_tags=True):
            flags = {"python-format"} if _PERCENT.search(_first(message)) else set()
            catalog.add(message, None, [(f"{folder}/{filename}", lineno)],
                        auto_comments=comments, context=context, flags=flags)
    return catalog


def _first(message: str | tuple[str, ...] | list[str]) -> str:
    return message if isinstance(message, str) else message[0]


def placeholders(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """``({brace fields}, {percent placeholders})`` of a message text."""
    braces: set[str] = set()
    try:
        for _literal, field, _spec, _conv in string.Formatter().parse(text):
            if field is not None:
                braces.add(re.split(r"[.\[!:]", field, maxsplit=1)[0])
    except ValueError:
        braces.add("<unbalanced braces>")
    percent = {m.group(0) if not m.group(1) else m.group(1)
               for m in _PERCENT.finditer(text) if m.group(0) != "%%"}
    return frozenset(braces), frozenset(percent)


@dataclass(frozen=True)
class Problem:
    kind: str
    msgid: str
    where: str
    detail: str = ""

    def __str__(self) -> str:
        extra = f": {self.detail}" if self.detail else ""
        return f"{self.kind}: {self.msgid!r} ({self.where}){extra}"


def _key(message: Message) -> tuple[str, str | None]:
    return (_first(message.id), message.context)


def _strings(message: Message) -> list[str]:
    value = message.string
    return [value] if isinstance(value, str) else list(value or ())


def check(language: str = "fr", root: Path = ROOT, locale_dir: Path = LOCALE_DIR) -> list[Problem]:
    """Every problem of ``language``'s catalog files against the source (module doc)."""
    problems: list[Problem] = []
    template = extract(root)
    entries: dict[tuple[str, str | None], tuple[Message, Path]] = {}
    for path in source_files(language, locale_dir):
        for message in read_catalog(path, language):
            if not message.id:
                continue
            key = _key(message)
            where = path.name
            seen = entries.get(key)
            if seen is not None and _strings(seen[0]) != _strings(message):
                problems.append(Problem("conflict", key[0], f"{seen[1].name}, {where}",
                                        "translated differently"))
            entries.setdefault(key, (message, path))
            if message.fuzzy:
                problems.append(Problem("fuzzy", key[0], where))
            elif not all(_strings(message)):
                problems.append(Problem("untranslated", key[0], where))
            else:
                problems.extend(_placeholder_problems(message, where))
    for message in template:
        if not message.id:
            continue
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        found = entries.get(_key(message))
        if found is None:
            problems.append(Problem("missing", _first(message.id), where))
        elif message.pluralizable != found[0].pluralizable:
            # ngettext looks a plural up under both forms: a singular entry never matches
            problems.append(Problem("plural", _first(message.id), f"{found[1].name}, {where}",
                                    "the source and the catalog disagree on plural forms"))
    return problems


def _placeholder_problems(message: Message, where: str) -> Iterator[Problem]:
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    expected = [placeholders(i) for i in ids]
    for text in _strings(message):
        got = placeholders(text)
        # A plural form may leave out the count ("un seul"), never add or rename one.
        if not any(got == e for e in expected) and not any(
                got[0] <= e[0] and got[1] <= e[1] and e[0] - got[0] <= {"n", "count"}
                for e in expected):
            yield Problem("placeholders", _first(message.id), where,
                          f"{sorted(got[0] | got[1])} != {sorted(expected[0][0] | expected[0][1])}")


PLURAL_FORMS = {"fr": (2, "(n > 1)")}


def new_catalog(language: str) -> Catalog:
    """An empty catalog of ``language`` with gettext's usual plural rule (French: two
    forms, singular for 0 and 1) rather than CLDR's three."""
    catalog = Catalog(locale=language, domain=DOMAIN, project="Lettrage", version="0.1.0",
                      fuzzy=False)
    if language in PLURAL_FORMS:
        num, expr = PLURAL_FORMS[language]
        catalog._num_plurals, catalog._plural_expr = num, expr  # type: ignore[assignment]
    return catalog


def missing_entries(language: str = "fr", root: Path = ROOT,
                    locale_dir: Path = LOCALE_DIR) -> Catalog:
    """The marked strings no catalog file of ``language`` has yet, as a catalog with empty
    translations (to append to a part and translate)."""
    known = {_key(m) for path in source_files(language, locale_dir)
             for m in read_catalog(path, language) if m.id}
    out = new_catalog(language)
    for message in extract(root):
        if message.id and _key(message) not in known:
            out.add(message.id, "" if isinstance(message.id, str) else ("", ""),
                    message.locations, auto_comments=message.auto_comments,
                    context=message.context, flags=message.flags)
    return out
