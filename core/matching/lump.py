"""Bounded exact subset-sum for a lump payment that lists no documents.

The search looks for the *smallest* subsets of a party's open entries whose total lies
in [low, high]; it enumerates subset sizes 2..max_size with depth-first search over the
values sorted descending, pruning with the largest/smallest reachable sums, and stops
at a deadline.  It returns at most ``max_solutions`` subsets of the minimal size, so the
caller can see whether the answer is unique.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SubsetResult:
    solutions: tuple[tuple[int, ...], ...]  # positions into the input values
    complete: bool  # False when the deadline cut the search


def _search(vals: list[tuple[int, int]], size: int, low: int, high: int,
            deadline: float, limit: int) -> tuple[list[tuple[int, ...]], bool]:
    n = len(vals)
    amounts = [v for v, _ in vals]
    suffix_small: list[list[int]] = []  # suffix_small[i][k]: sum of k smallest in vals[i:]
    for i in range(n + 1):
        tail = sorted(amounts[i:])
        acc = [0]
        for v in tail[:size]:
            acc.append(acc[-1] + v)
        suffix_small.append(acc)
    found: list[tuple[int, ...]] = []
    chosen: list[int] = []
    steps = 0

    def dfs(start: int, left: int, total: int) -> bool:
        nonlocal steps
        if left == 0:
            if low <= total <= high:
                found.append(tuple(vals[j][1] for j in chosen))
            return len(found) >= limit
        steps += 1
        if steps & 1023 == 0 and time.perf_counter() > deadline:
            raise TimeoutError
        for j in range(start, n - left + 1):
            largest = total + sum(amounts[j:j + left])  # values sorted descending
            if largest < low:
                return False
            small = suffix_small[j]
            if len(small) > left and total + small[left] > high:
                continue
            chosen.append(j)
            stop = dfs(j + 1, left - 1, total + amounts[j])
            chosen.pop()
            if stop:
                return True
        return False

    try:
        dfs(0, size, 0)
    except TimeoutError:
        return found, False
    return found, True


def find_subsets(values: Sequence[int], low: int, high: int, max_size: int,
                 time_cap_ms: float, max_solutions: int = 2) -> SubsetResult:
    """Smallest subsets (size >= 2) of positive ``values`` with total in [low, high]."""
    deadline = time.perf_counter() + time_cap_ms / 1000.0
    vals = sorted(((v, i) for i, v in enumerate(values) if 0 < v <= high), reverse=True)
    if sum(v for v, _ in vals) < low:
        return SubsetResult((), True)
    for size in range(2, min(max_size, len(vals)) + 1):
        found, complete = _search(vals, size, low, high, deadline, max_solutions)
        if found or not complete:
            return SubsetResult(tuple(tuple(sorted(s)) for s in found), complete)
    return SubsetResult((), True)
