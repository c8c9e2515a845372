"""File > Publish as website…: a pupil site by default, guides only when chosen, and a folder of
other files is refused with a message and left as it was."""
from __future__ import annotations

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.main_window import MainWindow
from edukit.gui.publish_dialog import PublishDialog
from edukit.gui.session import Session


def dialog_for(qtbot, folder) -> PublishDialog:
    dialog = PublishDialog(Session(Library.default(), School(name="Hillside Primary")))
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(folder))
    return dialog


def publish(qtbot, dialog: PublishDialog) -> None:
    dialog.publish_button.click()
    qtbot.waitUntil(lambda: dialog.publish_button.isEnabled(), timeout=60000)


def test_publishes_a_pupil_site_by_default_then_a_staff_site_when_chosen(qtbot, tmp_path):
    dialog = dialog_for(qtbot, tmp_path / "site")
    with qtbot.waitSignal(dialog.published, timeout=60000) as published:
        dialog.publish_button.click()
    assert published.args[0] == tmp_path / "site" / "index.html"
    assert "for pupils and families" in dialog.status.text() and dialog.open_button.isEnabled()
    assert not list((tmp_path / "site").glob("lessons/*/guide.html"))
    assert "Hillside Primary" in (tmp_path / "site" / "index.html").read_text()
    dialog.for_staff.setChecked(True)
    publish(qtbot, dialog)
    assert "--overwrite" in dialog.status.text()  # an earlier site is replaced only when asked
    dialog.overwrite.setChecked(True)
    publish(qtbot, dialog)
    assert "for staff only" in dialog.status.text()
    assert list((tmp_path / "site").glob("lessons/*/guide.html"))


def test_a_folder_of_other_files_is_refused_and_left_alone(qtbot, tmp_path):
    (tmp_path / "report.docx").write_text("a teacher's own file")
    dialog = dialog_for(qtbot, tmp_path)
    dialog.overwrite.setChecked(True)
    publish(qtbot, dialog)
    status = dialog.status.text()
    assert status.startswith("Not published:") and "other files" in status
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


def test_the_file_menu_opens_it(qtbot):
    window = MainWindow(Session(Library.default(), School()))
    qtbot.addWidget(window)
    window.actions["file.publish"].trigger()
    qtbot.waitUntil(lambda: window.findChild(PublishDialog) is not None, timeout=5000)
    window.findChild(PublishDialog).close()


def test_close_and_esc_shut_the_dialog_without_claiming_a_site(qtbot, tmp_path):
    """Both end in QDialog.done(0); a method of that name here once swallowed them, and the
    dialog stayed open saying "Published … Open 0 in any browser"."""
    from PySide6.QtCore import Qt

    for close in (lambda d: d.buttons.button(d.buttons.StandardButton.Close).click(),
                  lambda d: qtbot.keyClick(d, Qt.Key.Key_Escape)):
        dialog = dialog_for(qtbot, tmp_path / "site")
        dialog.show()
        close(dialog)
        qtbot.waitUntil(lambda d=dialog: not d.isVisible(), timeout=5000)
        assert dialog.index is None and not dialog.open_button.isEnabled()
        assert not dialog.status.text().startswith("Published")
        assert not (tmp_path / "site").exists()
