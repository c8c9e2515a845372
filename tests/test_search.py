"""Full-text search: an FTS5 index in the cache folder, stemmed, ranked, with highlighted snippets."""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from edukit.core.library import Library
from edukit.core.render import RenderContext, render
from edukit.core.search import SearchIndex, search_library
from edukit.core.search.lesson_text import module_sections


def write_module(root: Path, module_id: str, text: str) -> Path:
    folder = root / module_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "module.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    write_module(root, "kites", "---\ntitle: Flying kites\n---\n## Windy days\n\n"
                 "Kites need wind. A kite flies high.\n\n## Strings\n\nHold the string tightly.\n")
    write_module(root, "picnics", "---\ntitle: Picnics\n---\n## Food\n\nSandwiches and a kite "
                 "somebody brought.\n\n::: notes\nTEACHERWORD only for the teacher.\n:::\n\n"
                 "::: safeguarding\nTell the DSL about GUARDWORD first.\n:::\n\n"
                 "## Games\n\nStudentword is for everyone.\n")
    return root


def index_for(content: Path, user_dirs) -> tuple[SearchIndex, Library]:
    library = Library.default(extra=[content])
    index = SearchIndex(user_dirs["cache"] / "search.sqlite3")
    index.refresh(library.modules)
    return index, library


def test_the_index_lives_in_the_user_cache_folder(user_dirs):
    assert SearchIndex.default().path.parent == user_dirs["cache"]


def test_words_match_by_stem_and_a_title_match_ranks_first(content, user_dirs):
    index, _ = index_for(content, user_dirs)
    hits = index.search("kites", as_you_type=False)
    assert [h.module_id for h in hits[:2]] == ["kites", "picnics"]  # "kite" in picnics' body too
    assert hits[0].score > hits[1].score
    assert index.search("flying", as_you_type=False)[0].module_id == "kites"  # "flies"/"flying"


def test_a_result_names_the_section_that_matched_with_the_renderers_id(content, user_dirs):
    index, _ = index_for(content, user_dirs)
    hit = index.search("string", as_you_type=False)[0]
    assert (hit.module_id, hit.section, hit.section_id) == ("kites", "Strings", "strings")


def test_snippets_mark_the_matched_words(content, user_dirs):
    index, _ = index_for(content, user_dirs)
    hit = index.search("tightly", as_you_type=False)[0]
    assert hit.snippet == "Hold the string tightly."
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["tightly"]
    assert hit.snippet_html() == "Hold the string <b>tightly</b>."


def test_typing_matches_the_last_word_as_a_prefix(content, user_dirs):
    index, _ = index_for(content, user_dirs)
    assert [h.module_id for h in index.search("sandw")] == ["picnics"]
    assert index.search("sandw", as_you_type=False) == []


@pytest.mark.parametrize("typed", ["sextorti", "sextortio", "sextort", "Sextortion"])
def test_typing_past_a_words_stem_still_finds_it(tmp_path, user_dirs, typed):
    """The index holds Porter stems ("sextortion" as "sextort"): a prefix typed past the stem
    ("sextorti") must still find the word, and must not widen to another word ("sexting")."""
    root = tmp_path / "content"
    write_module(root, "blackmail", "---\ntitle: Blackmail\n---\n## What it is\n\n"
                 "Sextortion is a crime.\n")
    write_module(root, "messages", "---\ntitle: Messages\n---\n## Sending\n\nSexting is risky.\n")
    index, _ = index_for(root, user_dirs)

    def found(query: str) -> set[str]:
        return {h.module_id for h in index.search(query, limit=50)} & {"blackmail", "messages"}
    assert found(typed) == {"blackmail"}
    assert found("sexto") == {"blackmail"}
    assert found("sext") == {"blackmail", "messages"}
    assert found(f"crime {typed}") == {"blackmail"}  # a bracketed last word after others
    assert found(f"risky {typed}") == set()


def test_the_bundled_library_finds_sextortion_while_typing(user_dirs):
    index = SearchIndex(user_dirs["cache"] / "search.sqlite3")
    index.refresh(Library.default().modules)
    found = [hit.module_id for hit in index.search("sextorti")[:2]]
    assert sorted(found) == ["sextortion", "sextortion-ks3"]


def test_teacher_notes_and_safeguarding_are_found_and_open_in_the_teacher_guide(content, user_dirs):
    index, _ = index_for(content, user_dirs)
    [notes] = index.search("teacherword")
    assert (notes.module_id, notes.section_id, notes.view) == ("picnics", "food", "guide")
    assert notes.matched_words == ["TEACHERWORD"]
    [guard] = index.search("guardword")
    assert (guard.section_id, guard.section, guard.view) == \
        ("before-you-teach", "Before you teach: safeguarding", "guide")
    [lesson] = index.search("studentword")  # words the lesson view shows open the lesson view
    assert (lesson.section_id, lesson.view) == ("games", "lesson")


