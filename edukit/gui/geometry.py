"""Window sizes that fit the screen: school laptops are often 1366x768."""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

SCREEN_SHARE = 0.92  # leave room for the taskbar and the window frame
LARGE_SCREEN = (1366, 768)  # the common school laptop and up: room for library, lesson, contents


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to width x height, or smaller so the whole window (buttons included) is on screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    room = screen.availableGeometry()
    window.resize(min(width, int(room.width() * SCREEN_SHARE)),
                  min(height, int(room.height() * SCREEN_SHARE)))


def opens_maximised(saved_geometry: str, screen_size: tuple[int, int] | None) -> bool:
    """A first run (no size saved yet) on a large screen opens maximised; a smaller screen, or a
    window the user has sized before, opens as it was (fitted to the screen)."""
    if saved_geometry or screen_size is None:
        return False
    return screen_size[0] >= LARGE_SCREEN[0] and screen_size[1] >= LARGE_SCREEN[1]


def screen_size(window: QWidget) -> tuple[int, int] | None:
    """The size of the screen the window opens on (the primary one before it is shown)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return None if screen is None else screen.size().toTuple()
