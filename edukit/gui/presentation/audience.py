"""The audience window: one slide at a time, full screen on the projector, or a black or white
screen. It only ever loads the slides page, which holds no notes, safeguarding or solutions."""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QPalette, QPixmap
from PySide6.QtWebEngineCore import QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from ...core.slide_shape import DEFAULT_SHAPE, slide_rect
from ..webview import LessonPage, module_url
from .ink import Ink, InkOverlay

BLANK_COLOURS = {"black": "#000000", "white": "#ffffff"}
# Chromium's widget reaches the screen a little after it has painted (and a resize on showing
# may paint black again): the kept picture goes after its frames have shown the slide for a
# few checks in a row.
CHECK_EVERY_MS, CHECKS_BEFORE_RELEASE = 50, 3
DARK = 24  # lightness (0-255) below which a pixel counts as black
SLIDE_BACKGROUNDS = {"light": "#ffffff", "dark": "#16191d", "contrast": "#000000"}  # themes' --bg


def letterbox(width: int, height: int, shape: tuple[int, int] | None = DEFAULT_SHAPE) -> QRect:
    """Where a slide of this shape (None: filling the screen) sits in a box of this size."""
    return QRect(*slide_rect(width, height, shape))


def slide_url(module_id: str, index: int) -> QUrl:
    """The slides page at one slide: only the fragment changes between slides (no reload)."""
    url = module_url(module_id, "slides")
    url.setFragment(f"slide-{index + 1}")
    return url