def test_lesson_text_outranks_the_same_words_in_teacher_notes(content, user_dirs):
    write_module(content, "notes-only", "---\ntitle: Rivers\n---\n## Water\n\nRivers flow.\n\n"
                 "::: notes\nAsk about sandwiches.\n:::\n")
    index, _ = index_for(content, user_dirs)
    assert [(h.module_id, h.view) for h in index.search("sandwiches", as_you_type=False)] == \
        [("picnics", "lesson"), ("notes-only", "guide")]


def test_only_changed_modules_are_indexed_again(content, user_dirs):
    index, library = index_for(content, user_dirs)
    assert index.refresh(library.modules) == 0
    path = content / "kites" / "module.md"
    path.write_text(path.read_text() + "\n## Repairs\n\nPatch the torn kite with glue.\n")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    library.refresh()
    assert index.refresh(library.modules) == 1
    assert index.search("glue")[0].section_id == "repairs"
    index.refresh([m for m in library.modules if m.id != "kites"])
    assert index.search("glue") == []


def test_a_corrupt_index_is_rebuilt(content, user_dirs):
    path = user_dirs["cache"] / "search.sqlite3"
    path.write_bytes(b"this is not an SQLite database" * 100)
    library = Library.default(extra=[content])
    hits = search_library(library, "tightly", index=SearchIndex(path))
    assert [h.module_id for h in hits] == ["kites"]


def test_queries_made_only_of_punctuation_or_fts_syntax_are_harmless(content, user_dirs):
    index, _ = index_for(content, user_dirs)
    assert index.search("") == [] and index.search("***") == []
    # FTS5 operators and quotes are searched as plain words, never parsed as query syntax
    assert [h.module_id for h in index.search('kite" AND', as_you_type=False)] == ["picnics"]
    assert index.search("NEAR(kite", as_you_type=False) == []


def test_section_ids_agree_with_the_rendered_lesson_for_every_bundled_module():
    library = Library.default()
    for module in library.modules:
        rendered = [s.id for s in render(module, "lesson", RenderContext()).sections]
        guide = {s.id for s in render(module, "guide", RenderContext()).sections}
        indexed = [s.section_id for s in module_sections(module) if s.section_id]
        assert [i for i in indexed if i != "before-you-teach"] == rendered, module.id
        assert set(indexed) <= guide, module.id


