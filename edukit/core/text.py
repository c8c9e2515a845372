"""Turn a file's bytes into clean text, reporting what had to be repaired."""
from __future__ import annotations

import codecs
import re

from .model import Problem

# Limits that keep rendering bounded (about 2 s for the worst 1 MB on a school laptop; see
# benchmarks/hostile_render.py). The largest bundled lesson is 24 KB and 477 lines.
MAX_MODULE_BYTES = 1024 * 1024  # larger files are refused, not rendered
MAX_MODULE_LINES = 10_000


def size_problem(size: int, path: str) -> Problem | None:
    """An error if a file of this many bytes is too big to be a lesson."""
    if size <= MAX_MODULE_BYTES:
        return None
    return Problem(path, 1, "error", f"file is {size / 2**20:.1f} MB; lessons are limited to "
                                     f"{MAX_MODULE_BYTES // 2**20} MB")


def length_problem(text: str, path: str) -> Problem | None:
    """An error if the text has too many lines to be a lesson."""
    lines = text.count("\n") + 1
    if lines <= MAX_MODULE_LINES:
        return None
    return Problem(path, MAX_MODULE_LINES + 1, "error",
                   f"file has {lines:,} lines; lessons are limited to {MAX_MODULE_LINES:,}")


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
    found = BIDI_CONTROLS.search(text) if has_bidi_controls(text) else None
    if found:  # "Trojan Source": '\u202eevil.exe txt.md' shows as 'dm.txt exe.live'
        line = text[: found.start()].count("\n") + 1
        problems.append(Problem(path, line, "warning", "invisible text-direction controls removed "
                                "(they make text show differently from what it says)"))
        text = BIDI_CONTROLS.sub("", text)
    return text, problems


# Embeddings, overrides and isolates. Right-to-left text needs none of them (the marks
# U+200E/U+200F, which cannot reorder a run of text, are kept).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
BIDI_CHARACTERS = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


def has_bidi_controls(text: str) -> bool:
    """BIDI_CONTROLS.search(text) is not None, ~10x sooner for a whole lesson (each character
    is looked for by str's own search; the library reads every lesson at start-up)."""
    return any(c in text for c in BIDI_CHARACTERS)
