"""Rendering away from the UI thread: a separate Python process, stopped if a render overruns.

Lessons that did not come with the app (user modules, --content folders, files opened by path,
imported packs) may be damaged or hostile. Rendering is pure Python holding the GIL, so a thread
would not keep the window responsive; a process can be killed. The worker is started on first need
(never for bundled lessons, so the first paint does not wait for it), answers one request at a
time, and is killed and restarted when a request takes longer than the time limit.
"""
from __future__ import annotations

import itertools
import os
import select
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, Qt, QTimer

from ..core.escape import html_text
from ..core.model import Module, Slide
from ..core.render_service import READY, frame, split_frames
from ..core.rendered import Rendered

TOO_SLOW = ("This lesson took too long to show — it may be damaged. "
            "Other lessons are unaffected.")
RENDER_TIME_LIMIT = 3.0  # seconds one render may take (the worst 1 MB lesson takes ~1.4 s here)
START_TIME_LIMIT = 15.0  # seconds a fresh worker may take to import the renderer


@dataclass(frozen=True)
class Outcome:
    """What came back for one request: a value, or why there is none."""

    value: object = None
    kind: str = "ok"  # "ok" | "raised" (the lesson cannot render) | "timeout" | "lost" (the worker)
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == "ok"

    @property
    def lasting(self) -> bool:
        """True if asking again about the same lesson would give the same answer."""
        return self.kind != "lost"


def failure_rendered(module: Module, view: str, outcome: Outcome) -> Rendered:
    """A calm page in place of a lesson that overran or failed (the reader sees which file)."""
    if outcome.kind == "timeout":
        headline = TOO_SLOW
    else:
        headline = f"This lesson could not be shown ({outcome.error}). Other lessons are unaffected."
    notice = (f'<h1>{html_text(module.meta.title)}</h1><div class="block callout render-failed" '
              f'role="alert"><p><strong>{html_text(headline)}</strong></p>'
              f'<p>File: <code>{html_text(str(module.path))}</code></p></div>')
    if view != "slides":
        return Rendered(module.id, module.meta.title, view, notice)
    slide = Slide(0, module.meta.title, notice)
    html = f'<section class="slide" id="slide-1" data-index="0">{notice}</section>'
    return Rendered(module.id, module.meta.title, view, html, slides=(slide,))


Done = Callable[[Outcome], None]


def worker_command() -> tuple[list[str], dict[str, str]]:
    """Run the same edukit this process imported, whatever sys.path trick found it."""
    package_parent = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
    # Not `-m`: as __main__ the request classes would not be the ones the app pickles.
    return [sys.executable, "-c", "from edukit.core.render_service import main; main()"], env


