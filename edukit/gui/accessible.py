"""What a screen reader needs beyond the widgets' own text: names for the helper widgets Qt
makes unnamed inside ours, and spoken announcements of changes nobody moved the focus to."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QToolBar, QToolButton, QWidget


def name_helper_widgets(root: QWidget) -> None:
    """Name the parts Qt adds without a name, which a screen reader would read as "button":
    a line edit's clear button, a combo box's drop-down list, a toolbar's overflow button."""
    for edit in root.findChildren(QLineEdit):
        for button in edit.findChildren(QToolButton):
            button.setAccessibleName("Clear text")
            button.setAccessibleDescription(f"Empties the field {edit.accessibleName()}".strip())
    for combo in root.findChildren(QComboBox):
        combo.view().setAccessibleName(spoken_name(combo) or "Choices")
    for bar in root.findChildren(QToolBar):
        overflow = bar.findChild(QToolButton, "qt_toolbar_ext_button")
        if overflow is not None:
            overflow.setAccessibleName("More toolbar buttons")


def spoken_name(widget: QWidget) -> str:
    """The widget's accessible name, or the text of the label that names it (its buddy)."""
    if widget.accessibleName():
        return widget.accessibleName()
    for label in widget.window().findChildren(QLabel):
        if label.buddy() is widget:
            return label.text().replace("&", "").rstrip(": ")
    return ""


def announce(widget: QWidget, message: str, assertive: bool = False) -> None:
    """Have the screen reader say `message` (AT-SPI's announcement; Qt 6.8+): for changes that
    happen where the keyboard focus is not, such as the slide a presenter moved to."""
    # Loaded here, not with the window: making QAccessible's Python type builds its enums
    # (~150 roles and events), a cost the first paint need not wait for.
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

    if not QAccessible.isActive():
        return  # no assistive technology is listening: nothing to build
    event = QAccessibleAnnouncementEvent(widget, message)
    if assertive:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)
