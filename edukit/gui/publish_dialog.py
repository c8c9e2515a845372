"""File > Publish as website…: the library as an offline website (edukit.core.site), for school
laptops, Chromebooks and tablets where edukit cannot be installed. Publishing runs on a worker
thread (edukit.gui.background's Job); a site for pupils is the default, guides are a choice."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..core.site import SiteError, SiteOptions, publish_site
from .background import Job
from .session import Session


class PublishDialog(QDialog):
    """Choose a folder and the kind of site, then publish; the result is said in the dialog."""

    published = Signal(Path)  # the site's index.html

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Publish as website")
        self.setObjectName("publish-dialog")
        self.folder = QLineEdit(str(Path.home() / "edukit-site"), self)
        self.folder.setObjectName("publish-folder")
        self.folder.setAccessibleName("Folder")
        choose = QPushButton("Choose…", self)
        choose.clicked.connect(self.choose_folder)
        self.for_pupils = QRadioButton("For pupils and families: lessons, slides and handouts "
                                       "(no teacher notes or safeguarding text)", self)
        self.for_staff = QRadioButton("For staff only: add teacher guides and notes pages", self)
        self.for_pupils.setChecked(True)
        self.overwrite = QCheckBox("Replace a site published in this folder before", self)
        self.status = QLabel("", self)
        self.status.setObjectName("publish-status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # paths are shown as they are
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.publish_button = self.buttons.addButton(
            "Publish", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button = self.buttons.addButton(
            "Open in browser", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(False)
        self.publish_button.clicked.connect(self.publish)
        self.open_button.clicked.connect(self.open_site)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Folder (a shared drive, a USB stick, a web server's folder):"))
        layout.addLayout(row)
        for widget in (self.for_pupils, self.for_staff, self.overwrite, self.status, self.buttons):
            layout.addWidget(widget)
        self.index: Path | None = None
        self.resize(600, 260)

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Publish the website into",
                                                  self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def options(self) -> SiteOptions:
        return SiteOptions(with_guides=self.for_staff.isChecked(),
                           overwrite=self.overwrite.isChecked(),
                           font=self.session.reading_font, spacing=self.session.line_spacing)

    def publish(self) -> None:
        out = Path(self.folder.text().strip()).expanduser()
        library, school, options = self.session.library, self.session.school, self.options()
        modules = [m for m in library.modules if m.loaded]

        def work() -> Path:
            try:
                return publish_site(library, modules, out, options, school) / "index.html"
            except SiteError as exc:  # the Job reports OSErrors as one line
                raise OSError(str(exc)) from None

        self.publish_button.setEnabled(False)
        self.status.setText(f"Publishing {len(modules)} lessons…")
        self._job = Job(work, succeeded=self.finished_publishing, failed=self.failed).start()

    def finished_publishing(self, index: Path) -> None:
        """(Not `done`: that is QDialog's own, which Close and Esc call to shut the dialog.)"""
        self.index = index
        kind = "with teacher guides: for staff only" if self.for_staff.isChecked() else \
            "for pupils and families"
        self.status.setText(f"Published ({kind}). Open {index} in any browser.")
        self.publish_button.setEnabled(True)
        self.open_button.setEnabled(True)
        self.published.emit(index)

    def failed(self, message: str) -> None:
        self.status.setText(f"Not published: {message}")
        self.publish_button.setEnabled(True)

    def open_site(self) -> None:
        if self.index is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.index)))


def publish_website(session: Session, parent: QWidget | None = None) -> PublishDialog:
    dialog = PublishDialog(session, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
