"""The Qt binding keeps Python's reference counts right: a long lesson must not crash the app.

PySide6 6.12.0 dropped one reference to None on every void Qt call and one to True on every
signal emitted from Python; on Python 3.11 the interpreter aborted after a few thousand. These
calls run in a subprocess, so a binding with that bug fails this test instead of killing pytest.
"""
from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
class Emitter(QObject):
    changed = Signal(bool)
emitter = Emitter()
emitter.changed.connect(lambda value: None)
none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(20000):
    label.setText("slide")
    emitter.changed.emit(True)
print(sys.getrefcount(None) - none_before, sys.getrefcount(True) - true_before)
"""


def test_twenty_thousand_qt_calls_and_signals_keep_reference_counts():
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-500:]
    none_delta, true_delta = (int(n) for n in run.stdout.split())
    assert none_delta > -100 and true_delta > -100
