"""The SQLite FTS5 index: its schema, refreshed for the lessons that changed, and searched
(lessons ranked, then their best sections, then snippets), kept on disk or in memory."""
from __future__ import annotations

import bisect
import itertools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Module
from ..paths import AppDirs
from .lesson_text import index_rows, keywords
from .query import MARK_END, MARK_START, Hit, marked_snippet, match_expression

if TYPE_CHECKING:  # the index worker reads lessons without the library's imports (YAML...)
    from ..library import Library

SCHEMA_VERSION = 9  # stored as PRAGMA user_version; a different number means rebuild
INDEX_FILE = "search.sqlite3"
MEMORY = Path(":memory:")  # an index kept in memory only
# Column weights for bm25(): module_id, section_id (unindexed), title, heading, keywords, body,
# guide (text only the teacher guide shows).
WEIGHTS = (0.0, 0.0, 10.0, 5.0, 2.0, 1.0, 0.5)
LESSON_WEIGHTS = (10.0, 5.0, 2.0, 1.0, 0.5)  # title, headings, keywords, body, guide
BODY_COLUMN, GUIDE_COLUMN = 5, 6  # in sections
# A prefix index for 2 letters: what the search box asks after a word's second letter, the
# prefix with the most words to gather without one. From 3 letters on a prefix has few enough
# words that one index more (10% of the first build) saved nothing measurable while typing. A
# 1-letter index made the first build 40% slower for a prefix that matches nearly everything
# (a word of one letter is matched whole instead: typed_prefix).
# A lesson's row in `lessons` has the rowid of its row in `files` (its `lesson`), and its
# sections the rowids first_row..last_row: ranking reads rowids only (reading a module_id from
# an FTS5 row reads the whole row, text and all: a third of a search that matched every lesson),
# and a changed lesson's rows are deleted by rowid, not by a scan of every row.
SCHEMA = """
CREATE TABLE files (lesson INTEGER PRIMARY KEY, module_id TEXT NOT NULL UNIQUE,
                    title TEXT NOT NULL, stamp TEXT NOT NULL,
                    first_row INTEGER NOT NULL, last_row INTEGER NOT NULL);
CREATE VIRTUAL TABLE sections USING fts5(
    module_id UNINDEXED, section_id UNINDEXED, title, heading, keywords, body, guide,
    tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2'
);
CREATE VIRTUAL TABLE lessons USING fts5(
    title, headings, keywords, body, guide,
    tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2'
);
INSERT INTO sections(sections, rank) VALUES ('hashsize', 16777216);
INSERT INTO lessons(lessons, rank) VALUES ('hashsize', 16777216);
"""
# hashsize: the words of up to 16 MB of text are gathered in memory before they are written (1 MB
# by default): a first build of 1,000 lessons writes and merges a few segments, not dozens.


def module_stamp(module: Module) -> str:
    """Changes whenever the file (or which file provides this id) changes."""
    try:
        st = module.path.stat()
        return f"{module.path}|{st.st_mtime_ns}|{st.st_size}|{module.origin}"
    except OSError:
        return f"{module.path}|missing"


