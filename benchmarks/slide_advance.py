"""Time to advance a slide in a running show: a key press on the audience window until the
audience page shows the next slide (its :target, read in the ApplicationWorld). Offscreen.

usage: python benchmarks/slide_advance.py [MODULE_ID] [ROUNDS]
"""
from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    module_id = sys.argv[1] if len(sys.argv) > 1 else "who-can-i-tell"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    from edukit.gui.runtime import make_application, quiet_qt_messages

    quiet_qt_messages()
    app = make_application()
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWebEngineCore import QWebEngineScript

    from edukit.core.library import Library
    from edukit.core.model import School
    from edukit.gui.presentation.controller import Presentation
    from edukit.gui.session import Session

    session = Session(Library.default(), School())
    session.open(module_id)
    show = Presentation(session)
    show.audience.resize(1280, 720)
    page = show.audience.view.page()

    def shown() -> str:
        box: list = []
        loop = QEventLoop()
        page.runJavaScript("(document.querySelector('.slide:target') || {id: ''}).id",
                           QWebEngineScript.ScriptWorldId.ApplicationWorld,
                           lambda v: (box.append(v), loop.quit()))
        QTimer.singleShot(5000, loop.quit)
        loop.exec()
        return box[0] if box else ""

    while shown() != "slide-1":
        QTest.qWait(20)
    count, times = len(show.deck), []
    for n in range(rounds):
        want = (n + 1) % count
        key = Qt.Key.Key_Right if want else Qt.Key.Key_Home
        start = time.perf_counter()
        QTest.keyClick(show.audience, key)
        while shown() != f"slide-{want + 1}":
            pass
        times.append((time.perf_counter() - start) * 1000)
    show.end()
    show.dispose()
    app.processEvents()
    times.sort()
    print(f"{module_id}: {rounds} slide changes, median {statistics.median(times):.1f} ms, "
          f"90th percentile {times[int(len(times) * 0.9)]:.1f} ms, worst {times[-1]:.1f} ms "
          "(key press to the slide on the audience page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
