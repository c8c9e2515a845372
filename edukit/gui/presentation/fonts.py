"""The console's type follows the system font: its style sheets are written for a 10 pt desktop
font, and each size is scaled by the font the desktop really has (a teacher who set a larger
font in the system settings gets a larger clock and slide count too)."""
from __future__ import annotations

import re

DESIGN_POINTS = 10.0  # the system font size the style sheets' pt sizes were chosen against
FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")


def system_points() -> float:
    """The application's (the desktop's) font size in points; 10 when it is set in pixels."""
    from PySide6.QtWidgets import QApplication

    points = QApplication.font().pointSizeF()
    return points if points > 0 else DESIGN_POINTS


def relative_to_system(style: str, points: float | None = None) -> str:
    """The style sheet with every `font-size: Npt` scaled from 10 pt to the system font."""
    scale = (points if points is not None else system_points()) / DESIGN_POINTS
    return FONT_SIZE.sub(lambda m: f"font-size: {float(m.group(1)) * scale:.1f}pt", style)
