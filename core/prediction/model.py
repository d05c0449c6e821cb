"""Training and judging the late payment model (pure: arrays in, forests and a report out).

Two scikit-learn gradient-boosted tree models over the same features: a classifier
(late / on time) and a regressor of days late (payment day - due day, median loss) for
the expected payment date. The quality is measured on the **newest** fifth of the
history (time-ordered split: train on the older invoices, test on the newer ones) and
set against a baseline that predicts from the customer's own past late ratio and
average days late. Then both models are refitted on all the history for use. The
model is used only when its ROC AUC on the newest part reaches the threshold (BC's
Model Quality Threshold, 0.7).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.i18n import N_
from core.kernel.errors import LettrageError
from core.prediction.features import COLUMN
from core.prediction.trees import Forest, export_forest, sigmoid

QUALITY_THRESHOLD = 0.7
MIN_INVOICES = 200
MIN_PER_CLASS = 20
TEST_SHARE = 0.2
HIGH, MEDIUM = 0.90, 0.80
# Small, regularised trees: a company's history is often a few hundred invoices, and
# shallow trees also keep scoring 100,000 invoices (with explanations) fast.
PARAMS: dict[str, Any] = {"max_iter": 50, "learning_rate": 0.1, "max_depth": 3,
                          "max_leaf_nodes": 8, "min_samples_leaf": 40,
                          "l2_regularization": 1.0, "early_stopping": False,
                          "random_state": 0}


class NotEnoughHistory(LettrageError):
    """Too few closed invoices (or too few of one kind) to learn from."""


@dataclass(frozen=True)
class Quality:
    """What the newest part of the history says about the model and the baseline."""

    invoices: int
    late: int
    train_invoices: int
    test_invoices: int
    test_from: str  # the first posting date of the test part
    roc_auc: float
    precision_late: float
    recall_late: float
    accuracy: float
    mae_days: float
    baseline_roc_auc: float
    baseline_precision_late: float
    baseline_recall_late: float
    baseline_mae_days: float
    threshold: float

    @property
    def usable(self) -> bool:
        return self.roc_auc >= self.threshold

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "usable": self.usable}


@dataclass(frozen=True)
class Forests:
    classifier: Forest
    regressor: Forest


def confidence_band(confidence: float) -> str:
    """BC's Prediction Confidence: High >= 90 %, Medium >= 80 %, else Low."""
    if confidence >= HIGH:
        return "High"
    return "Medium" if confidence >= MEDIUM else "Low"


def check_enough(late: NDArray[np.bool_]) -> None:
    n, n_late = len(late), int(late.sum())
    if n < MIN_INVOICES or n_late < MIN_PER_CLASS or n - n_late < MIN_PER_CLASS:
        raise NotEnoughHistory(
            N_(
                "Too little payment history to learn from: {n} closed customer invoices "
                "({n_late} paid late, {value} on time); training needs at least "
                "{MIN_INVOICES}, with at least {MIN_PER_CLASS} late and {MIN_PER_CLASS} on "
                "time (load older invoices with 'lettrage load payment-history FILE.csv')"
            ),
            n=n,
            n_late=n_late,
            value=n - n_late,
            MIN_INVOICES=MIN_INVOICES,
            MIN_PER_CLASS=MIN_PER_CLASS,
        )


