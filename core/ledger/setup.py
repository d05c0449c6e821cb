"""Creating a company: the default chart, posting groups, payment terms, number series,
counters and journal batches, written in one transaction."""

from __future__ import annotations

from sqlmodel import Session

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.kernel.store import Store
from core.ledger.defaults import CHART, NO_SERIES, PAYMENT_TERMS, POSTING_GROUPS
from core.ledger.models import (
    Company,
    Counter,
    GLAccount,
    JournalBatch,
    NoSeries,
    PaymentTerms,
    PostingGroup,
)
from core.ledger.numbering import COUNTERS
from core.ledger.presence import has_company as has_company  # re-exported

JOURNAL_BATCHES = (
    ("cash_receipt", "DEFAULT", N_("Cash receipts"), "CASHRCPT", "bank_account", "BANK1"),
    ("payment", "DEFAULT", N_("Payments"), "PAYMENT", "bank_account", "BANK1"),
    ("general", "DEFAULT", N_("General journal"), "GENJNL", "", ""),
)


class CompanyExistsError(LettrageError):
    pass


def create_company(store: Store, name: str, currency: str = "EUR") -> None:
    """Create the company with its default setup. Refuses if one exists."""
    currency = currency.upper()
    if len(currency) != 3 or not currency.isalpha():
        raise LettrageError(N_("'{currency}' is not an ISO 4217 currency code (e.g. EUR)"),
                            currency=currency)
    with store.write() as s:
        if s.get(Company, 1) is not None:
            raise CompanyExistsError(N_("This database already holds a company"))
        s.add(Company(id=1, name=name, currency=currency, pmt_disc_grace_days=5,
                      payment_tolerance_pct="0", max_payment_tolerance=0))
        _add_defaults(s)


def _add_defaults(s: Session) -> None:
    """The default setup, its names worded once in the creating clerk's language (as
    Business Central's data: a French clerk's company has French account names)."""
    for no, gl_name, acc_type, inc_bal, category in CHART:
        s.add(GLAccount(no=no, name=_(gl_name), account_type=acc_type, income_balance=inc_bal,
                        category=category, direct_posting=acc_type == "posting"))
    s.flush()
    for row in POSTING_GROUPS:
        party_type, code, rec, dd, dc, td, tc, rnd, interest, fee = row
        s.add(PostingGroup(party_type=party_type, code=code, receivables_account=rec,
                           pmt_disc_debit_acc=dd, pmt_disc_credit_acc=dc, pmt_tol_debit_acc=td,
                           pmt_tol_credit_acc=tc, rounding_acc=rnd, interest_acc=interest,
                           fee_acc=fee))
    for code, desc, due, disc, pct in PAYMENT_TERMS:
        s.add(PaymentTerms(code=code, description=_(desc), due_date_formula=due,
                           discount_date_formula=disc, discount_pct=pct))
    for code, desc, prefix, width in NO_SERIES:
        s.add(NoSeries(code=code, description=_(desc), prefix=prefix, width=width))
    for name in COUNTERS:
        s.add(Counter(name=name, value=0))
    s.flush()
    for template, bname, desc, series, bal_type, bal_no in JOURNAL_BATCHES:
        s.add(JournalBatch(template=template, name=bname, description=_(desc),
                           no_series_code=series, bal_account_type=bal_type,
                           bal_account_no=bal_no))
