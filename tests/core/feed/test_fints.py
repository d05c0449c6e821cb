"""FinTS as a bank feed source, against a real FinTS bank on 127.0.0.1.

The fake bank (``fints_server``) speaks the FinTS 3.0 wire format over HTTP and is
driven by the real python-fints client: dialog initialisation with BPD/UPD, system id
synchronisation, the SEPA account list, camt (HKCAZ) or MT940 (HKKAZ) statements, TAN
challenges, dialog end. The fetched files go into a real inbox folder and the real
watcher imports them.
"""

from __future__ import annotations

import base64
import json
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select

from core.feed import folder
from core.feed.fints_service import FinTSService
from core.feed.fints_source import PIN_ENV, FinTSFetchError
from core.feed.models import FinTSAccess
from core.feed.service import FeedError, FeedService
from core.feed.sources import FetchedFile, deliver
from core.feed.watch import FeedWatcher
from core.kernel.errors import NotFoundError
from core.ledger.bank_statements import BankStatementLine
from data.engine import SqlStore
from tests.core.feed.fints_server import FakeBank, FakeBankServer
from tests.db_templates import migrated_sqlite
from tests.reliability.support import run_cli
from tests.statement_samples import IBAN, Tx, camt, mt940

BLZ = "37040044"
PIN = "geheim-7391"
JANUARY = (date(2025, 1, 1), date(2025, 1, 31))
TXS = [Tx(amount=f"{100 + i}.00", day="2025-01-10", ref=f"FT-{i}", text=f"Invoice 20{i}")
       for i in range(3)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    s = migrated_sqlite(tmp_path / "fints.db")  # seed_basics: BANK1 with IBAN DE89 3704 ...
    yield s
    s.engine.dispose()


def make_bank(*, offers_camt: bool = True, tan_for_fetch: bool = False) -> FakeBank:
    return FakeBank(blz=BLZ, user="lettrage01", pin=PIN, iban=IBAN, bic="COBADEFFXXX",
                    account_number="0532013000", camt_documents=[camt(TXS, stmt_id="FT-1")],
                    mt940=mt940(TXS), camt=offers_camt, tan_for_fetch=tan_for_fetch)


@pytest.fixture
def bank() -> Iterator[tuple[FakeBank, FakeBankServer]]:
    b = make_bank()
    server = FakeBankServer(b)
    yield b, server
    server.close()


def configure(store: SqlStore, url: str) -> FinTSService:
    svc = FinTSService(store)
    svc.add("BANK1", BLZ, "lettrage01", url, product_id="LETTRAGE-TEST")
    return svc


def lines(store: SqlStore) -> int:
    with store.read() as s:
        return int(s.exec(select(func.count()).select_from(BankStatementLine)).one())


def watch_once(store: SqlStore) -> list[tuple[str, str, int]]:
    watcher = FeedWatcher(FeedService(store), settle=0.0, use_events=False)
    return [(o.file_name, o.status, o.lines_new) for o in watcher.run_once()]


def test_fetch_drops_camt_into_the_inbox_and_the_watcher_imports_it_once(
        store: SqlStore, bank: tuple[FakeBank, FakeBankServer], tmp_path: Path) -> None:
    fake, server = bank
    svc = configure(store, server.url)
    inbox = tmp_path / "inbox"
    FeedService(store).add_inbox(inbox, "BANK1")

    out = svc.fetch("BANK1", *JANUARY, pin_prompt=lambda: PIN)
    name = f"fints-{IBAN}-20250101-20250131-1.xml"
    assert out.format == "camt"
    assert out.delivered == [str(inbox / name)]
    assert sorted(p.name for p in inbox.iterdir()) == [name]  # no .part left behind
    assert fake.periods == [JANUARY]
    assert watch_once(store) == [(name, "imported", 3)]
    assert watch_once(store) == []  # taken once
    assert lines(store) == 3

    # the same period again: the file comes again, the watcher adds no line
    again = svc.fetch("BANK1", *JANUARY, pin_prompt=lambda: PIN)
    assert [Path(p).name for p in again.delivered] == [name]
    assert watch_once(store) == [(name, "already_imported", 0)]
    assert lines(store) == 3
    assert folder.candidates(inbox) == []
    assert len(list((inbox / "archive").iterdir())) == 2

    # the first fetch synchronised a system id; the second reused the stored state
    assert sum("HKSYN" in m for m in fake.log) == 1
    assert "HKCAZ" in fake.log[-2]
    with store.read() as s:
        row = s.exec(select(FinTSAccess)).one()
    assert row.last_fetch_until == JANUARY[1] and row.last_fetch_files == 1
    state = base64.b64decode(row.client_state)
    assert state and PIN.encode() not in state  # never the PIN


def test_without_an_inbox_the_fetch_imports_directly_and_twice_adds_nothing(
        store: SqlStore, bank: tuple[FakeBank, FakeBankServer]) -> None:
    _fake, server = bank
    svc = configure(store, server.url)
    first = svc.fetch("BANK1", *JANUARY, pin_prompt=lambda: PIN)
    assert [(i["lines_new"], i["lines_duplicate"]) for i in first.imported] == [(3, 0)]
    second = svc.fetch("BANK1", *JANUARY, pin_prompt=lambda: PIN)
    assert [(i["lines_new"], i["lines_duplicate"]) for i in second.imported] == [(0, 3)]
    assert lines(store) == 3


def test_a_wrong_pin_is_a_clear_error_and_nothing_is_written(
        store: SqlStore, bank: tuple[FakeBank, FakeBankServer], tmp_path: Path) -> None:
    _fake, server = bank
    svc = configure(store, server.url)
    inbox = tmp_path / "inbox"
    FeedService(store).add_inbox(inbox, "BANK1")
    with pytest.raises(FinTSFetchError, match="refused the PIN for user lettrage01 at bank "
                       "37040044") as err:
        svc.fetch("BANK1", *JANUARY, pin_prompt=lambda: "1111-wrong")
    assert "1111-wrong" not in str(err.value)
    assert list(inbox.iterdir()) == []
    with store.read() as s:
        assert s.exec(select(FinTSAccess)).one().last_fetch_at is None


def test_a_tan_challenge_is_answered_through_the_callback(
        store: SqlStore, tmp_path: Path) -> None:
    fake = make_bank(tan_for_fetch=True)
    server = FakeBankServer(fake)
    try:
        svc = configure(store, server.url)
        asked: list[str] = []

        def tan(challenge: str) -> str:
            asked.append(challenge)
            return fake.tan

        out = svc.fetch("BANK1", *JANUARY, pin_prompt=lambda: PIN, tan_prompt=tan)
        assert asked == [fake.challenge]
        assert fake.tans_received == [fake.tan]
        assert [i["lines_new"] for i in out.imported] == [3]

        with pytest.raises(FinTSFetchError, match="9941 TAN falsch"):
            svc.fetch("BANK1", *JANUARY, pin_prompt=lambda: PIN, tan_prompt=lambda c: "000")
        with pytest.raises(FinTSFetchError, match="asks for a TAN"):
            svc.fetch("BANK1", *JANUARY, pin_prompt=lambda: PIN)  # no terminal to ask
    finally:
        server.close()
    assert lines(store) == 3


def test_mt940_when_the_bank_offers_no_camt(store: SqlStore) -> None:
    fake = make_bank(offers_camt=False)
    server = FakeBankServer(fake)
    try:
        out = configure(store, server.url).fetch("BANK1", *JANUARY, pin_prompt=lambda: PIN)
    finally:
        server.close()
    assert out.format == "mt940"
    assert [(i["file"], i["lines_new"]) for i in out.imported] == \
        [(f"fints-{IBAN}-20250101-20250131-1.sta", 3)]
    assert any("HKKAZ" in m for m in fake.log)


def test_the_pin_comes_from_the_environment_for_cron(
        store: SqlStore, bank: tuple[FakeBank, FakeBankServer],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _fake, server = bank
    svc = configure(store, server.url)
    monkeypatch.delenv(PIN_ENV, raising=False)
    with pytest.raises(FinTSFetchError, match=f"No PIN: set {PIN_ENV}"):
        svc.fetch("BANK1", *JANUARY)
    monkeypatch.setenv(PIN_ENV, PIN)
    assert [i["lines_new"] for i in svc.fetch("BANK1", *JANUARY).imported] == [3]


def test_configuration_is_checked(store: SqlStore) -> None:
    svc = FinTSService(store)
    with pytest.raises(FeedError, match="8 digits"):
        svc.add("BANK1", "3704", "u", "https://bank.example/fints")
    with pytest.raises(FeedError, match="not the bank's FinTS address"):
        svc.add("BANK1", BLZ, "u", "bank.example")
    with pytest.raises(NotFoundError, match="Bank account NOPE does not exist"):
        svc.add("NOPE", BLZ, "u", "https://bank.example/fints")
    view = svc.add("BANK1", BLZ, "u", "https://bank.example/fints")
    assert view.iban == IBAN
    with pytest.raises(FeedError, match="already has a FinTS access"):
        svc.add("BANK1", BLZ, "u", "https://bank.example/fints")
    with pytest.raises(FeedError, match="No FinTS product id"):
        svc.fetch("BANK1", *JANUARY, pin_prompt=lambda: PIN)
    assert [v.bank_account_no for v in svc.accesses()] == ["BANK1"]
    svc.remove("BANK1")
    assert svc.accesses() == []
    with pytest.raises(NotFoundError, match="has no FinTS access"):
        svc.remove("BANK1")


def test_command_line_add_fetch_list_remove_with_the_pin_from_the_environment(
        store: SqlStore, bank: tuple[FakeBank, FakeBankServer], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _fake, server = bank
    db = str(store.engine.url.database)
    store.engine.dispose()

    def cli(*args: str, pin: str = PIN) -> subprocess.CompletedProcess[str]:
        """``lettrage feed fints ARGS`` run in this process (``run_cli``), the PIN in the
        environment."""
        monkeypatch.setenv(PIN_ENV, pin)
        return run_cli(tmp_path, db, "feed", "fints", *args)

    added = cli("add", "--bank-account", "BANK1", "--blz", BLZ, "--user", "lettrage01",
                "--url", server.url, "--product-id", "LETTRAGE-TEST", "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["iban"] == IBAN
    wrong = cli("fetch", "--bank-account", "BANK1", "--from", "2025-01-01", "--to",
                "2025-01-31", "--json", pin="0000")
    assert wrong.returncode == 1 and "refused the PIN" in wrong.stderr
    assert wrong.stderr.count("\n") == 1 and "0000" not in wrong.stderr
    fetched = cli("fetch", "--bank-account", "BANK1", "--from", "2025-01-01", "--to",
                  "2025-01-31", "--json")
    assert fetched.returncode == 0, fetched.stderr
    out = json.loads(fetched.stdout)
    assert (out["format"], [i["lines_new"] for i in out["imported"]]) == ("camt", [3])
    listed = json.loads(cli("list", "--json").stdout)["fints"]
    assert [(r["bank_account_no"], r["last_fetch_until"]) for r in listed] == \
        [("BANK1", "2025-01-31")]
    assert cli("remove", "--bank-account", "BANK1").returncode == 0
    assert json.loads(cli("list", "--json").stdout)["fints"] == []


def test_deliver_writes_complete_files_and_keeps_an_earlier_one_not_yet_taken(
        tmp_path: Path) -> None:
    first = deliver([FetchedFile("a.xml", b"<one/>")], tmp_path)
    second = deliver([FetchedFile("a.xml", b"<two/>")], tmp_path)
    assert [p.name for p in first + second] == ["a.xml", "a-r2.xml"]
    assert [p.read_bytes() for p in first + second] == [b"<one/>", b"<two/>"]
    assert sorted(folder.candidates(tmp_path)) == sorted(first + second)
    with pytest.raises(ValueError, match="not a plain file name"):
        deliver([FetchedFile("../evil.xml", b"x")], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-r2.xml", "a.xml"]
