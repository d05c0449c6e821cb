"""Property: any sequence of postings (documents, payments applied by document, by
Apply to Oldest or not at all, partial or over-payments, with or without discounts,
G/L lines, rejected postings) keeps every invariant that ``lettrage check`` proves."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel, select

import core.tables  # noqa: F401
from core.kernel.errors import LettrageError
from core.ledger.check import run_check
from core.ledger.drafts import DocumentDraft, DocumentLineDraft, LineDraft
from core.ledger.models import LedgerEntry
from core.ledger.posting import PostingService
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine
from tests.helpers import seed_basics

START = date(2025, 1, 1)
amounts = st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c) / 100)
parties = st.sampled_from([("customer", "C001"), ("customer", "C002"), ("vendor", "V001")])

document = st.tuples(st.just("doc"), parties, st.sampled_from(["invoice", "credit_memo"]),
                     amounts, st.integers(0, 60), st.sampled_from(["0", "19", "7"]))
pay = st.tuples(st.just("pay"), parties, amounts, st.integers(0, 90),
                st.sampled_from(["none", "doc", "id"]))
gl = st.tuples(st.just("gl"), amounts, st.integers(0, 90))
operations = st.lists(st.one_of(document, pay, gl), min_size=1, max_size=25)


def _fresh_store() -> SqlStore:
    engine = make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    create_company(store, "Prop AG")
    seed_basics(store)
    return store


def _open_doc(store: SqlStore, party: tuple[str, str]) -> str:
    with store.read() as s:
        row = s.exec(select(LedgerEntry).where(
            LedgerEntry.party_type == party[0], LedgerEntry.party_no == party[1],
            LedgerEntry.open == True, LedgerEntry.document_type == "invoice")  # noqa: E712
            .order_by(LedgerEntry.entry_no)).first()
    return row.document_no if row else ""


def _mark_all(store: SqlStore, party: tuple[str, str], applies_to_id: str) -> None:
    with store.write() as s:
        for e in s.exec(select(LedgerEntry).where(
                LedgerEntry.party_type == party[0], LedgerEntry.party_no == party[1],
                LedgerEntry.open == True)).all():  # noqa: E712
            e.applies_to_id = applies_to_id


def _run(store: SqlStore, op: tuple, n: int) -> None:  # type: ignore[type-arg]
    service = PostingService(store)
    kind = op[0]
    if kind == "doc":
        _, party, doc_type, amount, offset, vat = op
        account = "4100" if party[0] == "customer" else "5100"
        service.post_document(DocumentDraft(party[0], party[1], doc_type,
                                            START + timedelta(days=offset),
                                            (DocumentLineDraft(account, amount, Decimal(vat)),)))
    elif kind == "pay":
        _, party, amount, offset, how = op
        sign = Decimal(-1) if party[0] == "customer" else Decimal(1)
        doc = _open_doc(store, party) if how == "doc" else ""
        ident = f"ID{n}" if how == "id" else ""
        if ident:
            _mark_all(store, party, ident)
        service.post_lines([LineDraft(START + timedelta(days=offset), party[0], party[1],
                                      sign * amount, document_type="payment",
                                      document_no=f"P{n}", bal_account_type="bank_account",
                                      bal_account_no="BANK1", applies_to_doc_no=doc,
                                      applies_to_id=ident)])
    else:
        _, amount, offset = op
        service.post_lines([LineDraft(START + timedelta(days=offset), "gl_account", "6400",
                                      amount, document_no=f"G{n}",
                                      bal_account_type="bank_account", bal_account_no="BANK1")])


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(operations)
def test_random_postings_keep_every_invariant(ops: list[tuple]) -> None:  # type: ignore[type-arg]
    store = _fresh_store()
    for n, op in enumerate(ops):
        with contextlib.suppress(LettrageError):  # a refused posting changes nothing
            _run(store, op, n)
        report = run_check(store)
        assert report.ok, [r for r in report.results if not r.ok]
