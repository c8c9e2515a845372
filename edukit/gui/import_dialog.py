"""File > Import lessons…: pick a content pack, see what it adds or replaces, confirm, install.

The pack is checked completely (edukit.core.packs) before the summary is shown; nothing is
written until the user presses Install, and Install writes the bytes that were checked, even if
the file has changed since. Checking and installing run on a worker thread; any failure there
comes back as a message, so the dialog never stays at "Installing…".
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.packs import PackError, PackPlan, check_pack, install_pack
from ..core.paths import AppDirs
from .background import Job
from .plain_text import message_box, plain_label
from .session import Session


class ImportDialog(QDialog):
    """Shows a checked pack's summary; Install puts it in the user's content folder."""

    installed = Signal(list)  # the installed paths

    def __init__(self, plan: PackPlan, dirs: AppDirs, parent: QWidget | None = None):
        super().__init__(parent)
        self.plan, self.dirs = plan, dirs
        self.setWindowTitle("Import lessons")
        self.setObjectName("import-dialog")
        intro = plain_label(f"{plan.pack.name} has been checked. Installing it will:", self)
        self.summary = QPlainTextEdit("\n".join(plan.summary()), self)
        self.summary.setObjectName("import-summary")
        self.summary.setReadOnly(True)
        if plan.warnings:
            self.summary.appendPlainText("\nWarnings:\n" + "\n".join(str(p) for p in plan.warnings))
        self.status = plain_label("", self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.install_button = self.buttons.addButton("Install", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.install)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.summary, self.status, self.buttons):
            layout.addWidget(widget)
        self.resize(560, 320)

    def install(self) -> None:
        self.install_button.setEnabled(False)
        self.status.setText("Installing…")
        Job(lambda: install_pack(self.plan, self.dirs), expected=(PackError,),
            succeeded=self.done_installing, failed=self.failed).start()

    def done_installing(self, paths: list[Path]) -> None:
        self.installed.emit(paths)
        self.accept()

    def failed(self, message: str) -> None:
        self.status.setText(f"Not installed: {message}. Nothing was changed.")
        self.install_button.setEnabled(True)


def check_in_background(pack: Path, dirs: AppDirs, bundled: set[str],
                        on_plan: Callable[[PackPlan], None], on_error: Callable[[str], None]) -> Job:
    """Check a pack on a worker thread; one of the callbacks runs on the UI thread after."""
    return Job(lambda: check_pack(pack, dirs, bundled), expected=(PackError,),
               succeeded=on_plan, failed=on_error).start()


def import_lessons(session: Session, parent: QWidget | None = None, pack: Path | None = None) -> Job | None:
    """Ask for a pack (unless given), check it, then show the summary dialog. parent (the main
    window) owns the dialog and any message."""
    if pack is None:
        chosen, _ = QFileDialog.getOpenFileName(parent, "Import lessons", str(Path.home()),
                                                "Lesson packs (*.zip)")
        if not chosen:
            return None
        pack = Path(chosen)
    dirs = AppDirs.default()
    bundled = {m.id for m in session.library.all if m.origin == "bundled"}

    def show(plan: PackPlan) -> None:
        dialog = ImportDialog(plan, dirs, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.installed.connect(lambda _paths: session.reload())
        dialog.open()

    def refuse(message: str) -> None:
        box = message_box(QMessageBox.Icon.Warning, "Pack not imported",
                          f"{message}\n\nNothing was installed.", parent=parent)
        box.setObjectName("import-refused")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    return check_in_background(pack, dirs, bundled, show, refuse)
