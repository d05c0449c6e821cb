"""Fuzz every CSV loader and the statement import (issue #13): a command either loads
exactly the rows of the file or refuses with a message (a ``LettrageError``, never
another exception), and the database afterwards is the database before, or before plus
the file's rows; ``check`` stays green.

CI runs a few examples per loader; the long run is marked ``slow``:

    LETTRAGE_FUZZ_EXAMPLES=500 pytest tests/reliability/test_fuzz.py -m slow
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import SQLModel

import core.tables  # noqa: F401
from core.kernel.errors import LettrageError
from core.ledger.check import run_check
from core.ledger.loading import LoadingService, LoadResult
from core.ledger.setup import create_company
from core.statements.importer import StatementImportService
from data.engine import SqlStore, make_engine
from tests.helpers import seed_basics
from tests.reliability.support import ENTRY_HEADER, PARTY_HEADER
from tests.statement_samples import CSV_PROFILE, Tx, camt, csv_file, mt940

EXAMPLES = int(os.environ.get("LETTRAGE_FUZZ_EXAMPLES", "15"))
QUICK = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow,
                                        HealthCheck.function_scoped_fixture])
LONG = settings(QUICK, max_examples=max(EXAMPLES, 300), derandomize=False)

TABLES = ("party", "partybankaccount", "bankaccount", "ledgerentry", "glentry",
          "detailedledgerentry", "loadrecord", "bankstatementline")
NASTY = ['"', ",", "\n", "\r", "\x00", ";", "'", " ", "\t", "€", "ä", "\ufeff", '""']


def _store() -> SqlStore:
    engine = make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    create_company(store, "Fuzz", "EUR")
    seed_basics(store)
    return store


def _counts(store: SqlStore) -> dict[str, int]:
    with store.read() as s:
        return {t: int(s.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one())
                for t in TABLES}


def _records(data: str) -> list[list[str]] | None:
    """The data rows a strict reader sees, or None when the CSV is malformed."""
    try:
        rows = [r for r in csv.reader(io.StringIO(data, newline=""), strict=True) if r]
    except csv.Error:
        return None
    return rows[1:]


@st.composite
def field(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    value = draw(base)
    if draw(st.integers(0, 4)) == 0:
        pos = draw(st.integers(0, len(value)))
        value = value[:pos] + draw(st.sampled_from(NASTY)) + value[pos:]
    return value


def _serialize(draw: st.DrawFn, header: str, rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    body = header + out.getvalue()
    if draw(st.integers(0, 3)) == 0:  # raw damage: a stray quote, comma or line break
        pos = draw(st.integers(0, len(body)))
        body = body[:pos] + draw(st.sampled_from(NASTY)) + body[pos:]
    return body


WORD = st.text(st.characters(min_codepoint=32, max_codepoint=0x24F), max_size=12)


@st.composite
def party_files(draw: st.DrawFn) -> str:
    rows = [[draw(field(st.sampled_from(["N1", "N2", "N3", "C001", "", "N" * 25]))),
             draw(field(WORD)), draw(field(WORD)), "", draw(st.sampled_from(["DE", "FR", ""])),
             "", "", draw(st.sampled_from(["", "30", "14", "x", "-3"]))]
            for _ in range(draw(st.integers(0, 4)))]
    return _serialize(draw, PARTY_HEADER, rows)


@st.composite
def entry_files(draw: st.DrawFn) -> str:
    rows = [[draw(st.sampled_from(["customer", "vendor", "Customer", "bank"])),
             draw(st.sampled_from(["C001", "C002", "V001", "X9"])),
             draw(st.sampled_from(["invoice", "credit_memo", "payment", "refund", "", "bogus"])),
             draw(field(st.sampled_from(["D1", "D2", "D3", ""]))), "",
             draw(st.sampled_from(["2025-01-02", "0001-01-01", "2025-02-30", "", "9999-12-31"])),
             "",
             draw(field(st.sampled_from(["100.00", "-100.00", "0", "1.005", "1e3",
                                         "60000000000000000.00", "12,50", "7"]))),
             draw(st.sampled_from(["", "50.00", "-50.00"])), "", "", "", draw(field(WORD)), ""]
            for _ in range(draw(st.integers(0, 4)))]
    return _serialize(draw, ENTRY_HEADER, rows)


@st.composite
def bank_files(draw: st.DrawFn) -> str:
    rows = [[draw(st.sampled_from(["customer", "vendor", "x"])),
             draw(st.sampled_from(["C001", "C002", "V001", "X9"])),
             draw(field(st.sampled_from(["MAIN", "B2", "", "K" * 30]))),
             draw(field(st.sampled_from(["DE89370400440532013000", "NOTANIBAN", "",
                                         "FR1420041010050500013M02606"]))),
             draw(st.sampled_from(["", "COBADEFFXXX", "XX"]))]
            for _ in range(draw(st.integers(0, 3)))]
    return _serialize(draw, "party_type,party_no,code,iban,bic\n", rows)


@st.composite
def own_bank_files(draw: st.DrawFn) -> str:
    rows = [[draw(field(st.sampled_from(["B7", "B8", "BANK1", ""]))), draw(field(WORD)),
             draw(st.sampled_from(["DE02120300000000202051", "", "nope"])), "",
             draw(st.sampled_from(["EUR", "", "USD"])), "0",
             draw(st.sampled_from(["0", "100.00", "-5.50", "abc", "1" * 30]))]
            for _ in range(draw(st.integers(0, 3)))]
    return _serialize(draw, "no,name,iban,bic,currency,last_statement_no,"
                            "balance_last_statement\n", rows)


LOADERS: dict[str, tuple[Callable[..., st.SearchStrategy[str]],
                         Callable[[LoadingService, Path], LoadResult], tuple[str, ...]]] = {
    "customers": (party_files, lambda svc, p: svc.load_parties("customer", p), ("party",)),
    "open-entries": (entry_files, lambda svc, p: svc.load_open_entries(p), ("ledgerentry",)),
    "bank-accounts": (bank_files, lambda svc, p: svc.load_bank_accounts(p),
                      ("partybankaccount",)),
    "own-bank-accounts": (own_bank_files, lambda svc, p: svc.load_own_bank_accounts(p),
                          ("bankaccount",)),
}


def _fuzz_loader(kind: str, tmp_path: Path, store: SqlStore, content: str) -> None:
    _strategy, load, grows = LOADERS[kind]
    file = tmp_path / f"{kind}.csv"
    file.write_bytes(content.encode("utf-8"))
    before = _counts(store)
    try:
        result = load(LoadingService(store, user="fuzz"), file)
    except LettrageError:
        assert _counts(store) == before  # refused: nothing written
        return
    after = _counts(store)
    if result.already_loaded:
        assert after == before
        return
    records = _records(content.removeprefix("\ufeff"))
    assert records is not None, "a malformed CSV was loaded"
    assert result.rows == result.written == len(records)
    for table in grows:
        assert after[table] == before[table] + len(records), (table, before, after)
    assert after["loadrecord"] == before["loadrecord"] + 1
    assert run_check(store).ok


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_loaders_load_the_file_or_nothing(kind: str, tmp_path: Path) -> None:
    store = _store()

    @QUICK
    @given(content=LOADERS[kind][0]())
    def run(content: str) -> None:
        _fuzz_loader(kind, tmp_path, store, content)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_loaders_long(kind: str, tmp_path: Path) -> None:
    store = _store()

    @LONG
    @given(content=LOADERS[kind][0]())
    def run(content: str) -> None:
        _fuzz_loader(kind, tmp_path, store, content)

    run()


# --- statement import -----------------------------------------------------------------------

TXS = st.lists(st.builds(Tx, st.sampled_from(["10.00", "-3.50", "0.01", "99999.99",
                                              "60000000000000000.00", "1.005"]),
                         ref=st.sampled_from([None, "R1", "R2"]),
                         text=st.sampled_from(["Invoice 1", "", "a;b", 'q"q'])),
               min_size=0, max_size=4)


@st.composite
def statements(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["camt", "mt940", "csv"]))
    txs = draw(TXS)
    data = bytearray({"camt": lambda: camt(txs, stmt_id=f"S{draw(st.integers(1, 3))}"),
                      "mt940": lambda: mt940(txs), "csv": lambda: csv_file(txs)}[kind]())
    for _ in range(draw(st.integers(0, 2))):
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[pos:]
        else:
            data[pos:pos] = draw(st.sampled_from([b"<", b"\x00", b'"', b";", b"\n", b":61:"]))
    return kind, bytes(data)


def _fuzz_import(tmp_path: Path, store: SqlStore, kind: str, data: bytes) -> None:
    file = tmp_path / {"camt": "s.xml", "mt940": "s.sta", "csv": "s.csv"}[kind]
    file.write_bytes(data)
    before = _counts(store)
    service = StatementImportService(store, user="fuzz")
    try:
        result = service.import_(file, "BANK1",
                                 profile=CSV_PROFILE if kind == "csv" else None)
    except LettrageError:
        assert _counts(store) == before
        return
    after = _counts(store)
    assert after["bankstatementline"] == before["bankstatementline"] + result.imported
    assert {k: v for k, v in after.items() if k != "bankstatementline"} == \
        {k: v for k, v in before.items() if k != "bankstatementline"}
    assert run_check(store).ok


def test_statement_import_writes_the_file_or_nothing(tmp_path: Path) -> None:
    store = _store()

    @QUICK
    @given(sample=statements())
    def run(sample: tuple[str, bytes]) -> None:
        _fuzz_import(tmp_path, store, *sample)

    run()


@pytest.mark.slow
def test_statement_import_long(tmp_path: Path) -> None:
    store = _store()

    @LONG
    @given(sample=statements())
    def run(sample: tuple[str, bytes]) -> None:
        _fuzz_import(tmp_path, store, *sample)

    run()
