"""Switching modules does not pile up old lessons in Chromium's renderer process.

Each switch loads a new document; the old one is garbage that V8's collector frees (the DOM lives
on its heap). edukit's pages run no content script, so with V8's default first heap (sized for
script-heavy web pages) nothing asks for a collection until ~250 MB of old lessons have piled up
(benchmarks/memory.py). The app starts V8 with a small first heap and tells it to favour size
(edukit/gui/runtime.py V8_FLAGS), so old lessons are collected every few switches. V8's flags
are read once per process, so each case runs in a process of its own; the controls give V8
other flags instead (one --js-flags from outside wins) and show the harness catches the pile-up.
The renderer's own memory is measured (anonymous and shared-memory pages): the PSS of its
libraries' file pages moves with every other Chromium process on the machine."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from edukit.gui.runtime import V8_FLAGS

REPO = Path(__file__).parent.parent.parent
SWITCHES = 60
# The window as a teacher uses it: SWITCHES module switches, then how much its renderer grew.
SCRIPT = """
import json, os, sys
from pathlib import Path
from edukit.gui.runtime import make_application
app = make_application(["edukit-renderer-garbage"])
from PySide6.QtCore import QEventLoop, QTimer
from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.main_window import MainWindow
from edukit.gui.session import Session

def renderers_own_mb():
    # Anonymous and shared-memory pages only: a library's file pages are shared with every
    # other process mapping it (other tests' Chromium), and their PSS moves as those come and go.
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            args = (stat.parent / "cmdline").read_bytes().split(b"\\0")
            rollup = (stat.parent / "smaps_rollup").read_text()
        except (OSError, IndexError, ValueError):
            continue
        if parent == os.getpid() and b"--type=renderer" in args:
            total += sum(int(line.split()[1]) for line in rollup.splitlines()
                         if line.startswith(("Pss_Anon:", "Pss_Shmem:")))
    return total / 1024

session = Session(Library.default(), School())
window = MainWindow(session)
window.show()
ids = [m.id for m in session.library.modules]

def switch(n):
    loop = QEventLoop()
    window.page.loadFinished.connect(loop.quit)
    QTimer.singleShot(20000, loop.quit)
    session.open(ids[n % len(ids)])
    loop.exec()
    window.page.loadFinished.disconnect(loop.quit)

for n in range(len(ids)):  # every lesson rendered once (the worker's cache is warm)
    switch(n)
before = renderers_own_mb()
for n in range(int(sys.argv[1])):
    switch(n)
app.processEvents()
grown = renderers_own_mb() - before
print("RESULT " + json.dumps({"grown_mb": grown, "flags": os.environ["QTWEBENGINE_CHROMIUM_FLAGS"]}))
window.close()
"""


def renderer_growth(extra_flags: str = "") -> dict:
    # Only the case's own flags: this test process's may hold those an earlier test's app added
    # (the app's V8 flag among them), and the app adds the rest (sandbox, GPU) itself.
    env = {**os.environ, "PYTHONPATH": str(REPO), "QTWEBENGINE_CHROMIUM_FLAGS": extra_flags}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(SWITCHES)], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, done.stderr[-2000:]
    return json.loads(lines[-1][len("RESULT "):])


def test_module_switches_do_not_pile_up_in_the_renderer():
    app = renderer_growth()
    assert V8_FLAGS in app["flags"]
    # V8's default first heap (the control): every old lesson is still there, ~1.6 MB each.
    default = renderer_growth("--js-flags=--stack-size=984")
    assert "--initial-heap-size" not in default["flags"]
    assert default["grown_mb"] > 70, default
    assert app["grown_mb"] < 10, (app, default)


def test_a_small_first_heap_alone_still_piles_up_positive_control():
    """The first heap small but V8 not told to favour size (the app's flag until this was
    measured): its heap grows between collections and ~20 MB of old lessons stay over 60
    switches, where the app's renderer stays within a few MB."""
    small_heap_only = renderer_growth("--js-flags=--initial-heap-size=8")
    assert "--optimize-for-size" not in small_heap_only["flags"]
    assert small_heap_only["grown_mb"] > 14, small_heap_only
