"""Start-up: nothing the first paint does not need runs before it — the problem check, the search
index and the file watcher start once the lesson is drawn, and still do their work — and the
lesson paints from the last run's render unless that render is stale or damaged."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from edukit.core.library import Library
from edukit.gui import page_server
from edukit.gui.app import open_window
from edukit.gui.lesson_view import IS_PAINTED


def launch(qtbot, library, module):
    window = open_window(library, module)
    qtbot.addWidget(window)
    return window


def record_deferred_work(window, events: list[str]) -> None:
    """Note when each piece of deferred start-up work begins (each still runs as before)."""
    def noting(name, work):
        def run(*args, **kwargs):
            events.append(name)
            return work(*args, **kwargs)
        return run
    window.firstPainted.connect(lambda: events.append("painted"))
    indexer, check, watcher = window.search_box.indexer, window.problem_check, window.watcher
    indexer.start = noting("index", indexer.start)
    check.start = noting("check", check.start)
    watcher.start = noting("watch", watcher.start)


def test_the_check_index_and_watcher_start_after_the_first_paint_and_do_their_work(
        qtbot, js, fixture_content):
    window = launch(qtbot, Library.default(extra=[fixture_content]), "who-can-i-tell")
    events: list[str] = []
    record_deferred_work(window, events)
    with qtbot.waitSignal(window.problem_check.done, timeout=20000) as checked:
        qtbot.waitUntil(lambda: window.started, timeout=20000)
        assert js(window.page, IS_PAINTED) is True  # the page had drawn a frame by then
    assert events[0] == "painted"
    qtbot.waitUntil(lambda: {"index", "check", "watch"} <= set(events), timeout=10000)
    assert checked.args[0] == "who-can-i-tell"  # the check ran, on this lesson
    qtbot.waitUntil(lambda: window.search_box.indexer.done, timeout=30000)  # index built
    assert window.search_box.index.search("trusted adult")  # and searchable
    module = window.session.module
    assert str(module.path) in window.watcher.watcher.files()  # the file is watched


@pytest.fixture
def counted_renders(monkeypatch):
    """How many times the window rendered a bundled lesson itself (not from the cache)."""
    calls: list[str] = []

    def counting(module, view, ctx):
        calls.append(f"{module.id}/{view}")
        return real(module, view, ctx)
    real = page_server.render
    monkeypatch.setattr(page_server, "render", counting)
    return calls


def start_and_close(qtbot, js, library, module="who-can-i-tell") -> str:
    window = launch(qtbot, library, module)
    qtbot.waitUntil(lambda: window.started, timeout=20000)
    text = js(window.page, "document.body.innerText")
    window.close()
    return text


def test_the_second_start_paints_from_the_kept_render(qtbot, js, user_dirs, counted_renders):
    first = start_and_close(qtbot, js, Library.default())
    assert counted_renders == ["who-can-i-tell/lesson"]
    assert list((user_dirs["cache"] / "renders").glob("*.json"))
    second = start_and_close(qtbot, js, Library.default())
    assert counted_renders == ["who-can-i-tell/lesson"]  # not rendered again
    assert second == first and "trusted adult" in second


@pytest.mark.parametrize("damage", ["truncated", "forged text"])
def test_a_damaged_kept_render_is_ignored_and_rendered_afresh(
        qtbot, js, user_dirs, counted_renders, damage):
    start_and_close(qtbot, js, Library.default())
    [entry] = (user_dirs["cache"] / "renders").glob("*.json")
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    else:  # a number changed in the help box, the file otherwise whole
        data = json.loads(entry.read_text())
        data["rendered"]["html"] = data["rendered"]["html"].replace("0800 1111", "0800 0000")
        entry.write_text(json.dumps(data))
    text = start_and_close(qtbot, js, Library.default())
    assert counted_renders == ["who-can-i-tell/lesson"] * 2  # rendered again
    assert "0800 0000" not in text and "0800 1111" in text
    assert json.loads(entry.read_text())["key"]  # and kept whole again


@pytest.fixture
def parsed_yaml(user_dirs):
    """The app's kept YAML parses (edukit.core.yaml_cache), read afresh for each start."""
    from edukit.core import yaml_cache

    def start() -> None:
        yaml_cache.use(yaml_cache.ParsedYaml.default())
    yield start
    yaml_cache.use(None)


def start_and_close_as_the_app(qtbot, js, parsed_yaml, content) -> tuple[str, str]:
    """A start as `edukit --content CONTENT` makes it: the kept YAML parses read, then saved."""
    from edukit.core import yaml_cache

    parsed_yaml()
    window = launch(qtbot, Library.default(extra=[content]), "who-can-i-tell")
    qtbot.waitUntil(lambda: window.started, timeout=20000)
    text, title = js(window.page, "document.body.innerText"), window.windowTitle()
    window.close()
    yaml_cache.active().save()
    return text, title


