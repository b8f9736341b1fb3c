"""The fitted model behind the overall score, serialisable to calibration.json.

overall = typical + content + sum_j w_j * (x_j - mean_j) + flag costs, then the ordinal map
and the caps (see scoring.py). `content` is a kernel ridge regression over the answer's
embedding (ContentModel: the grade it predicts from the graded answers whose vectors lie
closest), times its fitted weight: it carries most of the ranking. The named parts are the
interpretable features (docs/feedback.md), scaled by the training anchors and centred on
the training mean, so each says how this answer differs from a typical graded one. Weights
of the parts the rubric values are constrained >= 0, of the parts it penalises <= 0, and a
red flag costs points only when it fires. Everything here is refitted per evaluation split.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Named parts of the overall: (name, sign). +1: weight >= 0 (the rubric values it);
#: -1: weight <= 0 (the rubric penalises it). Length is deliberately not a part.
PARTS: tuple[tuple[str, int], ...] = (
    ("substance", 1),
    ("quantities", 1),
    ("metrics", 1),
    ("specific", 1),
    ("stakeholders", 1),
    ("incentives", 1),
    ("structure", 1),
    ("story", 1),
    ("good_cover", 1),
    ("explains", 1),
    ("question_fit", 1),
    ("talking_points", 1),
    ("model_answer", 1),
    ("generic_share", -1),
    ("stuffing_lex", -1),
    ("red_flags", -1),
    ("keyword_stuffing", -1),
)
PART_NAMES = tuple(name for name, _ in PARTS)
#: The most points keyword-stuffing can cost (a pasted list must not sink a strong answer).
MAX_STUFFING_COST = 0.5
DEFAULT_THRESHOLD = 0.8
#: Training precision a flag threshold must reach (a false accusation costs trust). Set above
#: the 0.80 target so that precision survives the move to other writers: 0.8 -> 0.9 raised
#: the lowest flag precision of leave-one-question-out from 0.50 to 0.60 and of dev2 -> dev
#: from 0.67 to 0.86 (keyword-stuffing on dev -> dev2: 0.55 -> 1.00), at equal Spearman.
MIN_TRAIN_PRECISION = 0.9
#: Above the highest training score: used when no threshold reaches MIN_TRAIN_PRECISION.
CONSERVATIVE_MARGIN = 0.05
#: Narrowest grade band on the linear scale: closer cut points would make the grade-scale map
#: so steep there that a hundredth of a point in a part moved the overall by a tenth.
MIN_CUT_GAP = 0.25
#: The content model: an RBF kernel ridge on the answer's content vector,
#: k(a, b) = exp(-KERNEL_GAMMA * |a - b|^2), penalty KERNEL_ALPHA. Both were chosen on the
#: training corpus alone, never on dev or dev2: each corpus round (3-6) in turn scored by a
#: model fitted on the other rounds, mean Spearman 0.659 at gamma 1.5 / alpha 0.1 against
#: 0.647 for the linear ridge it replaced (gamma 1 and 2 within 0.002, gamma 3 0.643).
KERNEL_GAMMA = 1.5
KERNEL_ALPHA = 0.1
#: Ridge penalty on the standardised columns (content prediction and named parts).
PART_ALPHA = 30.0


#: Whether a red flag fires weighs, beside its best sentence's score, how much the whole answer
#: reads like training answers that carried the flag: the flag's kernel reading (the same
#: kernel, fitted on flag votes, penalty FLAG_KERNEL_ALPHA) times FLAG_READING_WEIGHT is added
#: to the sentence score before the threshold. Chosen on corpus round 6 left out (flag
#: macro-F1 0.561 -> 0.587 at 0.25; 0.5 and 1.0 lower); also higher on both cross-set
#: evaluations (docs/feedback.md). The evidence shown is still the sentence.
FLAG_READING_WEIGHT = 0.25
FLAG_KERNEL_ALPHA = 0.3
GRADE = "grade"


@dataclass
class ContentModel:
    """Kernel ridge from answer vectors to the grade and to each red flag's vote:
    output_m(v) = offset_m + sum_j dual_jm k(v, support_j).

    `support` holds the content vectors of the training answers (float32): the model reads
    an answer by the grades (and flags) of the training answers it reads most like.
    Serialised as base64 float32 so calibration.json stays one file that loads in
    milliseconds."""

    gamma: float
    support: np.ndarray
    dual: np.ndarray  # (answers, outputs)
    offsets: np.ndarray  # (outputs,)
    outputs: tuple[str, ...]  # GRADE first, then flag ids
    #: float64 copy of `support`, made at the first prediction (not a constructor argument)
    _support64: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def fit(
        cls,
        x: np.ndarray,
        targets: dict[str, np.ndarray],
        gamma: float,
        alphas: dict[str, float],
    ) -> ContentModel:
        """One solve per penalty, every output with that penalty at once."""
        support = np.asarray(x, dtype=np.float32)
        k = _rbf(support, support, gamma)
        outputs = tuple(targets)
        offsets = np.array([float(np.mean(targets[o])) for o in outputs])
        dual = np.zeros((len(support), len(outputs)))
        for alpha in sorted(set(alphas[o] for o in outputs)):
            cols = [m for m, o in enumerate(outputs) if alphas[o] == alpha]
            rhs = np.column_stack([targets[outputs[m]] - offsets[m] for m in cols])
            dual[:, cols] = np.linalg.solve(k + alpha * np.eye(len(support)), rhs)
        return cls(gamma, support, dual, offsets, outputs)

    def predict_rows(self, vectors: np.ndarray) -> np.ndarray:
        """Predictions (rows x outputs). A vector of another width (an answer with no
        content sentence) is read as the zero vector, as `fitting` trains on it."""
        rows = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        if rows.shape[1] != self.support.shape[1]:
            rows = np.zeros((rows.shape[0], self.support.shape[1]), dtype=np.float32)
        if self._support64 is None:  # once, not at every answer (1,460 x 384)
            self._support64 = self.support.astype(float)
        predicted: np.ndarray = self.offsets + _rbf(rows, self._support64, self.gamma) @ self.dual
        return predicted

    def readings(self, vectors: np.ndarray) -> list[dict[str, float]]:
        """Each output, by name, for each row vector."""
        return [
            {o: float(v) for o, v in zip(self.outputs, row, strict=True)}
            for row in self.predict_rows(vectors)
        ]

    def predict(self, vector: np.ndarray) -> dict[str, float]:
        """Each output for one answer vector."""
        return self.readings(vector)[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "gamma": self.gamma,
            "outputs": list(self.outputs),
            "offsets": [round(float(v), 8) for v in self.offsets],
            "shape": list(self.support.shape),
            "support": _pack(self.support),
            "dual": _pack(self.dual),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ContentModel:
        rows, width = (int(v) for v in data["shape"])
        outputs = tuple(str(o) for o in data["outputs"])
        support = _unpack(data["support"])
        dual = _unpack(data["dual"]).astype(float)
        offsets = np.array([float(v) for v in data["offsets"]])
        if support.size != rows * width or dual.size != rows * len(outputs):
            raise ValueError("content model: data sizes do not match its shape")
        if len(offsets) != len(outputs) or GRADE not in outputs:
            raise ValueError("content model: outputs and offsets differ")
        return cls(
            float(data["gamma"]),
            support.reshape(rows, width),
            dual.reshape(rows, len(outputs)),
            offsets,
            outputs,
        )


def _rbf(a: np.ndarray, b: np.ndarray, gamma: float) -> np.ndarray:
    a64, b64 = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    sq = (a64**2).sum(axis=1)[:, None] + (b64**2).sum(axis=1)[None, :] - 2 * a64 @ b64.T
    kernel: np.ndarray = np.exp(-gamma * np.maximum(sq, 0.0))
    return kernel


def _pack(values: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype="<f4").tobytes()).decode("ascii")


def _unpack(text: str) -> np.ndarray:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise ValueError(f"content model: not base64 ({exc})") from None
    if len(raw) % 4:
        raise ValueError("content model: truncated data")
    return np.frombuffer(raw, dtype="<f4").astype(np.float32)


@dataclass
class Calibration:
    """Everything fitted: anchors, flag thresholds, part weights, content model, cuts."""

    anchors: dict[str, tuple[float, float]]
    thresholds: dict[str, float]
    weights: dict[str, float]
    means: dict[str, float]
    intercept: float
    #: The content model, its weight in the overall, and its mean training prediction
    #: (so "what the answer says" is 0 for a typical answer).
    content: ContentModel | None = None
    content_weight: float = 0.0
    content_mean: float = 0.0
    cuts: list[float] = field(default_factory=list)
    relevance: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "anchors": {k: [round(a, 6), round(b, 6)] for k, (a, b) in self.anchors.items()},
            "thresholds": {k: round(v, 6) for k, v in self.thresholds.items()},
            "weights": {k: round(v, 6) for k, v in self.weights.items()},
            "means": {k: round(v, 6) for k, v in self.means.items()},
            "intercept": round(self.intercept, 6),
            "cuts": [round(c, 6) for c in self.cuts],
            "relevance": {k: round(v, 6) for k, v in self.relevance.items()},
            "meta": self.meta,
            "content_weight": round(self.content_weight, 8),
            "content_mean": round(self.content_mean, 8),
            "content": self.content.to_json() if self.content is not None else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibration:
        return cls(
            anchors={k: (float(v[0]), float(v[1])) for k, v in data["anchors"].items()},
            thresholds={k: float(v) for k, v in data["thresholds"].items()},
            weights={k: float(v) for k, v in data["weights"].items()},
            means={k: float(v) for k, v in data["means"].items()},
            intercept=float(data["intercept"]),
            content=ContentModel.from_json(data["content"]) if data.get("content") else None,
            content_weight=float(data.get("content_weight", 0.0)),
            content_mean=float(data.get("content_mean", 0.0)),
            cuts=[float(c) for c in data.get("cuts", [])],
            relevance={k: float(v) for k, v in data.get("relevance", {}).items()},
            meta=dict(data.get("meta", {})),
        )

    def threshold(self, flag_id: str) -> float:
        return self.thresholds.get(flag_id, DEFAULT_THRESHOLD)

    def scale(self, name: str, value: float) -> float:
        """Map a raw feature to roughly 0..1 with the anchors, clipped to -0.5..1.5."""
        lo, hi = self.anchors.get(name, (0.0, 1.0))
        scaled = (value - lo) / (hi - lo) if hi > lo else 0.0
        return min(1.5, max(-0.5, scaled))

    def reading(self, vector: np.ndarray) -> dict[str, float]:
        """The content model's outputs for an answer vector (empty without a model)."""
        return self.content.predict(vector) if self.content is not None else {}

    def content_points(self, reading: dict[str, float]) -> float:
        """The content model's part, centred: 0 for a typical training answer."""
        if GRADE not in reading or not self.content_weight:
            return 0.0
        return self.content_weight * (reading[GRADE] - self.content_mean)

    def part_points(self, values: dict[str, float]) -> dict[str, float]:
        """Points of each named part: weight * (value - training mean); flags uncentred."""
        out: dict[str, float] = {}
        for name in PART_NAMES:
            w = self.weights.get(name, 0.0)
            if name in ("red_flags", "keyword_stuffing"):
                out[name] = w * values.get(name, 0.0)
            else:
                mean = self.means.get(name, 0.0)
                out[name] = w * (values.get(name, mean) - mean)
        return out


