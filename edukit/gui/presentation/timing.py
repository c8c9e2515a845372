"""Pacing for the presenter console: a plan of minutes per slide, and where the teacher is
against it. Plain Python (no Qt), so the rules are easy to test and to read."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import unescape

from ...core.model import Slide

# Bundled notes start "**Timing: 3 minutes.**"; a slide's own figure wins over an even share.
TIMING = re.compile(r"Timing:\s*(\d{1,3})\s*minutes?\s*\.", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
SLACK_MINUTES = 1.0  # within a minute of the plan counts as on time


@dataclass(frozen=True)
class Pace:
    """Where the lesson stands against the plan: a short label and a state for its colour."""

    state: str  # "none" | "ahead" | "on-time" | "behind" | "over"
    label: str


def stated_minutes(slide: Slide) -> int | None:
    """The minutes a slide's notes give for it ("Timing: 3 minutes."), if any."""
    m = TIMING.search(unescape(TAG.sub("", slide.notes_html)))
    return int(m.group(1)) if m else None


def plan(slides: Sequence[Slide], duration: int | None) -> list[float]:
    """Planned minutes per slide: stated timings, the rest of the duration shared evenly."""
    stated = [stated_minutes(s) for s in slides]
    known = sum(m for m in stated if m is not None)
    unknown = sum(m is None for m in stated)
    share = max(0.0, (duration or 0) - known) / unknown if unknown else 0.0
    return [float(m) if m is not None else share for m in stated]


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
