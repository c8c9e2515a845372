"""Reading grade of the pupil-facing text of a module (Flesch-Kincaid, via textstat)."""
from __future__ import annotations

import re

from .markdown.teacher import TEACHER_ONLY, without_blocks
from .model import Module

GRADE_LIMITS = {"8-11": 5.0, "11-14": 8.0, "14-16": 10.0}
MAX_MEASURED = 50_000  # characters of pupil text graded (the longest bundled lesson: ~15,000)
MARKUP = re.compile(r"\{\{[^{}]*\}\}|[#*_>`{}]|^\s*:{3,}.*$|^\s*(\d+[.)]|[-+])\s+")


def pupil_text(module: Module) -> str:
    """The text pupils read, one sentence-ish line per Markdown line."""
    lines = without_blocks(module.body.split("\n"), TEACHER_ONLY)
    out = []
    for line in lines:
        line = MARKUP.sub("", line).strip(" -|")
        if line:
            out.append(line if line.endswith((".", "?", "!", ":")) else line + ".")
    return "\n".join(out)


def reading_grade(module: Module) -> float | None:
    text = pupil_text(module)[:MAX_MEASURED]  # a sample is as good a grade, at a bounded cost
    if len(text.split()) < 30:
        return None
    try:
        import textstat  # imported here: it is slow to load and only validation needs it

        return round(float(textstat.flesch_kincaid_grade(text)), 1)
    except Exception:  # noqa: BLE001 - a measuring aid must never stop validation or the app
        return None
