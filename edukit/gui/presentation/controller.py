"""A running show: places the audience window and the presenter console on their screens, turns
keys into slide changes through the session, and ends on Esc at the slide it reached."""
from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QWidget

from ...core.slide_shape import fixed_shape
from ..accessible import announce
from ..session import Session
from ..webview import locked_profile
from . import MARKUP
from .audience import AudienceWindow, SlideView
from .console import PresenterConsole
from .ink import Ink
from .keys import ENTER, KeyMap
from .reveal import FirstPaint, KeysMeanwhile, leave_backstage, paint_offscreen
from .screens import choose_screens


def place_full_screen(window: QWidget, screen: QScreen) -> None:
    """Full screen on that screen (leaving full screen first, so window managers move it)."""
    if window.isVisible() and window.screen() is not screen:
        window.showNormal()
    window.setScreen(screen)
    window.setGeometry(screen.geometry())
    window.showFullScreen()


def hold_slides(window: QWidget) -> None:
    """The window's slide views keep their pictures while it is hidden and shown again."""
    for view in window.findChildren(SlideView):
        view.hold()


def take_keys(window: QWidget) -> None:
    """Make the window the one the keyboard types into (the main window had it before F5)."""
    window.raise_()
    window.activateWindow()
    window.setFocus(Qt.FocusReason.ActiveWindowFocusReason)


