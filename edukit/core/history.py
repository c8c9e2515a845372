"""The reading history: back and forward across modules and sections, like a browser's. Plain
values, no Qt: the session (edukit.gui.session) keeps one and says when it changes."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A point in the reading history: a module and a section of it."""

    module_id: str
    section: str = ""


class History:
    """Back/forward across modules and sections, like a browser's."""

    def __init__(self, limit: int = 200):
        self.places: list[Place] = []
        self.index = -1
        self.limit = limit

    def push(self, place: Place) -> None:
        if self.places and self.places[self.index] == place:
            return
        self.places = self.places[: self.index + 1] + [place]
        self.places = self.places[-self.limit:]
        self.index = len(self.places) - 1

    def update(self, place: Place) -> None:
        """Replace the current place (the reader scrolled within it)."""
        if self.index >= 0:
            self.places[self.index] = place

    def back(self) -> Place | None:
        if self.index <= 0:
            return None
        self.index -= 1
        return self.places[self.index]

    def forward(self) -> Place | None:
        if self.index >= len(self.places) - 1:
            return None
        self.index += 1
        return self.places[self.index]

    @property
    def can_go_back(self) -> bool:
        return self.index > 0

    @property
    def can_go_forward(self) -> bool:
        return self.index < len(self.places) - 1