@pytest.mark.parametrize("edit", ["a paragraph added", "the title, same size and stamps"])
def test_a_lesson_edited_since_its_render_was_kept_shows_the_edit(
        qtbot, js, user_dirs, tmp_path, parsed_yaml, edit):
    content = tmp_path / "content"
    shutil.copytree(Library.default().get("who-can-i-tell").folder,
                    content / "modules" / "who-can-i-tell")
    # a copy of the lesson: rendered in the worker
    text, title = start_and_close_as_the_app(qtbot, js, parsed_yaml, content)
    assert "Added after" not in text and title.startswith("Who can I tell?")
    assert list((user_dirs["cache"] / "renders").glob("*.json"))  # the worker's render, kept
    assert (user_dirs["cache"] / "parsed-yaml.json").is_file()  # and its front matter's parse
    lesson = content / "modules" / "who-can-i-tell" / "module.md"
    if edit == "a paragraph added":
        with lesson.open("a", encoding="utf-8") as f:
            f.write("\n## Added after the render was kept\n\nA new paragraph.\n")
        text, _ = start_and_close_as_the_app(qtbot, js, parsed_yaml, content)
        assert "Added after the render was kept" in text
        return
    before, source = lesson.stat(), lesson.read_text(encoding="utf-8")
    lesson.write_text(source.replace("title: Who can I tell?", "title: Who can I help?", 1),
                      encoding="utf-8")
    os.utime(lesson, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a copy keeping times
    assert lesson.stat().st_size == before.st_size
    text, title = start_and_close_as_the_app(qtbot, js, parsed_yaml, content)
    assert title.startswith("Who can I help?") and "Who can I help?" in text


def test_the_lesson_is_asked_for_before_the_panes_are_built_and_the_library_fills_after_paint(
        qtbot, monkeypatch):
    """The launch's order (issue 17): the lesson's page is on its way first, so Chromium starts
    its renderer while the search box, library, contents and menus are built; the library's
    items are made once the lesson is painted, and all of them then."""
    from edukit.gui import actions, lesson_view, library_pane, search_box, toc_pane

    events: list[str] = []

    def noting(cls, method, name):
        real = getattr(cls, method)

        def run(self, *args, **kwargs):
            events.append(name)
            return real(self, *args, **kwargs)
        monkeypatch.setattr(cls, method, run)
    noting(lesson_view.LessonView, "show_page", "page")
    noting(search_box.SearchBox, "__init__", "search box")
    noting(library_pane.LibraryPane, "__init__", "library")
    noting(toc_pane.TocPane, "__init__", "contents")
    noting(actions.ActionCollection, "build_menus", "menus")
    window = launch(qtbot, Library.default(), "who-can-i-tell")
    assert events[0] == "page" and {"search box", "library", "contents", "menus"} <= set(events)
    assert events.count("page") == 2  # the window's own show_page took over the load in flight
    assert window.lesson.loads == 1
    assert window.library_pane.tree.topLevelItemCount() == 0  # not yet: nothing is painted
    qtbot.waitUntil(lambda: window.started, timeout=20000)
    qtbot.waitUntil(lambda: not window.library_pane.waiting, timeout=5000)
    items = window.library_pane.module_items()
    assert len(items) == len(Library.default().modules)
    assert window.library_pane.tree.currentItem().data(0, library_pane.ID_ROLE) == "who-can-i-tell"


FIRST_PAINT_PROBE = """
import json, sys
from edukit.core import yaml_cache
parsed = yaml_cache.ParsedYaml.default()  # as edukit.gui.app.run_app
yaml_cache.use(parsed)
from edukit.core.library import Library
from edukit.gui.runtime import make_application
app = make_application(["edukit-test"])
# (a control's eager import goes here)
from edukit.gui.app import open_window
window = open_window(Library.default(), "who-can-i-tell")
seen = {}
def painted():
    seen["modules"] = sorted(sys.modules)
    window.close()
    app.quit()
window.firstPainted.connect(painted)
app.exec()
parsed.save()
print(json.dumps(seen))
"""
# What a start from the kept render does not need before the lesson is on screen: rendering
# (Python-Markdown, Pygments), the render worker and its protocol, the slide fitter, the
# validator, the Qt modules printing uses, PyYAML (the front matter, topics and helplines
# parsed on the last run are kept: edukit.core.yaml_cache) and the sanitiser (a kept render was
# sanitised when it was made). (The picture checker does load, on a pool thread: this lesson's
# picture is on its first screen.)
NOT_BEFORE_PAINT = ("markdown", "pygments", "yaml", "nh3", "edukit.core.sanitize",
                    "edukit.core.render", "edukit.core.validate",
                    "edukit.gui.render_worker", "edukit.core.render_service",
                    "edukit.core.slide_fit", "PySide6.QtPdf",
                    "PySide6.QtPdfWidgets", "edukit.gui.print_preview", "edukit.gui.pdf")
# Nor what the window builds or opens on first use (issue 17): the search index (its module and
# sqlite3: the build starts after the paint), the find bar (Ctrl+F), the start-up notice (only
# when there is one), the Markdown helpers the library needs for a file with no title, and
# every dialog, the presenter and the slide measurer.
ON_FIRST_USE = ("edukit.core.search", "sqlite3", "edukit.gui.find_bar",
                "edukit.gui.startup_notice", "edukit.core.markdown.blocks",
                "edukit.core.markdown.slides", "edukit.core.markdown.guard",
                "edukit.gui.presentation", "edukit.gui.measure", "edukit.gui.help_dialog",
                "edukit.gui.import_dialog", "edukit.gui.restore_dialog",
                "edukit.gui.publish_dialog", "edukit.gui.trust_dialog",
                "edukit.gui.settings_dialog")
# The search box as it was made before: its index opened with the window.
EAGER_SEARCH_INDEX = """
from edukit.gui import search_box
made = search_box.SearchBox.__init__
def eager(self, index=None, parent=None):
    from edukit.core.search import SearchIndex
    made(self, index or SearchIndex.default(), parent)
search_box.SearchBox.__init__ = eager
"""


def first_paint_modules(user_dirs, eager: str = "") -> set[str]:
    probe = FIRST_PAINT_PROBE.replace("# (a control's eager import goes here)", eager)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                         text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    return set(json.loads(out.stdout.strip().splitlines()[-1])["modules"])


def test_a_start_from_the_kept_render_loads_nothing_the_first_paint_does_not_need(user_dirs):
    first = first_paint_modules(user_dirs)  # renders the lesson and keeps the render
    assert {"edukit.core.render", "markdown", "yaml"} <= first  # the probe sees imports
    assert list((user_dirs["cache"] / "renders").glob("*.json"))
    again = first_paint_modules(user_dirs)
    assert "edukit.gui.lesson_view" in again
    assert sorted(again & set(NOT_BEFORE_PAINT)) == []
    assert sorted(again & set(ON_FIRST_USE)) == []
    # control: a window that opened its search index at once is caught
    eager = first_paint_modules(user_dirs, EAGER_SEARCH_INDEX)
    assert {"edukit.core.search", "sqlite3", "edukit.core.markdown.blocks"} <= eager


def source_mentions_pyside(module) -> bool:
    """PySide's own check (before edukit.gui.runtime replaced it): the source, via inspect."""
    import inspect

    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError):
        return False


