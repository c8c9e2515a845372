"""Text from lessons, packs, settings or file names shown in Qt widgets as plain text.

Qt guesses: a QLabel, QMessageBox or tooltip whose text "might be rich text" (a tag near the
start) is drawn as HTML, so a summary like `<img src=...>` or `<a href=...>` would load a file or
show a live link. Every widget that shows such text goes through one of these functions.

QMessageBox is imported where a box is made: making its Python type (and its enums) is work the
window's first paint need not wait for (issue 17).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ..core.escape import html_text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

PLAIN = Qt.TextFormat.PlainText


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that always shows its text as written, never as HTML."""
    label = QLabel(parent)
    label.setTextFormat(PLAIN)
    label.setText(text)
    return label


def tooltip_text(text: str) -> str:
    """A tooltip that shows `text` as written. Tooltips have no text format of their own, so
    the text is escaped into rich text (which also lets long tooltips wrap)."""
    lines = html_text(text).split("\n")
    return "<qt>" + "<br>".join(lines) + "</qt>"


def window_title(text: str) -> str:
    """A window title that shows `text` as written: Qt hides a "[*]" (its modified-document
    marker) unless it is doubled."""
    return text.replace("[*]", "[*][*]")


def message_box(icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton | None = None,
                parent: QWidget | None = None) -> QMessageBox:
    """A QMessageBox whose text is plain (QMessageBox's static helpers guess the format);
    no buttons given: the box has none of the standard ones (add your own)."""
    from PySide6.QtWidgets import QMessageBox

    if buttons is None:
        buttons = QMessageBox.StandardButton.NoButton
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(PLAIN)
    return box


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A modal warning with plain text: QMessageBox.warning, without the format guess."""
    from PySide6.QtWidgets import QMessageBox

    message_box(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                parent).exec()


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A modal Yes/No question with plain text, No by default; True for Yes."""
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    box = message_box(QMessageBox.Icon.Question, title, text, buttons, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
