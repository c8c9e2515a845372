"""The reader thread and what runs on it: first prints read, pikepdf loaded, PDFs finished
(tagged) off a window's thread, with only plain data going there and back."""
from __future__ import annotations

import dataclasses
import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # pikepdf (~40 ms to import) loads on the reader thread, during the printing
    # (a reprint finished from a kept PDF needs no thread: concurrent.futures loads if one is used)
    from concurrent.futures import Future, ThreadPoolExecutor

    from ...core.pdf_prints import Prints
    from ...core.pdf_tags import FirstPrint


class Tagging(NamedTuple):
    """A window's PDF being tagged on the reader thread (PdfMaker.request, tags_aside)."""

    serial: int  # the request it finishes
    future: Future  # of tag_aside: (pdf, error)
    done: Callable[[bytes, str], None]  # called on the window's thread, never by the future


def finished(prints: Prints | None, error: str) -> tuple[bytes, str]:
    """The finished PDF (core/pdf_meta.finished_pdf) and an error ("" if none). One kept from
    an earlier print of the very same bytes (core/pdf_prints.py) is handed on as it is: pikepdf
    and the tagging are not loaded for it."""
    if prints is None:
        return b"", error or "Chromium made an empty PDF"
    if prints.finished:
        return prints.finished, error
    from ...core.pdf_meta import finished_pdf

    pdf, why = finished_pdf(prints)
    untagged(prints.module.id, why)
    return pdf, error


def tag_aside(prints: Prints, error: str) -> tuple[bytes, str]:
    """`finished` on the reader thread, for a window's maker: it gets and gives only plain data
    (bytes, lists, core objects), so no Qt object is ever referenced, kept or let go there.
    The first print's reading was asked of this same thread before this, so it is done; were
    it not, waiting for it here would never end, and the print is read again instead."""
    if prints.reading is not None and not prints.reading.done():
        prints = dataclasses.replace(prints, reading=None)
    return finished(prints, error)


def read_first_print(printed: bytes, for_second: bool = False) -> FirstPrint:
    """The first print opened and read for tagging (core/pdf_tags.FirstPrint): the reader
    thread does it while Chromium makes the second print (`for_second`: with each page's
    drawing, which only lining it up with a second print needs)."""
    from ...core.pdf_tags import FirstPrint

    first = FirstPrint(printed)
    if for_second:
        first.drawings  # noqa: B018  (worked out now, on this thread)
    return first


def load_tagging() -> None:
    """Import pikepdf and the tagging (~0.1 s of CPU) on the reader thread while Chromium lays
    out and prints the page, rather than during the second print or a reprint's tagging, which
    then waited for it (and not before the page is served: the page server's answer would wait
    for the interpreter)."""
    from ...core import pdf_meta  # noqa: F401  (imports core/pdf_tags/ and pikepdf)


def untagged(module_id: str, why: str) -> None:
    """Say why a PDF is untagged when asked to (EDUKIT_DEBUG): it is not an error."""
    if why and os.environ.get("EDUKIT_DEBUG"):
        print(f"{module_id}: the PDF is not tagged ({why})", file=sys.stderr)


@functools.cache
def reader_thread() -> ThreadPoolExecutor:
    """The one thread that reads first prints, for every maker of the process. A thread per
    maker (per File > Print) cost ~2.7 MB a print that was never given back: each new thread
    allocated from a new malloc arena (20 prints through the preview: +55 MB PSS)."""
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(1, "edukit-pdf-reader")
