"""Reduced motion: when the reader asks for it, nothing on edukit's pages or in its window moves.

Where the request comes from (Qt 6 has no reduced-motion hint of its own, and Qt WebEngine does
not pass the desktop's setting on to Chromium): EDUKIT_REDUCED_MOTION=1 (or 0, which wins over
the desktop), else GTK's `gtk-enable-animations = false` in ~/.config/gtk-4.0 or gtk-3.0
settings.ini. Chromium then matches `prefers-reduced-motion: reduce`, which every stylesheet
answers with no animation, transition or smooth scrolling (resources/css/base.css); Qt's own
menu, combo and tooltip animations are switched off too. The offline site needs none of this: a
browser passes the system's setting to the same media query."""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

ENV = "EDUKIT_REDUCED_MOTION"
CHROMIUM_FLAG = "--force-prefers-reduced-motion"
GTK_ANIMATIONS_OFF = re.compile(r"^\s*gtk-enable-animations\s*=\s*(false|0)\s*$",
                                re.IGNORECASE | re.MULTILINE)


def reduced_motion_wanted(environ: Mapping[str, str] | None = None,
                          config_home: Path | None = None) -> bool:
    """Whether the reader asked for reduced motion: the variable, else the GTK setting."""
    environ = os.environ if environ is None else environ
    value = environ.get(ENV, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    home = config_home or Path(environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return gtk_animations_off(home)


def gtk_animations_off(config_home: Path) -> bool:
    for version in ("gtk-4.0", "gtk-3.0"):
        try:
            text = (config_home / version / "settings.ini").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if GTK_ANIMATIONS_OFF.search(text):
            return True
    return False


def still_widgets(app) -> None:
    """Qt's own animations (menus sliding, combo boxes and tooltips fading) off."""
    from PySide6.QtCore import Qt

    for effect in Qt.UIEffect:
        app.setEffectEnabled(effect, False)
