"""Pacing for the presenter console: where the teacher is against the lesson's plan (the plan
itself is read by core/pacing.py, which `validate` shares). Plain Python, no Qt."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...core.model import Slide
from ...core.pacing import plan as share_plan
from ...core.pacing import stated_minutes

SLACK_MINUTES = 1.0  # within a minute of the plan counts as on time


@dataclass(frozen=True)
class Pace:
    """Where the lesson stands against the plan: a short label and a state for its colour."""

    state: str  # "none" | "ahead" | "on-time" | "behind" | "over"
    label: str


def plan(slides: Sequence[Slide], duration: int | None) -> list[float]:
    """Planned minutes per slide from the notes' stated times (core/pacing.py's convention),
    the rest of the duration shared evenly."""
    return share_plan([stated_minutes(s.notes_html) for s in slides], duration)


def clock(seconds: float) -> str:
    """12:05 for minutes and seconds; 1:02:05 past an hour."""
    s = int(seconds)
    hours, rest = divmod(s, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{s // 60}:{s % 60:02d}"


def pace(elapsed_seconds: float, minutes: Sequence[float], index: int) -> Pace:
    """Ahead, on time, behind or over time, at slide `index` after this much time."""
    total = sum(minutes)
    if not minutes or total <= 0:
        return Pace("none", "No planned duration")
    elapsed = elapsed_seconds / 60
    start = sum(minutes[:index])
    end = start + minutes[index]
    if elapsed > total:
        return Pace("over", f"Over time by {round(elapsed - total) or 1} min")
    if elapsed > end + SLACK_MINUTES:
        return Pace("behind", f"Behind by {round(elapsed - end)} min")
    if elapsed < start - SLACK_MINUTES:
        return Pace("ahead", f"Ahead by {round(start - elapsed)} min")
    return Pace("on-time", "On time")


class Stopwatch:
    """Elapsed teaching time that can be paused and reset; `now` is injectable for tests."""

    def __init__(self, now=None) -> None:
        import time

        self.now = now or time.monotonic
        self.banked = 0.0  # seconds counted before the last resume
        self.started: float | None = self.now()

    @property
    def running(self) -> bool:
        return self.started is not None

    def elapsed(self) -> float:
        return self.banked + (self.now() - self.started if self.started is not None else 0.0)

    def pause(self) -> None:
        if self.started is not None:
            self.banked, self.started = self.elapsed(), None

    def resume(self) -> None:
        if self.started is None:
            self.started = self.now()

    def reset(self) -> None:
        """Back to 0:00, keeping whether it runs."""
        self.banked = 0.0
        if self.started is not None:
            self.started = self.now()
