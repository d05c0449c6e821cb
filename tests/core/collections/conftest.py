"""Collections fixtures: terms T (two levels) and FC (1.5 % per 30 days, ADB) on the
shared test company, customer C002 (net 30) using both."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from core.collections.service import CollectionsService
from core.kernel.store import Store
from tests.collections_support import setup_terms


@pytest.fixture
def terms_store(store: Store) -> Store:
    setup_terms(store)
    return store


@pytest.fixture
def collections(terms_store: Store) -> CollectionsService:
    clock: Callable[[], datetime] = lambda: datetime(2025, 3, 1, 9, 0, tzinfo=UTC)  # noqa: E731
    return CollectionsService(terms_store, user="tester", clock=clock)


from tests.smtp_support import smtp_server  # noqa: E402

__all__ = ["collections", "smtp_server", "terms_store"]
