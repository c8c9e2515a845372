"""Which screen shows the audience and which the presenter: the projector is the screen that is
not the primary one; with more than two, the teacher picks it in the console."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

S = TypeVar("S")  # a QScreen in the app; anything comparable in tests


def choose_screens(screens: Sequence[S], primary: S, projector: S | None = None) -> tuple[S, S]:
    """(audience screen, console screen). One screen: the same screen for both."""
    others = [s for s in screens if s != primary]
    if not others:
        return primary, primary
    audience = projector if projector in screens else others[0]
    console = primary if audience != primary else others[0]
    return audience, console