def ordinal_map(value: float, cuts: Sequence[float]) -> float:
    """Monotone piecewise-linear map sending cut k (k=1..4) to k + 0.5, slope 1 outside.

    Rounding the result gives the grade the cut points assign; ranks never change.
    """
    if len(cuts) != 4:
        return value
    knots = [k + 1.5 for k in range(4)]
    if value <= cuts[0]:
        return knots[0] + (value - cuts[0])
    if value >= cuts[-1]:
        return knots[-1] + (value - cuts[-1])
    return float(np.interp(value, cuts, knots))


def fit_cuts(pred: Sequence[float], grades: Sequence[int], passes: int = 3) -> list[float]:
    """Cut points on the linear output that maximise quadratic weighted kappa (coordinate
    search over midpoints of the training predictions, starting from plain rounding)."""
    from healthpm.domain.feedback.metrics import quadratic_kappa

    values = np.sort(np.asarray(pred, dtype=float))
    candidates = np.unique((values[1:] + values[:-1]) / 2) if len(values) > 1 else values
    cuts = [1.5, 2.5, 3.5, 4.5]

    def qwk(c: list[float]) -> float:
        rounded = [1 + int(np.searchsorted(c, p, side="right")) for p in pred]
        return quadratic_kappa(rounded, list(grades))

    best = qwk(cuts)
    for _ in range(passes):
        for k in range(4):
            lo = cuts[k - 1] if k else -np.inf
            hi = cuts[k + 1] if k < 3 else np.inf
            for c in candidates:
                if lo + MIN_CUT_GAP <= c <= hi - MIN_CUT_GAP:
                    trial = cuts[:k] + [float(c)] + cuts[k + 1 :]
                    score = qwk(trial)
                    if score > best + 1e-9:
                        best, cuts = score, trial
    return cuts


