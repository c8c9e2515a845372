"""Close and reopen: the same module, section, view, zoom, theme, window size, panes and filters."""
from __future__ import annotations

import json

import pytest

from edukit.core.library import Library
from edukit.gui.window_state import open_viewer

TOP_OF = "Math.round(document.getElementById(%r).getBoundingClientRect().top)"


def launch(qtbot, fixture_content, module=None):
    window = open_viewer(Library.default(extra=[fixture_content]), module)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.started, timeout=20000)  # the first page has loaded
    qtbot.waitUntil(lambda: not window.library_pane.waiting, timeout=5000)  # and then the library
    return window


def test_reopening_lands_where_the_reader_left(qtbot, js, fixture_content, user_dirs):
    window = launch(qtbot, fixture_content, "who-can-i-tell")
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.session.open("sextortion")
    window.session.go_to_section("where-to-get-help")
    window.actions["view.zoom_in"].trigger()
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.actions["view.theme_dark"].trigger()
    window.library_pane.set_filters({"audience": "pupils", "ages": "14-16"})
    window.actions["view.contents"].trigger()  # hide the contents pane
    window.resize(760, 560)  # inside the offscreen screen (800x600)
    window.close()
    saved = json.loads((user_dirs["config"] / "ui-state.json").read_text())
    assert saved["last_module"] == "sextortion" and saved["schema_version"] == 2
    assert saved["recent"][:2] == ["sextortion", "who-can-i-tell"]

    again = launch(qtbot, fixture_content)  # plain `edukit`: no module named
    session = again.session
    assert (session.module.id, session.section) == ("sextortion", "where-to-get-help")
    qtbot.waitUntil(lambda: abs(js(again.page, TOP_OF % "where-to-get-help")) <= 2, timeout=5000)
    assert again.view.zoomFactor() == pytest.approx(1.1)
    assert session.theme == "dark" and "theme-dark" in js(again.page, "document.body.className")
    assert again.actions["view.theme_dark"].isChecked()
    assert again.library_pane.filters() == {"audience": "pupils", "ages": "14-16"}
    assert not again.actions["view.contents"].isChecked() and not again.toc_pane.isVisible()
    assert (again.width(), again.height()) == (760, 560)
    recent = again.findChild(type(again.menus["&File"]), "recent-menu")
    recent.aboutToShow.emit()
    titles = [a.text() for a in recent.actions()]
    assert titles[:2] == ["Sextortion: spot it, stop it, get help", "Who can I tell?"]
    with qtbot.waitSignal(again.page.loadFinished, timeout=20000):
        recent.actions()[1].trigger()
    assert session.module.id == "who-can-i-tell"


def test_a_corrupt_state_file_is_set_aside_and_the_app_still_opens(qtbot, fixture_content, user_dirs):
    (user_dirs["config"] / "ui-state.json").write_text("{not json")
    with pytest.warns(UserWarning, match="unreadable"):
        window = launch(qtbot, fixture_content)
    assert window.session.module is not None
    assert list(user_dirs["config"].glob("ui-state.json.corrupt-*"))
    assert window.library_pane.tree.topLevelItemCount() > 0
    assert window.actions["view.library"].isChecked()
