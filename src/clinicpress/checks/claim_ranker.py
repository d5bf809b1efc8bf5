"""A small learned scorer that ranks the sentences the claim rules left, for an editor to check.

The rules decide what is a claim; this never does. It orders the remaining body sentences by how
much they read like the claims in the labelled development corpus (logistic regression over word
unigrams and bigrams, trained by ``tools/train_claim_ranker.py``), so that an editor who has time to
read a few more sentences reads the likeliest first. The weights ship inside the package and load
from disk: no network, no extra dependency.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from functools import cache
from pathlib import Path

WEIGHTS = Path(__file__).with_name("claim_ranker.json")
_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_DIGITS = re.compile(r"\d+")


def features(text: str) -> set[str]:
    # Numbers become one token: "9:00" and "£120" say "a time", "a price", whatever the digits.
    words = [_DIGITS.sub("0", w.replace("’", "'")) for w in _TOKEN.findall(text.lower())]
    grams = set(words)
    grams.update(f"{a} {b}" for a, b in zip(["<s>", *words], [*words, "</s>"]))
    return grams


@cache
def _model() -> tuple[float, float, dict[str, float]]:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return float(data["bias"]), float(data["threshold"]), data["weights"]


@cache
def weights_digest() -> str:
    """Identifies the shipped weights: they can be retrained without a version bump."""
    return hashlib.sha256(WEIGHTS.read_bytes()).hexdigest()


def threshold() -> float:
    return _model()[1]


def probability(bias: float, weights: dict[str, float], grams: set[str] | list[str]) -> float:
    """The logistic model itself, shared by scoring and by training."""
    z = bias + sum(weights.get(g, 0.0) for g in grams)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def score(text: str) -> float:
    """Probability-like score in (0, 1) that ``text`` is a health claim."""
    bias, _, weights = _model()
    return probability(bias, weights, features(text))
