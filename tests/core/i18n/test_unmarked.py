"""No user-visible text left unmarked: the scanner finds literals a clerk would read that
no ``_()``/``N_()`` wraps (the catalog check cannot see them), and the source has none."""

from __future__ import annotations

from pathlib import Path

from core.i18n.unmarked import is_text, unmarked

SOURCE = '''
from core.i18n import N_, _
from core.kernel.errors import LettrageError
from textual.binding import Binding
from textual.widgets import Label, Static

BINDINGS = [Binding("a", "apply", "Apply entries"), Binding("p", "post", N_("Post"))]


def f(app, parser, table, warnings, exc, n):
    app.notify(f"Posted {n} entries")
    app.notify(_("Posted {n} entries").format(n=n))
    Static("Customer Ledger Entries")
    Label(_("Customer Ledger Entries"))
    table.add_column("Remaining Amount", key="remaining")
    parser.add_argument("--since", help="first day of the period")
    parser.add_argument("--until", help=N_("last day of the period"))
    warnings.append(f"line {n} is in USD")
    print(f"lettrage: {exc}")
    print("Nothing to do.")
    print(f"{n} {_('late')}")
    if n > 3:
        raise LettrageError(f"Entry {n} is closed")
    if n > 2:
        raise LettrageError(N_("Entry {n} is closed"), n=n)
    if n > 1:
        raise ValueError("a programming error, for the developer")
    reason = f"all {n} lines were already imported"
    app.notify(_("Nothing imported: {why}").format(why="no new line in the file"))
    sql = f"SELECT amount FROM entry WHERE entry_no IN ({n})"
    if n > 0:
        raise ValueError(f"not a plain file name: {n!r}")
    raise LettrageError("Refused by the bank")  # i18n: not shown
'''


def test_the_scanner_finds_each_kind_of_unmarked_text(tmp_path: Path) -> None:
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "m.py").write_text(SOURCE, encoding="utf-8")
    found = {(f.where, f.text) for f in unmarked(tmp_path, ("core",))}
    assert found == {
        ("Binding", "Apply entries"),
        ("notify", "Posted {} entries"),
        ("Static", "Customer Ledger Entries"),
        ("add_column", "Remaining Amount"),
        ("add_argument(help=)", "first day of the period"),
        ("warnings.append", "line {} is in USD"),
        ("print", "Nothing to do."),
        ("raise LettrageError", "Entry {} is closed"),
        ("marker inside an f-string", "late"),  # Babel's extractor does not see it
        ("f-string", "all {} lines were already imported"),  # nobody can translate it
        ("parameter why of a translated message", "no new line in the file"),
    }


def test_what_counts_as_text() -> None:
    assert is_text("Close") and is_text("no CSV profile named '{name}'")
    for code in ("Ntry/Amt", "YYYY-MM-DD", "%s", "{}: {}", "lettrage: {}", "id", "CRDT"):
        assert not is_text(code), code


def test_no_unmarked_user_visible_text_in_the_source() -> None:
    found = [str(f) for f in unmarked()]
    assert not found, "\n".join(found) + (
        "\nMark these with _() / N_() (core.i18n) and add their French (python -m core.i18n "
        "missing --part <capability>); a line that is never shown to a user (a log line, a "
        "machine format) may end with '# i18n: not shown'.")
