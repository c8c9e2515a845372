"""The school's logo on printed handouts and guides: a PNG or JPEG file the school chose.

Checked when chosen and again when printing (the file may have changed since): a logo that
is missing, not a picture or too large is left off the page, never a reason to stop printing.
"""
from __future__ import annotations

import base64
from pathlib import Path

MAX_LOGO_BYTES = 1024 * 1024  # a crest at print size is tens of KB; a 1 MB cap keeps PDFs small
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def logo_type(data: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)


def logo_problem(path: str) -> str | None:
    """Why this file cannot be the logo, in plain words; None when it can."""
    file = Path(path).expanduser()
    try:
        size = file.stat().st_size
        if not file.is_file():
            return f"{file}: not a file"
        if size > MAX_LOGO_BYTES:
            return f"{file}: {size // 1024} KB is too large for a logo (at most 1024 KB)"
        with file.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        return f"{file}: cannot read it ({exc.strerror or exc})"
    if logo_type(head) is None:
        return f"{file}: not a PNG or JPEG picture"
    return None


def logo_html(path: str) -> str:
    """An <img> with the logo inside the page, or "" when there is no usable logo."""
    if not path or logo_problem(path):
        return ""
    try:
        data = Path(path).expanduser().read_bytes()[:MAX_LOGO_BYTES + 1]
    except OSError:
        return ""
    kind = logo_type(data)
    if kind is None or len(data) > MAX_LOGO_BYTES:
        return ""
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img class="school-logo" alt="School logo" src="data:{kind};base64,{encoded}">'
