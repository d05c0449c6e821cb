"""Engine behaviour beyond BC: ties, no over-application, lumps, discounts, keep."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from core.matching import (
    Application,
    BankEntryRef,
    BankLine,
    MatchIndex,
    OpenEntryRef,
    PartyRef,
    Proposal,
    match_lines,
)

DAY = date(2024, 3, 15)
IBAN = "NL91ABNA0417164300"
CUST = PartyRef("customer", "C1", "Northwind Traders BV", ibans=(IBAN,))
OTHER = PartyRef("customer", "C2", "Litware Inc", ibans=("FR7630006000011234567890189",))
VEND = PartyRef("vendor", "V1", "Proseware GmbH", ibans=("DE44500105175407324931",))


def inv(no: int, doc: str, amount: str, cust: str = "C1", due: int = 1,
        disc: str = "0", ptype: str = "customer") -> OpenEntryRef:
    return OpenEntryRef(entry_no=no, party_type=ptype, party_no=cust,  # type: ignore[arg-type]
                        document_type="Invoice", document_no=doc, remaining=D(amount),
                        posting_date=date(2024, 1, 1), due_date=date(2024, 3, due),
                        remaining_pmt_disc_possible=D(disc),
                        pmt_discount_date=date(2024, 3, 20) if disc != "0" else None)


def bl(no: int, text: str, amount: str, iban: str = IBAN, **kw: object) -> BankLine:
    return BankLine(line_no=no, transaction_date=DAY, amount=D(amount), text=text,
                    related_party_iban=iban, **kw)  # type: ignore[arg-type]


def run(entries: tuple[OpenEntryRef, ...], *lines: BankLine, **kw: object) -> list[Proposal]:
    index = MatchIndex.build(entries, (CUST, OTHER, VEND))
    return match_lines(list(lines), index, **kw)  # type: ignore[arg-type]


def apps(p: Proposal) -> list[tuple[int, D, D]]:
    return [(a.entry_no, a.applied_amount, a.pmt_discount) for a in p.applications]


def test_equally_good_second_candidate_goes_to_review() -> None:
    entries = (inv(1, "200001", "500"), inv(2, "200002", "500"))
    p = run(entries, bl(1, "Invoices 200001 200002", "500"))[0]
    assert p.confidence == "medium" and p.review_required
    assert any("equally good" in d for d in p.details)
    assert len(p.alternatives) >= 1 and p.alternatives[0].score == p.score


def test_clear_winner_stays_high() -> None:
    entries = (inv(1, "200001", "500"), inv(2, "200002", "500"))
    p = run(entries, bl(1, "Invoice 200002", "500"))[0]
    assert p.confidence == "high" and apps(p)[0][0] == 2
    assert any("Runner-up" in d for d in p.details)


def test_no_over_application_across_lines() -> None:
    entries = (inv(1, "300001", "800"), inv(2, "300002", "120"))
    first, second = run(entries, bl(1, "RE 300001", "800"), bl(2, "RE 300001", "800"))
    assert first.confidence == "high" and apps(first) == [(1, D("800.00"), D("0.00"))]
    assert second.review_required and second.confidence in ("low", "medium")
    assert sum(a.applied_amount for a in second.applications if a.entry_no == 1) == 0
    assert any("already applied" in d for d in second.details)


def test_partial_use_leaves_only_the_rest() -> None:
    entries = (inv(1, "300001", "800"),)
    first, second = run(entries, bl(1, "RE 300001", "500"), bl(2, "RE 300001", "500"))
    used = sum(a.applied_amount for p in (first, second) for a in p.applications)
    assert used == D("800.00")
    assert second.difference == D("200.00") and second.review_required


def test_keep_counts_against_remaining() -> None:
    entries = (inv(1, "300001", "800"),)
    kept = Proposal(line_no=1, confidence="accepted", score=0,  # type: ignore[arg-type]
                    review_required=False, account_type="customer", account_no="C1",
                    applications=(Application(1, "Invoice", "300001", D("800")),))
    out = run(entries, bl(1, "whatever", "800"), bl(2, "RE 300001", "800"), keep={1: kept})
    assert out[0] is kept
    assert not out[1].applications and out[1].review_required


def test_lump_listed_documents() -> None:
    entries = (inv(1, "410001", "100", due=5), inv(2, "410002", "250", due=2),
               inv(3, "410003", "999"))
    p = run(entries, bl(1, "Pay INV-410001, INV-410002", "350"))[0]
    assert (p.confidence, p.score) == ("high", 3998)
    assert [a[0] for a in apps(p)] == [2, 1]


def test_lump_unlisted_subset_sum() -> None:
    entries = (inv(1, "510001", "120.50", due=1), inv(2, "510002", "310.00", due=2),
               inv(3, "510003", "75.25", due=3), inv(4, "510004", "999.99", due=4))
    p = run(entries, bl(1, "Payment March", "195.75"))[0]
    assert p.confidence == "high" and p.score == 3991
    assert [a[0] for a in apps(p)] == [1, 3]
    assert any("add up to the amount" in d for d in p.details)


def test_lump_two_subsets_is_ambiguous() -> None:
    entries = (inv(1, "510001", "100", due=1), inv(2, "510002", "200", due=2),
               inv(3, "510003", "150", due=3), inv(4, "510004", "150", due=4))
    p = run(entries, bl(1, "Payment", "300"))[0]
    assert p.review_required and p.confidence != "high"


def test_discount_taken_in_time() -> None:
    entries = (inv(1, "610001", "1000", disc="20"), inv(2, "610002", "4444"))
    p = run(entries, bl(1, "610001", "980"))[0]
    assert p.confidence == "high"
    assert apps(p) == [(1, D("1000.00"), D("20.00"))] and p.difference == 0
    assert any("discount" in d for d in p.details)


def test_vendor_payment_negative() -> None:
    entries = (inv(1, "EXT-7781", "-350", cust="V1", ptype="vendor"),)
    p = run(entries, bl(1, "Your invoice 7781", "-350", iban="DE44 5001 0517 5407 3249 31"))[0]
    assert p.account_type == "vendor" and p.confidence == "high"
    assert apps(p) == [(1, D("-350.00"), D("0.00"))]


def test_reference_to_other_customers_invoice_goes_to_review() -> None:
    entries = (inv(1, "710001", "640"), inv(2, "710002", "640", cust="C2"))
    p = run(entries, bl(1, "INV 710002", "640"))[0]
    assert p.review_required and p.confidence != "high"
    assert any("check who paid" in d for d in p.details)


def test_name_only_with_legal_form_variant() -> None:
    entries = (inv(1, "810001", "432.10"),)
    p = run(entries, bl(1, "thanks", "432.10", iban="",
                        related_party_name="NORTHWIND TRADERS B.V."))[0]
    assert p.account_no == "C1" and p.confidence == "high"


def test_open_bank_entry() -> None:
    index = MatchIndex.build((), (CUST,), bank_entries=(
        BankEntryRef(5, date(2024, 3, 14), D("-99.00"), document_no="CHK00042"),))
    p = match_lines([bl(1, "Cheque CHK00042", "-99", iban="")], index)[0]
    assert p.account_type == "bank_account" and p.applications[0].entry_no == 5
