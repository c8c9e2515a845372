"""The console's type follows the system font: its style sheets are written for a 10 pt desktop
font, and each size follows the font the desktop really has. Text (notes captions, buttons, the
jump list) grows in proportion; the large status type (slide count, clock, pace: 14 pt and more,
read at a glance from a step away) grows by the points the desktop font adds, so a teacher's
16 or 20 pt desktop font gives larger type everywhere and the status row still fits a 1280 px
laptop screen (in proportion, at 20 pt, it needed 1363 px)."""
from __future__ import annotations

import re

DESIGN_POINTS = 10.0  # the system font size the style sheets' pt sizes were chosen against
DISPLAY_POINTS = 14.0  # from this size up, a size grows by the points added, not in proportion
FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")


def system_points() -> float:
    """The application's (the desktop's) font size in points; 10 when it is set in pixels."""
    from PySide6.QtWidgets import QApplication

    points = QApplication.font().pointSizeF()
    return points if points > 0 else DESIGN_POINTS


def relative_to_system(style: str, points: float | None = None) -> str:
    """The style sheet with every `font-size: Npt` moved from a 10 pt desktop to this one."""
    system = points if points is not None else system_points()
    return FONT_SIZE.sub(lambda m: f"font-size: {following(float(m.group(1)), system):.1f}pt", style)


def following(design: float, system: float) -> float:
    """A size chosen for a 10 pt desktop font, on a desktop whose font is `system` points."""
    if design >= DISPLAY_POINTS:
        return max(DISPLAY_POINTS, design + system - DESIGN_POINTS)
    return design * system / DESIGN_POINTS
