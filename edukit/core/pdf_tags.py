"""Tags for the PDFs Chromium prints untagged, so a screen reader reads them in order.

QtWebEngine cannot ask Chromium for a tagged PDF (core/pdf_meta.py says why), so edukit tags
the PDF itself, and only where it knows what each piece of text is. The print page is printed
twice with one layout: the PDF people get, then a second in which every element of the page has
its own text colour (`rgb(1, n >> 8, n & 255)` for the n-th element, the page's running header
and footer `rgb(2, 0, 1)`), set in the ApplicationWorld just before the second print (gui/pdf.py).
Colour moves nothing on the page, so both PDFs draw the same text with the same operators in the
same order, and the second one's colour names the element of each piece of text in the first.
The structure tree is built from the page's elements (headings, paragraphs, lists, tables,
pictures with their alt text) in document order, and each piece of text is tied to its element
by a marked-content sequence; pictures are matched to <img> elements in order, by pixel size.

Whenever that cannot be done exactly (the two prints differ, some text has no element's colour,
a picture matches no <img>), `Untaggable` is raised and the PDF stays untagged: /Marked true over
guessed tags would mislead a screen reader more than no tags.
"""
from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

ARTIFACT = -1  # owner of the running header and footer (page furniture)
COLOUR_OPS = {"rg", "RG", "g", "G", "k", "K", "sc", "SC", "scn", "SCN", "cs", "CS"}
RESOURCE_OPS = {"Tf", "gs", "Do", "sh", "cs", "CS", "BDC", "BMC"}  # names that differ per print
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
TEXT_STATE = {"Td", "TD", "Tm", "T*", "Tf", "Tc", "Tw", "Tz", "TL", "Tr", "Ts"} | COLOUR_OPS
PATH_BUILD = {"m", "l", "c", "v", "y", "re", "h"}
PATH_END = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"}
CLIP = {"W", "W*"}

# HTML elements as structure types; elements not named here (and inline ones) add no element of
# their own: their text belongs to the nearest named ancestor.
STRUCTURE = {
    "body": "Document", "main": "Div", "div": "Div", "nav": "Div", "aside": "Div",
    "header": "Div", "footer": "Div", "section": "Sect", "article": "Art", "figure": "Div",
    "h1": "H1", "h2": "H2", "h3": "H3", "h4": "H4", "h5": "H5", "h6": "H6",
    "p": "P", "pre": "P", "address": "P", "dt": "P", "dd": "P", "dl": "Div",
    "blockquote": "BlockQuote", "figcaption": "Caption", "caption": "Caption",
    "ul": "L", "ol": "L", "li": "LI",
    "svg": "Div", "text": "P",  # an inline drawing's text (a flowchart's boxes), in its order
    "table": "Table", "thead": "THead", "tbody": "TBody", "tfoot": "TFoot",
    "tr": "TR", "th": "TH", "td": "TD", "img": "Figure",
}


class Untaggable(ValueError):
    """The PDF cannot be tagged exactly; it is left untagged."""


@dataclass(frozen=True)
class Element:
    """One element of the print page, in document order, as gui/pdf.py reads it."""

    tag: str
    parent: int  # index of the parent element; -1 for <body>
    alt: str | None = None  # an <img>'s alt attribute (None: it has none)
    size: tuple[int, int] = (0, 0)  # an <img>'s pixel size


@dataclass
class Node:
    """A structure element being built: its type, parent node and content in print order."""

    kind: str
    element: int
    parent: Node | None
    children: list[Node] = field(default_factory=list)
    marks: list[tuple[int, int, int]] = field(default_factory=list)  # (order, page, mcid)
    alt: str | None = None

    def first(self) -> int | None:
        """Where this node's content starts in print order (None: it printed nothing)."""
        starts = [m[0] for m in self.marks] + [f for c in self.children if (f := c.first())
                                                is not None]
        return min(starts) if starts else None


def element_code(red: int, green: int, blue: int, count: int) -> int | None:
    """The owner a text colour of the second print names: an element index, ARTIFACT, or None."""
    if red == 1 and 1 <= (n := green * 256 + blue) <= count:
        return n - 1
    if (red, green, blue) == (2, 0, 1):
        return ARTIFACT
    return None


@dataclass
class Content:
    """A content stream read once: its operators, their names and each written out as PDF."""

    ops: list
    names: list[str]
    lines: list[bytes]