def test_each_hit_points_at_its_own_lessons_best_section_after_edits(content, user_dirs):
    index, library = index_for(content, user_dirs)
    assert {h.module_id: h.section_id for h in index.search("string", as_you_type=False)} == \
        {"kites": "strings"}
    # Edit the first lesson so the word moves to another section: its rows are replaced, and the
    # other lesson's rows (and best section) are untouched.
    path = content / "kites" / "module.md"
    path.write_text("---\ntitle: Flying kites\n---\n## Windy days\n\nA string on a kite.\n\n"
                    "## Knots\n\nHold on.\n", encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    library.refresh()
    index.refresh(library.modules)
    assert [(h.module_id, h.section_id) for h in index.search("sandwiches", as_you_type=False)] \
        == [("picnics", "food")]
    assert {h.module_id: h.section_id for h in index.search("string", as_you_type=False)} == \
        {"kites": "windy-days"}


def test_an_index_that_cannot_be_kept_on_disk_works_in_memory_across_threads(content, tmp_path):
    import threading

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    index = SearchIndex(blocked / "search.sqlite3")
    library = Library.default(extra=[content])
    worker = threading.Thread(target=index.refresh, args=(library.modules,))  # as the app does
    worker.start()
    worker.join()
    index.close()  # the worker's connection: an index in memory keeps its data
    assert index.in_memory and str(blocked) in index.fallback
    assert [h.module_id for h in index.search("string", as_you_type=False)] == ["kites"]
    assert not index.missing()  # nothing to rebuild: it was never on disk


HOSTILE_QUERIES = ['"', 'kite"', '"kite', '""', "kite*", "*", "* kite", "NEAR(kite",
                   "NEAR(kite string, 2)", "kite NEAR string", "-kite", "kite -string", "title:kite",
                   "body: kite", "{title body}: kite", "(kite", "kite)", "((kite OR", "kite AND",
                   "OR", "NOT kite", "kite ^", "^kite", "kite + string", "'; DROP TABLE files; --",
                   "kite\x00string", "\\", "kite\u200b", "k" * 5000, "kite " * 300]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_fts5_syntax_in_a_query_is_searched_as_words_and_never_raises(content, user_dirs, query):
    """Query text is the user's: FTS5's quotes, stars, NEAR(, column filters, minus and brackets
    are never parsed as query syntax, while typing or not, in the app or on the command line."""
    index, library = index_for(content, user_dirs)
    ids = {module.id for module in library.modules}
    for as_you_type in (True, False):
        assert {hit.module_id for hit in index.search(query, as_you_type=as_you_type)} <= ids
    assert {hit.module_id for hit in search_library(library, query, index=index)} <= ids
    assert index.search("hold string", as_you_type=False)[0].module_id == "kites"  # intact


@pytest.mark.parametrize("query", ['kite"', "NEAR(kite", "(kite", "kite AND", "-kite", "*"])
def test_the_same_hostile_queries_break_a_raw_fts5_match(content, user_dirs, query):
    """Positive control for the test above: handed to FTS5 as it is, each of them raises."""
    import sqlite3

    index, _ = index_for(content, user_dirs)
    with pytest.raises(sqlite3.OperationalError):
        index.connection().execute("SELECT rowid FROM lessons WHERE lessons MATCH ?",
                                   (query,)).fetchall()


def test_the_first_build_writes_the_whole_library_in_one_transaction(user_dirs):
    """One commit for all lessons: the build is fast (no commit per lesson) and a build that
    fails half way leaves the index as it was, never half a library."""
    index = SearchIndex(user_dirs["cache"] / "search.sqlite3")
    statements: list[str] = []
    index.connection().set_trace_callback(statements.append)
    modules = Library.default().modules
    assert index.refresh(modules) == len(modules) > 20
    verbs = [s.split()[0].upper() for s in statements if s.split()]
    assert verbs.count("COMMIT") == 1 and verbs.count("BEGIN") == 1
    assert verbs.count("INSERT") >= len(modules)  # the trace saw every lesson's rows


def test_words_found_only_in_different_sections_of_a_lesson_give_no_error(content, user_dirs):
    """"kite" and "string" are both in the kites lesson but in no one section: no result to
    open at, and no crash (it raised ValueError from the search box)."""
    index, _ = index_for(content, user_dirs)
    assert index.search("wind string", as_you_type=False) == []


def test_only_a_word_still_being_typed_matches_as_a_prefix(content, user_dirs):
    index, _ = index_for(content, user_dirs)
    assert [h.module_id for h in index.search("sandw")] == ["picnics"]
    assert index.search("sandw ") == [] and index.search("sandw(") == []
    assert index.search('sandw"') == [] and index.search("sandw*") == []


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """Twelve lessons that all have "kite" (the query that hits every lesson), in different
    amounts and places, so their ranking is not a tie."""
    root = tmp_path / "many"
    for n in range(12):
        write_module(root, f"lesson-{n:02}", f"---\ntitle: Lesson {n}\n---\n## Start\n\n"
                     + "A kite. " * (n % 5 + 1) + "Some other words " * n
                     + f"\n\n## More\n\nKites and string {n}.\n")
    return root


def hits_as_tuples(hits) -> list[tuple]:
    return [(h.module_id, h.section_id, h.view, h.snippet, h.highlights, h.score) for h in hits]


def test_a_capped_search_shows_the_first_results_of_the_whole_ranking(many, user_dirs):
    """Fewer results asked for (the box shows 20) rank the same: they are the first of the
    whole ranking, each with the same section, snippet and score."""
    index, _ = index_for(many, user_dirs)
    whole = hits_as_tuples(index.search("kite", limit=50, as_you_type=False))
    assert len(whole) == 12 and len({score for *_, score in whole}) > 1
    for limit in (1, 3, 11):
        assert hits_as_tuples(index.search("kite", limit=limit, as_you_type=False)) == \
            whole[:limit]


@pytest.mark.parametrize("batch", [50, 1, 2])
def test_the_librarys_filters_pick_results_before_the_limit(many, user_dirs, monkeypatch, batch):
    """Results the filters hide take no place: the first `limit` accepted lessons of the whole
    ranking, in its order, with the same sections and snippets (however many lessons' names
    are read at a time)."""
    monkeypatch.setattr("edukit.core.search.index.RANK_BATCH", batch)
    index, _ = index_for(many, user_dirs)
    whole = hits_as_tuples(index.search("kite", limit=50, as_you_type=False))
    odd = {f"lesson-{n:02}" for n in range(1, 12, 2)}
    for limit in (1, 4, 6, 20):
        shown = index.search("kite", limit=limit, as_you_type=False, accepts=odd.__contains__)
        assert hits_as_tuples(shown) == [hit for hit in whole if hit[0] in odd][:limit]
    assert index.search("kite", accepts=lambda _module_id: False) == []


def test_an_index_edited_lesson_by_lesson_answers_as_a_fresh_build(many, user_dirs, tmp_path):
    """Changed and removed lessons' rows are replaced by rowid: after edits the index gives the
    same results as one built from scratch (no row of an old version is left to match)."""
    index, library = index_for(many, user_dirs)
    for n in (0, 5, 11):
        path = many / f"lesson-{n:02}" / "module.md"
        path.write_text(f"---\ntitle: Lesson {n}\n---\n## Changed\n\nNo k-word, glue {n}.\n")
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    library.refresh()
    kept = [m for m in library.modules if m.id != "lesson-07"]
    assert index.refresh(kept) == 3
    fresh = SearchIndex(tmp_path / "fresh.sqlite3")
    fresh.refresh(kept)
    for query in ("kite", "glue", "string", "changed", "lesson 7"):
        assert hits_as_tuples(index.search(query, limit=50)) == \
            hits_as_tuples(fresh.search(query, limit=50)), query
    assert "lesson-07" not in {h.module_id for h in index.search("kite", limit=50)}


def test_an_index_of_an_older_schema_is_rebuilt_not_misread(content, user_dirs):
    """An index file written by an older edukit (schema 8: module ids in every FTS row, no
    lesson numbers) is emptied and built again, and then answers as a new one does."""
    import sqlite3

    path = user_dirs["cache"] / "search.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE files (module_id TEXT PRIMARY KEY, title TEXT NOT NULL, stamp TEXT NOT NULL,"
        " first_row INTEGER, last_row INTEGER);"
        "CREATE VIRTUAL TABLE sections USING fts5(module_id UNINDEXED, section_id UNINDEXED,"
        " title, heading, keywords, body, guide);"
        "CREATE VIRTUAL TABLE lessons USING fts5(module_id UNINDEXED, title, headings, keywords,"
        " body, guide);"
        "INSERT INTO files VALUES ('kites', 'Stale', 'stamp', 1, 1);"
        "INSERT INTO sections VALUES ('kites', 'stale', 'Stale', '', '', 'tightly stale', '');"
        "INSERT INTO lessons VALUES ('kites', 'Stale', '', '', 'tightly stale', '');"
        "PRAGMA user_version = 8;")
    old.commit()
    old.close()
    index, _ = index_for(content, user_dirs)
    [hit] = index.search("tightly", as_you_type=False)
    assert (hit.module_id, hit.title, hit.section_id) == ("kites", "Flying kites", "strings")
    assert index.search("stale") == []
    assert index.connection().execute("PRAGMA user_version").fetchone()[0] > 8


