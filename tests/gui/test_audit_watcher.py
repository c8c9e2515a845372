"""The open lesson's file vanishing or turning bad on disk never takes the window down."""
from __future__ import annotations

import shutil

import pytest

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.main_window import MainWindow
from edukit.gui.session import Session

LESSON = "---\ntitle: Loose file\n---\n# Loose file\n\nStill readable.\n"


@pytest.fixture
def loose_window(qtbot, tmp_path):
    """A window opened on a single Markdown file given by path (`edukit open PATH`)."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    path = folder / "loose.md"
    path.write_text(LESSON)
    session = Session(Library.default(), School())
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        session.open(str(path))
    qtbot.waitUntil(lambda: window.started, timeout=10000)
    return path, session, window


@pytest.mark.parametrize("how", ["deleted", "folder deleted", "made a folder"])
def test_the_open_file_going_away_keeps_the_window_and_the_lesson(qtbot, loose_window, how):
    path, session, window = loose_window
    if how == "deleted":
        path.unlink()
    elif how == "folder deleted":
        shutil.rmtree(path.parent)
    else:
        path.unlink()
        path.mkdir()
    with qtbot.waitSignal(window.watcher.reloaded, timeout=10000):
        window.watcher.reload()  # as when the file watcher fires, or the app regains focus
    assert session.module is not None and session.module.meta.title == "Loose file"
    assert window.isVisible()


def test_the_open_file_coming_back_is_reloaded_positive_control(qtbot, loose_window):
    path, session, window = loose_window
    path.write_text(LESSON.replace("Loose file", "Loose file, edited"))
    with qtbot.waitSignal(window.watcher.reloaded, timeout=10000):
        window.watcher.reload()
    assert session.module.meta.title == "Loose file, edited"
