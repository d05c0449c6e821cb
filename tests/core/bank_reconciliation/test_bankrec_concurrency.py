"""Two clerks matching the same bank entry on two open reconciliations at once
(PostgreSQL, real threads): one gets it, the other a clear refusal; never both."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.bank_reconciliation.store import BankRecError
from tests.core.bank_reconciliation.bankrec_support import BANK, Kit
from tests.statement_samples import Tx, camt, write


@pytest.mark.parametrize("empty_store", ["postgresql"], indirect=True)
def test_one_entry_is_never_matched_on_two_reconciliations(store, tmp_path: Path  # type: ignore[no-untyped-def]
                                                           ) -> None:
    kit = Kit(store)
    balance = Decimal("0.00")
    for round_no in range(4):
        entry = kit.entry("10", date(2026, 5, 4), f"R{round_no}")
        recs = []
        for clerk_no in range(2):
            f = write(tmp_path, f"s{round_no}{clerk_no}.xml", camt(
                [Tx("10.00", "2026-05-04", f"REF{round_no}-{clerk_no}")],
                stmt_id=f"S{round_no}{clerk_no}", opening=f"{balance:.2f}",
                start="2026-05-04", end="2026-05-04"))
            rec, _msg = kit.rec.import_statement(f, BANK)
            recs.append(rec)
        barrier = threading.Barrier(2)
        outcome: list[str] = []

        def clerk(rec_id: int, barrier: threading.Barrier = barrier, entry: int = entry,
                  outcome: list[str] = outcome) -> None:
            line_id = kit.rec.lines(rec_id)[0].id
            barrier.wait()
            try:
                kit.rec.match_manual(rec_id, [line_id], [entry])
                outcome.append("matched")
            except BankRecError as exc:
                outcome.append(str(exc))

        threads = [threading.Thread(target=clerk, args=(r.id,)) for r in recs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert outcome.count("matched") == 1, outcome
        assert any("another open reconciliation" in o for o in outcome), outcome
        kit.assert_books_ok()
        for rec in recs:
            kit.rec.delete(rec.id)