def fit_anchors(rows: Sequence[dict[str, float]]) -> dict[str, tuple[float, float]]:
    """10th and 90th percentile of each raw feature (unsupervised; grades are not used)."""
    names = rows[0].keys() if rows else []
    anchors: dict[str, tuple[float, float]] = {}
    for name in names:
        values = np.array([r[name] for r in rows], dtype=float)
        lo, hi = np.percentile(values, [10, 90])
        anchors[name] = (float(lo), float(hi if hi > lo else lo + 1.0))
    return anchors


def f1_score(truth: Sequence[bool], pred: Sequence[bool]) -> float:
    tp = sum(t and p for t, p in zip(truth, pred, strict=True))
    wrong = sum(t != p for t, p in zip(truth, pred, strict=True))
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def _precision(truth: Sequence[bool], pred: Sequence[bool]) -> float:
    tp = sum(t and p for t, p in zip(truth, pred, strict=True))
    return tp / max(sum(pred), 1)


def fit_threshold(
    scores: Sequence[float],
    truth: Sequence[bool],
    floor: float = 0.5,
    min_precision: float = MIN_TRAIN_PRECISION,
) -> float:
    """The threshold with the best F1 among those whose precision is >= min_precision.

    Ties go to the higher (more conservative) threshold. The threshold sits midway between
    the chosen score and the next lower one. When no threshold reaches the precision, the
    flag gets a conservative one above every score seen.
    """
    values = sorted(set(scores), reverse=True)
    if not values:
        return DEFAULT_THRESHOLD
    best, best_t = 0.0, None
    for t in values:
        pred = [s >= t for s in scores]
        f1 = f1_score(truth, pred)
        if f1 > best + 1e-9 and _precision(truth, pred) >= min_precision:
            best, best_t = f1, t
    if best_t is None:
        return max(floor, values[0] + CONSERVATIVE_MARGIN)
    lower = [s for s in values if s < best_t]
    return max(floor, (best_t + lower[0]) / 2 if lower else best_t)


