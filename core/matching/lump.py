"""Bounded exact subset-sum for a lump payment that lists no documents.

The search looks for the *smallest* subsets (size 2..max_size) of a party's open
entries whose total lies in [low, high]. Each size k is searched exactly by meeting in
the middle: the sums of all subsets of size k//2 and of size k - k//2 are listed, the
larger list sorted, and every small subset looks up (bisect) the partners that bring
its total into the window; pairs that share an entry are skipped. With at most 30
entries and sizes up to 6 that is at most C(30,3) = 4,060 look-ups per size, a few
milliseconds, and the answer is complete. A step budget still bounds the work for
unusual settings: before each size the search counts the subset sums it would list and
look up, and stops (``complete=False``) when they would exceed ``step_budget``. The
budget counts work, not time, so the same input always gives the same answer whatever
the machine's load. At most ``max_solutions`` subsets of the minimal size are returned,
so the caller can see whether the answer is unique.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from math import comb

Subset = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SubsetResult:
    solutions: tuple[tuple[int, ...], ...]  # positions into the input values
    complete: bool  # False when the step budget cut the search


def _sums(amounts: list[int], size: int) -> tuple[list[int], list[Subset]]:
    """Sums of all subsets of ``size`` positions (in combination order)."""
    n = len(amounts)
    pairs: list[tuple[int, Subset]]
    if size == 1:
        pairs = [(amounts[i], (i,)) for i in range(n)]
    elif size == 2:
        pairs = [(amounts[i] + amounts[j], (i, j)) for i, j in combinations(range(n), 2)]
    elif size == 3:
        pairs = [(amounts[i] + amounts[j] + amounts[k], (i, j, k))
                 for i, j, k in combinations(range(n), 3)]
    else:
        pairs = [(sum(amounts[p] for p in combo), combo)
                 for combo in combinations(range(n), size)]
    return [s for s, _ in pairs], [c for _, c in pairs]


class _Tables:
    """Subset sums per subset size, built on first use (sorted or grouped by sum on
    demand)."""

    def __init__(self, amounts: list[int]) -> None:
        self.amounts = amounts
        self.plain: dict[int, tuple[list[int], list[Subset]]] = {}
        self.sorted: dict[int, tuple[list[int], list[Subset]]] = {}
        self.grouped: dict[int, dict[int, list[Subset]]] = {}

    def cost(self, size: int) -> int:
        """Steps searching ``size`` takes: the subset sums still to be listed for both
        halves, and one look-up per subset of the smaller half."""
        n, half = len(self.amounts), size // 2
        return sum(comb(n, k) for k in {half, size - half} if k not in self.plain) \
            + comb(n, half)

    def of(self, size: int) -> tuple[list[int], list[Subset]]:
        if size not in self.plain:
            self.plain[size] = _sums(self.amounts, size)
        return self.plain[size]

    def of_sorted(self, size: int) -> tuple[list[int], list[Subset]]:
        if size not in self.sorted:
            pairs = sorted(zip(*self.of(size), strict=True))
            self.sorted[size] = [s for s, _ in pairs], [c for _, c in pairs]
        return self.sorted[size]

    def by_sum(self, size: int) -> dict[int, list[Subset]]:
        if size not in self.grouped:
            grouped: dict[int, list[Subset]] = {}
            for total, subset in zip(*self.of(size), strict=True):
                grouped.setdefault(total, []).append(subset)
            self.grouped[size] = grouped
        return self.grouped[size]


def _of_size(tables: _Tables, size: int, low: int, high: int,
             limit: int) -> list[Subset]:
    small_sums, small_sets = tables.of(size // 2)
    large = size - size // 2
    found: set[Subset] = set()
    if low == high:  # exact amount (no tolerance): hash look-up of the partner sum
        by_sum = tables.by_sum(large)
        for total, subset in zip(small_sums, small_sets, strict=True):
            for other in by_sum.get(low - total, ()):
                if not set(subset).intersection(other):
                    found.add(tuple(sorted(subset + other)))
            if len(found) >= limit:
                break
        return sorted(found)[:limit]
    large_sums, large_sets = tables.of_sorted(large)
    for total, subset in zip(small_sums, small_sets, strict=True):
        lo = bisect_left(large_sums, low - total)
        hi = bisect_right(large_sums, high - total)
        for other in large_sets[lo:hi]:
            if not set(subset).intersection(other):
                found.add(tuple(sorted(subset + other)))
        if len(found) >= limit:
            break
    return sorted(found)[:limit]


def find_subsets(values: Sequence[int], low: int, high: int, max_size: int,
                 step_budget: int, max_solutions: int = 2,
                 min_size: int = 2) -> SubsetResult:
    """Smallest subsets (size >= ``min_size``, 1 or 2) of positive ``values`` with total
    in [low, high], searching at most ``step_budget`` steps (see ``_Tables.cost``)."""
    steps = 0
    kept = [i for i, v in enumerate(values) if 0 < v <= high]
    amounts = [values[i] for i in kept]
    if sum(amounts) < low:
        return SubsetResult((), True)
    if min_size <= 1:
        single = [(kept[p],) for p, v in enumerate(amounts) if low <= v <= high]
        if single:
            return SubsetResult(tuple(single[:max_solutions]), True)
    tables = _Tables(amounts)
    ordered = sorted(amounts)
    for size in range(2, min(max_size, len(amounts)) + 1):
        if sum(ordered[:size]) > high:
            break  # even the smallest entries of this size (and larger) are too much
        if sum(ordered[-size:]) < low:
            continue  # even the largest entries of this size are too little
        steps += tables.cost(size)
        if steps > step_budget:
            return SubsetResult((), False)
        found = _of_size(tables, size, low, high, max_solutions)
        if found:
            return SubsetResult(tuple(tuple(kept[p] for p in s) for s in found), True)
    return SubsetResult((), True)
