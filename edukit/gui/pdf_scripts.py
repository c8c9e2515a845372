"""The scripts PdfMaker runs in a print page's ApplicationWorld (content scripts stay off), and
readers for their answers. They return JSON strings: PySide turns nested arrays into ''."""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pikepdf (under core.pdf_tags) loads on a thread while Chromium prints
    from ..core.pdf_tags import Element

# Before the first print: an invisible link to every heading, so Chromium writes a named
# destination where each is printed, and the headings in document order for the bookmarks
# (core/pdf_meta.with_outline).
LINK_HEADINGS = """(() => {
  const nav = document.createElement('nav');
  nav.hidden = true;
  const headings = [];
  document.querySelectorAll('h1, h2, h3').forEach((h, n) => {
    if (!h.id) h.id = 'edukit-heading-' + n;
    const link = document.createElement('a');
    link.href = '#' + h.id;
    nav.appendChild(link);
    headings.push([Number(h.tagName[1]), h.textContent, h.id]);
  });
  document.body.appendChild(nav);
  return JSON.stringify(headings);
})()"""

# Before the second print: every element's text (and its ::before, ::after and list marker) in a
# colour that names it (an inline SVG's text too: a flowchart), the running header and footer in one more, and pictures hidden (what the
# first print draws and this one does not is a picture); neither moves anything on the page. Returns the elements in document order (core/pdf_tags/ reads both prints with them).
MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
                "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right",
                "bottom-right-corner", "left-top", "left-middle", "left-bottom", "right-top",
                "right-middle", "right-bottom")
CODE_ELEMENTS = """(() => {
  const SVG_TEXT = ['text', 'tspan', 'textPath'];  // an SVG's text takes its fill, not its color
  const elements = [document.body, ...document.body.querySelectorAll('*')];
  if (elements.length > 65535) return '';
  const style = document.createElement('style');
  style.textContent = 'img { visibility: hidden !important; } '
    + '*::before, *::after, *::marker { color: inherit !important; } @page { '
    + MARGIN_BOXES.map(box => '@' + box + ' { color: rgb(2, 0, 1) !important; }').join(' ') + ' }';
  document.head.appendChild(style);
  const index = new Map(elements.map((element, n) => [element, n]));
  return JSON.stringify(elements.map((element, n) => {
    const code = `rgb(1, ${(n + 1) >> 8}, ${(n + 1) & 255})`;
    element.style.setProperty('color', code, 'important');
    if (SVG_TEXT.includes(element.tagName)) element.style.setProperty('fill', code, 'important');
    const img = element.tagName === 'IMG';
    return [element.tagName.toLowerCase(), n ? index.get(element.parentElement) : -1,
            img ? element.getAttribute('alt') : null,
            img ? element.naturalWidth : 0, img ? element.naturalHeight : 0];
  }));
})()""".replace("MARGIN_BOXES", json.dumps(MARGIN_BOXES))


def document_headings(found: object) -> list[tuple[int, str, str]]:
    """LINK_HEADINGS' answer as (level, text, id); nothing when the script failed."""
    try:
        return [(int(level), str(text), str(element_id))
                for level, text, element_id in json.loads(found)]
    except (TypeError, ValueError):
        return []


def page_elements(found: object) -> list[Element]:
    """CODE_ELEMENTS' answer; nothing when the script failed (the PDF then stays untagged)."""
    from ..core.pdf_tags import Element

    try:
        return [Element(str(tag), int(parent), None if alt is None else str(alt),
                        (int(width), int(height)))
                for tag, parent, alt, width, height in json.loads(found)]
    except (TypeError, ValueError):
        return []


@functools.cache
def scripts_stamp() -> str:
    """A digest of this file: the scripts that find a print page's elements and headings and
    how their answers are read. What a second print taught (a tag map) and the PDF finished
    with it are kept under it too (gui/pdf/): after an update that finds elements anew, a
    page printed before is tagged anew, not as the old scripts found it."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
