"""Help > Keyboard shortcuts (F1): every key the app answers to, listed from the action table and
the show's key map, so the list can never disagree with what the keys do."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .actions import ACTIONS, plain_text, shortcut_text
from .presentation.keys import COMMANDS, NEXT, PREVIOUS, K, key_name

SHOW_COMMANDS = {"first": "First slide", "last": "Last slide", "black": "Black screen (again to return)",
                 "white": "White screen (again to return)",
                 "swap-view": "Swap slides and console (one screen)", "end": "End the show",
                 "notes-larger": "Larger notes text (remembered)",
                 "notes-smaller": "Smaller notes text (remembered)",
                 "overview": "Overview of all slides, to jump to one (again to close)",
                 "pointer": "Show or hide the mouse pointer on the slides",
                 "laser": "Laser pointer on the slide (again to stop)",
                 "pen": "Pen: draw on the slide (again to stop)",
                 "erase": "Erase the pen marks (they also go on the next slide)"}
IN_PANES = (
    ("Library", "Up, Down", "Move through the lessons"),
    ("Library", "Enter", "Open the lesson"),
    ("Search", "Up, Down, Enter", "Choose a result and open it"),
    ("Search", "Esc", "Clear the search"),
    ("Find in lesson", "Enter, Shift+Enter", "Next / previous match"),
    ("Find in lesson", "Esc", "Close the find bar"),
    ("Contents", "Up, Down, Enter", "Go to a part of the lesson"),
)


def key_names(keys) -> str:
    names = [key_name(k) for k in keys]
    return ", ".join(dict.fromkeys(names))  # in the key map's order, each name once


def menu_rows() -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every action in the table, in menu order."""
    return [(spec.menu.replace("&", ""), plain_text(spec), shortcut_text(spec)) for spec in ACTIONS]


def show_rows() -> list[tuple[str, str, str]]:
    """(group, keys, what) for the presentation's keys, from its key map."""
    by_command: dict[str, list] = {}
    for key, command in COMMANDS.items():
        by_command.setdefault(command, []).append(key)
    rows = [("Presenting", key_names((*NEXT, K.Key_Return)), "Next slide"),
            ("Presenting", key_names(PREVIOUS), "Previous slide"),
            ("Presenting", "a number, then Enter", "Go to that slide")]
    rows += [("Presenting", key_names(keys), SHOW_COMMANDS.get(command, command))
             for command, keys in by_command.items()]
    return rows


class ShortcutsDialog(QDialog):
    """A read-only list, grouped by menu; Esc or Close shuts it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcuts-dialog")
        intro = QLabel("Everything in edukit works from the keyboard. Alt and a menu's underlined "
                       "letter opens that menu; F6 moves between the search, library, lesson and "
                       "contents.", self)
        intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcuts")
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Action", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.fill()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(620, 560)

    def group(self, name: str) -> QTreeWidgetItem:
        found = self.tree.findItems(name, Qt.MatchFlag.MatchExactly, 0)
        if found:
            return found[0]
        item = QTreeWidgetItem(self.tree, [name])
        item.setFirstColumnSpanned(True)
        item.setData(1, Qt.ItemDataRole.AccessibleTextRole, name)  # the spanned cell, read alone
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        return item

    def add(self, group: str, what: str, keys: str) -> None:
        item = QTreeWidgetItem(self.group(group), [what, keys or "menu only"])
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{what}: {keys or 'from the menu'}")

    def fill(self) -> None:
        for menu, what, keys in menu_rows():
            self.add(f"{menu} menu", what, keys)
        for group, keys, what in (*IN_PANES, *show_rows()):
            self.add(group, what, keys)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def rows(self) -> list[tuple[str, str]]:
        """(action, keys) as listed, for tests and screen readers' sake."""
        return [(self.tree.topLevelItem(i).child(j).text(0), self.tree.topLevelItem(i).child(j).text(1))
                for i in range(self.tree.topLevelItemCount())
                for j in range(self.tree.topLevelItem(i).childCount())]


def show_shortcuts(parent: QWidget | None = None) -> ShortcutsDialog:
    dialog = ShortcutsDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
