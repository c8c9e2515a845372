"""A keyboard focus ring for list and tree items: the styles draw none on an item view, so a
keyboard user could not tell which lesson or section Enter would open."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QStyledItemDelegate

if TYPE_CHECKING:  # QStyle, QPainter and the rest load when a ring is drawn: making their Python
    # types builds hundreds of enum members, which the window's first paint need not wait for
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

RING_WIDTH = 2


def has_keyboard_focus(option: QStyleOptionViewItem) -> bool:
    """The view has the keyboard and this is its current item (the view is asked first)."""
    if option.widget is None or not option.widget.hasFocus():
        return False
    from PySide6.QtWidgets import QStyle

    return bool(option.state & QStyle.StateFlag.State_HasFocus)


def ring_colour(option: QStyleOptionViewItem):
    """Contrasts with what is under it: the selection's text colour on a selected item (white on
    blue, black on the high-contrast yellow), else the selection colour."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QStyle

    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
    return option.palette.color(role)


def draw_focus_ring(painter: QPainter, option: QStyleOptionViewItem) -> None:
    """A solid ring just inside the item, when its view has the keyboard focus."""
    if not has_keyboard_focus(option):
        return
    from PySide6.QtGui import QPen

    painter.save()
    pen = QPen(ring_colour(option), RING_WIDTH)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = RING_WIDTH // 2 + 1
    painter.drawRect(option.rect.adjusted(inset, inset, -inset - 1, -inset - 1))
    painter.restore()


class FocusRingDelegate(QStyledItemDelegate):
    """The standard item drawing plus the focus ring, with room for the ring around the text."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 2 * RING_WIDTH + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        draw_focus_ring(painter, option)
