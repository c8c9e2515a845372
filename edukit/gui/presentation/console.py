"""The presenter console: the current and next slide, safeguarding pinned above the notes in
large type, the time against the module's plan, slide n of N, a jump list and a clock."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtWebEngineCore import QWebEngineProfile
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core.model import Slide
from ...core.slide_shape import DEFAULT_SHAPE
from ..accessible import name_helper_widgets
from ..plain_text import tooltip_text, window_title
from .audience import SlideView, letterbox
from .fonts import relative_to_system
from .ink import Ink, InkOverlay
from .overview import SlideOverview, overview_style
from .panes import TeacherPanes
from .timing import Stopwatch, clock, pace, plan

# The cue's fill per state, white words on each at 4.5:1 or more; the words ("Behind by 3 min")
# carry the state, the colour only helps.
PACE_COLOURS = {"none": "#55606e", "ahead": "#1f5fa8", "on-time": "#2e7d32",
                "behind": "#8a5300", "over": "#b3403a"}
STYLE = """
#presenter-console { background: #1d232b; color: #f2f4f7; }
QLabel { color: #f2f4f7; }
QLabel#slide-count { font-size: 22pt; font-weight: 700; }
QLabel#clock, QLabel#elapsed { font-size: 20pt;  }
QLabel#pace { font-size: 16pt; font-weight: 700; padding: 4px 12px; border-radius: 6px; }
QLabel#caption { color: #aab4c0; font-size: 11pt; font-weight: 600; }
QLabel#blank-state { background: #b3403a; color: white; font-size: 14pt; font-weight: 700;
                     padding: 4px 12px; border-radius: 6px; }
QLabel#safeguarding-more { background: #b3403a; color: white; font-size: 12pt; font-weight: 700;
                            padding: 2px 8px; }
QLabel#typed { background: #1f5fa8; color: white; font-size: 14pt; padding: 4px 12px;
               border-radius: 6px; }
QTextBrowser#notes { background: #fffdf6; color: #1d232b; border: none; padding: 12px; }
QTextBrowser#safeguarding { background: #fdeeee; color: #1d232b; border: 3px solid #b3403a;
                            padding: 8px; }
