"""Reference forms payers really type (issue #14), end to end through ``match_lines``:
each form is recognised as the document number, the evidence says which form was read,
and the amount cases beyond BC (under/overpayment, completed lumps, same amount,
conflicting references) behave as the matching settings say."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from core.matching import (
    BankLine,
    MatchIndex,
    MatchSettings,
    OpenEntryRef,
    PartyRef,
    Proposal,
    match_lines,
)
from core.matching.docno import doc_key, read_as, text_numbers

DAY = date(2026, 4, 15)
IBAN = "FR7630006000011234567890189"
IBAN_B = "NL91ABNA0417164300"
PAYER = PartyRef("customer", "C1", "Boulangerie Dubois SARL", ibans=(IBAN,))
OTHER = PartyRef("customer", "C2", "Northwind Traders BV", ibans=(IBAN_B,))
VENDOR = PartyRef("vendor", "V1", "Proseware GmbH", ibans=("DE44500105175407324931",))


def inv(no: int, doc: str, amount: str, cust: str = "C1", ptype: str = "customer",
        ext: str = "", payref: str = "") -> OpenEntryRef:
    return OpenEntryRef(entry_no=no, party_type=ptype, party_no=cust,  # type: ignore[arg-type]
                        document_type="Invoice", document_no=doc, remaining=D(amount),
                        posting_date=date(2026, 2, 1), due_date=date(2026, 3, no % 28 + 1),
                        external_document_no=ext, payment_reference=payref)


# The payer's invoices and other customers' invoices with numbers that look alike.
ENTRIES = (
    inv(1, "F2026-71640", "1200.00"), inv(2, "F2026-57621", "310.50"),
    inv(3, "F2026-69261", "84.10"), inv(4, "F2026-71336", "999.00"),
    inv(5, "F2026-67891", "45.00"), inv(6, "F2025-71640", "77.70", cust="C2"),
    inv(7, "F2026-10002", "150.00", cust="C2"), inv(8, "F2026-33333", "500.00"),
    inv(9, "F2026-44444", "500.00"),
    inv(10, "PI0300001", "-640.00", cust="V1", ptype="vendor", ext="INV-2026-0042"),
)


def run(text: str, amount: str, entries: tuple[OpenEntryRef, ...] = ENTRIES,
        settings: MatchSettings | None = None, **kw: object) -> Proposal:
    index = MatchIndex.build(entries, (PAYER, OTHER, VENDOR))
    fields = {"related_party_iban": IBAN, **kw}
    ln = BankLine(line_no=1, transaction_date=DAY, amount=D(amount), text=text,
                  **fields)  # type: ignore[arg-type]
    return match_lines([ln], index, settings=settings)[0]


def applied(p: Proposal) -> list[tuple[str, D]]:
    return [(a.document_no, a.applied_amount) for a in p.applications]


def read(p: Proposal) -> str:
    return next(d for d in p.details if " read as " in d or "was found" in d
                or "structured remittance" in d)


@pytest.mark.parametrize(("text", "doc", "amount", "form"), [
    ("Payment F202671640", "F2026-71640", "1200", "prefix joined"),
    ("F2026 71640 thanks", "F2026-71640", "1200", "prefix spaced"),
    ("Rglt F2026/71640", "F2026-71640", "1200", "prefix slashed"),
    ("FACT 57621", "F2026-57621", "310.50", "numeric part only, labelled 'FACT'"),
    ("Facture n° 69261", "F2026-69261", "84.10", "numeric part only, labelled 'FACTURE N'"),
    ("FRA 71336", "F2026-71336", "999", "numeric part only, labelled 'FRA'"),
    ("/ROC/F2026/67891/", "F2026-67891", "45", "prefix slashed"),
    ("No. 57621", "F2026-57621", "310.50", "labelled 'NO'"),
    ("Nr 57621", "F2026-57621", "310.50", "labelled 'NR'"),
    ("N° 57621", "F2026-57621", "310.50", "labelled 'N'"),
    ("#57621", "F2026-57621", "310.50", "numeric part only"),
    ("F2026-071640", "F2026-71640", "1200", "leading zeros added"),
    ("f2026-71640 merci", "F2026-71640", "1200", ""),
])
def test_reference_forms_are_read_as_the_document(text: str, doc: str, amount: str,
                                                  form: str) -> None:
    p = run(text, amount)
    assert (p.confidence, p.review_required) == ("high", False)
    assert [d for d, _ in applied(p)] == [doc]
    assert form in read(p)


def test_numeric_part_of_two_documents_is_read_through_the_payer() -> None:
    """71640 is F2026-71640 of the payer and F2025-71640 of another customer: the
    payer's bank account makes it the payer's."""
    p = run("Virement 71640", "1200")
    assert [d for d, _ in applied(p)] == ["F2026-71640"]
    assert "the only open document of customer C1 with this number" in read(p)


def test_numeric_part_of_two_documents_without_a_payer_names_none() -> None:
    p = run("Virement 71640", "1200", related_party_iban="")
    assert not any(" read as " in d for d in p.details)


def test_a_purchase_order_number_is_not_read_as_an_invoice() -> None:
    p = run("PO 57621", "310.50", related_party_iban="")
    assert not any(" read as " in d for d in p.details)


def test_vendor_number_joined_leading_zeros() -> None:
    p = run("INV20260042", "-640", related_party_iban="DE44500105175407324931")
    assert applied(p) == [("PI0300001", D("-640.00"))]
    assert "read as 'INV20260042' (prefix joined)" in read(p)


@pytest.mark.parametrize("ref", [
    "+++000/0057/62103+++",  # Belgian OGM with 57621 (check digits 03)
    "RF79 F202 6576 21",  # ISO 11649 creditor reference with the joined number
    "00 00000 00000 00000 00005 76210",  # Swiss QR reference of 57621 (check digit 0)
])
def test_structured_creditor_references_carry_the_number(ref: str) -> None:
    p = run(f"SEPA {ref}", "310.50")
    assert [d for d, _ in applied(p)] == ["F2026-57621"]
    assert "inside a" in read(p)


def test_creditor_reference_in_the_payment_reference_field() -> None:
    p = run("SEPA CT", "310.50", payment_reference="RF79F202657621")
    assert [d for d, _ in applied(p)] == ["F2026-57621"]
    assert "RF creditor reference" in read(p)


def test_evidence_names_the_form() -> None:
    p = run("F2026 71640", "1200")
    assert "Document F2026-71640 (invoice F2026-71640) read as 'F2026 71640' (prefix " \
           "spaced)." in p.details


# --- amount cases ----------------------------------------------------------------------

def test_partial_payment_applied_rest_stays_open() -> None:
    p = run("FACT 71640 acompte", "600")
    assert (p.confidence, p.review_required, p.difference) == ("high", False, D(0))
    assert applied(p) == [("F2026-71640", D("600.00"))]
    note = next(d for d in p.details if "Apply underpayments" in d)
    assert "a partial payment, 600.00 less" in note and "600.00 stays open" in note


def test_short_by_bank_charges() -> None:
    p = run("F2026-71640", "1187.50")
    assert applied(p) == [("F2026-71640", D("1187.50"))] and not p.review_required
    assert any("short by 12.50, e.g. the payer's bank charges" in d for d in p.details)


def test_overpayment_closes_the_invoice_excess_unapplied() -> None:
    p = run("F2026-71640", "1210")
    assert applied(p) == [("F2026-71640", D("1200.00"))]
    assert (p.unapplied, p.difference, p.review_required) == (D("10.00"), D(0), False)
    assert any("10.00 stays as an unapplied payment on customer C1" in d for d in p.details)


def test_amount_case_needs_a_certain_party() -> None:
    p = run("F2026-71640", "1210", related_party_iban="")
    assert p.review_required and p.confidence != "high"


def test_amount_case_not_when_another_entry_has_the_amount() -> None:
    p = run("F2026-71640", "500")  # F2026-33333 and F2026-44444 are 500.00
    assert p.review_required


def test_amount_case_settings_off_is_bc() -> None:
    off = MatchSettings(apply_underpayments=False, apply_overpayments=False)
    assert run("F2026-71640", "1187.50", settings=off).review_required
    assert run("F2026-71640", "1210", settings=off).review_required


def test_lump_naming_some_invoices_is_completed() -> None:
    p = run("Rglt F2026-71640 + others", "1594.60")  # 1200 + 310.50 + 84.10 (unnamed)
    assert sorted(d for d, _ in applied(p)) == ["F2026-57621", "F2026-69261", "F2026-71640"]
    assert not p.review_required and p.unapplied == 0
    assert any("Complete lump payments" in d and "the only set" in d for d in p.details)


def test_excess_no_other_entries_explain_is_an_overpayment() -> None:
    p = run("Rglt F2026-71640 + others", "1594.10")  # no set of entries makes 394.10
    assert applied(p) == [("F2026-71640", D("1200.00"))] and p.unapplied == D("394.10")


def test_lump_completion_ambiguous_goes_to_review() -> None:
    p = run("F2026-71640 and more", "1700")  # 1200 + 500: two invoices of 500.00
    assert p.review_required
    assert any("more than one way" in d for d in p.details)


def test_same_amount_the_reference_decides() -> None:
    p = run("FACT 44444", "500")
    assert applied(p) == [("F2026-44444", D("500.00"))] and not p.review_required
    p = run("F2026 33333", "500")
    assert applied(p) == [("F2026-33333", D("500.00"))] and not p.review_required


def test_conflicting_reference_another_customers_open_invoice() -> None:
    """F2026-10002 is open at C2; the payer (IBAN) owes F2026-10020 of this amount."""
    entries = (*ENTRIES, inv(11, "F2026-10020", "150.00"))
    p = run("Facture F2026-10002", "150", entries)
    assert (p.account_no, p.review_required) == ("C1", True)
    assert applied(p) == [("F2026-10020", D("150.00"))]
    conflict = next(d for d in p.details if "check who paid" in d)
    assert "invoice F2026-10002" in conflict and "customer C2" in conflict
    assert "one typing error away from invoice F2026-10020" in conflict


def test_read_as_keeps_whole_token_rules() -> None:
    doc = doc_key("F2026-71640")
    assert doc is not None
    for text in ("X202671640", "F2026716401", "F2027-71640"):
        assert not any(read_as(doc, n, 4) for n in text_numbers(text)), text
