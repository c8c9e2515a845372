"""Lesson, pack and file text in the app's widgets is plain text (issue 10, class 1): a summary
with <img> or <a href> is shown as written in the library's tooltip, never drawn as HTML with a
live link or a picture; problem banners, window titles and message boxes likewise."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.import_dialog import ImportDialog, import_lessons
from edukit.gui.library_pane import ID_ROLE
from edukit.gui.plain_text import tooltip_text
from edukit.gui.session import Session

SUMMARIES = [
    '<img src="/etc/passwd"> look',
    '<a href="javascript:alert(1)">click me</a> for help',
    "<b>bold</b> and <i>italic</i>",
    "<qt>Call <a href='http://evil.example'>0900 666 0666</a></qt>",
    "1 < 2 & 3 > 2 <br> line",
]


def as_qt_draws(text: str) -> QTextDocument:
    """A tooltip or an AutoText label as Qt draws it: HTML when it "might be rich text"."""
    doc = QTextDocument()
    if GuiQt.mightBeRichText(text):
        doc.setHtml(text)
    else:
        doc.setPlainText(text)
    return doc


def has_link_or_image(doc: QTextDocument) -> bool:
    html = doc.toHtml()
    return "<a " in html or "<img " in html


def test_tooltip_text_shows_the_text_as_written_positive_control_shows_the_harm(qapp):
    for summary in SUMMARIES:
        shown = as_qt_draws(tooltip_text(summary))
        assert shown.toPlainText() == summary
        assert not has_link_or_image(shown)
    raw = [as_qt_draws(s) for s in SUMMARIES]  # what setToolTip(summary) did before
    assert sum(has_link_or_image(doc) for doc in raw) >= 3
    assert any(doc.toPlainText() != s for doc, s in zip(raw, SUMMARIES))


def write_lesson(folder: Path, module_id: str, title: str, summary: str,
                 audience: str = "pupils") -> None:
    (folder / f"{module_id}.md").write_text(
        f"---\ntitle: {json.dumps(title)}\nsummary: {json.dumps(summary)}\n"
        f"audience: {json.dumps(audience)}\n---\n\n## Talk\n\nTell a trusted adult.\n",
        encoding="utf-8")


def test_library_tooltips_show_hostile_summaries_as_written(qtbot, tmp_path, lesson_window):
    for n, summary in enumerate(SUMMARIES):
        write_lesson(tmp_path, f"hostile-{n}", f"Hostile {n}", summary)
    _, window = lesson_window(tmp_path, "hostile-0")
    tips = {item.data(0, ID_ROLE): item.toolTip(0) for item in window.library_pane.module_items()}
    for n, summary in enumerate(SUMMARIES):
        shown = as_qt_draws(tips[f"hostile-{n}"])
        # the summary as written, then where the lesson is from
        assert shown.toPlainText() == f"{summary}\nFrom: a folder you opened (--content)"
        assert not has_link_or_image(shown)


def test_window_title_and_problem_banner_show_lesson_text_as_written(qtbot, tmp_path,
                                                                      lesson_window):
    title = "<b>Bold</b> [*] <a href='javascript:x'>title</a>"
    write_lesson(tmp_path, "hostile", title, "Summary.",
                 audience='<a href="javascript:alert(1)">robots</a>')
    _, window = lesson_window(tmp_path, "hostile")
    assert window.windowHandle().title() == f"{title} — edukit"  # Qt hides a lone "[*]"
    banner = window.banner
    assert banner.isVisible()
    assert banner.textFormat() == Qt.TextFormat.PlainText
    assert "unknown audience '<a href=\"javascript:alert(1)\">robots</a>'" in banner.text()


def top_level(kind, name: str):
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, kind) and w.objectName() == name and w.isVisible()), None)


def test_a_packs_file_name_is_shown_as_written_in_the_import_dialog(qtbot, tmp_path):
    pack = tmp_path / "<a href=javascript:x>pack<img src=x>.zip"
    with zipfile.ZipFile(pack, "w") as zf:
        zf.writestr("modules/pack-lesson/module.md", "---\ntitle: From a pack\n---\n# Hi\n")
    session = Session(Library.default(), School())
    window = QWidget()
    qtbot.addWidget(window)
    import_lessons(session, window, pack)
    qtbot.waitUntil(lambda: top_level(ImportDialog, "import-dialog") is not None, timeout=10000)
    dialog = top_level(ImportDialog, "import-dialog")
    intro = next(label for label in dialog.findChildren(QLabel)
                 if "has been checked" in label.text())
    assert intro.textFormat() == Qt.TextFormat.PlainText
    assert intro.text().startswith(pack.name)
    dialog.reject()


def test_a_refused_packs_message_box_is_plain_text(qtbot, tmp_path):
    pack = tmp_path / "evil.zip"
    with zipfile.ZipFile(pack, "w") as zf:
        zf.writestr("modules/<b>x<b>/../../../escape.md", "---\ntitle: x\n---\n")
    session = Session(Library.default(), School())
    window = QWidget()
    qtbot.addWidget(window)
    import_lessons(session, window, pack)
    qtbot.waitUntil(lambda: top_level(QMessageBox, "import-refused") is not None, timeout=10000)
    box = top_level(QMessageBox, "import-refused")
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "<b>x<b>" in box.text()
    box.close()
