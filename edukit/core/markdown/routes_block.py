"""`::: {.routes for=pupils}` — the "Where to get help" box from the route directory."""
from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from ..model import Route

ROUTES_TITLE = "Where to get help"


def route_item(route: Route) -> etree.Element:
    li = etree.Element("li", {"class": "route" + (" emergency" if route.emergency else "")})
    name = etree.SubElement(li, "strong", {"class": "route-name"})
    name.text = route.name
    what = etree.SubElement(li, "span", {"class": "route-what"})
    what.text = " " + route.what
    contacts = etree.SubElement(li, "span", {"class": "route-contacts"})
    for label, value in (("Phone", route.phone), ("Text", route.text), ("Email", route.email)):
        if value:
            c = etree.SubElement(contacts, "span", {"class": "route-" + label.lower()})
            c.text = f"{label}: {value}"
    if route.url:
        a = etree.SubElement(contacts, "a", {"href": route.url, "class": "route-url"})
        a.text = route.url.removeprefix("https://").removeprefix("www.").rstrip("/")
    details = [d for d in (route.hours, route.ages, route.anonymity) if d]
    if details:
        extra = etree.SubElement(li, "span", {"class": "route-details"})
        extra.text = " · ".join(details)
    return li


def fill_routes_box(box: etree.Element, routes: list[Route]) -> None:
    """Put a titled list of routes at the top of a routes div, before any intro text."""
    title = etree.Element("p", {"class": "routes-title"})
    title.text = ROUTES_TITLE
    items = etree.Element("ul", {"class": "route-list"})
    for route in routes:
        items.append(route_item(route))
    box.insert(0, items)
    box.insert(0, title)


class RoutesTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, lookup, audience: str):
        super().__init__(md)
        self.lookup, self.audience = lookup, audience

    def run(self, root: etree.Element) -> None:
        for box in root.iter("div"):
            if box.get("data-block") == "routes":
                audience = box.get("data-for") or self.audience
                fill_routes_box(box, self.lookup(audience))


class RoutesExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "lookup": [lambda audience: [], "callable: audience -> list[Route]"],
            "audience": ["pupils", "audience used when the block names none"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        processor = RoutesTreeprocessor(md, self.getConfig("lookup"), self.getConfig("audience"))
        md.treeprocessors.register(processor, "routes_block", 15)


def makeExtension(**kwargs) -> RoutesExtension:
    return RoutesExtension(**kwargs)
