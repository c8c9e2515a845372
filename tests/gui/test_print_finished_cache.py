"""A reprint whose first print is byte for byte (dates aside) the print a kept finished PDF was
made from is written from that PDF, with this run's dates, without pikepdf loading or the print
being read (issue 17; core/pdf_prints.py). It equals what the full path makes: structure tree,
page content, outline, document information. Anything else takes the full path: a changed
lesson, school, helpline, paper or font (another page key), a damaged, truncated, forged or
misplaced entry, a print one byte off. The controls: a first print loads pikepdf, and a kept
PDF forced past the print's comparison writes a wrong PDF (another helpline number), so the
comparison is what keeps it out."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from pdf_structure import tag_problems
from PySide6.QtCore import QEventLoop, QTimer
from test_print_tag_cache import HANDOUT, HILL, lessons, server, structure  # noqa: F401

from edukit.core import pdf_prints
from edukit.core.model import School
from edukit.core.options import PrintOptions
from edukit.core.pdf_meta import finished_pdf
from edukit.core.render_cache import bytes_digest, finished_key, tags_key
from edukit.gui.pdf import PdfMaker
from edukit.gui.pdf import reader as pdf_reader
from edukit.gui.pdf import reprint as pdf_reprint
from edukit.gui.pdf_scripts import scripts_stamp
from edukit.gui.print_preview import PrintPreview

WAIT_MS = 30000
NUMBER = "0800 111 2222"  # a wrong helpline number, for the control
# Runs `edukit export` in the process, then says whether pikepdf was loaded (by any thread).
IN_PROCESS = ("import os, sys\nfrom edukit.cli import main\ncode = main(sys.argv[1:])\n"
              "print('PIKEPDF', 'pikepdf' in sys.modules, file=sys.stderr)\n"
              "sys.stderr.flush()\nos._exit(code)")


@pytest.fixture(autouse=True)
def patient_reader(monkeypatch):
    monkeypatch.setattr(pdf_reprint, "READ_WAIT_S", 60.0)  # a loaded machine may read slowly


@pytest.fixture
def first_prints(monkeypatch):
    """Each first print Chromium makes in this test, as the maker gets it."""
    seen: list[bytes] = []
    real = PdfMaker._print_coded

    def spy(maker, serial, options, printed, headings):
        seen.append(printed)
        real(maker, serial, options, printed, headings)
    monkeypatch.setattr(PdfMaker, "_print_coded", spy)
    return seen


def cli_pdf(pages, module, options=HANDOUT) -> bytes:
    """The PDF `edukit export` of one module makes, by the same request (PdfMaker.request)."""
    maker = PdfMaker(pages)
    try:
        return maker.pdf_bytes(module, options, WAIT_MS)
    finally:
        maker.close()


def prints_of(pages, module, options=HANDOUT, shift=None):
    """What the maker hands on for one module (PdfMaker.request_prints); `shift` changes the
    first print as Chromium hands it over."""
    maker = PdfMaker(pages)
    if shift is not None:
        real = maker._print_coded
        maker._print_coded = lambda serial, opts, printed, headings: real(
            serial, opts, shift(printed), headings)
    loop, got = QEventLoop(), {}
    maker.request_prints(module, options, lambda prints, error: (
        got.update(prints=prints, error=error), loop.quit()), read_early=True)
    QTimer.singleShot(WAIT_MS, loop.quit)
    if "prints" not in got:
        loop.exec()
    maker.close()
    assert got.get("prints") is not None, got
    return got["prints"]


def kept_path(pages, module, options=HANDOUT) -> Path:
    """The file the module's finished PDF is kept in (beside its page and tag map)."""
    key = pages.print_disk_key(module, pages.context(module), options)
    return pages.kept.bytes_path(finished_key(tags_key(key, scripts_stamp())))


def dates(pdf: bytes) -> tuple[bytes, bytes]:
    found = pdf_prints.dates_of(pdf)  # a first print's
    if found is None:  # a finished PDF's: pikepdf writes its Info where it will
        found = tuple(re.search(field + rb" \((D:[^)]*)\)", pdf).group(1)
                      for field in (b"/CreationDate", b"/ModDate"))
    return found


def blanked(pdf: bytes) -> bytes:
    """The PDF with its dates and /ID blanked: what two runs' PDFs share."""
    pdf = re.sub(rb"\(D:[0-9]{14}[^)]*\)", b"(D:date)", pdf)
    return re.sub(rb"/ID \[<[0-9a-f]+><[0-9a-f]+>\]", b"/ID []", pdf)


