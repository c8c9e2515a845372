"""Python's cycle collector runs on the UI thread only, from a timer (as pyqtgraph's
GarbageCollector does).

Left automatic, the collector runs on whichever thread happens to allocate: often a pool thread
indexing, checking or publishing lessons. Any Qt object in the garbage it finds is then deleted on
that thread. Qt objects must be deleted on their own thread: a socket notifier (a file watcher's,
the render worker's) deleted elsewhere stays registered with the UI thread's event loop, which
crashes as soon as its file descriptor is closed (a segfault in g_main_context_check).
"""
from __future__ import annotations

import functools
import gc

INTERVAL_MS = 1000  # young garbage waits at most this long; reference counting frees the rest


def collect_on_ui_thread(app) -> None:
    """Stop automatic collection; collect from a timer on `app`'s (the UI) thread instead."""
    from PySide6.QtCore import QTimer

    if getattr(app, "garbage_timer", None) is not None:
        return
    gc.disable()
    app.garbage_timer = QTimer(app, interval=INTERVAL_MS)
    app.garbage_timer.timeout.connect(collect_due)
    app.garbage_timer.start()


def collecting_on_ui_thread() -> bool:
    """Whether the application collects from its timer (collect_on_ui_thread was called)."""
    import sys

    if "PySide6.QtCore" not in sys.modules:  # no Qt: no application either
        return False
    from PySide6.QtCore import QCoreApplication

    return getattr(QCoreApplication.instance(), "garbage_timer", None) is not None


def collect_due() -> int:
    """Collect the generations that are due, by the thresholds automatic collection uses."""
    thresholds, counts = gc.get_threshold(), gc.get_count()
    generation = -1
    for level in range(3):
        if counts[level] > thresholds[level]:
            generation = level
        else:
            break
    return gc.collect(generation) if generation >= 0 else 0


TRIM_DELAY_MS = 250  # Chromium finishes tearing down a closed dialog's hidden page meanwhile


def give_back_freed_memory_soon(*_: object) -> None:
    """forget_pictures_and_give_back once what is being closed now has been freed (a plain
    function on a timer: nothing that may be deleted by then is called)."""
    from PySide6.QtCore import QTimer

    QTimer.singleShot(TRIM_DELAY_MS, forget_pictures_and_give_back)


def forget_pictures_and_give_back() -> None:
    """Empty Qt's pixmap cache, then give_back_freed_memory.

    The print preview's page thumbnails are icons, and Qt caches the copies it draws of an icon
    (scaled, highlighted) in its pixmap cache, where they stay after the dialog is gone until
    the cache reaches its limit (10 MB): each File > Print left ~0.25 MB more in the app
    (benchmarks/memory.py). What else is cached there (the style's drawings of buttons and
    frames) is drawn again when next needed."""
    from PySide6.QtGui import QPixmapCache

    QPixmapCache.clear()
    give_back_freed_memory()


def give_back_freed_memory() -> None:
    """Return the C heap's free pages to the system (glibc's malloc_trim; elsewhere nothing).

    A print preview allocates and frees tens of MB in this process (the PDFs, pdfium's pages
    and thumbnails, a hidden page and its profile on Chromium's side). glibc keeps freed memory
    for later and gives back only what is free at the top of a heap, so each File > Print left
    ~2 MB more in the process (30 previews: +70 MB PSS; with a trim after each: flat).
    malloc_trim gives back every whole free page of every heap."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """glibc's malloc_trim, or None (another C library, another system)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None
