"""A teacher with no mouse, or with a screen reader: every feature by keyboard, focus always
visible, every pane and button named."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from edukit.gui.actions import ACTIONS, typeable


def focused(window) -> QWidget | None:
    return QApplication.focusWidget()


def give_focus(qtbot, window, widget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    widget.setFocus()
    qtbot.waitUntil(lambda: widget.hasFocus() or widget.isAncestorOf(QApplication.focusWidget()),
                    timeout=5000)


def inside(widget, pane) -> bool:
    return widget is not None and (widget is pane or pane.isAncestorOf(widget))


def module_item(tree, module_id):
    return next(tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
                for j in range(tree.topLevelItem(i).childCount())
                if tree.topLevelItem(i).child(j).data(0, Qt.ItemDataRole.UserRole) == module_id)


def test_no_key_is_bound_to_two_actions_so_ctrl_g_opens_the_teacher_guide(
        qtbot, fixture_content, lesson_window):
    """Ctrl+G is Teacher guide; a desktop's Find next binding must not make it ambiguous (Qt then
    runs neither action)."""
    session, window = lesson_window(fixture_content, "sample-lesson")
    owners: dict[str, str] = {}
    for action in window.actions.actions.values():
        for key in action.shortcuts():
            assert key.toString() not in owners, f"{key.toString()}: {owners.get(key.toString())}"
            owners[key.toString()] = action.objectName()
    give_focus(qtbot, window, window.library_pane.tree)
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        qtbot.keyClick(window.library_pane.tree, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert session.view == "guide"


def test_every_action_has_a_key_or_a_menu_letter_and_no_menu_repeats_a_letter(
        qtbot, fixture_content, lesson_window):
    from edukit.core.settings import UiState
    from edukit.gui.window_state import RecentMenu

    _, window = lesson_window(fixture_content, "sample-lesson")
    RecentMenu(window, UiState())  # File > Open recent, as the app adds it
    assert all("&" in spec.text for spec in ACTIONS)
    menus = [window.menuBar().actions()]
    menus += [action.menu().actions() for action in window.menuBar().actions()]
    for entries in menus:
        letters = [m.group(1).lower() for a in entries if (m := re.search(r"&(\w)", a.text()))]
        assert len(letters) == len(set(letters)), [a.text() for a in entries]
    assert window.actions["file.quit"].shortcuts()  # Ctrl+Q on every desktop
    for action in window.actions.actions.values():  # the menu shows a key the laptop has
        assert not action.shortcuts() or typeable(action.shortcut()), action.text()


def test_tab_goes_down_the_left_column_then_into_the_lesson(qtbot, fixture_content, lesson_window):
    """(Inside the lesson Tab walks its links, as in a browser; F6 goes on to the contents.)"""
    _, window = lesson_window(fixture_content, "sample-lesson")
    pane = window.library_pane
    expected = [*pane.combos.values(), pane.tree, window.view]
    give_focus(qtbot, window, window.search_box.edit)
    for widget in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda w=widget: inside(focused(window), w), timeout=3000)


def test_f6_and_shift_f6_move_the_keyboard_between_panes(qtbot, js, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "sample-lesson")
    give_focus(qtbot, window, window.search_box.edit)
    for pane in (window.library_pane.tree, window.view, window.toc_pane, window.search_box.edit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
        qtbot.waitUntil(lambda p=pane: inside(focused(window), p), timeout=3000)
        if pane is window.view:  # the reader's place is kept: not moved on to the first link
            qtbot.wait(300)
            assert js(window.page, "window.scrollY") == 0
            assert js(window.page, "document.activeElement === document.body")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: inside(focused(window), window.toc_pane), timeout=3000)
    window.actions["view.contents"].setChecked(False)  # a hidden pane is skipped
    window.toc_pane.clearFocus()
    give_focus(qtbot, window, window.view)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: inside(focused(window), window.search_box.edit), timeout=3000)


def test_arrows_and_enter_in_the_library_open_a_lesson(qtbot, fixture_content, lesson_window):
    session, window = lesson_window(fixture_content, "sample-lesson")
    tree = window.library_pane.tree
    give_focus(qtbot, window, tree)
    start = tree.currentItem()
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    moved = tree.currentItem()
    assert moved is not start and session.module.id == "sample-lesson"  # arrows only move
    if moved.data(0, Qt.ItemDataRole.UserRole) is None:  # a group heading: step onto its lesson
        qtbot.keyClick(tree, Qt.Key.Key_Down)
    chosen = tree.currentItem().data(0, Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert session.module.id == chosen != "sample-lesson"


def ring_pixel(view, item):
    """The colour where the focus ring is drawn: just inside the item's top edge, mid-way."""
    rect = view.visualItemRect(item)
    image = view.viewport().grab().toImage()
    return image.pixelColor(rect.center().x(), rect.top() + 2).name()


