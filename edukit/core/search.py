"""Full-text search over the library."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .library import Library
from .markdown.slides import heading
from .markdown.teacher import TEACHER_ONLY, without_blocks


@dataclass(frozen=True)
class Hit:
    module_id: str
    title: str
    section: str
    section_id: str
    snippet: str
    score: float

    def as_dict(self) -> dict:
        return asdict(self)


def search_library(library: Library, query: str, limit: int = 20) -> list[Hit]:
    """A plain scan: modules ranked by how often the query's words occur, title hits first."""
    words = [w for w in re.findall(r"\w+", query.lower()) if len(w) > 1]
    if not words:
        return []
    hits = []
    for module in library.modules:
        lines = without_blocks(module.body.split("\n"), TEACHER_ONLY)
        text = "\n".join(lines).lower()
        if not all(w in text or w in module.meta.title.lower() for w in words):
            continue
        score = sum(text.count(w) for w in words) + 10 * sum(w in module.meta.title.lower() for w in words)
        section, snippet = best_line(lines, words)
        hits.append(Hit(module.id, module.meta.title, section, "", snippet, float(score)))
    return sorted(hits, key=lambda h: -h.score)[:limit]


def best_line(lines: list[str], words: list[str]) -> tuple[str, str]:
    section, best, best_count = "", "", 0
    current = ""
    for line in lines:
        h = heading(line)
        if h:
            current = h[1]
        count = sum(w in line.lower() for w in words)
        if count > best_count:
            section, best, best_count = current, line.strip(), count
    return section, best[:160]
