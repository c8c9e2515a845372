"""`::: {.routes for=pupils}` — the "Where to get help" box from the route directory.

The box is drawn only by edukit, after the page's content has been sanitised: the treeprocessor
leaves a marker carrying a per-converter secret where each box goes, the sanitiser strips every
reserved class (route, routes-title, …) from content, and `fill_routes` then swaps the markers
for boxes built here from the route directory. Content cannot guess the secret, so it cannot
place a box of its own, and it cannot imitate one, because its reserved classes are gone.
"""
from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from ..model import AUDIENCES, Route
from .fenced_divs import ROUTES_MARK
from .media import classify_url
from .qr import qr_element

ROUTES_TITLE = "Where to get help"
BOX_MARK = "data-edukit-box"  # on the routes div until it is filled
FILL_MARK = "data-edukit-fill"  # an empty <p> where the title and the list go


def route_item(route: Route) -> etree.Element:
    li = etree.Element("li", {"class": "route" + (" emergency" if route.emergency else "")})
    name = etree.SubElement(li, "strong", {"class": "route-name"})
    name.text = route.name
    what = etree.SubElement(li, "span", {"class": "route-what"})
    what.text = " " + route.what
    contacts = etree.SubElement(li, "span", {"class": "route-contacts"})
    for label, value in (("Phone", route.phone), ("Text", route.text), ("Email", route.email)):
        if value:
            contacts.append(contact_span(label, value))
    if route.url and classify_url(route.url) in ("remote", "link"):
        # A screen reader reads the link alone (Tab from link to link): it says whose address
        # it is, without the printed separators and arrow ("Childline: childline.org.uk").
        a = etree.SubElement(contacts, "a", {"class": "route-url external", "href": route.url,
                                             "aria-label": f"{route.name}: {short_url(route.url)}"})
        url_text(a, short_url(route.url))
        li.insert(0, qr_element(route.url))  # floats beside the route, on paper
    details = [d for d in (route.hours, route.ages, route.anonymity) if d]
    if details:
        extra = etree.SubElement(li, "span", {"class": "route-details"})
        extra.text = " · ".join(details)
    return li


def contact_span(label: str, value: str) -> etree.Element:
    """"Phone: 0808 800 5000". A number is a span of its own, kept on one line (base.css) while
    its label may wrap above it on a narrow page; an email address may break anywhere."""
    span = etree.Element("span", {"class": "route-" + label.lower()})
    if label == "Email":
        span.text = f"{label}: {value}"
        return span
    span.text = f"{label}: "
    etree.SubElement(span, "span", {"class": "route-number"}).text = value
    return span


def short_url(url: str) -> str:
    """The address as printed: no scheme, no "www.", no trailing slash (the QR code beside it
    carries the whole address)."""
    return url.removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")


def url_text(parent: etree.Element, text: str) -> None:
    """An address that may wrap after a "/" and nowhere else: each part ("info-advice/") is
    kept whole (a break after its hyphen would read as a hyphenated word), a <wbr> between."""
    parts = text.split("/")
    for n, part in enumerate(parts):
        if n:
            etree.SubElement(parent, "wbr")
        span = etree.SubElement(parent, "span", {"class": "url-part"})
        span.text = part + ("/" if n < len(parts) - 1 else "")


def routes_box_html(routes: list[Route], source: str = "") -> str:
    """The box's title and list of routes, as HTML (every value escaped by ElementTree); and,
    when a trusted publisher's pack supplied them, a last line naming it."""
    title = etree.Element("p", {"class": "routes-title"})
    title.text = ROUTES_TITLE
    items = etree.Element("ul", {"class": "route-list"})
    for route in routes:
        items.append(route_item(route))
    parts = [title, items]
    if source and routes:
        line = etree.Element("p", {"class": "routes-source"})
        line.text = source
        parts.append(line)
    return "".join(etree.tostring(e, encoding="unicode", method="html") for e in parts)


def box_open_tag(audience: str) -> str:
    return f'<div class="block routes" data-block="routes" data-for="{audience}">'


class RoutesBoxes:
    """The boxes one converter has marked: a secret, and each marker's audience."""

    def __init__(self) -> None:
        self.secret = secrets.token_hex(12)
        self.audiences: dict[str, str] = {}

    def mark(self, box: etree.Element, audience: str) -> None:
        token = f"{self.secret}-{len(self.audiences)}"
        self.audiences[token] = audience
        box.attrib.clear()  # the box's classes and attributes are edukit's, set when filled
        box.set(BOX_MARK, token)
        box.insert(0, etree.Element("p", {FILL_MARK: token}))

    def fill(self, html: str, lookup: Callable[[str], list[Route]], source: str = "") -> str:
        """Sanitised HTML with each marker replaced by edukit's box for its audience."""
        if not self.audiences:
            return html
        pattern = re.compile(rf'<div {BOX_MARK}="({self.secret}-\d+)">|'
                             rf'<p {FILL_MARK}="({self.secret}-\d+)"></p>')

        def swap(m: re.Match) -> str:
            if m.group(1):
                return box_open_tag(self.audiences.get(m.group(1), "pupils"))
            return routes_box_html(lookup(self.audiences.get(m.group(2), "pupils")), source)
        return pattern.sub(swap, html)


class RoutesTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, boxes: RoutesBoxes, audience: str):
        super().__init__(md)
        self.boxes, self.audience = boxes, audience

    def run(self, root: etree.Element) -> None:
        for box in list(root.iter("div")):
            if box.get(ROUTES_MARK) == self.boxes.secret:  # a `::: routes` block of the text
                audience = box.get("data-for") or self.audience
                self.boxes.mark(box, audience if audience in AUDIENCES else "pupils")
            elif box.get("data-block") == "routes":  # raw HTML imitating one: a plain div
                box.attrib.pop("data-block")


class RoutesExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "boxes": [(), "RoutesBoxes: where the boxes are marked"],
            "audience": ["pupils", "audience used when the block names none"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        boxes = self.getConfig("boxes") or RoutesBoxes()
        processor = RoutesTreeprocessor(md, boxes, self.getConfig("audience"))
        md.treeprocessors.register(processor, "routes_block", 15)


def makeExtension(**kwargs) -> RoutesExtension:
    return RoutesExtension(**kwargs)
