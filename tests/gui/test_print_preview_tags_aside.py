"""The print preview tags its PDF on the reader thread, not on its window's: tagging a staff
guide took ~0.5 s there, and the preview froze (no scrolling, no clicks) after its pages had
shown. Only plain data goes to the reader thread and back, and the window's thread picks the
PDF up: a Qt object let go on another thread crashed the event loop (commit 81e3fea, reverted).
A request superseded, a maker closed or a preview closed while the tags are made hands nothing
on and breaks nothing; Save as PDF and Print still wait for the tagged PDF."""
from __future__ import annotations

import dataclasses
import gc
import threading
import types
from io import BytesIO

import pikepdf
import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt, QTimer

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.printing import PrintOptions
from edukit.gui.page_server import PageServer
from edukit.gui.pdf import PdfMaker
from edukit.gui.pdf import reader as pdf_reader
from edukit.gui.pdf.maker import TAG_POLL_MS
from edukit.gui.print_preview import PrintPreview
from edukit.gui.session import Session

WAIT = 60000
MODULE = "who-can-i-tell"


def tagged(made: bytes) -> bool:
    with pikepdf.open(BytesIO(made)) as doc:
        return "/StructTreeRoot" in doc.Root and bool(doc.Root.MarkInfo.Marked)


def qt_objects_in(root: object) -> list:
    """Every Qt object (shiboken wrapper) reachable from root through the objects Python's
    collector follows (containers, instances, closures, futures), modules and classes aside."""
    seen, todo, found = set(), [root], []
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, (type, types.ModuleType)):
            continue
        seen.add(id(obj))
        if isinstance(obj, shiboken6.Shiboken.Object):
            found.append(obj)
        elif not (isinstance(obj, dict) and "__builtins__" in obj):  # a module's globals
            todo.extend(gc.get_referents(obj))
    return found


class Recorder:
    """Wraps the reader thread: what is asked of it (function, arguments, future)."""

    def __init__(self, real):
        self.real, self.asked = real, []

    def submit(self, fn, *args):
        future = self.real.submit(fn, *args)
        self.asked.append((fn, args, future))
        return future


@pytest.fixture
def reader(monkeypatch) -> Recorder:
    recorder = Recorder(pdf_reader.reader_thread())
    monkeypatch.setattr(pdf_reader, "reader_thread", lambda: recorder)
    return recorder


@pytest.fixture
def tagging(monkeypatch):
    """`finished` (the tagging) made to record the thread it runs on and to wait, once
    `gate` is cleared, until the test sets it again; `started` is set as it begins."""
    real = pdf_reader.finished
    state = types.SimpleNamespace(threads=[], started=threading.Event(), gate=threading.Event())
    state.gate.set()

    def finished(prints, error):
        state.threads.append(threading.get_ident())
        state.started.set()
        state.gate.wait(WAIT / 1000)
        return real(prints, error)

    monkeypatch.setattr(pdf_reader, "finished", finished)
    yield state
    state.gate.set()  # never leave the reader thread waiting
    pdf_reader.reader_thread().submit(int).result(WAIT / 1000)


