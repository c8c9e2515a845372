"""The first print tagged: its pages' text and pictures in marked content, and a structure tree
built from the page's elements, or Untaggable."""
from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

from .prints import (
    ARTIFACT,
    PATH_BUILD,
    PATH_END,
    TEXT_SHOW,
    TEXT_STATE,
    Content,
    Element,
    FirstPrint,
    PagePlan,
    Untaggable,
    coded_plans,
    operator,
)

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
