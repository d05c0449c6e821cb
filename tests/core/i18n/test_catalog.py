"""The CI check of the catalogs: every marked string translated in French, nothing fuzzy,
the same placeholders; and the compiled catalogs (build step and runtime fallback)."""

from __future__ import annotations

import gettext
import os
from pathlib import Path

import pytest

from core.i18n.catalogs import compile_all, mo_file
from core.i18n.extract import check, extract

HEADER = '''msgid ""
msgstr ""
"Language: fr\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

'''


def test_every_marked_string_has_a_french_translation() -> None:
    problems = check("fr")
    assert not problems, "\n".join(str(p) for p in problems) + (
        "\nAdd the French entries (python -m core.i18n missing --part <capability>, then "
        "translate; see the README's 'Translating' section).")


def test_the_extractor_sees_every_marker() -> None:
    ids = {(m.id if isinstance(m.id, str) else m.id[0]) for m in extract() if m.id}
    assert "'{text}' is not an amount" in ids  # _() in core/i18n/formats.py


def _project(tmp_path: Path, source: str, po: str, part: str | None = None) -> tuple[Path, Path]:
    root = tmp_path / "src"
    (root / "core").mkdir(parents=True)
    (root / "core" / "m.py").write_text(source, encoding="utf-8")
    folder = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    (folder / "parts").mkdir(parents=True)
    (folder / "lettrage.po").write_text(HEADER + po, encoding="utf-8")
    if part is not None:
        (folder / "parts" / "cap.po").write_text(HEADER + part, encoding="utf-8")
    return root, tmp_path / "locale"


SOURCE = '''
from core.i18n import N_, NP_, _, ngettext, pgettext
A = N_("Customer Ledger Entries")
B = NP_("verb", "Apply")
def f(n):
    return _("Posted {count} entries").format(count=n), ngettext("{n} line", "{n} lines", n), \\
        pgettext("noun", "Balance"), _("%(pct)s of the amount") % {"pct": 1}
'''
GOOD = '''msgid "Customer Ledger Entries"
msgstr "Écritures comptables client"

msgctxt "verb"
msgid "Apply"
msgstr "Lettrer"

msgid "Posted {count} entries"
msgstr "{count} écritures validées"

msgid "{n} line"
msgid_plural "{n} lines"
msgstr[0] "une ligne"
msgstr[1] "{n} lignes"

msgctxt "noun"
msgid "Balance"
msgstr "Solde"
'''
PCT = '''
#, python-format
msgid "%(pct)s of the amount"
msgstr "%(pct)s du montant"
'''


def test_a_complete_catalog_passes(tmp_path: Path) -> None:
    root, locale = _project(tmp_path, SOURCE, GOOD, PCT)
    assert check("fr", root, locale) == []


def test_each_kind_of_problem_is_reported(tmp_path: Path) -> None:
    bad = GOOD.replace('msgstr "Solde"', 'msgstr ""') \
              .replace('msgstr "{count} écritures validées"', 'msgstr "{nombre} écritures"') \
              .replace('msgctxt "verb"\nmsgid "Apply"', '#, fuzzy\nmsgctxt "verb"\nmsgid "Apply"')
    part = PCT.replace('"%(pct)s du montant"', '"%(pourcent)s du montant"') + '''
msgid "Customer Ledger Entries"
msgstr "Écritures client"
'''
    root, locale = _project(tmp_path, SOURCE + '\nC = _("Open entries")\n', bad, part)
    found = {(p.kind, p.msgid) for p in check("fr", root, locale)}
    assert found == {
        ("untranslated", "Balance"),
        ("placeholders", "Posted {count} entries"),
        ("fuzzy", "Apply"),
        ("placeholders", "%(pct)s of the amount"),
        ("conflict", "Customer Ledger Entries"),
        ("missing", "Open entries"),
    }


def test_parts_are_merged_and_compiled(tmp_path: Path) -> None:
    _root, locale = _project(tmp_path, SOURCE, GOOD, PCT)
    out = tmp_path / "build"
    [mo] = compile_all(out, locale)
    with mo.open("rb") as f:
        t = gettext.GNUTranslations(f)
    assert t.gettext("%(pct)s of the amount") == "%(pct)s du montant"  # from the part
    assert t.pgettext("verb", "Apply") == "Lettrer"
    assert t.ngettext("{n} line", "{n} lines", 1) == "une ligne"
    assert t.ngettext("{n} line", "{n} lines", 2) == "{n} lignes"


def test_runtime_fallback_compiles_when_missing_or_stale(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LETTRAGE_CACHE_DIR", str(tmp_path / "cache"))
    _root, locale = _project(tmp_path, SOURCE, GOOD)
    first = mo_file("fr", locale)
    assert first is not None and first.is_relative_to(tmp_path / "cache")
    assert mo_file("fr", locale) == first  # compiled once, then reused
    # A built .mo newer than the sources is used as is ...
    built = locale / "fr" / "LC_MESSAGES" / "lettrage.mo"
    built.write_bytes(first.read_bytes())
    assert mo_file("fr", locale) == built
    # ... but not once a translator edited a .po after the build.
    po = locale / "fr" / "LC_MESSAGES" / "lettrage.po"
    po.write_text(po.read_text(encoding="utf-8").replace("Solde", "Solde du compte"),
                  encoding="utf-8")
    stat = built.stat()
    os.utime(po, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    fresh = mo_file("fr", locale)
    assert fresh not in (None, built, first)
    with fresh.open("rb") as f:
        assert gettext.GNUTranslations(f).pgettext("noun", "Balance") == "Solde du compte"
    assert mo_file("de", locale) is None