def read_content(stream) -> Content:
    """A page's (or drawing's) operators. They are written out in one call and split at line
    breaks (pikepdf puts one operator on each line), not one call each: tagging reads a few
    thousand operators a page. An operator whose text holds a line break (an inline image's
    data) makes the count differ, and then each is written out on its own."""
    ops = pikepdf.parse_content_stream(stream)
    lines = pikepdf.unparse_content_stream(ops).split(b"\n")
    if len(lines) != len(ops) or pikepdf.ContentStreamInlineImage in {type(op) for op in ops}:
        lines = [pikepdf.unparse_content_stream([op]) for op in ops]
        return Content(ops, [operator(op) for op in ops], lines)
    return Content(ops, [line.rpartition(b" ")[2].decode("latin-1") for line in lines], lines)


class FirstPrint:
    """The print people get, opened and read: done while Chromium makes the second print
    (gui/pdf.py), so only the comparison is left when that arrives."""

    def __init__(self, printed: bytes):
        self.printed = printed
        self.pdf = pikepdf.open(io.BytesIO(printed))
        self.pages = [read_content(page) for page in self.pdf.pages]

    @functools.cached_property
    def drawings(self) -> list[tuple[list[int], list[tuple[str, bytes]]]]:
        """Each page's drawing (`drawing`), for lining it up with a second print: a reprint
        tagged from a kept map (TagMap) has none and needs none."""
        return [drawing(page) for page in self.pages]

    def content_digest(self) -> str:
        """A digest of the pages' operators as tagging reads them (not the document's dates or
        ID, which differ each run): two prints with one digest are tagged the same way."""
        digest = hashlib.sha256(str(len(self.pages)).encode("ascii"))
        for page in self.pages:
            digest.update(b"\0page\0")
            digest.update(b"\n".join(page.lines))
        return digest.hexdigest()

    def untagged(self) -> pikepdf.Pdf:
        """The print as Chromium made it (tagging may have changed `pdf` before it gave up)."""
        return pikepdf.open(io.BytesIO(self.printed))


def tagged_pdf(printed: bytes, coded: bytes, elements: list[Element]) -> bytes:
    """`printed` with a structure tree and marked content; Untaggable when not exact."""
    pdf = tag(FirstPrint(printed), coded, elements)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def tag(first: FirstPrint, coded: bytes, elements: list[Element]) -> pikepdf.Pdf:
    """The first print's document with a structure tree and marked content (changed in
    place); Untaggable when not exact."""
    return tag_with_plans(first, elements, coded_plans(first, coded, elements))


def coded_plans(first: FirstPrint, coded: bytes, elements: list[Element]) -> list[PagePlan]:
    """What the second print says about each page of the first; Untaggable when not exact."""
    key = pikepdf.open(io.BytesIO(coded))
    if len(first.pages) != len(key.pages):
        raise Untaggable("the two prints have different page counts")
    return [page_plan(content, drawn, read_content(coded_page), len(elements), number)
            for number, (content, drawn, coded_page)
            in enumerate(zip(first.pages, first.drawings, key.pages))]


def tag_with_plans(first: FirstPrint, elements: list[Element],
                   plans: list[PagePlan]) -> pikepdf.Pdf:
    """The first print tagged from its page plans (the second print's, or kept ones)."""
    pdf = first.pdf
    nodes = structure_nodes(elements)
    pictures = [n for n, element in enumerate(elements) if element.tag == "img"]
    if sum(len(plan.pictures) for plan in plans) != len(pictures):
        raise Untaggable("the pictures printed are not the page's <img> elements")
    marker = Marker(nodes, elements, iter(pictures))
    parent_tree = []
    for number, (page, content, plan) in enumerate(zip(pdf.pages, first.pages, plans)):
        marked, mcids = marker.page(page, content, plan, number)
        page.Contents = pdf.make_stream(b"\n".join(marked))
        page.StructParents = number
        page.Tabs = Name.S
        parent_tree.append(mcids)
    write_tree(pdf, nodes[0], parent_tree)
    return pdf


@dataclass
class PagePlan:
    """What the two prints say about one page of the first."""

    owners: dict[int, int]  # operator index of each text-showing operator: its element, ARTIFACT
    pictures: list[tuple[int, int]]  # operator index ranges [start, end) only the first draws


