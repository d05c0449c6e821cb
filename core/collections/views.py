"""Plain values collections hands to screens, the command line and documents."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core.collections.models import (
    LINE_ENTRY,
    LINE_FEE,
    LINE_LINE_FEE,
    LINE_TEXT,
    OVERDUE,
    CollectionDocument,
    CollectionLine,
    IssuedDocument,
)
from core.i18n import N_, _
from core.kernel.money import ZERO, from_minor

KIND_NAMES = {"reminder": N_("Reminder"), "finance_charge": N_("Finance charge memo")}


@dataclass(frozen=True)
class LineView:
    line_no: int
    line_type: str
    section: str
    entry_no: int | None
    document_type: str
    document_no: str
    document_date: date | None
    due_date: date | None
    days_overdue: int
    original_amount: Decimal
    remaining: Decimal
    interest_rate: Decimal
    interest_days: int
    interest: Decimal
    fee: Decimal
    level: int
    description: str


@dataclass(frozen=True)
class DocumentView:
    no: str
    kind: str
    status: str  # draft | issued | canceled
    customer_no: str
    name: str
    address: str
    post_code: str
    city: str
    country: str
    email: str
    language: str
    currency: str
    terms_code: str
    level: int
    posting_date: date
    document_date: date
    due_date: date
    remaining: Decimal
    interest: Decimal
    additional_fee: Decimal
    line_fee: Decimal
    lines: tuple[LineView, ...]
    beginning_texts: tuple[str, ...] = ()
    ending_texts: tuple[str, ...] = ()
    pre_assigned_no: str = ""
    ledger_entry_no: int | None = None
    posted_amount: Decimal = ZERO
    sent_at: datetime | None = None
    sent_to: str = ""

    @property
    def total(self) -> Decimal:
        """What the customer owes: a reminder also asks for the overdue amount, a memo
        charges only interest and fees."""
        charged = self.interest + self.additional_fee + self.line_fee
        return charged if self.kind == "finance_charge" else self.remaining + charged

    @property
    def kind_name(self) -> str:
        return _(KIND_NAMES[self.kind]) if self.kind in KIND_NAMES else self.kind

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["total"] = self.total
        return data


@dataclass(frozen=True)
class DocumentSummary:
    no: str
    kind: str
    status: str
    customer_no: str
    name: str
    currency: str
    level: int
    document_date: date
    due_date: date
    lines: int
    remaining: Decimal
    interest: Decimal
    fees: Decimal
    total: Decimal
    pre_assigned_no: str = ""
    sent: bool = False


@dataclass(frozen=True)
class CreateResult:
    kind: str
    document_date: date
    created: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # (customer no., reason)
    documents: tuple[DocumentSummary, ...] = field(default=())


@dataclass(frozen=True)
class IssueResult:
    issued_no: str
    draft_no: str
    register_no: int | None
    ledger_entry_no: int | None
    posted_amount: Decimal
    reminder_entries: int
    message: str = ""


@dataclass(frozen=True)
class CancelResult:
    issued_no: str
    register_no: int | None
    entries_rolled_back: int
    message: str = ""


def line_view(row: CollectionLine, as_of: date) -> LineView:
    days = max((as_of - row.due_date).days, 0) if row.due_date else 0
    return LineView(
        line_no=row.line_no, line_type=row.line_type, section=row.section,
        entry_no=row.entry_no, document_type=row.entry_document_type,
        document_no=row.entry_document_no, document_date=row.document_date,
        due_date=row.due_date, days_overdue=days,
        original_amount=from_minor(row.original_amount),
        remaining=from_minor(row.remaining_amount), interest_rate=Decimal(row.interest_rate),
        interest_days=row.interest_days, interest=from_minor(row.interest_amount),
        fee=from_minor(row.amount), level=row.level, description=row.description)


def totals(lines: list[CollectionLine]) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Remaining (overdue section), interest, additional fee, line fees of the lines."""
    remaining = sum((ln.remaining_amount for ln in lines
                     if ln.line_type == LINE_ENTRY and ln.section == OVERDUE), 0)
    interest = sum((ln.interest_amount for ln in lines if ln.line_type == LINE_ENTRY), 0)
    fee = sum((ln.amount for ln in lines if ln.line_type == LINE_FEE), 0)
    line_fee = sum((ln.amount for ln in lines if ln.line_type == LINE_LINE_FEE), 0)
    return from_minor(remaining), from_minor(interest), from_minor(fee), from_minor(line_fee)


def document_view(head: CollectionDocument | IssuedDocument, lines: list[CollectionLine]
                  ) -> DocumentView:
    remaining, interest, fee, line_fee = totals(lines)
    issued = isinstance(head, IssuedDocument)
    status = "draft"
    if isinstance(head, IssuedDocument):
        status = "canceled" if head.canceled else "issued"
    body = [ln for ln in lines if ln.line_type != LINE_TEXT]
    return DocumentView(
        no=head.no, kind=head.kind, status=status, customer_no=head.customer_no,
        name=head.name, address=head.address, post_code=head.post_code, city=head.city,
        country=head.country, email=head.email, language=head.language,
        currency=head.currency, terms_code=head.terms_code, level=head.level,
        posting_date=head.posting_date, document_date=head.document_date,
        due_date=head.due_date, remaining=remaining, interest=interest,
        additional_fee=fee, line_fee=line_fee,
        lines=tuple(line_view(ln, head.document_date) for ln in body),
        beginning_texts=tuple(ln.description for ln in lines
                              if ln.line_type == LINE_TEXT and ln.section == "beginning"),
        ending_texts=tuple(ln.description for ln in lines
                           if ln.line_type == LINE_TEXT and ln.section == "ending"),
        pre_assigned_no=head.pre_assigned_no if issued else "",  # type: ignore[union-attr]
        ledger_entry_no=head.ledger_entry_no if issued else None,  # type: ignore[union-attr]
        posted_amount=from_minor(head.posted_amount) if issued else ZERO,  # type: ignore[union-attr]
        sent_at=head.sent_at if issued else None,  # type: ignore[union-attr]
        sent_to=head.sent_to if issued else "")  # type: ignore[union-attr]


def summary_of(view: DocumentView) -> DocumentSummary:
    return DocumentSummary(
        no=view.no, kind=view.kind, status=view.status, customer_no=view.customer_no,
        name=view.name, currency=view.currency, level=view.level,
        document_date=view.document_date, due_date=view.due_date,
        lines=sum(1 for ln in view.lines if ln.line_type == LINE_ENTRY),
        remaining=view.remaining, interest=view.interest,
        fees=view.additional_fee + view.line_fee, total=view.total,
        pre_assigned_no=view.pre_assigned_no, sent=view.sent_at is not None)
