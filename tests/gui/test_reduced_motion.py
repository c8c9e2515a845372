"""Reduced motion: asked for (EDUKIT_REDUCED_MOTION=1, or GTK's gtk-enable-animations=false),
no animation or transition runs in the lesson or the slides and Qt's own effects are off; not
asked for, the same page animates (the positive control). Chromium's flag is read once per
process, so the "on" case runs in a process of its own."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from edukit.core.pages import PRINT_CSS, VIEW_CSS
from edukit.core.paths import resources_dir
from edukit.gui.motion import ENV, reduced_motion_wanted

REPO = Path(__file__).parent.parent.parent
# A page element that moves, added from the ApplicationWorld (content cannot run script): a
# fading transition and a spinning animation, then what the page reports about it.
PROBE = """(() => {
  const style = document.createElement('style');
  style.textContent = '@keyframes probe-spin { to { transform: rotate(360deg); } }';
  document.head.append(style);
  const el = document.createElement('div');
  el.id = 'motion-probe';
  el.style.cssText = 'transition: opacity 0.3s; animation: probe-spin 1s infinite;';
  document.body.append(el);
  return JSON.stringify({
    reduce: matchMedia('(prefers-reduced-motion: reduce)').matches,
    transition: getComputedStyle(el).transitionDuration,
    animations: document.getAnimations().length,
    smooth: getComputedStyle(document.documentElement).scrollBehavior});
})()"""
# The app's own pieces, in a process whose environment asks for reduced motion: the lesson and
# the slides measured with PROBE, and Qt's effects.
SCRIPT = """
import json, sys
from pathlib import Path
from edukit.gui.runtime import make_application
app = make_application(["edukit-motion"])
from PySide6.QtCore import QEventLoop, QTimer, Qt
from PySide6.QtWebEngineCore import QWebEngineScript
from PySide6.QtWidgets import QApplication
from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.main_window import MainWindow
from edukit.gui.session import Session

def wait_for(signal):
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(30000, loop.quit)
    loop.exec()

def run(page, script):
    box, loop = [], QEventLoop()
    page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld,
                       lambda r: (box.append(r), loop.quit()))
    loop.exec()
    return json.loads(box[0])

session = Session(Library.default(extra=[Path(sys.argv[1])]), School())
window = MainWindow(session)
window.show()
found = {}
session.open("who-can-i-tell")
wait_for(window.page.loadFinished)
found["lesson"] = run(window.page, sys.argv[2])
session.set_view("slides")
wait_for(window.page.loadFinished)
found["slides"] = run(window.page, sys.argv[2])
found["qt_effects"] = [QApplication.isEffectEnabled(e) for e in Qt.UIEffect]
print("RESULT " + json.dumps(found))
window.close()
"""


def measure_in_process(env: dict[str, str], content: Path) -> dict:
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(content), PROBE],
                         env={**os.environ, **env, "PYTHONPATH": str(REPO)},
                         capture_output=True, text=True, timeout=180, check=False)
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, run.stderr[-2000:]
    return json.loads(lines[-1][len("RESULT "):])


def test_with_reduced_motion_asked_for_nothing_moves_in_the_lesson_or_the_slides(fixture_content):
    found = measure_in_process({ENV: "1"}, fixture_content)
    for view in ("lesson", "slides"):
        assert found[view] == {"reduce": True, "transition": "0s", "animations": 0,
                               "smooth": "auto"}, view
    assert not any(found["qt_effects"])


def test_without_it_the_same_probe_animates_positive_control(qtbot, js, fixture_content, lesson_window):
    assert not reduced_motion_wanted()  # the test process does not ask for it
    _, window = lesson_window(fixture_content, "who-can-i-tell")
    found = json.loads(js(window.page, PROBE))
    assert found["reduce"] is False
    assert found["transition"] == "0.3s" and found["animations"] >= 1


@pytest.mark.parametrize("value, wanted", [("1", True), ("yes", True), ("0", False),
                                           ("off", False), ("", False)])
def test_the_variable_asks_for_reduced_motion_or_refuses_it(tmp_path, value, wanted):
    assert reduced_motion_wanted({ENV: value}, tmp_path) is wanted


@pytest.mark.parametrize("line, wanted", [("gtk-enable-animations = false", True),
                                          ("gtk-enable-animations=0", True),
                                          ("gtk-enable-animations = true", False),
                                          ("gtk-theme-name = Adwaita", False)])
def test_gtks_animation_setting_is_the_desktops_signal(tmp_path, line, wanted):
    (tmp_path / "gtk-3.0").mkdir()
    (tmp_path / "gtk-3.0" / "settings.ini").write_text(f"[Settings]\n{line}\n")
    assert reduced_motion_wanted({}, tmp_path) is wanted
    assert reduced_motion_wanted({ENV: "0"}, tmp_path) is False  # the variable wins


def test_every_page_kind_links_the_sheet_that_stops_motion():
    base = (resources_dir() / "css" / "base.css").read_text(encoding="utf-8")
    assert "@media (prefers-reduced-motion: reduce)" in base
    for names in [*VIEW_CSS.values(), PRINT_CSS]:
        assert names[0] == "base.css"
