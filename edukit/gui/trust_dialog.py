"""Settings > Trusted publishers…: the publishers whose signed packs may change helplines.

A school pastes (or opens) a publisher's public key and names it; the key's fingerprint words
are shown before Trust is pressed, to be read back to the publisher over the phone. The list
lives in edukit.core.trust; everything shown here is plain text.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.signing import SignatureError, fingerprint_words, parse_public_key
from ..core.trust import TrustError, trust, trusted_publishers, untrust
from .plain_text import plain_label

INTRO = ("Only packs signed by a publisher you trust may change the helplines your handouts "
         "print. Before trusting a key, read its fingerprint words to the publisher by phone.")


class TrustDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trust-dialog")
        self.setWindowTitle("Trusted publishers")
        self.listing = QListWidget(self)
        self.listing.setAccessibleName("Trusted publishers")
        self.remove_button = QPushButton("Stop trusting", self)
        self.key = QPlainTextEdit(self)
        self.key.setPlaceholderText("ssh-ed25519 AAAA… (the publisher's public key)")
        self.key.setAccessibleName("Publisher's public key")
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("Publisher's name, e.g. Anytown Council")
        self.name.setAccessibleName("Publisher's name")
        self.words = plain_label("", self)
        self.status = plain_label("", self)
        self.open_button = QPushButton("Open key file…", self)
        self.trust_button = QPushButton("Trust", self)
        layout = QVBoxLayout(self)
        intro = plain_label(INTRO, self)
        intro.setWordWrap(True)
        for widget in (intro, self.listing, self.remove_button, self.key, self.words, self.name):
            layout.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.trust_button)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.key.textChanged.connect(self.show_words)
        self.trust_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.open_button.clicked.connect(self.open_key)
        self.refresh()

    def refresh(self) -> None:
        self.listing.clear()
        try:
            for p in trusted_publishers():
                self.listing.addItem(f"{p.name} — {p.words} (since {p.added})")
        except TrustError as exc:
            self.status.setText(str(exc))
        self.remove_button.setEnabled(self.listing.count() > 0)

    def show_words(self) -> None:
        try:
            words = fingerprint_words(parse_public_key(self.key.toPlainText()))
            self.words.setText(f"Fingerprint: {words}")
        except SignatureError as exc:
            self.words.setText(str(exc) if self.key.toPlainText().strip() else "")

    def add(self) -> None:
        try:
            added = trust(self.key.toPlainText(), self.name.text())
        except TrustError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(f"Trusted {added.name} ({added.words}).")
        self.key.clear()
        self.name.clear()
        self.refresh()

    def remove(self) -> None:
        row = self.listing.currentRow()
        publishers = trusted_publishers()
        if 0 <= row < len(publishers):
            gone = untrust(publishers[row].name)
            self.status.setText(f"No longer trusted: {gone.name}.")
            self.refresh()

    def open_key(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Publisher's public key", "",
                                              "Public keys (*.pub);;All files (*)")
        if path:
            try:
                self.key.setPlainText(Path(path).read_text(encoding="utf-8",
                                                           errors="replace")[:4000])
            except OSError as exc:
                self.status.setText(f"{path}: {exc.strerror or exc}")


def edit_trusted_publishers(parent: QWidget | None = None) -> TrustDialog:
    dialog = TrustDialog(parent)
    dialog.show()
    return dialog
