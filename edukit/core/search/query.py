"""What is typed, as an FTS5 query (bounded), and a result as it is shown: a snippet with the
matched words FTS5 marked."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..escape import html_text

MARK_START, MARK_END = "\x02", "\x03"


@dataclass(frozen=True)
class Hit:
    """One search result: the best-matching section of one module."""

    module_id: str
    title: str
    section: str
    section_id: str
    snippet: str  # plain text
    score: float  # higher is better
    highlights: tuple[tuple[int, int], ...] = ()  # (start, end) of matched words in snippet
    view: str = "lesson"  # "guide" when the words are only in what the teacher guide shows

    def as_dict(self) -> dict:
        return {"module_id": self.module_id, "title": self.title, "section": self.section,
                "section_id": self.section_id, "view": self.view, "snippet": self.snippet,
                "score": self.score, "highlights": [list(span) for span in self.highlights]}

    @property
    def matched_words(self) -> list[str]:
        """The words of the snippet that matched, as they are written in the lesson."""
        return sorted({self.snippet[a:b] for a, b in self.highlights}, key=str.lower)

    def snippet_html(self) -> str:
        """The snippet as HTML with the matched words in <b>."""
        out, last = [], 0
        for start, end in self.highlights:
            out += [html_text(self.snippet[last:start]), "<b>",
                    html_text(self.snippet[start:end]), "</b>"]
            last = end
        return "".join(out) + html_text(self.snippet[last:])


MAX_QUERY_CHARS = 200  # longer queries are cut here (a pasted page must not stall the index)
MAX_QUERY_WORDS = 12  # words after this many are ignored; each one is a pass over the index


def match_expression(query: str, prefix_last: bool = True) -> str:
    """An FTS5 query: every word must occur; the last may be a prefix while it is being typed
    (the query ends in it: "groo" but not "groo " or "NEAR("). Bounded: the first
    MAX_QUERY_CHARS characters, the first MAX_QUERY_WORDS words."""
    cut = len(query) > MAX_QUERY_CHARS
    query = query[:MAX_QUERY_CHARS]
    words = re.findall(r"\w+", query.lower())
    if len(words) > MAX_QUERY_WORDS or cut:
        words, prefix_last = words[:MAX_QUERY_WORDS], False  # the last word was not being typed
    if not words:
        return ""
    terms = [f'"{w}"' for w in words]
    if prefix_last and re.fullmatch(r"\w", query[-1:]):
        terms[-1] = typed_prefix(words[-1])
    return " AND ".join(terms)  # FTS5 allows no implicit AND before a bracketed OR


def typed_prefix(word: str) -> str:
    """A word being typed, as a prefix that also meets the index's Porter stems: "sextorti"
    is past the stem "sextort" of "sextortion", so the word cut by 1 or 2 letters (keeping 5)
    counts as a whole stem too; cutting more would let "sexto" or "sextort" find "sext"ing."""
    if len(word) == 1:  # one letter matches nearly every lesson: wait for the second
        return f'"{word}"'
    cuts = [word[:n] for n in range(len(word) - 1, max(4, len(word) - 3), -1)]
    return "(" + " OR ".join([f'"{word}"*', *(f'"{c}"' for c in cuts)]) + ")" if cuts else f'"{word}"*'


def marked_snippet(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Plain snippet text and the spans FTS5 marked in it."""
    plain, spans, start = [], [], 0
    for part in re.split(f"([{MARK_START}{MARK_END}])", marked):
        if part == MARK_START:
            start = sum(map(len, plain))
        elif part == MARK_END:
            spans.append((start, sum(map(len, plain))))
        else:
            plain.append(part.replace("\n", " "))
    return "".join(plain), tuple(spans)
