"""The PDF's document information: Title, Author (the school) and Subject.

Chromium's printToPdf writes only Creator and Producer. A PDF saved to a shared drive or
attached to an email is found and sorted by these fields (file managers, PDF readers' tabs and
screen readers announce the Title), so every PDF edukit makes carries them.
"""
from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from .model import Module, School
from .options import KIND_LABELS


def pdf_subject(module: Module, kind: str) -> str:
    audience = {"pupils": "pupils", "parents": "parents and carers", "staff": "staff"}
    label = KIND_LABELS.get(kind, kind)
    return f"{label}, for {audience.get(module.meta.audience or 'pupils', 'pupils')}"


def with_document_info(pdf: bytes, module: Module, school: School, kind: str) -> bytes:
    """The same PDF with Title, Author and Subject set (Author left out when no school name)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    info = {"/Title": module.meta.title, "/Subject": pdf_subject(module, kind)}
    if school.name:
        info["/Author"] = school.name
    writer.add_metadata(info)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