class RenderWorker(QObject):
    """Hands render requests to the worker process; `done` callbacks run on the UI thread.

    When Qt deletes the worker with its owner (a window or dialog closing, a session collected),
    the process is ended at once and nobody is answered: whoever asked is being torn down too,
    and a late answer to a deleted page crashes. A torn-down worker takes no more requests.
    """

    def __init__(self, time_limit: float = RENDER_TIME_LIMIT, parent: QObject | None = None):
        super().__init__(parent)
        self.time_limit = time_limit
        self.starts = 0  # processes started so far (a restart after an overrun adds one)
        self.overruns = 0
        self._tickets = itertools.count(1)
        self._queue: deque[tuple[int, object, Done]] = deque()
        self._current: tuple[int, object, Done] | None = None
        self._proc: subprocess.Popen | None = None
        self._notifier: QSocketNotifier | None = None
        self._buffer = bytearray()
        self._ready = False
        self._deadline = 0.0
        self._timer = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._check_deadline)
        self._gone = False  # set when Qt deletes this worker (see _torn_down)
        self.destroyed.connect(lambda: self._torn_down(gone=True))
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def submit(self, request: object, done: Done) -> int:
        """Queue a request; `done(outcome)` runs later (or within wait()). Returns its ticket."""
        ticket = next(self._tickets)
        if self._torn_down():
            return ticket  # never answered: the asker's owner is going too
        self._queue.append((ticket, request, done))
        self._pump()
        return ticket

    def pending(self, ticket: int) -> bool:
        return (self._current is not None and self._current[0] == ticket) or any(
            t == ticket for t, _, _ in self._queue)

    def wait(self, ticket: int) -> None:
        """Block until `ticket` is answered; bounded by the time limits of it and those ahead.

        For callers that cannot take an answer later. Other answers that arrive meanwhile are
        delivered as usual."""
        while self.pending(ticket):
            self._step()  # (a torn-down worker drops its requests: the wait ends)

    def stop(self) -> None:
        """End the process (pending requests are answered with an error)."""
        if self._torn_down():
            return
        self._kill()
        self._fail_all("the lesson renderer was stopped")

    def _torn_down(self, gone: bool = False) -> bool:
        """True once Qt has deleted this worker (its timer and notifier with it); the process
        is then ended and reaped, and the requests are dropped unanswered."""
        self._gone = self._gone or gone or not shiboken6.isValid(self)
        if not self._gone:
            return False
        self._queue.clear()
        self._current = None
        if self._notifier is not None and shiboken6.isValid(self._notifier):
            self._notifier.setEnabled(False)  # (during `destroyed`, before Qt deletes it)
        self._notifier = None  # never watch a closed descriptor: the UI loop would crash
        self._end_process()
        return True

    # The process

    def _start(self) -> None:
        command, env = worker_command()
        try:
            self._proc = subprocess.Popen(command, env=env, stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, bufsize=0)
        except OSError as exc:
            self._proc = None
            self._fail_all(f"the lesson renderer could not start: {exc.strerror or exc}")
            return
        self.starts += 1
        fd = self._proc.stdout.fileno()
        os.set_blocking(fd, False)
        self._notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)
        self._arm(START_TIME_LIMIT)

    def _kill(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        self._end_process()
        self._timer.stop()

    def _end_process(self) -> None:
        """Kill and reap the process and close its pipes (no Qt object is touched)."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass  # a pipe the worker had already broken
        self._proc, self._ready = None, False
        self._buffer.clear()

    def _arm(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds
        self._timer.start(max(1, int(seconds * 1000)))

    # Requests and answers

    def _pump(self) -> None:
        """Send the next request if the worker is free; start the worker if there is none."""
        if self._current is not None or not self._queue:
            return
        if self._proc is None:
            self._start()
            return
        if not self._ready:
            return
        self._current = self._queue.popleft()
        try:
            self._proc.stdin.write(frame(self._current[:2]))
            self._proc.stdin.flush()
        except OSError:
            self._lost("the lesson renderer stopped")
            return
        self._arm(self.time_limit)

    def _read(self, *_: object) -> None:
        if self._proc is None or self._torn_down():
            return
        try:
            while chunk := os.read(self._proc.stdout.fileno(), 1 << 16):
                self._buffer += chunk
        except BlockingIOError:
            chunk = b"."  # nothing more for now
        except (OSError, ValueError):
            chunk = b""
        for message in split_frames(self._buffer):
            self._received(message)
        if not chunk and self._proc is not None:
            self._lost("the lesson renderer stopped unexpectedly")

    def _received(self, message: object) -> None:
        if self._gone:
            return  # an answer delivered just before this message tore the worker down
        if message == READY:
            self._ready = True
            self._timer.stop()
            self._pump()
            return
        ticket, (status, value) = message
        if self._current is None or self._current[0] != ticket:
            return  # an answer to a request already given up on
        self._timer.stop()
        self._finish(Outcome(value) if status == "ok" else Outcome(kind="raised", error=str(value)))

    def _finish(self, outcome: Outcome) -> None:
        _, _, done = self._current
        self._current = None
        done(outcome)
        self._pump()

    def _check_deadline(self) -> None:
        if self._proc is None or self._torn_down():
            return
        left = self._deadline - time.monotonic()
        if left > 0:  # a coarse timer may fire a little early
            self._timer.start(max(1, int(left * 1000) + 1))
            return
        if not self._ready:
            self._kill()
            self._fail_all("the lesson renderer did not start in time")
            return
        self.overruns += 1
        self._kill()  # the only way to stop pure-Python work mid-way
        if self._current is not None:
            self._finish(Outcome(kind="timeout", error="took too long"))
        self._pump()  # a fresh worker for what is queued

    def _lost(self, reason: str) -> None:
        self._kill()
        if self._current is not None:
            self._finish(Outcome(kind="lost", error=reason))
        elif not self._ready:
            self._fail_all(reason)

    def _fail_all(self, reason: str) -> None:
        waiting, self._queue = list(self._queue), deque()
        if self._current is not None:
            waiting.insert(0, self._current)
            self._current = None
        for _, _, done in waiting:
            done(Outcome(kind="lost", error=reason))

    def _step(self) -> None:
        """One bounded wait for the worker without the event loop (see wait())."""
        if self._torn_down():
            return
        if self._proc is None:
            self._pump()
            if self._proc is None:
                return
        timeout = max(0.0, self._deadline - time.monotonic())
        readable, _, _ = select.select([self._proc.stdout], [], [], min(timeout, 0.05))
        if readable:
            self._read()
        else:
            self._check_deadline()
