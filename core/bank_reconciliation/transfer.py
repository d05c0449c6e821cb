"""Transfer to General Journal (BC §6): a fee or interest line without a bank entry.

``draft`` prefills the general-journal line from the statement line (date, amount,
text, the bank as account); ``post`` posts it through the posting engine against the
G/L account the clerk chose, and matches the line to the bank entry it made.
"""

from __future__ import annotations

import json

from sqlmodel import Session

from core.bank_reconciliation.evidence import records, said
from core.bank_reconciliation.models import BankRecLine
from core.bank_reconciliation.store import (
    BankRecError,
    get_rec,
    line_text,
    lines_of,
    matches_of,
    rec_view,
    refresh_lines,
    write_matches,
)
from core.bank_reconciliation.views import RecView, TransferDraft
from core.i18n import N_, _
from core.kernel.money import from_minor
from core.kernel.store import Store
from core.ledger.drafts import LineDraft
from core.ledger.poster import Poster, os_user

FEE_ACCOUNT = "6400"  # Bank charges: suggested for a debit
INTEREST_ACCOUNT = "4900"  # Other income: suggested for a credit (interest)


def _line(s: Session, rec_id: int, line_id: int) -> BankRecLine:
    for ln in lines_of(s, rec_id):
        if ln.id == line_id:
            return ln
    raise BankRecError(N_("Line {line_id} is not a line of reconciliation {rec_id}"),
                       line_id=line_id, rec_id=rec_id)


class TransferService:
    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user if user is not None else os_user("")

    def draft(self, rec_id: int, line_id: int) -> TransferDraft:
        with self.store.read() as s:
            rec = get_rec(s, rec_id)
            ln = _line(s, rec_id, line_id)
            return TransferDraft(line_id, ln.transaction_date, rec.bank_account_no,
                                 from_minor(ln.amount), f"BR{rec.statement_no}-{ln.line_no}",
                                 (line_text(ln) or "Bank statement line")[:100],
                                 FEE_ACCOUNT if ln.amount < 0 else INTEREST_ACCOUNT)

    def post(self, rec_id: int, line_id: int, gl_account_no: str,
             description: str | None = None) -> RecView:
        with self.store.write() as s:
            rec = get_rec(s, rec_id, lock=True)
            ln = _line(s, rec_id, line_id)
            if ln.match_kind != "none":
                raise BankRecError(
                    N_(
                        "Line {line_no} is matched already; remove the match "
                        "before transferring it to the general journal"
                    ),
                    line_no=ln.line_no,
                )
            text = (description if description is not None else line_text(ln))[:100]
            draft = LineDraft(posting_date=ln.transaction_date, account_type="bank_account",
                              account_no=rec.bank_account_no, amount=from_minor(ln.amount),
                              document_no=f"BR{rec.statement_no}-{ln.line_no}",
                              description=text or _("Bank statement line"),
                              bal_account_type="gl_account", bal_account_no=gl_account_no,
                              ref=_("statement {statement_no} line {line_no}").format(
                                  statement_no=rec.statement_no, line_no=ln.line_no))
            poster = Poster(s, source_code="BANKREC", user=self.user)
            poster.post([draft])
            entry_no = poster.bank_entries[0].entry_no
            write_matches(s, rec, [(ln.id or 0, entry_no)])
            ln.match_kind = "manual"
            ln.details_json = json.dumps(records([said(
                N_("Transferred to the general journal: posted to G/L account "
                   "{gl_account_no} as bank entry {entry_no}."),
                gl_account_no=gl_account_no, entry_no=entry_no)]), ensure_ascii=False)
            by_line = matches_of(s, rec_id)
            refresh_lines(s, [ln], by_line)
            rec.version += 1
            return rec_view(s, rec)
