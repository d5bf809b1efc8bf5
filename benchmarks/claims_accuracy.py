"""Claim detection accuracy on the labelled corpus in tests/corpora/claims/.

    python benchmarks/claims_accuracy.py [--split dev|heldout|all] [--errors]

For each split it reports, overall and per kind:
  - recall of uncited claims: labelled claims with no citation that clinicpress reports as
    unsupported or prohibited;
  - non-claims flagged: labelled non-claims that clinicpress treats as claims;
  - cited claims recognised: labelled cited claims that clinicpress finds as claims and ties to
    their citation (status supported, dangling or prohibited with the citation recorded).
Rules were tuned on dev only; heldout is for measuring.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

from clinicpress.document import parse_document
from clinicpress.lint import Linter
from clinicpress.settings import Settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpora" / "claims"
# The corpus labels any statement about safety as "safety"; clinicpress splits the absolute ones
# (no citation can fix them) into their own rule, which reports the same kind.
KINDS = (
    "establishment efficacy comparative quantified mechanism serious_disease special_population "
    "cure absolute safety discourages_care superlative testimonial"
).split()


def evaluate(split: str, linter: Linter, show_errors: bool, writers: tuple[str, ...] = ()) -> dict:
    counts: Counter = Counter()
    per_kind: Counter = Counter()
    for labels_path in sorted((CORPUS / split).glob("*.labels.yaml")):
        if writers and labels_path.name.split("-", 1)[0] not in writers:
            continue
        article = labels_path.with_name(labels_path.name.replace(".labels.yaml", ".md"))
        counts["articles"] += 1
        source = article.read_text(encoding="utf-8")
        document = parse_document(source, str(article.relative_to(REPO)))
        result = linter.check(document)
        claims = result.claims
        line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
        review_offsets = [line_starts[r["line"] - 1] + r["column"] - 1 for r in result.review]
        counts["review_sentences"] += len(review_offsets)
        for label in yaml.safe_load(labels_path.read_text(encoding="utf-8"))["sentences"]:
            start = source.index(label["text"])
            end = start + len(label["text"])
            found = [c for c in claims if c.span.start < end and start < c.span.end]
            claim = found[0] if found else None
            in_review = any(start <= offset < end for offset in review_offsets)
            if not label["claim"]:
                counts["non_claims"] += 1
                counts["non_claims_in_review"] += in_review
                if claim:
                    counts["non_claims_flagged"] += 1
                    if show_errors:
                        print(f"FALSE {article.name}: {label['text'][:110]!r} <- {claim.triggers}")
                continue
            kinds = label["kinds"]
            if label["cited"]:
                counts["cited"] += 1
                ok = claim is not None and claim.citations and claim.status in ("supported", "dangling", "prohibited")
                counts["cited_ok"] += bool(ok)
                for kind in kinds:
                    per_kind[(kind, "cited")] += 1
                    per_kind[(kind, "cited_ok")] += bool(ok)
                if show_errors and not ok:
                    print(f"CITED-MISS {article.name}: {label['text'][:110]!r} -> {claim and (claim.status, claim.citations)}")
            else:
                counts["uncited"] += 1
                ok = claim is not None and claim.status in ("unsupported", "prohibited")
                counts["uncited_ok"] += bool(ok)
                counts["uncited_ok_or_review"] += bool(ok or in_review)
                for kind in kinds:
                    per_kind[(kind, "uncited")] += 1
                    per_kind[(kind, "uncited_ok")] += bool(ok)
                    per_kind[(kind, "kind_named")] += bool(claim and kind in claim.kinds)
                if show_errors and not ok:
                    print(f"MISS {article.name} {kinds}: {label['text'][:110]!r} -> {claim and claim.status}")
    return {"counts": counts, "per_kind": per_kind}


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f} ({part}/{whole})" if whole else "n/a"


def table(split: str, result: dict) -> str:
    c, k = result["counts"], result["per_kind"]
    lines = [
        f"### {split}",
        "",
        f"- uncited-claim recall: **{ratio(c['uncited_ok'], c['uncited'])}** (target ≥ 0.95)",
        f"- non-claims flagged: **{ratio(c['non_claims_flagged'], c['non_claims'])}** (target ≤ 0.05)",
        f"- cited claims recognised: **{ratio(c['cited_ok'], c['cited'])}** (target ≥ 0.9)",
        f"- with the ranked review list (not findings): uncited claims found or listed for review "
        f"{ratio(c['uncited_ok_or_review'], c['uncited'])}; non-claims listed for review "
        f"{ratio(c['non_claims_in_review'], c['non_claims'])}; {c['review_sentences'] / max(1, c['articles']):.1f} "
        f"sentences to review per article",
        "",
        "| kind | uncited recall | kind named | cited recognised |",
        "|---|---|---|---|",
    ]
    for kind in KINDS:
        lines.append(
            f"| {kind} | {ratio(k[(kind, 'uncited_ok')], k[(kind, 'uncited')])} | "
            f"{ratio(k[(kind, 'kind_named')], k[(kind, 'uncited')])} | {ratio(k[(kind, 'cited_ok')], k[(kind, 'cited')])} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default="all")
    parser.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    parser.add_argument(
        "--writer",
        action="append",
        default=[],
        help="only articles whose name starts with this prefix and a hyphen (repeatable): one writer's batch",
    )
    args = parser.parse_args()
    linter = Linter.create(Settings(base_dir=REPO, rules="rules"))
    for split in ("dev", "heldout") if args.split == "all" else (args.split,):
        print(table(split, evaluate(split, linter, args.errors, tuple(args.writer))))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