def baseline(x: NDArray[np.float64], late_rate: float, median_days: float
             ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The customer's own past late ratio and average days late (the company's rate for
    a customer without history)."""
    ratio = x[:, COLUMN["paid_late_ratio"]]
    avg = x[:, COLUMN["avg_days_late"]]
    return (np.where(np.isnan(ratio), late_rate, ratio),
            np.where(np.isnan(avg), median_days, avg))


def _fit(x: NDArray[np.float64], late: NDArray[np.bool_], days_late: NDArray[np.float64],
         has_days: NDArray[np.bool_]) -> Forests:
    # scikit-learn takes seconds to import: only training needs it (function-level
    # imports here and in ``train``), scoring and the screens use the exported arrays.
    from threadpoolctl import threadpool_limits  # with scikit-learn, for training only

    # One OpenMP thread: on a shared server the default (all cores, spinning) was 10x
    # slower than one thread whenever other processes were busy.
    with threadpool_limits(limits=1):
        return _fit_models(x, late, days_late, has_days)


def _fit_models(x: NDArray[np.float64], late: NDArray[np.bool_],
                days_late: NDArray[np.float64], has_days: NDArray[np.bool_]) -> Forests:
    from sklearn.ensemble import (  # seconds to import: only training needs it
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
    )

    clf = HistGradientBoostingClassifier(**PARAMS).fit(x, late)
    reg = HistGradientBoostingRegressor(loss="absolute_error", **PARAMS).fit(
        x[has_days], days_late[has_days])
    return Forests(export_forest(clf), export_forest(reg))


def train(x: NDArray[np.float64], late: NDArray[np.bool_], days_late: NDArray[np.float64],
          has_days: NDArray[np.bool_], posting_day: NDArray[np.int64],
          threshold: float = QUALITY_THRESHOLD, refit: bool = True
          ) -> tuple[Forests, Quality]:
    """Fit on the older 80 %, measure on the newest 20 %, then refit on everything.

    ``late`` labels every row; ``days_late`` is known where ``has_days`` (closed
    invoices; an open overdue invoice is known to be late but not by how much)."""
    from sklearn.metrics import (  # slow import, see _fit
        mean_absolute_error,
        precision_score,
        recall_score,
        roc_auc_score,
    )

    check_enough(late)
    order = np.argsort(posting_day, kind="stable")
    cut = int(len(order) * (1 - TEST_SHARE))
    tr, te = order[:cut], order[cut:]
    if late[te].all() or not late[te].any() or late[tr].all() or not late[tr].any():
        raise NotEnoughHistory(N_("Too little payment history to measure the model: the newest "
                               "fifth of the invoices must hold both late and on-time ones"))
    forests = _fit(x[tr], late[tr], days_late[tr], has_days[tr])
    p = sigmoid(forests.classifier.raw(x[te])[0])
    days_pred = forests.regressor.raw(x[te])[0]
    late_rate = float(late[tr].mean())
    median_days = float(np.median(days_late[tr][has_days[tr]])) if has_days[tr].any() else 0.0
    b_ratio, b_days = baseline(x[te], late_rate, median_days)
    known = has_days[te]
    y = late[te]

    def mae(pred: NDArray[np.float64]) -> float:
        return float(mean_absolute_error(days_late[te][known], pred[known])) if known.any() \
            else float("nan")

    quality = Quality(
        invoices=len(late), late=int(late.sum()), train_invoices=len(tr),
        test_invoices=len(te),
        test_from=str(np.datetime64(int(posting_day[te].min()), "D")),
        roc_auc=float(roc_auc_score(y, p)),
        precision_late=float(precision_score(y, p >= 0.5, zero_division=0)),
        recall_late=float(recall_score(y, p >= 0.5, zero_division=0)),
        accuracy=float(((p >= 0.5) == y).mean()),
        mae_days=mae(days_pred),
        baseline_roc_auc=float(roc_auc_score(y, b_ratio)),
        baseline_precision_late=float(precision_score(y, b_ratio >= 0.5, zero_division=0)),
        baseline_recall_late=float(recall_score(y, b_ratio >= 0.5, zero_division=0)),
        baseline_mae_days=mae(b_days), threshold=threshold)
    if refit:
        forests = _fit(x, late, days_late, has_days)
    return forests, quality


@dataclass(frozen=True)
class Scores:
    """Per row: probability of late, predicted days late, and the classifier's
    per-feature contributions to the log-odds of late."""

    p_late: NDArray[np.float64]
    days_late: NDArray[np.float64]
    contributions: NDArray[np.float64] | None


def score(forests: Forests, x: NDArray[np.float64], explain: bool = True) -> Scores:
    raw, contrib = forests.classifier.raw(x, explain=explain)
    days_late = forests.regressor.raw(x)[0]
    return Scores(sigmoid(raw), days_late, contrib)


def expected_days_late(late: bool, days_late: float) -> int:
    """The regressor's days, kept on the side of the classifier's answer (a late
    prediction pays at least one day after the due date, an on-time one by it)."""
    d = round(days_late)
    return max(d, 1) if late else min(d, 0)
