"""File > Restore a replaced lesson…: the backups an import kept are listed by date with their
lessons; Restore asks first, puts the lesson back and the library shows it again."""
from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.packs import check_pack, install_pack
from edukit.core.paths import AppDirs
from edukit.gui.main_window import MainWindow
from edukit.gui.restore_dialog import RestoreDialog
from edukit.gui.session import Session


def install(tmp_path: Path, title: str) -> None:
    pack = tmp_path / f"{title}.zip"
    with zipfile.ZipFile(pack, "w") as zf:
        zf.writestr("modules/our-lesson/module.md", f"---\ntitle: {title}\n---\n# {title}\n")
    dirs = AppDirs.default()
    install_pack(check_pack(pack, dirs), dirs)


def shown(parent, kind, name: str):
    """The visible dialog of that kind and name that parent owns (None if none)."""
    found = parent.findChild(kind, name)
    return found if found is not None and found.isVisible() else None


def rows(dialog: RestoreDialog) -> list[tuple[str, list[str]]]:
    tree = dialog.tree
    return [(tree.topLevelItem(i).text(0), [tree.topLevelItem(i).child(j).text(0)
                                            for j in range(tree.topLevelItem(i).childCount())])
            for i in range(tree.topLevelItemCount())]


def open_dialog(qtbot, tmp_path) -> tuple[Session, RestoreDialog]:
    install(tmp_path, "First version")
    install(tmp_path, "Second version")
    session = Session(Library.default(), School())
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.actions["file.restore"].trigger()
    qtbot.waitUntil(lambda: shown(window, RestoreDialog, "restore-dialog") is not None,
                    timeout=5000)
    dialog = shown(window, RestoreDialog, "restore-dialog")
    qtbot.addWidget(dialog)
    return session, dialog


def confirm(qtbot, dialog: RestoreDialog, answer: str) -> QMessageBox:
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: shown(dialog, QMessageBox, "restore-confirm") is not None,
                    timeout=5000)
    box = shown(dialog, QMessageBox, "restore-confirm")
    text = box.text()
    next(b for b in box.buttons() if b.text() == answer).click()
    return text


def test_restore_lists_backups_asks_then_puts_the_lesson_back(qtbot, tmp_path):
    session, dialog = open_dialog(qtbot, tmp_path)
    assert session.library.get("our-lesson").meta.title == "Second version"
    [(date, lessons)] = rows(dialog)
    assert date.startswith("Kept ") and " at " in date
    assert lessons == ["First version (our-lesson)"]
    assert dialog.restore_button.isEnabled()  # the newest backup is chosen
    with qtbot.waitSignal(session.libraryChanged, timeout=5000):
        text = confirm(qtbot, dialog, "Restore")
    assert "First version (our-lesson)" in text and "kept as a backup" in text
    assert session.library.get("our-lesson").meta.title == "First version"
    assert dialog.status.text() == "Restored: First version (our-lesson)."
    [(_, lessons)] = rows(dialog)  # what it replaced is now the kept copy
    assert lessons == ["Second version (our-lesson)"]


def test_cancelling_the_confirmation_changes_nothing(qtbot, tmp_path):
    session, dialog = open_dialog(qtbot, tmp_path)
    with qtbot.assertNotEmitted(session.libraryChanged, wait=200):
        confirm(qtbot, dialog, "Cancel")
    assert Library.default().get("our-lesson").meta.title == "Second version"
    assert rows(dialog)[0][1] == ["First version (our-lesson)"]


def test_with_no_backups_the_dialog_says_so_and_restore_is_off(qtbot):
    dialog = RestoreDialog(AppDirs.default())
    qtbot.addWidget(dialog)
    assert rows(dialog) == [] and not dialog.restore_button.isEnabled()
    assert "No replaced lessons are kept" in dialog.status.text()


def test_a_backup_gone_from_disk_is_reported_and_nothing_changes(qtbot, tmp_path):
    import shutil

    _, dialog = open_dialog(qtbot, tmp_path)
    shutil.rmtree(AppDirs.default().data / "backups")  # removed by hand while the dialog is open
    confirm(qtbot, dialog, "Restore")
    assert dialog.status.text().startswith("Not restored: ")
    assert "the kept copy is no longer there" in dialog.status.text()
    assert dialog.status.text().endswith("Nothing was changed.")
    assert Library.default().get("our-lesson").meta.title == "Second version"
    assert rows(dialog) == [] and not dialog.restore_button.isEnabled()
