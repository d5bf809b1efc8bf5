"""The clinic's own word list (``rules/vocabulary.txt``): names, brands and house terms the
spelling check must accept. Kept sorted and free of duplicates so that it diffs well."""

from __future__ import annotations

from pathlib import Path

from clinicpress.atomic import write_text_atomic

HEADER = (
    "# Words of this clinic that the spelling check must accept: names, brands, house terms.\n"
    "# One word or phrase a line, written in the case it must appear in (NSAIDs, not nsaids).\n"
    "# Add with: clinicpress vocabulary add WORD\n"
)


def add_words(path: Path, words: list[str]) -> tuple[list[str], list[str]]:
    """Add ``words``; returns (added, already there). Comments at the top are kept."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else HEADER.splitlines()
    header = []
    for line in lines:
        if line.startswith("#") or not line.strip():
            header.append(line)
        else:
            break
    entries = {line.strip() for line in lines[len(header):] if line.strip() and not line.startswith("#")}
    added, present = [], []
    for word in (" ".join(w.split()) for w in words):
        if not word:
            continue
        (present if word in entries else added).append(word)
        entries.add(word)
    if added:
        body = sorted(entries, key=lambda entry: (entry.casefold(), entry))
        while header and not header[-1].strip():
            header.pop()
        write_text_atomic(path, "\n".join(header + body) + "\n")
    return added, present
