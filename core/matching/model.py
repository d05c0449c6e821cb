"""Input and output records of the payment matching engine (no database inside).

Sign conventions
----------------
* ``BankLine.amount``: positive = money received, negative = money paid out.
* ``OpenEntryRef.remaining``: BC convention, customer invoice positive, vendor invoice
  negative, credit memos the other way round.
* ``Application.applied_amount`` and ``Application.pmt_discount`` carry the statement
  sign.  Because an entry is only eligible when ``line.amount * remaining >= 0`` (BC
  rule), this is also the sign of the entry itself.  ``applied_amount`` is the part of
  the entry's remaining amount that gets closed *including* the discount;
  the cash taken from the line is ``applied_amount - pmt_discount``.
* ``Proposal.difference`` = line amount - sum(cash of all applications), statement sign.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple

from core.kernel.money import ZERO

PartyType = Literal["customer", "vendor"]
AccountType = Literal["customer", "vendor", "gl_account", "bank_account"]
Confidence = Literal["none", "low", "medium", "high", "high_text_mapping"]
RuleConfidence = Literal["none", "low", "medium", "high"]
PartyMatch = Literal["not_considered", "fully", "partially", "no"]
DocMatch = Literal["not_considered", "yes", "no", "yes_multiple"]
AmountMatch = Literal["not_considered", "one", "multiple", "none"]
DDMatch = Literal["not_considered", "yes", "no"]
ToleranceType = Literal["amount", "percentage"]
NameMatching = Literal["string_nearness", "exact_with_permutations", "disabled"]
DDStatus = Literal["new", "file_created", "rejected", "posted", "closed"]
BalSourceType = Literal["gl_account", "customer", "vendor", "bank_account"]


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementText:
    """What the bank says about a statement line besides its date and amount: the
    fields a line is matched on. One field list for ``BankLine`` (the engine's line)
    and the reconciliation journal's ``LineDraft`` (a line typed in by hand); given by
    keyword."""

    text: str = ""
    additional_info: str = ""
    related_party_name: str = ""
    related_party_address: str = ""
    related_party_city: str = ""
    related_party_iban: str = ""
    payment_reference: str = ""
    transaction_id: str = ""


@dataclass(frozen=True, slots=True)
class BankLine(StatementText):
    """One statement line of the Payment Reconciliation Journal."""

    line_no: int
    transaction_date: date
    amount: Decimal
    referred_documents: tuple[str, ...] = ()
    currency: str = ""


class OpenEntryRef(NamedTuple):
    """An open customer or vendor ledger entry (candidate for application).

    A NamedTuple, not a frozen dataclass: Apply Automatically builds 100,000 of them
    per run, and a frozen dataclass costs about 4.6 us each to construct against
    1.5 us for a NamedTuple (equally immutable; use ``_replace`` to derive one)."""

    entry_no: int
    party_type: PartyType
    party_no: str
    document_type: str
    document_no: str
    remaining: Decimal
    posting_date: date
    due_date: date
    external_document_no: str = ""
    payment_reference: str = ""
    remaining_pmt_disc_possible: Decimal = ZERO
    pmt_discount_date: date | None = None
    pmt_disc_tolerance_date: date | None = None
    currency: str = ""
    # BC "Max. Payment Tolerance" of the entry (its sign), when the setup lets a payment
    # that falls short by at most this much close it (payment tolerance set up, the
    # party not blocked for it, tolerance accounts present, warning off); else 0.
    max_payment_tolerance: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class PartyRef:
    """A customer or vendor with the data the related-party signal needs."""

    party_type: PartyType
    no: str
    name: str
    address: str = ""
    city: str = ""
    ibans: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BankEntryRef:
    """An open bank ledger entry of the bank being reconciled."""

    entry_no: int
    posting_date: date
    remaining: Decimal
    document_no: str = ""
    external_document_no: str = ""
    description: str = ""
    bal_account_type: str = ""
    bal_account_no: str = ""
    # Document numbers of the customer/vendor entries the posting of this bank entry
    # closed (BC "Bank Ledg Closing Doc No Match"); only loaded when that setting is on.
    closing_document_nos: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TextMapping:
    """BC "Text-to-Account Mapping" row (§4)."""

    mapping_text: str
    bal_source_type: BalSourceType = "gl_account"
    debit_acc_no: str = ""
    credit_acc_no: str = ""
    bal_source_no: str = ""


@dataclass(frozen=True, slots=True)
class DirectDebitRef:
    """A direct-debit collection entry (SEPA DD) for the DD rule (M6)."""

    transaction_id: str
    entry_no: int
    status: DDStatus


@dataclass(frozen=True, slots=True)
class MatchRule:
    """One row of "Bank Pmt. Appl. Rule" (§3.1)."""

    confidence: RuleConfidence
    priority: int
    related_party: PartyMatch = "not_considered"
    doc_no: DocMatch = "not_considered"
    amount: AmountMatch = "not_considered"
    direct_debit: DDMatch = "not_considered"
    review_required: bool = False
    apply_immediately: bool = False

    @property
    def score(self) -> int:
        """BC: (confidence ordinal + 1) * 1000 - priority."""
        ordinal = {"none": 0, "low": 1, "medium": 2, "high": 3}[self.confidence]
        return (ordinal + 1) * 1000 - self.priority


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """Bank Pmt. Appl. Settings (§3.3) plus the bank account's match tolerance."""

    customer_matching: bool = True
    vendor_matching: bool = True
    bank_ledger_matching: bool = True
    name_matching: NameMatching = "string_nearness"
    # BC "Bank Ledg Closing Doc No Match": a bank ledger entry's document number is also
    # found through the documents of the customer/vendor entries its posting closed.
    bank_closing_doc_no_match: bool = False
    # BC "Enable Apply Immediatelly": once a customer entry hits a rule with Apply
    # Immediately, vendor and bank ledger entries are not searched for that line (a
    # vendor entry hitting such a rule stops the search of bank ledger entries).
    apply_immediately: bool = False
    tolerance_type: ToleranceType = "amount"
    tolerance_value: Decimal = ZERO
    bank_account_no: str = ""
    currency: str = ""
    # Go-beyond knobs (not in BC).
    # Count "entries within tolerance" over the candidate's own account when the related
    # party is identified (Fully/Partially); BC counts the whole pool of the account type.
    amount_count_per_party: bool = True
    fuzzy_names: bool = True
    tolerant_doc_numbers: bool = True
    lump_search: bool = True
    lump_max_entries: int = 30
    lump_max_size: int = 6
    # Steps (subset sums listed and looked up) one lump search may take; a count, not a
    # time, so results never depend on the machine's load. The default searches the
    # default pools (30 entries up to 6 documents, 150 up to 3) completely.
    lump_step_budget: int = 100_000
    max_party_entries: int = 60
    max_amount_candidates: int = 20
    max_alternatives: int = 4
    # Departures from BC's rule lookup (each explained in the evidence; False = BC).
    # Implied party: the document number names exactly one party's entry and either
    # the amount fits that entry or the stated name partly matches that party.
    implied_party: bool = True
    # Name + amount: the name matches several parties partly, but only one open entry
    # among all parties whose name matches has an amount within tolerance.
    name_amount_unique: bool = True
    # A document of another party found in the text is no conflict when it is one
    # typing error away from the chosen document and its amount does not fit. Off by
    # default: a text naming someone else's OPEN document is what a clerk must see (a
    # payment for a group company, a typo or fraud), so such lines go to review.
    typo_conflict_relief: bool = False
    # Beyond BC, when the party is certain (bank account, or name plus document) and the
    # text names exactly one of its documents but the amount differs (BC: Medium, review):
    # a smaller payment (partial, or short by the payer's bank charges) is applied to it
    # and the rest stays open; a larger one closes it and the excess stays unapplied on
    # the party's account.
    apply_underpayments: bool = True
    apply_overpayments: bool = True
    # Beyond BC: documents named in the text that do not add up to the amount are
    # completed by the party's other open entries when exactly one set fits.
    complete_lumps: bool = True


@dataclass(frozen=True, slots=True)
class Application:
    """One proposed application of a statement line to an open entry."""

    entry_no: int
    document_type: str
    document_no: str
    applied_amount: Decimal
    pmt_discount: Decimal = ZERO

    @property
    def cash(self) -> Decimal:
        """Part of the statement amount consumed: applied - discount."""
        return self.applied_amount - self.pmt_discount


@dataclass(frozen=True, slots=True)
class Alternative:
    """A candidate that was not chosen, for the review queue."""

    summary: str
    score: int
    applications: tuple[Application, ...] = ()


@dataclass(frozen=True, slots=True)
class Proposal:
    """The engine's answer for one statement line."""

    line_no: int
    confidence: Confidence
    score: int
    review_required: bool
    account_type: AccountType | None = None
    account_no: str | None = None
    related_party_name: str = ""
    applications: tuple[Application, ...] = ()
    difference: Decimal = ZERO
    details: tuple[str, ...] = ()
    alternatives: tuple[Alternative, ...] = field(default_factory=tuple)
    # Part of the amount left unapplied on the party's account (an overpayment; statement
    # sign); ``difference`` already excludes it.
    unapplied: Decimal = ZERO
