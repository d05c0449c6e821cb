"""Keyset pagination: a page of rows before or after a key in any sort order.

Lists never use OFFSET: a page after key ``k`` is ``WHERE (sort columns) > k ORDER BY
sort columns LIMIT n``, which an index on the sort columns answers by a range scan at
any depth of a million-row ledger. The last page is the first page of the reversed
order, reversed again. The last sort column must be unique (the entry no.).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import and_, false, or_, tuple_
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from core.queries.types import Key, Page, PageRequest

R = TypeVar("R")
V = TypeVar("V")


@dataclass(frozen=True)
class SortColumn:
    """One column of a sort order. Nullable columns sort NULL first when ascending."""

    column: Any
    nullable: bool = False

    @property
    def name(self) -> str:
        return str(self.column.key)


def _greater(c: Any, v: Any, desc: bool, nullable: bool) -> ColumnElement[bool]:
    """``c`` comes after ``v`` in (asc NULLS FIRST | desc NULLS LAST) order."""
    if not desc:
        if v is None:
            return c.is_not(None)  # type: ignore[no-any-return]
        return c > v  # type: ignore[no-any-return]
    if v is None:
        return false()
    return or_(c < v, c.is_(None)) if nullable else c < v  # type: ignore[no-any-return]


def _equal(c: Any, v: Any) -> ColumnElement[bool]:
    return c.is_(None) if v is None else c == v  # type: ignore[no-any-return]


def after_key(order: Sequence[SortColumn], key: Key, desc: bool) -> ColumnElement[bool]:
    """The rows that come strictly after ``key`` in the order."""
    if not any(c.nullable for c in order):
        row = tuple_(*(c.column for c in order))
        values = tuple_(*key)
        return row < values if desc else row > values
    terms = []
    for i, c in enumerate(order):
        eqs = [_equal(o.column, key[j]) for j, o in enumerate(order[:i])]
        terms.append(and_(*eqs, _greater(c.column, key[i], desc, c.nullable)))
    return or_(*terms)


def order_by(order: Sequence[SortColumn], desc: bool) -> list[Any]:
    out = []
    for c in order:
        if c.nullable:
            out.append(c.column.desc().nulls_last() if desc else c.column.asc().nulls_first())
        else:
            out.append(c.column.desc() if desc else c.column.asc())
    return out


def fetch_page(s: Session, stmt: SelectOfScalar[R], order: Sequence[SortColumn],
               request: PageRequest, descending: bool,
               views: Callable[[list[R]], Sequence[V]]) -> Page[V]:
    """Run ``stmt`` (already filtered) as one keyset page in display order; ``views``
    turns the page's rows into views in one go (so it may look up names in one query)."""
    backward = request.before is not None or (request.from_end and request.after is None)
    direction = descending != backward  # the SQL order: display order, or its reverse
    key = request.before if backward else request.after
    if key is not None:
        stmt = stmt.where(after_key(order, key, direction))
    stmt = stmt.order_by(*order_by(order, direction)).limit(request.limit + 1)
    rows = list(s.exec(stmt).all())
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    if backward:
        rows.reverse()
    keys = tuple(tuple(getattr(r, c.name) for c in order) for r in rows)
    out = tuple(views(rows))
    if backward:
        return Page(out, keys, more_before=more, more_after=key is not None)
    return Page(out, keys, more_before=key is not None, more_after=more)
