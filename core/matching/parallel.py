"""Matching on two cores: a forked process computes half of the lines (issue #14).

Given the index, each line's candidates and, once the walk has assigned the entries,
each line's proposal depend on that line alone; only the walk (``assign.walk``) looks
at all lines. So, when it pays and is safe, the process forks once after the index is
built: the child computes the candidates of every other line while the parent computes
the rest; the parent walks all lines' candidates (the child sends what the walk reads:
kind, entries, score, evidence rank, discount), sends the child what the walk decided
for its lines (chosen candidate, ties, candidates taken by other lines, as positions in
the line's candidate list) and both build their lines' proposals. The parent merges in
line order, so the result is exactly the serial one.

Safe means: the platform can fork, the caller is the main thread and any other thread
is a daemon (the command line, whose claim heartbeat is one; the terminal UI matches in
a worker thread, and a fork there might copy a lock another thread holds, so it stays
serial). The child only reads
what the parent had in memory, never touches a database or a file, and leaves with
``os._exit`` (no finalizer of an inherited connection runs). Any failure of the child
(an exception, a crash, a short read) makes the parent run the serial path instead.
``LETTRAGE_MATCH_WORKERS=1`` turns the fork off, ``2`` forks whatever the load.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from core.kernel.money import round_to_minor
from core.matching.assign import Allocation, Ledger, WalkResult, walk
from core.matching.candidates import Cand
from core.matching.model import Alternative, Application, BankLine, Proposal
from core.matching.signals import LineCtx

# Below this many lines a fork (about 10 ms plus copying pages on write) does not pay.
MIN_FORK_LINES = 300
ENV_WORKERS = "LETTRAGE_MATCH_WORKERS"

# What the walk reads of a candidate: kind, account type and no., entries, score,
# evidence rank, discount.
Compact = tuple[str, str, str, tuple[int, ...], int, int, bool]
# What the walk decided for one line: (chosen candidate, parts, short) or None, the
# tied candidates, the candidates other lines took first (with those lines' numbers).
Decided = tuple[tuple[int, list[tuple[int, int, int]], bool] | None, list[int],
                list[tuple[int, list[int]]]]


@dataclass(frozen=True, slots=True)
class LineJob:
    """The per-line work of one ``match_lines`` run."""

    candidates: Callable[[int, BankLine], tuple[LineCtx, list[Cand]]]
    proposal: Callable[[LineCtx, list[Cand], WalkResult], Proposal]
    ledger: Callable[[], Ledger]  # a fresh ledger with the kept lines' entries reserved
    currency: str


def use_fork(count: int, workers: int | None) -> bool:
    """Fork for ``count`` lines? ``workers`` given by the caller (or set in
    ``LETTRAGE_MATCH_WORKERS``) wins over the size and the machine's load; left to
    decide, the fork needs ``MIN_FORK_LINES`` lines and an idle core. Always only with
    fork support and ``fork_safe``."""
    if workers is None:
        chosen = os.environ.get(ENV_WORKERS, "")
        try:
            workers = int(chosen) if chosen else None
        except ValueError:
            workers = 1
    if workers is None:  # nobody said: fork when it pays
        if count < MIN_FORK_LINES or not idle_core():
            return False
        workers = 2
    return workers > 1 and count > 1 and hasattr(os, "fork") and fork_safe()


def idle_core() -> bool:
    """Is a core free for the child? The one-minute load average (this process
    included) below the number of cores. On a busy machine the child would only
    share a core with the parent: the split costs about a quarter more CPU (pages
    copied on write, caches filled twice, results pickled), so it is slower there."""
    try:
        return os.getloadavg()[0] < (os.cpu_count() or 1) - 0.5
    except OSError:
        return False


def fork_safe() -> bool:
    """Called on the main thread, and every other thread is a daemon (the command
    line's claim heartbeat, which sleeps and renews a claim through its own database
    session). The forked child runs no thread, takes none of the locks such a thread
    may hold (it only computes, pickles and writes a pipe) and touches no database. The
    terminal UI matches in a worker thread: never forked."""
    main = threading.main_thread()
    if threading.current_thread() is not main:
        return False
    return all(t is main or t.daemon for t in threading.enumerate())


# The child takes 5 lines of every 9 (interleaved, so both get the same mix of lines):
# the parent also walks, and rebuilds the child's candidates and proposals.
_CHILD_SHARE = frozenset({1, 3, 5, 7, 8})


def split(count: int) -> tuple[list[int], list[int]]:
    """(the parent's, the child's) line positions; fixed, so the run is reproducible."""
    mine: list[int] = []
    theirs: list[int] = []
    for pos in range(count):
        (theirs if pos % 9 in _CHILD_SHARE else mine).append(pos)
    return mine, theirs


def run_serial(lines: Sequence[BankLine], job: LineJob) -> list[Proposal]:
    ctxs: list[LineCtx] = []
    per_line: list[list[Cand]] = []
    for pos, line in enumerate(lines):
        ctx, cands = job.candidates(pos, line)
        ctxs.append(ctx)
        per_line.append(cands)
    result = walk([c for cands in per_line for c in cands], ctxs, job.ledger())
    return [job.proposal(ctx, per_line[ctx.pos], result) for ctx in ctxs]


def walk_ctx(pos: int, line: BankLine, currency: str) -> LineCtx:
    """The little of a line's context the walk reads (amount, date, line no.): the
    parent's stand-in for a line the child computed."""
    amount = round_to_minor(line.amount, currency)
    return LineCtx(pos=pos, line=line, amount=amount, low=amount, high=amount,
                   search_text="", stated="", stated_is_name=False, stated_key="",
                   numbers=[], iban="")