def page_plan(content: Content, drawn: tuple[list[int], list[tuple[str, bytes]]],
              coded: Content, count: int, number: int) -> PagePlan:
    """Line the page's operators (`drawn`: its drawing) up with the second print's (which
    draws no pictures): what only the first draws are the pictures, and every other piece of
    text takes the owner its colour names in the second; Untaggable when the two differ in any
    other way."""
    a_index, a_keys = drawn
    b_index, b_keys = drawing(coded)
    b_owners = coded_owners(coded, count, number)
    deleted = ([] if a_keys == b_keys
               else picture_runs(content.names, a_index, a_keys, b_keys, number))
    pictures = [(a_index[i1], a_index[i2 - 1] + 1) for i1, i2 in deleted]
    drawn_by_both = [i for i in range(len(a_keys)) if not any(i1 <= i < i2 for i1, i2 in deleted)
                     ] if deleted else range(len(a_keys))
    if deleted and [a_keys[i] for i in drawn_by_both] != b_keys:
        raise Untaggable(f"page {number + 1}: the two prints draw differently")
    owners = {a_index[i]: b_owners[b_index[j]] for j, i in enumerate(drawn_by_both)
              if b_index[j] in b_owners}
    return PagePlan(owners, pictures)


def drawing(content: Content) -> tuple[list[int], list[tuple[str, bytes]]]:
    """A page's operators without colours and resource names (equal in the two prints), with
    their places in the page."""
    names, lines = content.names, content.lines
    index = [n for n, name in enumerate(names) if name not in COLOUR_OPS]
    keys = [(names[n], b"" if names[n] in RESOURCE_OPS or names[n] == "BI" else lines[n])
            for n in index]
    return index, keys


def operator(instruction) -> str:
    if isinstance(instruction, pikepdf.ContentStreamInlineImage):
        return "BI"
    return str(instruction.operator)


