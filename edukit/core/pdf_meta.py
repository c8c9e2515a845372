"""The PDF's document information: Title, Author (the school), Subject and language.

Chromium's printToPdf writes only Creator and Producer. A PDF saved to a shared drive or
attached to an email is found and sorted by these fields (file managers, PDF readers' tabs and
screen readers announce the Title), so every PDF edukit makes carries them. A screen reader
reads a PDF in the voice of its /Lang (without it, in the reader's own default, which mangles
English read by a Welsh or French voice), and PDF/UA asks that the window shows the Title,
not the file name (/DisplayDocTitle).

Chromium's own tagging is out of reach: QtWebEngine 6.11 (Chromium 140) prints through the print
preview path, which tags only when the renderer's print delegate asks for it, and Qt's delegate
never does; --export-tagged-pdf, --force-renderer-accessibility, an active QAccessible and a
shown view change nothing (test_pdf_accessibility pins this, so a Qt that starts tagging is
noticed), so edukit tags the PDFs itself (core/pdf_tags/). Chromium's outline
(generateDocumentOutline) comes from the same missing path, so edukit adds the bookmarks too:
the print page links (invisibly) to each heading, Chromium writes a named destination at each
linked heading, and `with_outline` turns the headings, in document order, into bookmarks that
open at those destinations. pikepdf rewrites only these entries: the structure tree, /MarkInfo
and /Alt stay as core/pdf_tags/ made them.
"""
from __future__ import annotations

import io

import pikepdf
from pikepdf import Dictionary, Name, OutlineItem, PageLocation, String

from .model import Module, School
from .pdf_prints import DOCUMENT_LANGUAGE, Heading, Prints, document_info, pdf_subject
from .pdf_tags import FirstPrint, TagMap, tagged_or_untagged_document

__all__ = ["DOCUMENT_LANGUAGE", "Heading", "Prints", "finished_pdf", "pdf_subject",
           "with_document_info"]


def finished_pdf(prints: Prints) -> tuple[bytes, str]:
    """The PDF people get: the first print tagged by the second, with its document information
    and bookmarks, written once; and why it is untagged ("" when it is tagged). Pure work on
    bytes, so `export --all` runs it beside the printing (gui/headless.py). A PDF kept from
    an earlier print of these very bytes (core/pdf_prints.py) is the finished PDF as it is;
    a tagged one is kept for the next (`keep_finished`)."""
    if prints.finished:
        return prints.finished, ""
    first = prints.reading.result() if prints.reading is not None else FirstPrint(prints.printed)
    doc, why, plans = tagged_or_untagged_document(first, prints.coded, prints.elements,
                                                  prints.plans)
    if plans and prints.plans is None and prints.keep is not None:
        prints.keep(TagMap(first.content_digest(), prints.elements, plans))
    with doc:
        pdf = saved_with_document_info(doc, prints.module, prints.school, prints.kind,
                                       prints.headings)
    if not why and prints.keep_finished is not None:
        prints.keep_finished(pdf)
    return pdf, why


def with_document_info(pdf: bytes, module: Module, school: School, kind: str,
                       headings: list[Heading] | tuple[Heading, ...] = ()) -> bytes:
    """The same PDF with Title, Author and Subject set (Author left out when no school name),
    its language, the title shown in the reader's window, and bookmarks for the headings."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return saved_with_document_info(doc, module, school, kind, headings)


def saved_with_document_info(doc: pikepdf.Pdf, module: Module, school: School, kind: str,
                             headings: list[Heading] | tuple[Heading, ...] = ()) -> bytes:
    """with_document_info for a document already open (the one core/pdf_tags/ tagged): the
    PDF is written out once, not once for the tags and again for these."""
    with_outline(doc, headings)
    info = document_info(module, school, kind)  # as a kept PDF's digest has it (pdf_prints)
    for field in ("Title", "Subject", "Author"):
        if field in info:
            doc.docinfo[Name(f"/{field}")] = String(info[field])
    doc.Root.Lang = String(info["Lang"])
    doc.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def with_outline(doc: pikepdf.Pdf, headings: list[Heading] | tuple[Heading, ...]) -> None:
    """Bookmarks for the headings, nested by level, each opening where its heading is printed.
    A heading with no destination (not printed, or its id garbled) is left out, and its
    sub-headings hang from the nearest bookmark above it."""
    places = heading_places(doc)
    parents: list[tuple[int, OutlineItem]] = []  # (level, bookmark) of the open branch
    with doc.open_outline() as outline:
        for level, text, element_id in headings:
            place = places.get(element_id)
            title = " ".join(str(text).split())
            if place is None or not title:
                continue
            while parents and parents[-1][0] >= level:
                parents.pop()
            page, left, top = place
            item = OutlineItem(title, page, PageLocation.XYZ, left=left, top=top)
            (parents[-1][1].children if parents else outline.root).append(item)
            parents.append((level, item))


def heading_places(doc: pikepdf.Pdf) -> dict[str, tuple[int, float, float]]:
    """Each named destination Chromium wrote (`/Dests` in the catalog): page index, left, top."""
    dests = doc.Root.get("/Dests")
    if dests is None:
        return {}
    page_numbers = {page.obj.objgen: n for n, page in enumerate(doc.pages)}
    places = {}
    for name, dest in dests.items():
        if not isinstance(dest, pikepdf.Array) or len(dest) < 4:
            continue
        page = page_numbers.get(dest[0].objgen) if isinstance(dest[0], pikepdf.Dictionary) else None
        if page is None:
            continue
        places[str(name)[1:]] = (page, float(dest[2]), float(dest[3]))
    return places
