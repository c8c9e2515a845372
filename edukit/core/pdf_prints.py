"""Chromium's prints of one PDF, as gui/pdf/ hands them to be finished (core/pdf_meta.py), and
the finished PDF kept for a reprint of the very same print, written again without pikepdf.

Chromium prints the same page the same way each time, byte for byte, but for the two dates in
the document information at the start of the file (/CreationDate, /ModDate; there is no /ID).
So the finished PDF (tagged, with its title, subject, school, language and bookmarks) is a
function of the first print's bytes, the headings and the document information. It is kept
beside its print page (core/render_cache.py, under the tag map's key) with a digest of the print
it was made from, dates blanked, and a digest of the headings and document information. A later
print with both digests gets the kept file with its own dates (and a new /ID, as a file saved
afresh has), without pikepdf loading or the print being read (issue 17: ~50 ms of CPU a handout).

Trust (DESIGN §11): the kept file is written out only when this run's own Chromium print of this
run's page (the page's key covers the lesson, pictures, school, helplines, options, font and
edukit's code) is byte for byte, dates aside, the print the file was made from; a damaged entry
fails the cache's digest and is refused. That digest catches damage, not forgery: someone who
can write the user's cache folder could forge an entry, as they could a kept print page.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from .model import Module, School
from .options import KIND_LABELS

if TYPE_CHECKING:  # types only: this module never imports pikepdf, nor the thread pools
    from concurrent.futures import Future

    from .pdf_tags import Element, PagePlan, TagMap
    from .render_cache import RenderCache

Heading = tuple[int, str, str]  # level (1-6), text, the element id its named destination has
DOCUMENT_LANGUAGE = "en-GB"  # as the pages' <html lang> (core/pages.py): lessons are British English
KIND = "finished"  # the kept file's entry kind (core/render_cache.RenderCache.store_bytes)
MAX_KEPT_PDF_BYTES = 2 * 1024 * 1024  # a handout is ~0.1 MB; a staff guide of MBs is not kept
INFO_WITHIN = 1024  # Chromium writes the document information first: its dates are looked for here
ID_WITHIN = 1024  # pikepdf writes the trailer, with the /ID, last
DATE = rb"D:[0-9]{14}(?:Z|[+-][0-9]{2}'[0-9]{2}')"
CREATED, MODIFIED = b"/CreationDate", b"/ModDate"
FILE_ID = re.compile(rb"/ID \[<([0-9a-f]{32})><([0-9a-f]{32})>\]")


@dataclass(frozen=True)
class Prints:
    """Chromium's two prints of one PDF (gui/pdf/) and what the finished file says about it."""

    printed: bytes  # the PDF people get
    coded: bytes  # the same page, each element's text in its own colour (core/pdf_tags/)
    elements: list[Element]
    headings: list[Heading]
    module: Module
    school: School
    kind: str
    # The first print already being read (FirstPrint) on a thread while Chromium made the
    # second (gui/pdf/); None: it is read here.
    reading: Future | None = None
    # Kept page plans (core/pdf_tags.kept_plans) that stand for the second print: then there
    # is none (`coded` is empty).
    plans: list[PagePlan] | None = None
    # Keeps what the second print told (core/pdf_tags.TagMap) for the next print of this
    # very page (gui/pdf/); None: nothing is kept.
    keep: Callable[[TagMap], None] | None = None
    # The finished PDF kept from an earlier print of these very bytes (`reprinted`): nothing
    # is left to do. b"": it is made from the prints.
    finished: bytes = b""
    # Keeps the finished, tagged PDF for the next print of these very bytes (`keep_finished`).
    keep_finished: Callable[[bytes], None] | None = None


def pdf_subject(module: Module, kind: str) -> str:
    audience = {"pupils": "pupils", "parents": "parents and carers", "staff": "staff"}
    label = KIND_LABELS.get(kind, kind)
    return f"{label}, for {audience.get(module.meta.audience or 'pupils', 'pupils')}"


def document_info(module: Module, school: School, kind: str) -> dict[str, str]:
    """What core/pdf_meta.py writes into the PDF's document information and catalog."""
    info = {"Title": module.meta.title, "Subject": pdf_subject(module, kind),
            "Lang": DOCUMENT_LANGUAGE}
    if school.name:
        info["Author"] = school.name
    return info


