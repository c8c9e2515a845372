"""A window built to fail the screen-reader walk, for the walk's positive controls: one button
with no name (an icon and nothing else), one named button, and a web page whose big bold div
only looks like a heading beside a real one. The page also has edukit's own stylesheet, an
external link and a line of contacts, whose arrow and dots must stay silent. Run with the
venv's python under the test's desktop; it stays open until it is ended."""
from __future__ import annotations

import sys

from edukit.core.paths import resources_dir
from edukit.gui.runtime import make_application

PAGE = """<!doctype html><html lang="en"><head><title>Probe page</title><style>%s</style></head>
<body><h2>A real heading</h2>
<p><a class="external" href="https://example.org/">example.org</a></p>
<p class="route-contacts"><span>Phone: 0800 000</span><span>Text: 85258</span></p>
<div style="font-size: 32px; font-weight: bold">Big text that only looks like a heading</div>
<ul><li>One</li><li>Two</li></ul>
</body></html>"""


def main() -> int:
    app = make_application(["a11y-probe"])
    app.setApplicationName("a11y-probe")
    from PySide6.QtGui import QIcon, QPixmap
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QMainWindow, QPushButton, QToolBar

    window = QMainWindow()
    window.setWindowTitle("Probe window")
    bar = QToolBar("Probe tools", window)
    window.addToolBar(bar)
    pixmap = QPixmap(16, 16)
    pixmap.fill()
    unnamed = QPushButton(QIcon(pixmap), "", window)  # the fault: nothing to read aloud
    bar.addWidget(unnamed)
    bar.addWidget(QPushButton("Named button", window))
    view = QWebEngineView(window)
    view.setAccessibleName("Probe page")
    view.setHtml(PAGE % (resources_dir() / "css" / "base.css").read_text(encoding="utf-8"))
    window.setCentralWidget(view)
    window.resize(800, 600)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
