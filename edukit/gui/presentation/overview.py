"""The slide overview (G): every slide as a numbered tile over the console, to jump to one with
the arrows and Enter, a click, or a typed number. Tiles show titles, not pictures: a web view per
slide would cost a Chromium page each, and titles are what a teacher scans for."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

from ...core.model import Slide
from .fonts import relative_to_system

TILE = QSize(220, 110)
STYLE = """
QListWidget#slide-overview { background: #14181e; color: #f2f4f7; border: none;
                             font-size: 14pt; padding: 16px; }
QListWidget#slide-overview::item { background: #2d3642; border: 2px solid #55606e;
                                   border-radius: 6px; margin: 6px; padding: 6px; }
QListWidget#slide-overview::item:selected { background: #1f5fa8; border-color: #ffffff; }
"""
CONTRAST_STYLE = """
QListWidget#slide-overview { background: #000000; color: #ffffff; }
QListWidget#slide-overview::item { background: #000000; border-color: #ffffff; }
QListWidget#slide-overview::item:selected { background: #ffff00; color: #000000;
                                            border-color: #ffff00; }
"""


def overview_style(theme: str) -> str:
    return relative_to_system(STYLE + (CONTRAST_STYLE if theme == "contrast" else ""))


class SlideOverview(QListWidget):
    """Tiles in reading order; `chosen` carries the slide index picked."""

    chosen = Signal(int)

    def __init__(self, slides: Sequence[Slide], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("slide-overview")
        self.setAccessibleName("Slide overview")
        self.setStyleSheet(overview_style("light"))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setGridSize(TILE)
        self.setWordWrap(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the show's key filter drives it
        for n, slide in enumerate(slides, 1):
            item = QListWidgetItem(f"{n}\n{slide.title}")
            item.setSizeHint(TILE - QSize(12, 12))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setToolTip(slide.title)
            self.addItem(item)
        self.itemClicked.connect(lambda item: self.chosen.emit(self.row(item)))
        self.hide()

    def columns(self) -> int:
        return max(1, self.viewport().width() // TILE.width())

    def open_at(self, index: int) -> None:
        """Cover the parent, with the current slide's tile selected."""
        self.setGeometry(self.parentWidget().rect())
        self.setCurrentRow(index)
        self.show()
        self.raise_()

    def move_by(self, rows: int, steps: int) -> None:
        """Move the selection by whole rows (Up/Down) or tiles (Left/Right), within the deck."""
        target = self.currentRow() + rows * self.columns() + steps
        self.setCurrentRow(max(0, min(self.count() - 1, target)))
