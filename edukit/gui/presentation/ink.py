"""Laser pointer and pen over the slides: drawn on transparent overlays, never on the slide page.
The teacher points or draws on the console's current slide (or on the projected one); the marks
are kept in slide-relative coordinates so the projector and the preview show them alike, and
they are cleared when the slide changes."""
from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

LASER = QColor(230, 20, 20, 220)
PEN = QColor(214, 40, 40)
MODES = ("", "laser", "pen")


class Ink(QObject):
    """The marks on the current slide: a laser dot and pen strokes, as fractions of the slide."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.mode = ""  # "" | "laser" | "pen"
        self.laser: QPointF | None = None
        self.strokes: list[list[QPointF]] = []

    def set_mode(self, mode: str) -> None:
        """Laser, pen or neither (the same mode again turns it off)."""
        self.mode = "" if mode == self.mode else mode
        self.laser = None
        self.changed.emit()

    def clear(self) -> None:
        self.laser, self.strokes = None, []
        self.changed.emit()

    def point(self, at: QPointF, pressed: bool, starting: bool) -> None:
        """The pointer moved to `at` (slide fractions), with the button down or not."""
        if self.mode == "laser":
            self.laser = at
        elif self.mode == "pen" and pressed:
            if starting or not self.strokes:
                self.strokes.append([])
            self.strokes[-1].append(at)
        else:
            return
        self.changed.emit()


class InkOverlay(QWidget):
    """Draws the ink over whatever it covers; takes the mouse only while a mode is on and it is
    `interactive` (the console's preview, or the projector's window)."""

    def __init__(self, ink: Ink, parent: QWidget, interactive: bool = True):
        super().__init__(parent)
        self.ink, self.interactive = ink, interactive
        self.setObjectName("ink-overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setMouseTracking(True)
        ink.changed.connect(self.follow_mode)
        self.follow_mode()

    def follow_mode(self) -> None:
        takes_mouse = self.interactive and bool(self.ink.mode)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not takes_mouse)
        self.setCursor(Qt.CursorShape.CrossCursor if takes_mouse else Qt.CursorShape.ArrowCursor)
        self.raise_()
        self.update()

    def fraction(self, x: float, y: float) -> QPointF:
        return QPointF(x / max(1, self.width()), y / max(1, self.height()))

    def mousePressEvent(self, event) -> None:
        self.ink.point(self.fraction(*event.position().toTuple()), True, True)

    def mouseMoveEvent(self, event) -> None:
        pressed = bool(event.buttons() & Qt.MouseButton.LeftButton)
        self.ink.point(self.fraction(*event.position().toTuple()), pressed, False)

    def to_widget(self, at: QPointF) -> QPointF:
        return QPointF(at.x() * self.width(), at.y() * self.height())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale = max(1.0, self.height() / 360)
        painter.setPen(QPen(PEN, 3 * scale, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        for stroke in self.ink.strokes:
            points = [self.to_widget(p) for p in stroke]
            painter.drawPolyline(points) if len(points) > 1 else painter.drawPoint(points[0])
        if self.ink.laser is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(LASER)
            painter.drawEllipse(self.to_widget(self.ink.laser), 7 * scale, 7 * scale)
        painter.end()
