"""BC worked cases M1-M9 (bc-spec §15.4) with the default rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from core.matching import (
    BankLine,
    DirectDebitRef,
    MatchIndex,
    MatchSettings,
    OpenEntryRef,
    PartyRef,
    TextMapping,
    match_lines,
)
from core.matching.model import Proposal

DAY = date(2024, 3, 15)


def inv(no: int, doc: str, amount: str, cust: str = "C10000",
        due: date = date(2024, 3, 1)) -> OpenEntryRef:
    return OpenEntryRef(entry_no=no, party_type="customer", party_no=cust,
                        document_type="Invoice", document_no=doc, remaining=D(amount),
                        posting_date=date(2024, 2, 1), due_date=due)


ADATUM = PartyRef("customer", "C10000", "Adatum Corporation", "Station Road 21", "London",
                  ("DE89370400440532013000",))
OTHERS = (PartyRef("customer", "C20000", "Trey Research", ibans=("GB33BUKB20201555555555",)),
          PartyRef("vendor", "V10000", "Fabrikam Inc"))
ENTRIES = (inv(1, "103022", "1000"), inv(2, "103030", "250"),
           inv(3, "555001", "777.77", "C20000"))


def run(line: BankLine, settings: MatchSettings | None = None,
        mappings: tuple[TextMapping, ...] = (),
        dds: tuple[DirectDebitRef, ...] = ()) -> Proposal:
    index = MatchIndex.build(ENTRIES, (ADATUM, *OTHERS), direct_debits=dds)
    return match_lines([line], index, settings=settings, mappings=mappings)[0]


def line(text: str, amount: str, **kw: object) -> BankLine:
    return BankLine(line_no=10000, transaction_date=DAY, amount=D(amount), text=text,
                    **kw)  # type: ignore[arg-type]


def test_m1_high_p4() -> None:
    p = run(line("Payment from Adatum Corporation inv 103022", "1000"))
    assert (p.confidence, p.score, p.review_required) == ("high", 3996, False)
    assert p.account_type == "customer" and p.account_no == "C10000"
    assert [(a.entry_no, a.applied_amount) for a in p.applications] == [(1, D("1000.00"))]
    assert p.difference == 0
    assert any("unique" in d for d in p.details)


# BC's own behaviour for amounts that differ (the beyond-BC amount settings off).
BC_AMOUNTS = MatchSettings(apply_underpayments=False, apply_overpayments=False,
                           complete_lumps=False)


def test_m2_medium_p2_applies_absmin() -> None:
    p = run(line("Payment from Adatum Corporation inv 103022", "990"), BC_AMOUNTS)
    assert (p.confidence, p.score, p.review_required) == ("medium", 2998, True)
    assert p.applications[0].applied_amount == D("990.00")
    assert p.difference == 0


def test_m2_beyond_bc_the_short_payment_is_applied_and_the_rest_stays_open() -> None:
    p = run(line("Payment from Adatum Corporation inv 103022", "990"))
    assert (p.confidence, p.score, p.review_required) == ("high", 3996, False)
    assert p.applications[0].applied_amount == D("990.00") and p.difference == 0
    assert any("Apply underpayments automatically" in d and "stays open" in d
               for d in p.details)


def test_m3_amount_tolerance() -> None:
    text = "Payment from Adatum Corporation inv 103022"
    p = run(line(text, "990"), MatchSettings(tolerance_type="amount", tolerance_value=D(10)))
    assert (p.confidence, p.score) == ("high", 3996)
    p = run(line(text, "990"), MatchSettings(tolerance_type="percentage",
                                            tolerance_value=D(1), apply_underpayments=False))
    assert (p.confidence, p.score) == ("medium", 2998)


def test_m4_amount_only_low() -> None:
    p = run(line("Fee", "777.77"))
    assert (p.confidence, p.score, p.review_required) == ("low", 1996, True)
    assert p.applications[0].entry_no == 3


def test_m5_nothing_matches() -> None:
    p = run(line("Lottery win", "123.45"))
    assert (p.confidence, p.score, p.applications) == ("none", 0, ())
    assert p.difference == D("123.45")


def test_m6_direct_debit_high_p1() -> None:
    dd = DirectDebitRef(transaction_id="DD-0001", entry_no=2, status="file_created")
    p = run(line("SEPA collection", "250", transaction_id="DD-0001"), dds=(dd,))
    assert (p.confidence, p.score) == ("high", 3999)
    assert p.applications[0].entry_no == 2


def test_m7_iban_normalised_fully() -> None:
    p = run(line("Transfer", "1000", related_party_iban="de89 3704-0044 0532 0130 00"))
    assert p.account_no == "C10000"
    assert p.score == 3991  # Fully / No / One Match -> High P9
    assert any("bank account" in d for d in p.details)


def test_m8_listed_documents_group() -> None:
    entries = (inv(11, "103001", "400", due=date(2024, 2, 20)),
               inv(12, "103002", "600", due=date(2024, 2, 10)))
    index = MatchIndex.build(entries, (ADATUM, *OTHERS))
    p = match_lines([line("INV 103001 103002", "1000")], index)[0]
    assert (p.confidence, p.score) == ("high", 3990)
    assert [a.entry_no for a in p.applications] == [12, 11]  # due-date order
    p = match_lines([line("INV 103001 103002", "1000",
                          related_party_iban="DE89370400440532013000")], index)[0]
    assert p.score == 3998


def test_m8_single_entries_score_medium_p9() -> None:
    entries = (inv(11, "103001", "400"), inv(12, "103002", "600"))
    index = MatchIndex.build(entries, (ADATUM,))
    p = match_lines([line("INV 103001 103002", "1000")], index)[0]
    assert {a.score for a in p.alternatives} == {2991}


def test_m9_text_mapping() -> None:
    mapping = TextMapping("MyBank", "gl_account", debit_acc_no="60300", credit_acc_no="60400")
    p = run(line("MyBank fee March", "-25"), mappings=(mapping,))
    assert (p.confidence, p.score) == ("high_text_mapping", 3007)
    assert (p.account_type, p.account_no) == ("gl_account", "60400")
    assert p.difference == 0 and p.applications == ()
