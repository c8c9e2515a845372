"""The dark and high-contrast themes recolour the whole window, not only the lesson page: the
library, contents, search box and its results, find bar, menus and the page behind the lesson."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from edukit.gui.palette import SCROLLBAR_COLOURS, SCROLLBAR_STYLE

Role = QPalette.ColorRole


def luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + \
        0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def css_colour(value: str) -> QColor:
    r, g, b = (int(x) for x in re.findall(r"\d+", value)[:3])
    return QColor(r, g, b)


def panes(window):
    return {"library": window.library_pane.tree, "contents": window.toc_pane,
            "search": window.search_box.edit, "results": window.search_box.results,
            "find": window.find_bar.edit, "menu bar": window.menuBar(),
            "View menu": window.menus["&View"]}


@pytest.mark.parametrize("theme, ratio", [("dark", 7.0), ("contrast", 15.0)])
def test_dark_themes_recolour_every_pane_readably_and_the_page_behind_the_lesson(
        qtbot, js, fixture_content, lesson_window, theme, ratio):
    _, window = lesson_window(fixture_content, "who-can-i-tell")
    # Positive control: in the light theme the panes are light.
    assert all(luminance(w.palette().color(Role.Base)) > 0.5 for w in panes(window).values())
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.actions[f"view.theme_{theme}"].trigger()
    for name, widget in panes(window).items():
        palette = widget.palette()
        assert luminance(palette.color(Role.Base)) < 0.05, name
        assert contrast(palette.color(Role.Text), palette.color(Role.Base)) >= ratio, name
        assert contrast(palette.color(Role.WindowText), palette.color(Role.Window)) >= ratio, name
        assert contrast(palette.color(Role.HighlightedText), palette.color(Role.Highlight)) >= 4.5, name
    # What Qt paints before the page has drawn is the page's own background: no white flash.
    page_bg = css_colour(js(window.page, "getComputedStyle(document.documentElement).backgroundColor"))
    assert window.page.backgroundColor().name() == page_bg.name()
    assert luminance(page_bg) < 0.05
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.actions["view.theme_light"].trigger()
    assert luminance(window.library_pane.tree.palette().color(Role.Base)) > 0.5
    assert window.page.backgroundColor().name() == "#ffffff"


def test_the_chosen_search_result_is_drawn_in_the_selections_colours(qtbot, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "who-can-i-tell")
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.actions["view.theme_contrast"].trigger()
    box = window.search_box
    qtbot.waitUntil(lambda: box.indexer.done, timeout=10000)
    qtbot.keyClicks(box.edit, "trusted")
    qtbot.waitUntil(lambda: box.results.count() > 1, timeout=5000)
    roles = [box.results.itemWidget(box.results.item(n)).foregroundRole()
             for n in range(box.results.count())]
    assert roles[0] == Role.HighlightedText and set(roles[1:]) == {Role.Text}
    qtbot.keyClick(box.edit, Qt.Key.Key_Down)
    label = box.results.itemWidget(box.results.item(1))
    assert label.foregroundRole() == Role.HighlightedText
    palette = label.palette()
    assert contrast(palette.color(Role.HighlightedText), palette.color(Role.Highlight)) >= 7
    assert box.results.itemWidget(box.results.item(0)).foregroundRole() == Role.Text


@pytest.mark.parametrize("theme", ["light", "dark", "contrast"])
def test_library_badges_are_readable_and_do_not_glare_in_each_theme(qtbot, fixture_content, lesson_window, theme):
    from edukit.gui.library_pane import badge_colours
    from edukit.gui.palette import theme_palette

    _, window = lesson_window(fixture_content, "who-can-i-tell")
    base = theme_palette(theme).color(Role.Base) if theme != "light" else \
        window.library_pane.tree.palette().color(Role.Base)
    for name in ("review due", "your copy"):
        text, fill = (QColor(c) for c in badge_colours(name, base))
        assert contrast(text, fill) >= 7, (theme, name)
        # The pill sits close to the pane's own brightness: light on light, dark on dark.
        assert abs(luminance(fill) - luminance(base)) < 0.25, (theme, name)


def handle_contrast(bar) -> float:
    """How well the vertical scrollbar's handle stands out from its groove, down the bar's
    middle: the contrast between the commonest colour (the groove) and the next colour that
    covers a good part of it (the handle's fill, not its 1-pixel outline)."""
    from collections import Counter

    image = bar.grab().toImage()
    middle = image.width() // 2
    colours = Counter(image.pixelColor(middle, y).name() for y in range(image.height()))
    (groove, _), *rest = colours.most_common()
    total = sum(colours.values())
    big = [QColor(name) for name, n in rest if n >= total * 0.08]
    return max((contrast(c, QColor(groove)) for c in big), default=1.0)


@pytest.mark.parametrize("theme", ["dark", "contrast"])
def test_the_windows_own_scrollbars_follow_the_theme_with_a_handle_that_shows(
        qtbot, fixture_content, lesson_window, theme):
    _, window = lesson_window(fixture_content, "who-can-i-tell")
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.actions[f"view.theme_{theme}"].trigger()
    bar = window.library_pane.tree.verticalScrollBar()
    qtbot.waitUntil(bar.isVisible, timeout=5000)  # 19 lessons: the library scrolls
    assert luminance(QColor(bar.grab().toImage().pixelColor(1, bar.height() - 2))) < 0.05
    assert handle_contrast(bar) >= 3.0  # WCAG's ratio for parts of controls
    # Positive control: a handle drawn in its groove's colour (as the desktop style drew it in
    # high contrast under X: black on black) is caught.
    groove = SCROLLBAR_COLOURS[theme][0]
    bar.setStyleSheet(SCROLLBAR_STYLE.format(groove=groove, handle=groove, edge=groove))
    assert handle_contrast(bar) < 3.0
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.actions["view.theme_light"].trigger()
    assert bar.styleSheet() == ""  # the light theme keeps the desktop's scrollbars
