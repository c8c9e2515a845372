"""F5 with no white flash: the show's windows are laid out and painted where nobody sees them
(Qt's WA_DontShowOnScreen: shown to Qt and Chromium, not on the screen) and come on screen once
the audience slide has drawn its first frame, or after REVEAL_AT_MOST_MS whatever happened (a
lesson that never loads still shows what it has). The main window stays in front meanwhile,
and the keys typed meanwhile are the show's."""
from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from ..lesson_view import IS_PAINTED, MARK_PAINT, PAINT_POLL_MS
from . import run_js
from .audience import SlideView

REVEAL_AT_MOST_MS = 2000  # never keep the class waiting longer for the first slide
CHORDS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
          | Qt.KeyboardModifier.MetaModifier)


def paint_offscreen(window: QWidget, geometry: QRect) -> None:
    """Show the window to Qt and Chromium only (its pages load and paint), at its screen's size."""
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    window.setGeometry(geometry)
    window.show()


def leave_backstage(window: QWidget) -> None:
    """Hide the window, its slide views keeping the picture they painted, ready to be placed on
    screen (edukit.gui.presentation.controller.place_full_screen)."""
    if window.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen):
        for view in window.findChildren(SlideView):
            view.hold()  # on screen, the painted slide shows until Chromium's frames arrive
        window.hide()
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, False)


class FirstPaint(QObject):
    """Calls done() once: when the view's page has drawn its first frame after loading (the
    launch's detector, edukit.gui.lesson_view.MARK_PAINT) and Chromium's widget has that
    frame (`picture`, the slide as painted), or after REVEAL_AT_MOST_MS (`picture` None).
    cancel() stops it; nothing of it runs after that, nor after its parent is deleted."""

    def __init__(self, view: SlideView, done: Callable[[], None], parent: QObject):
        super().__init__(parent)
        self.view, self.done = view, done
        self.waiting = True
        self.page_painted = False
        self.picture: QPixmap | None = None
        self.bound = QTimer(self, singleShot=True, interval=REVEAL_AT_MOST_MS)
        self.bound.timeout.connect(self.finish)
        self.poll = QTimer(self, singleShot=True, interval=PAINT_POLL_MS)
        self.poll.timeout.connect(self.ask)
        view.loadFinished.connect(self.loaded)
        self.bound.start()

    def loaded(self, _ok: bool) -> None:
        """A failed load paints its error page: that is shown too."""
        if self.waiting and not self.poll.isActive():
            run_js(self.view.page(), MARK_PAINT, self.answered)

    def ask(self) -> None:
        if not self.waiting:
            return
        if not self.page_painted:
            run_js(self.view.page(), IS_PAINTED, self.answered)
            return
        self.picture = self.view.painted_picture()
        if self.picture is not None:
            self.finish()
        else:
            self.poll.start()

    # A callback returns None: a Python bool handed back to PySide from a slot can crash it.
    def answered(self, painted: object) -> None:
        """Chromium also calls back with nothing when the page goes first: then it stops."""
        if not shiboken6.isValid(self) or not self.waiting:
            return
        self.page_painted = painted is True
        if shiboken6.isValid(self.view):
            self.poll.start()

    def finish(self) -> None:
        if self.waiting:
            self.cancel()
            self.done()

    def cancel(self) -> None:
        self.waiting = False
        self.bound.stop()
        self.poll.stop()

    def active(self) -> bool:
        """Is a timer of it still running (tests: nothing is left alive after the show)?"""
        return self.bound.isActive() or self.poll.isActive()


class KeysMeanwhile(QObject):
    """While the show is off screen the widget that had the keyboard at F5 keeps it: the keys
    the show uses (Esc, the slide keys) are the show's all the same, as a moment later. (Only
    that widget is filtered: a Python filter on the whole app sees objects as they are deleted.)"""

    def __init__(self, handle: Callable[[QKeyEvent], bool], parent: QObject):
        super().__init__(parent)
        self.handle = handle
        self.widget = QApplication.focusWidget()
        if self.widget is not None:
            self.widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and not event.modifiers() & CHORDS:
            return self.handle(event)
        return False  # Ctrl+Q and the like stay the window's

    def stop(self) -> None:
        if self.widget is not None and shiboken6.isValid(self.widget):
            self.widget.removeEventFilter(self)
        self.widget = None
