"""Window sizes that fit the screen: school laptops are often 1366x768."""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

SCREEN_SHARE = 0.92  # leave room for the taskbar and the window frame


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to width x height, or smaller so the whole window (buttons included) is on screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    room = screen.availableGeometry()
    window.resize(min(width, int(room.width() * SCREEN_SHARE)),
                  min(height, int(room.height() * SCREEN_SHARE)))
