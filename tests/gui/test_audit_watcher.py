"""The open lesson's file vanishing or turning bad on disk never takes the window down."""
from __future__ import annotations

import shutil

import pytest

LESSON = "---\ntitle: Loose file\n---\n# Loose file\n\nStill readable.\n"


@pytest.fixture
def loose_window(window_on_file, tmp_path):
    """A window opened on a single Markdown file given by path (`edukit open PATH`)."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    path = folder / "loose.md"
    path.write_text(LESSON)
    return (path, *window_on_file(path))


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
