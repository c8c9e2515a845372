"""Work off the UI thread: a Job runs one function on Qt's thread pool and reports back on the UI
thread through its Outcome's signals. Workers never touch widgets."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal


class Outcome(QObject):
    """Carries a worker's result back to the UI thread."""

    succeeded = Signal(object)
    failed = Signal(str)


RUNNING: set[Job] = set()  # jobs in flight, kept alive until they have reported


class Job(QRunnable):
    """Runs one function off the UI thread. An error of an `expected` type (one the user can act
    on) reports its own message, an OSError its file and reason, anything else one line naming it.

    The Outcome belongs to the application, not to whoever asked: if the dialog that asked is
    closed mid-job, the Outcome must outlive it (Qt drops the connections to the closed dialog's
    slots by itself). Nor may Python own it: the last reference to a job is often dropped on the
    pool's thread, and a Qt object must be deleted on its own (UI) thread, as deleteLater does.
    """

    def __init__(self, work: Callable[[], object],
                 expected: tuple[type[Exception], ...] = ()):
        super().__init__()
        self.setAutoDelete(False)
        self.work, self.expected = work, expected
        self.outcome = Outcome(QCoreApplication.instance())

    def start(self) -> Job:
        RUNNING.add(self)
        QThreadPool.globalInstance().start(self)
        return self

    def run(self) -> None:
        try:
            result = self.work()
        except self.expected as exc:
            self.outcome.failed.emit(str(exc))
        except OSError as exc:
            self.outcome.failed.emit(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        except Exception as exc:  # noqa: BLE001 - whatever it was, the dialog must not hang
            first = (str(exc).splitlines() or [""])[0][:200]
            self.outcome.failed.emit(f"unexpected error ({type(exc).__name__}: {first})")
        else:
            self.outcome.succeeded.emit(result)
        finally:
            self.outcome.deleteLater()
            RUNNING.discard(self)
