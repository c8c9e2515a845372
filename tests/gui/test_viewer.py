"""The main window shows the library and a rendered lesson; the guide view adds teacher notes."""
from __future__ import annotations

from PySide6.QtCore import Qt

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.main_window import MainWindow
from edukit.gui.session import Session


def open_window(qtbot, fixture_content, module_id="sample-lesson"):
    session = Session(Library.default(extra=[fixture_content]), School(name="Hill Primary"))
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        session.open(module_id)
    return session, window


def body_text(js, window) -> str:
    return js(window.page, "document.body.innerText")


def test_library_pane_lists_bundled_and_extra_modules_by_group(qtbot, js, fixture_content):
    _, window = open_window(qtbot, fixture_content)
    pane = window.library_pane.tree
    groups = [pane.topLevelItem(i).text(0) for i in range(pane.topLevelItemCount())]
    assert "Pupils, ages 8-11" in groups and "Staff" in groups and "Parents and carers" in groups
    titles = [pane.topLevelItem(i).child(j).text(0) for i in range(pane.topLevelItemCount())
              for j in range(pane.topLevelItem(i).childCount())]
    assert any(t.startswith("Sample lesson") for t in titles)
    assert len(titles) >= 15


def test_lesson_view_renders_the_module_with_styles_and_without_teacher_notes(qtbot, js, fixture_content):
    _, window = open_window(qtbot, fixture_content)
    text = body_text(js, window)
    assert "Who can I tell?" in text and "Hill Primary" in text
    assert "NOTES-SECRET" not in text and "SAFEGUARDING-SECRET" not in text
    font = js(window.page, "getComputedStyle(document.body).fontFamily")
    assert "Segoe UI" in font  # base.css came through the edukit: scheme


def test_teacher_guide_action_shows_notes_and_safeguarding(qtbot, js, fixture_content):
    session, window = open_window(qtbot, fixture_content)
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.actions["view.guide"].trigger()
    assert session.view == "guide"
    text = body_text(js, window)
    assert "NOTES-SECRET" in text and "SAFEGUARDING-SECRET" in text
    assert text.index("SAFEGUARDING-SECRET") < text.index("Ground rules")


def test_clicking_a_module_in_the_library_opens_it(qtbot, js, fixture_content):
    session, window = open_window(qtbot, fixture_content)
    pane = window.library_pane.tree
    item = next(pane.topLevelItem(i).child(j) for i in range(pane.topLevelItemCount())
                for j in range(pane.topLevelItem(i).childCount())
                if pane.topLevelItem(i).child(j).data(0, Qt.ItemDataRole.UserRole) == "who-can-i-tell")
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        pane.itemClicked.emit(item, 0)
    assert session.module.id == "who-can-i-tell"
    assert "Who can I tell?" in window.windowTitle()


def test_a_module_with_errors_opens_with_a_problem_banner(qtbot, js, tmp_path):
    (tmp_path / "broken.md").write_text("---\ntitle: Broken\naudience: robots\n---\n# Broken\n\nStill readable.\n")
    session = Session(Library.default(extra=[tmp_path]), School())
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        session.open("broken")
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
