"""File > Restore a replaced lesson…: the backups content-pack imports kept, by date, with the
lessons in each; Restore (after a confirmation) puts one back and the library is re-read.

The work is edukit.core.backups: a few renames, all or nothing, and whatever the restore
displaces is kept as a backup in its turn, so a restore can itself be undone from here.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.backups import Backup, BackupError, backups_by_stamp, restore_backups, stamp_time
from ..core.paths import AppDirs
from .plain_text import message_box, plain_label
from .session import Session

EMPTY = ("No replaced lessons are kept. When an import replaces one of your lessons, the old "
         "copy is kept here so you can put it back.")


def describe(backup: Backup) -> str:
    """'Who can I tell? (who-can-i-tell)' for a module, 'routes: wales.yaml' for routes."""
    if backup.kind == "routes":
        return f"Help routes: {backup.name}"
    title = backup.title()
    return f"{title} ({backup.name})" if title else backup.name


def when(stamp: str) -> str:
    """'Fri 27 Nov 2026 at 21:53', from the backup folder's name."""
    kept = stamp_time(stamp)
    return f"{kept:%a %d %b %Y at %H:%M}" if kept else stamp


class RestoreDialog(QDialog):
    """Lists kept backups, newest first; Restore puts the chosen one back after confirming."""

    restored = Signal(list)  # the paths put back

    def __init__(self, dirs: AppDirs, parent: QWidget | None = None):
        super().__init__(parent)
        self.dirs = dirs
        self.confirm: QMessageBox | None = None
        self.setWindowTitle("Restore a replaced lesson")
        self.setObjectName("restore-dialog")
        intro = QLabel("Lessons that an import replaced are kept here. Choose one to put back; "
                       "the version in use now will be kept in its place.", self)
        intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("restore-backups")
        self.tree.setHeaderHidden(True)
        self.tree.setHeaderLabel("Kept lessons")
        self.tree.setAccessibleName("Kept lessons")
        self.tree.itemSelectionChanged.connect(self.update_buttons)
        self.status = plain_label("", self)
        self.status.setObjectName("restore-status")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = self.buttons.addButton("&Restore…",
                                                     QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self.ask_to_restore)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.tree, self.status, self.buttons):
            layout.addWidget(widget)
        self.resize(560, 360)
        self.fill()

    def fill(self) -> None:
        """One row per backup folder (its date), its lessons beneath; the newest is chosen."""
        self.tree.clear()
        self.groups = backups_by_stamp(self.dirs)
        for stamp, backups in self.groups.items():
            item = QTreeWidgetItem([f"Kept {when(stamp)}"])
            item.setData(0, Qt.ItemDataRole.UserRole, stamp)
            for backup in backups:
                child = QTreeWidgetItem([describe(backup)])
                child.setData(0, Qt.ItemDataRole.UserRole, stamp)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        else:
            self.status.setText(EMPTY)
        self.update_buttons()

    def chosen(self) -> str | None:
        """The backup folder of the selected row (a lesson row means its folder)."""
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item and item.isSelected() else None

    def update_buttons(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    def ask_to_restore(self) -> None:
        stamp = self.chosen()
        if stamp is None:
            return
        names = "\n".join(f"• {describe(b)}" for b in self.groups[stamp])
        box = message_box(QMessageBox.Icon.Question, "Restore lessons?",
                          f"Put back the copies kept on {when(stamp)}?\n\n{names}\n\n"
                          "The versions in use now will be kept as a backup.",
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("restore-confirm")
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: button is restore and self.restore(stamp))
        self.confirm = box
        box.open()

    def restore(self, stamp: str) -> None:
        backups = self.groups.get(stamp, [])
        names = [describe(b) for b in backups]
        try:
            if not backups:
                raise BackupError(f"the backup '{stamp}' is no longer there")
            restore_backups(backups, self.dirs)
        except (BackupError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            self.fill()  # the list as it is on disk now
            self.status.setText(f"Not restored: {reason}. Nothing was changed.")
            return
        self.fill()
        self.status.setText("Restored: " + "; ".join(names) + ".")
        self.restored.emit([b.original for b in backups])


def restore_lessons(session: Session, parent: QWidget | None = None) -> RestoreDialog:
    """Open the dialog; after a restore the session re-reads the library."""
    dialog = RestoreDialog(AppDirs.default(), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.restored.connect(lambda _paths: session.reload())
    dialog.open()
    return dialog
