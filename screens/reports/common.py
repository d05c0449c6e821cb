"""What the report screens share: paging an in-memory list into the lazy table, the
bucket titles, one-line bar charts (no plotting library: the home screen uses them)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from core.queries.types import Page, PageRequest
from core.reports.labels import bucket_title

BLOCKS = " ▁▂▃▄▅▆▇█"


def list_fetch(rows: Sequence[Any]) -> Any:
    """A ``Fetch`` over rows already in memory (keys are positions), so a report of
    10,000 lines opens as fast as one of ten: the table formats one page at a time."""
    frozen = tuple(rows)

    def fetch(request: PageRequest) -> Page[Any]:
        n, limit = len(frozen), request.limit
        if request.after is not None:
            start = int(request.after[0]) + 1
        elif request.before is not None:
            start = max(0, int(request.before[0]) - limit)
        elif request.from_end:
            start = max(0, n - limit)
        else:
            start = 0
        end = min(n, start + limit) if request.before is None else int(request.before[0])
        return Page(frozen[start:end], tuple((i,) for i in range(start, end)), start > 0,
                    end < n)

    return fetch


def short_title(key: str) -> str:
    """Bucket titles short enough for a 10-column table header: Not due, 1-30, > 90."""
    if key == "current":
        return bucket_title(key)
    return f"> {key[5:]}" if key.startswith("over_") else key


def sparkline(values: Sequence[Decimal], top: Decimal | None = None) -> str:
    """One character per value, ▁ to █, scaled to ``top`` (default: the largest)."""
    top = top if top is not None else max((v for v in values), default=Decimal(0))
    if top <= 0:
        return "▁" * len(values)
    return "".join(BLOCKS[max(1, min(8, round(float(max(v, Decimal(0)) / top) * 8)))]
                   for v in values)
