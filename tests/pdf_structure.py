"""Reading a PDF's tags the way a screen reader depends on them, for the tagged-PDF tests:
pikepdf for the catalog and the structure tree, poppler (an independent reader) for the text
each structure element holds and for the text on the pages."""
from __future__ import annotations

import re
import subprocess
import unicodedata
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path

import pikepdf


def tag_problems(path: Path) -> list[str]:
    """What keeps a screen reader from reading the PDF by its tags; [] for a sound tagged PDF.
    /Marked true over a tree that points at no marked content (a fake) is a problem too."""
    pdf = pikepdf.open(path)
    root, problems = pdf.Root, []
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        problems.append("not marked as tagged (/MarkInfo /Marked)")
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return [*problems, "no structure tree"]
    in_tree = {(page, mcid) for _, _, page, mcid in marked_references(pdf)}
    on_pages = set(page_mcids(pdf))
    if not in_tree:
        problems.append("the structure tree points at no marked content")
    if in_tree != on_pages:
        problems.append(f"{len(on_pages - in_tree)} marked sequences outside the tree, "
                        f"{len(in_tree - on_pages)} tree entries with no sequence")
    if "/ParentTree" not in tree:
        problems.append("no ParentTree")
    return problems


def elements(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Dictionary]]:
    """Every structure element in reading (tree) order, with its type."""
    def walk(node) -> Iterator[tuple[str, pikepdf.Dictionary]]:
        if isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
            yield str(node.S)[1:], node
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                yield from walk(kid)
    kids = pdf.Root.StructTreeRoot.K
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        yield from walk(kid)


def marked_references(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Dictionary, int, int]]:
    """(type, element, page index, MCID) for every marked-content reference in the tree."""
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
    for kind, element in elements(pdf):
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                yield kind, element, pages[kid.Pg.objgen], int(kid.MCID)
            elif isinstance(kid, int):
                yield kind, element, pages[element.Pg.objgen], int(kid)


def page_mcids(pdf: pikepdf.Pdf) -> Iterator[tuple[int, int]]:
    for n, page in enumerate(pdf.pages):
        for operands, op in pikepdf.parse_content_stream(page, "BDC"):
            if isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                yield n, int(operands[1].MCID)


def structure_text(path: Path) -> str:
    """The text of the structure tree in its order, as poppler reads it (pdfinfo -struct-text)."""
    tree = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True,
                          text=True, check=True).stdout
    return "".join(re.findall(r'^\s*"(.*)"\s*$', tree, re.MULTILINE))


def page_text(path: Path, title: str) -> str:
    """The text on the pages in the order it is drawn (pdftotext -raw), without the running
    header and footer (the title once a page, page numbers, review date): those are artifacts."""
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = []
    for page in text.split("\f"):
        lines = [line for line in page.splitlines() if not re.fullmatch(
            r"Page \d+ of \d+|Review due \d{4}-\d\d-\d\d", line.strip())]
        if title in lines:
            lines.remove(title)
        pages.append("".join(lines))
    return "".join(pages)


def letters(text: str) -> str:
    """Text with ligatures undone and no white space (line breaks fall differently)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def reading_order_match(path: Path, title: str) -> float:
    """How closely the tags' reading order follows the text on the pages (1.0: the same)."""
    return SequenceMatcher(None, letters(structure_text(path)), letters(page_text(path, title)),
                           autojunk=False).ratio()