def outline(doc: pikepdf.Pdf) -> list:
    def walk(items) -> list:
        return [(item.title, str(item.destination), walk(item.children)) for item in items]
    with doc.open_outline() as found:
        return walk(found.root)


def docinfo(doc: pikepdf.Pdf) -> dict:
    return {str(k): str(v) for k, v in doc.docinfo.items()
            if k not in ("/CreationDate", "/ModDate")}


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def next_second() -> None:
    """Chromium dates a print to the second: the next print has other dates than the last."""
    time.sleep(1.05)


@pytest.fixture
def kept(lessons):  # noqa: F811
    """The lesson printed once through the CLI's request: its finished PDF kept."""
    library, modules, cache = lessons
    pages = server(library, cache)
    full = cli_pdf(pages, modules["kept"])
    path = kept_path(pages, modules["kept"])
    assert path.exists() and path.stat().st_size < pdf_prints.MAX_KEPT_PDF_BYTES
    return library, modules, cache, full, path


def test_a_reprint_is_the_full_paths_pdf_with_its_own_dates(kept, first_prints, monkeypatch):
    library, modules, cache, first, path = kept
    next_second()
    assert prints_of(server(library, cache), modules["kept"]).finished  # from the kept PDF
    reprint = cli_pdf(server(library, cache), modules["kept"])
    assert dates(reprint) == dates(first_prints[-1]) != dates(first)  # this run's
    monkeypatch.setattr(pdf_reprint, "kept_finished", lambda pages, key: None)
    full = cli_pdf(server(library, cache), modules["kept"])  # the full path, now
    assert dates(full) == dates(first_prints[-1])
    with pikepdf.open(io.BytesIO(reprint)) as got, pikepdf.open(io.BytesIO(full)) as made:
        assert structure(got) == structure(made)
        assert outline(got) == outline(made) and outline(got)
        assert docinfo(got) == docinfo(made)
        assert docinfo(got)["/Author"] == "Hill Primary"
        assert got.trailer.ID[0] != made.trailer.ID[0]  # saved anew, as the full path's is
    assert blanked(reprint) == blanked(full) == blanked(first)
    out = path.parent.parent / "reprint.pdf"
    out.write_bytes(reprint)
    assert tag_problems(out) == []
    with pikepdf.open(out) as doc:
        assert doc.check_pdf_syntax() == []  # its cross-reference table still right (qpdf)


def test_a_reprint_through_the_command_line_loads_no_pikepdf(user_dirs, tmp_path):
    """The control first: the first export loads pikepdf (it tags); the second does not, and
    writes the same PDF."""
    def export(out: Path) -> str:
        done = subprocess.run([sys.executable, "-c", IN_PROCESS, "export", "who-can-i-tell",
                               "--as", "handout", "--overwrite", "-o", str(out)],
                              capture_output=True, text=True, timeout=300, check=False,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert done.returncode == 0, done.stderr
        return next(line for line in done.stderr.splitlines() if line.startswith("PIKEPDF"))
    assert export(tmp_path / "first.pdf") == "PIKEPDF True"
    next_second()
    assert export(tmp_path / "again.pdf") == "PIKEPDF False"
    first, again = (tmp_path / "first.pdf").read_bytes(), (tmp_path / "again.pdf").read_bytes()
    assert dates(first) != dates(again) and blanked(first) == blanked(again)
    assert tag_problems(tmp_path / "again.pdf") == []


def test_a_changed_lesson_school_helpline_paper_or_font_takes_the_full_path(kept, monkeypatch):
    library, modules, cache, _, _ = kept
    module = modules["kept"]
    assert prints_of(server(library, cache), module).finished  # the control: unchanged
    edited = replace(module, body=module.body.replace("trusted adult", "teacher you trust"))
    assert not prints_of(server(library, cache), edited).finished
    assert not prints_of(server(library, cache, School(name="Oak")), module).finished
    assert not prints_of(server(library, cache), module,
                         PrintOptions(kind="handout", paper="letter")).finished
    pages = server(library, cache)
    pages.reading_font = "dyslexic"
    assert not prints_of(pages, module).finished
    changed = other_number(library, cache, module)
    monkeypatch.setattr(library, "routes", lambda region: changed)
    assert not prints_of(server(library, cache), module).finished


def other_number(library, cache, module):
    """The helplines with the first one's number changed to NUMBER."""
    routes = server(library, cache).context(module).routes
    first = routes.for_audience("pupils", "8-11")[0]
    return replace(routes, routes=tuple(replace(r, phone=NUMBER) if r.id == first.id else r
                                        for r in routes.routes))


def rewrite(path: Path, fields=None, body=None, key=None, kind=None) -> None:
    """Change a kept PDF's entry and sign it again, as anything able to write the cache folder
    could (its digest is no secret: it catches damage, not forgery)."""
    data = path.read_bytes()
    end = data.index(b"\n")
    header, old = json.loads(data[:end]), data[end + 1:]
    header["fields"].update(fields or {})
    header["key"], header["kind"] = key or header["key"], kind or header["kind"]
    body = old if body is None else body(old)
    header["size"] = len(body)
    header["digest"] = bytes_digest(header["key"], header["kind"], header["fields"], body)
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


def edit_header(path: Path, change) -> None:
    data = path.read_bytes()
    end = data.index(b"\n")
    header = json.loads(data[:end])
    change(header)
    path.write_bytes(json.dumps(header).encode() + data[end:])


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1:]


