"""Contrast of the app's own window in every theme, from the Qt palettes (gui/palette.py), the
library's badges and the style sheets of the presenter console, the slide overview and the
banners, read from the code and the live widgets: text 4.5:1 (7:1 in the high-contrast theme),
the focus ring 3:1. `pytest -s` prints the table."""
from __future__ import annotations

import pytest
from contrast import Pair, blend, colour, declarations, ratio, rules, table, variables
from PySide6.QtGui import QPalette

from edukit.core.paths import resources_dir

Role = QPalette.ColorRole
THEMES = ("light", "dark", "contrast")
CONSOLE_TEXT = ("QLabel#slide-count", "QLabel#clock", "QLabel#pace")  # drawn in QLabel's colour


def name(palette: QPalette, role) -> str:
    return palette.color(role).name()


def name_in(palette: QPalette, role, group=QPalette.ColorGroup.Disabled) -> str:
    return palette.color(group, role).name()


def palette_pairs(theme: str, palette: QPalette) -> list[Pair]:
    from edukit.gui.library_pane import badge_colours

    need = 7.0 if theme == "contrast" else 4.5
    base = name(palette, Role.Base)
    where = f"app {theme}"
    pairs = [Pair(where, "window text", name(palette, Role.WindowText), name(palette, Role.Window), need),
             Pair(where, "list and field text", name(palette, Role.Text), base, need),
             Pair(where, "button text", name(palette, Role.ButtonText), name(palette, Role.Button), need),
             Pair(where, "placeholder text", name(palette, Role.PlaceholderText), base, need),
             Pair(where, "links", name(palette, Role.Link), base, need),
             Pair(where, "disabled text (exempt, shown)", name_in(palette, Role.Text), base, 0),
             Pair(where, "selected text", name(palette, Role.HighlightedText),
                  name(palette, Role.Highlight), need),
             Pair(where, "tooltips", name(palette, Role.ToolTipText), name(palette, Role.ToolTipBase), need),
             # library_pane.ModuleDelegate draws the summary in the text colour at alpha 170
             Pair(where, "library summary line", blend(name(palette, Role.Text), base, 170 / 255),
                  base, need),
             # focus_ring.ring_colour: the selection colour, or its text colour on a selected item
             Pair(where, "focus ring", name(palette, Role.Highlight), base, 3),
             Pair(where, "focus ring on a selected item", name(palette, Role.HighlightedText),
                  name(palette, Role.Highlight), 3)]
    for badge in ("review due", "your copy"):
        text, fill = badge_colours(badge, palette.color(Role.Base))
        pairs.append(Pair(where, f"badge '{badge}'", text, fill, need))
    return pairs


def sheet_pairs(where: str, qss: str, pairs: list[tuple[str, str, str, str]]) -> list[Pair]:
    """(what, selector of the words, selector of what is behind them, need) from a QSS text."""
    found = {r.selector: r.declarations for r in rules(qss)}

    def get(selector: str, prop: str) -> str:
        if prop not in found.get(selector, {}) and "::" in selector:  # an item: its view's words
            return get(selector.split("::")[0], prop)
        return colour(found[selector][prop])
    return [Pair(where, what, get(fg, "color"), get(bg, "background"), need)
            for what, fg, bg, need in pairs]


def console_pairs(theme: str) -> list[Pair]:
    """The presenter console and slide overview: their own dark style, or high contrast."""
    from edukit.gui.presentation import console, overview

    need = 7.0 if theme == "contrast" else 4.5
    where = "console hc" if theme == "contrast" else "console"
    pairs = sheet_pairs(where, console.console_style(theme), [
        ("labels", "QLabel", "#presenter-console", need),
        ("captions (NOW SHOWING, NEXT)", "QLabel#caption", "#presenter-console", need),
        ("black/white screen pill", "QLabel#blank-state", "QLabel#blank-state", need),
        ("safeguarding note flag", "QLabel#safeguarding-more", "QLabel#safeguarding-more", need),
        ("typed slide number", "QLabel#typed", "QLabel#typed", need),
        ("notes", "QTextBrowser#notes", "QTextBrowser#notes", need),
        ("safeguarding notes", "QTextBrowser#safeguarding", "QTextBrowser#safeguarding", need),
        ("jump list", "QListWidget#jump-list", "QListWidget#jump-list", need),
        ("jump list, current slide", "QListWidget#jump-list::item:selected",
         "QListWidget#jump-list::item:selected", need)])
    for state in console.PACE_COLOURS:
        style = declarations(console.pace_style(state, theme))
        pairs.append(Pair(where, f"pacing cue '{state}'", colour(style["color"]),
                          colour(style["background"]), need))
    pairs += sheet_pairs(where, overview.overview_style(theme), [
        ("overview: slide tiles", "QListWidget#slide-overview", "QListWidget#slide-overview::item",
         need),
        ("overview: chosen tile", "QListWidget#slide-overview::item:selected",
         "QListWidget#slide-overview::item:selected", need)])
    tiles = {r.selector: r.declarations for r in rules(overview.overview_style(theme))}
    pairs.append(Pair(where, "overview: chosen tile's edge",
                      colour(tiles["QListWidget#slide-overview::item:selected"]["border-color"]),
                      colour(tiles["QListWidget#slide-overview::item"]["background"]), 3))
    return pairs


