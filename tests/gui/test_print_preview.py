"""File > Print: the preview shows the real PDF pages, follows every option, prints and saves;
Settings > School details stores the school's contacts and the open lesson shows them."""
from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.printing import PrintOptions
from edukit.gui.main_window import MainWindow
from edukit.gui.print_job import cups_command, page_range
from edukit.gui.print_preview import PrintPreview
from edukit.gui.session import Session
from edukit.gui.settings_dialog import SchoolDetailsDialog, route_regions

WAIT = 30000


def start_session(fixture_content) -> Session:
    """A session as the app starts one: the saved preferences are read now, once."""
    return Session(Library.default(extra=[fixture_content]), School(name="Hill Primary",
                                                                    dsl_name="Ms Rivera"))


@pytest.fixture
def session(qapp, fixture_content):
    return start_session(fixture_content)


@pytest.fixture
def preview(print_previews, session):
    """preview(options): a PrintPreview of the sample lesson, shown once its pages are ready."""
    return lambda options=None: print_previews(session, "sample-lesson", options, WAIT)


def page_text(dialog: PrintPreview) -> str:
    doc = dialog.document
    return "\n".join(doc.getAllText(i).text() for i in range(doc.pageCount()))


def choose(qtbot, dialog: PrintPreview, box, value) -> None:
    with qtbot.waitSignal(dialog.pagesShown, timeout=WAIT):
        box.setCurrentIndex(box.findData(value))


def test_preview_shows_the_real_pdf_pages_with_thumbnails(qtbot, preview):
    dialog = preview()
    pages = dialog.document.pageCount()
    assert pages >= 1 and dialog.thumbnails.count() == pages
    assert dialog.finished_pdf().startswith(b"%PDF")
    text = page_text(dialog)
    assert "Sample lesson" in text and f"Page 1 of {pages}" in text
    assert "Hill Primary" in text and "Ms Rivera" in text and "Where to get help" in text
    assert "NOTES-SECRET" not in text
    assert dialog.print_button.isEnabled() and dialog.status.text() == f"{pages} page" + "s" * (pages > 1)


