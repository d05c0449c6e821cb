"""Fitted gradient-boosted trees as plain arrays: export, evaluate, explain, store.

scikit-learn's fitted ``HistGradientBoosting*`` models are exported to a ``Forest``:
flat numpy arrays of every tree's nodes (split feature, threshold, where missing
values go, children, value) and the baseline. The forest is stored as ``.npz`` bytes
read back with ``allow_pickle=False`` behind a magic line and a SHA-256 checksum, and
checked (dtypes, shapes, indices in range) before use: loading a stored model never
executes anything, and a corrupted or foreign one gives a clear message.

Evaluation walks every tree level by level for all rows at once (numpy), and gives
the per-feature **path contributions** (Saabas): walking from the root to the leaf,
each split moves the tree's output from the parent's value to the child's; that move
is credited to the split's feature. Internal nodes carry their (shrunk) Newton value,
so the contributions of a row add up exactly to its raw score minus the baseline.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.i18n import N_
from core.kernel.errors import LettrageError, Text

MAGIC = b"LETTRAGE-LPP-FOREST 1\n"
_ARRAYS = {"feature": np.int32, "threshold": np.float64, "missing_left": np.bool_,
           "left": np.int32, "right": np.int32, "value": np.float64, "roots": np.int32,
           "baseline": np.float64, "depth": np.int32}


class ModelFileError(LettrageError):
    """A stored prediction model is corrupted, foreign, or from another version."""


@dataclass(frozen=True)
class Forest:
    """All trees' nodes in flat arrays; leaves point to themselves with value change 0."""

    feature: NDArray[np.int32]
    threshold: NDArray[np.float64]
    missing_left: NDArray[np.bool_]
    left: NDArray[np.int32]
    right: NDArray[np.int32]
    value: NDArray[np.float64]
    roots: NDArray[np.int32]
    baseline: NDArray[np.float64]  # one number, as an array
    depth: NDArray[np.int32]  # one number: the deepest leaf

    def raw(self, x: NDArray[np.float64], explain: bool = False,
            chunk: int = 4_000) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
        """Raw scores (log-odds or days) and, with ``explain``, the contributions
        (rows x features) that add up to raw - baseline."""
        n, n_features = x.shape
        raw = np.empty(n)
        contrib = np.zeros((n, n_features)) if explain else None
        for lo in range(0, n, chunk):
            part = x[lo:lo + chunk]
            r, c = self._walk(part, explain)
            raw[lo:lo + chunk] = r
            if contrib is not None and c is not None:
                contrib[lo:lo + chunk] = c
        return raw, contrib

    def _walk(self, x: NDArray[np.float64], explain: bool
              ) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
        n, n_features = x.shape
        n_trees = len(self.roots)
        flat = np.ascontiguousarray(x).ravel()
        node = np.tile(self.roots, n)  # row-major: row i's trees at i*n_trees ...
        base = np.repeat(np.arange(n, dtype=np.int64) * n_features, n_trees)
        contrib = np.zeros(n * n_features) if explain else None
        for _ in range(int(self.depth[0])):
            cell = base + self.feature[node]
            v = flat[cell]
            go_left = v <= self.threshold[node]
            go_left |= np.isnan(v) & self.missing_left[node]
            child = np.where(go_left, self.left[node], self.right[node])
            if contrib is not None:
                contrib += np.bincount(cell, weights=self.value[child] - self.value[node],
                                       minlength=n * n_features)
            node = child
        raw = self.value[node].reshape(n, n_trees).sum(axis=1) + self.baseline[0]
        return raw, None if contrib is None else contrib.reshape(n, n_features)

    def arrays(self) -> dict[str, NDArray[Any]]:
        return {name: getattr(self, name) for name in _ARRAYS}


