"""Findings 5 and 10 of issue #13: amounts are bounded where they enter, so no total
can overflow; implausible input is refused with the row (or warned)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.kernel.errors import LettrageError
from core.kernel.money import MAX_MINOR, AmountError, largest, parse_amount, to_minor
from core.ledger.check import run_check
from core.ledger.drafts import LineDraft
from core.ledger.poster import Poster
from data.engine import SqlStore
from tests.reliability.support import (
    ENTRY_HEADER,
    PARTY_HEADER,
    company,
    customers_csv,
    run_cli,
    scalar,
    write,
)
from tests.statement_samples import IBAN, Tx, camt

BIG = "60000000000000000.00"


def test_the_bound_keeps_a_million_entries_inside_64_bits() -> None:
    assert 10**6 * MAX_MINOR < 2**63 - 1
    assert largest() == Decimal("9999999999.99")
    assert to_minor(largest()) == MAX_MINOR - 1
    for text in (BIG, "10000000000.00", "1" * 30, "-10000000000"):
        with pytest.raises(AmountError, match="larger than the largest amount"):
            to_minor(Decimal(text))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_huge_amounts_are_refused_at_every_door(backend: str, tmp_path: Path) -> None:
    url = company(backend, tmp_path)
    run_cli(tmp_path, url, "load", "customers", str(customers_csv(tmp_path / "c.csv", 2)))
    entries = write(tmp_path / "e.csv", ENTRY_HEADER + "".join(
        f"customer,C1,invoice,I{i},,2025-01-02,,{BIG},,,,,,\n" for i in (1, 2)))
    done = run_cli(tmp_path, url, "load", "open-entries", str(entries))
    assert done.returncode == 1 and "larger than the largest amount" in done.stderr
    banks = write(tmp_path / "b.csv", "no,name,iban,bic,currency,last_statement_no,"
                  f"balance_last_statement\nB1,Bank,{IBAN},,EUR,0,{BIG}\n")
    done = run_cli(tmp_path, url, "load", "own-bank-accounts", str(banks))
    assert done.returncode == 1 and "larger than the largest amount" in done.stderr
    banks.write_text(banks.read_text().replace(BIG, "0"))
    assert run_cli(tmp_path, url, "load", "own-bank-accounts", str(banks)).returncode == 0
    statement = tmp_path / "s.xml"
    statement.write_bytes(camt([Tx(BIG)], opening="0.00"))
    done = run_cli(tmp_path, url, "statement", "import", str(statement),
                   "--bank-account", "B1")
    assert done.returncode == 1 and "larger than the largest amount" in done.stderr, done
    done = run_cli(tmp_path, url, "setup", "change-tolerance", "--pct", "1", "--max", BIG)
    assert done.returncode == 1 and "larger than the largest amount" in done.stderr
    assert scalar(url, "SELECT COUNT(*) FROM ledgerentry") == 0
    assert run_cli(tmp_path, url, "check").returncode == 0


def test_the_posting_engine_refuses_them_too(store: SqlStore) -> None:
    with pytest.raises(LettrageError, match="larger than the largest amount"), \
            store.write() as s:
        Poster(s, source_code="GENJNL").post([LineDraft(
            posting_date=date(2025, 1, 2), account_type="customer", account_no="C001",
            amount=Decimal(BIG), document_type="invoice", document_no="X1",
            bal_account_type="gl_account", bal_account_no="3900")])
    assert run_check(store).ok


# --- finding 10 ---------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "message"), [
    ("customer,C1,invoice,I1,,2025-01-02,,-500.00,,,,,,", "has a positive amount"),
    ("customer,C1,payment,P1,,2025-01-02,,500.00,,,,,,", "has a negative amount"),
    ("vendor,V1,invoice,VI1,,2025-01-02,,500.00,,,,,,", "has a negative amount"),
    ("customer,C1,invoice,I1,,0001-01-02,,500.00,,,,,,", "outside 1900-2200"),
    ("customer,C1,invoice,I1,,2025-01-02,9999-12-31,500.00,,,,,,", "outside 1900-2200"),
])
def test_implausible_open_entries_are_refused(row: str, message: str, tmp_path: Path) -> None:
    url = company("sqlite", tmp_path)
    run_cli(tmp_path, url, "load", "customers", str(customers_csv(tmp_path / "c.csv", 2)))
    run_cli(tmp_path, url, "load", "vendors",
            str(write(tmp_path / "v.csv", PARTY_HEADER + "V1,Vendor,,,DE,,,30\n")))
    done = run_cli(tmp_path, url, "load", "open-entries",
                   str(write(tmp_path / "e.csv", ENTRY_HEADER + row + "\n")))
    assert done.returncode == 1 and message in done.stderr and "row 2" in done.stderr, done
    assert scalar(url, "SELECT COUNT(*) FROM ledgerentry") == 0


def test_good_signs_load(tmp_path: Path) -> None:
    url = company("sqlite", tmp_path)
    run_cli(tmp_path, url, "load", "customers", str(customers_csv(tmp_path / "c.csv", 2)))
    rows = ("customer,C1,invoice,I1,,2025-01-02,,500.00,,,,,,\n"
            "customer,C1,credit_memo,CM1,,2025-01-02,,-50.00,,,,,,\n"
            "customer,C2,,OB1,,2025-01-02,,-7.00,,,,,,\n")
    done = run_cli(tmp_path, url, "load", "open-entries",
                   str(write(tmp_path / "e.csv", ENTRY_HEADER + rows)))
    assert done.returncode == 0, done


@pytest.mark.parametrize(("kind", "content", "message"), [
    ("customers", PARTY_HEADER.rstrip() + ",iban,bic\nC1,A,,,DE,,,30,not an iban!!,\n",
     "is not a valid IBAN"),
    ("customers", PARTY_HEADER.rstrip() + ",iban,bic\nC1,A,,,DE,,,30,DE89370400440532013001,\n",
     "is not a valid IBAN"),
    ("customers", PARTY_HEADER.rstrip() + ",iban,bic\nC1,A,,,DE,,,30,,XX!\n",
     "is not a valid BIC"),
    ("own-bank-accounts", "no,name,iban,bic,currency,last_statement_no,balance_last_statement"
     "\nB1,Bank,NOTANIBAN,,EUR,0,0\n", "is not a valid IBAN"),
])
def test_ibans_and_bics_are_validated(kind: str, content: str, message: str,
                                      tmp_path: Path) -> None:
    url = company("sqlite", tmp_path)
    done = run_cli(tmp_path, url, "load", kind, str(write(tmp_path / "x.csv", content)))
    assert done.returncode == 1 and message in done.stderr, done


def test_valid_iban_is_stored_compact(tmp_path: Path) -> None:
    url = company("sqlite", tmp_path)
    file = write(tmp_path / "c.csv", PARTY_HEADER.rstrip() + ",iban,bic\n"
                 "C1,A,,,DE,,,30,de89 3704 0044 0532 0130 00,cobadeffxxx\n")
    assert run_cli(tmp_path, url, "load", "customers", str(file)).returncode == 0
    assert scalar(url, "SELECT COUNT(*) FROM partybankaccount WHERE iban = "
                       "'DE89370400440532013000' AND bic = 'COBADEFFXXX'") == 1


def test_decimal_comma_profile_refuses_a_dot_amount() -> None:
    assert parse_amount("1.234,56", ",", ".") == Decimal("1234.56")
    with pytest.raises(AmountError, match="does not fit the number format"):
        parse_amount("100.50", ",", ".")


def test_decimal_comma_csv_statement_names_the_row(tmp_path: Path) -> None:
    profile = {"name": "commabank", "delimiter": ";", "decimal_separator": ",",
               "thousands_separator": ".", "date_formats": ["%d.%m.%Y"],
               "columns": {"booking_date": "Datum", "amount": "Betrag",
                           "remittance": "Text"}, "currency": "EUR"}
    (tmp_path / "config" / "profiles").mkdir(parents=True)
    (tmp_path / "config" / "profiles" / "commabank.json").write_text(json.dumps(profile))
    file = write(tmp_path / "s.csv", "Datum;Betrag;Text\n02.01.2025;1.234,56;ok\n"
                 "03.01.2025;100.50;wrong\n")
    done = run_cli(tmp_path, None, "statement", "parse", str(file), "--profile", "commabank")
    assert done.returncode == 1, done
    err = done.stderr.lower()
    assert "100.50" in err and "is not an amount" in err and "separator ','" in err, err
    assert "row 3" in err or "line 3" in err, err


def test_setup_prints_plain_percentages_and_refuses_extra_decimals(tmp_path: Path) -> None:
    url = company("sqlite", tmp_path)
    done = run_cli(tmp_path, url, "setup", "change-tolerance", "--pct", "100", "--max", "5")
    assert done.returncode == 0 and "100 %" in done.stdout and "E+" not in done.stdout, done
    shown = run_cli(tmp_path, url, "setup", "show")
    assert "Payment tolerance %            100\n" in shown.stdout and "E+" not in shown.stdout
    done = run_cli(tmp_path, url, "setup", "change-tolerance", "--pct", "1", "--max", "1.005")
    assert done.returncode == 1 and "more decimals than the currency allows" in done.stderr
    assert "Max. payment tolerance amount  5.00 EUR" in run_cli(tmp_path, url, "setup",
                                                                  "show").stdout
