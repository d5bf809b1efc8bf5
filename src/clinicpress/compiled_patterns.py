"""Large regular expressions, compiled once per machine rather than once per run.

The claim rules expand their word lists into patterns of tens of kilobytes; compiling them is
most of a one-article lint (97 ms for the efficacy rule alone). CPython builds a pattern object
from a list of opcodes, and that list depends only on the pattern, the flags and the regex
engine's version (``_sre.MAGIC``). So the opcodes are kept as JSON in the user cache directory,
keyed by all three and the Python version, and the pattern object is rebuilt from them in a few
milliseconds. The engine validates opcodes it is given; still, any error, mismatch or missing
internal simply falls back to an ordinary ``re.compile``. The cache is never needed for a
correct result.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

from clinicpress.atomic import write_text_atomic
from clinicpress.user_cache import user_cache_dir

# Small patterns compile faster than their cache file loads.
WORTH_CACHING = 2000


def compile_pattern(pattern: str, flags: int = 0, cache_dir: Path | None = None) -> re.Pattern[str]:
    if len(pattern) < WORTH_CACHING:
        return re.compile(pattern, flags)
    try:
        import _sre
        from re import _compiler, _parser
    except ImportError:  # another Python implementation
        return re.compile(pattern, flags)
    key = hashlib.sha256(f"{sys.version}\0{_sre.MAGIC}\0{flags}\0{pattern}".encode()).hexdigest()
    path = (cache_dir or user_cache_dir()) / "patterns" / f"{key}.json"
    try:
        final_flags, code, groups, groupindex, indexgroup = json.loads(path.read_text(encoding="utf-8"))
        return _sre.compile(pattern, final_flags, code, groups, groupindex, tuple(indexgroup))
    except Exception:  # noqa: BLE001 - no entry, or one from elsewhere: compile afresh
        pass
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        compiled = _sre.compile(
            pattern, flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)
        )
    except Exception:  # noqa: BLE001 - internals changed: the public API still works
        return re.compile(pattern, flags)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = [flags | parsed.state.flags, list(code), parsed.state.groups - 1, groupindex, indexgroup]
        write_text_atomic(path, json.dumps(entry, separators=(",", ":")))
    except OSError:
        pass
    return compiled
