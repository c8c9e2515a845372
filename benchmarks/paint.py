"""When a page is on screen: one detector for edukit's launch and its floor, so both are timed
to the same event.

At loadFinished, a requestAnimationFrame callback queues a second one, which sets a flag: the
second runs only after the first frame with the page in it was drawn. The flag is read from the
ApplicationWorld (content scripts stay off in edukit) every POLL_MS until it is set.
"""
from __future__ import annotations

PAINT_MARK = ("requestAnimationFrame(() => requestAnimationFrame(() => "
              "{ window.__painted = true; })); 0")
POLL_MS = 5


def report_paint(page, on_painted) -> None:
    """Call on_painted() once page has drawn its first frame after loading."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWebEngineCore import QWebEngineScript

    world = QWebEngineScript.ScriptWorldId.ApplicationWorld

    def poll(_=None) -> None:
        page.runJavaScript("window.__painted === true", world,
                           lambda ok: on_painted() if ok else QTimer.singleShot(POLL_MS, poll))

    page.loadFinished.connect(lambda _ok: page.runJavaScript(PAINT_MARK, world, poll))
