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
noticed), so edukit tags the PDFs itself (core/pdf_tags.py). Chromium's outline
(generateDocumentOutline) comes from the same missing path, so edukit adds the bookmarks too:
the print page links (invisibly) to each heading, Chromium writes a named destination at each
linked heading, and `with_outline` turns the headings, in document order, into bookmarks that
open at those destinations. pypdf's clone keeps the structure tree, /MarkInfo and /Alt.
"""
from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    BooleanObject,
    DictionaryObject,
    Fit,
    IndirectObject,
    NameObject,
    TextStringObject,
)

from .model import Module, School
from .options import KIND_LABELS

Heading = tuple[int, str, str]  # level (1-6), text, the element id its named destination has
DOCUMENT_LANGUAGE = "en-GB"  # as the pages' <html lang> (core/pages.py): lessons are British English


def pdf_subject(module: Module, kind: str) -> str:
    audience = {"pupils": "pupils", "parents": "parents and carers", "staff": "staff"}
    label = KIND_LABELS.get(kind, kind)
    return f"{label}, for {audience.get(module.meta.audience or 'pupils', 'pupils')}"


def with_document_info(pdf: bytes, module: Module, school: School, kind: str,
                       headings: list[Heading] | tuple[Heading, ...] = ()) -> bytes:
    """The same PDF with Title, Author and Subject set (Author left out when no school name),
    its language, the title shown in the reader's window, and bookmarks for the headings."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    with_outline(writer, headings)
    info = {"/Title": module.meta.title, "/Subject": pdf_subject(module, kind)}
    if school.name:
        info["/Author"] = school.name
    writer.add_metadata(info)
    writer.root_object[NameObject("/Lang")] = TextStringObject(DOCUMENT_LANGUAGE)
    preferences = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    writer.root_object[NameObject("/ViewerPreferences")] = preferences
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_outline(writer: PdfWriter, headings: list[Heading] | tuple[Heading, ...]) -> None:
    """Bookmarks for the headings, nested by level, each opening where its heading is printed.
    A heading with no destination (not printed, or its id garbled) is left out, and its
    sub-headings hang from the nearest bookmark above it."""
    places = heading_places(writer)
    parents: list[tuple[int, object]] = []  # (level, bookmark) of the open branch
    for level, text, element_id in headings:
        place = places.get(element_id)
        title = " ".join(str(text).split())
        if place is None or not title:
            continue
        while parents and parents[-1][0] >= level:
            parents.pop()
        page, left, top = place
        item = writer.add_outline_item(title=title, page_number=page,
                                       parent=parents[-1][1] if parents else None,
                                       fit=Fit.xyz(left, top))
        parents.append((level, item))


def heading_places(writer: PdfWriter) -> dict[str, tuple[int, float, float]]:
    """Each named destination Chromium wrote (`/Dests` in the catalog): page index, left, top."""
    dests = writer.root_object.get("/Dests")
    if dests is None:
        return {}
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(writer.pages)}
    places = {}
    for name, dest in dests.get_object().items():
        dest = dest.get_object()
        page = dest[0]
        if not isinstance(page, IndirectObject) or page.idnum not in page_numbers:
            continue
        places[name[1:]] = (page_numbers[page.idnum], float(dest[2]), float(dest[3]))
    return places
