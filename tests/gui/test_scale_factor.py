"""The window follows Qt's scale factor and the system's font size: at QT_SCALE_FACTOR=2, and with
a large desktop font, the main window at 1280x800 (logical) still shows the library, the
contents and the lesson, and no button, box or field is cut short of the size it asks for. Each
case runs in a process of its own (the scale factor is read when Qt starts)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parent.parent.parent
SCRIPT = """
import json, sys
from edukit.gui.runtime import make_application
app = make_application(["edukit-scale"])
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPushButton, QWidget
from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.main_window import MainWindow
from edukit.gui.session import Session

points = float(sys.argv[1])
if points:  # a desktop set to a large font
    font = QFont(app.font())
    font.setPointSizeF(points)
    app.setFont(font)

def settle(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()

def clipped(window):
    found = []
    for w in window.findChildren(QWidget):
        if w.isVisibleTo(window) and isinstance(w, (QAbstractButton, QComboBox, QLineEdit)):
            hint = w.minimumSizeHint() if isinstance(w, QLineEdit) else w.sizeHint()
            if w.width() < hint.width() or w.height() < hint.height():
                found.append(f"{type(w).__name__} {w.objectName() or getattr(w, 'text', str)()!r}")
    return found

session = Session(Library.default(), School())
window = MainWindow(session)
window.resize(1280, 800)
window.show()
loaded = QEventLoop()
window.page.loadFinished.connect(loaded.quit)
session.open("who-can-i-tell")
loaded.exec()
settle(200)
row = window.library_pane.tree
result = {"dpr": window.devicePixelRatio(), "size": [window.width(), window.height()],
          "font": app.font().pointSizeF(),
          "panes": {name: [pane.isVisible(), pane.width()] for name, pane in
                    (("library", window.library_pane), ("contents", window.toc_pane),
                     ("lesson", window.view))},
          "row_height": row.visualRect(row.model().index(0, 0, row.model().index(0, 0))).height(),
          "clipped": clipped(window)}
# Positive control: a button squeezed below its own size is caught by the same check.
squeezed = QPushButton("Present from the start", window.library_pane)
squeezed.setFixedWidth(30)
squeezed.show()
result["control"] = clipped(window)
print("RESULT " + json.dumps(result))
"""


def window_at(scale: str, points: float = 0) -> dict:
    env = {**os.environ, "QT_SCALE_FACTOR": scale, "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(points)], env=env,
                         capture_output=True, text=True, timeout=180, check=False)
    found = re.search(r"^RESULT (.*)$", run.stdout, re.MULTILINE)
    assert found, run.stderr[-2000:]
    return json.loads(found.group(1))


def shows_everything(found: dict) -> None:
    assert found["size"] == [1280, 800]
    assert all(visible for visible, _ in found["panes"].values()), found["panes"]
    assert found["panes"]["library"][1] >= 260 and found["panes"]["contents"][1] >= 180
    assert found["panes"]["lesson"][1] >= 500
    assert found["clipped"] == []
    assert any("Present from the start" in c for c in found["control"])


def test_at_scale_factor_two_the_window_shows_library_contents_and_lesson_uncut():
    found = window_at("2")
    assert found["dpr"] == 2.0  # the factor took effect
    shows_everything(found)


def test_a_large_system_font_grows_the_library_rows_and_cuts_no_control():
    usual, large = window_at("1"), window_at("1", points=16)
    assert large["font"] == 16 and usual["font"] < 12
    assert large["row_height"] > usual["row_height"] * 1.4  # rows are measured from the font
    shows_everything(large)
