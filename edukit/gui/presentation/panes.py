"""The console's teacher panes: the safeguarding prompt pinned whole above the notes, in large
type. The prompt takes the height its text needs and the notes get the rest; only a prompt too
long for most of the column scrolls, and then a label says that it continues."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QTextBrowser, QWidget

SAFEGUARDING_SHARE = 0.6  # at most this much of the column before the prompt scrolls
GAP = 8
SMALLEST_NOTES_POINTS, LARGEST_NOTES_POINTS = 12, 40
SAFEGUARDING_POINTS_LESS = 2  # the prompt's type: a little smaller than the notes, still large


def text_pane(name: str, spoken: str) -> QTextBrowser:
    pane = QTextBrowser()
    pane.setObjectName(name)
    pane.setAccessibleName(spoken)
    pane.setOpenLinks(False)
    pane.setOpenExternalLinks(False)
    pane.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    pane.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return pane


def set_points(widget: QWidget, points: int) -> None:
    font = QFont(widget.font())
    font.setPointSize(points)
    widget.setFont(font)


class TeacherPanes(QWidget):
    """Safeguarding (when the slide has any) above the notes; lays its children out itself, so a
    long prompt never raises the console's minimum size past the screen."""

    def __init__(self, notes_points: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.safeguarding = text_pane("safeguarding", "Safeguarding notes")
        self.notes = text_pane("notes", "Teacher notes")
        self.more = QLabel("Safeguarding continues — scroll ↓")
        self.more.setObjectName("safeguarding-more")
        for child in (self.safeguarding, self.more, self.notes):
            child.setParent(self)
        self.more.hide()
        self.notes_points = 0
        self.set_notes_points(notes_points)

    def set_notes_points(self, points: int) -> int:
        """Notes (and the prompt with them) in this type size, kept within readable bounds."""
        self.notes_points = max(SMALLEST_NOTES_POINTS, min(LARGEST_NOTES_POINTS, points))
        set_points(self.notes, self.notes_points)
        set_points(self.safeguarding, self.notes_points - SAFEGUARDING_POINTS_LESS)
        self.arrange()
        return self.notes_points

    def show_texts(self, safeguarding_html: str, notes_html: str) -> None:
        self.safeguarding.setHtml(f"<p><b>SAFEGUARDING</b></p>{safeguarding_html}")
        self.safeguarding.setVisible(bool(safeguarding_html))
        self.notes.setHtml(notes_html or "<p><i>No notes for this slide.</i></p>")
        self.arrange()

    def safeguarding_height(self, width: int) -> int:
        """The height that shows the whole prompt at this width, frame and padding included."""
        margins = self.safeguarding.contentsMargins()
        document = self.safeguarding.document().clone(self)
        document.setDefaultFont(self.safeguarding.font())
        document.setTextWidth(max(1, width - margins.left() - margins.right()))
        height = document.size().height()
        document.deleteLater()
        return int(height + 0.999) + margins.top() + margins.bottom()

    def arrange(self) -> None:
        w, h = self.width(), self.height()
        top = 0
        if self.safeguarding.isVisibleTo(self):
            needed = self.safeguarding_height(w)
            room = int(h * SAFEGUARDING_SHARE)
            fits = needed <= room
            self.safeguarding.setGeometry(0, 0, w, min(needed, room))
            self.safeguarding.setVerticalScrollBarPolicy(
                Qt.ScrollBarPolicy.ScrollBarAlwaysOff if fits else Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            top = min(needed, room)
            self.more.setVisible(not fits)
            if not fits:
                self.more.setGeometry(0, top, w, self.more.sizeHint().height())
                top += self.more.height()
            top += GAP
        else:
            self.more.hide()
        self.notes.setGeometry(0, top, w, max(0, h - top))

    def safeguarding_fits(self) -> bool:
        """Whether the whole prompt is on screen (no scrolling needed)."""
        return not self.more.isVisibleTo(self)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.arrange()
