"""Where clinicpress keeps what it derives once per machine (the spelling dictionary in a fast
form, compiled patterns): ``$CLINICPRESS_CACHE_DIR``, else ``$XDG_CACHE_HOME/clinicpress``, else
``~/.cache/clinicpress``. Everything there can be deleted at any time and is rebuilt."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_DIR_ENV = "CLINICPRESS_CACHE_DIR"


def user_cache_dir() -> Path:
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "clinicpress"
