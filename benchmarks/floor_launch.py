"""The floor for launch: a bare PySide6 script that shows a QWebEngineView and paints a page.

It does what edukit's launch cannot avoid (start Python, Qt, Chromium; lay out and paint the
lesson's HTML) and nothing else, with the same Chromium flags, so edukit's launch is reported
as a ratio to it (benchmarks/run.py). Prints "PAINTED <RSS MB> <PSS MB> <CPU s>" at the first
frame.

Fair by construction: the same lesson's HTML as the app shows it (the light theme, the default
font; run.py writes it with the CSS inlined, as the app serves it in files), a view of the same
size as edukit's window (1200x800), the same Chromium flags, and paint detected the same way
(benchmarks/paint.py).

usage: python benchmarks/floor_launch.py PAGE.html
"""
import os
import sys
from pathlib import Path

from paint import painted_line, report_paint

FLAGS = ("--disable-background-networking --disable-component-update --no-pings --disable-sync "
         "--disable-domain-reliability --disable-breakpad --log-level=3")
if hasattr(os, "geteuid") and os.geteuid() == 0:  # as edukit does: Chromium refuses root otherwise
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    FLAGS += " --no-zygote"


def main() -> None:
    extra = " --disable-gpu" if os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen") else ""
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = FLAGS + extra
    from PySide6.QtCore import Qt, QUrl
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(sys.argv[:1])
    view = QWebEngineView()
    view.resize(1200, 800)
    view.show()

    def painted() -> None:
        print(painted_line(os.getpid()), flush=True)
        app.quit()

    report_paint(view.page(), painted)
    html = Path(sys.argv[1]).read_text(encoding="utf-8")
    view.setHtml(html, QUrl("about:blank"))
    app.exec()


if __name__ == "__main__":
    main()