QListWidget#jump-list { background: #262e38; color: #f2f4f7; border: none; font-size: 12pt; }
QListWidget#jump-list::item:selected { background: #1f5fa8; }
QPushButton, QComboBox { font-size: 11pt; padding: 6px 12px; }
"""
# The high-contrast theme: white and yellow on black, 7:1 and more (the usual style's white on
# red or blue is 5 to 6:1).
CONTRAST_STYLE = """
#presenter-console { background: #000000; color: #ffffff; }
QLabel { color: #ffffff; }
QLabel#caption { color: #ffffff; }
QLabel#blank-state { background: #ffff00; color: #000000; }
QLabel#safeguarding-more { background: #ffff00; color: #000000; }
QLabel#typed { background: #000000; color: #ffff00; border: 2px solid #ffff00; }
QTextBrowser#notes { background: #000000; color: #ffffff; border: 2px solid #ffffff; }
QTextBrowser#safeguarding { background: #000000; color: #ffffff; border: 3px solid #ff6060; }
QListWidget#jump-list { background: #000000; color: #ffffff; border: 1px solid #ffffff; }
QListWidget#jump-list::item:selected { background: #ffff00; color: #000000; }
"""
# The cue in high contrast: black words on bright fills.
PACE_CONTRAST_COLOURS = {"none": "#ffffff", "ahead": "#66c2ff", "on-time": "#00ff00",
                         "behind": "#ffff00", "over": "#ff6060"}


def console_style(theme: str) -> str:
    """The console's style sheet for the reading theme (only high contrast changes it)."""
    return relative_to_system(STYLE + (CONTRAST_STYLE if theme == "contrast" else ""))


class AspectBox(QWidget):
    """Keeps its children (a slide view, and the ink over it) in the projector's shape (16:9
    until told), as large as fits, centred: the preview shows the slide as the class sees it."""

    def __init__(self, child: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.children_kept = [child]
        self.shape = DEFAULT_SHAPE
        child.setParent(self)

    def keep(self, child: QWidget) -> None:
        child.setParent(self)
        self.children_kept.append(child)
        child.setGeometry(letterbox(self.width(), self.height(), self.shape))
        child.show()

    def set_shape(self, shape: tuple[int, int]) -> None:
        self.shape = shape
        self.place_children()

    def place_children(self) -> None:
        for child in self.children_kept:
            child.setGeometry(letterbox(self.width(), self.height(), self.shape))

    def resizeEvent(self, event) -> None:
        self.place_children()


def pace_style(state: str, theme: str = "light") -> str:
    """The pacing cue's colours for a state (timing.pace) in a reading theme."""
    if theme == "contrast":
        return f"background: {PACE_CONTRAST_COLOURS[state]}; color: black;"
    return f"background: {PACE_COLOURS[state]}; color: white;"


def label(text: str, name: str) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    return widget


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when it has less room than its text (a long title)."""

    def __init__(self, text: str, name: str):
        super().__init__(text)
        self.setObjectName(name)
        self.full_text = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        elided = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, self.width())
        if elided != self.text():
            self.setText(elided)


def row(*widgets: QWidget | None) -> QHBoxLayout:
    """A horizontal bar of widgets; None is a stretch."""
    layout = QHBoxLayout()
    for widget in widgets:
        if widget is None:
            layout.addStretch(1)
        else:
            layout.addWidget(widget, 1 if isinstance(widget, ElidedLabel) else 0)
    return layout


def button(text: str, name: str) -> QPushButton:
    widget = QPushButton(text)
    widget.setObjectName(name)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys always go to the show
    return widget


class PresenterConsole(QWidget):
    """The teacher's screen. It shows state and asks the presentation to act; it changes nothing."""

    jumpRequested = Signal(int)
    swapRequested = Signal()
    projectorChosen = Signal(str)  # screen name
    endRequested = Signal()

    def __init__(self, profile: QWebEngineProfile, title: str, slides: Sequence[Slide],
                 duration: int | None, notes_points: int = 22):
        super().__init__()
        self.setObjectName("presenter-console")
        self.setWindowTitle(window_title(f"{title} — presenter console"))
        self.setStyleSheet(console_style("light"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.theme = "light"
        self.slides, self.minutes = tuple(slides), plan(slides, duration)
        self.index, self.stopwatch = 0, Stopwatch()
        self.notes_points = notes_points
        self.current = SlideView(profile)
        self.current.setAccessibleName("Now showing")
        self.next = SlideView(profile)
        self.next.setAccessibleName("Next slide")
        self.build(title)
        name_helper_widgets(self)
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start(500)

    def build(self, title: str) -> None:
        self.count = label("", "slide-count")
        self.clock, self.elapsed = label("", "clock"), label("", "elapsed")
        self.pace = label("", "pace")
        self.blank_state = label("", "blank-state")
        self.blank_state.setWordWrap(True)  # a banner of its own row: it never widens the bar
        self.typed = label("", "typed")
        self.ink_state = label("", "typed")
        self.blank_state.hide()
        self.typed.hide()
        self.ink_state.hide()
        self.pause = button("Pause timer", "pause-timer")
        self.reset = button("Reset timer", "reset-timer")
        self.swap = button("Swap screens", "swap-screens")
        self.end = button("End show (Esc)", "end-show")
        self.projector = QComboBox()
        self.projector.setObjectName("projector-screen")
        self.projector.setAccessibleName("Projector screen")
        self.projector.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.projector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.projector.setMinimumContentsLength(8)  # long screen names are cut, not the bar
        self.pause.clicked.connect(self.toggle_timer)
        self.reset.clicked.connect(self.reset_timer)
        self.swap.clicked.connect(self.swapRequested)
        self.end.clicked.connect(self.endRequested)
        self.projector.activated.connect(lambda i: self.projectorChosen.emit(self.projector.itemText(i)))
        self.title = ElidedLabel(title, "caption")
        self.title.setToolTip(title)
        self.projector_caption = label("Projector:", "caption")
        self.panes = TeacherPanes(self.notes_points)
        self.safeguarding, self.notes = self.panes.safeguarding, self.panes.notes
        self.build_jump_list()
        self.end_label = label("End of the slides", "caption")
        self.end_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer = QVBoxLayout(self)
        outer.addLayout(row(self.count, self.elapsed, self.pace, None, self.clock))
        outer.addLayout(row(self.blank_state, self.typed, self.ink_state))
        middle = QHBoxLayout()
        middle.addLayout(self.slides_grid(), 5)
        middle.addWidget(self.panes, 6)
        outer.addLayout(middle, 1)
        self.overview = SlideOverview(self.slides, self)  # over the console, not in its layout
        self.overview.chosen.connect(self.jumpRequested)
        outer.addLayout(row(self.title, self.pause, self.reset, self.projector_caption,
                            self.projector, self.swap, self.end))
        self.tick()

    def build_jump_list(self) -> None:
        self.jump_list = QListWidget()
        self.jump_list.setObjectName("jump-list")
        self.jump_list.setAccessibleName("Slides")
        self.jump_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.jump_list.addItems([f"{n}. {s.title}" for n, s in enumerate(self.slides, 1)])
        self.jump_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.jump_list.setTextElideMode(Qt.TextElideMode.ElideRight)  # long titles end in "…"
        for n in range(self.jump_list.count()):
            self.jump_list.item(n).setToolTip(tooltip_text(self.jump_list.item(n).text()))
        self.jump_list.itemClicked.connect(lambda item: self.jumpRequested.emit(self.jump_list.row(item)))

    def slides_grid(self) -> QGridLayout:
        """Now showing above; next slide and the jump list below."""
        grid = QGridLayout()
        grid.addWidget(label("NOW SHOWING", "caption"), 0, 0)
        self.current_box = AspectBox(self.current)
        grid.addWidget(self.current_box, 1, 0, 1, 2)
        grid.addWidget(label("NEXT", "caption"), 2, 0)
        grid.addWidget(label("SLIDES", "caption"), 2, 1)
        nxt = QWidget()
        nxt_layout = QVBoxLayout(nxt)
        nxt_layout.setContentsMargins(0, 0, 0, 0)
        self.next_box = AspectBox(self.next)
        nxt_layout.addWidget(self.next_box, 1)
        nxt_layout.addWidget(self.end_label)
        grid.addWidget(nxt, 3, 0)
        grid.addWidget(self.jump_list, 3, 1)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        return grid

    def show_slide(self, module_id: str, index: int) -> None:
        """Everything on the console that follows the current slide."""
        self.index = index
        slide = self.slides[index]
        self.count.setText(f"Slide {index + 1} of {len(self.slides)}")
        self.current.show_slide(module_id, index)
        last = index + 1 >= len(self.slides)
        if last:
            self.next.hold()  # shown again later, it keeps its picture until Chromium paints
        self.next.setVisible(not last)
        self.end_label.setVisible(last)
        if not last:
            self.next.show_slide(module_id, index + 1)
        self.panes.show_texts(slide.safeguarding_html, slide.notes_html)
        self.jump_list.setCurrentRow(index)
        self.tick()

    def event(self, event) -> bool:
        """The desktop's font changed while presenting: the console's type follows it."""
        if event.type() == QEvent.Type.ApplicationFontChange and hasattr(self, "overview"):
            self.setStyleSheet(console_style(self.theme))
            self.overview.setStyleSheet(overview_style(self.theme))
        return super().event(event)

    def set_theme(self, theme: str) -> None:
        """The window's reading theme: high contrast restyles the console and the overview."""
        self.theme = theme
        self.setStyleSheet(console_style(theme))
        self.overview.setStyleSheet(overview_style(theme))
        self.tick()

    def set_projector_shape(self, shape: tuple[int, int]) -> None:
        """The previews take the shape the slides have on the projector."""
        for box in (self.current_box, self.next_box):
            box.set_shape(shape)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.overview.isVisible():
            self.overview.setGeometry(self.rect())

    def set_notes_points(self, points: int) -> int:
        """Notes in this type size (within bounds); returns the size used."""
        self.notes_points = self.panes.set_notes_points(points)
        return self.notes_points

    def show_blank(self, colour: str) -> None:
        self.blank_state.setText(f"Audience sees a {colour} screen ({'B' if colour == 'black' else 'W'} to return)")
        self.blank_state.setVisible(bool(colour))

    def add_ink(self, ink: Ink) -> None:
        """The laser and pen, used on the current slide's preview; the mode shown above."""
        self.current_box.keep(InkOverlay(ink, self.current_box))
        ink.changed.connect(lambda: self.show_ink_mode(ink.mode))

    def show_ink_mode(self, mode: str) -> None:
        texts = {"laser": "Laser pointer: point on the slide (L to stop)",
                 "pen": "Pen: draw on the slide (D to stop, E to erase)"}
        self.ink_state.setText(texts.get(mode, ""))
        self.ink_state.setVisible(bool(mode))

    def show_typed(self, number: int | None) -> None:
        self.typed.setText(f"Go to slide {number} — Enter" if number else "")
        self.typed.setVisible(bool(number))

    def set_screens(self, names: Sequence[str], projector: str) -> None:
        """The projector chooser: shown when there is more than one screen to choose from."""
        self.projector.setVisible(len(names) > 1)
        self.projector_caption.setVisible(len(names) > 1)
        # One screen: the button (and S) puts the slides back in front of this console.
        self.swap.setText("Swap screens" if len(names) > 1 else "Show slides (S)")
        self.projector.clear()
        self.projector.addItems(list(names))
        self.projector.setCurrentText(projector)

    def toggle_timer(self) -> None:
        if self.stopwatch.running:
            self.stopwatch.pause()
        else:
            self.stopwatch.resume()
        self.tick()

    def reset_timer(self) -> None:
        self.stopwatch.reset()
        self.tick()

    def tick(self) -> None:
        """Refresh the clock, elapsed time and pacing cue."""
        self.clock.setText(QTime.currentTime().toString("HH:mm"))
        total = sum(self.minutes)
        seconds = self.stopwatch.elapsed()
        planned = f" / {clock(total * 60)}" if total else ""
        paused = "  (paused)" if not self.stopwatch.running else ""
        self.elapsed.setText(f"{clock(seconds)}{planned}{paused}")
        self.pause.setText("Resume timer" if not self.stopwatch.running else "Pause timer")
        if self.slides:
            state = pace(seconds, self.minutes, self.index)
            self.pace.setText(state.label)
            self.pace.setStyleSheet(pace_style(state.state, self.theme))
