"""The print preview shows Chromium's first print at once and tags the PDF after: Save as PDF
and Print always use the tagged PDF, waiting for it when clicked before it is ready, and a PDF
whose first print was read on the maker's thread is the one read after both prints."""
from __future__ import annotations

import dataclasses
import threading
from io import BytesIO

import pikepdf
import pytest
from pdf_structure import elements
from pypdf import PdfReader
from PySide6.QtCore import QEventLoop, QTimer

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.pdf_meta import finished_pdf
from edukit.core.printing import PrintOptions
from edukit.gui.page_server import PageServer
from edukit.gui.pdf import PdfMaker
from edukit.gui.print_preview import PrintPreview
from edukit.gui.session import Session

WAIT = 60000
MODULE = "who-can-i-tell"


def described(pdf: bytes) -> tuple:
    """What a reader gets: page texts, tags in tree order with alt texts, /MarkInfo, the
    document information and the bookmarks."""
    texts = [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]
    with pikepdf.open(BytesIO(pdf)) as doc:
        tags = [(kind, str(element.get("/Alt", ""))) for kind, element in elements(doc)
                ] if "/StructTreeRoot" in doc.Root else []
        marked = bool(doc.Root.get("/MarkInfo", {}).get("/Marked", False))
        info = {str(k): str(v) for k, v in doc.docinfo.items()
                if k not in ("/CreationDate", "/ModDate")}
        with doc.open_outline() as outline:
            marks = [item.title for item in outline.root]
    return texts, tags, marked, info, marks


@pytest.fixture
def held_finishing(monkeypatch):
    """Holds back every finished (tagged) PDF the preview asks for until the test lets it
    go with `release()`; the pages still show when Chromium's first print is made."""
    held = []
    real = PdfMaker.request

    def request(self, module, options, done, shown=None):
        real(self, module, options, lambda pdf, error: held.append((done, pdf, error)), shown)

    monkeypatch.setattr(PdfMaker, "request", request)

    def release() -> None:
        while held:
            done, pdf, error = held.pop(0)
            done(pdf, error)
    release.held = held
    return release


@pytest.fixture
def shown_preview(print_previews):
    """A handout preview whose pages are on screen (tests/gui/conftest.py releases it)."""
    def make() -> PrintPreview:
        session = Session(Library.default(), School(name="Hill School"))
        return print_previews(session, MODULE, PrintOptions(kind="handout"), WAIT)
    return make


def wait_until_held(qtbot, release) -> None:
    qtbot.waitUntil(lambda: bool(release.held), timeout=WAIT)


def test_the_pages_show_before_tagging_and_save_writes_the_tagged_pdf(
        qtbot, shown_preview, held_finishing, tmp_path):
    """A teacher sees the pages and clicks Save as PDF while the tags are still being made:
    the save waits for them and writes the tagged PDF, never the untagged first print."""
    preview = shown_preview()
    pages = preview.document.pageCount()
    assert pages >= 1 and preview.save_button.isEnabled()
    wait_until_held(qtbot, held_finishing)
    assert preview.pdf == b""  # the tagged PDF is not made yet: only the pages are shown
    buttons = []  # what a teacher could click while Save waits

    def tags_arrive() -> None:
        buttons.append((preview.save_button.isEnabled(), preview.print_button.isEnabled()))
        held_finishing()
    QTimer.singleShot(0, tags_arrive)  # the tags arrive while Save is waiting for them
    target = tmp_path / "handout.pdf"
    assert preview.save_to(target)
    assert buttons == [(False, False)]  # no second Save or Print meanwhile
    assert preview.save_button.isEnabled() and preview.print_button.isEnabled()
    saved = target.read_bytes()
    assert saved == preview.pdf
    texts, tags, marked, info, marks = described(saved)
    assert marked and tags[0] == ("Document", "") and len(texts) == pages
    assert info["/Author"] == "Hill School" and marks
    assert preview.status.text() == f"Saved {target}"


