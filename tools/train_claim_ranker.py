"""Train the claim ranker (src/clinicpress/checks/claim_ranker.json) on the dev split only.

    python tools/train_claim_ranker.py [--folds 5]

Logistic regression with L2 regularisation over the ranker's own features, fitted by full-batch
gradient descent with AdaGrad steps in plain Python (2,000 sentences train in seconds). Before
the final fit it runs a cross-validation by article on dev and picks the review threshold from
those out-of-fold scores: the score above which REVIEW_BUDGET of dev's non-claims fall. The
held-out split is never read.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from clinicpress.checks.claim_ranker import WEIGHTS, features, probability  # noqa: E402

DEV = REPO / "tests" / "corpora" / "claims" / "dev"
L2 = 0.002
EPOCHS = 150
MIN_COUNT = 2  # features seen in fewer dev sentences are dropped: they cannot generalise
REVIEW_BUDGET = 0.10


def dev_sentences() -> list[tuple[str, str, bool]]:
    rows = []
    for labels_path in sorted(DEV.glob("*.labels.yaml")):
        for label in yaml.safe_load(labels_path.read_text(encoding="utf-8"))["sentences"]:
            rows.append((labels_path.name, label["text"], bool(label["claim"])))
    return rows


def fit(rows: list[tuple[set[str], bool]]) -> tuple[float, dict[str, float]]:
    counts: dict[str, int] = {}
    for feats, _ in rows:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    vocab = {f for f, n in counts.items() if n >= MIN_COUNT}
    data = [([f for f in feats if f in vocab], y) for feats, y in rows]
    weights = dict.fromkeys(vocab, 0.0)
    history = dict.fromkeys(vocab, 1e-8)
    bias, bias_history = 0.0, 1e-8
    n = len(data)
    for _ in range(EPOCHS):
        grad: dict[str, float] = {}
        bias_grad = 0.0
        for feats, y in data:
            error = probability(bias, weights, feats) - (1.0 if y else 0.0)
            bias_grad += error
            for f in feats:
                grad[f] = grad.get(f, 0.0) + error
        for f in vocab:
            g = grad.get(f, 0.0) / n + L2 * weights[f]
            history[f] += g * g
            weights[f] -= 0.5 * g / math.sqrt(history[f])
        bias_grad /= n
        bias_history += bias_grad * bias_grad
        bias -= 0.5 * bias_grad / math.sqrt(bias_history)
    return bias, {f: round(w, 4) for f, w in weights.items() if abs(w) >= 1e-3}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    rows = dev_sentences()
    articles = sorted({a for a, _, _ in rows})
    random.Random(7).shuffle(articles)
    fold_of = {a: i % args.folds for i, a in enumerate(articles)}
    out_of_fold: list[tuple[float, bool]] = []
    for fold in range(args.folds):
        train = [(features(t), y) for a, t, y in rows if fold_of[a] != fold]
        bias, weights = fit(train)
        out_of_fold += [(probability(bias, weights, features(t)), y) for a, t, y in rows if fold_of[a] == fold]
    non_claim_scores = sorted((s for s, y in out_of_fold if not y), reverse=True)
    cut = non_claim_scores[int(len(non_claim_scores) * REVIEW_BUDGET)]
    claims = [s for s, y in out_of_fold if y]
    print(f"cross-validated on dev: threshold {cut:.3f} puts {REVIEW_BUDGET:.0%} of non-claims and "
          f"{sum(s >= cut for s in claims) / len(claims):.1%} of claims above it")
    bias, weights = fit([(features(t), y) for _, t, y in rows])
    model = {
        "about": "clinicpress claim ranker: logistic regression over word unigrams and bigrams, trained on the dev split "
        "of tests/corpora/claims by tools/train_claim_ranker.py. It ranks sentences the rules left; it decides nothing.",
        "bias": round(bias, 4),
        "threshold": round(cut, 4),
        "weights": dict(sorted(weights.items())),
    }
    WEIGHTS.write_text(json.dumps(model, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS.relative_to(REPO)}: {len(weights)} weights")
    return 0


if __name__ == "__main__":
    sys.exit(main())
