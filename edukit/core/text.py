"""Turn a file's bytes into clean text, reporting what had to be repaired."""
from __future__ import annotations

import codecs

from .model import Problem

MAX_MODULE_BYTES = 4 * 1024 * 1024  # larger files are refused, not rendered


def decode_source(data: bytes, path: str) -> tuple[str, list[Problem]]:
    """Decode module bytes to text with '\\n' line ends; never raises.

    Handles UTF-8 (with or without BOM) and UTF-16 with BOM; invalid bytes and NULs are
    replaced and reported with their line.
    """
    problems: list[Problem] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            problems.append(Problem(path, line, "error", "not valid UTF-8 text (save the file as UTF-8)"))
            text = data.decode("utf-8", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(path, line, "warning", "NUL characters removed"))
        text = text.replace("\x00", "")
    return text, problems
