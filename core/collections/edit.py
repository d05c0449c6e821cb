"""Editing a reminder or memo before it is issued: delete a line, change the level,
Update Reminder Text, recompute from the customer's current entries."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from core.collections import loader
from core.collections.calc import fee_for, rate_on
from core.collections.create import MSG_FEE, Filters, company_of, create, customer_words
from core.collections.issue import NAMES, draft_lines, draft_or_explain
from core.collections.models import (
    LINE_ENTRY,
    LINE_FEE,
    LINE_LINE_FEE,
    LINE_TEXT,
    OVERDUE,
    CollectionDocument,
    CollectionLine,
)
from core.collections.suggest import Options
from core.collections.texts import TextValues, fill, finance_charge_values, reminder_values
from core.collections.views import totals
from core.i18n import N_, _
from core.kernel import dateformula
from core.kernel.errors import LettrageError, NotFoundError
from core.kernel.money import ZERO, to_minor


def delete_line(s: Session, kind: str, no: str, line_no: int) -> str:
    draft_or_explain(s, kind, no)
    lines = draft_lines(s, no)
    line = next((ln for ln in lines if ln.line_no == line_no), None)
    if line is None:
        raise NotFoundError(N_("{kind} {no} has no line {line_no}"), kind=NAMES[kind], no=no,
                            line_no=line_no)
    s.delete(line)
    if line.line_type == LINE_ENTRY and line.entry_no is not None:
        for ln in lines:  # the entry's line fee goes with it
            if ln.line_type == LINE_LINE_FEE and ln.entry_no == line.entry_no:
                s.delete(ln)
    return _("Deleted line {line_no} of {no}").format(line_no=line_no, no=no)


def _fee_line(s: Session, draft: CollectionDocument, lines: list[CollectionLine],
              fee: Decimal, level: int) -> None:
    for ln in lines:
        if ln.line_type == LINE_FEE:
            s.delete(ln)
    if fee:
        s.add(CollectionLine(document_no=draft.no, line_no=_next_line(lines), line_type=LINE_FEE,
                             section=OVERDUE, amount=to_minor(fee), level=level,
                             description=customer_words(MSG_FEE, draft.language)))


def _next_line(lines: list[CollectionLine]) -> int:
    return max((ln.line_no for ln in lines), default=0) + 10000


def change_level(s: Session, no: str, level_no: int) -> str:
    """Set the reminder's level: its fee, due date and texts follow the new level."""
    draft = draft_or_explain(s, "reminder", no)
    bundle = loader.load_reminder_terms(s, draft.terms_code)
    if level_no < 1 or level_no not in {lv.no for lv in bundle.terms.levels}:
        raise LettrageError(
            N_("Reminder terms {terms_code} have no level {level_no} (levels: {join})"),
            terms_code=draft.terms_code,
            level_no=level_no,
            join=", ".join(str(lv.no) for lv in bundle.terms.levels),
        )
    level = bundle.terms.level(level_no)
    lines = draft_lines(s, no)
    remaining, *_rest = totals(lines)
    fee = fee_for(level.fee_type, level.additional_fee, remaining, level.fee_rows)
    _fee_line(s, draft, lines, fee, level_no)
    draft.level = level_no
    draft.due_date = dateformula.calc_date(level.due_date_calculation or "0D",
                                           draft.document_date)
    draft.version += 1
    s.flush()
    update_text(s, "reminder", no, level_no)
    return _("{no} is now at level {level_no} (fee {fee})").format(no=no, level_no=level_no,
              fee=fee)


def update_text(s: Session, kind: str, no: str, level_no: int | None = None) -> str:
    """Replace the beginning and ending texts with those of ``level_no`` (the
    reminder's own level by default), filled with the current totals."""
    draft = draft_or_explain(s, kind, no)
    lines = draft_lines(s, no)
    for ln in lines:
        if ln.line_type == LINE_TEXT:
            s.delete(ln)
    s.flush()
    lines = [ln for ln in lines if ln.line_type != LINE_TEXT]
    remaining, interest, fee, line_fee = totals(lines)
    level = draft.level if level_no is None else level_no
    rate = ZERO
    if draft.fin_charge_terms_code:
        charge, _row = loader.load_charge_terms(s, draft.fin_charge_terms_code)
        rate = rate_on(charge.rates, draft.document_date).rate
    values = TextValues(document_date=draft.document_date, due_date=draft.due_date,
                        interest_rate=rate, remaining=remaining, interest=interest,
                        additional_fee=fee, total=remaining + interest + fee + line_fee,
                        currency=draft.currency or company_of(s).currency,
                        posting_date=draft.posting_date, level=draft.level,
                        company_name=company_of(s).name, line_fee=line_fee)
    filled = reminder_values(values, draft.language) if kind == "reminder" else \
        finance_charge_values(values, draft.language)
    begin, end = loader.texts(s, kind, draft.terms_code, level if kind == "reminder" else 0,
                              draft.language)
    line_no = _next_line(lines)
    for position, templates in (("beginning", begin), ("ending", end)):
        for t in templates:
            s.add(CollectionLine(document_no=no, line_no=line_no, line_type=LINE_TEXT,
                                 section=position, description=fill(t, filled)))
            line_no += 10000
    draft.version += 1
    if kind == "reminder":
        return _("Texts of {no} replaced by those of level {level}").format(no=no, level=level)
    return _("Texts of {no} updated").format(no=no)


def delete_document(s: Session, kind: str, no: str) -> str:
    draft = draft_or_explain(s, kind, no)
    for ln in draft_lines(s, no):
        s.delete(ln)
    s.delete(draft)
    return _("Deleted {lower} {no}").format(lower=_(NAMES[kind]).lower(), no=no)


def recompute(s: Session, kind: str, no: str, now: datetime) -> tuple[str | None, str]:
    """Rebuild the draft from the customer's current entries (same dates and options).
    Returns the new draft no. and what happened, or None and why nothing is due."""
    draft = draft_or_explain(s, kind, no)
    customer, doc_date, posting = draft.customer_no, draft.document_date, draft.posting_date
    had_not_due = any(ln.section != OVERDUE for ln in draft_lines(s, no)
                      if ln.line_type == LINE_ENTRY)
    delete_document(s, kind, no)
    s.flush()
    options = Options(document_date=doc_date, posting_date=posting,
                      only_overdue=not had_not_due)
    created, skipped = create(s, kind, options, Filters(customer_nos=(customer,)), now)
    if not created:
        return None, skipped[0][1] if skipped else "nothing is due"
    return created[0], _("{no} recomputed from the current entries as {value}").format(no=no,
                          value=created[0])
