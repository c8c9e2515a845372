"""Reload a module edited on disk while it is open: a file watcher, and a check on focus.

The changed files are read on a pool thread (a lesson may be 1 MB, its disk slow or a network
share); the UI thread only takes what was read and redraws."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication

from .background import Job
from .session import Session


class ModuleWatcher(QObject):
    """Watches the current module's file; any change (or coming back to the app) reloads it."""

    reloaded = Signal()  # the session has taken what was read (tests wait for it)

    def __init__(self, session: Session, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.watcher = QFileSystemWatcher(self)
        self.debounce = QTimer(self, singleShot=True, interval=150)  # editors write in bursts
        self.debounce.timeout.connect(self.reload)
        self.watcher.fileChanged.connect(lambda _: self.debounce.start())
        self.watcher.directoryChanged.connect(lambda _: self.debounce.start())
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.reading = self.again = False

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
        """Read what changed on the pool thread; `take` reloads the session with it. A change
        noticed while reading is read again afterwards."""
        if self.reading:
            self.again = True
            return
        self.reading = True
        library, also = self.session.library, self.opened_path()
        Job(lambda: library.read_changed(also), succeeded=self.take,
            failed=self.not_read).start(self.pool)

    def opened_path(self) -> list[Path]:
        module = self.session.module
        if module is None or module.origin != "file":
            return []
        return [Path(module.path).resolve()]

    def not_read(self, _reason: str) -> None:
        self.reading = False  # (read_changed reports unreadable files itself; this is a bug's)

    def take(self, fresh: dict) -> None:
        self.session.library.take(fresh)
        self.session.reload()
        self.watch_current()
        self.reading = False
        self.reloaded.emit()
        if self.again:
            self.again = False
            self.reload()
