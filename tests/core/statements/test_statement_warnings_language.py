"""Statement warnings are kept language-neutral: parsed and stored as a message id and
parameters, worded in the reader's language when shown (French or English, whoever
imported the file); warnings stored before as plain text still show as written."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import col, select

from core.audit.models import AuditEntry
from core.audit.trail import note_text
from core.i18n import using_language
from core.kernel.errors import Text
from core.kernel.store import Store
from core.ledger.bank_statements import StatementImport
from core.statements import parse_bytes
from core.statements.importer import StatementImportService
from core.statements.worded import shown_list, stored_list
from tests.statement_samples import Tx, camt, mt940, write

THREE = [Tx("100.00", ref="R1"), Tx("250.00", ref="R2", name="Trey Research"),
         Tx("-40.00", ref="R3", name="Fabrikam", text="Rent")]


def test_a_parser_warning_is_a_message_id_worded_when_shown() -> None:
    text = mt940([Tx("10.00", ref="A")]).replace(b":60F:C250110", b":60F:C250231")
    with using_language("fr"):
        (statement,) = parse_bytes(text, "a.sta").statements
    (warning,) = statement.warnings
    assert isinstance(warning, Text)  # not worded in the parsing clerk's language
    assert warning.message_id == "line {line}: date {value} does not exist; read as {read}"
    with using_language("en"):
        assert str(warning) == "line 4: date 2025-02-31 does not exist; read as 2025-02-28"
    with using_language("fr"):
        assert str(warning) == ("ligne 4 : la date 2025-02-31 n’existe pas ; lue comme "
                                "28/02/2025")


def _import_unbalanced(store: Store, tmp_path: Path, language: str) -> StatementImport:
    path = write(tmp_path, "a.xml", camt(THREE, closing="1234.50"))
    with using_language(language):
        result = StatementImportService(store, user="clerk").import_(path)
    with store.read() as s:
        imp = s.get(StatementImport, result.import_ids[0])
        assert imp is not None
        return imp


def test_warnings_stored_neutral_and_shown_in_the_readers_language(
        store: Store, tmp_path: Path) -> None:
    imp = _import_unbalanced(store, tmp_path, "en")  # an English clerk imports
    (record,) = json.loads(imp.warnings)
    assert record["id"].startswith("opening balance {opening} plus the lines")
    assert record["params"]["closing"] == {"decimal": "1234.50"}  # JSON-safe, typed
    with using_language("fr"):  # a French clerk reads it
        (text,) = shown_list(imp.warnings)
    assert text.replace("\u202f", " ") == (
        "le solde d’ouverture 1 000,00 plus les lignes (310,00) ne donne pas le solde de clôture "
        "1 234,50 ; le fichier est peut-être incomplet")
    with using_language("en"):
        (text,) = shown_list(imp.warnings)
    assert text == ("opening balance 1,000.00 plus the lines (310.00) is not the closing "
                    "balance 1,234.50; the file may be incomplete")


def test_the_import_trail_note_is_worded_for_its_reader(store: Store, tmp_path: Path) -> None:
    _import_unbalanced(store, tmp_path, "fr")  # a French clerk imports
    path = write(tmp_path, "a.xml", camt(THREE, closing="1234.50"))
    with using_language("fr"):
        StatementImportService(store, user="clerk").import_(path)  # nothing new
    with store.read() as s:
        notes = [a.note for a in s.exec(select(AuditEntry).where(
            col(AuditEntry.action) == "import").order_by(col(AuditEntry.id))).all()]
    assert len(notes) == 1  # the second import wrote nothing
    with using_language("en"):
        assert note_text(notes[0]) == "Imported 3 new line(s) from a.xml into BANK1"
    with using_language("fr"):
        assert note_text(notes[0]) == "3 nouvelle(s) ligne(s) importée(s) de a.xml dans BANK1"


def test_nested_parts_and_plain_text_warnings() -> None:
    nested = Text("{what}{more}", what=Text("statement {label}", label="S-1"),
                  more=Text(" and {count} more", count=2))
    value = stored_list([nested, "a library's own words"])
    with using_language("fr"):
        assert shown_list(value) == ["relevé S-1 et 2 autre(s)", "a library's own words"]
    with using_language("en"):
        assert shown_list(value)[0] == "statement S-1 and 2 more"
    # rows imported before stored the worded text: shown as written
    assert shown_list(json.dumps(["le solde C n’a pas de date"])) == [
        "le solde C n’a pas de date"]
    assert shown_list("") == []
