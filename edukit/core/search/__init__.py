"""Full-text search over the library: an SQLite FTS5 index (porter stemming, BM25 ranking,
highlighted snippets) kept in the user cache folder and refreshed only for modules that changed.

Everything a teacher can read is indexed: the lesson text, and (weighted lower) what only the
teacher guide shows — notes, safeguarding and handout blocks — so a result found only there opens
the guide. Lessons are ranked on one row per lesson (few rows: fast at 1,000 lessons); then only
the top lessons' sections are ranked, so a result opens the lesson at the section that matched.
"""
from __future__ import annotations

from .index import MEMORY, SearchIndex, search_library
from .query import Hit

__all__ = ["MEMORY", "Hit", "SearchIndex", "search_library"]