DAMAGE = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[:-1000]),
    "only its header": lambda p: p.write_bytes(p.read_bytes().split(b"\n")[0]),
    "empty": lambda p: p.write_bytes(b""),
    "no header": lambda p: p.write_bytes(b"%PDF-1.4" + b" " * 5000 + b"\n" + p.read_bytes()),
    "a byte of the PDF changed, digest kept": lambda p: p.write_bytes(
        flip(p.read_bytes(), len(p.read_bytes()) // 2)),
    "digest forged": lambda p: edit_header(p, lambda h: h.update(digest="0" * 64)),
    "size says more": lambda p: edit_header(p, lambda h: h.update(size=h["size"] + 1)),
    "another key": lambda p: edit_header(p, lambda h: h.update(key="0" * 64)),
    "another key, signed": lambda p: rewrite(p, key="0" * 64),
    "another kind, signed": lambda p: rewrite(p, kind="tags"),
    "older format": lambda p: edit_header(p, lambda h: h.update(format=0)),
    "forged: another print's digest": lambda p: rewrite(p, {"print": "0" * 64}),
    "forged: other headings or title": lambda p: rewrite(p, {"finish": "0" * 64}),
    "forged: dates not dates": lambda p: rewrite(p, {"dates": ["(x)", "(y)"]}),
    "forged: dates of another length": lambda p: rewrite(
        p, {"dates": ["D:20250101000000Z", "D:20250101000000Z"]}),
    "forged: no dates": lambda p: rewrite(p, {"dates": "D:20250101000000Z"}),
    "forged: over the size limit": lambda p: rewrite(
        p, body=lambda pdf: pdf + b"%" * pdf_prints.MAX_KEPT_PDF_BYTES),
    "forged: its dates cut out": lambda p: rewrite(
        p, body=lambda pdf: pdf.replace(b"/ModDate", b"/ModDat_")),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_forged_or_misplaced_entry_is_refused(kept, damage):
    """Each is refused: the reprint takes the full path and its PDF is the full path's (which
    keeps a sound entry again)."""
    library, modules, cache, first, path = kept
    DAMAGE[damage](path)
    prints = prints_of(server(library, cache), modules["kept"])
    assert not prints.finished
    pdf, why = finished_pdf(prints)
    assert why == "" and blanked(pdf) == blanked(first)
    assert prints_of(server(library, cache), modules["kept"]).finished  # kept anew


SHIFTS = {  # a byte of the print changed, outside its two dates
    "the producer, beside the dates": lambda pdf: pdf.replace(b"Skia/PDF m", b"Skia/PDF n", 1),
    "its binary comment": lambda pdf: flip(pdf, 10),
    "its last byte": lambda pdf: pdf[:-1] + b" ",
}


@pytest.mark.parametrize("shift", list(SHIFTS))
def test_a_print_one_byte_off_is_not_matched(kept, shift):
    library, modules, cache, _, _ = kept
    assert not prints_of(server(library, cache), modules["kept"], shift=SHIFTS[shift]).finished


def test_the_producer_control_the_comparison_forced_writes_the_kept_pdf_not_this_prints(
        kept, monkeypatch):
    """Forced past the comparison, a print one byte off (its producer) gets the kept PDF,
    whose producer is not this print's: the comparison is what keeps the PDF true to it."""
    library, modules, cache, _, path = kept
    entry = path.read_bytes()
    fields = json.loads(entry.split(b"\n")[0])["fields"]
    shift = SHIFTS["the producer, beside the dates"]
    prints = prints_of(server(library, cache), modules["kept"], shift=shift)
    made, _ = finished_pdf(prints)
    assert b"Skia/PDF n" in made
    path.write_bytes(entry)  # (the full path kept its own PDF: put the first one back)
    monkeypatch.setattr(pdf_prints, "print_digest", lambda printed: fields["print"])
    forced = prints_of(server(library, cache), modules["kept"], shift=shift)
    assert forced.finished and b"Skia/PDF n" not in forced.finished


@pytest.fixture
def wrong_number_kept(kept, monkeypatch):
    """The lesson printed with another number for its first helpline, its kept PDF moved
    under the key of the lesson with the right number (as a forger could)."""
    library, modules, cache, _, path = kept
    module = modules["kept"]
    right, changed = server(library, cache).context(module).routes, other_number(
        library, cache, module)
    monkeypatch.setattr(library, "routes", lambda region: changed)
    pages = server(library, cache)
    wrong = cli_pdf(pages, module)
    wrong_path = kept_path(pages, module)
    monkeypatch.setattr(library, "routes", lambda region: right)
    path.write_bytes(wrong_path.read_bytes())
    rewrite(path, key=path.stem)
    return library, module, cache, wrong


def test_a_kept_pdf_with_another_helpline_number_is_refused(wrong_number_kept, tmp_path,
                                                            monkeypatch):
    library, module, cache, wrong = wrong_number_kept
    assert NUMBER in text_of(wrong, tmp_path)
    made = cli_pdf(server(library, cache), module)
    assert NUMBER not in text_of(made, tmp_path) and "0800 1111" in text_of(made, tmp_path)


def test_the_helpline_control_forced_past_the_comparison_the_wrong_number_is_written(
        wrong_number_kept, tmp_path, monkeypatch):
    library, module, cache, _ = wrong_number_kept
    path = kept_path(server(library, cache), module)
    fields = json.loads(path.read_bytes().split(b"\n")[0])["fields"]
    monkeypatch.setattr(pdf_prints, "print_digest", lambda printed: fields["print"])
    forced = cli_pdf(server(library, cache), module)
    assert NUMBER in text_of(forced, tmp_path)


def test_a_window_maker_hands_on_the_kept_pdf_after_the_first_print(kept, monkeypatch):
    """The print preview's maker (tags_aside) gets the kept PDF as it gets the first print,
    from its own thread's event loop, with nothing asked of the reader thread."""
    library, modules, cache, first, _ = kept
    asked = []
    monkeypatch.setattr(pdf_reader, "reader_thread", lambda: asked.append("reader") or 1 / 0)
    next_second()
    maker = PdfMaker(server(library, cache), tags_aside=True)
    loop, order = QEventLoop(), []
    maker.request(modules["kept"], HANDOUT, lambda pdf, error: (
        order.append(("done", pdf, error)), loop.quit()), lambda printed: order.append(
        ("shown", printed, "")))
    QTimer.singleShot(WAIT_MS, loop.quit)
    loop.exec()
    maker.close()
    (shown, printed, _), (done, pdf, error) = order
    assert (shown, done, error) == ("shown", "done", "") and asked == []
    assert dates(pdf) == dates(printed) != dates(first) and blanked(pdf) == blanked(first)


@pytest.mark.parametrize("kept_data", ["finished PDF", "tag map only"])
def test_a_reprint_in_the_print_preview_shows_its_pages_and_has_its_tagged_pdf(
        kept, qtbot, monkeypatch, kept_data):
    """File > Print of a lesson printed before: its pages are shown and its tagged PDF is at
    hand. (Finished at once from kept data, the request was no longer the one asked for when
    its first print was to be shown: the preview stayed at "Making the pages…".)"""
    library, modules, cache, first, _ = kept
    if kept_data == "tag map only":
        monkeypatch.setattr(pdf_reprint, "kept_finished", lambda pages, key: None)
    preview = PrintPreview(server(library, cache), modules["kept"], HANDOUT)
    qtbot.addWidget(preview)
    with qtbot.waitSignal(preview.pdfFinished, timeout=WAIT_MS):
        pass
    qtbot.waitUntil(lambda: preview.document.pageCount() > 0, timeout=WAIT_MS)
    assert preview.print_button.isEnabled() and blanked(preview.pdf) == blanked(first)
    preview.close()
