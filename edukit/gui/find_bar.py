"""Find in the lesson (Ctrl+F, F3, Shift+F3): a bar under the page using Chromium's own find."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

FindFlag = QWebEnginePage.FindFlag


class FindBar(QWidget):
    """Type to find; Enter / F3 next, Shift+Enter / Shift+F3 previous, Esc closes."""

    closed = Signal()

    def __init__(self, page: QWebEnginePage, parent: QWidget | None = None):
        super().__init__(parent)
        self.page = page
        self.setObjectName("find-bar")
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in lesson")
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName("Find in lesson")
        self.count = QLabel(self)
        self.count.setObjectName("find-count")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        for text, tip, handler in (("↑", "Previous match (Shift+F3)", self.previous),
                                   ("↓", "Next match (F3)", self.next),
                                   ("✕", "Close the find bar (Esc)", self.close_bar)):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip.partition(" (")[0])  # a screen reader says words, not arrows
            button.clicked.connect(handler)
            layout.addWidget(button)
        self.edit.textChanged.connect(lambda _: self.next())
        self.edit.returnPressed.connect(self.next)
        QShortcut(QKeySequence("Shift+Return"), self.edit, self.previous)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        page.findTextFinished.connect(self.show_result)
        self.hide()

    def open(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        if self.edit.text():
            self.next()

    def next(self) -> None:
        self.find()

    def previous(self) -> None:
        self.find(FindFlag.FindBackward)

    def find(self, flags: FindFlag | None = None) -> None:
        if not self.isVisible() and self.edit.text():
            self.show()
        self.page.findText(self.edit.text(), flags or FindFlag(0))
        if not self.edit.text():
            self.count.clear()

    def show_result(self, result) -> None:
        if not self.edit.text():
            self.count.clear()
        elif result.numberOfMatches() == 0:
            self.count.setText("not found")
        else:
            self.count.setText(f"{result.activeMatch()} of {result.numberOfMatches()}")

    def close_bar(self) -> None:
        self.page.findText("")  # clears Chromium's highlights
        self.hide()
        self.closed.emit()
