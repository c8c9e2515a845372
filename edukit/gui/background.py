"""Work off the UI thread: a Job runs one function on Qt's thread pool and hands its result to a
callback on the UI thread. Workers never touch widgets.

The result crosses threads once, through a Qt signal of an Outcome owned by the application,
to a plain function of the Job that holds its callbacks. Callers never connect their own methods
to a signal emitted on a pool thread: PySide can deliver such a queued call after the method's
object was freed with its window (a crash under load, seen in CI). The Job instead checks, on
the UI thread, that the callback's object is still there before it calls it.
"""
from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal


class Outcome(QObject):
    """Carries a worker's result back to the UI thread."""

    succeeded = Signal(object)
    failed = Signal(str)


RUNNING: set[Job] = set()  # jobs in flight, kept alive until they have reported


class Job(QRunnable):
    """Runs one function off the UI thread. An error of an `expected` type (one the user can act
    on) reports its own message, an OSError its file and reason, anything else one line naming it.

    `succeeded(result)` or `failed(message)` then runs on the UI thread, unless the Qt object it
    is a method of has been deleted meanwhile (the dialog or window that asked was closed).

    Everything the job holds is let go on the UI thread: the Outcome (a Qt object) is the
    application's and deleted later; the work function, which may hold Qt objects, is dropped
    when the result is delivered.
    """

    def __init__(self, work: Callable[[], object], expected: tuple[type[Exception], ...] = (),
                 succeeded: Callable[[object], None] | None = None,
                 failed: Callable[[str], None] | None = None):
        super().__init__()
        self.setAutoDelete(False)
        self.work, self.expected = work, expected
        self.outcome = Outcome(QCoreApplication.instance())
        self.outcome.succeeded.connect(lambda value: self.deliver(succeeded, value))
        self.outcome.failed.connect(lambda message: self.deliver(failed, message))

    def start(self, pool: QThreadPool | None = None) -> Job:
        """Run on `pool` (Qt's global one if none: as many threads as cores)."""
        RUNNING.add(self)
        (pool or QThreadPool.globalInstance()).start(self)
        return self

    def run(self) -> None:
        try:
            result = self.work()
        except self.expected as exc:
            self.report(self.outcome.failed, str(exc))
        except OSError as exc:
            self.report(self.outcome.failed,
                        f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        except Exception as exc:  # noqa: BLE001 - whatever it was, the dialog must not hang
            first = (str(exc).splitlines() or [""])[0][:200]
            self.report(self.outcome.failed, f"unexpected error ({type(exc).__name__}: {first})")
        else:
            self.report(self.outcome.succeeded, result)

    @staticmethod
    def report(signal, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the app quit while the job ran (its Outcome went with it)
            pass

    def deliver(self, callback: Callable | None, value: object) -> None:
        """On the UI thread: release what the job holds, then report if anyone still asks."""
        self.work = None
        RUNNING.discard(self)
        self.outcome.deleteLater()
        if callback is not None and still_there(callback):
            callback(value)


def still_there(callback: Callable) -> bool:
    """False for a method of a Qt object that Qt has deleted (its window or dialog closed),
    given as such or with arguments bound by functools.partial."""
    owner = getattr(getattr(callback, "func", callback), "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)
