"""Images and links: remote images become labelled placeholders, paths stay in the module."""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import unquote, urlsplit

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from ..serving import image_type, inside_path

WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
LINK_SCHEMES = ("http", "https", "mailto", "tel")
# Marp's background pictures: `![bg]`, `![bg left:40% contain](x.png)`; the words after `bg`
# size and place it. edukit shows it behind the slide, or beside the text for left/right.
MARP_BG = re.compile(r"^bg(\s|$)", re.IGNORECASE)
MARP_BG_WORD = re.compile(r"^(bg|left|right|top|bottom|vertical|contain|cover|fit|auto|"
                          r"\d+(\.\d+)?%|(left|right|top|bottom):\d+(\.\d+)?%|"
                          r"[a-z-]+:\S+|[a-z-]+\(\S*\))$", re.IGNORECASE)


def classify_url(url: str) -> str:
    """'anchor', 'remote', 'local', 'outside' (leaves the module folder) or 'bad' (scheme)."""
    url = url.strip()
    if not url or url.startswith("#"):
        return "anchor"
    if WINDOWS_DRIVE.match(url) or url.startswith(("\\", "/")):
        return "outside"
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        return "remote"
    if scheme in ("mailto", "tel"):
        return "link"
    if scheme:
        return "bad"
    path = unquote(urlsplit(url).path)
    if path and inside_path(path.replace("\\", "/")) is None:
        return "outside"  # '..', a dotfile, a control character: nothing a lesson may name
    return "local"


def remote_image_placeholder(img: etree.Element) -> etree.Element:
    span = etree.Element("span", {"class": "remote-image"})
    alt = img.get("alt") or "image"
    span.text = f"[Image not shown: {alt} — edukit never loads pictures from the internet]"
    return span


class MediaTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for i, child in enumerate(list(parent)):
                if child.tag == "img":
                    self.check_image(parent, i, child)
                elif child.tag == "a":
                    self.check_link(child)

    def check_image(self, parent: etree.Element, index: int, img: etree.Element) -> None:
        src = img.get("src", "")
        kind = classify_url(src)
        background = marp_background(img)
        if kind == "local" and image_type(unquote(urlsplit(src).path)):
            return
        if background and kind == "remote":  # decoration from the web: left out, not boxed
            parent.remove(img)
            return
        replacement = remote_image_placeholder(img)
        alt = img.get("alt") or "image"
        if kind == "local":  # a key, a page, a document: only pictures are shown
            replacement.text = f"[Image not shown: {alt} — not a picture]"
        elif kind != "remote":
            replacement.text = f"[Image not shown: {alt} — outside the module]"
        replacement.tail = img.tail
        parent.remove(img)
        parent.insert(index, replacement)

    def check_link(self, a: etree.Element) -> None:
        kind = classify_url(a.get("href", ""))
        if kind in ("remote", "link"):
            a.set("class", (a.get("class", "") + " external").strip())
        elif kind in ("outside", "bad"):
            del a.attrib["href"]


def marp_background(img: etree.Element) -> bool:
    """Mark a Marp `![bg ...]` picture (class bg-picture, or bg-side for `bg left|right`) and
    keep only the words of its alt text that describe it; True if it was one."""
    alt = img.get("alt") or ""
    if not MARP_BG.match(alt):
        return False
    words = alt.split()
    side = any(w.lower().split(":")[0] in ("left", "right") for w in words)
    img.set("class", "bg-side" if side else "bg-picture")
    img.set("alt", " ".join(w for w in words if not MARP_BG_WORD.match(w)) or "Background picture")
    return True


class DecorativeTreeprocessor(Treeprocessor):
    """A picture marked decorative (`{.decorative}`, docs/authoring.md) has an empty alt, so
    screen readers skip it; runs after attr_list has set the class."""

    def run(self, root: etree.Element) -> None:
        for img in root.iter("img"):
            if "decorative" in (img.get("class") or "").split():
                img.set("alt", "")


class MediaExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.treeprocessors.register(MediaTreeprocessor(md), "edukit_media", 14)
        md.treeprocessors.register(DecorativeTreeprocessor(md), "edukit_decorative", 7)


def makeExtension(**kwargs) -> MediaExtension:
    return MediaExtension(**kwargs)
