"""A short payment says what stays open and why, in words and formatted amounts (issue
#15: not 'outside the tolerance [2,375.00, 2,375.00]')."""

from __future__ import annotations

from core.matching.evidence import short_or_over
from core.matching.index import MatchIndex

EUR = MatchIndex(currency="EUR")


def test_short_payment_names_what_stays_open() -> None:
    text = short_or_over(237500, 238000, EUR)
    assert "2,375.00 is 5.00 less than the remaining 2,380.00" in text
    assert "5.00 stays open on the entry" in text and "[" not in text


def test_over_payment_names_what_stays_unapplied() -> None:
    text = short_or_over(-10500, -10000, EUR)
    assert "105.00 is 5.00 more than the remaining 100.00" in text
    assert "5.00 stays unapplied on the line" in text
