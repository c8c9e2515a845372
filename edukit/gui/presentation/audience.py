"""The audience window: one slide at a time, full screen on the projector, or a black or white
screen. It only ever loads the slides page, which holds no notes, safeguarding or solutions."""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWebEngineCore import QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QStackedLayout, QWidget

from ..webview import LessonPage, module_url
from .ink import Ink, InkOverlay

BLANK_COLOURS = {"black": "#000000", "white": "#ffffff"}


def letterbox(width: int, height: int) -> QRect:
    """Where a 16:9 slide sits in a box of this size: as large as fits, centred (slides.css)."""
    w, h = (width, width * 9 // 16) if width * 9 <= height * 16 else (height * 16 // 9, height)
    return QRect((width - w) // 2, (height - h) // 2, w, h)


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
        self.ink_overlay: InkOverlay | None = None

    def add_ink(self, ink: Ink) -> None:
        """Show the laser and pen marks over the slide (the teacher may draw here too)."""
        self.ink_overlay = InkOverlay(ink, self)
        self.place_ink()

    def place_ink(self) -> None:
        if self.ink_overlay is not None:
            self.ink_overlay.setGeometry(letterbox(self.width(), self.height()))
            self.ink_overlay.setVisible(not self.blanked)
            self.ink_overlay.raise_()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.place_ink()

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
        self.place_ink()