class SlideView(QWebEngineView):
    """A locked-down view of the slides page that takes no focus and no clicks.

    Chromium's widget shows black for a moment whenever it is shown (a preview hidden on the
    last slide, a window swapped in front on one screen, the projector after a black screen):
    the view keeps the picture it last showed on top (or, shown for the first time or moved to
    another slide meanwhile, the slides' background colour) until Chromium's frames show the
    slide."""

    HOLD_AT_MOST_MS = 1500  # never keep an old picture longer, whatever Chromium does

    def __init__(self, profile: QWebEngineProfile, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPage(LessonPage(profile, self))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.page().setBackgroundColor(QColor(SLIDE_BACKGROUNDS["light"]))
        self.still = QLabel(self)  # the last picture, over Chromium's widget while it repaints
        self.still.setObjectName("still-picture")
        self.still.setScaledContents(True)
        self.still.hide()
        self.paint_check = QTimer(self, interval=CHECK_EVERY_MS)  # while a picture is kept
        self.paint_check.timeout.connect(self.release_if_painted)
        self.painted_checks = 0
        self.release_timer = QTimer(self, singleShot=True, interval=self.HOLD_AT_MOST_MS)
        self.release_timer.timeout.connect(self.release)
        self.wanted: QUrl | None = None
        self.loadFinished.connect(self.arrived)

    def show_slide(self, module_id: str, index: int) -> None:
        url = slide_url(module_id, index)
        if self.holding() and url != self.wanted:
            self.still.setPixmap(self.plain_picture())  # the kept picture is another slide now
        self.wanted = url
        self.setUrl(url)

    def arrived(self, ok: bool) -> None:
        """A slide asked for while the page was still loading is shown once it has loaded
        (Chromium keeps the first address otherwise: a key pressed just after F5)."""
        if ok and self.wanted is not None and self.url() != self.wanted:
            self.setUrl(self.wanted)

    def set_slide_theme(self, theme: str) -> None:
        """Before the first paint the view shows this colour: the slides' own, never black."""
        self.page().setBackgroundColor(QColor(SLIDE_BACKGROUNDS.get(theme, "#ffffff")))

    def hold(self) -> None:
        """Keep what is shown now on screen until Chromium has painted again."""
        if self.isVisible() and self.width() > 0:
            self.cover_with(self.grab())

    def cover_with(self, picture: QPixmap) -> None:
        self.still.setPixmap(picture)
        self.still.setGeometry(self.rect())
        self.still.raise_()
        self.still.show()
        self.painted_checks = 0
        if self.isVisible():
            self.paint_check.start()

    def plain_picture(self) -> QPixmap:
        """The slides' background colour: what a view shown for the first time has to show."""
        picture = QPixmap(max(1, self.width()), max(1, self.height()))
        picture.fill(self.page().backgroundColor())
        return picture

    def holding(self) -> bool:
        return self.still.isVisibleTo(self)

    def painted_picture(self) -> QPixmap | None:
        """Chromium's own picture of the slide once it shows more than the slides' background
        (the page reports a frame drawn a moment before Qt's widget has it), else None."""
        proxy = self.focusProxy()
        if proxy is None:
            return None
        picture = proxy.grab()
        return picture if drawn_on(picture, self.page().backgroundColor()) else None

    def release_if_painted(self) -> None:
        """The kept picture goes once Chromium's widget shows the slide: frames no longer black
        (its first paints after a show often are; on dark slides black is no flash)."""
        proxy = self.focusProxy()
        if not self.holding() or proxy is None:
            return
        if self.page().backgroundColor().lightness() >= DARK and black_share(proxy.grab()) >= 0.25:
            self.painted_checks = 0
            return
        self.painted_checks += 1
        if self.painted_checks >= CHECKS_BEFORE_RELEASE:
            self.release()

    def release(self) -> None:
        self.release_timer.stop()
        self.paint_check.stop()
        self.still.hide()
        self.still.clear()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.holding():  # nothing kept (shown for the first time): the slides' colour
            self.cover_with(self.plain_picture())
        self.painted_checks = 0
        self.paint_check.start()
        self.release_timer.start()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.paint_check.stop()  # Chromium paints nothing while hidden
        self.release_timer.stop()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.still.setGeometry(self.rect())


def drawn_on(picture: QPixmap, background: QColor) -> bool:
    """Does the picture show anything but the background (a title, text)? From a 96x54
    reduction, smoothed so that thin strokes still tint their cells."""
    small = picture.toImage().scaled(96, 54, Qt.AspectRatioMode.IgnoreAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation)
    plain = background.rgb() & 0xFFFFFF
    return any(small.pixel(x, y) & 0xFFFFFF != plain
               for y in range(small.height()) for x in range(small.width()))


def black_share(picture: QPixmap) -> float:
    """How much of a picture is black, 0..1 (from an 8x8 reduction: cheap, and enough)."""
    small = picture.toImage().scaled(8, 8)
    return sum(small.pixelColor(x, y).lightness() < DARK
               for x in range(small.width()) for y in range(small.height())) / 64


class AudienceWindow(QWidget):
    """What the pupils see: the current slide, or a blank screen."""

    def __init__(self, profile: QWebEngineProfile):
        super().__init__()
        self.setWindowTitle("edukit — slides")
        self.setObjectName("audience-window")
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.view = SlideView(profile, self)
        self.view.setAccessibleName("Slide")
        self.blank = QWidget(self)
        self.blank.setAutoFillBackground(True)
        self.stack = QStackedLayout(self)
        self.stack.setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.blank)
        self.blanked = ""  # "" | "black" | "white"
        self.shape: tuple[int, int] | None = DEFAULT_SHAPE  # None: the slides fill the screen
        self.ink_overlay: InkOverlay | None = None

    def add_ink(self, ink: Ink) -> None:
        """Show the laser and pen marks over the slide (the teacher may draw here too)."""
        self.ink_overlay = InkOverlay(ink, self)
        self.place_ink()

    def place_ink(self) -> None:
        if self.ink_overlay is not None:
            self.ink_overlay.setGeometry(letterbox(self.width(), self.height(), self.shape))
            self.ink_overlay.setVisible(not self.blanked)
            self.ink_overlay.raise_()

    def set_shape(self, shape: tuple[int, int] | None) -> None:
        """The slides' shape on this window (None: they fill it), for the ink drawn over them."""
        self.shape = shape
        self.place_ink()

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
        if colour and not self.blanked:
            self.view.hold()  # shown again on return, it keeps its picture until Chromium paints
        self.blanked = colour
        if colour:
            palette = self.blank.palette()
            palette.setColor(QPalette.ColorRole.Window, QColor(BLANK_COLOURS[colour]))
            self.blank.setPalette(palette)
        self.stack.setCurrentWidget(self.blank if colour else self.view)
        self.place_ink()
