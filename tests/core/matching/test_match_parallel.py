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


def _watch_fork(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record whether each forked run answered (True) or fell back (False)."""
    calls: list[bool] = []
    real = parallel.run_forked

    def watched(*args: object) -> object:
        out = real(*args)  # type: ignore[arg-type]
        calls.append(out is not None)
        return out

    monkeypatch.setattr("core.matching.engine.run_forked", watched)
    return calls


@needs_fork
@pytest.mark.parametrize("make", [generate, generate_wild])
def test_forked_run_equals_serial_run(make: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_WORKERS, "2")  # fork whatever the machine's load
    calls = _watch_fork(monkeypatch)
    world = make(seed=2, customers=300, vendors=60, entries=3_000, lines=400)  # type: ignore[operator]
    index = MatchIndex.build(world.entries, world.parties)
    serial = _run(world.lines, index, 1, mappings=world.mappings)
    forked = _run(world.lines, index, None, mappings=world.mappings)
    assert calls == [True]  # the forked run answered (no serial fallback)
    assert [p.line_no for p in forked] == [line.line_no for line in world.lines]
    assert forked == serial
    assert [repr(p) for p in forked] == [repr(p) for p in serial]
    # a real mix: applied, review and unmatched lines, alternatives and evidence
    assert {p.confidence for p in serial} >= {"high", "medium", "none"}
    assert sum(len(p.alternatives) for p in serial) > 0


@needs_fork
def test_forked_run_counts_kept_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    world = generate(seed=3, customers=200, vendors=40, entries=2_000, lines=320)
    index = MatchIndex.build(world.entries, world.parties)
    first = _run(world.lines, index, 1)
    keep = {p.line_no: p for p in first[1::7] if p.applications}
    serial = _run(world.lines, index, 1, keep=keep)
    calls = _watch_fork(monkeypatch)
    forked = _run(world.lines, index, 2, keep=keep)
    assert calls == [True]
    assert forked == serial
    assert keep and all(p == keep[p.line_no] for p in forked if p.line_no in keep)


def test_when_to_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_WORKERS, raising=False)
    forks = hasattr(os, "fork")
    idle = [True]
    monkeypatch.setattr(parallel, "idle_core", lambda: idle[0])
    assert use_fork(MIN_FORK_LINES, None) is forks
    assert not use_fork(MIN_FORK_LINES - 1, None)  # too few lines to pay
    idle[0] = False  # a busy machine: the child would share the parent's core
    assert not use_fork(10_000, None)
    assert use_fork(10, 2) is forks  # the caller's word wins over size and load
    assert not use_fork(10_000, 1)
    monkeypatch.setenv(ENV_WORKERS, "2")
    assert use_fork(10, None) is forks
    monkeypatch.setenv(ENV_WORKERS, "1")
    idle[0] = True
    assert not use_fork(10_000, None)
    monkeypatch.setenv(ENV_WORKERS, "x")
    assert not use_fork(10_000, None)


def test_no_fork_while_other_threads_run() -> None:
    """The terminal UI matches in a worker thread, and a thread that is not a daemon may
    hold a lock the child would copy: the run stays serial. A daemon thread (the
    command line's claim heartbeat) does not prevent the fork."""
    forks = hasattr(os, "fork")
    seen: list[bool] = []
    stop = threading.Event()
    worker = threading.Thread(target=lambda: seen.append(use_fork(10_000, 2)))
    worker.start()
    worker.join()
    assert seen == [False]  # not on the main thread
    for daemon in (False, True):
        other = threading.Thread(target=stop.wait, daemon=daemon)
        other.start()
        try:
            assert use_fork(10_000, 2) is (daemon and forks)
        finally:
            stop.set()
            other.join()
            stop.clear()


@needs_fork
def test_failing_child_falls_back_to_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that dies before answering: the parent runs the serial path and returns
    the same proposals."""
    world = generate(seed=1, customers=200, vendors=40, entries=2_000, lines=60)
    index = MatchIndex.build(world.entries, world.parties)
    serial = _run(world.lines, index, 1)
    monkeypatch.setattr(parallel, "_child", lambda *args: os._exit(3))
    calls = _watch_fork(monkeypatch)
    assert _run(world.lines, index, 2) == serial
    assert calls == [False]  # the fork failed, the serial path answered


@needs_fork
def test_child_error_after_the_walk_falls_back_to_serial(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The child fails while building its proposals (after the parent walked and took
    the entries): the serial run starts again from a fresh ledger, same proposals."""
    world = generate_wild(seed=1, customers=150, vendors=30, entries=1_500, lines=80)
    index = MatchIndex.build(world.entries, world.parties)
    serial = _run(world.lines, index, 1, mappings=world.mappings)

    def broken(p: Proposal) -> tuple[object, ...]:
        raise RuntimeError("cannot pack")

    monkeypatch.setattr(parallel, "_pack", broken)
    calls = _watch_fork(monkeypatch)
    assert _run(world.lines, index, 2, mappings=world.mappings) == serial
    assert calls == [False]