def picture_runs(names, a_index, a_keys, b_keys, number) -> list[tuple[int, int]]:
    """The runs of operators the first print has and the second not (in `a_keys` positions),
    each slid to where it is whole: no path, text object or marked content cut in two."""
    runs = []
    start, end = common_ends(a_keys, b_keys)
    matcher = SequenceMatcher(None, a_keys[start:len(a_keys) - end],
                              b_keys[start:len(b_keys) - end], autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag != "delete":
            raise Untaggable(f"page {number + 1}: the two prints draw differently")
        runs.append(whole_run(names, a_index, a_keys, start + i1, start + i2, number))
    return runs


def common_ends(a: list, b: list) -> tuple[int, int]:
    """How many items the two lists share at their start, and then at their end: only the
    middle goes to SequenceMatcher, whose work grows with the square of what it is given (a
    page with one picture: its few operators, not the page's thousands). Each run found is
    slid into place by whole_run, so where in a repeat the trimming cuts changes nothing."""
    shortest = min(len(a), len(b))
    start = next((n for n in range(shortest) if a[n] != b[n]), shortest)
    end = next((n for n in range(shortest - start) if a[-1 - n] != b[-1 - n]), shortest - start)
    return start, end


def whole_run(names, a_index, a_keys, i1, i2, number) -> tuple[int, int]:
    while i1 > 0 and a_keys[i1 - 1] == a_keys[i2 - 1]:
        i1, i2 = i1 - 1, i2 - 1
    while True:
        if run_is_whole(names, a_index[i1], a_index[i2 - 1] + 1):
            return i1, i2
        if i2 >= len(a_keys) or a_keys[i1] != a_keys[i2]:
            raise Untaggable(f"page {number + 1}: a picture drawn among other things")
        i1, i2 = i1 + 1, i2 + 1


def run_is_whole(names: list[str], start: int, end: int) -> bool:
    """Can [start, end) be one marked-content sequence: starting outside any text object, with
    text objects and marked content balanced in it, and no path cut at either end? (`names`:
    the page's operator names.)"""
    depth = sum((name == "BT") - (name == "ET") for name in names[:start])
    if depth or names[start - 1] in PATH_BUILD | CLIP if start else False:
        return False
    if names[end - 1] in PATH_BUILD | CLIP:
        return False
    text = marks = 0
    for name in names[start:end]:
        text += (name == "BT") - (name == "ET")
        marks += (name in ("BDC", "BMC")) - (name == "EMC")
        if text < 0 or marks < 0:
            return False
    return text == 0 and marks == 0


def coded_owners(coded: Content, count: int, number: int) -> dict[int, int]:
    """The owner of each text-showing operator of the second print, named by its colour."""
    owners, colour, saved = {}, (0, 0, 0), []
    for n, name in enumerate(coded.names):
        if name == "q":
            saved.append(colour)
        elif name == "Q" and saved:
            colour = saved.pop()
        elif name in ("rg", "sc", "scn") and len(operands := coded.ops[n].operands) == 3:
            colour = tuple(round(float(v) * 255) for v in operands)
        elif name in ("g", "k", "cs"):
            colour = None
        elif name in TEXT_SHOW:
            owner = element_code(*colour, count) if colour else None
            if owner is None:
                raise Untaggable(f"page {number + 1}: text in a colour no element has")
            owners[n] = owner
    return owners


def written(instruction) -> bytes:
    """One operator as pikepdf writes it in a content stream."""
    return pikepdf.unparse_content_stream([instruction])


# The marked-content operators the pages are given, written out once
PAGINATION = written(([Name.Artifact, Dictionary(Type=Name.Pagination)], Operator("BDC")))
ARTIFACT_BEGIN = written(([Name.Artifact], Operator("BMC")))
END = written(([], Operator("EMC")))


class Marker:
    """Rewrites pages with marked content, numbering each page's sequences (MCIDs) and noting
    each on its node; pictures are taken in document order across the pages."""

    def __init__(self, nodes: dict[int, Node], elements: list[Element], pictures: Iterator[int]):
        self.nodes, self.elements, self.pictures = nodes, elements, pictures
        self.order = 0

    def page(self, page, content: Content, plan: PagePlan, number: int):
        """The page's content with marked content added, as lines of PDF, and the node of
        each of its sequences (by MCID)."""
        out: list[bytes] = []
        mcids: list[Node] = []
        open_owner, in_path, figure_end = None, False, -1
        starts = dict(plan.pictures)

        def begin(node: Node | None) -> None:
            if node is None:
                out.append(PAGINATION)
                return
            self.order += 1
            node.marks.append((self.order, number, len(mcids)))
            tag = Name.LBody if node.kind == "LI" else Name("/" + node.kind)
            out.append(written(([tag, Dictionary(MCID=len(mcids))], Operator("BDC"))))
            mcids.append(node)

        def close_text() -> None:
            nonlocal open_owner
            if open_owner is not None:
                out.append(END)
                open_owner = None

        for n, name in enumerate(content.names):
            line = content.lines[n]
            if n in starts:
                close_text()
                figure_end = starts[n]
                self.begin_picture(out, begin)
            if n < figure_end:
                out.append(line)
                if n == figure_end - 1:
                    out.append(END)
                continue
            if name == "BI":
                raise Untaggable(f"page {number + 1}: an inline image")
            if name in TEXT_SHOW:
                owner = plan.owners.get(n)
                if owner is None:
                    raise Untaggable(f"page {number + 1}: text with no owner")
                node = None if owner == ARTIFACT else text_node(owner, self.elements, self.nodes)
                if open_owner is None or node is not open_owner[0]:  # a new run of text
                    close_text()
                    begin(node)
                    open_owner = (node,)
                out.append(line)
                continue
            if name not in TEXT_STATE:
                close_text()
            if name in PATH_BUILD and not in_path:
                out.append(ARTIFACT_BEGIN)
                in_path = True
            if name in ("Do", "sh"):
                drawn = content.ops[n].operands[0]
                if name == "Do" and has_text(page.Resources.XObject[drawn]):
                    raise Untaggable(f"page {number + 1}: text or a picture inside a drawing")
                out.append(ARTIFACT_BEGIN)
            out.append(line)
            if (name in PATH_END and in_path) or name in ("Do", "sh"):
                out.append(END)
                in_path = False
        close_text()
        return out, mcids

    def begin_picture(self, out: list, begin) -> None:
        """A Figure with the <img>'s alt text; an artifact for a decorative one (alt="")."""
        n = next(self.pictures)
        if self.elements[n].alt == "":
            out.append(ARTIFACT_BEGIN)
        else:
            begin(self.nodes[n])


def structure_nodes(elements: list[Element]) -> dict[int, Node]:
    """A node for every element with a structure type, keyed by element index (0 is <body>)."""
    if not elements or elements[0].tag != "body":
        raise Untaggable("the page's elements were not read")
    nodes: dict[int, Node] = {}
    for n, element in enumerate(elements):
        kind = STRUCTURE.get(element.tag)
        if kind is None:
            continue
        parent = nodes[owner_of(n, elements, nodes)] if n else None
        nodes[n] = Node(kind, n, parent, alt=element.alt)
        if parent is not None:
            parent.children.append(nodes[n])
    return nodes


def owner_of(n: int, elements: list[Element], nodes: dict[int, Node]) -> int:
    """The nearest ancestor of element n that has a node (not n itself)."""
    n = elements[n].parent
    while n not in nodes:
        if n < 0:
            raise Untaggable("an element outside <body>")
        n = elements[n].parent
    return n


def text_node(owner: int, elements: list[Element], nodes: dict[int, Node]) -> Node:
    node = nodes[owner] if owner in nodes else nodes[owner_of(owner, elements, nodes)]
    if node.kind == "Figure":
        raise Untaggable("text inside a picture")
    return node


def has_text(xobject) -> bool:
    """Does a drawing (form XObject) show text or pictures? Those would need tags inside it."""
    if xobject.get("/Subtype") == Name.Image:
        return True  # a picture not drawn for an <img> (a CSS background): not tagged
    return any(operator(op) in TEXT_SHOW | {"Do", "BI"}
               for op in pikepdf.parse_content_stream(xobject))


def write_tree(pdf: pikepdf.Pdf, root: Node, parent_tree: list[list[Node]]) -> None:
    """The structure tree (StructTreeRoot, its ParentTree) and /MarkInfo in the catalog."""
    if root.first() is None:
        raise Untaggable("nothing on the pages belongs to an element")
    objects: dict[int, pikepdf.Object] = {}
    tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = struct_element(pdf, root, tree, objects)
    tree.K = Array([document])
    nums = Array()
    for number, nodes in enumerate(parent_tree):
        nums.append(number)
        nums.append(Array([objects[id(node)] for node in nodes]))
    tree.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    tree.ParentTreeNextKey = len(parent_tree)
    pdf.Root.StructTreeRoot = tree
    pdf.Root.MarkInfo = Dictionary(Marked=True)


def struct_element(pdf: pikepdf.Pdf, node: Node, parent, objects: dict) -> pikepdf.Object:
    """The node and its printed children as StructElems; children in document order, the node's
    own text where it printed among them (a list item's text inside an LBody)."""
    element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.kind),
                                           P=parent))
    objects[id(node)] = element
    if node.alt:
        element.Alt = node.alt
    kids = Array()
    holder = element
    if node.kind == "LI":
        holder = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=element))
        objects[id(node)] = holder
        kids.append(holder)
    inner = Array()
    marks = sorted(node.marks)
    for child in node.children:
        start = child.first()
        if start is None:
            continue
        while marks and marks[0][0] < start:
            inner.append(marked_reference(pdf, marks.pop(0)))
        inner.append(struct_element(pdf, child, holder, objects))
    inner.extend(marked_reference(pdf, mark) for mark in marks)
    if holder is element:
        element.K = inner
    else:
        holder.K = inner
        element.K = kids
    return element


def marked_reference(pdf: pikepdf.Pdf, mark: tuple[int, int, int]) -> Dictionary:
    _, page, mcid = mark
    return Dictionary(Type=Name.MCR, Pg=pdf.pages[page].obj, MCID=mcid)


def tagged_or_untagged(printed: bytes, coded: bytes, elements: list[Element]) -> tuple[bytes, str]:
    """The tagged PDF and "", or the printed PDF unchanged and why it could not be tagged."""
    try:
        return tagged_pdf(printed, coded, elements), ""
    except Untaggable as exc:
        return printed, str(exc)


def tagged_or_untagged_document(first: FirstPrint, coded: bytes, elements: list[Element],
                                plans: list[PagePlan] | None = None
                                ) -> tuple[pikepdf.Pdf, str, list[PagePlan]]:
    """As tagged_or_untagged, for a first print already read, as an open document (the
    caller adds the document information and saves it once), from the second print or from
    `plans` kept from an earlier one (kept_plans); with the plans it was tagged by ([] if
    untagged)."""
    try:
        if plans is None:
            plans = coded_plans(first, coded, elements)
        return tag_with_plans(first, elements, plans), "", plans
    except Untaggable as exc:
        return first.untagged(), str(exc), []


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
