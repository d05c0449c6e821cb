"""The reasons' words: the same sentences for many rows as for one, in the reader's
language with its number signs (French: 1 234,50 and 0,2 fois)."""

from __future__ import annotations

import numpy as np

from core.i18n import using_language
from core.prediction.features import COLUMN
from core.prediction.reasons import reasons, reasons_many


def _row(**values: float) -> np.ndarray:
    row = np.zeros(len(COLUMN))
    for name, value in values.items():
        row[COLUMN[name]] = value
    return row


def test_amount_reason_in_french_and_many_rows_like_one() -> None:
    features = np.vstack([_row(amount=1234.5, amount_vs_average=0.2),
                          _row(amount=99.0, amount_vs_average=1.0),
                          _row(amount=1234.5, amount_vs_average=0.2)])
    contributions = np.zeros_like(features)
    contributions[:, COLUMN["amount"]] = 1.0  # the amount pushed towards late
    late = np.array([True, True, True])
    with using_language("fr"):
        words = reasons_many(features, contributions, late)
        assert words[0][0] == "une petite facture : 1\u202f234,50, 0,2 fois sa moyenne"
        assert words[2] == words[0]
        assert [reasons(f, c, True) for f, c in zip(features, contributions,
                                                     strict=True)] == words
    with using_language("en"):
        words = reasons_many(features, contributions, late)
        assert words[0][0] == "a small invoice: 1,234.50, 0.2x its average"
        assert words[1][0] == "a usual invoice: 99.00, 1.0x its average"
