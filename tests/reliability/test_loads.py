"""Findings 1 and 2 of issue #13: loads are exclusive, idempotent and strict.

Two real ``lettrage load`` processes at once on SQLite and PostgreSQL load the file
once; the other says it was already loaded. A malformed CSV stops with the line number.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.i18n import N_, using_language
from core.ledger.check import Detail, run_check, shown_detail
from core.ledger.drafts import LineDraft
from core.ledger.poster import Poster
from data.engine import SqlStore
from tests.reliability.support import (
    ENTRY_HEADER,
    company,
    customers_csv,
    entries_csv,
    run_cli,
    scalar,
    start_cli,
    write,
)

BACKENDS = ["sqlite", "postgresql"]
ROWS = 2000


def _race(tmp_path: Path, url: str, *args: str) -> list[tuple[int, str, str]]:
    procs = [start_cli(tmp_path, url, *args) for _ in range(2)]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        out.append((p.returncode, stdout, stderr))
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_concurrent_open_entry_loads_load_once(backend: str, tmp_path: Path) -> None:
    url = company(backend, tmp_path)
    assert run_cli(tmp_path, url, "load", "customers",
                   str(customers_csv(tmp_path / "c.csv", 10))).returncode == 0
    file = entries_csv(tmp_path / "e.csv", ROWS)
    results = _race(tmp_path, url, "load", "open-entries", str(file))
    assert all(code == 0 for code, _o, _e in results), results
    said = sorted(o for _c, o, _e in results)
    assert "already loaded" in said[0] and "nothing loaded again" in said[0], said
    assert f"({ROWS} rows read, {ROWS} loaded)" in said[1], said
    assert scalar(url, "SELECT COUNT(*) FROM ledgerentry") == ROWS
    assert scalar(url, "SELECT COUNT(*) FROM loadrecord") == 2  # customers + entries
    assert run_cli(tmp_path, url, "check").returncode == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_concurrent_customer_loads_no_traceback(backend: str, tmp_path: Path) -> None:
    url = company(backend, tmp_path)
    file = customers_csv(tmp_path / "c.csv", 3000)
    results = _race(tmp_path, url, "load", "customers", str(file))
    assert all(code == 0 and "Traceback" not in e for code, _o, e in results), results
    said = sorted(o for _c, o, _e in results)
    assert "already loaded" in said[0] and "Loaded 3000 customers" in said[1], said
    assert scalar(url, "SELECT COUNT(*) FROM party WHERE party_type = 'customer'") == 3000


@pytest.mark.parametrize("backend", BACKENDS)
def test_same_entries_in_another_file_are_refused(backend: str, tmp_path: Path) -> None:
    url = company(backend, tmp_path)
    run_cli(tmp_path, url, "load", "customers", str(customers_csv(tmp_path / "c.csv", 10)))
    first = entries_csv(tmp_path / "e.csv", 5)
    assert run_cli(tmp_path, url, "load", "open-entries", str(first)).returncode == 0
    again = run_cli(tmp_path, url, "load", "open-entries", str(first))
    assert again.returncode == 0 and "already loaded" in again.stdout
    edited = write(tmp_path / "e2.csv", first.read_text() + "\n")  # other bytes, same rows
    done = run_cli(tmp_path, url, "load", "open-entries", str(edited))
    assert done.returncode == 1 and "is already loaded" in done.stderr
    assert "invoice INV00000 of customer C1 is already loaded" in done.stderr
    french = run_cli(tmp_path, url, "--lang", "fr", "load", "open-entries", str(edited))
    assert french.returncode == 1 and "facture INV00000 du client C1 figure déjà" in french.stderr
    assert "invoice" not in french.stderr and "customer" not in french.stderr
    assert scalar(url, "SELECT COUNT(*) FROM ledgerentry") == 5


@pytest.mark.parametrize("backend", BACKENDS[:1])
def test_unknown_party_named_in_the_clerks_language(backend: str, tmp_path: Path) -> None:
    url = company(backend, tmp_path)
    file = write(tmp_path / "e.csv", ENTRY_HEADER + "vendor,V9,invoice,I1,,2025-01-02,,"
                                                   "-10.00,,,,,,\n")
    done = run_cli(tmp_path, url, "--lang", "fr", "load", "open-entries", str(file))
    assert done.returncode == 1 and "fournisseur « V9 » n’existe pas" in done.stderr
    assert "vendor" not in done.stderr


def test_check_finds_a_partys_duplicate_document(store: SqlStore) -> None:
    assert run_check(store).ok
    with store.write() as s:
        lines = [LineDraft(posting_date=date(2025, 1, 2), account_type="customer",
                           account_no="C001", amount=Decimal("10.00"),
                           document_type="invoice", document_no="DUP1",
                           bal_account_type="gl_account", bal_account_no="3900")
                 for _ in range(2)]
        Poster(s, source_code="OPENING").post(lines)
    report = run_check(store)
    failed = [r for r in report.results if not r.ok]
    assert [r.name for r in failed] == ["no party has the same document twice"]
    assert failed[0].details[0] == "customer C001: invoice DUP1 is on 2 entries"  # --json
    with using_language("fr"):
        assert shown_detail(failed[0].details[0]) == \
            "client C001 : facture DUP1 figure sur 2 écritures"


def test_check_details_worded_in_the_readers_language() -> None:
    detail = Detail(N_("transaction {transaction} is off by {amount}"), transaction=7,
                    amount=Decimal("-1234.5"))
    assert detail == "transaction 7 is off by -1234.5"  # what --json and logs keep
    with using_language("fr"):
        assert shown_detail(detail) == "la transaction 7 présente un écart de -1\u202f234,50"
    assert shown_detail(detail) == "transaction 7 is off by -1,234.50"
    assert shown_detail("written before: as it was") == "written before: as it was"


# --- finding 2: strict CSV -----------------------------------------------------------------

ENTRY = "customer,C1,invoice,{no},,2025-01-02,,{amount},,,,,,\n"


@pytest.mark.parametrize(("body", "message"), [
    (ENTRY.format(no="I1", amount="500.00").replace("I1,", '"I1,', 1)
     + ENTRY.format(no="I2", amount="500.00"), "line 2: a quote is not closed"),
    (ENTRY.format(no="I1", amount="500.00") + ENTRY.format(no='"I2"x', amount="1.00"),
     "line 3: text follows a closing quote"),
    (ENTRY.format(no="I1", amount="500.00") + "customer,C1,invoice,I2,,2025-01-02\n",
     "line 3: 6 fields where the header has 14"),
    (ENTRY.format(no="I1", amount="500.00") + ENTRY.format(no="I2", amount="1.00,x"),
     "line 3: 15 fields where the header has 14"),
    (ENTRY.format(no='"I1\nI1b"', amount="5.00"), "line 2: a quoted field runs over"),
])
def test_malformed_rows_stop_the_load_with_the_line(body: str, message: str,
                                                    tmp_path: Path) -> None:
    url = company("sqlite", tmp_path)
    run_cli(tmp_path, url, "load", "customers", str(customers_csv(tmp_path / "c.csv", 2)))
    file = write(tmp_path / "bad.csv", ENTRY_HEADER + body)
    done = run_cli(tmp_path, url, "load", "open-entries", str(file))
    assert done.returncode == 1, done
    assert message in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
    assert scalar(url, "SELECT COUNT(*) FROM ledgerentry") == 0


def test_a_load_reports_rows_read_and_loaded(tmp_path: Path) -> None:
    url = company("sqlite", tmp_path)
    done = run_cli(tmp_path, url, "load", "customers", str(customers_csv(tmp_path / "c.csv", 7)),
                   "--json")
    assert done.returncode == 0
    assert '"rows": 7' in done.stdout and '"written": 7' in done.stdout


def test_a_huge_field_is_refused_with_the_line(tmp_path: Path) -> None:
    url = company("sqlite", tmp_path)
    file = write(tmp_path / "c.csv", "no,name,address,city,country,email,vat_no,"
                 "payment_terms_days\nC1,Big,,,DE,,,30\nC2," + "x" * 2_000_000 + ",,,DE,,,30\n")
    done = run_cli(tmp_path, url, "load", "customers", str(file))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "line 3" in done.stderr and "longer than" in done.stderr
