"""The reader's type choices, in one place: the reading font and the line spacing every page
(lesson, slides, print, exported HTML, the offline site) is set with. Pages carry them as body
classes (font-<name>, spacing-<name>) styled by resources/css/fonts.css."""
from __future__ import annotations

# The reading font (Preferences.reading_font): the one each page is set in by default, Atkinson
# Hyperlegible or OpenDyslexic from resources/fonts (resources/css/fonts.css), or the system's
# own UI font.
READING_FONTS = ("default", "legible", "dyslexic", "system")
# Line spacing (Preferences.line_spacing): as designed (1.55 on screen), wide (1.8), widest
# (2.0), or WCAG 1.4.12's text spacing all at once: lines 1.5, paragraphs 2 em apart, letters
# 0.12 em and words 0.16 em wider (what some readers with dyslexia or low vision set).
LINE_SPACINGS = ("normal", "wide", "widest", "wcag")
# The bundled faces each reading font is drawn in (fonts.css's font-family names).
FONT_FACES = {"legible": "Atkinson Hyperlegible", "dyslexic": "OpenDyslexic"}


def unfitted_type(view: str, font: str, spacing: str) -> dict[str, str]:
    """The font and spacing of a page edukit writes for a browser it cannot measure in (an
    exported file, the offline site). Slides are fitted to the screen only in the app: elsewhere
    they keep the face and spacing every bundled slide fits in as written, where a wider one
    would cut their last lines."""
    if view == "slides":
        return {"font": "default", "spacing": "normal"}
    return {"font": font, "spacing": spacing}


def line_spacing(value: object) -> str:
    """A stored or asked-for line spacing, or the usual one if edukit does not know it."""
    return value if value in LINE_SPACINGS else "normal"
