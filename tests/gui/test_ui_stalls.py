"""The UI thread never waits on content (issue 10, class 4): a picture read by the scheme
handler, a lesson re-read after it changed on disk and a show of a lesson rendered in the
worker all happen while the window keeps answering.

A heartbeat (a 10 ms QTimer on the UI thread) measures the longest gap between its ticks while
the app does the work with a deliberately slow disk (each read sleeps SLOW seconds). No test
compares a gap with a tight wall-clock limit: each has a positive control that does the same
slow read on the UI thread and shows the heartbeat stalls for about SLOW, and the real path
must stall for less than half of that (a loaded 2-core machine adds tens of milliseconds)."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Self

import pytest
from pictures import png
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from edukit.core import library as library_module
from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.serving import read_module_file
from edukit.gui.render_worker import RenderWorker
from edukit.gui.session import Session
from edukit.gui.webview import module_url

SLOW = 1.0  # seconds each slowed read takes


class Heartbeat:
    """The longest gap (seconds) between ticks of a 10 ms timer on the UI thread."""

    def __init__(self):
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self.tick)
        self.clock = QElapsedTimer()
        self.worst = 0.0

    def tick(self) -> None:
        self.worst = max(self.worst, self.clock.restart() / 1000)

    def __enter__(self) -> Self:
        self.clock.start()
        self.timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.tick()
        self.timer.stop()


def slow_read(folder: Path | None, rel: str):
    time.sleep(SLOW)  # a network share, a sleeping disk
    return read_module_file(folder, rel)




@pytest.fixture
def picture_lesson(tmp_path):
    folder = tmp_path / "root" / "pics"
    folder.mkdir(parents=True)
    (folder / "module.md").write_text("---\ntitle: Pics\n---\n# Pics\n\n![a picture](pic.png)\n")
    (folder / "pic.png").write_bytes(png())
    return tmp_path / "root"


def load_picture_page(qtbot, js, locked_page, root, on_ui_thread: bool) -> float:
    """Load the lesson's page with a slow disk under the heartbeat; the worst gap."""
    session = Session(Library.default(extra=[root]), School())
    page, profile = locked_page(session)
    handler = profile.edukit_handler
    handler.read_file = slow_read
    if on_ui_thread:  # the control: the read done where requestStarted runs
        handler.read_in_pool = lambda job, folder, rel: handler.answer_file(
            handler.keep(job), slow_read(folder, rel))
    with Heartbeat() as beat:
        page.load(module_url("pics", "lesson"))
        qtbot.waitUntil(lambda: js(page, "document.images[0]?.naturalWidth") == 1, timeout=20000)
    print(f"picture read {'on' if on_ui_thread else 'off'} the UI thread: longest gap "
          f"{beat.worst:.3f} s")
    return beat.worst


def test_a_slow_picture_read_does_not_stall_the_window(qtbot, js, locked_page, picture_lesson):
    assert load_picture_page(qtbot, js, locked_page, picture_lesson, False) < SLOW / 2


def test_positive_control_the_heartbeat_catches_a_picture_read_on_the_ui_thread(
        qtbot, js, locked_page, picture_lesson):
    assert load_picture_page(qtbot, js, locked_page, picture_lesson, True) >= 0.8 * SLOW


@pytest.fixture
def edited_file(window_on_file, tmp_path, monkeypatch):
    """A window on a lesson opened by path, and a slow disk for reading lessons."""
    path = tmp_path / "edited.md"
    path.write_text("---\ntitle: First\n---\n# First\n\nText.\n")
    session, window = window_on_file(path)
    real = library_module.load_module

    def slow_load(*args, **kwargs):
        time.sleep(SLOW)
        return real(*args, **kwargs)
    monkeypatch.setattr(library_module, "load_module", slow_load)
    path.write_text("---\ntitle: Second\n---\n# Second\n\nText, edited.\n")
    return session, window


def test_a_lesson_changed_on_disk_is_read_off_the_ui_thread(qtbot, edited_file):
    session, window = edited_file
    with Heartbeat() as beat, qtbot.waitSignal(window.watcher.reloaded, timeout=20000):
        window.watcher.reload()  # as when the file watcher fires, or the app regains focus
    assert session.module.meta.title == "Second"
    print(f"reload off the UI thread: longest gap {beat.worst:.3f} s")
    assert beat.worst < SLOW / 2


def test_positive_control_the_heartbeat_catches_a_reload_on_the_ui_thread(qtbot, edited_file):
    session, _ = edited_file
    with Heartbeat() as beat:
        QTimer.singleShot(0, session.reload)  # what the watcher did before: read right here
        qtbot.waitUntil(lambda: session.module.meta.title == "Second", timeout=20000)
    print(f"reload on the UI thread: longest gap {beat.worst:.3f} s")
    assert beat.worst >= 0.8 * SLOW


def test_a_show_of_a_lesson_from_outside_never_waits_for_the_renderer(
        qtbot, tmp_path, lesson_window, monkeypatch):
    """F5 on a lesson rendered in the worker, moving through the slides and ending the show:
    nothing on the way blocks on the worker (RenderWorker.wait), whose renders may take up to
    its time limit."""
    (tmp_path / "deck.md").write_text("---\ntitle: Deck\n---\n# Deck\n\n"
                                      + "".join(f"## Slide {i}\n\nText {i}.\n\n" for i in range(5)))
    session, window = lesson_window(tmp_path, "deck")
    waits: list[int] = []
    monkeypatch.setattr(RenderWorker, "wait", lambda self, ticket: waits.append(ticket))
    window.actions["present.start"].trigger()
    qtbot.waitUntil(lambda: window.presentation is not None, timeout=20000)
    show = window.presentation
    for index in (1, 2, 9, 0):
        show.session.set_slide(index, len(show.deck))
    session.set_slide(3)  # without a count: the slides at hand, never a wait
    assert session.slide == 3
    with qtbot.waitSignal(show.ended, timeout=5000):
        show.end()
    assert waits == []


def test_positive_control_rendered_waits_for_the_worker(qtbot, tmp_path, monkeypatch):
    (tmp_path / "deck.md").write_text("---\ntitle: Deck\n---\n# Deck\n\n## One\n\nText.\n")
    session = Session(Library.default(extra=[tmp_path]), School())
    module = session.open("deck")
    waits: list[int] = []
    real = RenderWorker.wait
    monkeypatch.setattr(RenderWorker, "wait", lambda self, t: (waits.append(t), real(self, t)))
    session.rendered(module, "slides")
    assert waits
    QApplication.processEvents()
