"""Benchmark of the payment matching engine: quality on generated lines with known
answers, then speed and peak memory in fresh subprocesses.  Prints ONE JSON object.

    .venv/bin/python bench/bench_matching.py [--quick] [--large] [--no-speed]
        [--only classic|wild]

Two generators: ``classic`` (bench/matchgen.py, 2,000 lines against 100,000 entries of
11,000 parties, the previous settings) and ``wild`` (bench/matchgen_wild.py, 2,000 lines
against 20,000 entries of 2,300 parties, with ERP-style invoice numbers, the reference
forms payers type, structured creditor references, partial/short/over-payments, lumps
naming some invoices and conflicting references). Precision counts lines applied
without review (High, no review flag); recall counts the answerable lines (G/L lines
and lines whose right answer must be reviewed left out) applied right without review;
``top1`` counts the answerable lines (incl. the review ones) whose first proposal is right.

``--large`` measures quality on 10,000 lines per seed instead of 2,000. Each quality
entry has ``misses``: the answerable lines not applied right with High, counted by
scenario and by the rule that scored them (plus the first review reason).
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.matchgen import Expected, World, generate
from bench.matchgen_wild import generate_wild
from core.matching import MatchIndex, MatchSettings, Proposal, match_lines

SETTINGS = MatchSettings()  # BC defaults: tolerance 0, string nearness
HIGH = ("high", "high_text_mapping")


def _apps(p: Proposal) -> tuple[tuple[int, Decimal, Decimal], ...]:
    return tuple(sorted((a.entry_no, a.cash, a.pmt_discount) for a in p.applications))


def is_right(p: Proposal, exp: Expected) -> bool:
    if exp.account is not None:
        return (p.account_type, p.account_no) == exp.account
    if not exp.apps:
        return False
    return _apps(p) == tuple(sorted(exp.apps))


def run_world(world: World) -> tuple[list[Proposal], float, float]:
    t0 = time.perf_counter()
    index = MatchIndex.build(world.entries, world.parties)
    t1 = time.perf_counter()
    props = match_lines(world.lines, index, settings=SETTINGS, mappings=world.mappings)
    return props, t1 - t0, time.perf_counter() - t1


_RULE = re.compile(r"rule (\w+ P\d+) \(related party ([\w ]+), document no\. ([\w -]+), "
                   r"amount ([\w ]+)\)")


def miss_reason(p: Proposal, ok: bool) -> str:
    """Why an answerable line was not applied right with High: the rule that scored the
    proposal (party / document / amount attributes) and the first review reason."""
    if p.confidence == "none":
        return "no candidate"
    rule = next((d for d in p.details if d.startswith("Matched by")), "")
    m = _RULE.search(rule)
    what = (f"{m.group(1)} ({m.group(2)}/{m.group(3)}/{m.group(4)})" if m
            else p.confidence)
    review = next((d for d in p.details if d.startswith("Sent to review")), "")
    if review:
        what += " review: " + re.sub(r"\d+", "N", review[16:60])
    elif p.confidence in HIGH:
        what += " high"
    return ("right answer " if ok else "WRONG answer ") + what


def quality(seed: int, lines: int, kind: str = "classic") -> dict[str, object]:
    world = generate(seed=seed, lines=lines) if kind == "classic" else \
        generate_wild(seed=seed, lines=lines)
    props, _, _ = run_world(world)
    high = right_high = answerable = recalled = top1 = reviewable = 0
    per: dict[str, Counter[str]] = {}
    misses: Counter[str] = Counter()
    wrong_high: list[dict[str, object]] = []
    for p, exp, line in zip(props, world.expected, world.lines, strict=True):
        ok = is_right(p, exp)
        has_answer = bool(exp.apps) or exp.account is not None
        c = per.setdefault(exp.scenario, Counter())
        c["lines"] += 1
        c[p.confidence] += 1
        applied = p.confidence in HIGH and not p.review_required
        if applied:
            high += 1
            right_high += ok and not exp.review
            c["high_wrong"] += not ok or exp.review
            if not ok or exp.review:
                wrong_high.append({"scenario": exp.scenario, "text": line.text,
                                   "amount": str(line.amount), "details": list(p.details)})
        if has_answer:
            top1 += ok
            c["top1"] += ok
            if exp.review:
                reviewable += 1
                c["reviewed_right"] += ok and p.review_required
                continue
            if exp.account is None:  # G/L (text mapping) lines are left out of recall
                answerable += 1
                recalled += ok and applied
            if not (ok and applied):
                misses[f"{exp.scenario}: {miss_reason(p, ok)}"] += 1
    with_answer = answerable + reviewable + sum(1 for e in world.expected
                                                if e.account is not None)
    return {
        "generator": kind, "lines": lines, "seed": seed, "open_entries": len(world.entries),
        "applied_without_review": high,
        "precision_high": round(right_high / max(high, 1), 4),
        "recall_high": round(recalled / max(answerable, 1), 4),
        "top1": round(top1 / max(with_answer, 1), 4),
        "answerable": answerable, "must_review": reviewable,
        "by_scenario": {k: dict(v) for k, v in sorted(per.items())},
        "misses": dict(misses.most_common()),
        "wrong_high": wrong_high[:20],
    }


def speed_child(lines: int) -> None:
    """Run in a subprocess: generate, then time index build and matching."""
    world = generate(seed=7, lines=lines)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _, build_s, match_s = run_world(world)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"lines": lines, "entries": len(world.entries),
                      "parties": len(world.parties), "index_build_s": round(build_s, 2),
                      "match_s": round(match_s, 2), "total_s": round(build_s + match_s, 2),
                      "rss_after_generation_mb": round(base / 1024, 1),
                      "peak_rss_mb": round(peak / 1024, 1)}))


def speed(lines: int) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--child", str(lines)], check=True,
                         capture_output=True, text=True)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        speed_child(int(sys.argv[2]))
        return
    quick = "--quick" in sys.argv
    size = 10_000 if "--large" in sys.argv else 2_000
    report: dict[str, object] = {
        "settings": {"tolerance": "amount 0 (BC default)", "name_matching": "string_nearness"},
    }
    if not quick and "--no-speed" not in sys.argv:
        # Before the quality runs: on Linux a child's peak RSS starts at its parent's.
        report["speed"] = [speed(n) for n in (1_000, 10_000)]
    kinds = [k for k in ("classic", "wild") if "--only" not in sys.argv
             or sys.argv[sys.argv.index("--only") + 1] == k]
    report["quality"] = [quality(seed, size, kind) for kind in kinds
                         for seed in ((1,) if quick else (1, 2, 3))]
    report["summary"] = [{k: q[k] for k in ("generator", "seed", "precision_high",
                                            "recall_high", "top1")}
                         for q in report["quality"]]  # type: ignore[union-attr]
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
