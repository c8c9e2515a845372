"""Pandoc's title block (`% title`, `% author`, `% date` at the top of a file) read as front
matter. Apart from edukit.core.markdown.pandoc so the library can read it without loading
Python-Markdown."""
from __future__ import annotations

# The title block: up to three lines starting with '%' at the very top of the file (title,
# authors separated by ';', date); a line starting with a space continues the one before.
TITLE_BLOCK_KEYS = ("title", "author", "date")


def title_block(text: str) -> tuple[dict[str, str], str, int]:
    """(front matter from a Pandoc title block, the rest of the text, lines the block took).
    Text without one comes back unchanged with an empty mapping."""
    if not text.startswith("%"):
        return {}, text, 0
    lines = text.split("\n")
    fields: list[str] = []
    used = 0
    for line in lines:
        if line.startswith("%") and len(fields) < len(TITLE_BLOCK_KEYS):
            fields.append(line[1:].strip())
        elif line.startswith((" ", "\t")) and fields and line.strip():
            fields[-1] = f"{fields[-1]} {line.strip()}".strip()
        else:
            break
        used += 1
    front = {key: value for key, value in zip(TITLE_BLOCK_KEYS, fields) if value}
    if "author" in front:
        front["author"] = "; ".join(a.strip() for a in front["author"].split(";") if a.strip())
    return front, "\n".join(lines[used:]), used
