"""``format_number`` keeps Babel's exact output with its locale and pattern parsed once."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from core.i18n.formats import format_number

CASES = [(places, grouping) for places in (None, 0, 2, 3) for grouping in (True, False)]


@pytest.mark.parametrize(("language", "locale"), [("en", "en_US"), ("fr", "fr_FR")])
def test_format_number_is_babels_format_decimal(language: str, locale: str) -> None:
    rng = random.Random(5)
    values = [Decimal(0), Decimal("-0.005"), Decimal("1234567.895"), Decimal("-1000")]
    values += [Decimal(rng.randint(-10**10, 10**10)).scaleb(-rng.randint(0, 4))
               for _ in range(300)]
    for value in values:
        for places, grouping in CASES:
            pattern = None if places is None else ("#,##0" if grouping else "0") + (
                "." + "0" * places if places else "")
            expected = format_decimal(value, format=pattern, locale=locale,
                                      group_separator=grouping,
                                      decimal_quantization=places is not None)
            assert format_number(value, places, language, grouping) == expected, (
                value, places, grouping)
