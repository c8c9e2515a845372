"""The show's keys, as in PowerPoint and reveal.js, and the typed-number jump ("12 Enter")."""
from __future__ import annotations

from PySide6.QtCore import Qt

K = Qt.Key
NEXT = {K.Key_Right, K.Key_Down, K.Key_Space, K.Key_PageDown, K.Key_N}
PREVIOUS = {K.Key_Left, K.Key_Up, K.Key_PageUp, K.Key_P, K.Key_Backspace}
ENTER = {K.Key_Return, K.Key_Enter}
COMMANDS = {
    K.Key_Home: "first", K.Key_End: "last",
    K.Key_B: "black", K.Key_Period: "black", K.Key_W: "white", K.Key_Comma: "white",
    K.Key_S: "swap-view", K.Key_Escape: "end",
}


class KeyMap:
    """Turns key presses into commands; remembers digits typed so far for a jump."""

    def __init__(self) -> None:
        self.digits = ""

    def command(self, key: int, text: str = "") -> tuple[str, int] | None:
        """("next"|"previous"|"first"|"last"|"jump"|"black"|"white"|"swap-view"|"end"|"typing",
        argument) for a key, or None if the show does not use it."""
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
