"""File > Import lessons…: a checked pack's summary is shown, Install puts it in the library;
a hostile pack is refused with a message and nothing is written."""
from __future__ import annotations

import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.paths import AppDirs
from edukit.gui import import_dialog
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


def lesson_zip(path: Path, title: str, body: str = "Text.") -> Path:
    return make_pack(path, {"modules/our-lesson/module.md":
                            f"---\ntitle: {title}\n---\n# {title}\n\n{body}\n" + "Words. " * 40,
                            "modules/our-lesson/pic.png": "png " * 50})


def open_dialog(qtbot, session, pack: Path, window: QWidget) -> ImportDialog:
    """window (the main window, in the app) owns the dialog: the caller keeps it alive."""
    qtbot.addWidget(window)
    import_lessons(session, window, pack)
    qtbot.waitUntil(lambda: top_level(ImportDialog, "import-dialog") is not None, timeout=10000)
    return top_level(ImportDialog, "import-dialog")


def test_a_pack_swapped_while_the_dialog_is_open_installs_what_was_checked(qtbot, tmp_path):
    pack = lesson_zip(tmp_path / "pack.zip", "Checked")
    session = Session(Library.default(), School())
    window = QWidget()
    dialog = open_dialog(qtbot, session, pack, window)
    assert "add module 'our-lesson' — Checked" in dialog.summary.toPlainText()
    lesson_zip(pack, "Swapped in", body="{{ evil }}")  # after the check, before Install
    with qtbot.waitSignal(session.libraryChanged, timeout=10000):
        dialog.install_button.click()
    assert session.library.get("our-lesson").meta.title == "Checked"
    assert "evil" not in (AppDirs.default().user_modules / "our-lesson" / "module.md").read_text()


def flip_crc(pack: Path, name: str) -> Path:
    data = bytearray(pack.read_bytes())
    at = data.find(b"PK\x01\x02")
    while data[at + 46:at + 46 + len(name)] != name.encode():
        at = data.find(b"PK\x01\x02", at + 1)
    data[at + 16] ^= 0xFF
    pack.write_bytes(bytes(data))
    return pack


def set_method(pack: Path, method: int) -> Path:
    data = bytearray(pack.read_bytes())
    at = data.find(b"PK\x01\x02")
    data[at + 10:at + 12] = method.to_bytes(2, "little")
    pack.write_bytes(bytes(data))
    return pack


def garble(pack: Path) -> Path:
    data = bytearray(pack.read_bytes())
    data[60:72] = b"\xff" * 12  # inside the first member's deflate data
    pack.write_bytes(bytes(data))
    return pack


DAMAGED = {
    "bad checksum of an image": (lambda p: flip_crc(p, "modules/our-lesson/pic.png"),
                                 "'modules/our-lesson/pic.png' cannot be read: its checksum"),
    "bad deflate data": (garble, "'modules/our-lesson/module.md' cannot be read"),
    "compression method 99": (lambda p: set_method(p, 99), "compression method 99"),
}


@pytest.mark.parametrize("case", DAMAGED, ids=list(DAMAGED))
def test_a_damaged_pack_is_refused_with_one_line_and_nothing_written(qtbot, tmp_path, case):
    damage, says = DAMAGED[case]
    pack = damage(lesson_zip(tmp_path / "pack.zip", "Checked"))
    session = Session(Library.default(), School())
    window = QWidget()
    qtbot.addWidget(window)
    import_lessons(session, window, pack)
    qtbot.waitUntil(lambda: top_level(QMessageBox, "import-refused") is not None, timeout=10000)
    box = top_level(QMessageBox, "import-refused")
    message, _, rest = box.text().partition("\n")
    assert message.startswith("pack.zip: ") and says in message
    assert rest == "\nNothing was installed."
    box.close()
    assert list(AppDirs.default().data.iterdir()) == []


def wait_for_failure(qtbot, dialog: ImportDialog) -> str:
    dialog.install_button.click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Not installed"), timeout=10000)
    assert dialog.install_button.isEnabled()  # the user can try again or cancel
    return dialog.status.text()


def test_an_install_that_meets_damaged_bytes_says_so_and_does_not_hang(qtbot, tmp_path):
    """The checked bytes damaged after the check (as a fault in memory or a bug would):
    the dialog says which member, never stays at 'Installing…', and installs nothing."""
    pack = lesson_zip(tmp_path / "pack.zip", "Checked")
    session = Session(Library.default(), School())
    window = QWidget()
    dialog = open_dialog(qtbot, session, pack, window)
    damaged = flip_crc(pack, "modules/our-lesson/pic.png").read_bytes()
    dialog.plan = replace(dialog.plan, data=damaged)
    status = wait_for_failure(qtbot, dialog)
    assert "'modules/our-lesson/pic.png' cannot be read: its checksum" in status
    assert status.endswith("Nothing was changed.")
    assert not (AppDirs.default().user_modules / "our-lesson").exists()


@pytest.mark.parametrize("error", [zlib.error("Error -3 while decompressing"),
                                   ValueError("negative seek value"), KeyError("x")])
def test_any_unexpected_failure_while_installing_is_shown_not_left_at_installing(
        qtbot, tmp_path, monkeypatch, error):
    session = Session(Library.default(), School())
    window = QWidget()
    dialog = open_dialog(qtbot, session, lesson_zip(tmp_path / "pack.zip", "Checked"), window)

    def fail(*_args):
        raise error
    monkeypatch.setattr(import_dialog, "install_pack", fail)
    status = wait_for_failure(qtbot, dialog)
    assert f"unexpected error ({type(error).__name__}" in status and "\n" not in status


def test_the_dialog_says_who_signed_the_pack_and_which_route_files_it_refuses(qtbot, tmp_path):
    """Before Install: an unsigned pack's route file is named as refused; the lessons go in."""
    pack = make_pack(tmp_path / "pack.zip", {
        "modules/pack-lesson/module.md": "---\ntitle: From a pack\n---\n# From a pack\n",
        "routes/uk.yaml": "region: uk\nroutes:\n  - id: x\n    name: Fake line\n    for: [pupils]\n"})
    session = Session(Library.default(), School())
    window = QWidget()
    qtbot.addWidget(window)
    with qtbot.waitSignal(session.libraryChanged, timeout=10000):
        import_lessons(session, window, pack)
        qtbot.waitUntil(lambda: top_level(ImportDialog, "import-dialog") is not None, timeout=10000)
        dialog = top_level(ImportDialog, "import-dialog")
        lines = dialog.summary.toPlainText().splitlines()
        assert lines[0] == "unsigned: its lessons may be added, its route files may not"
        assert any(line.startswith("refused route file 'routes/uk.yaml': only a pack signed by "
                                   "a publisher you trust may change helplines") for line in lines)
        dialog.install_button.click()
    assert session.library.get("pack-lesson").meta.title == "From a pack"
    assert not (AppDirs.default().data / "routes").exists()
    assert "Fake line" not in [r.name for r in session.library.routes("uk").routes]
