"""A corrupt settings or state file is told in the window — once, after the first paint, naming
the file and where the old copy was kept — and not again on the next start."""
from __future__ import annotations

from edukit.core.library import Library
from edukit.gui.app import open_window
from edukit.gui.startup_notice import StartupNotice


def launch(qtbot, fixture_content, before_paint=None):
    window = open_window(Library.default(extra=[fixture_content]), "sample-lesson")
    qtbot.addWidget(window)
    if before_paint is not None:
        before_paint.extend(notices(window))
    qtbot.waitUntil(lambda: window.started, timeout=20000)  # the first page has painted
    qtbot.wait(50)
    return window


def notices(window) -> list[StartupNotice]:
    return [n for n in window.findChildren(StartupNotice) if n.isVisible()]


def test_a_corrupt_state_file_is_shown_once_in_the_window_and_not_on_reopening(
        qtbot, fixture_content, user_dirs, capsys):
    state = user_dirs["config"] / "ui-state.json"
    state.write_text("{not json")
    early: list = []
    window = launch(qtbot, fixture_content, early)
    assert early == []  # nothing delays or covers the first paint
    [notice] = notices(window)
    text = notice.label.text()
    kept = next(user_dirs["config"].glob("ui-state.json.corrupt-*"))
    assert text.splitlines() == [
        "Some saved settings could not be read, so edukit is using its defaults:",
        (f"• Where you left off (last lesson, window layout) could not be read ({state}). "
        f"The old copy was kept as {kept}.")]
    assert "Expecting property name" in notice.label.toolTip()  # the exact reason
    assert "edukit: warning:" in capsys.readouterr().err  # and on the terminal, as before
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.session.open("who-can-i-tell")  # another page: no second notice
    assert len(notices(window)) == 1
    notice.dismiss_button.click()
    assert notices(window) == []
    window.close()

    again = launch(qtbot, fixture_content)
    assert notices(again) == []
    assert again.session.module.id == "sample-lesson"


def test_good_state_files_show_no_notice(qtbot, fixture_content, user_dirs):
    (user_dirs["config"] / "preferences.json").write_text('{"schema_version": 1, "zoom": 1.2}')
    window = launch(qtbot, fixture_content)
    assert notices(window) == []
    assert window.lesson.zoom == 1.2  # the file was read (a positive control)


def test_a_wrong_schema_preferences_file_names_itself(qtbot, fixture_content, user_dirs):
    (user_dirs["config"] / "preferences.json").write_text('{"schema_version": 0}')
    window = launch(qtbot, fixture_content)
    [notice] = notices(window)
    kept = next(user_dirs["config"].glob("preferences.json.corrupt-*"))
    assert "Your preferences (theme, zoom, paper) could not be read" in notice.label.text()
    assert str(kept) in notice.label.text()
    assert "wrong schema" in notice.label.toolTip()


def test_preferences_from_a_newer_edukit_are_named_and_left_alone(qtbot, fixture_content,
                                                                   user_dirs):
    path = user_dirs["config"] / "preferences.json"
    path.write_text('{"schema_version": 99, "theme": "dark"}')
    window = launch(qtbot, fixture_content)
    [notice] = notices(window)
    assert notice.label.text().endswith(f"Your preferences (theme, zoom, paper) could not be read "
                                        f"({path}); defaults are in use.")
    assert "written by a newer edukit (schema 99; this one reads 2)" in notice.label.toolTip()
    window.close()  # saving the window state must not replace the newer file
    assert path.read_text() == '{"schema_version": 99, "theme": "dark"}'