def test_the_keyboard_focus_is_visible_on_the_library_item_and_the_contents_item(
        qtbot, fixture_content, lesson_window):
    """The selection looks the same whether or not the list has the keyboard: a ring shows it."""
    _, window = lesson_window(fixture_content, "sample-lesson")
    qtbot.waitUntil(lambda: window.toc_pane.topLevelItemCount() > 0, timeout=10000)
    for view in (window.library_pane.tree, window.toc_pane):
        item = view.currentItem()
        assert item is not None and item.isSelected()
        give_focus(qtbot, window, window.search_box.edit)
        without = ring_pixel(view, item)
        give_focus(qtbot, window, view)
        qtbot.waitUntil(lambda v=view, i=item, w=without: ring_pixel(v, i) != w, timeout=3000)
        ring = view.palette().color(view.palette().ColorRole.HighlightedText).name()
        assert ring_pixel(view, item) == ring


def test_panes_fields_and_buttons_have_names_a_screen_reader_can_say(
        qtbot, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "sample-lesson")
    named = [window.search_box.edit, window.search_box.results, *window.library_pane.combos.values(),
             window.library_pane.tree, window.view, window.toc_pane, window.find_bar.edit]
    names = [widget.accessibleName() for widget in named]
    assert all(names) and len(set(names)) == len(names), names
    from PySide6.QtWidgets import QToolButton

    buttons = [b for b in window.find_bar.findChildren(QToolButton) if b.text()]
    assert sorted(b.accessibleName() for b in buttons) == \
        ["Close the find bar", "Next match", "Previous match"]
    print_button = window.findChild(QWidget, "main-toolbar").widgetForAction(
        window.actions["file.print"])
    assert print_button.toolTip() == "Print (Ctrl+P)"  # the toolbar tells its keys


def test_f1_lists_every_action_and_the_show_keys_and_esc_closes_it(
        qtbot, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "sample-lesson")
    give_focus(qtbot, window, window.library_pane.tree)
    qtbot.keyClick(window.library_pane.tree, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog), timeout=3000)
    dialog = QApplication.activeModalWidget()
    rows = dict(dialog.rows())
    native = QKeySequence.SequenceFormat.NativeText
    for action in window.actions.actions.values():
        keys = [k.toString(native) for k in action.shortcuts() if typeable(k)]
        listed = rows[action.text().replace("&", "").rstrip("…")]
        assert all(k in listed for k in keys), (action.text(), listed)
    assert rows["Teacher guide"] == "Ctrl+G" and rows["Print"] == "Ctrl+P"
    assert "F5" in rows["Present from the start"] and "Page Down" in rows["Next slide"]
    assert "B" in rows["Black screen (again to return)"]
    assert "Zoom In" not in rows["Zoom in"]  # a media key's name, not a key on the laptop
    with qtbot.waitSignal(dialog.finished, timeout=3000):
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Escape)


def test_a_lesson_at_200_percent_reflows_without_sideways_scrolling(
        qtbot, js, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "sample-lesson")
    window.resize(1366, 768)
    for _ in range(5):
        window.actions["view.zoom_in"].trigger()
    assert window.lesson.zoom == 2.0
    qtbot.waitUntil(lambda: js(window.page, "window.devicePixelRatio") >= 1.99, timeout=5000)
    wide = js(window.page, "document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0
