"""A dismissible banner under the toolbar for problems met while starting up — a settings or
state file that could not be read and was set aside — shown once, after the first lesson is
painted, so the reader learns of it without a terminal and without delaying the lesson."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from .main_window import MainWindow
from .plain_text import plain_label, tooltip_text

INTRO = "Some saved settings could not be read, so edukit is using its defaults:"
# Dark words on the pale band in every theme (the dark themes' palette would draw light words).
NOTICE_STYLE = ("QToolBar#startup-notice { background: #fff4d6; border-bottom: 1px solid #a07400; }"
                " QLabel#startup-notice-text { color: #3b2f00; }")
# edukit.core.settings.read_json's warning; anything else is shown as it is.
SET_ASIDE = re.compile(r"(?P<path>.+): unreadable \((?P<why>.*)\); using defaults, "
                       r"(old file kept as (?P<kept>[^/\\]+)|the file was left as it is)$",
                       re.DOTALL)
WHAT = {"preferences.json": "Your preferences (theme, zoom, paper)",
        "ui-state.json": "Where you left off (last lesson, window layout)",
        "school.json": "Your school details"}


def plain(message: str) -> str:
    """A set-aside warning in plain words: what was lost, the file, where the old copy is."""
    found = SET_ASIDE.match(message)
    if found is None:
        return message
    path = Path(found["path"])
    what = WHAT.get(path.name, "A settings file")
    if found["kept"] is None:  # it could not be moved: the folder is read-only, or not a folder
        return f"{what} could not be read ({path}); defaults are in use."
    return (f"{what} could not be read ({path}). The old copy was kept as "
            f"{path.with_name(found['kept'])}.")


class StartupNotice(QToolBar):
    """The banner itself: the messages, one per line, and a Dismiss button."""

    def __init__(self, messages: list[str], parent: QMainWindow):
        super().__init__("Start-up notice", parent)
        self.setObjectName("startup-notice")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)  # not a toolbar the user switches on and off
        body = QWidget(self)
        self.label = plain_label("\n".join([INTRO, *(f"• {plain(m)}" for m in messages)]), body)
        self.label.setObjectName("startup-notice-text")
        # the exact reasons, for whoever fixes it
        self.label.setToolTip(tooltip_text("\n".join(messages)))
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.dismiss_button = QPushButton("&Dismiss", body)
        self.dismiss_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(body)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(body)
        self.setStyleSheet(NOTICE_STYLE)

    def dismiss(self) -> None:
        self.hide()
        self.deleteLater()


def show_after_first_paint(window: MainWindow, messages: list[str]) -> None:
    """Show the banner once the window's first page is painted (at once if it is, or if
    there is no lesson to load)."""
    if not messages:
        return

    def show() -> None:
        window.addToolBarBreak()
        window.addToolBar(StartupNotice(messages, window))

    if window.started or window.session.module is None:
        QTimer.singleShot(0, show)
    else:
        window.firstPainted.connect(show, Qt.ConnectionType.SingleShotConnection)
