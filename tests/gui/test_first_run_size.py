"""The main window opens maximised on a first run (no window size saved yet) when the screen is
large (1366x768 or more), and as a normal window, fitted to the screen, on smaller screens or
once the user has a saved size. Each screen is a separate offscreen app with that screen."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from edukit.gui.geometry import opens_maximised

OPEN_TWICE = """
import json, os
from edukit.gui.app import make_application
app = make_application(["edukit-tests"])
from PySide6.QtTest import QTest
from edukit.core.library import Library
from edukit.gui.window_state import open_viewer

def opened():
    window = open_viewer(Library.default(), "who-can-i-tell")
    QTest.qWait(300)
    return window, {"maximised": window.isMaximized(), "size": window.size().toTuple()}

first, out = opened()
first.showNormal()
QTest.qWait(100)
first.close()  # saves the window's size, as on quitting
second, out2 = opened()
print("RESULT " + json.dumps({"first": out, "second": out2}), flush=True)
os._exit(0)
"""


def open_on_screen(tmp_path, width: int, height: int) -> dict:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [
        {"name": "only", "x": 0, "y": 0, "width": width, "height": height}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    done = subprocess.run([sys.executable, "-c", OPEN_TWICE], env=env, capture_output=True,
                          text=True, check=False, timeout=120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line, done.stdout + done.stderr
    return json.loads(line.removeprefix("RESULT "))


@pytest.mark.parametrize("screen", [(1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_first_run_on_a_large_screen_opens_maximised_and_then_as_left(tmp_path, screen):
    result = open_on_screen(tmp_path, *screen)
    assert result["first"]["maximised"]
    assert not result["second"]["maximised"]  # closed as a normal window: reopened so


@pytest.mark.parametrize("screen", [(1280, 800), (1024, 600)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_first_run_on_a_small_screen_opens_a_normal_window_that_fits(tmp_path, screen):
    result = open_on_screen(tmp_path, *screen)
    assert not result["first"]["maximised"]
    width, height = result["first"]["size"]
    assert width <= screen[0] and height <= screen[1]


@pytest.mark.parametrize("saved, screen, expected", [
    ("", (1366, 768), True), ("", (2560, 1440), True),
    ("", (1365, 768), False), ("", (1366, 767), False), ("", None, False),
    ("AdnQywADAAA=", (1920, 1080), False),  # a size saved before: as the user left it
])
def test_the_rule(saved, screen, expected):
    assert opens_maximised(saved, screen) is expected
