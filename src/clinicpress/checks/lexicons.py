"""Word lists (``rules/lexicons/*.txt``) as regular expressions that stay fast when long.

A plain alternation of a few hundred terms makes Python's regex engine try every term at every
position of every article; the same terms folded into a prefix tree (``pain|pain relief|palsy``
becomes ``pa(?:in(?:[\\s-]+relief)?|lsy)``) cost one character comparison per step. Measured on
the benchmark corpus: 3.9 ms → 0.39 ms per article for the conditions and outcomes lists, with
identical matches. Longer terms are still preferred: each optional continuation is greedy.
"""

from __future__ import annotations

import re
from pathlib import Path

_SEPARATOR = " "  # between words of a term: any run of white space or hyphens matches


def load_lexicons(directory: Path) -> dict[str, str]:
    """``name.txt`` → a regex matching any of its terms (``some-name.txt`` is ``{some_name}``)."""
    lexicons: dict[str, str] = {}
    if directory.is_dir():
        for path in sorted(directory.glob("*.txt")):
            terms = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
            lexicons[path.stem.replace("-", "_")] = trie_pattern(t for t in terms if t)
    return lexicons


def trie_pattern(terms) -> str:
    trie: dict = {}
    for term in terms:
        node = trie
        for char in re.sub(r"[\s-]+", _SEPARATOR, term.strip().lower()):
            node = node.setdefault(char, {})
        node[""] = {}
    body = _branches(trie)
    return f"(?:{body})" if body else "(?!)"


def _branches(node: dict) -> str:
    ends_here = "" in node
    branches = []
    for char in sorted(key for key in node if key):
        step = r"[\s-]+" if char == _SEPARATOR else re.escape(char)
        branches.append(step + _branches(node[char]))
    if not branches:
        return ""
    joined = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return f"(?:{joined})?" if len(branches) == 1 else f"{joined}?"
    return joined
