"""Reload a module edited on disk while it is open: a file watcher, and a check on focus."""
from __future__ import annotations

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from .session import Session


class ModuleWatcher(QObject):
    """Watches the current module's file; any change (or coming back to the app) reloads it."""

    def __init__(self, session: Session, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.watcher = QFileSystemWatcher(self)
        self.debounce = QTimer(self, singleShot=True, interval=150)  # editors write in bursts
        self.debounce.timeout.connect(self.reload)
        self.watcher.fileChanged.connect(lambda _: self.debounce.start())
        self.watcher.directoryChanged.connect(lambda _: self.debounce.start())

    def start(self) -> None:
        self.session.moduleChanged.connect(self.watch_current)
        QApplication.instance().applicationStateChanged.connect(self.state_changed)
        self.watch_current()

    def watch_current(self, *_: object) -> None:
        old = self.watcher.files() + self.watcher.directories()
        if old:
            self.watcher.removePaths(old)
        module = self.session.module
        if module is not None:
            # The folder too: editors that save by renaming replace the file we were watching.
            self.watcher.addPaths([str(module.path), str(module.folder)])

    def state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.reload()

    def reload(self) -> None:
        self.session.reload()
        self.watch_current()