def test_no_two_controls_in_the_preview_share_an_alt_letter(qtbot, preview):
    """Alt+P was both "Print…" and "Paper": Qt then only cycles focus, and never prints."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    dialog = preview()
    texts = [w.text() for w in dialog.findChildren(QAbstractButton) + dialog.findChildren(QLabel)]
    letters = [m.group(1).lower() for t in texts if (m := re.search(r"&(\w)", t))]
    assert len(letters) >= 6 and len(letters) == len(set(letters)), letters


def test_changing_the_kind_makes_the_pages_again(qtbot, preview):
    dialog = preview()
    assert not dialog.per_page.isVisibleTo(dialog)
    choose(qtbot, dialog, dialog.kind, "notes")
    assert "NOTES-SECRET" in page_text(dialog) and "SAFEGUARDING-SECRET" in page_text(dialog)
    choose(qtbot, dialog, dialog.kind, "slides")
    size = dialog.document.pagePointSize(0)
    assert size.width() > size.height()  # one slide per landscape page
    assert dialog.document.pageCount() >= 3
    assert "NOTES-SECRET" not in page_text(dialog)


def test_slides_per_page_changes_the_page_count(qtbot, preview):
    dialog = preview(PrintOptions(kind="nup", per_page=2))
    assert dialog.per_page.isVisibleTo(dialog)
    two = dialog.document.pageCount()
    choose(qtbot, dialog, dialog.per_page, "6")
    assert dialog.document.pageCount() < two


def test_letter_paper_and_large_print(qtbot, preview):
    dialog = preview(PrintOptions(kind="guide"))
    normal = dialog.document.pageCount()
    choose(qtbot, dialog, dialog.paper, "letter")
    size = dialog.document.pagePointSize(0)
    assert (round(size.width()), round(size.height())) == (612, 792)
    with qtbot.waitSignal(dialog.pagesShown, timeout=WAIT):
        dialog.large.setChecked(True)
    assert dialog.document.pageCount() > normal


def test_zoom_and_thumbnails_move_the_view(qtbot, preview):
    dialog = preview(PrintOptions(kind="slides"))
    dialog.zoom.setCurrentIndex(dialog.zoom.findData("150%"))
    assert dialog.view.zoomFactor() == pytest.approx(1.5)
    dialog.thumbnails.setCurrentRow(2)
    qtbot.waitUntil(lambda: dialog.view.pageNavigator().currentPage() == 2, timeout=5000)


def answer_next_question(button: QMessageBox.StandardButton) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(button).click()
        else:
            QTimer.singleShot(50, click)
    QTimer.singleShot(50, click)


def test_save_as_pdf_writes_atomically_and_never_overwrites_without_asking(qtbot, preview, tmp_path):
    dialog = preview()
    assert dialog.default_file_name() == "sample-lesson-handout.pdf"
    target = tmp_path / dialog.default_file_name()
    assert dialog.save_to(target)
    assert len(PdfReader(target).pages) == dialog.document.pageCount()
    target.write_bytes(b"the teacher's own file")
    answer_next_question(QMessageBox.StandardButton.No)
    assert not dialog.save_to(target)
    assert target.read_bytes() == b"the teacher's own file"
    answer_next_question(QMessageBox.StandardButton.Yes)
    assert dialog.save_to(target)
    assert target.read_bytes() == dialog.pdf
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary files left


def test_printing_draws_the_chosen_pages_on_the_printer(qtbot, preview, tmp_path):
    dialog = preview(PrintOptions(kind="slides"))
    printer = dialog.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # Qt's own printer path, to a file
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert dialog.print_to(printer)
    printed = PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == 2
    box = printed.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape, like the slides


def test_a_cups_job_carries_copies_range_and_sides(qapp, cups_queue):
    printer = QPrinter()
    printer.setPrinterName(cups_queue)
    assert printer.printerName() == cups_queue  # Qt drops names of queues CUPS does not know
    printer.setCopyCount(3)
    printer.setCollateCopies(True)
    printer.setDuplex(QPrinter.DuplexMode.DuplexLongSide)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 9)
    assert page_range(printer, 4) == (2, 4)
    command = cups_command(printer, Path("/tmp/x.pdf"), "Sample lesson", 4)
    assert command[:3] == ["lp", "-d", cups_queue] and command[-2:] == ["--", "/tmp/x.pdf"]
    for option in ("-n 3", "-o page-ranges=2-4", "-o collate=true"):
        assert option in " ".join(command)
    # Qt keeps two-sided only when the printer can do it (cups-pdf cannot).
    two_sided = printer.duplex() == QPrinter.DuplexMode.DuplexLongSide
    assert ("-o sides=two-sided-long-edge" in " ".join(command)) == two_sided
    printer.setPrintRange(QPrinter.PrintRange.AllPages)
    assert "page-ranges" not in " ".join(cups_command(printer, Path("x.pdf"), "t", 4))


def open_window(qtbot, session):
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.page.loadFinished, timeout=WAIT):
        session.open("sample-lesson")
    return window


def test_ctrl_p_opens_the_print_preview_of_the_current_lesson(qtbot, session):
    window = open_window(qtbot, session)
    window.actions["file.print"].trigger()
    dialog = window.findChild(PrintPreview)
    assert dialog is not None and dialog.module.id == "sample-lesson"
    with qtbot.waitSignal(dialog.pagesShown, timeout=WAIT):
        pass
    assert "Sample lesson" in page_text(dialog)
    dialog.reject()


def test_school_details_are_saved_and_the_open_lesson_shows_them(qtbot, js, session, user_dirs):
    window = open_window(qtbot, session)
    assert "Ms Rivera" in js(window.page, "document.body.innerText")
    window.actions["settings.school"].trigger()
    dialog = window.findChild(SchoolDetailsDialog)
    assert "uk" in route_regions(session)
    dialog.edits["name"].setText("  Oak   Academy ")
    dialog.edits["dsl_name"].setText("Mr Ade")
    dialog.edits["deputy_dsl_name"].setText("")
    with qtbot.waitSignal(window.page.loadFinished, timeout=WAIT):
        dialog.accept()
    text = js(window.page, "document.body.innerText")
    assert "Talk to Mr Ade at Oak Academy." in text and "Ms Rivera" not in text
    stored = json.loads((user_dirs["config"] / "school.json").read_text())
    assert stored["name"] == "Oak Academy" and stored["dsl_name"] == "Mr Ade"
    assert session.school.name == "Oak Academy"


def test_with_no_school_details_the_handout_still_reads_naturally(qtbot, preview, session):
    session.set_school(School())
    dialog = preview()
    text = " ".join(page_text(dialog).split())
    assert "your Designated Safeguarding Lead" in text
    assert "At school, you can talk to any trusted adult" in text
    assert "None" not in text and "{{" not in text


def test_cancelling_school_details_changes_nothing(qtbot, session, user_dirs):
    dialog = SchoolDetailsDialog(session.school, ["uk"])
    qtbot.addWidget(dialog)
    dialog.edits["name"].setText("Changed")
    dialog.reject()
    assert session.school.name == "Hill Primary"
    assert not (user_dirs["config"] / "school.json").exists()


def open_print(qtbot, session) -> PrintPreview:
    """Ctrl+P in the main window; the preview once its pages are on screen."""
    window = open_window(qtbot, session)
    window.actions["file.print"].trigger()
    dialog = window.findChild(PrintPreview)
    with qtbot.waitSignal(dialog.pagesShown, timeout=WAIT):
        pass
    return dialog


def page_size(dialog: PrintPreview) -> tuple[int, int]:
    size = dialog.document.pagePointSize(0)
    return round(size.width()), round(size.height())


def test_print_opens_on_the_saved_paper_and_print_size(qtbot, session, user_dirs,
                                                       fixture_content):
    plain = open_print(qtbot, session)  # no preferences saved: an A4 handout
    assert page_size(plain) == (595, 842) and not plain.large.isChecked()
    normal_pages = plain.document.pageCount()
    plain.reject()
    (user_dirs["config"] / "preferences.json").write_text(json.dumps(
        {"schema_version": 1, "paper": "letter", "large_print": True, "zoom": 1.3}))
    dialog = open_print(qtbot, start_session(fixture_content))  # the next start reads them
    assert dialog.paper.currentData() == "letter" and dialog.large.isChecked()
    assert page_size(dialog) == (612, 792)  # the PDF itself, not just the boxes
    assert dialog.document.pageCount() > normal_pages  # large print
    dialog.reject()


def test_a_changed_paper_choice_is_saved_for_next_time(qtbot, user_dirs, fixture_content):
    prefs = user_dirs["config"] / "preferences.json"
    prefs.write_text(json.dumps({"schema_version": 1, "zoom": 1.3, "theme": "dark"}))
    session = start_session(fixture_content)
    dialog = open_print(qtbot, session)
    choose(qtbot, dialog, dialog.paper, "letter")
    with qtbot.waitSignal(dialog.pagesShown, timeout=WAIT):
        dialog.large.setChecked(True)
    stored = json.loads(prefs.read_text())
    assert (stored["paper"], stored["large_print"]) == ("letter", True)
    assert (stored["zoom"], stored["theme"]) == (1.3, "dark")  # the rest is kept
    dialog.reject()
    again = open_print(qtbot, session)
    assert again.paper.currentData() == "letter" and again.large.isChecked()
    again.reject()


@contextlib.contextmanager
def read_only_folder(tmp_path: Path):
    """A folder nothing can be written to: a read-only tmpfs as root (root ignores modes)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(folder)],
                      check=False).returncode:
        pytest.fail("running as root but cannot mount a read-only tmpfs for the test")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_paper_choice_that_cannot_be_saved_is_said_and_the_pages_still_come(
        qtbot, session, tmp_path, monkeypatch):
    with read_only_folder(tmp_path) as folder:
        monkeypatch.setenv("EDUKIT_CONFIG_DIR", str(folder))
        dialog = open_print(qtbot, session)
        choose(qtbot, dialog, dialog.paper, "letter")
        assert page_size(dialog) == (612, 792)
        assert dialog.status.text().endswith(
            "paper choice not kept: cannot save preferences.json: the "
            + ("disk" if os.geteuid() == 0 else "folder") + " is read-only; nothing else was changed")
        assert list(folder.iterdir()) == []
        dialog.reject()