def fit_signed_ridge(
    x: np.ndarray,
    y: np.ndarray,
    alphas: np.ndarray,
    signs: Sequence[int],
    bounds: dict[int, float] | None = None,
) -> tuple[np.ndarray, float]:
    """Ridge on centred columns with per-column penalties and sign constraints.

    signs[j] = +1: weight >= 0; -1: weight <= 0; 0: free. A column whose weight has the
    wrong sign is fixed at 0 and the rest refitted (active set), until every sign holds.
    `bounds` caps the magnitude of a column's weight (fixed at the bound when exceeded).
    """
    n = x.shape[1]
    fixed: dict[int, float] = {}
    bounds = bounds or {}
    mean = x.mean(axis=0)
    xc = x - mean
    w_all = np.zeros(n)
    for _ in range(n + 1):
        active = np.array([j for j in range(n) if j not in fixed], dtype=int)
        offset = sum(fixed[j] * xc[:, j] for j in fixed) if fixed else np.zeros(len(y))
        target = y - y.mean() - offset
        a = xc[:, active]
        w = np.linalg.solve(a.T @ a + np.diag(alphas[active]), a.T @ target)
        w_all = np.zeros(n)
        w_all[active] = w
        for j, v in fixed.items():
            w_all[j] = v
        wrong = [int(j) for j in active if signs[j] * w_all[j] < 0]
        over = [int(j) for j in active if j in bounds and abs(w_all[j]) > bounds[j]]
        if not wrong and not over:
            break
        for j in wrong:
            fixed[j] = 0.0
        for j in over:
            fixed[j] = float(np.sign(w_all[j]) * bounds[j])
    intercept = float(y.mean() - mean @ w_all)
    return w_all, intercept
