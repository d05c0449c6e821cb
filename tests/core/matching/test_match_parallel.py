"""Matching on two cores (issue #14): the forked run gives exactly the serial proposals,
and stays serial when forking is not safe or not wanted."""

from __future__ import annotations

import os
import threading

import pytest

from bench.matchgen import generate
from bench.matchgen_wild import generate_wild
from core.matching import MatchIndex, MatchSettings, Proposal, match_lines, parallel
from core.matching.parallel import ENV_WORKERS, MIN_FORK_LINES, use_fork

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def _run(world_lines: list, index: MatchIndex, workers: int | None,
         **kw: object) -> list[Proposal]:
    return match_lines(world_lines, index, settings=MatchSettings(), workers=workers,
                       **kw)  # type: ignore[arg-type]


@needs_fork
@pytest.mark.parametrize("make", [generate, generate_wild])
def test_forked_run_equals_serial_run(make: object) -> None:
    world = make(seed=2, customers=300, vendors=60, entries=3_000, lines=400)  # type: ignore[operator]
    index = MatchIndex.build(world.entries, world.parties)
    serial = _run(world.lines, index, 1, mappings=world.mappings)
    forked = _run(world.lines, index, 2, mappings=world.mappings)
    assert [p.line_no for p in forked] == [line.line_no for line in world.lines]
    assert forked == serial
    assert [repr(p) for p in forked] == [repr(p) for p in serial]
    # a real mix: applied, review and unmatched lines, alternatives and evidence
    assert {p.confidence for p in serial} >= {"high", "medium", "none"}
    assert sum(len(p.alternatives) for p in serial) > 0


@needs_fork
def test_forked_run_counts_kept_lines() -> None:
    world = generate(seed=3, customers=200, vendors=40, entries=2_000, lines=320)
    index = MatchIndex.build(world.entries, world.parties)
    first = _run(world.lines, index, 1)
    keep = {p.line_no: p for p in first[1::7] if p.applications}
    serial = _run(world.lines, index, 1, keep=keep)
    forked = _run(world.lines, index, 2, keep=keep)
    assert forked == serial
    assert keep and all(p == keep[p.line_no] for p in forked if p.line_no in keep)


def test_when_to_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_WORKERS, raising=False)
    forks = hasattr(os, "fork")
    assert use_fork(MIN_FORK_LINES, None) is forks
    assert not use_fork(MIN_FORK_LINES - 1, None)  # too few lines to pay
    assert use_fork(10, 2) is forks  # the caller's word wins over the size
    assert not use_fork(10_000, 1)
    monkeypatch.setenv(ENV_WORKERS, "1")
    assert not use_fork(10_000, None)
    monkeypatch.setenv(ENV_WORKERS, "x")
    assert not use_fork(10_000, None)


def test_no_fork_while_other_threads_run() -> None:
    """The terminal UI matches in a worker thread: forking there could copy a lock
    another thread holds, so the run stays serial."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not use_fork(10_000, 2)
        assert not use_fork(10_000, None)
    finally:
        stop.set()
        other.join()


@needs_fork
def test_failing_child_falls_back_to_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that dies before answering: the parent runs the serial path and returns
    the same proposals."""
    world = generate(seed=1, customers=200, vendors=40, entries=2_000, lines=60)
    index = MatchIndex.build(world.entries, world.parties)
    serial = _run(world.lines, index, 1)
    calls: list[str] = []
    real_child, real_forked = parallel._child, parallel.run_forked

    def dying_child(*args: object) -> None:
        os._exit(3)

    def counted(*args: object) -> object:
        calls.append("forked")
        return real_forked(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "_child", dying_child)
    monkeypatch.setattr("core.matching.engine.run_forked", counted)
    assert _run(world.lines, index, 2) == serial
    assert calls == ["forked"]
    assert real_child is not dying_child
