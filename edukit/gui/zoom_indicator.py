"""The lesson's zoom shown in the status bar ("110%"); a click returns it to actual size, as
Ctrl+0 does. A reader who zoomed by accident (Ctrl+wheel) sees why the text is large."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QWidget


def zoom_text(factor: float) -> str:
    return f"{round(factor * 100)}%"


class ZoomIndicator(QPushButton):
    """A flat button reading the zoom; it triggers the window's "Actual size" action."""

    def __init__(self, reset: QAction, factor: float, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("zoom-indicator")
        self.setFlat(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard has Ctrl+0 for the same
        self.setToolTip("Zoom — click for actual size (Ctrl+0)")
        self.clicked.connect(reset.trigger)
        self.show_zoom(factor)

    def show_zoom(self, factor: float) -> None:
        self.setText(zoom_text(factor))
        self.setAccessibleName(f"Zoom {zoom_text(factor)}, click for actual size")