def run_forked(lines: Sequence[BankLine], job: LineJob) -> list[Proposal] | None:
    """The two-process run; None when the child failed (the caller runs serially)."""
    to_parent_r, to_parent_w = os.pipe()
    to_child_r, to_child_w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (to_parent_r, to_parent_w, to_child_r, to_child_w):
            os.close(fd)
        return None
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(to_parent_r)
            os.close(to_child_w)
            _child(lines, job, os.fdopen(to_child_r, "rb"), os.fdopen(to_parent_w, "wb"))
            code = 0
        finally:
            os._exit(code)
    os.close(to_parent_w)
    os.close(to_child_r)
    done = False
    try:
        with os.fdopen(to_parent_r, "rb") as inp, os.fdopen(to_child_w, "wb") as out:
            result = _parent(lines, job, inp, out)
            done = True
            return result
    except Exception:  # any failure of the child: the caller runs serially
        return None
    finally:
        _reap(pid, kill=not done)


def _reap(pid: int, kill: bool) -> None:
    if kill:
        with suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    with suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _send(out: BinaryIO, data: Any) -> None:
    pickle.dump(data, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


def _receive(inp: BinaryIO) -> Any:
    status, data = pickle.load(inp)
    if status != "ok":
        raise ValueError(data)
    return data


def _parent(lines: Sequence[BankLine], job: LineJob, inp: BinaryIO,
            out: BinaryIO) -> list[Proposal]:
    n = len(lines)
    ctxs: list[LineCtx | None] = [None] * n
    per_line: list[list[Cand]] = [[] for _ in range(n)]
    mine, theirs = split(n)
    for pos in mine:
        ctxs[pos], per_line[pos] = job.candidates(pos, lines[pos])
    compact: list[list[Compact]] = _receive(inp)
    for pos, line_cands in zip(theirs, compact, strict=True):
        ctxs[pos] = walk_ctx(pos, lines[pos], job.currency)
        per_line[pos] = [Cand(pos, kind, account_type, account_no, ids, score,  # type: ignore[arg-type]
                              fine=fine, use_disc=use_disc)
                         for kind, account_type, account_no, ids, score, fine, use_disc
                         in line_cands]
    full = [c for c in ctxs if c is not None]
    result = walk([c for cands in per_line for c in cands], full, job.ledger())
    _send(out, ("ok", [_decided(result, pos, per_line[pos]) for pos in theirs]))
    proposals: list[Proposal | None] = [None] * n
    for pos in mine:
        proposals[pos] = job.proposal(full[pos], per_line[pos], result)
    for pos, packed in zip(theirs, _receive(inp), strict=True):
        proposals[pos] = _unpack(packed)
    return [p for p in proposals if p is not None]


def _decided(result: WalkResult, pos: int, cands: list[Cand]) -> Decided:
    at = {id(c): k for k, c in enumerate(cands)}
    alloc = result.chosen.get(pos)
    return ((at[id(alloc.cand)], alloc.parts, alloc.short) if alloc is not None else None,
            [at[id(c)] for c in result.ties.get(pos, ())],
            [(at[id(c)], users) for c, users in result.taken.get(pos, ())])


def _child(lines: Sequence[BankLine], job: LineJob, inp: BinaryIO, out: BinaryIO) -> None:
    theirs = split(len(lines))[1]
    done: list[tuple[LineCtx, list[Cand]]] = []
    try:
        done = [job.candidates(pos, lines[pos]) for pos in theirs]
        reply: tuple[str, Any] = ("ok", [
            [(c.kind, c.account_type, c.account_no, c.ids, c.score, c.fine, c.use_disc)
             for c in cands] for _, cands in done])
    except Exception as exc:  # reported to the parent, which then runs serially
        reply = ("error", repr(exc))
    _send(out, reply)
    if reply[0] != "ok":
        return
    decided: list[Decided] = _receive(inp)
    result = WalkResult()
    for (ctx, cands), (chosen, ties, taken) in zip(done, decided, strict=True):
        if chosen is not None:
            k, parts, short = chosen
            result.chosen[ctx.pos] = Allocation(cands[k], parts, short)
        if ties:
            result.ties[ctx.pos] = [cands[k] for k in ties]
        if taken:
            result.taken[ctx.pos] = [(cands[k], users) for k, users in taken]
    try:
        reply = ("ok", [_pack(job.proposal(ctx, cands, result)) for ctx, cands in done])
    except Exception as exc:
        reply = ("error", repr(exc))
    _send(out, reply)


# --- proposals as plain tuples ---------------------------------------------------------
# Pickling 5,000 frozen dataclasses (and their Decimals) goes through their reduce hooks,
# four times slower than plain tuples with amounts as text.

PackedApp = tuple[int, str, str, str, str]


def _pack_app(a: Application) -> PackedApp:
    return (a.entry_no, a.document_type, a.document_no, str(a.applied_amount),
            str(a.pmt_discount))


def _unpack_app(a: PackedApp) -> Application:
    return Application(a[0], a[1], a[2], Decimal(a[3]), Decimal(a[4]))


def _pack(p: Proposal) -> tuple[Any, ...]:
    return (p.line_no, p.confidence, p.score, p.review_required, p.account_type,
            p.account_no, p.related_party_name, tuple(_pack_app(a) for a in p.applications),
            str(p.difference), p.details,
            tuple((x.summary, x.score, tuple(_pack_app(a) for a in x.applications))
                  for x in p.alternatives), str(p.unapplied))


def _unpack(t: tuple[Any, ...]) -> Proposal:
    return Proposal(t[0], t[1], t[2], t[3], t[4], t[5], t[6],
                    tuple(_unpack_app(a) for a in t[7]), Decimal(t[8]), t[9],
                    tuple(Alternative(summary, score, tuple(_unpack_app(a) for a in apps))
                          for summary, score, apps in t[10]), Decimal(t[11]))
