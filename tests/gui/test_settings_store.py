"""One settings store in the app: the preferences and school details are read once per start,
every change goes through it (saved at once, atomically) and whatever shows a setting — the
lesson and its menus, an open print preview, a running show — follows it without reopening.
A corrupt file gives defaults, one plain line, a running app, and the old file kept."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from edukit.core import settings as core_settings
from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.app import open_window
from edukit.gui.print_preview import PrintPreview
from edukit.gui.session import Session
from edukit.gui.settings_dialog import SchoolDetailsDialog
from edukit.gui.settings_store import SettingsStore

WAIT = 30000


@pytest.fixture
def reads(monkeypatch) -> Counter:
    """How many times each settings file is read (edukit.core.settings.read_json)."""
    counted: Counter = Counter()
    original = core_settings.read_json

    def counting(path: Path):
        counted[path.name] += 1
        return original(path)
    monkeypatch.setattr(core_settings, "read_json", counting)
    return counted


@pytest.fixture
def app_window(qtbot, fixture_content):
    """The main window as `edukit` opens it (store, session, window state), its lesson shown."""
    def start(module: str = "sample-lesson"):
        window = open_window(Library.default(extra=[fixture_content]), module)
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.started, timeout=WAIT)
        return window
    return start


def open_preview(qtbot, window) -> PrintPreview:
    window.actions["file.print"].trigger()
    dialog = window.findChild(PrintPreview)
    with qtbot.waitSignal(dialog.pagesShown, timeout=WAIT):
        pass
    return dialog


def pdf_text(dialog: PrintPreview) -> str:
    doc = dialog.document
    return " ".join(" ".join(doc.getAllText(i).text() for i in range(doc.pageCount())).split())


def test_the_settings_files_are_read_once_per_start_whatever_the_user_opens(
        qtbot, app_window, reads, user_dirs):
    (user_dirs["config"] / "preferences.json").write_text(
        json.dumps({"schema_version": 2, "paper": "letter", "presenter_notes_points": 26}))
    (user_dirs["config"] / "school.json").write_text(
        json.dumps({"schema_version": 2, "name": "Hill Primary"}))
    window = app_window()
    preview = open_preview(qtbot, window)
    assert preview.paper.currentData() == "letter"  # the file was read: its paper is in use
    preview.reject()
    window.present()
    qtbot.waitUntil(lambda: window.presentation is not None, timeout=WAIT)
    assert window.presentation.console.notes_points == 26
    window.presentation.end()
    window.edit_school_details().reject()
    window.actions["view.theme_dark"].trigger()
    window.close()
    assert reads["preferences.json"] == 1 and reads["school.json"] == 1
    # positive control: the counter sees a read made outside the store
    Session(window.session.library, School())
    assert reads["preferences.json"] == 2


def test_a_new_school_name_reaches_the_open_print_preview_without_reopening(
        qtbot, app_window, user_dirs):
    window = app_window()
    preview = open_preview(qtbot, window)
    assert "Oak Academy" not in pdf_text(preview)
    details = window.edit_school_details()
    details.edits["name"].setText("Oak Academy")
    with qtbot.waitSignal(preview.pagesShown, timeout=WAIT):
        details.accept()
    assert "Oak Academy" in pdf_text(preview)
    assert json.loads((user_dirs["config"] / "school.json").read_text())["name"] == "Oak Academy"
    preview.reject()


def test_a_paper_chosen_elsewhere_reaches_the_open_preview(qtbot, app_window):
    window = app_window()
    preview = open_preview(qtbot, window)
    with qtbot.waitSignal(preview.pagesShown, timeout=WAIT):
        window.session.settings.update(paper="letter")  # e.g. a second preview
    size = preview.document.pagePointSize(0)
    assert preview.paper.currentData() == "letter"
    assert (round(size.width()), round(size.height())) == (612, 792)
    preview.reject()


@pytest.mark.parametrize("change", [{"paper": "letter"}, {"large_print": True},
                                    {"line_spacing": "wide"}])
def test_a_closed_preview_ignores_later_changes_of_settings(qtbot, app_window, change):
    """A preview closed while its dialog object lives on (until Qt deletes it) must make no
    more pages when a setting changes: it has released its page (this raised in the presenter's
    tests once an earlier test's preview was closed)."""
    window = app_window()
    preview = open_preview(qtbot, window)
    preview.reject()
    assert preview.maker is None
    window.session.settings.update(**change)
    preview.refresh()  # as a late field or timer would
    qtbot.wait(50)  # anything queued by the change runs here: an exception would fail the test
    assert preview.maker is None


def test_a_setting_changed_elsewhere_reaches_the_running_show(qtbot, js, app_window):
    window = app_window()
    window.present()
    qtbot.waitUntil(lambda: window.presentation is not None, timeout=WAIT)
    show = window.presentation
    window.session.settings.update(presenter_notes_points=30)
    assert show.console.notes_points == 30 and show.console.notes.font().pointSize() == 30
    view = show.audience.view
    sheets = "[...document.styleSheets].map(s => s.href).join(' ')"
    qtbot.waitUntil(lambda: "slides.css" in js(view.page(), sheets), timeout=WAIT)  # shown
    assert "theme-dark" not in js(view.page(), sheets)  # light slides before
    window.session.settings.update(theme="dark", slides_follow_theme=True)
    # the slide itself, served again (an earlier load, such as a refit, may finish first)
    qtbot.waitUntil(lambda: "theme-dark" in js(view.page(), sheets), timeout=WAIT)
    assert view.page().backgroundColor().name() == "#16191d"
    show.end()


def test_the_lesson_view_and_its_menus_follow_a_setting_changed_elsewhere(qtbot, app_window):
    window = app_window()
    settings, session = window.session.settings, window.session
    with qtbot.waitSignal(window.page.loadFinished, timeout=WAIT):
        settings.update(theme="dark", reading_font="legible")
    assert window.actions["view.theme_dark"].isChecked()
    assert window.actions["settings.font_legible"].isChecked()
    page = session.pages.page_bytes(session.rendered(session.module, "lesson"))
    assert b"theme-dark.css" in page
    assert session.reading_font == "legible"
    settings.update(slides_follow_theme=True)
    assert window.actions["present.slides_theme"].isChecked()


def test_nothing_is_written_until_a_setting_changes(qtbot, app_window, user_dirs):
    window = app_window()
    window.close()  # quitting with the zoom as it was
    assert not (user_dirs["config"] / "preferences.json").exists()
    assert window.session.settings.update(zoom=1.0) == frozenset()


@pytest.mark.parametrize("garbage", ["{not json", "[]", '{"schema_version": 2, "theme": 5',
                                     "\x00\xff"])
def test_a_corrupt_preferences_file_gives_defaults_one_line_and_is_kept(
        qtbot, app_window, user_dirs, capsys, garbage):
    prefs = user_dirs["config"] / "preferences.json"
    prefs.write_text(garbage, encoding="latin-1")
    window = app_window()
    assert window.session.theme == "light" and window.session.settings.preferences.paper == "a4"
    lines = [line for line in capsys.readouterr().err.splitlines() if "preferences.json" in line]
    assert len(lines) == 1 and lines[0].startswith("edukit: warning:")
    [kept] = user_dirs["config"].glob("preferences.json.corrupt-*")
    assert kept.read_text(encoding="latin-1") == garbage  # nothing is lost
    window.close()
    assert not prefs.exists()  # not written over with defaults the user never chose
    window.actions["view.theme_contrast"].trigger()  # the user chooses: now it is saved
    assert json.loads(prefs.read_text())["theme"] == "contrast"
    assert kept.read_text(encoding="latin-1") == garbage


def test_values_outside_their_choices_take_the_default_once_at_load(user_dirs):
    (user_dirs["config"] / "preferences.json").write_text(json.dumps(
        {"schema_version": 2, "theme": "neon", "paper": "a3", "reading_font": "dyslexic"}))
    prefs = SettingsStore.load().preferences
    assert (prefs.theme, prefs.paper, prefs.reading_font) == ("light", "a4", "dyslexic")


def test_an_update_is_checked_before_anything_is_kept(user_dirs):
    store = SettingsStore()
    seen = []
    store.changed.connect(seen.append)
    for bad in ({"theme": "neon"}, {"zoom": "big"}, {"paper": None}):
        with pytest.raises(ValueError):
            store.update(**bad)
    with pytest.raises(AttributeError):
        store.update(colour="red")
    assert seen == [] and not (user_dirs["config"] / "preferences.json").exists()
    assert store.update(theme="dark", paper="letter") == {"theme", "paper"}
    assert seen == [{"theme", "paper"}]
    stored = json.loads((user_dirs["config"] / "preferences.json").read_text())
    assert (stored["theme"], stored["paper"]) == ("dark", "letter")


def test_the_store_hands_out_copies_so_only_update_changes_it():
    store = SettingsStore()
    prefs = store.preferences
    prefs.theme = "dark"
    assert store.preferences.theme == "light"


def test_school_details_that_cannot_be_saved_change_nothing(user_dirs):
    store = SettingsStore()
    seen = []
    store.changed.connect(seen.append)
    (user_dirs["config"] / "school.json").mkdir()  # a folder where the file would go
    with pytest.raises(OSError):
        store.set_school(School(name="Oak Academy"))
    assert store.school == School() and seen == []
    assert store.set_school(School()) is False  # the same details: nothing to tell


def test_the_settings_dialog_saves_through_the_store(qtbot, app_window, user_dirs):
    window = app_window()
    seen = []
    window.session.settings.changed.connect(seen.append)
    dialog = window.edit_school_details()
    assert isinstance(dialog, SchoolDetailsDialog)
    dialog.edits["dsl_name"].setText("Mr Ade")
    with qtbot.waitSignal(window.page.loadFinished, timeout=WAIT):
        dialog.accept()
    assert seen == [{"school"}]
    assert window.session.school == replace(School(), dsl_name="Mr Ade")


def test_a_corrupt_school_file_gives_empty_details_and_is_kept_until_the_user_saves(
        qtbot, app_window, user_dirs, capsys):
    school = user_dirs["config"] / "school.json"
    school.write_text('{"schema_version": 2, "name": "Hill', encoding="utf-8")
    window = app_window()
    assert window.session.school == School()
    lines = [line for line in capsys.readouterr().err.splitlines() if "school.json" in line]
    assert len(lines) == 1 and lines[0].startswith("edukit: warning:")
    [kept] = user_dirs["config"].glob("school.json.corrupt-*")
    window.close()
    assert not school.exists()
    details = window.edit_school_details()
    details.edits["name"].setText("Hill Primary")
    details.accept()
    assert json.loads(school.read_text())["name"] == "Hill Primary"
    assert kept.read_text(encoding="utf-8").endswith('"Hill')  # the old copy, untouched