def spin(qapp, ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def drained(qapp) -> None:
    """The reader thread has done everything asked of it, and the window's events are in."""
    pdf_reader.reader_thread().submit(int).result(WAIT / 1000)
    spin(qapp, 3 * TAG_POLL_MS)


def make_pdf(maker: PdfMaker, library: Library, module_id: str, got: list,
             options: PrintOptions | None = None) -> None:
    maker.request(library.get(module_id), options or PrintOptions(),
                  lambda made, error: got.append((module_id, made, error)))


@pytest.mark.parametrize("aside", [True, False])
def test_the_tags_are_made_off_the_window_thread_from_plain_data(qapp, user_dirs, reader,
                                                                 tagging, aside):
    """A window's maker tags on the reader thread; `aside=False` (the command line's maker,
    tagging inline as the preview did) is the control: the harness sees the window's thread.
    Nothing handed to the reader thread references a Qt object, and no future has a callback
    (one would run on the reader thread)."""
    library = Library.default()
    maker, got = PdfMaker(PageServer(library, School(name="Hill School")), tags_aside=aside), []
    try:
        make_pdf(maker, library, MODULE, got)
        loop = QEventLoop()
        while not got:
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    finally:
        maker.close()
    [(_, made, error)] = got
    assert error == "" and tagged(made)
    reader_ident = pdf_reader.reader_thread().submit(threading.get_ident).result(WAIT / 1000)
    assert tagging.threads == [reader_ident if aside else threading.main_thread().ident]
    assert (pdf_reader.tag_aside in [fn for fn, _, _ in reader.asked]) == aside
    for _fn, args, future in reader.asked:
        assert qt_objects_in(args) == []
        assert future._done_callbacks == []
    assert qt_objects_in(lambda: maker)  # control: the walk finds a Qt object in a closure


@pytest.mark.parametrize("how", ["closed", "superseded"])
def test_a_pdf_tagged_after_its_request_was_dropped_is_not_handed_on(qapp, user_dirs,
                                                                     tagging, how):
    """The maker closed (the preview closed) or a newer request made while the tags were made:
    the old PDF is not handed on, nothing breaks as it ends, and the newer one is."""
    library = Library.default()
    maker, got = PdfMaker(PageServer(library, School()), tags_aside=True), []
    try:
        tagging.gate.clear()
        make_pdf(maker, library, MODULE, got)
        while not tagging.started.is_set():
            qapp.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        poll = maker._poll
        if how == "closed":
            maker.close()
        else:  # its tagging waits behind the old one, which ends once the newer is asked
            make_pdf(maker, library, "live-streaming-and-video-chat", got)
        tagging.gate.set()
        drained(qapp)
        while how == "superseded" and not got:
            qapp.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    finally:
        if how == "superseded":
            maker.close()
    if how == "closed":
        assert got == [] and not shiboken6.isValid(poll)  # the timer went with the maker
    else:
        assert len(tagging.threads) == 2  # the old one was tagged, then dropped
        assert [(module_id, error) for module_id, _, error in got] == [
            ("live-streaming-and-video-chat", "")]
        assert "Live" in PdfReader(BytesIO(got[0][1])).pages[0].extract_text()
    drained(qapp)
    assert len(got) == (0 if how == "closed" else 1)


@pytest.fixture
def preview_of(qtbot, qapp, user_dirs):
    """preview_of(kind): a preview as File > Print opens it (deleted when closed), shown with
    its pages laid out; any still open are closed after the test."""
    made = []

    def make(kind: str = "handout") -> PrintPreview:
        session = Session(Library.default(), School(name="Hill School"))
        preview = PrintPreview(session.pages, session.open(MODULE), PrintOptions(kind=kind))
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        made.append(preview)
        with qtbot.waitSignal(preview.pagesShown, timeout=WAIT):
            preview.show()
        return preview
    yield make
    for preview in made:
        if shiboken6.isValid(preview):
            preview.close()
    drained(qapp)


@pytest.mark.parametrize("button", ["save", "print"])
def test_save_and_print_wait_for_the_tags_made_off_the_window_thread(
        preview_of, tagging, tmp_path, monkeypatch, button):
    """Save as PDF or Print clicked while the reader thread tags: it waits (the window's
    thread still picks the PDF up), then writes or sends the tagged PDF."""
    sent = []
    monkeypatch.setattr("edukit.gui.print_preview.send_to_printer",
                        lambda made, document, printer, title: sent.append(made) or "Sent")
    tagging.gate.clear()
    preview = preview_of()
    assert preview.pdf == b""
    QTimer.singleShot(50, tagging.gate.set)  # the tags are done while the button waits
    if button == "save":
        assert preview.save_to(tmp_path / "handout.pdf")
        sent.append((tmp_path / "handout.pdf").read_bytes())
    else:
        assert preview.print_to(preview.make_printer())
    assert tagging.started.is_set() and sent == [preview.pdf] and tagged(sent[0])
    assert threading.main_thread().ident not in tagging.threads


@pytest.mark.parametrize("how", ["close", "reject"])
def test_a_preview_closed_while_its_tags_are_made_hands_nothing_on(qapp, preview_of, tagging,
                                                                   how):
    """Closed by its Close button (reject) or its window's (close): the maker's close() drops
    the PDF, even with the maker still referenced (here by the test)."""
    tagging.gate.clear()
    preview = preview_of()
    maker, finished = preview.maker, []
    preview.pdfFinished.connect(lambda: finished.append(True))
    while not tagging.started.is_set():
        qapp.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    getattr(preview, how)()
    tagging.gate.set()
    del preview
    gc.collect()
    drained(qapp)
    assert finished == [] and maker._tagging is None


def test_previews_closed_at_any_moment_of_their_tagging_leave_the_app_running(
        qapp, qtbot, preview_of, tagging):
    """Thirty previews, each closed at another moment (as its pages show, while it is tagged,
    a little later, once finished), with the collector run each time: the process survives,
    and a closed preview never gets a PDF."""
    moments = ["shown", "tagging", 5, 20, 60, "finished"]
    delivered_after_close, closed_while_tagged = [], 0
    for n in range(30):
        moment = moments[n % len(moments)]
        pdf_reader.reader_thread().submit(int).result(WAIT / 1000)  # the last one's tagging is over
        tagging.started.clear()
        if moment == "tagging":
            tagging.gate.clear()  # held until closed
        preview = preview_of("guide" if n % 3 == 0 else "handout")
        closed = []
        preview.pdfFinished.connect(lambda closed=closed: delivered_after_close.extend(closed))
        if moment == "tagging":
            qtbot.waitUntil(tagging.started.is_set, timeout=WAIT)
        elif moment == "finished":
            qtbot.waitUntil(lambda preview=preview: bool(preview.pdf), timeout=WAIT)
        elif isinstance(moment, int):
            spin(qapp, moment)
        closed.append(n)
        closed_while_tagged += tagging.started.is_set() and not preview.pdf
        preview.close() if n % 2 else preview.reject()
        tagging.gate.set()
        del preview
        gc.collect()
        spin(qapp, 0)
    drained(qapp)
    gc.collect()
    assert delivered_after_close == [] and closed_while_tagged >= 5


def test_tagging_on_the_reader_thread_never_waits_for_a_reading_behind_it(qapp, user_dirs):
    """The first print's reading is asked of the reader thread before its tagging, so it is
    done when the tagging starts there; were it still pending, waiting for it on that one
    thread would never end: tag_aside reads the print itself instead."""
    from concurrent.futures import Future

    from edukit.core.pdf_tags import FirstPrint

    library = Library.default()
    maker, got = PdfMaker(PageServer(library, School()), tags_aside=True), []
    loop = QEventLoop()
    maker.request_prints(library.get(MODULE), PrintOptions(),
                         lambda prints, error: (got.append(prints), loop.quit()), read_early=True)
    QTimer.singleShot(WAIT, loop.quit)
    loop.exec()
    maker.close()
    pending, answer = Future(), []
    prints = dataclasses.replace(got[0], reading=pending)
    worker = threading.Thread(target=lambda: answer.append(pdf_reader.tag_aside(prints, "")),
                              daemon=True)
    worker.start()
    worker.join(WAIT / 1000)
    stuck = worker.is_alive()
    pending.set_result(FirstPrint(prints.printed))  # lets a stuck worker go
    worker.join(WAIT / 1000)
    assert not stuck and answer and answer[0][1] == ""
    assert tagged(answer[0][0])