def finish_digest(headings: list[Heading], module: Module, school: School, kind: str) -> str:
    """A digest of what finishing adds to a print: the bookmarks' headings, the document
    information, and the pikepdf it was written with (the print page's key already covers
    edukit's own code)."""
    from .render_cache import library_stamp

    parts = [[list(heading) for heading in headings], document_info(module, school, kind),
             library_stamp("pikepdf")]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def print_dates(printed: bytes) -> tuple[slice, slice] | None:
    """Where Chromium's print has its creation and modification dates: once each, in the
    document information object at the start of the file (before the first `endobj`, within
    INFO_WITHIN bytes); None if they are not found so (the print is then never matched)."""
    head = printed[:INFO_WITHIN]
    end = head.find(b"endobj")
    if end < 0:
        return None
    spans = [only_date(head[:end], field) for field in (CREATED, MODIFIED)]
    if None in spans:
        return None
    return spans[0], spans[1]


def only_date(data: bytes, field: bytes) -> slice | None:
    """Where the date of `field` is in data, if the field is there once, with a date."""
    found = list(re.finditer(re.escape(field) + rb" \((" + DATE + rb")\)", data))
    if len(found) != 1 or data.count(field) != 1:
        return None
    return slice(found[0].start(1), found[0].end(1))


def print_digest(printed: bytes) -> str | None:
    """A digest of the print with its two dates blanked (None: they are not where Chromium
    writes them): two prints of one page made at different times have one digest."""
    spans = print_dates(printed)
    if spans is None:
        return None
    blanked = bytearray(printed)
    for span in spans:
        blanked[span] = b"0" * (span.stop - span.start)
    return hashlib.sha256(blanked).hexdigest()


def dates_of(printed: bytes) -> tuple[bytes, bytes] | None:
    spans = print_dates(printed)
    return None if spans is None else (printed[spans[0]], printed[spans[1]])


def keep_finished(cache: RenderCache, key: str, printed: bytes, finish: str,
                  pdf: bytes) -> None:
    """Keep a finished, tagged PDF under key for a reprint (`reprinted`), with the digest of
    the print it was made from and of what finishing added (`finish`). Not kept: a PDF over
    MAX_KEPT_PDF_BYTES, or one whose dates or /ID a reprint could not put right."""
    dates, digest = dates_of(printed), print_digest(printed)
    if len(pdf) > MAX_KEPT_PDF_BYTES or dates is None or digest is None \
            or with_dates(pdf, dates, dates) is None:
        return
    fields = {"print": digest, "finish": finish, "dates": [d.decode("ascii") for d in dates]}
    cache.store_bytes(key, KIND, fields, pdf)


class KeptPdf(NamedTuple):
    """A finished PDF kept for a reprint, read back whole (its entry's digest matched)."""

    pdf: bytes
    print: str  # print_digest of the print it was made from
    finish: str  # finish_digest of what finishing added
    dates: tuple[bytes, bytes]  # that print's (and so this file's) creation and modification dates


def kept_pdf(cache: RenderCache, key: str) -> KeptPdf | None:
    """The finished PDF kept under key, if its entry is whole and well formed; else None."""
    entry = cache.load_bytes(key, KIND)
    if entry is None:
        return None
    fields, pdf = entry
    try:
        kept = KeptPdf(pdf, text(fields["print"]), text(fields["finish"]),
                       tuple(text(date).encode("ascii") for date in fields["dates"]))
    except (KeyError, TypeError, ValueError):
        return None
    if len(kept.dates) != 2 or not all(re.fullmatch(DATE, date) for date in kept.dates) \
            or len(pdf) > MAX_KEPT_PDF_BYTES:
        return None
    return kept


def reprinted(kept: KeptPdf, printed: bytes, finish: str) -> bytes | None:
    """The kept PDF with this print's dates and a new /ID, if this print, dates blanked, is
    byte for byte the one it was made from and finishing would add the same (`finish`);
    else None: the print is finished as ever."""
    if kept.finish != finish or print_digest(printed) != kept.print:
        return None
    dates = dates_of(printed)
    return None if dates is None else with_dates(kept.pdf, kept.dates, dates)


def with_dates(pdf: bytes, old: tuple[bytes, bytes], new: tuple[bytes, bytes]) -> bytes | None:
    """pdf with its creation and modification dates `old` made `new` and a new /ID; None if
    the dates are not there once each, as `old`, or the new ones are of another length (the
    file's cross-reference table counts bytes), or the /ID is not in the trailer."""
    out = bytearray(pdf)
    for field, was, now in zip((CREATED, MODIFIED), old, new):
        span = only_date(pdf, field)
        if span is None or pdf[span] != was or len(now) != len(was):
            return None
        out[span] = now
    tail = len(pdf) - min(len(pdf), ID_WITHIN)
    found = list(FILE_ID.finditer(pdf, tail))
    if len(found) != 1 or pdf.count(b"/ID ", tail) != 1:
        return None
    fresh = os.urandom(16).hex().encode("ascii")  # qpdf's are two alike for a file saved anew
    out[found[0].start(1):found[0].end(2)] = fresh + b"><" + fresh
    return bytes(out)


def text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value
