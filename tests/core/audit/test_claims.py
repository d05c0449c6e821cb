"""Claims: taken with the holder's name, renewed, released, expired after the TTL or at
once when the holding process on this host is gone, taken over on request; atomic when
several sessions race; the reconciliation service refuses to change a journal another
live session holds (SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import core.tables  # noqa: F401
from core.audit.claims import (
    ClaimedError,
    ClaimService,
    this_host,
)
from core.ledger.setup import create_company
from core.reconciliation.service import ReconciliationService
from data.engine import SqlStore, make_engine
from tests.helpers import invoice, seed_basics
from tests.recon_support import SL, stage

T0 = datetime(2025, 3, 4, 10, 40, tzinfo=UTC)


class Clock:
    def __init__(self, moment: datetime = T0) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def _svc(store: SqlStore, user: str, clock: Clock | None = None, host: str = "srv1",
         pid: int | None = None) -> ClaimService:
    return ClaimService(store, user, host=host, pid=pid, clock=clock or Clock())


def test_claim_names_the_holder_and_release_frees_it(store: SqlStore) -> None:
    anna, bob = _svc(store, "anna"), _svc(store, "bob")
    got = anna.claim("reconjournal:7", "A", what="Statement 101 of BANK1")
    assert got.ok and got.claim is not None and got.claim.holder == "anna"
    again = anna.claim("reconjournal:7", "A")  # our own claim: refreshed, still ours
    assert again.ok and again.taken_from is None
    refused = bob.claim("reconjournal:7", "B", what="Statement 101 of BANK1")
    assert not refused.ok
    assert refused.message.startswith("Statement 101 of BANK1 is being worked by anna (srv1, "
                                      "since ")
    assert bob.who_holds("reconjournal:7") is not None
    assert not bob.release("reconjournal:7", "B")  # not ours
    assert anna.release("reconjournal:7", "A")
    assert bob.who_holds("reconjournal:7") is None
    assert bob.claim("reconjournal:7", "B").ok


def test_heartbeat_keeps_it_and_a_missed_ttl_frees_it(store: SqlStore) -> None:
    clock = Clock()
    anna, bob = _svc(store, "anna", clock), _svc(store, "bob", clock, host="srv2")
    assert anna.claim("r", "A", ttl=90).ok
    clock.moment = T0 + timedelta(seconds=80)
    assert anna.renew("r", "A", ttl=90).ok  # heartbeat: lives until T0 + 170 s
    clock.moment = T0 + timedelta(seconds=160)
    assert not bob.claim("r", "B").ok
    clock.moment = T0 + timedelta(seconds=171)
    assert bob.who_holds("r") is None
    took = bob.claim("r", "B")
    assert took.ok and took.taken_from is not None and took.taken_from.holder == "anna"
    lost = anna.renew("r", "A")  # anna comes back: told who has it now
    assert not lost.ok and "bob (srv2" in lost.message


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_dead_process_on_this_host_frees_its_claim_at_once(store: SqlStore) -> None:
    dead = _dead_pid()
    crashed = _svc(store, "anna", host=this_host(), pid=dead)
    assert crashed.claim("r", "A").ok
    bob = ClaimService(store, "bob", clock=Clock())  # this host, this (live) process
    assert bob.who_holds("r") is None
    assert bob.claim("r", "B").ok


def test_a_dead_pid_on_another_host_waits_for_the_ttl(store: SqlStore) -> None:
    remote = _svc(store, "anna", host="elsewhere", pid=_dead_pid())
    assert remote.claim("r", "A").ok
    assert not ClaimService(store, "bob", clock=Clock()).claim("r", "B").ok


def test_take_over_a_live_claim(store: SqlStore) -> None:
    anna, bob = _svc(store, "anna"), _svc(store, "bob")
    assert anna.claim("r", "A").ok
    took = bob.claim("r", "B", take_over=True)
    assert took.ok and took.taken_from is not None and took.taken_from.token == "A"
    assert not anna.renew("r", "A").ok
    assert not anna.release("r", "A")  # releasing someone else's claim does nothing
    holder = anna.who_holds("r")
    assert holder is not None and holder.holder == "bob"


def test_hold_claims_for_a_block_and_releases(store: SqlStore) -> None:
    anna, bob = _svc(store, "anna"), _svc(store, "bob")
    with anna.hold("r", "A", every=None), \
            pytest.raises(ClaimedError, match="being worked by anna"), bob.hold("r", "B"):
        pass
    assert bob.who_holds("r") is None


def _race(store: SqlStore, n: int, resource: str, clock: Clock) -> list[bool]:
    barrier = threading.Barrier(n)
    results: list[bool] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            service = ClaimService(store, f"clerk{i}", host=f"h{i}", clock=clock)
            barrier.wait()
            results.append(service.claim(resource, f"T{i}").ok)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def _file_store(empty: SqlStore, tmp_path: Path) -> SqlStore:
    if empty.dialect != "sqlite":
        return empty
    engine = make_engine(f"sqlite:///{tmp_path / 'claims.db'}")
    SQLModel.metadata.create_all(engine)
    return SqlStore(engine)


def test_racing_claimers_exactly_one_wins(empty_store: SqlStore, tmp_path: Path) -> None:
    store = _file_store(empty_store, tmp_path)
    clock = Clock()
    for round_ in range(3):
        assert sorted(_race(store, 6, f"fresh{round_}", clock)) == [False] * 5 + [True]
    # an expired claim: several want it at once, one gets it
    assert _svc(store, "gone", clock).claim("stale", "G", ttl=1).ok
    clock.moment = T0 + timedelta(seconds=5)
    assert sorted(_race(store, 6, "stale", clock)) == [False] * 5 + [True]


# --- the reconciliation service ----------------------------------------------------------


def test_service_refuses_changes_to_a_journal_claimed_by_another(store: SqlStore) -> None:
    day = datetime(2025, 1, 5).date()
    doc = invoice(store, "C001", "100.00", day)
    stage(store, [SL("100.00", text=f"Payment {doc}", name="Adatum Corporation")])
    anna = ReconciliationService(store, user="anna", session="A")
    bob = ReconciliationService(store, user="bob", session="B")
    j = anna.open_journal("BANK1")
    assert anna.claims.claim(j.id).ok
    refused = bob.claims.claim(j.id)
    assert not refused.ok
    assert refused.message.startswith(f"Statement {j.statement_no} of BANK1 is being worked "
                                      "by anna (")
    with pytest.raises(ClaimedError, match="being worked by anna"):
        bob.apply_automatically(j.id)
    with pytest.raises(ClaimedError):
        ReconciliationService(store, user="cron").apply_automatically(j.id)  # no session
    view = anna.apply_automatically(j.id)
    line = anna.lines(view.id)[0]
    with pytest.raises(ClaimedError):
        bob.accept([line.id])
    with pytest.raises(ClaimedError):
        bob.remove_applications([line.id])
    with pytest.raises(ClaimedError):
        bob.post(j.id, reconcile=False)
    # new statement lines wait for the holder; opening does not change the journal
    stage(store, [SL("5.00", text="later")])
    assert bob.open_journal("BANK1").line_count == 1
    assert anna.open_journal("BANK1").line_count == 2
    assert anna.claims.release(j.id)
    assert bob.apply_automatically(j.id).line_count == 2  # released: bob may work it


def test_cli_hold_and_a_claim_from_a_crashed_process(store: SqlStore) -> None:
    stage(store, [SL("5.00", text="x")])
    anna = ReconciliationService(store, user="anna", session="A")
    j = anna.open_journal("BANK1")
    with anna.claims.hold(j.id, every=None):
        bob = ReconciliationService(store, user="bob", session="B")
        with pytest.raises(ClaimedError), bob.claims.hold(j.id, every=None):
            pass
    crashed = ClaimService(store, "anna", host=this_host(), pid=_dead_pid())
    assert crashed.claim(f"reconjournal:{j.id}", "A2").ok
    bob = ReconciliationService(store, user="bob", session="B")
    bob.apply_automatically(j.id)  # the holder is gone: not refused
    assert bob.claims.claim(j.id).ok


def test_company_setup_is_enough(empty_store: SqlStore) -> None:
    create_company(empty_store, "Claims", "EUR")
    seed_basics(empty_store)
    assert ClaimService(empty_store, "x").claims() == []