@pytest.mark.parametrize("older", [True, False])
def test_the_schema_version_decides_whether_an_index_is_trusted(content, user_dirs, older):
    """An index whose rows are up to date by their stamps but were written under another schema
    version is built again, never read as it is. Positive control (older=False): the same
    planted word is found when the version is the current one, so the test can see a misread."""
    import sqlite3

    from edukit.core.search.index import SCHEMA_VERSION

    index, library = index_for(content, user_dirs)
    conn = index.connection()
    with conn:
        conn.execute("UPDATE lessons SET body = body || ' zebra' WHERE rowid = "
                     "(SELECT lesson FROM files WHERE module_id = 'kites')")
        conn.execute("UPDATE sections SET body = body || ' zebra' WHERE rowid = "
                     "(SELECT first_row FROM files WHERE module_id = 'kites')")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1 if older else SCHEMA_VERSION}")
    index.close()
    reopened = SearchIndex(user_dirs["cache"] / "search.sqlite3")
    assert reopened.refresh(library.modules) == (len(library.modules) if older else 0)
    found = [h.module_id for h in reopened.search("zebra", as_you_type=False)]
    assert found == ([] if older else ["kites"])
    assert sqlite3.connect(reopened.path).execute("PRAGMA user_version").fetchone()[0] == \
        SCHEMA_VERSION


