"""The print dialog offers the kinds that apply to the module, named as they print (one
vocabulary: edukit.core.options), and for certificates a names field — typed or loaded from a
file, the same names `export --as certificate --names FILE.txt` reads — one page per name,
each name shown as typed (escaped), bounded, with one plain line for what was cut."""
from __future__ import annotations

import pytest

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.options import KIND_LABELS, RESOURCE_LABELS, PrintOptions, print_kinds
from edukit.core.resources import MAX_NAME, MAX_NAMES
from edukit.gui.print_preview import PrintPreview
from edukit.gui.session import Session

WAIT = 60000
STAFF = "staff-responding-to-disclosures-and-image-incidents"
NAMES = ["Ms A. Rivera", "Mr <b>Bold</b> & Co", "<img src=x onerror=alert(1)>",
         "Dr Ōkubo-Łukasz"]


@pytest.fixture
def session(qapp):
    return Session(Library.default(), School(name="Hill Primary"))


@pytest.fixture
def preview(print_previews, session):
    return lambda module_id, options=None: print_previews(session, module_id, options, WAIT)


def offered(dialog: PrintPreview) -> dict[str, str]:
    box = dialog.kind
    return {box.itemData(i): box.itemText(i) for i in range(box.count())}


def texts(dialog: PrintPreview) -> list[str]:
    doc = dialog.document
    return [" ".join(doc.getAllText(i).text().split()) for i in range(doc.pageCount())]


def remake(qtbot, dialog: PrintPreview, change) -> None:
    with qtbot.waitSignal(dialog.pagesShown, timeout=WAIT):
        change()
        dialog.names.timer.stop()
        dialog.refresh()


@pytest.mark.parametrize("module_id, kinds", [
    ("dsl-image-incident-flowchart", {"handout": "Flowchart"}),
    ("dsl-incident-record-form", {"handout": "Form"}),
    ("letter-sextortion-alert", {"handout": "Letter"}),
    ("quiz-dsl-online-risk", {"handout": "Knowledge check",
                              "guide": "Knowledge check (answer key)"}),
])
def test_a_resource_is_offered_as_itself_by_its_proper_name(qtbot, preview, module_id, kinds):
    dialog = preview(module_id)
    assert offered(dialog) == kinds
    assert not dialog.names.isVisible()


def test_a_pupil_lesson_offers_no_training_kinds_and_a_staff_module_no_parents_leaflet(
        qtbot, preview):
    pupils = offered(preview("sextortion"))
    assert "certificate" not in pupils and "register" not in pupils
    assert pupils["letter"] == KIND_LABELS["letter"] and pupils["parents"] == KIND_LABELS["parents"]
    staff = offered(preview(STAFF))
    assert staff["certificate"] == KIND_LABELS["certificate"]
    assert staff["register"] == KIND_LABELS["register"]
    assert "parents" not in staff and "letter" not in staff


def test_every_label_offered_comes_from_the_one_vocabulary():
    labels = set(KIND_LABELS.values()) | set(RESOURCE_LABELS.values())
    for kind in ("lesson", *RESOURCE_LABELS):
        for audience in ("pupils", "staff", "parents"):
            for label in print_kinds(kind, audience).values():
                assert label in labels or label.removesuffix(" (answer key)") in labels


def test_certificates_come_out_one_page_per_name_typed_as_typed(qtbot, preview):
    dialog = preview(STAFF, PrintOptions(kind="certificate"))
    assert dialog.names.isVisible()
    assert dialog.document.pageCount() == 1  # no names yet: one with a line to write on
    remake(qtbot, dialog, lambda: dialog.names.edit.setPlainText(
        "\n".join([NAMES[0], "", *NAMES[1:], "   "])))
    pages = texts(dialog)
    assert len(pages) == len(NAMES)  # blank lines are not people
    for page, name in zip(pages, NAMES):
        assert name in page  # shown as typed: escaped, never markup
    assert dialog.options().names == tuple(NAMES)
    assert dialog.names.note.text() == ""


def test_names_feed_only_certificates(qtbot, preview):
    dialog = preview(STAFF, PrintOptions(kind="certificate"))
    dialog.names.edit.setPlainText("Ann\nBob")
    dialog.names.timer.stop()
    with qtbot.waitSignal(dialog.pagesShown, timeout=WAIT):
        dialog.kind.setCurrentIndex(dialog.kind.findData("register"))
    assert not dialog.names.isVisible() and dialog.options().names == ()


def test_too_many_or_too_long_names_are_cut_and_said_in_one_plain_line(qtbot, preview):
    dialog = preview(STAFF, PrintOptions(kind="certificate"))
    lines = ["Name\x1b[31m one", "x" * (MAX_NAME + 50)] + [f"P{n}" for n in range(MAX_NAMES)]
    dialog.names.edit.setPlainText("\n".join(lines))
    dialog.names.timer.stop()
    note = dialog.names.note.text()
    assert "\n" not in note
    assert f"only the first {MAX_NAMES} names" in note.lower() and "2 left out" in note
    assert f"1 name cut to {MAX_NAME} characters" in note
    assert "control characters removed from 1 name" in note
    names = dialog.options().names
    assert len(names) == MAX_NAMES and max(map(len, names)) == MAX_NAME
    assert not any("\x1b" in name for name in names)


def test_names_load_from_a_file_like_the_command_lines(qtbot, preview, tmp_path):
    dialog = preview(STAFF, PrintOptions(kind="certificate"))
    good = tmp_path / "names.txt"
    good.write_text("\ufeffAnn Lee\n\nBob Shah\n", encoding="utf-8")
    assert dialog.names.load(good)
    assert dialog.names.edit.toPlainText() == "Ann Lee\nBob Shah"
    for bad, said in ((b"\xff\xfe\x00bad", "not UTF-8"), (b"\n \n", "no names"),
                      (b"a" * (300 * 1024), "larger than")):
        path = tmp_path / "bad.txt"
        path.write_bytes(bad)
        assert not dialog.names.load(path)
        assert said in dialog.names.note.text() and "\n" not in dialog.names.note.text()
        assert dialog.names.edit.toPlainText() == "Ann Lee\nBob Shah"  # what was there is kept
    assert not dialog.names.load(tmp_path)  # a folder
    assert dialog.names.note.text().startswith("Not loaded: ")