class Presentation(QObject):
    """One show of the session's current module, from slide `start`."""

    ended = Signal(int)  # the slide the show ended on

    def __init__(self, session: Session, start: int = 0, profile=None, deck=None):
        super().__init__()
        if session.module is None:
            raise ValueError("nothing to present: no module is open")
        self.session, self.module = session, session.module
        # The deck the window was given once rendered (waiting here could stall the window)
        self.deck = deck if deck is not None else session.rendered(self.module, "slides").slides
        self.own_profile = profile is None
        self.profile = profile or locked_profile(session.pages.page, session.pages.folder, None)
        self.audience = AudienceWindow(self.profile)
        self.console = PresenterConsole(self.profile, self.module.meta.title, self.deck,
                                        self.module.meta.duration,
                                        session.settings.preferences.presenter_notes_points)
        self.swapped_for_overview = False
        self.ink = Ink(self)  # laser and pen marks on the current slide
        self.set_slide_theme()
        self.console.set_theme(session.pages.theme)
        self.audience.add_ink(self.ink)
        self.console.add_ink(self.ink)
        self.keys = KeyMap()
        self.projector: QScreen | None = None  # chosen in the console; None = automatic
        self.single_screen = False
        self.console_shown = False  # one screen: is the console in front instead of the slides?
        self.finished = False
        self.console.jumpRequested.connect(self.jump_from_console)
        self.console.swapRequested.connect(self.swap_screens)
        self.console.projectorChosen.connect(self.choose_projector)
        self.console.endRequested.connect(self.end)
        session.settings.changed.connect(self.follow_settings)
        self.session.set_slide(start, len(self.deck))
        self.show_slide(self.session.slide)
        session.slideChanged.connect(self.show_slide)
        for window in (self.audience, self.console):
            window.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # its children take no focus
            window.installEventFilter(self)
        # Chromium's widget inside each slide view gets the keys first and keeps some (Esc,
        # Backspace): it is filtered the moment the view adds it, before its first load ends,
        # so the first key after F5 is not lost to it.
        self.key_widgets: list[QWidget] = [self.audience, self.console]
        for view in (self.audience.view, self.console.current, self.console.next):
            for widget in (view, *view.findChildren(QWidget)):
                self.filter_keys_of(widget)
        self.first_paint: FirstPaint | None = None
        self.keys_meanwhile: KeysMeanwhile | None = None
        self.once_on_screen: list[Callable[[], None]] = []  # S, G typed while off screen
        self.place_offscreen()

    # -- screens --------------------------------------------------------------------------
    def place_offscreen(self) -> None:
        """F5: the windows are laid out and painted off screen and come on screen once the
        audience slide has painted (edukit.gui.presentation.reveal): the class never sees a
        blank window. The main window stays in front meanwhile."""
        audience, console = self.pick_screens()
        paint_offscreen(self.audience, audience.geometry())
        if not self.single_screen:  # one screen: the console waits hidden, as it will be
            paint_offscreen(self.console, console.geometry())
        self.keys_meanwhile = KeysMeanwhile(self.key_pressed, self)
        self.first_paint = FirstPaint(self.audience.view, self.come_on_screen, self)

    def come_on_screen(self) -> None:
        self.stop_waiting()
        for window in (self.audience, self.console):
            leave_backstage(window)
        if self.first_paint.picture is not None:  # the slide as painted, not a kept plain colour
            self.audience.view.cover_with(self.first_paint.picture)
        self.place_windows()
        asked, self.once_on_screen = self.once_on_screen, []
        for then in asked:
            then()

    def waiting(self) -> bool:
        """Are the windows still off screen, waiting for the first slide to paint?"""
        return self.first_paint is not None and self.first_paint.waiting

    def stop_waiting(self) -> None:
        if self.first_paint is not None:
            self.first_paint.cancel()
        if self.keys_meanwhile is not None:
            self.keys_meanwhile.stop()

    def pick_screens(self) -> tuple[QScreen, QScreen]:
        """(audience screen, console screen); the console's chooser and the slides' shape
        follow them."""
        screens = QGuiApplication.screens()
        audience, console = choose_screens(screens, QGuiApplication.primaryScreen(), self.projector)
        self.single_screen = audience is console
        self.console.set_screens([s.name() for s in screens], audience.name())
        self.fit_slides_to(audience.geometry().width(), audience.geometry().height())
        return audience, console

    def place_windows(self) -> None:
        audience, console = self.pick_screens()
        if self.single_screen:
            front, back = (self.console, self.audience) if self.console_shown else (self.audience, self.console)
            hold_slides(back)
            back.hide()
            place_full_screen(front, audience)
            take_keys(front)
            return
        place_full_screen(self.audience, audience)
        place_full_screen(self.console, console)
        take_keys(self.console)

    def fit_slides_to(self, width: int, height: int) -> None:
        """Slides fill the projector unless the lesson fixes their shape; the previews and the
        ink follow the shape the class sees."""
        shape = fixed_shape(self.module.meta)
        self.audience.set_shape(shape)
        self.console.set_projector_shape(shape or (max(1, width), max(1, height)))

    def swap_screens(self) -> None:
        """Two screens: exchange them. One screen: show the console instead of the slides, or back."""
        if self.waiting():
            self.once_on_screen.append(self.swap_screens)  # as soon as there is
            return
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
        self.ink.clear()  # marks belong to the slide they were made on
        self.audience.show_slide(self.module.id, index)
        self.console.show_slide(self.module.id, index)
        self.announce_slide(index)

    def announce_slide(self, index: int) -> None:
        """A screen reader says where the show is now ("Slide 3 of 17: Meet Leo"): the keys
        change the slide without moving the focus, so nothing else would be read. It speaks
        from the window in front, which the reader follows."""
        title = " ".join(MARKUP.sub("", self.deck[index].title).split())
        self.say(f"Slide {index + 1} of {len(self.deck)}: {title}")

    def say(self, message: str) -> None:
        """Announce from the window in front, which the screen reader follows."""
        front = self.audience if self.single_screen and not self.console_shown else self.console
        announce(front, message)

    def run(self, command: str, argument: int) -> None:
        last = len(self.deck) - 1
        moves = {"next": self.session.slide + 1, "previous": self.session.slide - 1,
                 "first": 0, "last": last, "jump": argument}
        self.console.show_typed(argument if command == "typing" else None)
        if command in moves:
            self.session.set_slide(max(0, min(moves[command], last)), len(self.deck))
        elif command in ("black", "white"):
            self.set_blank("" if self.audience.blanked == command else command)
        elif command == "swap-view" and self.single_screen:
            self.swap_screens()
        elif command == "end":
            self.end()
        elif command in ("notes-larger", "notes-smaller"):
            self.change_notes_size(2 if command == "notes-larger" else -2)
        elif command == "overview":
            self.open_overview()
        elif command == "pointer":
            self.audience.show_pointer(not self.audience.pointer_shown())
        elif command in ("laser", "pen"):
            self.ink.set_mode(command)
        elif command == "erase":
            self.ink.clear()

    def jump_from_console(self, index: int) -> None:
        """A slide chosen in the jump list or the overview (which closes)."""
        self.session.set_slide(index, len(self.deck))
        self.close_overview()

    def change_notes_size(self, step: int) -> None:
        """Larger or smaller notes, remembered for the next show (a failed save only loses that)."""
        points = self.console.set_notes_points(self.console.notes_points + step)
        try:
            self.session.settings.update(presenter_notes_points=points)
        except OSError:
            pass

    def follow_settings(self, names: frozenset[str]) -> None:
        """A setting changed while the show runs (another window, Settings): the console and
        the slides follow it at once."""
        if "presenter_notes_points" in names:
            self.console.set_notes_points(self.session.settings.preferences.presenter_notes_points)
        if "theme" in names:
            self.console.set_theme(self.session.pages.theme)  # the console follows mid-show
        if names & {"theme", "slides_follow_theme"}:
            for view in self.set_slide_theme():
                view.reload()  # the slide page is served again in its new colours

    def set_slide_theme(self) -> list[SlideView]:
        """The slides' colours: light unless the teacher chose slides in the reading theme."""
        views = self.audience.findChildren(SlideView) + self.console.findChildren(SlideView)
        for view in views:
            view.set_slide_theme(self.session.pages.page_theme("slides"))
        return views

    # -- the overview ---------------------------------------------------------------------
    def open_overview(self) -> None:
        """G: the slide tiles over the console (brought in front first on one screen)."""
        if self.console.overview.isVisible():
            self.close_overview()
            return
        if self.waiting():
            self.once_on_screen.append(self.open_overview)  # the console is not on screen yet
            return
        if self.single_screen and not self.console_shown:
            self.swapped_for_overview = True
            self.swap_screens()
        self.console.overview.open_at(self.session.slide)

    def close_overview(self) -> None:
        if not self.console.overview.isVisible():
            return
        self.console.overview.hide()
        if self.swapped_for_overview:
            self.swapped_for_overview = False
            self.swap_screens()  # back to the slides, as before G

    def overview_key(self, key: int, text: str) -> bool:
        """Keys while the overview is open: arrows choose a tile, Enter jumps, Esc or G closes;
        a typed number and Enter still jump. Every other key is kept from the show."""
        K = Qt.Key
        moves = {K.Key_Left: (0, -1), K.Key_Right: (0, 1), K.Key_Up: (-1, 0), K.Key_Down: (1, 0)}
        overview = self.console.overview
        if key in moves:
            overview.move_by(*moves[key])
        elif key in ENTER and not self.keys.digits:
            self.jump_from_console(overview.currentRow())
        elif key in (K.Key_Escape, K.Key_G):
            self.keys.digits = ""
            self.close_overview()
        else:
            command = self.keys.command(key, text)
            if command and command[0] in ("typing", "jump"):
                self.run(*command)
                if command[0] == "jump":
                    self.close_overview()
        return True

    def set_blank(self, colour: str) -> None:
        self.audience.set_blank(colour)
        self.console.show_blank(colour)
        self.say(self.console.blank_state.text() if colour else "Audience sees the slide again")

    # -- keys and closing -----------------------------------------------------------------
    def filter_keys_of(self, widget: QWidget) -> None:
        widget.installEventFilter(self)
        self.key_widgets.append(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.finished:
            return False
        if event.type() == QEvent.Type.ChildAdded and isinstance(event.child(), QWidget):
            self.filter_keys_of(event.child())
        if event.type() == QEvent.Type.KeyPress:
            return self.key_pressed(event)
        if event.type() == QEvent.Type.Close and watched in (self.audience, self.console):
            QTimer.singleShot(0, self.end)  # closed by the window manager: the show is over
        return False

    def key_pressed(self, event: QKeyEvent) -> bool:
        return self.typed(event.key(), event.text())

    def typed(self, key: int, text: str) -> bool:
        """A key typed for the show (here, or before it was made: launch.py); True if used."""
        if self.console.overview.isVisible():
            return self.overview_key(key, text)
        command = self.keys.command(key, text)
        if command is None:
            return False
        self.run(*command)
        return True

    def end(self) -> None:
        """Close both windows and report the slide reached (Esc, End show, or a window closed)."""
        if self.finished:
            return
        self.finished = True
        self.stop_waiting()  # Esc while the first slide paints: it never comes on screen
        self.once_on_screen = []
        for widget in self.key_widgets:
            if shiboken6.isValid(widget):
                widget.removeEventFilter(self)
        self.session.slideChanged.disconnect(self.show_slide)
        self.session.settings.changed.disconnect(self.follow_settings)
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
