#!/usr/bin/env python3
"""Check the labelled claim corpus and print counts per split.

Usage: /work/main/.venv/bin/python tests/corpora/claims/validate_labels.py

Checks, for every ``NAME.md`` under ``dev/`` and ``heldout/``:
  * a sidecar ``NAME.labels.yaml`` exists (and no sidecar lacks its article);
  * the sidecar has a top-level ``sentences`` list;
  * every ``text`` is a non-empty exact substring of the article source and
    appears only once in the sidecar;
  * ``claim`` is a boolean; claims carry a non-empty ``kinds`` list drawn from
    KINDS (no duplicates) and a boolean ``cited``; non-claims carry neither;
  * ``cited`` agrees with whether the sentence contains a citation marker.
Exits with status 1 if anything fails.  Needs only the stdlib and PyYAML.
"""
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent
SPLITS = ("dev", "heldout")
KINDS = (
    "establishment", "efficacy", "comparative", "quantified", "mechanism",
    "serious_disease", "special_population", "cure", "absolute", "safety",
    "discourages_care", "superlative", "testimonial",
)
# Citation markers accepted by the label rules (see README.md).
MARKER = re.compile(
    r"[¹²³⁴⁵⁶⁷⁸⁹⁰]"                                  # unicode superscripts
    r"|\[\d+(?:\s*[,–-]\s*\d+)*\]"                    # [1]  [1, 3]  [2–4]
    r"|\[\^[\w-]+\]"                                  # footnote [^1]
    r"|<sup>"                                         # <sup>1</sup>
    r"|\([A-Z][^()]*?(?:19|20)\d\d[a-z]?\)"           # (Smith et al., 2020)
    r"|\b10\.\d{4,}/|\bPMID:?\s*\d+"                  # inline DOI / PMID
    r"|\]\(https?://[^)]*(?:doi\.org|pubmed|ncbi\.nlm\.nih\.gov|cochrane"
    r"|nice\.org\.uk|nih\.gov|who\.int)",             # scholarly link
    re.I,
)


def check_article(md_path, errors):
    """Validate one article; return its list of sentence labels."""
    rel = md_path.relative_to(ROOT)
    lab_path = md_path.with_name(md_path.name[:-3] + ".labels.yaml")
    if not lab_path.exists():
        errors.append(f"{rel}: missing sidecar {lab_path.name}")
        return []
    source = md_path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(lab_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        errors.append(f"{rel}: YAML error: {exc}")
        return []
    sents = data.get("sentences") if isinstance(data, dict) else None
    if not isinstance(sents, list) or not sents:
        errors.append(f"{rel}: 'sentences' must be a non-empty list")
        return []
    seen = set()
    good = []
    for i, s in enumerate(sents):
        where = f"{rel} #{i + 1}"
        if not isinstance(s, dict):
            errors.append(f"{where}: entry is not a mapping")
            continue
        text = s.get("text")
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{where}: missing text")
            continue
        short = text if len(text) < 70 else text[:67] + "..."
        if text not in source:
            errors.append(f"{where}: text not found in article: {short!r}")
        if text in seen:
            errors.append(f"{where}: duplicate text: {short!r}")
        seen.add(text)
        claim = s.get("claim")
        if not isinstance(claim, bool):
            errors.append(f"{where}: 'claim' must be true/false")
            continue
        if claim:
            kinds = s.get("kinds")
            cited = s.get("cited")
            if not isinstance(kinds, list) or not kinds:
                errors.append(f"{where}: claim needs a non-empty kinds list")
                continue
            bad = [k for k in kinds if k not in KINDS]
            if bad:
                errors.append(f"{where}: unknown kinds {bad}")
            if len(set(kinds)) != len(kinds):
                errors.append(f"{where}: repeated kinds {kinds}")
            if not isinstance(cited, bool):
                errors.append(f"{where}: claim needs cited: true/false")
                continue
            if cited != bool(MARKER.search(text)):
                errors.append(f"{where}: cited={cited} disagrees with markers: {short!r}")
        else:
            extra = [k for k in ("kinds", "cited") if k in s]
            if extra:
                errors.append(f"{where}: non-claim must not have {extra}")
        good.append(s)
    return good


def main():
    errors = []
    totals = {}
    for split in SPLITS:
        d = ROOT / split
        mds = sorted(d.glob("*.md"))
        for lab in sorted(d.glob("*.labels.yaml")):
            if not lab.with_name(lab.name[: -len(".labels.yaml")] + ".md").exists():
                errors.append(f"{lab.relative_to(ROOT)}: sidecar without article")
        c = Counter(articles=len(mds))
        kinds_all, kinds_cited = Counter(), Counter()
        for md in mds:
            c["topic:" + md.stem.split("-")[0]] += 1
            for s in check_article(md, errors):
                c["sentences"] += 1
                if not s.get("claim"):
                    c["non_claims"] += 1
                    continue
                c["claims"] += 1
                cited = s.get("cited") is True
                c["cited" if cited else "uncited"] += 1
                for k in s.get("kinds") or []:
                    kinds_all[k] += 1
                    if cited:
                        kinds_cited[k] += 1
        totals[split] = (c, kinds_all, kinds_cited)

    def pct(n, d):
        return f"{n:4d} ({100 * n / d:4.1f}%)" if d else f"{n:4d}"

    cols = list(SPLITS) + ["total"]
    agg = Counter()
    agg_k, agg_kc = Counter(), Counter()
    for split in SPLITS:
        agg.update(totals[split][0])
        agg_k.update(totals[split][1])
        agg_kc.update(totals[split][2])
    totals["total"] = (agg, agg_k, agg_kc)

    w = 16
    print(f"{'':22s}" + "".join(f"{c:>{w}s}" for c in cols))
    print(f"{'articles':22s}" + "".join(f"{totals[c][0]['articles']:>{w}d}" for c in cols))
    topics = sorted(k for k in agg if k.startswith("topic:"))
    for t in topics:
        print(f"{'  ' + t[6:]:22s}" + "".join(f"{totals[c][0][t]:>{w}d}" for c in cols))
    print(f"{'sentences':22s}" + "".join(f"{totals[c][0]['sentences']:>{w}d}" for c in cols))
    for key in ("non_claims", "claims", "uncited", "cited"):
        label = key if key in ("non_claims", "claims") else "  claims " + key
        print(f"{label:22s}" + "".join(
            f"{pct(totals[c][0][key], totals[c][0]['sentences']):>{w}s}" for c in cols))
    print()
    print(f"{'kind (all/cited)':22s}" + "".join(f"{c:>{w}s}" for c in cols))
    for k in KINDS:
        print(f"{k:22s}" + "".join(
            f"{f'{totals[c][1][k]}/{totals[c][2][k]}':>{w}s}" for c in cols))

    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("\nOK: all labels valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
