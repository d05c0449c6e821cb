"""Several processes posting at once: document and entry numbers stay unique and
gapless, every posting lands exactly once, the books balance (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing as mp
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import SQLModel, select

import core.tables  # noqa: F401
from core.ledger.check import run_check
from core.ledger.drafts import DocumentDraft, DocumentLineDraft
from core.ledger.models import PostedDocument
from core.ledger.posting import PostingService
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine
from tests import conftest
from tests.helpers import seed_basics

WORKERS, POSTINGS = 4, 8


def _worker(url: str, n: int) -> None:
    store = SqlStore(make_engine(url))
    service = PostingService(store, user=f"clerk{n}")
    for i in range(POSTINGS):
        service.post_document(DocumentDraft(
            "customer", "C001", "invoice", date(2025, 1, 1 + i),
            (DocumentLineDraft("4100", Decimal(f"{n + 1}{i}.50"), Decimal("19")),)))


def _url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'conc.db'}"
        SQLModel.metadata.create_all(make_engine(url))
        return url
    return conftest.fresh_pg_url()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_parallel_posting_numbers_unique_and_gapless(backend: str, tmp_path: Path) -> None:
    url = _url(backend, tmp_path)
    store = SqlStore(make_engine(url))
    create_company(store, "Conc AG")
    seed_basics(store)
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_worker, args=(url, n)) for n in range(WORKERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with store.read() as s:
        numbers = sorted(d.document_no for d in s.exec(select(PostedDocument)).all())
    assert numbers == [f"SI{i:06d}" for i in range(1, WORKERS * POSTINGS + 1)]
    report = run_check(store)
    assert report.ok, report
