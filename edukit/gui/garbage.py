"""Python's cycle collector runs on the UI thread only, from a timer (as pyqtgraph's
GarbageCollector does).

Left automatic, the collector runs on whichever thread happens to allocate: often a pool thread
indexing, checking or publishing lessons. Any Qt object in the garbage it finds is then deleted on
that thread. Qt objects must be deleted on their own thread: a socket notifier (a file watcher's,
the render worker's) deleted elsewhere stays registered with the UI thread's event loop, which
crashes as soon as its file descriptor is closed (a segfault in g_main_context_check).
"""
from __future__ import annotations

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
