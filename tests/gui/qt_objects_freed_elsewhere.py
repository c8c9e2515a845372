"""Run as a script by tests/gui/test_qt_objects_on_ui_thread.py: garbage holding Qt socket
notifiers (as a file watcher or the render worker holds them) while pool threads allocate, the
way the app indexes and checks lessons. `automatic` turns Python's own collector back on (the
positive control: it then frees the notifiers on a pool thread and the event loop crashes)."""
from __future__ import annotations

import gc
import os
import sys

from PySide6.QtCore import QObject, QSocketNotifier, QThreadPool, QTimer

from edukit.gui.runtime import make_application


class Watching(QObject):
    """A Qt object watching a pipe, in a reference cycle: only the cycle collector frees it,
    and freeing it closes the pipe (as a render worker's process pipes are closed)."""

    def __init__(self):
        super().__init__()
        self.read_end, self.write_end = os.pipe()
        self.notifier = QSocketNotifier(self.read_end, QSocketNotifier.Type.Read, self)
        self.cycle = self

    def __del__(self):
        os.close(self.read_end)
        os.close(self.write_end)


def allocate() -> None:
    junk = [[] for _ in range(50_000)]  # enough to start automatic collection on this thread
    del junk


def main() -> None:
    app = make_application(["edukit-gc-check"])
    if sys.argv[1:] == ["automatic"]:
        gc.enable()
    # Counts start from zero whatever start-up allocated (and collected): the notifiers are
    # young garbage when the pool threads allocate, in either mode.
    gc.collect()
    for _ in range(20):
        Watching()
    pool = QThreadPool.globalInstance()
    for _ in range(4):
        pool.start(allocate)
    pool.waitForDone()
    kept = [[] for _ in range(1000)]  # the UI thread allocates too: a collection is due
    QTimer.singleShot(2500, app.quit)  # the collector's timer has run by then
    app.exec()
    del kept
    print(f"freed {sum(isinstance(o, Watching) for o in gc.get_objects())} left")


if __name__ == "__main__":
    main()
