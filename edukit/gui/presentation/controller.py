"""A running show: places the audience window and the presenter console on their screens, turns
keys into slide changes through the session, and ends on Esc at the slide it reached."""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QWidget

from ..session import Session
from ..webview import locked_profile
from .audience import AudienceWindow
from .console import PresenterConsole
from .keys import KeyMap
from .screens import choose_screens


def place_full_screen(window: QWidget, screen: QScreen) -> None:
    """Full screen on that screen (leaving full screen first, so window managers move it)."""
    if window.isVisible() and window.screen() is not screen:
        window.showNormal()
    window.setScreen(screen)
    window.setGeometry(screen.geometry())
    window.showFullScreen()


class Presentation(QObject):
    """One show of the session's current module, from slide `start`."""

    ended = Signal(int)  # the slide the show ended on

    def __init__(self, session: Session, start: int = 0, profile=None):
        super().__init__()
        if session.module is None:
            raise ValueError("nothing to present: no module is open")
        self.session, self.module = session, session.module
        self.deck = session.rendered(self.module, "slides").slides
        self.own_profile = profile is None
        self.profile = profile or locked_profile(session.page, session.folder, None)
        self.audience = AudienceWindow(self.profile)
        self.console = PresenterConsole(self.profile, self.module.meta.title, self.deck,
                                        self.module.meta.duration)
        self.keys = KeyMap()
        self.projector: QScreen | None = None  # chosen in the console; None = automatic
        self.single_screen = False
        self.console_shown = False  # one screen: is the console in front instead of the slides?
        self.finished = False
        self.key_proxies: list[QWidget] = []  # Chromium's widgets inside the slide views
        self.console.jumpRequested.connect(self.session.set_slide)
        self.console.swapRequested.connect(self.swap_screens)
        self.console.projectorChosen.connect(self.choose_projector)
        self.console.endRequested.connect(self.end)
        self.session.set_slide(start)
        self.show_slide(self.session.slide)
        session.slideChanged.connect(self.show_slide)
        for window in (self.audience, self.console):
            window.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # its children take no focus
            window.installEventFilter(self)
        for view in self.slide_views():
            view.loadFinished.connect(lambda _, v=view: self.watch_keys_of(v))
        self.place_windows()

    # -- screens --------------------------------------------------------------------------
    def place_windows(self) -> None:
        screens = QGuiApplication.screens()
        audience, console = choose_screens(screens, QGuiApplication.primaryScreen(), self.projector)
        self.single_screen = audience is console
        self.console.set_screens([s.name() for s in screens], audience.name())
        if self.single_screen:
            front, back = (self.console, self.audience) if self.console_shown else (self.audience, self.console)
            back.hide()
            place_full_screen(front, audience)
            front.activateWindow()
            return
        place_full_screen(self.audience, audience)
        place_full_screen(self.console, console)
        self.console.activateWindow()

    def swap_screens(self) -> None:
        """Two screens: exchange them. One screen: show the console instead of the slides, or back."""
        if self.single_screen:
            self.console_shown = not self.console_shown
        else:
            self.projector = self.console.screen()
        self.place_windows()

    def choose_projector(self, name: str) -> None:
        self.projector = next((s for s in QGuiApplication.screens() if s.name() == name), None)
        self.place_windows()

    # -- slides ---------------------------------------------------------------------------
    def show_slide(self, index: int) -> None:
        self.audience.show_slide(self.module.id, index)
        self.console.show_slide(self.module.id, index)

    def run(self, command: str, argument: int) -> None:
        last = len(self.deck) - 1
        moves = {"next": self.session.slide + 1, "previous": self.session.slide - 1,
                 "first": 0, "last": last, "jump": argument}
        self.console.show_typed(argument if command == "typing" else None)
        if command in moves:
            self.session.set_slide(max(0, min(moves[command], last)))
        elif command in ("black", "white"):
            self.set_blank("" if self.audience.blanked == command else command)
        elif command == "swap-view" and self.single_screen:
            self.swap_screens()
        elif command == "end":
            self.end()

    def set_blank(self, colour: str) -> None:
        self.audience.set_blank(colour)
        self.console.show_blank(colour)

    # -- keys and closing -----------------------------------------------------------------
    def slide_views(self) -> tuple[QWidget, ...]:
        return self.audience.view, self.console.current, self.console.next

    def watch_keys_of(self, view: QWidget) -> None:
        """Chromium's widget inside a slide view gets the keys first and keeps some (Esc,
        Backspace) for itself: filter it too, once it exists (after the first load)."""
        proxy = view.focusProxy()
        if proxy is not None and not proxy.property("edukit-show-keys"):
            proxy.setProperty("edukit-show-keys", True)
            proxy.installEventFilter(self)
            self.key_proxies.append(proxy)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.finished:
            return False
        if event.type() == QEvent.Type.KeyPress:
            return self.key_pressed(event)
        if event.type() == QEvent.Type.Close and watched in (self.audience, self.console):
            QTimer.singleShot(0, self.end)  # closed by the window manager: the show is over
        return False

    def key_pressed(self, event: QKeyEvent) -> bool:
        command = self.keys.command(event.key(), event.text())
        if command is None:
            return False
        self.run(*command)
        return True

    def end(self) -> None:
        """Close both windows and report the slide reached (Esc, End show, or a window closed)."""
        if self.finished:
            return
        self.finished = True
        for widget in (self.audience, self.console, *self.key_proxies):
            if shiboken6.isValid(widget):
                widget.removeEventFilter(self)
        self.session.slideChanged.disconnect(self.show_slide)
        self.console.ticker.stop()
        for window in (self.audience, self.console):
            window.hide()
        self.ended.emit(self.session.slide)
        QTimer.singleShot(0, self.dispose)

    def dispose(self) -> None:
        """Delete the web pages before the profile they use (Qt WebEngine crashes otherwise)."""
        for window in (self.audience, self.console):
            if shiboken6.isValid(window):
                shiboken6.delete(window)
        if self.own_profile and shiboken6.isValid(self.profile):
            shiboken6.delete(self.profile)