def test_the_school_details_dialog_speaks_plain_words_and_keeps_the_new_contacts(
        qtbot, session, user_dirs):
    dialog = SchoolDetailsDialog(session.school, ["uk"])
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QLabel
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    assert texts and not any("{{" in t or "}}" in t for t in texts)
    for key, value in (("phone", "01632 960123"), ("lado", " 01632  960456 "),
                       ("social_care", "01632 960789"), ("social_care_out_of_hours", "999")):
        dialog.edits[key].setText(value)
    school = dialog.school()
    assert (school.phone, school.lado, school.social_care_out_of_hours) == (
        "01632 960123", "01632 960456", "999")


def test_a_logo_that_cannot_print_keeps_the_school_form_open(qtbot, session, tmp_path,
                                                               monkeypatch):
    from edukit.gui import settings_dialog

    said = []
    monkeypatch.setattr(settings_dialog, "warn", lambda parent, title, text: said.append(text))
    dialog = SchoolDetailsDialog(session.school, ["uk"])
    qtbot.addWidget(dialog)
    (tmp_path / "logo.png").write_bytes(b"not a picture")
    dialog.logo.setText(str(tmp_path / "logo.png"))
    dialog.accept()
    assert said and "not a PNG or JPEG" in said[0] and dialog.result() == 0
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    dialog.accept()
    assert dialog.result() == 1 and dialog.school().logo == str(tmp_path / "logo.png")
