"""Late payment prediction benchmark: quality on a generator with known behaviour
(several seeds, model vs baseline) and speed (training on 100,000 closed invoices,
scoring 100,000 open ones with explanations, peak memory). Prints JSON.

    PYTHONPATH=. python bench/bench_prediction.py [--quality-invoices 20000]
        [--seeds 1 2 3] [--speed-invoices 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import numpy as np

from bench.prediction_gen import generate
from core.prediction import dataset
from core.prediction.features import build_features
from core.prediction.model import score, train
from core.prediction.reasons import reasons_many

TARGET_AUC = 0.85


def quality(n: int, seed: int) -> dict[str, object]:
    g = generate(n, seed)
    learn = dataset.learning_set(g.history, g.today, reminders=g.reminders)
    _, q = train(learn.x, learn.late, learn.days_late, learn.has_days, learn.posting,
                 refit=False)
    return {"seed": seed, "invoices": q.invoices, "roc_auc": round(q.roc_auc, 4),
            "baseline_roc_auc": round(q.baseline_roc_auc, 4),
            "precision_late": round(q.precision_late, 3), "recall_late": round(q.recall_late, 3),
            "mae_days": round(q.mae_days, 2), "baseline_mae_days": round(q.baseline_mae_days, 2),
            "beats_baseline": q.roc_auc > q.baseline_roc_auc, "reaches_0_85": q.roc_auc >= 0.85}


def speed(n: int) -> dict[str, object]:
    # enough invoices that n of them are closed before today
    g = generate(int(n * 1.06), seed=11)
    t0 = time.perf_counter()
    learn = dataset.learning_set(g.history, g.today, reminders=g.reminders)
    keep = np.flatnonzero(learn.has_days)[:n]
    t1 = time.perf_counter()
    forests, q = train(learn.x[keep], learn.late[keep], learn.days_late[keep],
                       learn.has_days[keep], learn.posting[keep])
    t2 = time.perf_counter()
    # scoring: 100,000 invoices as open on their own posting day (features + both models
    # + per-feature contributions), then the words for all of them
    rows = np.arange(n, dtype=np.int64)
    x = build_features(g.history, rows, g.history.posting[rows], reminders=g.reminders)
    s = score(forests, x, explain=True)
    t3 = time.perf_counter()
    assert s.contributions is not None
    c3 = time.process_time()
    words = reasons_many(x, s.contributions, s.p_late >= 0.5)
    t4, c4 = time.perf_counter(), time.process_time()
    return {"closed_invoices": len(keep), "features_seconds": round(t1 - t0, 2),
            "train_seconds_incl_features": round(t2 - t0, 2),
            "train_under_60s": t2 - t0 < 60, "open_invoices_scored": n,
            "score_seconds": round(t3 - t2, 2), "score_under_5s": t3 - t2 < 5,
            "reasons_seconds": round(t4 - t3, 2), "reasons_cpu_seconds": round(c4 - c3, 2),
            "load_average": [round(v, 1) for v in os.getloadavg()],
            "reasons_example": words[0],
            "quality_roc_auc": round(q.roc_auc, 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quality-invoices", type=int, default=20_000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--speed-invoices", type=int, default=100_000)
    args = ap.parse_args(argv)
    runs = [quality(args.quality_invoices, seed) for seed in args.seeds]
    result: dict[str, object] = {"quality": runs,
                                 "all_beat_baseline": all(r["beats_baseline"] for r in runs),
                                 "all_reach_0_85": all(r["reaches_0_85"] for r in runs)}
    if args.speed_invoices:
        result["speed"] = speed(args.speed_invoices)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["peak_memory_mb"] = round(peak_mb)
    result["peak_memory_under_1gb"] = peak_mb < 1024
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
