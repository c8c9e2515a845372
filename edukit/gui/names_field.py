"""The print dialog's names for certificates: one name a line, typed or loaded from a text
file (the same names `edukit export --as certificate --names FILE.txt` reads). Names are
untrusted: edukit.core.names bounds and cleans them and says in one line what it cut."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.names import NamesError, names_problem, read_names_file
from ..core.resources import clean_names
from .plain_text import plain_label

PAUSE_MS = 600  # typing names remakes the pages once the typist pauses


class NamesField(QWidget):
    """The names box, its Load from file… button and a line saying what was cut."""

    namesChanged = Signal()  # after a pause in typing, or at once for a loaded file

    def __init__(self, names: tuple[str, ...] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("print-names-row")
        self.edit = QPlainTextEdit("\n".join(names), self)
        self.edit.setObjectName("print-names")
        self.edit.setPlaceholderText("One name per line: a certificate for each")
        self.edit.setAccessibleName("Names for the certificates, one per line")
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 4 + 12)
        self.load_button = QPushButton("Load &from file…", self)
        self.load_button.clicked.connect(self.choose_file)
        self.note = plain_label(parent=self)
        self.note.setObjectName("print-names-note")
        self.note.setWordWrap(True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PAUSE_MS)
        self.timer.timeout.connect(self.namesChanged)
        self.edit.textChanged.connect(self.typed)
        side = QVBoxLayout()
        side.addWidget(self.load_button)
        side.addWidget(self.note, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("&Names:", self, buddy=self.edit), 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.edit, 2)
        layout.addLayout(side, 1)

    def names(self) -> tuple[str, ...]:
        """The names as they will print: cleaned and bounded."""
        return clean_names(self.edit.toPlainText().splitlines())

    def typed(self) -> None:
        self.note.setText(names_problem(self.edit.toPlainText().splitlines()))
        self.timer.start()

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Names for the certificates", str(Path.home()),
                                              "Text files (*.txt *.csv);;All files (*)")
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> bool:
        """Put a file's names in the box; a file that cannot be used is one plain line and
        leaves the names typed so far as they were."""
        try:
            names = read_names_file(path)
        except NamesError as exc:
            self.note.setText(f"Not loaded: {exc}")
            return False
        self.edit.setPlainText("\n".join(names))
        return True
