"""The PDF's document information: Title, Author (the school), Subject and language.

Chromium's printToPdf writes only Creator and Producer. A PDF saved to a shared drive or
attached to an email is found and sorted by these fields (file managers, PDF readers' tabs and
screen readers announce the Title), so every PDF edukit makes carries them. A screen reader
reads a PDF in the voice of its /Lang (without it, in the reader's own default, which mangles
English read by a Welsh or French voice), and PDF/UA asks that the window shows the Title,
not the file name (/DisplayDocTitle).

The PDFs are not tagged (no /MarkInfo or /StructTreeRoot): QtWebEngine 6.11 (Chromium 140)
printToPdf never asks Chromium for a tagged PDF, even with --force-renderer-accessibility or
--enable-features=ExportTaggedPDF (test_pdf_accessibility pins this, so a Qt that starts
tagging is noticed). A reader therefore reads the text in the order it was laid out.
"""
from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

from .model import Module, School
from .options import KIND_LABELS

DOCUMENT_LANGUAGE = "en-GB"  # as the pages' <html lang> (core/pages.py): lessons are British English


def pdf_subject(module: Module, kind: str) -> str:
    audience = {"pupils": "pupils", "parents": "parents and carers", "staff": "staff"}
    label = KIND_LABELS.get(kind, kind)
    return f"{label}, for {audience.get(module.meta.audience or 'pupils', 'pupils')}"


def with_document_info(pdf: bytes, module: Module, school: School, kind: str) -> bytes:
    """The same PDF with Title, Author and Subject set (Author left out when no school name),
    its language, and the title shown in the reader's window."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
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
