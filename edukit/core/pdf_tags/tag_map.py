"""A TagMap: what tagging learnt from a second print, kept for a reprint of the same page, read
back from untrusted JSON and used only when it fits the print exactly."""
from __future__ import annotations

from dataclasses import dataclass

from .prints import ARTIFACT, TEXT_SHOW, Element, FirstPrint, PagePlan, run_is_whole


@dataclass(frozen=True)
class TagMap:
    """What tagging learnt from a second print: the page's elements and each page's plan, for
    the first print whose operators hash to `content` (FirstPrint.content_digest). Kept with
    the print page (core/render_cache.py), a reprint of the same page, which Chromium lays
    out and prints the same, is tagged without the second print (issue 17)."""

    content: str
    elements: list[Element]
    plans: list[PagePlan]

    def data(self) -> dict:
        """As plain JSON data (tag_map_from reads it back)."""
        return {"content": self.content,
                "elements": [[e.tag, e.parent, e.alt, e.size[0], e.size[1]]
                             for e in self.elements],
                "plans": [{"owners": sorted(plan.owners.items()),
                           "pictures": [list(run) for run in plan.pictures]}
                          for plan in self.plans]}


def tag_map_from(data: object) -> TagMap | None:
    """A TagMap from JSON data if every part has its type and the elements form a tree
    (each one's parent earlier in the page); None otherwise: the data is untrusted."""
    try:
        elements = [Element(string(tag), count(parent, -1), None if alt is None else string(alt),
                            (count(width), count(height)))
                    for tag, parent, alt, width, height in data["elements"]]
        plans = [PagePlan({count(op): count(owner, ARTIFACT) for op, owner in plan["owners"]},
                          [(count(start), count(end)) for start, end in plan["pictures"]])
                 for plan in data["plans"]]
        content = string(data["content"])
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    if any(element.parent >= n or (element.parent < 0) != (n == 0)
           for n, element in enumerate(elements)):
        return None
    return TagMap(content, elements, plans)


def string(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def count(value: object, lowest: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < lowest:
        raise ValueError("not a count")
    return value


def kept_plans(first: FirstPrint, kept: TagMap) -> list[PagePlan] | None:
    """The kept plans if they were made from a print with these very operators and fit its
    pages; else None (the page is printed a second time, as ever)."""
    return kept.plans if made_from(first, kept) and fits(first, kept) else None


def made_from(first: FirstPrint, kept: TagMap) -> bool:
    """Was the map made from a print with these very operators (FirstPrint.content_digest)?"""
    return kept.content == first.content_digest() and len(kept.plans) == len(first.pages)


def fits(first: FirstPrint, kept: TagMap) -> bool:
    """Does each plan fit its page: every piece of text the page shows has an owner, an
    element of the page (or the running header and footer), and every picture is a whole run
    of operators with no text in it?"""
    for content, plan in zip(first.pages, kept.plans):
        names = content.names
        text = {n for n, name in enumerate(names) if name in TEXT_SHOW}
        if set(plan.owners) != text or any(owner >= len(kept.elements)
                                           for owner in plan.owners.values()):
            return False
        if any(not start < end <= len(names) or not run_is_whole(names, start, end)
               or not text.isdisjoint(range(start, end)) for start, end in plan.pictures):
            return False
    return len(kept.plans) == len(first.pages)