STOPPED_BUILD = r"""
import os, sys
from pathlib import Path
from edukit.core import search
from edukit.core.library import Library

add = search.SearchIndex._add

def stopped(conn, found):
    conn.execute("PRAGMA cache_size=5")  # the build's pages spill into the file before it ends
    if sys.argv[2] == "stamps-first":  # control: a build that commits the lessons' stamps
        conn.executemany("INSERT INTO files VALUES (?, ?, ?, ?, 1, 1)",  # before their text
                         [(n, m.id, m.meta.title, stamp) for n, (m, stamp, _) in enumerate(found)])
        conn.commit()
    else:
        add(conn, found)
    os._exit(3)  # stopped before the end, as a crash or a power cut stops it

search.SearchIndex._add = staticmethod(stopped)
search.SearchIndex(Path(sys.argv[1])).refresh(Library.default().modules)
"""


@pytest.mark.parametrize("control", [False, True])
def test_a_first_build_stopped_half_way_is_built_again_not_trusted(tmp_path, user_dirs, control):
    """The first build writes the whole library in one transaction with a rollback journal: a
    build killed after most of its pages reached the file leaves a journal that undoes them,
    and the next start builds every lesson again and answers as a fresh index. Control: a
    build that commits the lessons' stamps before their text, stopped the same way, leaves an
    index that is trusted (nothing rebuilt) and answers wrongly, and this test sees it."""
    import subprocess
    import sys

    path = tmp_path / "search.sqlite3"
    child = subprocess.run([sys.executable, "-c", STOPPED_BUILD, str(path),
                            "stamps-first" if control else "whole"], check=False, timeout=120)
    assert child.returncode == 3
    assert Path(f"{path}-journal").exists() != control  # pages were written, then undone
    modules = Library.default().modules
    index = SearchIndex(path)
    rebuilt = index.refresh(modules)
    fresh = SearchIndex(tmp_path / "fresh.sqlite3")
    fresh.refresh(modules)
    same = all(hits_as_tuples(index.search(query, limit=50)) ==
               hits_as_tuples(fresh.search(query, limit=50))
               for query in ("sextortion", "trusted adult", "report", "screensh"))
    assert (rebuilt, same) == ((0, False) if control else (len(modules), True))
    assert index.connection().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def failing_half_way(kind: str, monkeypatch) -> type[Exception]:
    """Make the next build fail half way: reading lesson-07's text, or writing rows after half
    the lessons were written."""
    from edukit.core.search import index  # the module whose build looks index_rows up

    if kind == "reading":
        read = index.index_rows

        def index_rows(module):
            if module.id == "lesson-07":
                raise ValueError("cannot read lesson-07")
            return read(module)

        monkeypatch.setattr(index, "index_rows", index_rows)
        return ValueError
    add = index.SearchIndex._add

    def add_until_locked(conn, found):
        add(conn, found[:len(found) // 2])
        raise sqlite3.OperationalError("database is locked")  # another writer held it too long

    monkeypatch.setattr(index.SearchIndex, "_add", staticmethod(add_until_locked))
    return sqlite3.OperationalError


@pytest.mark.parametrize("build", ["first", "update"])
@pytest.mark.parametrize("kind", ["reading", "writing"])
def test_a_build_that_fails_half_way_changes_nothing_and_the_next_one_completes(
        many, user_dirs, tmp_path, monkeypatch, build, kind):
    """A lesson that cannot be read, or rows that cannot be written, stop the refresh with its
    error and leave the index as it was (empty, or the lessons before the edit): searching
    still works, from this thread and others, and the next refresh builds what is missing."""
    index = SearchIndex(user_dirs["cache"] / "search.sqlite3")
    library = Library.default(extra=[many])
    queries = ("kite", "string", "glue", "other words")
    before: dict[str, list] = {query: [] for query in queries}
    if build == "update":
        index.refresh(library.modules)
        before = {query: hits_as_tuples(index.search(query, limit=50)) for query in queries}
        for n in range(12):
            path = many / f"lesson-{n:02}" / "module.md"
            path.write_text(f"---\ntitle: Lesson {n}\n---\n## Changed\n\nNo k-word, glue {n}.\n")
            os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
        library.refresh()
    with monkeypatch.context() as faults:
        error = failing_half_way(kind, faults)
        with pytest.raises(error):
            index.refresh(library.modules)
    assert {query: hits_as_tuples(index.search(query, limit=50)) for query in queries} == before
    other = SearchIndex(index.path)  # a connection of its own, as another thread has
    assert {query: hits_as_tuples(other.search(query, limit=50)) for query in queries} == before
    other.close()
    assert index.refresh(library.modules) == (len(library.modules) if build == "first" else 12)
    fresh = SearchIndex(tmp_path / "fresh.sqlite3")
    fresh.refresh(library.modules)
    for query in queries:
        assert hits_as_tuples(index.search(query, limit=50)) == \
            hits_as_tuples(fresh.search(query, limit=50)), query
    assert index.connection().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
