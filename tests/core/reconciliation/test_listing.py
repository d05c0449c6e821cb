"""The JSON listing read straight from the rows (``ReconciliationService.listing``) is
exactly ``line_json`` of the line views: both sorts, the review filter, split lines,
applications with discount, overpayments on account, negative amounts, text mappings."""

from __future__ import annotations

from datetime import date

import pytest

from core.kernel.money import from_minor
from core.kernel.store import Store
from core.reconciliation.listing import minor_text
from core.reconciliation.types import amount_text, line_json
from tests.helpers import invoice
from tests.recon_support import SL, auto

INV_DAY = date(2025, 1, 10)
EARLY = date(2025, 1, 15)
LATE = date(2025, 2, 3)


@pytest.mark.parametrize("units", [0, 1, -1, 5, -5, 99, 100, -100, 12345, -12345,
                                   10**15 + 7, -(10**15) - 7])
def test_minor_text_is_amount_text(units: int) -> None:
    assert minor_text(units) == amount_text(from_minor(units))


def test_listing_is_line_json_of_the_views(store: Store) -> None:
    invoice(store, "C001", "100", INV_DAY)  # entry 1
    invoice(store, "C002", "1000", INV_DAY)  # entry 2: 2 % discount until EARLY
    invoice(store, "C001", "250", INV_DAY)  # entry 3
    svc, jid = auto(store, [SL("130", "x", LATE), SL("-7.5", "charges", LATE),
                            SL("980", "Adatum discount", EARLY),
                            SL("250", "no idea", INV_DAY), SL("0.01", "cent", LATE)])
    listed_auto = svc.listing(jid)  # as Apply Automatically left it
    assert listed_auto == [line_json(v) for v in svc.lines(jid)]
    by_text = {v.text: v for v in svc.lines(jid)}
    line, fee, disc, other = (by_text[t] for t in ("x", "charges", "Adatum discount", "no idea"))
    svc.remove_applications([v.id for v in by_text.values()])
    svc.apply_manually(line.id, [(1, None)])
    svc.transfer_difference(line.id, "gl_account", "4900", "Overpayment")  # a split line
    svc.transfer_difference(fee.id, "gl_account", "6400")
    svc.apply_manually(disc.id, [(2, None)])
    svc.apply_manually(other.id, [(3, None)])
    svc.accept([other.id])
    for sort in ("date", "review"):
        views = svc.lines(jid, sort=sort)  # type: ignore[arg-type]
        assert svc.listing(jid, sort=sort) == [line_json(v) for v in views]  # type: ignore[arg-type]
        assert svc.listing(jid, sort=sort, review_only=True) == [  # type: ignore[arg-type]
            line_json(v) for v in views if v.needs_review]
    listed = svc.listing(jid)
    assert len(listed) == 6 and any(x["applications"] for x in listed)
    assert any(not x["applications"] for x in listed)
    assert any(a["pmt_discount"] != "0.00" for x in listed for a in x["applications"])
