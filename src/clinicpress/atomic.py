"""Writing files so that a crash or a full disk never leaves half a file behind: write to a
temporary file in the same directory, flush it to disk, then rename it over the target."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable


def write_text_atomic(path: Path, text: str, newline: str = "\n") -> None:
    write_bytes_atomic(path, text.replace("\n", newline).encode("utf-8") if newline != "\n" else text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    write_chunks_atomic(path, (data,))


def write_chunks_atomic(path: Path, chunks: Iterable[bytes]) -> None:
    """Like write_bytes_atomic, for output made piece by piece (a report on 100,000 articles)."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
