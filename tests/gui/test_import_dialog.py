"""File > Import lessons…: a checked pack's summary is shown, Install puts it in the library;
a hostile pack is refused with a message and nothing is written."""
from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.paths import AppDirs
from edukit.gui.import_dialog import ImportDialog, import_lessons
from edukit.gui.session import Session


def make_pack(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return path


def top_level(kind, name: str):
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, kind) and w.objectName() == name and w.isVisible()), None)


def test_import_shows_the_summary_then_installs_into_the_library(qtbot, tmp_path):
    pack = make_pack(tmp_path / "pack.zip", {
        "modules/pack-lesson/module.md": "---\ntitle: From a pack\n---\n# From a pack\n",
        "modules/who-can-i-tell/module.md": "---\ntitle: Our own version\n---\nx\n"})
    session = Session(Library.default(), School())
    window = QWidget()  # the main window, in the app
    qtbot.addWidget(window)
    with qtbot.waitSignal(session.libraryChanged, timeout=10000):
        import_lessons(session, window, pack)
        qtbot.waitUntil(lambda: top_level(ImportDialog, "import-dialog") is not None, timeout=10000)
        dialog = top_level(ImportDialog, "import-dialog")
        summary = dialog.summary.toPlainText()
        assert "add module 'pack-lesson' — From a pack" in summary
        assert "add (in place of the bundled lesson) module 'who-can-i-tell'" in summary
        assert not AppDirs.default().user_modules.exists()  # nothing written before Install
        dialog.install_button.click()
    assert session.library.get("pack-lesson").meta.title == "From a pack"
    assert session.library.get("who-can-i-tell").shadows is not None


def test_hostile_pack_is_refused_with_a_message_and_nothing_written(qtbot, tmp_path):
    pack = make_pack(tmp_path / "evil.zip", {"modules/../../escape.md": "---\ntitle: x\n---\n"})
    session = Session(Library.default(), School())
    window = QWidget()  # the main window, in the app
    qtbot.addWidget(window)
    import_lessons(session, window, pack)
    qtbot.waitUntil(lambda: top_level(QMessageBox, "import-refused") is not None, timeout=10000)
    box = top_level(QMessageBox, "import-refused")
    assert "'..' would write outside the content folder" in box.text()
    assert "Nothing was installed." in box.text()
    box.close()
    assert list(AppDirs.default().data.iterdir()) == []
    assert not (tmp_path.parent / "escape.md").exists()
