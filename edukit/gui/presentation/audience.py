"""The audience window: one slide at a time, full screen on the projector, or a black or white
screen. It only ever loads the slides page, which holds no notes, safeguarding or solutions."""
from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWebEngineCore import QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QStackedLayout, QWidget

from ..webview import LessonPage, module_url

BLANK_COLOURS = {"black": "#000000", "white": "#ffffff"}


def slide_url(module_id: str, index: int) -> QUrl:
    """The slides page at one slide: only the fragment changes between slides (no reload)."""
    url = module_url(module_id, "slides")
    url.setFragment(f"slide-{index + 1}")
    return url


class SlideView(QWebEngineView):
    """A locked-down view of the slides page that takes no focus and no clicks."""

    def __init__(self, profile: QWebEngineProfile, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPage(LessonPage(profile, self))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.page().setBackgroundColor(QColor("#000000"))

    def show_slide(self, module_id: str, index: int) -> None:
        self.setUrl(slide_url(module_id, index))


class AudienceWindow(QWidget):
    """What the pupils see: the current slide, or a blank screen."""

    def __init__(self, profile: QWebEngineProfile):
        super().__init__()
        self.setWindowTitle("edukit — slides")
        self.setObjectName("audience-window")
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.view = SlideView(profile, self)
        self.blank = QWidget(self)
        self.blank.setAutoFillBackground(True)
        self.stack = QStackedLayout(self)
        self.stack.setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.blank)
        self.blanked = ""  # "" | "black" | "white"

    def show_slide(self, module_id: str, index: int) -> None:
        self.view.show_slide(module_id, index)

    def pointer_shown(self) -> bool:
        return self.cursor().shape() != Qt.CursorShape.BlankCursor

    def show_pointer(self, shown: bool) -> None:
        """The mouse pointer over the slides: hidden unless the teacher wants to point with it."""
        self.setCursor(Qt.CursorShape.ArrowCursor if shown else Qt.CursorShape.BlankCursor)

    def set_blank(self, colour: str) -> None:
        """Cover the slide with a plain colour ("black"/"white"), or show it again ("")."""
        self.blanked = colour
        if colour:
            palette = self.blank.palette()
            palette.setColor(QPalette.ColorRole.Window, QColor(BLANK_COLOURS[colour]))
            self.blank.setPalette(palette)
        self.stack.setCurrentWidget(self.blank if colour else self.view)
