"""Pure direct-debit rules (bc-spec §10): sequence types (§15.6), active mandates, and the
IBAN / BIC / creditor identifier checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from core.direct_debit.rules import (
    DirectDebitError,
    MandateState,
    after_debit,
    check_bic,
    check_creditor_id,
    check_iban,
    check_mandate_fields,
    is_active,
    sequence_type,
)

M = MandateState("M1", "recurrent", date(2025, 1, 1), date(2025, 12, 31), 3, 0)


def test_sequence_case_15_6() -> None:
    """Recurrent, expected 3: counters 0, 1, 2 -> First, Recurring, Last; closed at 3."""
    seqs, counter, closed = [], 0, False
    for _ in range(3):
        seqs.append(sequence_type(replace(M, debit_counter=counter)))
        counter, closed = after_debit(counter, 3, False)
    assert seqs == ["FRST", "RCUR", "FNAL"] and counter == 3 and closed
    assert sequence_type(replace(M, type_of_payment="one_off", expected_debits=1)) == "OOFF"
    assert sequence_type(replace(M, debit_counter=7, ignore_expected=True)) == "RCUR"


def test_active_mandate() -> None:
    assert is_active(M, date(2025, 6, 1))
    assert not is_active(M, date(2024, 12, 31))  # not yet valid
    assert not is_active(M, date(2026, 1, 1))  # expired
    assert not is_active(replace(M, blocked=True), date(2025, 6, 1))
    assert not is_active(replace(M, closed=True), date(2025, 6, 1))
    assert is_active(replace(M, valid_to=None), date(2030, 1, 1))


@pytest.mark.parametrize("value", ["DE89370400440532013001", "XX00", "DE8937040044053201300"])
def test_bad_iban(value: str) -> None:
    with pytest.raises(DirectDebitError, match="is not a valid IBAN"):
        check_iban(value)


def test_good_values() -> None:
    assert check_iban("de89 3704 0044 0532 0130 00") == "DE89370400440532013000"
    assert check_bic("cobadeffxxx") == "COBADEFFXXX" and check_bic("") == ""
    assert check_creditor_id("DE98 ZZZ 09999999999") == "DE98ZZZ09999999999"


def test_bad_bic_and_creditor_id() -> None:
    with pytest.raises(DirectDebitError, match="is not a valid BIC"):
        check_bic("COBA1")
    with pytest.raises(DirectDebitError, match="creditor identifier"):
        check_creditor_id("DE99ZZZ09999999999")


def test_mandate_fields() -> None:
    with pytest.raises(DirectDebitError, match="Valid To must be after"):
        check_mandate_fields("M", date(2025, 2, 1), date(2025, 1, 1), "recurrent", 1)
    with pytest.raises(DirectDebitError, match="one-off"):
        check_mandate_fields("M", None, None, "one_off", 2)
    with pytest.raises(DirectDebitError, match="not valid"):
        check_mandate_fields("M<1>", None, None, "recurrent", 1)
