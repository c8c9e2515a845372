"""Full-text search over the library: an SQLite FTS5 index (porter stemming, BM25 ranking,
highlighted snippets) kept in the user cache folder and refreshed only for modules that changed.

Everything a teacher can read is indexed: the lesson text, and (weighted lower) what only the
teacher guide shows — notes, safeguarding and handout blocks — so a result found only there opens
the guide. Lessons are ranked on one row per lesson (few rows: fast at 1,000 lessons); then only
the top lessons' sections are ranked, so a result opens the lesson at the section that matched.
"""
from __future__ import annotations

import bisect
import html
import itertools
import json
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .escape import html_text
from .markdown.blocks import code_lines, lines_with, scan_divs
from .markdown.placeholder_names import PLACEHOLDER, placeholder_key
from .markdown.slides import heading
from .markdown.teacher import PRINT_ONLY, SAFEGUARDING, TEACHER_ONLY, block_spans
from .model import SCHOOL_FALLBACKS, Module
from .paths import AppDirs

if TYPE_CHECKING:  # the index worker reads lessons without the library's imports (YAML...)
    from .library import Library

SCHEMA_VERSION = 9  # stored as PRAGMA user_version; a different number means rebuild
INDEX_FILE = "search.sqlite3"
MEMORY = Path(":memory:")  # an index kept in memory only
MARK_START, MARK_END = "\x02", "\x03"
TOC_DEPTH = 3  # headings deeper than this get no id from the toc extension's depth setting
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
# (a text a line must contain for the pattern to apply, or "" for always; pattern; replacement).
# The cheap `in` test skips most patterns on most lines: indexing 1,000 lessons runs this on
# ~400,000 lines, and the regexes were most of the index build's time.
MARKUP = [
    ("![", re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    ("](", re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links → their text
    ("{{", PLACEHOLDER, lambda m: SCHOOL_FALLBACKS.get(placeholder_key(m.group(1)) or "", "")),
    ("", re.compile(r"^\s*(?:[-+*]|\d+[.)])\s+"), ""),  # list markers
    ("<", re.compile(r"<[^>]+>"), ""),  # raw HTML tags
    (":::", re.compile(r"^\s*:{3,}.*$"), ""),  # fenced div lines
    ("{", re.compile(r"\{[#.][^}]*\}\s*$"), ""),  # attribute lists
    ("", re.compile(r"[*_`>#|~]+"), " "),
]
# The same rules for a whole text of lines at once (a few passes in C instead of eight per
# line): no pattern may cross a line break, so each matches exactly what it matches per line.
# The text starts with a line break, and a rule for a line's start matches the break before
# it (a literal to search for is faster than "^" tried at every character).
LINES_MARKUP = [
    ("![", re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),
    ("](", re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),
    ("{{", re.compile(r"\{\{[^\S\n]*([\w.]+)[^\S\n]*\}\}"),
     lambda m: SCHOOL_FALLBACKS.get(placeholder_key(m.group(1)) or "", "")),
    ("", re.compile(r"\n[^\S\n]*(?:[-+*]|\d+[.)])[^\S\n]+"), "\n"),
    ("<", re.compile(r"<[^>\n]+>"), ""),
    (":::", re.compile(r"\n[^\S\n]*:{3,}[^\n]*"), "\n"),
    ("{", re.compile(r"\{[#.][^}\n]*\}[^\S\n]*$", re.MULTILINE), ""),
]  # and last the inline marks (MARKUP's last rule): marks_to_spaces
INLINE_MARKS = "*_`>#|~"
MARK = "\x00"  # each inline mark while a run of them becomes one space
MARKS_TO_MARK = str.maketrans(dict.fromkeys(INLINE_MARKS, MARK))


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


@dataclass(frozen=True)
class SectionText:
    """The searchable text of one section of a lesson."""

    section_id: str
    heading: str
    text: str
    guide: str = ""  # what only the teacher guide shows here: notes, handout blocks


def plain_text(line: str) -> str:
    if not line or line.isspace():
        return ""
    for needle, pattern, replacement in MARKUP:
        if needle in line:
            line = pattern.sub(replacement, line)
    return (html.unescape(line) if "&" in line else line).strip()


def plain_lines(lines: list[str]) -> list[str]:
    """[plain_text(line) for line in lines], each pattern run once over the whole text."""
    text = "\n" + "\n".join(lines)
    if text.count("\n") != len(lines):  # a line with a break in it: line by line
        return [plain_text(line) for line in lines]
    for needle, pattern, replacement in LINES_MARKUP:
        if needle in text:
            text = pattern.sub(replacement, text)
    text = marks_to_spaces(text)
    if "&" not in text:  # no character reference to read: strip the lines in C
        return list(map(str.strip, text.split("\n")[1:]))
    return [(html.unescape(line) if "&" in line else line).strip()
            for line in text.split("\n")[1:]]


def marks_to_spaces(text: str) -> str:
    """Each run of inline marks (`*_`>#|~`) as one space, as MARKUP's last rule makes it. That
    regex was half the markup pass (it is tried at every character); marking the marks with
    one character in C and splitting there is five times faster."""
    if MARK in text:
        return MARKUP[-1][1].sub(" ", text)
    parts = text.translate(MARKS_TO_MARK).split(MARK)
    if len(parts) == 1:
        return text
    # Between two marks an empty part: the run goes on. The first and last part are kept even
    # when empty: a run at the start or the end is a space there too.
    return " ".join([parts[0], *filter(None, parts[1:-1]), parts[-1]])


def module_sections(module: Module) -> list[SectionText]:
    """The lesson view's text split at its headings, with the ids the renderer gives them, each
    with what the teacher guide adds there; the guide's safeguarding section comes second.

    The lines are read a stretch at a time, not one by one (the index build reads 300,000
    lines at 1,000 lessons): a stretch ends only at a heading or at a block's edge, so all its
    lines go to the same place (tests/test_search_text.py holds the line-by-line rule)."""
    from markdown.extensions.toc import slugify, unique

    from .render import BEFORE_TEACHING, body_lines

    lines = body_lines(module)
    fenced = code_lines(lines)  # (none in most lessons)
    divs = scan_divs(lines, fenced)
    guarding_spans = block_spans(lines, SAFEGUARDING, divs)
    guide_spans = block_spans(lines, TEACHER_ONLY | PRINT_ONLY, divs)
    guarding, guide_only = set().union(*guarding_spans), set().union(*guide_spans)
    code = (code_lines(["" if i in guide_only else line for i, line in enumerate(lines)])
            if fenced else set())  # without a fence, none once guide lines are blanked either
    plain = plain_lines(lines)
    for i in code:
        plain[i] = lines[i].strip()  # code is indexed as written
    headings = {i: found[1] for i in lines_with(lines, "#")
                if i not in code and i not in guide_only and (found := heading(lines[i]))}
    edges = {0, len(lines), *headings, *(i + 1 for i in headings),
             *(n for span in guarding_spans + guide_spans for n in (span.start, span.stop))}
    used: set[str] = set()
    sections = [["", "", [], []]]
    safeguarding: list[str] = []
    for start, stop in itertools.pairwise(sorted(edges)):
        if start in headings:
            title = plain_text(headings[start])
            sections.append([unique(slugify(title, "-"), used), title, [], []])
        elif start in guarding:
            safeguarding += filter(None, plain[start:stop])
        else:
            sections[-1][3 if start in guide_only else 2] += filter(None, plain[start:stop])
    found_sections = [SectionText(sid, title, "\n".join(text), "\n".join(guide))
                      for sid, title, text, guide in sections if sid or text or guide]
    if safeguarding:
        guard = SectionText(BEFORE_TEACHING.id, BEFORE_TEACHING.title, "", "\n".join(safeguarding))
        found_sections.insert(min(1, len(found_sections)), guard)
    return found_sections


def module_stamp(module: Module) -> str:
    """Changes whenever the file (or which file provides this id) changes."""
    try:
        st = module.path.stat()
        return f"{module.path}|{st.st_mtime_ns}|{st.st_size}|{module.origin}"
    except OSError:
        return f"{module.path}|missing"


def keywords(module: Module) -> str:
    """Topics and key words: matched and ranked, but never shown as a snippet."""
    return " · ".join([*module.meta.topics, *module.meta.vocabulary])


def introduction(module: Module, first: SectionText) -> str:
    """The first section's text, led by the summary and objectives (shown as its snippet)."""
    return "\n".join(t for t in [module.meta.summary, *module.meta.objectives, first.text] if t)


def index_rows(module: Module) -> list[tuple]:
    """The lesson's rows for the sections table: module_id, section_id, title, heading,
    keywords, body, guide (title and keywords on the first row only)."""
    return [(module.id, section.section_id, module.meta.title if n == 0 else "",
             section.heading, keywords(module) if n == 0 else "",
             indexed(introduction(module, section) if n == 0 else section.text),
             indexed(section.guide))
            for n, section in enumerate(module_sections(module))]


# FTS5's snippet() is quadratic in the matches in one cell: 8,000 of one word took 2.4 s, and
# 200,000 (a 1 MB section) froze the search box. Each section's text is indexed up to this many
# words (the longest bundled section: 506).
MAX_INDEXED_WORDS = 1000
# The first MAX_INDEXED_WORDS words in one C-level match (possessive: no backtracking).
FIRST_WORDS = re.compile(r"(?:\W*+\w++){" + str(MAX_INDEXED_WORDS) + "}")


# The ASCII characters \w matches (letters, digits, "_"): deleted, what is left are the breaks.
ASCII_WORD_CHARACTERS = bytes(c for c in range(128) if chr(c).isalnum() or chr(c) == "_")


def indexed(text: str) -> str:
    """The text up to its MAX_INDEXED_WORDS-th word."""
    if len(text) < 2 * MAX_INDEXED_WORDS - 1:
        return text  # too short to hold that many words and the breaks between them
    if text.isascii() and fewer_words_than_the_limit(text):
        return text  # (most long sections: their words are counted by bytes, in C)
    found = FIRST_WORDS.match(text)
    return text[:found.end()] if found else text


def fewer_words_than_the_limit(text: str) -> bool:
    """Whether an ASCII text surely has fewer than MAX_INDEXED_WORDS words: each word but the
    first follows a character that is not a word character."""
    breaks = len(text.encode("ascii").translate(None, ASCII_WORD_CHARACTERS))
    return breaks + 1 < MAX_INDEXED_WORDS


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
