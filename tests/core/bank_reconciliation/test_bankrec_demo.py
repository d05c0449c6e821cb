"""The demo's bank for bank reconciliation and its sample statement 41."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.bank_reconciliation.facade import BankRecServices
from core.ledger.check import run_check
from data.demo import build_demo
from data.demo_bankrec import BANK, SAMPLE, camt053


def test_sample_statement_is_what_the_script_writes() -> None:
    assert SAMPLE.read_text(encoding="utf-8") == camt053()


@pytest.mark.parametrize("empty_store", ["sqlite"], indirect=True)
def test_demo_statement_41_reconciles_as_documented(empty_store) -> None:  # type: ignore[no-untyped-def]
    build_demo(empty_store, "small")
    br = BankRecServices(empty_store, "demo")
    rec, _msg = br.rec.import_statement(SAMPLE, BANK)
    assert (rec.statement_no, rec.statement_ending_balance) == ("41", Decimal("14181.20"))
    br.rec.match_auto(rec.id, 3)
    lines = br.rec.lines(rec.id)
    assert [ln.match for ln in lines] == ["many_to_one", "one_to_one", "one_to_one",
                                          "many_to_one", "one_to_one", "none", "none"]
    refund = next(e for e in br.rec.entries(rec.id) if e.document_no == "INS-7781")
    br.rec.match_manual(rec.id, [lines[5].id], [refund.entry_no])
    br.transfer.post(rec.id, lines[6].id, "6400")
    result = br.posting.post(rec.id)
    assert len(result.closed_entries) == 9 and len(result.closed_checks) == 2
    out = br.posting.outstanding(BANK, rec.statement_date)
    assert [i.document_no for i in out.transactions] == ["DEP-2613"]
    assert [i.check_no for i in out.checks] == ["1003"]
    assert run_check(empty_store).ok
