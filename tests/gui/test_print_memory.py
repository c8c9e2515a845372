"""File > Print gives the memory it freed back to the system when it closes.

A print preview allocates and frees tens of MB in the app's own process (PDFs, pdfium's pages
and thumbnails, Chromium's side of a hidden page). glibc keeps freed memory for later and gives
back only what is free at the top of a heap, so each preview left ~2 MB held (30 previews:
+70 MB PSS). The app calls malloc_trim once the dialog is gone (edukit/gui/garbage.py)."""
from __future__ import annotations

import ctypes
import ctypes.util
from pathlib import Path

import pytest

from edukit.core.library import Library
from edukit.gui import garbage
from edukit.gui.app import open_window
from edukit.gui.print_preview import PrintPreview

WAIT = 30000
BLOCK, BLOCKS = 64 * 1024, 400  # 25 MB in blocks glibc serves from its heap, not by mmap


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture
def freed_in_the_middle_of_the_heap():
    """25 MB written, then freed but for the block above them: glibc keeps it all."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(BLOCK) for _ in range(BLOCKS + 1)]
    for block in blocks:
        ctypes.memset(block, 1, BLOCK)
    for block in blocks[:-1]:
        libc.free(block)
    yield
    libc.free(blocks[-1])


@pytest.mark.skipif(garbage._malloc_trim() is None, reason="not glibc")
def test_freed_memory_in_the_middle_of_the_heap_goes_back(freed_in_the_middle_of_the_heap):
    held = resident_mb()
    garbage.give_back_freed_memory()
    assert resident_mb() < held - 15  # most of the 25 MB


@pytest.mark.skipif(garbage._malloc_trim() is None, reason="not glibc")
def test_without_the_trim_glibc_keeps_it_positive_control(freed_in_the_middle_of_the_heap):
    held = resident_mb()
    garbage.give_back_freed_memory_soon()  # asked for, not done yet: nothing goes back
    assert resident_mb() > held - 5


def file_print(qtbot, fixture_content) -> PrintPreview:
    """The app opened at the sample lesson, File > Print chosen: its dialog, pages shown."""
    window = open_window(Library.default(extra=[fixture_content]), "sample-lesson")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.started, timeout=WAIT)
    window.actions["file.print"].trigger()
    dialog = window.findChild(PrintPreview)
    with qtbot.waitSignal(dialog.pagesShown, timeout=WAIT):
        pass
    return dialog


def test_closing_file_print_gives_the_freed_memory_back(qtbot, monkeypatch, fixture_content):
    trims = []
    # What the timer runs (a timer an earlier test left runs the function it was given).
    monkeypatch.setattr(garbage, "forget_pictures_and_give_back", lambda: trims.append(1))
    dialog = file_print(qtbot, fixture_content)
    qtbot.wait(2 * garbage.TRIM_DELAY_MS)
    assert trims == []  # not while the preview is open
    dialog.reject()  # deleted on close; the trim follows
    qtbot.waitUntil(lambda: trims == [1], timeout=WAIT)


def drawn_thumbnail_key(dialog: PrintPreview):
    """The first thumbnail as the list draws it when selected (a copy Qt makes of the icon and
    caches), and a way to ask for that copy again later: (cache key now, ask again)."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    icon = dialog.thumbnails.item(0).icon()  # a value: it outlives the dialog

    def drawn() -> int:
        return icon.pixmap(QSize(40, 57), QIcon.Mode.Selected).cacheKey()
    return drawn(), drawn


@pytest.mark.parametrize("forget", [True, False], ids=["app", "without-forgetting-control"])
def test_closing_file_print_forgets_the_copies_of_its_thumbnails(qtbot, monkeypatch,
                                                                fixture_content, forget):
    """Qt keeps the copies it draws of an icon in its pixmap cache, after the dialog is gone:
    each File > Print left its thumbnails' copies in memory until the cache was full."""
    trims, real = [], garbage.forget_pictures_and_give_back

    def after_closing() -> None:
        trims.append(1)
        (real if forget else garbage.give_back_freed_memory)()  # control: the trim alone
    monkeypatch.setattr(garbage, "forget_pictures_and_give_back", after_closing)
    dialog = file_print(qtbot, fixture_content)
    first, drawn = drawn_thumbnail_key(dialog)
    assert drawn() == first  # drawn once, cached: the same copy again
    trims.clear()  # what an earlier test's dialog left to do does not count
    dialog.reject()
    qtbot.waitUntil(lambda: bool(trims), timeout=WAIT)
    assert (drawn() != first) is forget  # drawn afresh: the cached copy was dropped
