"""Bytes on disk to text: the first place a user's file can be wrong, so every failure here
becomes an ``Unreadable`` with one line that says what is wrong and what to do."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

# How much of a file to look at when deciding whether it is binary: NUL bytes never occur in text.
_BINARY_SNIFF_BYTES = 8192


@dataclass
class Unreadable(Exception):
    """A file that cannot be linted. ``rule`` is one of the built-in input rules."""

    rule: str
    message: str
    line: int | None = None
    column: int = 1
    offset: int = 0  # where in the decoded text, when the text could be decoded at all

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class SourceText:
    text: str  # newlines normalised to "\n"
    newline: str  # what the file used: "\n" or "\r\n"


def read_source(path: Path) -> SourceText:
    return decode_source(read_bytes(path))


def read_bytes(path: Path) -> bytes:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            # Reading a FIFO or a device would block or never end.
            raise Unreadable("input/unreadable", "is not a regular file (a pipe, socket or device)")
        return path.read_bytes()
    except IsADirectoryError:
        raise Unreadable("input/unreadable", "is a directory, not an article") from None
    except PermissionError:
        raise Unreadable(
            "input/unreadable", "cannot be read: permission denied (check the file's permissions)"
        ) from None
    except FileNotFoundError:
        raise Unreadable(
            "input/unreadable", "cannot be read: it does not exist (a broken link?); fix or remove it"
        ) from None
    except OSError as error:
        raise Unreadable("input/unreadable", f"cannot be read: {error.strerror or error}") from None


def decode_source(data: bytes) -> SourceText:
    if b"\x00" in data[:_BINARY_SNIFF_BYTES]:
        raise Unreadable(
            "input/binary",
            "is a binary file, not Markdown or text: remove it from the content paths",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise Unreadable(
            "input/encoding",
            f"is not valid UTF-8 (byte 0x{data[error.start]:02x} on line {line}): "
            "save the file as UTF-8",
            line,
        ) from None
    newline = "\r\n" if "\r\n" in text else "\n"
    if "\r" in text:
        # markdown-it normalises line endings before parsing; doing it first keeps offsets shared.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(text, newline)
