"""The main window shows the library and a rendered lesson; the guide view adds teacher notes."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.main_window import MainWindow
from edukit.gui.session import Session

HILL = School(name="Hill Primary")


def body_text(js, window) -> str:
    return js(window.page, "document.body.innerText")


def searching(qtbot, lesson_window, root):
    """A window on who-can-i-tell whose search index is built: (session, window, search box)."""
    session, window = lesson_window(root, "who-can-i-tell", HILL)
    qtbot.waitUntil(lambda: window.search_box.indexer.done, timeout=10000)
    return session, window, window.search_box


def test_library_pane_lists_bundled_and_extra_modules_by_group(qtbot, js, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "sample-lesson", HILL)
    pane = window.library_pane.tree
    groups = [pane.topLevelItem(i).text(0) for i in range(pane.topLevelItemCount())]
    assert "Pupils, ages 8-11" in groups and "Staff" in groups and "Parents and carers" in groups
    titles = [pane.topLevelItem(i).child(j).text(0) for i in range(pane.topLevelItemCount())
              for j in range(pane.topLevelItem(i).childCount())]
    assert any(t.startswith("Sample lesson") for t in titles)
    assert len(titles) >= 15


def test_lesson_view_renders_the_module_with_styles_and_without_teacher_notes(qtbot, js, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "sample-lesson", HILL)
    text = body_text(js, window)
    assert "Who can I tell?" in text and "Hill Primary" in text
    assert "NOTES-SECRET" not in text and "SAFEGUARDING-SECRET" not in text
    font = js(window.page, "getComputedStyle(document.body).fontFamily")
    assert "Segoe UI" in font  # base.css came through the edukit: scheme


def test_teacher_guide_action_shows_notes_and_safeguarding(qtbot, js, fixture_content, lesson_window):
    session, window = lesson_window(fixture_content, "sample-lesson", HILL)
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.actions["view.guide"].trigger()
    assert session.view == "guide"
    text = body_text(js, window)
    assert "NOTES-SECRET" in text and "SAFEGUARDING-SECRET" in text
    assert text.index("SAFEGUARDING-SECRET") < text.index("Ground rules")


def test_clicking_a_module_in_the_library_opens_it(qtbot, js, fixture_content, lesson_window):
    session, window = lesson_window(fixture_content, "sample-lesson", HILL)
    pane = window.library_pane.tree
    item = next(pane.topLevelItem(i).child(j) for i in range(pane.topLevelItemCount())
                for j in range(pane.topLevelItem(i).childCount())
                if pane.topLevelItem(i).child(j).data(0, Qt.ItemDataRole.UserRole) == "who-can-i-tell")
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        pane.itemClicked.emit(item, 0)
    assert session.module.id == "who-can-i-tell"
    assert "Who can I tell?" in window.windowTitle()


def test_a_module_with_errors_opens_with_a_problem_banner(qtbot, js, tmp_path, lesson_window):
    (tmp_path / "broken.md").write_text("---\ntitle: Broken\naudience: robots\n---\n# Broken\n\nStill readable.\n")
    _, window = lesson_window(tmp_path, "broken")
    assert window.banner.isVisible()
    assert "unknown audience 'robots'" in window.banner.text()
    assert "Still readable." in body_text(js, window)


def test_external_link_is_not_followed_inside_the_app(qtbot, js, tmp_path, monkeypatch):
    (tmp_path / "links.md").write_text("---\ntitle: Links\n---\n# Links\n\n[Web](https://example.org/page)\n")
    session = Session(Library.default(extra=[tmp_path]), School())
    window = MainWindow(session)
    qtbot.addWidget(window)
    asked = []
    monkeypatch.setattr(window, "confirm_external_link", asked.append)
    window.page.externalLinkClicked.disconnect()
    window.page.externalLinkClicked.connect(window.confirm_external_link)
    window.show()
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        session.open("links")
    before = window.page.url().toString()
    js(window.page, "document.querySelector('a.external').click(); true")
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0].toString() == "https://example.org/page"
    assert window.page.url().toString() == before


# contents, history, search, find, zoom, themes, filters, reload

SCROLL_Y = "Math.round(window.scrollY)"
TOP_OF = "Math.round(document.getElementById(%r).getBoundingClientRect().top)"


def toc_item(window, section_id):
    return next(i for i in window.toc_pane.items() if i.data(0, Qt.ItemDataRole.UserRole) == section_id)


def test_contents_pane_lists_the_sections_and_clicking_one_jumps_there(qtbot, js, fixture_content, lesson_window):
    session, window = lesson_window(fixture_content, "who-can-i-tell", HILL)
    titles = [i.text(0) for i in window.toc_pane.items()]
    assert titles[:3] == ["Who can I tell?", "Our ground rules", "What we will learn today"]
    assert js(window.page, SCROLL_Y) == 0
    window.toc_pane.itemClicked.emit(toc_item(window, "help-outside-school"), 0)
    qtbot.waitUntil(lambda: abs(js(window.page, TOP_OF % "help-outside-school")) <= 2, timeout=5000)
    assert js(window.page, SCROLL_Y) > 500
    assert session.section == "help-outside-school"


def test_contents_pane_follows_the_reading_position(qtbot, js, fixture_content, lesson_window):
    session, window = lesson_window(fixture_content, "who-can-i-tell", HILL)
    js(window.page, "document.getElementById('meet-leo').scrollIntoView(); true")
    qtbot.waitUntil(lambda: session.section == "meet-leo", timeout=5000)
    assert window.toc_pane.currentItem().text(0) == "Meet Leo"


def test_back_and_forward_move_across_modules_and_sections(qtbot, js, fixture_content, lesson_window):
    session, window = lesson_window(fixture_content, "who-can-i-tell", HILL)
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        session.open("sextortion")
    session.go_to_section("where-to-get-help")
    qtbot.waitUntil(lambda: abs(js(window.page, TOP_OF % "where-to-get-help")) <= 2, timeout=5000)
    back, forward = window.actions["go.back"], window.actions["go.forward"]
    assert back.isEnabled() and not forward.isEnabled()
    back.trigger()  # to the top of the same module: no reload
    qtbot.waitUntil(lambda: js(window.page, SCROLL_Y) == 0, timeout=5000)
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        back.trigger()
    assert session.module.id == "who-can-i-tell" and not back.isEnabled()
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        forward.trigger()
    forward.trigger()
    assert (session.module.id, session.section) == ("sextortion", "where-to-get-help")
    qtbot.waitUntil(lambda: abs(js(window.page, TOP_OF % "where-to-get-help")) <= 2, timeout=5000)


def test_the_mouse_back_button_goes_back(qtbot, js, fixture_content, lesson_window):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    session, window = lesson_window(fixture_content, "who-can-i-tell", HILL)
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        session.open("sextortion")
    target = window.view.focusProxy()
    for kind in (QMouseEvent.Type.MouseButtonPress, QMouseEvent.Type.MouseButtonRelease):
        event = QMouseEvent(kind, QPointF(50, 50), QPointF(50, 50), Qt.MouseButton.BackButton,
                            Qt.MouseButton.BackButton if kind == QMouseEvent.Type.MouseButtonPress
                            else Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(target, event)
    qtbot.waitUntil(lambda: "Who can I tell?" in body_text(js, window), timeout=10000)
    assert session.module.id == "who-can-i-tell"


def test_search_updates_as_you_type_and_enter_opens_the_section_with_words_marked(qtbot, js, fixture_content, lesson_window):
    session, window, box = searching(qtbot, lesson_window, fixture_content)
    window.actions["go.search"].trigger()
    qtbot.keyClicks(box.edit, "sexto")
    assert box.results.isVisible() and not window.library_pane.isVisible()
    first = box.hits[0]
    assert first.module_id.startswith("sextortion") and first.highlights  # KS4 or KS3 lesson
    with qtbot.waitSignal(window.lesson.highlighted, timeout=20000) as marked:
        qtbot.keyClick(box.edit, Qt.Key.Key_Return)
    assert session.module.id == first.module_id and session.section == first.section_id
    assert marked.args[0] > 0
    assert js(window.page, "document.querySelectorAll('mark.search-hit').length") == marked.args[0]
    assert js(window.page, "document.querySelector('mark.search-hit').textContent.toLowerCase()") \
        .startswith("sexto")


def test_find_in_page_counts_matches_and_steps_through_them(qtbot, js, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "who-can-i-tell", HILL)
    window.actions["edit.find"].trigger()
    bar = window.find_bar
    assert bar.isVisible()
    qtbot.keyClicks(bar.edit, "trusted")
    qtbot.waitUntil(lambda: bar.count.text().startswith("1 of "), timeout=5000)
    total = int(bar.count.text().split(" of ")[1])
    assert total > 3
    window.actions["edit.find_next"].trigger()
    qtbot.waitUntil(lambda: bar.count.text() == f"2 of {total}", timeout=5000)
    window.actions["edit.find_previous"].trigger()
    qtbot.waitUntil(lambda: bar.count.text() == f"1 of {total}", timeout=5000)
    bar.edit.setText("zzqqxx")
    qtbot.waitUntil(lambda: bar.count.text() == "not found", timeout=5000)


def test_zoom_steps_and_resets(qtbot, js, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "sample-lesson", HILL)
    window.actions["view.zoom_in"].trigger()
    window.actions["view.zoom_in"].trigger()
    assert window.view.zoomFactor() == pytest.approx(1.25)
    window.actions["view.zoom_out"].trigger()
    assert window.view.zoomFactor() == pytest.approx(1.1)
    window.actions["view.zoom_reset"].trigger()
    assert window.view.zoomFactor() == pytest.approx(1.0)


def test_dark_and_high_contrast_themes_restyle_the_lesson(qtbot, js, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "sample-lesson", HILL)
    light = js(window.page, "getComputedStyle(document.body).color")
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.actions["view.theme_dark"].trigger()
    dark = js(window.page, "getComputedStyle(document.body).color")
    assert "theme-dark" in js(window.page, "document.body.className") and dark != light
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.actions["view.theme_contrast"].trigger()
    assert "theme-contrast" in js(window.page, "document.body.className")
    assert not window.actions["view.theme_dark"].isChecked()


def test_library_filters_by_audience_age_band_and_topic(qtbot, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "sample-lesson", HILL)
    pane = window.library_pane

    def shown():
        return {i.data(0, Qt.ItemDataRole.UserRole) for i in pane.module_items()}
    everything = shown()
    pane.set_filters({"audience": "staff"})
    assert shown() and all(window.session.find(m).meta.audience == "staff" for m in shown())
    pane.set_filters({"ages": "14-16"})
    assert "sextortion" in shown() and "who-can-i-tell" not in shown()
    pane.set_filters({"topic": "sextortion", "audience": "pupils"})
    assert shown() == {m for m in everything if "sextortion" in window.session.find(m).meta.topics
                       and window.session.find(m).meta.audience == "pupils"}
    pane.set_filters({})
    assert shown() == everything


def test_library_marks_review_due_and_user_copies(qtbot, fixture_content, user_dirs, lesson_window):
    folder = user_dirs["data"] / "modules" / "who-can-i-tell"
    folder.mkdir(parents=True)
    (folder / "module.md").write_text("---\ntitle: Who can I tell? (our version)\naudience: pupils\n"
                                      "ages: \"8-11\"\nreviewed: 2020-01-01\n---\n# Ours\n\nText.\n")
    _, window = lesson_window(fixture_content, "sample-lesson", HILL)
    item = next(i for i in window.library_pane.module_items()
                if i.data(0, Qt.ItemDataRole.UserRole) == "who-can-i-tell")
    assert "review due" in item.text(0) and "your copy" in item.text(0)
    sample = next(i for i in window.library_pane.module_items()
                  if i.data(0, Qt.ItemDataRole.UserRole) == "sample-lesson")
    assert "review due" not in sample.text(0) and "45 min" in sample.text(0)


def test_a_module_edited_on_disk_reloads_where_the_reader_was(qtbot, js, tmp_path, lesson_window):
    path = tmp_path / "edited.md"
    path.write_text("---\ntitle: Edited\n---\n# Edited\n\nFirst version.\n\n## Later\n\nEnd.\n")
    _, window = lesson_window(tmp_path, "edited")
    qtbot.waitUntil(lambda: window.started and bool(window.watcher.watcher.files()), timeout=5000)
    with qtbot.waitSignal(window.page.loadFinished, timeout=10000):
        path.write_text("---\ntitle: Edited\n---\n# Edited\n\nSecond version.\n\n## Later\n\nEnd.\n")
    assert "Second version." in body_text(js, window)


def test_body_problems_found_by_the_full_check_reach_the_banner_after_the_page(qtbot, js, tmp_path, lesson_window):
    (tmp_path / "odd.md").write_text("---\ntitle: Odd\n---\n# Odd\n\nHello {{ school.nonsense }}.\n")
    _, window = lesson_window(tmp_path, "odd")
    qtbot.waitUntil(window.banner.isVisible, timeout=10000)  # checked off the UI thread
    assert "nonsense" in window.banner.text()
    assert "Hello" in body_text(js, window)


def test_search_results_are_as_tall_as_their_text_at_the_list_width(qtbot, fixture_content, lesson_window):
    """Each result wraps at the list's width with no empty lines under it, and refits when the
    library pane is made wider."""
    _, window, box = searching(qtbot, lesson_window, fixture_content)
    qtbot.keyClicks(box.edit, "grooming")
    assert box.results.count() >= 5

    def slack() -> list[int]:
        width = box.results.viewport().width()
        rows = [box.results.item(n) for n in range(box.results.count())]
        return [box.results.visualItemRect(item).height() - box.results.itemWidget(item).heightForWidth(width)
                for item in rows]
    qtbot.waitUntil(lambda: all(abs(s) <= 1 for s in slack()), timeout=5000)
    narrow = box.results.viewport().width()
    window.splitter.setSizes([narrow + 250, 600, 200])
    qtbot.waitUntil(lambda: box.results.viewport().width() > narrow + 100, timeout=5000)
    qtbot.waitUntil(lambda: all(abs(s) <= 1 for s in slack()), timeout=5000)


def test_a_result_found_only_in_teacher_notes_opens_the_teacher_guide_with_words_marked(
        qtbot, js, fixture_content, lesson_window):
    session, window, box = searching(qtbot, lesson_window, fixture_content)
    qtbot.keyClicks(box.edit, "notes-secret ")
    first = box.hits[0]
    assert (first.module_id, first.view) == ("sample-lesson", "guide")
    with qtbot.waitSignal(window.lesson.highlighted, timeout=20000) as marked:
        qtbot.keyClick(box.edit, Qt.Key.Key_Return)
    assert session.module.id == "sample-lesson" and session.view == "guide"
    assert window.actions["view.guide"].isChecked()
    assert marked.args[0] > 0
    assert "NOTES-SECRET" in js(window.page, "document.body.innerText")
    # The guide shows the lesson text too: a lesson-text result keeps the reader in it.
    box.edit.clear()
    qtbot.keyClicks(box.edit, "sexto")
    top = box.hits[0].module_id
    with qtbot.waitSignal(window.lesson.highlighted, timeout=20000) as marked:
        qtbot.keyClick(box.edit, Qt.Key.Key_Return)
    assert top.startswith("sextortion")
    assert (session.module.id, session.view, marked.args[0] > 0) == (top, "guide", True)


def test_search_works_when_the_cache_folder_cannot_hold_the_index(
        qtbot, fixture_content, lesson_window, monkeypatch, tmp_path):
    cache = tmp_path / "cache-is-a-file"
    cache.write_text("x")
    monkeypatch.setenv("EDUKIT_CACHE_DIR", str(cache))
    *_, box = searching(qtbot, lesson_window, fixture_content)  # not "Preparing…" for ever
    qtbot.keyClicks(box.edit, "childline")
    assert box.hits and box.index.in_memory
    assert box.status.isVisibleTo(box) and "without a saved index" in box.status.text()


def test_search_rebuilds_an_index_deleted_while_the_app_runs(
        qtbot, fixture_content, lesson_window, user_dirs):
    import shutil

    *_, box = searching(qtbot, lesson_window, fixture_content)
    qtbot.keyClicks(box.edit, "childline")
    found = [h.module_id for h in box.hits]
    assert found
    box.edit.clear()
    shutil.rmtree(user_dirs["cache"])  # a clean-up tool empties the cache folder
    qtbot.keyClicks(box.edit, "childline")
    assert box.hits == [] and box.status.text() == "Preparing the search index…"
    qtbot.waitUntil(lambda: [h.module_id for h in box.hits] == found, timeout=10000)
    assert not box.index.in_memory and not box.status.isVisibleTo(box)


def test_right_to_left_paragraphs_run_from_the_right(qtbot, js, tmp_path, lesson_window):
    (tmp_path / "rtl.md").write_text(
        "---\ntitle: Languages\n---\n# Languages\n\nتحدث إلى شخص بالغ تثق به.\n\n"
        "Talk to a trusted adult.\n", encoding="utf-8")
    _, window = lesson_window(tmp_path, "rtl")
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: js(window.page, "document.querySelector('p').clientWidth") > 500, timeout=5000)
    gaps = js(window.page, """JSON.stringify([...document.querySelectorAll('main p, .page p')]
      .filter(p => p.textContent.trim()).map(p => {
        const r = document.createRange(); r.selectNodeContents(p);
        const text = r.getBoundingClientRect(), box = p.getBoundingClientRect();
        return [Math.round(text.left - box.left), Math.round(box.right - text.right)];
      }))""")
    import json

    (arabic_left, arabic_right), (english_left, english_right) = json.loads(gaps)[-2:]
    assert arabic_right <= 1 and arabic_left > 100  # against the right edge
    assert english_left <= 1 and english_right > 100  # the control: English stays on the left


def test_a_lesson_without_a_summary_shows_its_topics_or_file_under_its_title(qtbot, tmp_path, lesson_window):
    from edukit.gui.library_pane import SUMMARY_ROLE

    (tmp_path / "bare.md").write_text("---\ntitle: Bare lesson\n---\n# Bare lesson\n\nText.\n")
    (tmp_path / "topical.md").write_text("---\ntitle: Topical\ntopics: [grooming, reporting]\n---\n"
                                         "# Topical\n\nText.\n")
    _, window = lesson_window(tmp_path, "bare")
    lines = {item.text(0).split("  ·  ")[0]: item.data(0, SUMMARY_ROLE)
             for item in window.library_pane.module_items()}
    assert lines["Bare lesson"] == "bare.md" and lines["Topical"] == "grooming · reporting"
    assert lines["Who can I tell?"].startswith("Pupils identify the trusted adults")  # summaries stay


def test_the_search_index_is_built_off_the_ui_thread(qtbot, fixture_content, lesson_window,
                                                     monkeypatch):
    """Building the index of 1,000 lessons takes seconds: never on the thread that paints."""
    import threading

    from edukit.core.search import SearchIndex

    threads = []
    refresh = SearchIndex.refresh

    def recording(self, modules):
        threads.append(threading.current_thread())
        return refresh(self, modules)
    monkeypatch.setattr(SearchIndex, "refresh", recording)
    *_, box = searching(qtbot, lesson_window, fixture_content)
    assert threads and threading.main_thread() not in threads
    qtbot.keyClicks(box.edit, "childline")
    assert box.hits