def banner_pairs(window) -> list[Pair]:
    from edukit.gui.startup_notice import StartupNotice

    banner = declarations(window.lesson.banner.styleSheet())
    notice = sheet_pairs("banners", StartupNotice(["x"], window).styleSheet(), [
        ("settings notice", "QLabel#startup-notice-text", "QToolBar#startup-notice", 4.5)])
    return [Pair("banners", "lesson problems", colour(banner["color"]), colour(banner["background"]),
                 4.5), *notice]


def all_pairs(window) -> list[Pair]:
    from edukit.gui.palette import theme_palette

    pairs = [p for theme in THEMES for p in palette_pairs(theme, theme_palette(theme))]
    return pairs + console_pairs("light") + console_pairs("contrast") + banner_pairs(window)


def test_the_apps_own_colours_meet_their_contrast_in_every_theme(qtbot, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "who-can-i-tell")
    pairs = all_pairs(window)
    print("\n" + table(pairs))
    assert len(pairs) > 50
    assert [p for p in pairs if not p.ok()] == []


def test_the_window_themes_use_the_pages_own_colours():
    # gui/palette.py restates the page's --bg, --fg and --accent: they must not drift apart.
    from edukit.gui.palette import PAGE_BACKGROUNDS, THEME_COLOURS
    from edukit.gui.presentation.audience import SLIDE_BACKGROUNDS

    css = resources_dir() / "css"
    base = (css / "base.css").read_text(encoding="utf-8")
    for theme in THEMES:
        extra = [] if theme == "light" else [(css / f"theme-{theme}.css").read_text(encoding="utf-8")]
        page = variables(base, *extra)
        assert PAGE_BACKGROUNDS[theme] == SLIDE_BACKGROUNDS[theme] == colour(page["bg"]), theme
        if theme != "light":
            assert THEME_COLOURS[theme]["base"] == colour(page["bg"])
            assert THEME_COLOURS[theme]["text"] == colour(page["fg"])
            assert THEME_COLOURS[theme]["link"] == colour(page["accent"])


@pytest.mark.parametrize("role, weak", [("muted", "#555555"), ("highlight", "#202020")])
def test_a_low_contrast_palette_colour_is_caught(qapp, monkeypatch, role, weak):
    # Positive control: a dark-theme placeholder or selection colour too close to the base.
    from edukit.gui import palette

    colours = {**palette.THEME_COLOURS["dark"], role: weak}
    monkeypatch.setitem(palette.THEME_COLOURS, "dark", colours)
    failing = [p for p in palette_pairs("dark", palette.theme_palette("dark")) if not p.ok()]
    assert failing and ratio(weak, colours["base"]) < 4.5


def test_a_low_contrast_pacing_cue_is_caught(monkeypatch):
    # Positive control: the cue's old amber (white on #b26a00, 4.2:1) fails.
    from edukit.gui.presentation import console

    monkeypatch.setitem(console.PACE_COLOURS, "behind", "#b26a00")
    failing = [p.what for p in console_pairs("light") if not p.ok()]
    assert failing == ["pacing cue 'behind'"]


def test_a_show_started_in_high_contrast_styles_its_console_so(qapp, qtbot):
    from edukit.core.library import Library
    from edukit.core.model import School
    from edukit.gui.presentation.console import PACE_COLOURS, console_style, pace_style
    from edukit.gui.presentation.controller import Presentation
    from edukit.gui.session import Session

    session = Session(Library.default(), School())
    session.open("who-can-i-tell")
    session.set_theme("contrast")
    show = Presentation(session, 0)
    try:
        console = show.console
        assert console.styleSheet() == console_style("contrast") != console_style("dark")
        assert console.pace.styleSheet() in {pace_style(state, "contrast") for state in PACE_COLOURS}
        assert "color: black" in console.pace.styleSheet()
    finally:
        show.end()
        show.dispose()