class SearchIndex:
    """The FTS5 index in one SQLite file; safe to use from several threads (one connection each).

    It is only a cache: if it cannot be kept at its path (the folder is unwritable, full or not a
    folder), it lives in memory for this run instead and `fallback` says why."""

    def __init__(self, path: Path):
        self.path = path
        self.fallback = ""  # why the index is in memory rather than at path, if it is
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._memory: sqlite3.Connection | None = None  # the one connection of an index in memory
        self._memory_lock = threading.RLock()

    @property
    def in_memory(self) -> bool:
        return self.path == MEMORY or bool(self.fallback)

    def missing(self) -> bool:
        """True if the index file is gone (deleted while the app runs): it needs building again."""
        return not self.in_memory and not self.path.exists()

    @classmethod
    def default(cls, dirs: AppDirs | None = None) -> SearchIndex:
        return cls((dirs or AppDirs.default()).cache / INDEX_FILE)

    def connection(self) -> sqlite3.Connection:
        if self.in_memory:
            if self._memory is None:
                self._memory = prepared(sqlite3.connect(":memory:", check_same_thread=False))
            return self._memory
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
        return conn

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return prepared(conn)
        except sqlite3.DatabaseError:
            conn.close()
            raise

    def close(self) -> None:
        """Close this thread's connection (an index in memory keeps its one connection)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def discard(self) -> None:
        """Delete the index file (it is only a cache); the next use builds a new one."""
        self.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def robust(self, work):
        """Run work(conn). A corrupt or unreadable index is deleted and work runs once more; an
        index that cannot be kept on disk at all moves into memory."""
        if self.in_memory:
            with self._memory_lock:  # one connection, shared by the threads
                return work(self.connection())
        try:
            try:
                return work(self.connection())
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                    raise
                self.discard()
                return work(self.connection())
        except (OSError, sqlite3.OperationalError) as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise
            self.close()
            reason = getattr(exc, "strerror", None) or str(exc)
            self.fallback = f"cannot keep the search index in {self.path.parent} ({reason})"
            return self.robust(work)

    def refresh(self, modules: Iterable[Module]) -> int:
        """Bring the index up to date with these modules; returns how many were (re)indexed."""
        modules = list(modules)
        with self._write_lock:
            return self.robust(lambda conn: self._refresh(conn, modules))

    def _refresh(self, conn: sqlite3.Connection, modules: list[Module]) -> int:
        stored = {row[0]: row for row in conn.execute(
            "SELECT module_id, stamp, lesson, first_row, last_row FROM files")}
        wanted = {m.id: (m, module_stamp(m)) for m in modules}
        changed = [(m, stamp) for m, stamp in wanted.values()
                   if m.id not in stored or stored[m.id][1] != stamp]
        gone = [module_id for module_id in stored if module_id not in wanted]
        if not changed and not gone:
            return 0
        found = [(module, stamp, index_rows(module)) for module, stamp in changed]
        with whole_build_journal(conn, first=not stored), conn:
            # one transaction: one commit (and one fsync) for the whole library
            dropped = [stored[module_id][2:] for module_id in gone + [m.id for m, _ in changed]
                       if module_id in stored]
            conn.executemany("DELETE FROM sections WHERE rowid BETWEEN ? AND ?",
                             [(first, last) for _, first, last in dropped])
            conn.executemany("DELETE FROM lessons WHERE rowid = ?", [(n,) for n, _, _ in dropped])
            conn.executemany("DELETE FROM files WHERE lesson = ?", [(n,) for n, _, _ in dropped])
            self._add(conn, found)
        return len(changed)

    @staticmethod
    def _add(conn: sqlite3.Connection, found: list[tuple[Module, str, list[tuple]]]) -> None:
        """Insert every lesson's rows in three statements. Each lesson takes the next lesson
        number and its sections the next rowids (given, not read back one insert at a time)."""
        next_row = (conn.execute("SELECT max(rowid) FROM sections").fetchone()[0] or 0) + 1
        lesson = conn.execute("SELECT max(lesson) FROM files").fetchone()[0] or 0
        sections, files, lessons = [], [], []
        for module, stamp, rows in found:
            lesson += 1
            sections += [(next_row + n, *row) for n, row in enumerate(rows)]
            files.append((lesson, module.id, module.meta.title, stamp, next_row,
                          next_row + len(rows) - 1))
            lessons.append((lesson, module.meta.title, "\n".join(r[3] for r in rows),
                            keywords(module), "\n".join(r[5] for r in rows),
                            "\n".join(r[6] for r in rows)))
            next_row += len(rows)
        conn.executemany("INSERT INTO sections(rowid, module_id, section_id, title, heading, "
                         "keywords, body, guide) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", sections)
        conn.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)", files)
        conn.executemany("INSERT INTO lessons(rowid, title, headings, keywords, body, guide) "
                         "VALUES (?, ?, ?, ?, ?, ?)", lessons)

    def search(self, query: str, limit: int = 20, as_you_type: bool = True,
               accepts: Callable[[str], bool] | None = None) -> list[Hit]:
        """Modules ranked by BM25, each with its best section and a highlighted snippet.

        While typing, the last word also matches as a prefix ("groo" finds "grooming").
        `accepts` (the library's filters) picks the modules shown before their sections are
        ranked and their snippets made: the filters cost no snippets for results never shown."""
        expression = match_expression(query, prefix_last=as_you_type)
        if not expression:
            return []
        return self.robust(lambda conn: self._search(conn, expression, limit, accepts))

    def _search(self, conn: sqlite3.Connection, expression: str, limit: int,
                accepts: Callable[[str], bool] | None) -> list[Hit]:
        lessons = ranked_lessons(conn, expression, limit, accepts)
        best = best_sections(conn, expression, lessons)
        top = [(best[lesson.number], lesson) for lesson in lessons if lesson.number in best]
        if not top:  # the words are in these lessons, but no one section has them all
            return []
        found = snippets(conn, expression, [rowid for rowid, _ in top], BODY_COLUMN,
                         "heading, section_id")
        # The teacher guide's text is snippeted only where the lesson's shows no matched word.
        unmarked = [rowid for rowid, row in found.items() if MARK_START not in row[-1]]
        in_guide = snippets(conn, expression, unmarked, GUIDE_COLUMN) if unmarked else {}
        hits = []
        for rowid, lesson in top:
            section, section_id, in_lesson = found[rowid]
            guide = in_guide.get(rowid, ("",))[0]
            # The lesson view when it shows a matched word (or only the heading matched).
            view = "guide" if MARK_START in guide else "lesson"
            snippet, spans = marked_snippet(guide if view == "guide" else in_lesson)
            hits.append(Hit(lesson.module_id, lesson.title, section, section_id, snippet,
                            round(-lesson.score, 4), spans, view))
        return hits


def snippets(conn: sqlite3.Connection, expression: str, rowids: list[int], column: int,
             also: str = "") -> dict[int, tuple]:
    """By rowid: the `also` columns and a snippet of `column` with the matched words marked."""
    marks = ", ".join("?" * len(rowids))
    return {row[0]: row[1:] for row in conn.execute(
        f"SELECT rowid, {also + ', ' if also else ''}"
        f"snippet(sections, {column}, '{MARK_START}', '{MARK_END}', '…', 14) "
        # "+rowid": one pass over the matches, filtered (a plain IN runs the match per row);
        # the BETWEEN, which FTS5 does itself, skips the matches outside the wanted rows.
        f"FROM sections WHERE sections MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})",
        (expression, min(rowids), max(rowids), *rowids))}


@dataclass(frozen=True)
class RankedLesson:
    """A lesson that matched, with its BM25 score (lower is better) and its sections' rowids."""

    number: int  # its rowid in lessons and files
    score: float
    module_id: str
    title: str
    first_row: int
    last_row: int


RANK_BATCH = 50  # lessons whose names are read at once while the filters pick results


def ranked_lessons(conn: sqlite3.Connection, expression: str, limit: int,
                   accepts: Callable[[str], bool] | None) -> list[RankedLesson]:
    """The best `limit` lessons the filter accepts, best first. Ranking reads rowids only; the
    lessons' names are read a batch at a time, only as far as the filter needs to go."""
    weights = ", ".join(map(str, LESSON_WEIGHTS))
    scores = conn.execute(f"SELECT rowid, bm25(lessons, {weights}) AS score FROM lessons "
                          "WHERE lessons MATCH ? ORDER BY score LIMIT ?",
                          (expression, limit if accepts is None else -1))
    ranked: list[RankedLesson] = []
    while len(ranked) < limit and (batch := scores.fetchmany(max(limit, RANK_BATCH))):
        files = {row[0]: row[1:] for row in conn.execute(
            "SELECT lesson, module_id, title, first_row, last_row FROM files "
            "WHERE lesson IN (SELECT value FROM json_each(?))", (json.dumps([n for n, _ in batch]),))}
        ranked += itertools.islice(
            (RankedLesson(n, score, *files[n]) for n, score in batch
             if n in files and (accepts is None or accepts(files[n][0]))), limit - len(ranked))
    scores.close()
    return ranked


def best_sections(conn: sqlite3.Connection, expression: str,
                  lessons: list[RankedLesson]) -> dict[int, int]:
    """Each lesson's best-matching section's rowid, by lesson number. Only rows in those
    lessons' rowid ranges are scored (a rowid test is cheap; bm25 per row is not)."""
    if not lessons:
        return {}
    weights = ", ".join(map(str, WEIGHTS))
    spans = sorted((lesson.first_row, lesson.last_row, lesson.number) for lesson in lessons)
    starts = [first for first, _, _ in spans]
    # The outer BETWEEN is done by FTS5 itself (it seeks in each word's list): the matches
    # outside the span of those lessons' rows are never read. The ORs are tested per row.
    within = " OR ".join("rowid BETWEEN ? AND ?" for _ in spans)
    rows = conn.execute(f"SELECT rowid, bm25(sections, {weights}) FROM sections WHERE "
                        f"sections MATCH ? AND rowid BETWEEN ? AND ? AND ({within})",
                        (expression, spans[0][0], max(last for _, last, _ in spans),
                         *[n for first, last, _ in spans for n in (first, last)]))
    best: dict[int, tuple[float, int]] = {}
    for rowid, score in rows:
        lesson = spans[bisect.bisect_right(starts, rowid) - 1][2]
        if lesson not in best or score < best[lesson][0]:
            best[lesson] = (score, rowid)
    return {lesson: rowid for lesson, (_, rowid) in best.items()}


@contextmanager
def whole_build_journal(conn: sqlite3.Connection, first: bool) -> Iterator[None]:
    """A first build (the index is empty) writes each page once. In WAL mode every page went
    to the log and was then copied into the file: 114 MB written for a 57 MB index of 1,000
    lessons. A rollback journal keeps only the pages the build changes that existed before
    (an empty index's few), and a build stopped half way is rolled back when the index is next
    opened: empty, it is built again, never read half made. Then back to WAL, where searches
    never wait for a refresh. If another connection has the index open, the mode cannot change
    and the build runs in WAL mode as before."""
    switched = False
    if first:
        try:
            switched = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
        except sqlite3.OperationalError:  # locked by another connection
            pass
    try:
        yield
    finally:
        if switched:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:  # locked: the next connection opened sets it
                pass


def prepared(conn: sqlite3.Connection) -> sqlite3.Connection:
    """The connection with the current schema (an index of another version is emptied)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        conn.executescript("DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS sections; "
                           "DROP TABLE IF EXISTS lessons;"
                           + SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")
    conn.execute("SELECT count(*) FROM files").fetchone()
    return conn


def search_library(library: Library, query: str, limit: int = 20,
                   index: SearchIndex | None = None) -> list[Hit]:
    """Refresh the index for changed modules, then search it (the command line's way). The last
    word matches as a prefix, as in the app's search box: `edukit search sextorti` finds
    "sextortion"."""
    index = index or SearchIndex.default()
    try:
        index.refresh(library.modules)
        return index.search(query, limit)
    finally:
        index.close()
