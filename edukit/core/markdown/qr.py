"""QR codes for helpline addresses on paper, made offline with segno.

A child or parent holding the sheet can point a phone at the code instead of typing a long
address. segno is pure Python (no network, no image library) and writes the code as an inline
SVG, which Chromium prints as sharp vector squares at any size.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree
from functools import lru_cache

import segno

QR_CLASS = "route-qr"


@lru_cache(maxsize=256)
def qr_svg(url: str) -> str:
    """The QR code for this exact address as an inline <svg> (sized by CSS; medium error
    correction, so a creased or smudged sheet still scans)."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(border=0, omitsize=True, svgclass=QR_CLASS, lineclass=None)
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code" ', 1)


def qr_element(url: str) -> etree.Element:
    """The same code as an element, for the help box edukit builds with ElementTree."""
    return etree.fromstring(qr_svg(url))


def qr_html(url: str) -> str:
    """The code as it appears in edukit's pages (ElementTree's HTML form)."""
    return etree.tostring(qr_element(url), encoding="unicode", method="html")
