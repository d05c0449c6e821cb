"""``lettrage load bank-entries FILE.csv``: a carried-over opening position.

Columns ``bank_account_no,posting_date,document_type,document_no,external_document_no,
description,amount,check_no``: open bank ledger entries of items not yet through the
bank (outstanding deposits and checks), each posted against the opening balance
account (3900), so the books stay balanced. ``check_no`` writes a check entry (the
amount must then be negative). Every row is checked first; one bad row and nothing
is written. The CSV reading and row checks are the other loaders' (core.services.loading).
"""

from __future__ import annotations

from pathlib import Path

from core.bank_reconciliation.checks import CHECK_METHOD
from core.i18n import N_
from core.kernel.store import Store
from core.ledger.defaults import OPENING_BALANCE_ACCOUNT
from core.ledger.drafts import LineDraft
from core.ledger.load_csv import RowError, Rows, lock_loads, previous_load, record_load
from core.ledger.loading import LoadResult, _amount, _check_rows, _date  # shared row checks
from core.ledger.models import BankAccount
from core.ledger.poster import Poster, os_user

COLUMNS = ("bank_account_no", "posting_date", "document_type", "document_no",
           "external_document_no", "description", "amount", "check_no")
DOCUMENT_TYPES = ("payment", "refund", "check", "transfer", "deposit", "fee", "")


def load_bank_entries(store: Store, path: Path, user: str | None = None) -> LoadResult:
    rows = Rows(path, COLUMNS)
    drafts: list[LineDraft] = []
    with store.write() as s:
        lock_loads(s)  # one load at a time; the same file twice loads nothing
        if (previous := previous_load(s, "bank-entries", rows.sha256)) is not None:
            return LoadResult("bank-entries", str(path), rows.count, 0,
                              already_loaded=previous.describe(rows.path))
        banks: dict[str, BankAccount | None] = {}

        def check(i: int, row: dict[str, str]) -> None:
            no = row["bank_account_no"]
            if no not in banks:
                banks[no] = s.get(BankAccount, no)
            if banks[no] is None:
                raise RowError("bank_account_no", N_("bank account '{no}' does not exist"), no=no)
            kind = row["document_type"].lower()
            if kind not in DOCUMENT_TYPES:
                raise RowError("document_type", N_("'{value}' is not one of {kinds}"),
                               value=row["document_type"],
                               kinds=", ".join(t for t in DOCUMENT_TYPES if t))
            day = _date(row["posting_date"], "posting_date")
            amount = _amount(row["amount"], "amount")
            if not amount:
                raise RowError("amount", N_("the amount must not be zero"))
            check_no = row.get("check_no", "").strip()
            if check_no and amount > 0:
                raise RowError("amount", N_("a check pays money out: the amount must be negative"))
            if not row["document_no"] and not check_no:
                raise RowError("document_no", N_("a document no. is required"))
            assert day is not None
            draft = LineDraft(posting_date=day, account_type="bank_account", account_no=no,
                              amount=amount, document_type=kind,
                              document_no=check_no or row["document_no"],
                              external_document_no=row["external_document_no"],
                              description=row["description"] or "Opening position",
                              bal_account_type="gl_account",
                              bal_account_no=OPENING_BALANCE_ACCOUNT,
                              payment_method=CHECK_METHOD if check_no else "",
                              ref=f"{path.name} row {i}")
            drafts.append(draft)

        count = _check_rows(rows, check)
        poster = Poster(s, source_code="OPENING", user=user or os_user())
        register = poster.post(drafts)
        record_load(s, "bank-entries", rows, user or os_user(""))
    return LoadResult("bank-entries", str(path), count, len(drafts), register)