def test_the_first_print_shown_has_the_finished_pdfs_pages_and_text(
        qtbot, shown_preview, held_finishing):
    preview = shown_preview()
    shown = bytes(preview._buffer.data())
    wait_until_held(qtbot, held_finishing)
    held_finishing()
    finished = preview.finished_pdf()
    assert described(shown)[1:3] == ([], False)  # the first print itself is untagged
    assert described(shown)[0] == described(finished)[0]


def test_printing_while_the_tags_are_being_made_waits_for_them(
        qtbot, shown_preview, held_finishing, monkeypatch):
    sent = []
    monkeypatch.setattr("edukit.gui.print_preview.send_to_printer",
                        lambda pdf, document, printer, title: sent.append(pdf) or "Sent")
    preview = shown_preview()
    wait_until_held(qtbot, held_finishing)
    QTimer.singleShot(0, held_finishing)
    assert preview.print_to(preview.make_printer())
    assert sent == [preview.pdf] and described(sent[0])[2]


def test_closing_the_preview_while_save_waits_writes_nothing(
        qtbot, shown_preview, held_finishing, tmp_path):
    preview = shown_preview()
    wait_until_held(qtbot, held_finishing)
    QTimer.singleShot(0, preview.release)  # the teacher closes the dialog meanwhile
    target = tmp_path / "handout.pdf"
    assert not preview.save_to(target)
    assert not target.exists()


def test_a_first_print_read_on_the_makers_thread_finishes_as_one_read_after(qapp, user_dirs):
    """The maker reads the first print on its thread while Chromium makes the second: the
    PDF finished from that reading is the one finished from the bytes alone (pages, text,
    tags, alt texts, information, bookmarks); `shown` got the first print before `done`."""
    library = Library.default()
    for module_id, kind in (("live-streaming-and-video-chat", "slides"),
                            ("dsl-image-incident-flowchart", "guide")):
        calls = prints_of(library, module_id, kind)
        assert [what for what, _ in calls] == ["shown", "done"]
        prints = calls[1][1]
        assert calls[0][1] == prints.printed and prints.reading is not None
        read_before, _ = finished_pdf(prints)
        read_after, why = finished_pdf(dataclasses.replace(prints, reading=None))
        assert why == ""
        assert described(read_before) == described(read_after)
        assert described(read_before)[2]  # tagged


def test_every_maker_reads_its_first_prints_on_the_same_thread(qapp, user_dirs):
    """Each File > Print has a maker of its own; a reader thread per maker took a new malloc
    arena each time and kept ~2.7 MB a print (benchmarks/memory.py: +55 MB PSS over 20
    prints). Three makers, one after another, read on one thread, which outlives them."""
    library = Library.default()
    seen = []
    for _ in range(3):
        calls = prints_of(library, MODULE, "handout")  # the maker is closed by now
        assert calls[1][1].reading.result(WAIT / 1000) is not None
        seen.append(reader_threads())
    assert len(seen[0]) == 1 and seen == [seen[0]] * 3


def reader_threads() -> frozenset[int]:
    return frozenset(t.ident for t in threading.enumerate()
                     if t.name.startswith("edukit-pdf-reader") and t.is_alive())


def prints_of(library: Library, module_id: str, kind: str) -> list[tuple[str, object]]:
    """What a maker hands back for one module, in order: ("shown", first print), ("done",
    prints)."""
    maker = PdfMaker(PageServer(library, School(name="Hill School")))
    loop, calls = QEventLoop(), []
    maker.request_prints(library.get(module_id), PrintOptions(kind=kind),
                         lambda prints, error: (calls.append(("done", prints)), loop.quit()),
                         lambda printed: calls.append(("shown", printed)), read_early=True)
    timer = QTimer(loop, singleShot=True, interval=WAIT)
    timer.timeout.connect(loop.quit)
    timer.start()
    loop.exec()
    maker.close()
    return calls


