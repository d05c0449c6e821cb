"""Statement import service: duplicates, accounts, currencies, balances, atomicity.

Runs on SQLite and PostgreSQL through the ``store`` fixture (company with BANK1,
IBAN DE89370400440532013000, EUR).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlmodel import col, select

from core.i18n import using_language
from core.kernel.errors import NotFoundError
from core.kernel.store import Store
from core.ledger.bank_statements import BankStatementLine, StatementImport
from core.ledger.models import BankAccount
from core.statements import ParsedFile, StatementError, parse_bytes
from core.statements.importer import StatementImportError, StatementImportService
from core.statements.worded import shown
from tests.core.statements.conftest import corpus_dir
from tests.statement_samples import (
    CSV_PROFILE,
    OTHER_IBAN,
    Tx,
    camt,
    csv_file,
    mt940,
    write,
)


def service(store: Store) -> StatementImportService:
    return StatementImportService(store, user="clerk")


def staged(store: Store) -> list[BankStatementLine]:
    with store.read() as s:
        return list(s.exec(select(BankStatementLine).order_by(col(BankStatementLine.id))).all())


def imports(store: Store) -> list[StatementImport]:
    with store.read() as s:
        return list(s.exec(select(StatementImport).order_by(col(StatementImport.id))).all())


def add_bank(store: Store, no: str, iban: str, currency: str = "") -> None:
    with store.write() as s:
        s.add(BankAccount(no=no, name=no, gl_account_no="1100", iban=iban, currency=currency))


THREE = [Tx("100.00", ref="R1"), Tx("250.00", ref="R2", name="Trey Research"),
         Tx("-40.00", ref="R3", name="Fabrikam", text="Rent")]


# --- duplicates ---------------------------------------------------------------------------


def test_same_file_twice_imports_nothing_the_second_time(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "jan.xml", camt(THREE))
    svc = service(store)
    preview = svc.preview(path)
    assert (preview.total("new"), preview.total("duplicate")) == (3, 0)
    assert staged(store) == []  # a preview writes nothing
    first = svc.import_(path)
    assert first.imported == 3 and len(first.import_ids) == 1
    second = svc.import_(path)
    assert second.imported == 0 and second.import_ids == ()
    assert "Nothing imported" in second.message and "already imported" in second.message
    assert "imported before" in second.message
    again = svc.preview(path)
    assert again.total("duplicate") == 3 and again.earlier_imports
    assert all("already imported from jan.xml" in v.reason for v in again.statements[0].lines)
    assert len(staged(store)) == 3 and len(imports(store)) == 1


def test_import_records_file_statement_and_fields(store: Store, tmp_path: Path) -> None:
    data = camt(THREE, stmt_id="2025-001")
    path = write(tmp_path, "jan.xml", data)
    service(store).import_(path)
    (imp,) = imports(store)
    assert imp.file_name == "jan.xml" and imp.file_sha256 == hashlib.sha256(data).hexdigest()
    assert (imp.statement_id, imp.format, imp.bank_account_no) == ("2025-001", "camt.053",
                                                                   "BANK1")
    assert (imp.opening_balance, imp.closing_balance) == (100000, 131000)
    assert (imp.lines_total, imp.lines_new, imp.lines_duplicate) == (3, 3, 0)
    assert imp.user_id == "clerk"
    first, second, third = staged(store)
    assert (first.amount, first.currency, first.bank_reference) == (10000, "EUR", "R1")
    assert third.amount == -4000 and third.counterparty_name == "Fabrikam"
    assert first.counterparty_iban == OTHER_IBAN and first.remittance == "Invoice 103001"
    assert first.status == "new" and first.version == 1 and first.import_id == imp.id
    assert [ln.line_no for ln in (first, second, third)] == [1, 2, 3]
    assert json.loads(first.references_json) == [] and "<Ntry" in first.raw


def test_overlapping_statements_import_only_the_new_lines(store: Store, tmp_path: Path) -> None:
    svc = service(store)
    svc.import_(write(tmp_path, "a.xml", camt(THREE, stmt_id="A")))
    later = [*THREE[1:], Tx("75.00", ref="R4", day="2025-01-11"),
             Tx("12.00", ref="R5", day="2025-01-11", name="Other", text="x")]
    path = write(tmp_path, "b.xml", camt(later, stmt_id="B", opening="1100.00",
                                         end="2025-01-11"))
    preview = svc.preview(path)
    (sp,) = preview.statements
    assert (sp.new, sp.duplicate, sp.suspicious) == (2, 2, 0)
    assert any("overlaps an earlier import" in w for w in map(str, sp.warnings))
    result = svc.import_(path)
    assert result.imported == 2
    assert sorted(ln.bank_reference for ln in staged(store)) == ["R1", "R2", "R3", "R4", "R5"]


def test_lines_without_bank_reference_dedup_by_content(store: Store, tmp_path: Path) -> None:
    svc = service(store)
    jan = [Tx("10.00", text="Inv 1"), Tx("20.00", text="Inv 2", day="2025-01-11")]
    svc.import_(write(tmp_path, "a.csv", csv_file(jan)), profile=CSV_PROFILE)
    overlapping = [*jan, Tx("30.00", text="Inv 3", day="2025-01-12")]
    path = write(tmp_path, "b.csv", csv_file(overlapping))
    preview = svc.preview(path, profile=CSV_PROFILE)
    kinds = [v.kind for v in preview.statements[0].lines]
    assert kinds == ["duplicate", "duplicate", "new"]
    assert "same date, amount, counterparty and text" in preview.statements[0].lines[0].reason
    assert svc.import_(path, profile=CSV_PROFILE).imported == 1
    assert len(staged(store)) == 3


def test_two_identical_payments_on_one_day_are_both_imported(store: Store,
                                                            tmp_path: Path) -> None:
    svc = service(store)
    twins = [Tx("50.00", text="Rent"), Tx("50.00", text="Rent")]
    path = write(tmp_path, "twins.csv", csv_file(twins))
    assert svc.import_(path, profile=CSV_PROFILE).imported == 2
    lines = staged(store)
    assert [ln.occurrence for ln in lines] == [1, 2]
    assert lines[0].dedup_key == lines[1].dedup_key
    assert svc.import_(path, profile=CSV_PROFILE).imported == 0
    # A later export of the same day holds a third identical payment: only it is new.
    triple = write(tmp_path, "triple.csv", csv_file([*twins, Tx("50.00", text="Rent")]))
    preview = svc.preview(triple, profile=CSV_PROFILE)
    assert [v.kind for v in preview.statements[0].lines] == ["duplicate", "duplicate", "new"]
    assert svc.import_(triple, profile=CSV_PROFILE).imported == 1
    assert [ln.occurrence for ln in staged(store)] == [1, 2, 3]


def test_identical_payments_with_shared_bank_reference(store: Store, tmp_path: Path) -> None:
    """A batch whose entries share one bank reference (OCA #475) is not refused."""
    svc = service(store)
    batch = [Tx("9.00", ref="BATCH"), Tx("9.00", ref="BATCH"), Tx("4.00", ref="BATCH")]
    path = write(tmp_path, "batch.xml", camt(batch))
    assert svc.import_(path).imported == 3
    assert svc.import_(path).imported == 0


def test_reused_statement_id_does_not_hide_new_lines(store: Store, tmp_path: Path) -> None:
    """Rabobank reuses statement ids every year (OCA #65): lines decide, not ids."""
    svc = service(store)
    svc.import_(write(tmp_path, "y1.xml", camt(THREE, stmt_id="001")))
    next_year = [Tx("100.00", ref="R9", day="2026-01-10")]
    path = write(tmp_path, "y2.xml", camt(next_year, stmt_id="001", start="2026-01-10",
                                          end="2026-01-10", opening="1310.00"))
    assert svc.import_(path).imported == 1


def test_near_duplicate_is_flagged_not_dropped(store: Store, tmp_path: Path) -> None:
    """Pending -> booked a day later without reference: suspicious, imported unless
    skipped on request."""
    svc = service(store)
    svc.import_(write(tmp_path, "a.csv", csv_file([Tx("80.00", text="Invoice 77")])),
                profile=CSV_PROFILE)
    shifted = write(tmp_path, "b.csv", csv_file([Tx("80.00", text="Invoice 77",
                                                    day="2025-01-11")]))
    preview = svc.preview(shifted, profile=CSV_PROFILE)
    (line,) = preview.statements[0].lines
    assert line.kind == "suspicious" and "similar text" in line.reason
    assert "a.csv" in line.reason and "suspicious" in preview.describe()
    skipped = svc.import_(shifted, profile=CSV_PROFILE, skip_suspicious=True)
    assert skipped.imported == 0 and skipped.skipped_suspicious == 1
    result = svc.import_(shifted, profile=CSV_PROFILE)
    assert result.imported == 1 and "flagged as suspicious" in result.message
    kept = staged(store)[-1].suspect_reason  # stored language-neutral, worded when read
    assert "similar text" in shown(kept) and "a.csv" in shown(kept)
    with using_language("fr"):
        french = shown(kept)
    assert "texte semblable" in french and "10/01/2025" in french and "aucun" in french
    assert "a.csv" in french and "similar" not in french
    assert shown("written before: as it was") == "written before: as it was"


def test_same_reference_booked_on_another_date_is_suspicious(store: Store,
                                                             tmp_path: Path) -> None:
    svc = service(store)
    svc.import_(write(tmp_path, "a.xml", camt([Tx("60.00", ref="X1")])))
    moved = camt([Tx("60.00", ref="X1", day="2025-01-13")], stmt_id="S-2",
                 start="2025-01-13", end="2025-01-13", opening="1060.00")
    (line,) = svc.preview(write(tmp_path, "b.xml", moved)).statements[0].lines
    assert line.kind == "suspicious" and "same bank reference X1" in line.reason


def test_different_payer_same_amount_is_new(store: Store, tmp_path: Path) -> None:
    svc = service(store)
    svc.import_(write(tmp_path, "a.csv", csv_file([Tx("80.00", text="Invoice 77")])),
                profile=CSV_PROFILE)
    other = write(tmp_path, "b.csv", csv_file([Tx("80.00", name="Zeta Ltd", text="Order 9",
                                                  day="2025-01-11")]))
    (line,) = svc.preview(other, profile=CSV_PROFILE).statements[0].lines
    assert line.kind == "new"


def test_pending_entries_are_not_imported(store: Store, tmp_path: Path) -> None:
    data = camt([Tx("5.00", ref="P1"), Tx("6.00", ref="P2")]).replace(
        b"<Sts>BOOK</Sts>", b"<Sts>PDNG</Sts>", 1)
    result = service(store).import_(write(tmp_path, "p.xml", data))
    assert result.imported == 1 and "not booked yet" in result.message
    assert [ln.bank_reference for ln in staged(store)] == ["P2"]


def test_twins_around_a_pending_line_and_a_second_statement_of_the_file(
        store: Store, tmp_path: Path) -> None:
    """Occurrences count the booked lines only (a pending one between twins takes none);
    a line the file's second statement repeats is a duplicate of the first one."""
    twin = Tx("50.00", text="Rent")
    first = camt([twin, Tx("7.00", ref="P1", text="Pending"), twin, Tx("9.00", ref="R9")],
                 stmt_id="S-1").replace(b"<Sts>BOOK</Sts>", b"<Sts>PDNG</Sts>", 2).replace(
                     b"<Sts>PDNG</Sts>", b"<Sts>BOOK</Sts>", 1)
    second = camt([Tx("9.00", ref="R9"), Tx("11.00", ref="R11")], stmt_id="S-2",
                  opening="1109.00", start="2025-01-11", end="2025-01-11")
    stmt = second[second.index(b"<Stmt>"):second.index(b"</Stmt>") + len(b"</Stmt>")]
    data = first.replace(b"</Stmt>", b"</Stmt>" + stmt)
    preview = service(store).preview(write(tmp_path, "two.xml", data))
    one, two = preview.statements
    assert [(v.kind, v.occurrence) for v in one.lines] == [
        ("new", 1), ("skipped", 0), ("new", 2), ("new", 1)]
    assert [v.kind for v in two.lines] == ["duplicate", "new"]
    assert "S-1 of this same file" in two.lines[0].reason
    result = service(store).import_(write(tmp_path, "two.xml", data))
    assert result.imported == 4
    assert [(ln.bank_reference, ln.occurrence, ln.amount) for ln in staged(store)] == [
        ("", 1, 5000), ("", 2, 5000), ("R9", 1, 900), ("R11", 1, 1100)]


# --- accounts and currencies --------------------------------------------------------------


def test_account_mismatch_names_file_and_statement(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "other.xml", camt(THREE, stmt_id="S-9", iban=OTHER_IBAN))
    with pytest.raises(StatementImportError, match=r"other\.xml, statement S-9: .*not bank "
                       r"account BANK1"):
        service(store).preview(path, "BANK1")
    with pytest.raises(StatementImportError, match="no bank account has IBAN"):
        service(store).import_(path)
    assert staged(store) == [] and imports(store) == []


def test_bank_found_by_iban_and_by_blz_account(store: Store, tmp_path: Path) -> None:
    svc = service(store)
    assert svc.preview(write(tmp_path, "a.xml", camt(THREE))).statements[0].bank_account_no \
        == "BANK1"
    sta = write(tmp_path, "a.sta", mt940([Tx("10.00", ref="B1"), Tx("11.00")]))
    preview = svc.preview(sta)
    assert preview.statements[0].bank_account_no == "BANK1"
    assert [v.bank_reference for v in preview.statements[0].lines] == ["B1", ""]


def test_unknown_bank_and_unnamed_account(store: Store, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="BANK9"):
        service(store).preview(write(tmp_path, "a.xml", camt(THREE)), "BANK9")
    nameless = CSV_PROFILE.__class__(**{**CSV_PROFILE.__dict__, "account": None})
    path = write(tmp_path, "x.csv", csv_file([Tx("1.00")]))
    with pytest.raises(StatementImportError, match="does not name its account"):
        service(store).preview(path, profile=nameless)
    assert service(store).preview(path, "BANK1", profile=nameless).total("new") == 1


def test_currency_mismatch(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "usd.xml", camt(THREE, currency="USD"))
    with pytest.raises(StatementImportError, match=r"usd\.xml, statement S-1: the statement "
                       r"is in USD but bank account BANK1 is in EUR"):
        service(store).import_(path, "BANK1")
    add_bank(store, "BANKUSD", "US64SVBKUS6S3300958879", "USD")
    ok = write(tmp_path, "usd2.xml", camt(THREE, currency="USD",
                                          iban="US64SVBKUS6S3300958879"))
    assert service(store).import_(ok).imported == 3


# --- balances -----------------------------------------------------------------------------


def test_balance_continuity(store: Store, tmp_path: Path) -> None:
    svc = service(store)
    first = svc.preview(write(tmp_path, "a.xml", camt(THREE)))
    assert first.statements[0].balance_continues is None
    svc.import_(write(tmp_path, "a.xml", camt(THREE)))  # closes at 1,310.00
    good = camt([Tx("1.00", ref="N1", day="2025-01-11")], stmt_id="S-2", opening="1310.00",
                start="2025-01-11", end="2025-01-11")
    sp = svc.preview(write(tmp_path, "b.xml", good)).statements[0]
    assert sp.balance_continues is True and "continues statement S-1" in str(sp.balance_note)
    gap = camt([Tx("1.00", ref="N1", day="2025-01-13")], stmt_id="S-3", opening="1500.00",
               start="2025-01-13", end="2025-01-13")
    sp = svc.preview(write(tmp_path, "c.xml", gap)).statements[0]
    assert sp.balance_continues is False
    assert any("does not continue statement S-1" in w and "190.00" in w
               for w in map(str, sp.warnings))


def test_balance_continuity_against_bank_card(store: Store, tmp_path: Path) -> None:
    with store.write() as s:
        bank = s.get(BankAccount, "BANK1")
        assert bank is not None
        bank.last_statement_no, bank.balance_last_statement = "41", 90000
    sp = service(store).preview(write(tmp_path, "a.xml", camt(THREE))).statements[0]
    assert sp.balance_continues is False and "balance last statement 41" in str(sp.balance_note)


def test_lines_not_adding_up_warn(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "a.xml", camt(THREE, closing="9.00"))
    sp = service(store).preview(path).statements[0]
    assert any("is not the closing balance" in w for w in map(str, sp.warnings))


# --- atomicity ----------------------------------------------------------------------------


def test_malformed_file_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.xml", camt(THREE)[:-40])
    with pytest.raises(StatementError, match=r"bad\.xml"):
        service(store).import_(path)
    assert staged(store) == [] and imports(store) == []


def test_error_in_second_statement_writes_nothing(store: Store, tmp_path: Path) -> None:
    one = parse_bytes(camt(THREE), "a.xml").statements[0]
    two = parse_bytes(camt([Tx("1.00")], iban=OTHER_IBAN, stmt_id="S-2"), "b.xml").statements[0]
    combined = ParsedFile("both.xml", "camt.053", "utf-8", (one, two))
    with pytest.raises(StatementImportError, match=r"both\.xml, statement S-2"):
        service(store).import_(combined, "BANK1")
    assert staged(store) == [] and imports(store) == []


def test_sub_cent_amount_is_refused_with_its_place(store: Store, tmp_path: Path) -> None:
    data = camt([Tx("1.00", ref="A")]).replace(b">1.00<", b">1.005<")
    with pytest.raises(StatementImportError, match=r"line 1: amount 1.005 has more decimals"):
        service(store).import_(write(tmp_path, "a.xml", data))
    assert staged(store) == []


def test_unique_key_refuses_a_second_copy(store: Store, tmp_path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    service(store).import_(write(tmp_path, "a.xml", camt(THREE)))
    row = staged(store)[0]
    copy = BankStatementLine(**{**row.model_dump(), "id": None})
    with pytest.raises(IntegrityError), store.write() as s:
        s.add(copy)


# --- several statements, corpus -----------------------------------------------------------


def test_file_with_two_statements_checks_continuity_inside_the_file(store: Store) -> None:
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("statement corpus not found")
    add_bank(store, "NLBANK", "NL26VAYB8060476890")
    path = corpus / "camt" / "genkgo__camt053.v2.multi.statement.xml"
    svc = service(store)
    preview = svc.preview(path)
    _first, second = preview.statements
    assert second.balance_continues is True and "of this file" in str(second.balance_note)
    result = svc.import_(path)
    assert result.imported == 2 and len(result.import_ids) == 2
    assert svc.import_(path).imported == 0


def test_corpus_camt_with_unreferenced_lines(store: Store) -> None:
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("statement corpus not found")
    add_bank(store, "ABN", "NL77ABNA0574908765")
    path = corpus / "camt" / "oca__test-camt053.xml"
    svc = service(store)
    assert svc.import_(path).imported == 4
    again = svc.preview(path)
    assert again.total("duplicate") == 4 and again.total("new") == 0
