"""Whether a database holds a company: one query without the ORM tables, so opening a
company for a read-only command (``lettrage check``) does not load the whole schema."""

from __future__ import annotations

from sqlalchemy import text

from core.kernel.store import Store


def has_company(store: Store) -> bool:
    """True when the company record (id 1) exists."""
    with store.read() as s:
        return s.execute(text("SELECT 1 FROM company WHERE id = 1")).first() is not None