@pytest.mark.parametrize("where", ["after", "inside"])
def test_a_maker_closed_while_its_second_print_is_made_ends_quietly(qapp, where):
    """Closing a preview as its pages show (the second print and its script still pending in
    Chromium) deletes the page under them: Chromium then answers them at once, and they must
    neither print on the deleted page nor call anyone back ("inside": closed from `shown`)."""
    library = Library.default()
    maker = PdfMaker(PageServer(library, School()))
    loop, calls = QEventLoop(), []

    def shown(printed: bytes) -> None:
        calls.append("shown")
        if where == "inside":
            maker.close()
        loop.quit()
    maker.request(library.get(MODULE), PrintOptions(), lambda pdf, error: calls.append("done"),
                  shown)
    timer = QTimer(loop, singleShot=True, interval=WAIT)
    timer.timeout.connect(loop.quit)
    timer.start()
    loop.exec()
    if where == "after":
        maker.close()
    settle = QEventLoop()
    QTimer.singleShot(500, settle.quit)  # anything Chromium still had to say arrives now
    settle.exec()
    assert calls == ["shown"]


def test_a_maker_keeping_a_spare_page_prints_each_module_asked_for(qapp, user_dirs):
    """The preview's maker keeps a started page for its next PDF. Asked again at once (the
    spare still loading its own small page) or later (the spare ready), each PDF is the
    module asked for, tagged: the spare's own load is never taken for the print page's."""
    library = Library.default()
    maker = PdfMaker(PageServer(library, School()), spare=True)
    made = {}

    def make(module_id: str, pause_ms: int = 0) -> None:
        loop = QEventLoop()
        if pause_ms:
            QTimer.singleShot(pause_ms, loop.quit)
            loop.exec()
        maker.request(library.get(module_id), PrintOptions(),
                      lambda pdf, error: (made.__setitem__(module_id, (pdf, error)), loop.quit()))
        timer = QTimer(loop, singleShot=True, interval=WAIT)
        timer.timeout.connect(loop.quit)
        timer.start()
        loop.exec()
    try:
        make(MODULE)
        make("live-streaming-and-video-chat")  # at once: the spare is still starting
        make("dsl-image-incident-flowchart", pause_ms=1500)  # the spare is ready by now
    finally:
        maker.close()
    for module_id, (pdf, error) in made.items():
        texts, _, marked, _, _ = described(pdf)
        assert error == "" and marked
        assert library.get(module_id).meta.title.split(":")[0] in " ".join(texts)


@pytest.mark.parametrize("aside, closes", [(True, False), (True, True), (False, False)])
def test_the_spare_page_is_made_once_the_pdf_is_handed_on_and_never_once_closed(
        qapp, user_dirs, monkeypatch, aside, closes):
    """The next request's spare page (~7 ms of the window's thread, more with the tagging
    beside it) used to be made before the PDF was handed on; now after. A window's maker that
    the caller closes when handed its PDF (the preview closing) makes none: its profile is
    gone. (A maker tagging inline hands its PDF on inside Chromium's print callback, where it
    must not be closed: no caller does.)"""
    library = Library.default()
    maker = PdfMaker(PageServer(library, School()), spare=True, tags_aside=aside)
    events = []
    make_spare = PdfMaker.make_spare

    def spare(self) -> None:
        events.append("spare")
        make_spare(self)
    monkeypatch.setattr(PdfMaker, "make_spare", spare)
    loop = QEventLoop()

    def done(pdf: bytes, error: str) -> None:
        events.append("done" if pdf and not error else error)
        if closes:
            maker.close()
        loop.quit()
    try:
        maker.request(library.get(MODULE), PrintOptions(), done)
        timer = QTimer(loop, singleShot=True, interval=WAIT)
        timer.timeout.connect(loop.quit)
        timer.start()
        loop.exec()
        assert events == (["done"] if closes else ["done", "spare"])
        if not closes:
            assert maker._spare is not None  # ready for the next request
    finally:
        if not closes:
            maker.close()
