"""The show's keys, as in PowerPoint and reveal.js, and the typed-number jump ("12 Enter")."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

K = Qt.Key
# In the order the keys help lists them (README's order).
NEXT = (K.Key_Right, K.Key_Down, K.Key_Space, K.Key_PageDown, K.Key_N)
PREVIOUS = (K.Key_Left, K.Key_Up, K.Key_PageUp, K.Key_P, K.Key_Backspace)
ENTER = (K.Key_Return, K.Key_Enter)
COMMANDS = {
    K.Key_Home: "first", K.Key_End: "last",
    K.Key_B: "black", K.Key_Period: "black", K.Key_W: "white", K.Key_Comma: "white",
    K.Key_S: "swap-view", K.Key_Escape: "end",
    K.Key_Plus: "notes-larger", K.Key_Equal: "notes-larger",
    K.Key_Minus: "notes-smaller", K.Key_Underscore: "notes-smaller",
    K.Key_G: "overview", K.Key_A: "pointer",
    K.Key_L: "laser", K.Key_D: "pen", K.Key_E: "erase",
}
# What a teacher calls the keys whose Qt names are a bare symbol or differ from the keycap.
READABLE = {K.Key_Period: "Full stop (.)", K.Key_Comma: "Comma (,)", K.Key_Plus: "Plus (+)",
            K.Key_Equal: "Equals (=)", K.Key_Minus: "Minus (-)", K.Key_Underscore: "Underscore (_)",
            K.Key_Return: "Enter", K.Key_Enter: "Enter (keypad)", K.Key_Escape: "Esc",
            K.Key_PageDown: "Page Down", K.Key_PageUp: "Page Up"}


def key_name(key: int) -> str:
    """A key's name as printed on the keyboard or said aloud: "Full stop (.)", not "."."""
    return READABLE.get(key) or QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


class KeyMap:
    """Turns key presses into commands; remembers digits typed so far for a jump."""

    def __init__(self) -> None:
        self.digits = ""

    def command(self, key: int, text: str = "") -> tuple[str, int] | None:
        """(command, argument) for a key, or None if the show does not use it: "typing" with the
        number so far, "jump" with a slide index, or a command of COMMANDS, NEXT or PREVIOUS."""
        if text.isdigit() and len(text) == 1:
            self.digits = (self.digits + text)[-4:]
            return "typing", int(self.digits)
        typed, self.digits = self.digits, ""
        if key in ENTER:
            return ("jump", int(typed) - 1) if typed else ("next", 0)
        if key in NEXT:
            return "next", 0
        if key in PREVIOUS:
            return "previous", 0
        return (COMMANDS[key], 0) if key in COMMANDS else None


def is_show_key(key: int, text: str = "") -> bool:
    """Does the show use this key? (Asked of a fresh KeyMap: the one place that knows.)"""
    return KeyMap().command(key, text) is not None