def export_forest(model: Any) -> Forest:
    """A fitted binary ``HistGradientBoostingClassifier`` or a
    ``HistGradientBoostingRegressor`` as a ``Forest`` (numerical features only)."""
    shrink = float(model.learning_rate)
    parts: dict[str, list[NDArray[Any]]] = {k: [] for k in
                                            ("feature", "threshold", "missing_left", "left",
                                             "right", "value")}
    roots, offset, depth = [], 0, 1
    for trees in model._predictors:  # one list per iteration; one tree for binary/regression
        if len(trees) != 1:
            raise ValueError("only binary classification or regression can be exported")
        nodes = trees[0].nodes
        leaf = nodes["is_leaf"].astype(bool)
        index = np.arange(len(nodes), dtype=np.int32) + offset
        parts["feature"].append(np.where(leaf, 0, nodes["feature_idx"]).astype(np.int32))
        parts["threshold"].append(nodes["num_threshold"].astype(np.float64))
        parts["missing_left"].append(nodes["missing_go_to_left"].astype(bool))
        parts["left"].append(np.where(leaf, index, nodes["left"] + offset).astype(np.int32))
        parts["right"].append(np.where(leaf, index, nodes["right"] + offset).astype(np.int32))
        # leaves are already shrunk by the learning rate; inner nodes are not
        parts["value"].append(np.where(leaf, nodes["value"], nodes["value"] * shrink))
        roots.append(offset)
        depth = max(depth, int(nodes["depth"].max()))
        offset += len(nodes)
    baseline = np.asarray(model._baseline_prediction, np.float64).reshape(-1)[:1]
    return Forest(**{k: np.concatenate(v) for k, v in parts.items()},  # type: ignore[arg-type]
                  roots=np.asarray(roots, np.int32), baseline=baseline,
                  depth=np.asarray([depth], np.int32))


def sigmoid(raw: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(1.0 / (1.0 + np.exp(-raw)))


# --- storage -----------------------------------------------------------------------------


def dump_forests(forests: dict[str, Forest]) -> bytes:
    """Forests by name as checksummed ``.npz`` bytes (no pickle anywhere)."""
    buffer = io.BytesIO()
    arrays = {f"{name}.{k}": v for name, forest in forests.items()
              for k, v in forest.arrays().items()}
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    payload = buffer.getvalue()
    return MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def load_forests(blob: bytes, names: tuple[str, ...], n_features: int) -> dict[str, Forest]:
    """Read what ``dump_forests`` wrote, refusing anything else with a clear message."""
    if not blob.startswith(MAGIC):
        raise ModelFileError(N_("The stored prediction model is not a Lettrage model (foreign or "
                             "from another version); run 'lettrage predict train' again"))
    rest = blob[len(MAGIC):]
    digest, _, payload = rest.partition(b"\n")
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        raise ModelFileError(N_("The stored prediction model is corrupted (checksum mismatch); "
                             "run 'lettrage predict train' again"))
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ModelFileError(N_("The stored prediction model cannot be read ({exc}); run "
                                "'lettrage predict train' again"), exc=exc) from None
    return {name: _checked(name, arrays, n_features) for name in names}


def _checked(name: str, arrays: dict[str, NDArray[Any]], n_features: int) -> Forest:
    def bad(what: Text) -> ModelFileError:
        return ModelFileError(
            N_(
                "The stored prediction model is not usable ({name}: "
                "{what}); run 'lettrage predict train' again"
            ),
            name=name,
            what=what,
        )

    got: dict[str, NDArray[Any]] = {}
    for key, dtype in _ARRAYS.items():
        value = arrays.get(f"{name}.{key}")
        if value is None or value.dtype != np.dtype(dtype) or value.ndim != 1:
            raise bad(Text(N_("array {key} missing or of the wrong type"), key=key))
        got[key] = value
    n = len(got["feature"])
    if any(len(got[k]) != n for k in ("threshold", "missing_left", "left", "right", "value")):
        raise bad(Text(N_("node arrays of different lengths")))
    ints = np.concatenate([got["left"], got["right"], got["roots"]])
    if n == 0 or len(got["roots"]) == 0 or ints.min() < 0 or ints.max() >= n:
        raise bad(Text(N_("node index out of range")))
    if got["feature"].min() < 0 or got["feature"].max() >= n_features:
        raise bad(Text(N_("it uses features this version does not compute ({count} known)"),
                       count=n_features))
    if len(got["baseline"]) != 1 or len(got["depth"]) != 1 or not 0 < got["depth"][0] < 64:
        raise bad(Text(N_("bad baseline or depth")))
    return Forest(**got)
