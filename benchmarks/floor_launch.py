"""The floor for launch: a bare PySide6 script that shows a QWebEngineView and paints a page.

It does what edukit's launch cannot avoid (start Python, Qt, Chromium; lay out and paint the
lesson's HTML) and nothing else, with the same Chromium flags, so edukit's launch is reported
as a ratio to it (benchmarks/run.py). Prints "PAINTED <RSS MB> <PSS MB>" at the first frame.

usage: python benchmarks/floor_launch.py PAGE.html
"""
import os
import sys
from pathlib import Path

from memory import pss_mb, rss_mb

FLAGS = ("--disable-background-networking --disable-component-update --no-pings --disable-sync "
         "--disable-domain-reliability --disable-breakpad --log-level=3")
if hasattr(os, "geteuid") and os.geteuid() == 0:  # as edukit does: Chromium refuses root otherwise
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    FLAGS += " --no-zygote"


def main() -> None:
    extra = " --disable-gpu" if os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen") else ""
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = FLAGS + extra
    from PySide6.QtCore import Qt, QTimer, QUrl
    from PySide6.QtWebEngineCore import QWebEngineScript
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(sys.argv[:1])
    view = QWebEngineView()
    view.resize(1200, 800)
    view.show()
    page = view.page()
    world = QWebEngineScript.ScriptWorldId.ApplicationWorld

    def painted() -> None:
        print(f"PAINTED {rss_mb(os.getpid()):.0f} {pss_mb(os.getpid()):.0f}", flush=True)
        app.quit()

    def poll() -> None:
        page.runJavaScript("window.__painted === true", world,
                           lambda ok: painted() if ok else QTimer.singleShot(5, poll))

    def loaded(_ok: bool) -> None:
        page.runJavaScript("requestAnimationFrame(() => requestAnimationFrame(() => "
                           "{ window.__painted = true; })); 0", world, lambda _: poll())

    page.loadFinished.connect(loaded)
    html = Path(sys.argv[1]).read_text(encoding="utf-8")
    view.setHtml(html, QUrl("about:blank"))
    app.exec()


if __name__ == "__main__":
    main()