def test_pysides_import_check_is_the_quick_one_and_answers_as_its_own(qapp):
    """Every import after PySide6 asks whether the module mentions PySide6; inspect made that
    ~0.1 s of the launch. The quick check is in place and gives PySide's answers."""
    import edukit.core.model
    import edukit.gui.lesson_view
    from edukit.gui import runtime

    feature = sys.modules["PySide6.support.feature"]
    assert feature._mod_uses_pyside is runtime.mentions_pyside
    modules = [edukit.gui.lesson_view, runtime, edukit.core.model, json, sys, subprocess,
               feature, *[m for name, m in sorted(sys.modules.items()) if name.startswith(
                   ("edukit.", "PySide6.", "shiboken6", "yaml", "email"))]]
    answers = {m.__name__: runtime.mentions_pyside(m) for m in modules}
    assert answers == {m.__name__: source_mentions_pyside(m) for m in modules}
    assert answers["edukit.gui.lesson_view"] and not answers["edukit.core.model"]
    assert not answers["sys"]  # built in: no source


def test_the_keyboard_works_the_moment_the_lesson_is_drawn(qtbot, user_dirs):
    """Nothing the keyboard needs waits for after the first paint: by the time the lesson is
    drawn, Tab from the library goes into the lesson, Ctrl+K goes to the search box, and Esc
    there clears the search. Chromium's widget gets the window's mouse and wheel filter just
    after the paint, not before it: PySide wraps that widget only after making every Qt class
    it had left for later (~20 ms the lesson need not wait for)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window = launch(qtbot, Library.default(), "who-can-i-tell")
    seen: dict[str, bool] = {}

    def painted() -> None:
        seen["filtered"] = window.filtered_proxy is not None
    window.firstPainted.connect(painted)
    qtbot.waitUntil(lambda: window.started, timeout=20000)
    assert seen == {"filtered": False}  # not while the lesson waited to be drawn
    qtbot.waitUntil(lambda: window.filtered_proxy is not None, timeout=5000)
    assert window.filtered_proxy is window.view.focusProxy()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.library_pane.tree.setFocus()
    qtbot.keyClick(window.library_pane.tree, Qt.Key.Key_Tab)  # (the library is not filled yet)
    qtbot.waitUntil(lambda: window.view.isAncestorOf(QApplication.focusWidget()), timeout=3000)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_K,
                   Qt.KeyboardModifier.ControlModifier)
    edit = window.search_box.edit
    qtbot.waitUntil(edit.hasFocus, timeout=3000)
    qtbot.keyClicks(edit, "trusted")
    assert edit.text() == "trusted"
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert edit.text() == ""
