"""The window's own colours for each reading theme, so the library, contents, search box, menus and
toolbar match the lesson page (whose colours come from resources/css/theme-*.css)."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QScrollBar, QWidget

Role, Group = QPalette.ColorRole, QPalette.ColorGroup

# The same values as the page's --bg / --fg / --box / --accent in theme-dark.css and
# theme-contrast.css; "light" keeps the desktop's own palette.
THEME_COLOURS: dict[str, dict[str, str]] = {
    "dark": {"window": "#20252b", "base": "#16191d", "alternate": "#1c2127", "text": "#e6e9ee",
             "muted": "#a8b1bd", "button": "#2a3038", "highlight": "#2f6fbf",
             "highlighted_text": "#ffffff", "link": "#7fb2ff", "disabled": "#7d8792"},
    "contrast": {"window": "#000000", "base": "#000000", "alternate": "#000000",
                 "text": "#ffffff", "muted": "#ffffff", "button": "#000000",
                 "highlight": "#ffff00", "highlighted_text": "#000000", "link": "#ffff00",
                 "disabled": "#c0c0c0"},
}
# The light theme's selection: the page's link blue (--accent) under white words, 6.4:1. Fusion's
# own (#308cc6) is 3.7:1, under the 4.5:1 words need, and it is the focus ring's colour too.
LIGHT_SELECTION = ("#1f5fa8", "#ffffff")
# The page behind the lesson before it has drawn: no white flash in a dark theme.
PAGE_BACKGROUNDS = {"light": "#ffffff", "dark": "#16191d", "contrast": "#000000"}


def theme_palette(theme: str) -> QPalette:
    """The palette for a theme: the style's standard one for light (with a darker selection),
    else the theme's colours."""
    palette = QApplication.style().standardPalette()
    colours = THEME_COLOURS.get(theme)
    if colours is None:
        for group in (Group.Active, Group.Inactive):
            palette.setColor(group, Role.Highlight, QColor(LIGHT_SELECTION[0]))
            palette.setColor(group, Role.HighlightedText, QColor(LIGHT_SELECTION[1]))
        return palette
    roles = {
        Role.Window: "window", Role.Base: "base", Role.AlternateBase: "alternate",
        Role.WindowText: "text", Role.Text: "text", Role.ButtonText: "text",
        Role.Button: "button", Role.Highlight: "highlight", Role.ToolTipBase: "base",
        Role.ToolTipText: "text", Role.HighlightedText: "highlighted_text",
        Role.PlaceholderText: "muted", Role.Link: "link", Role.BrightText: "text",
        Role.Light: "muted", Role.Midlight: "button", Role.Mid: "muted", Role.Dark: "base",
        Role.Shadow: "base",
    }
    for role, key in roles.items():
        palette.setColor(role, QColor(colours[key]))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor(colours["disabled"]))
    return palette


# Qt's own scrollbars draw their handle in the Button colour: black on black in high contrast.
# These match the page's scrollbars (theme-*.css): a handle that stands out from its groove.
SCROLLBAR_COLOURS = {"dark": ("#16191d", "#6b7785", "#39414b"),
                     "contrast": ("#000000", "#ffff00", "#ffffff")}  # groove, handle, edge
SCROLLBAR_STYLE = """
QScrollBar {{ background: {groove}; border: 1px solid {edge}; margin: 0; }}
QScrollBar:vertical {{ width: 14px; }}
QScrollBar:horizontal {{ height: 14px; }}
QScrollBar::handle {{ background: {handle}; border-radius: 4px; margin: 2px; }}
QScrollBar::handle:vertical {{ min-height: 28px; }}
QScrollBar::handle:horizontal {{ min-width: 28px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
"""


def scrollbar_style(theme: str) -> str:
    """The scrollbars' style sheet for a theme ("" for light: the desktop's own)."""
    colours = SCROLLBAR_COLOURS.get(theme)
    if colours is None:
        return ""
    groove, handle, edge = colours
    return SCROLLBAR_STYLE.format(groove=groove, handle=handle, edge=edge)


def apply_theme(window: QWidget, theme: str, popups: tuple[QWidget, ...] = ()) -> None:
    """Recolour a window and its pop-ups (menus are windows of their own and do not inherit),
    scrollbars included (styled one by one, so no other widget's drawing changes)."""
    palette = theme_palette(theme)
    for widget in (window, *popups):
        widget.setPalette(palette)
    style = scrollbar_style(theme)
    for bar in window.findChildren(QScrollBar):
        bar.setStyleSheet(style)


def page_background(theme: str) -> QColor:
    return QColor(PAGE_BACKGROUNDS.get(theme, PAGE_BACKGROUNDS["light"]))
