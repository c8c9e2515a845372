"""Images measured by their header before anything decodes them.

A 1 MB PNG can declare 60,000 × 60,000 pixels (14 GB once decoded); an SVG can declare any size
or repeat one shape a billion times through nested <use>. The browser engine would decode such
a picture in full, so every image a lesson shows, prints or exports is first measured here —
reading only its header (PNG IHDR, GIF screen and frames, JPEG SOFn, WebP VP8/VP8L/VP8X, BMP,
SVG start tag) — and refused above the limits with a plain reason. `bound_images` turns each
refused <img> of rendered HTML into a labelled placeholder.
"""
from __future__ import annotations

import base64
import binascii
import io
import os
import re
import stat
import struct
import xml.etree.ElementTree as etree
from html import escape, unescape
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, unquote_to_bytes, urlsplit

MAX_IMAGE_BYTES = 10 * 1024 * 1024  # the largest bundled image is far below this
MAX_PIXELS = 40_000_000  # about 160 MB once decoded; a 12-megapixel photo is 4,000 × 3,000
MAX_SVG_BYTES = 2 * 1024 * 1024  # an SVG is read whole to count its shapes
MAX_SVG_ELEMENTS = 50_000  # shapes after expanding <use>
MAX_SVG_DEPTH = 200  # elements and <use> inside one another
MAX_BLOCKS = 100_000  # JPEG segments or GIF sub-blocks walked (255 bytes each)
LIMITS = (f"images are limited to {MAX_IMAGE_BYTES // 2**20} MB and "
          f"{MAX_PIXELS // 1_000_000} megapixels")


class ImageProblem(ValueError):
    """Why an image is not shown."""


def pixels_problem(width: int, height: int, what: str = "image") -> None:
    if width * height > MAX_PIXELS:
        raise ImageProblem(f"the {what} declares {width:,} × {height:,} pixels; {LIMITS}")


def check_png(f: BinaryIO) -> None:
    head = f.read(24)
    if head[12:16] != b"IHDR":
        return  # no decoder draws it: nothing to bound
    pixels_problem(*struct.unpack(">II", head[16:24]))


def check_gif(f: BinaryIO) -> None:
    """The logical screen and every frame (a frame may be larger than the screen)."""
    head = f.read(13)
    if len(head) < 13:
        return
    width, height, flags = struct.unpack("<HHB", head[6:11])
    pixels_problem(width, height)
    if flags & 0x80:
        f.seek(3 << (flags & 7) + 1, io.SEEK_CUR)  # global colour table
    budget = [MAX_BLOCKS]
    while True:
        kind = f.read(1)
        if kind == b"!":  # extension: label, then sub-blocks
            f.read(1)
            skip_sub_blocks(f, budget)
        elif kind == b",":  # image descriptor
            desc = f.read(9)
            if len(desc) < 9:
                return
            frame_w, frame_h, frame_flags = struct.unpack("<HHB", desc[4:9])
            pixels_problem(frame_w, frame_h, "GIF frame")
            if frame_flags & 0x80:
                f.seek(3 << (frame_flags & 7) + 1, io.SEEK_CUR)
            f.read(1)  # LZW code size
            skip_sub_blocks(f, budget)
        else:  # trailer ';', end of file or garbage: the decoder stops here too
            return


def skip_sub_blocks(f: BinaryIO, budget: list[int]) -> None:
    """Skip data sub-blocks (each up to 255 bytes); refuse a file of too many to walk."""
    while True:
        budget[0] -= 1
        if budget[0] < 0:
            raise ImageProblem(f"the GIF has more than {MAX_BLOCKS:,} blocks to measure")
        size = f.read(1)
        if not size or size == b"\0":
            return
        f.seek(size[0], io.SEEK_CUR)


SOF_MARKERS = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # not DHT, JPG or DAC
STANDALONE = {0x01, *range(0xD0, 0xD9)}  # TEM, RSTn, SOI: no length follows


def check_jpeg(f: BinaryIO) -> None:
    """Walk the segments to the first start-of-frame (EXIF and ICC segments come before it)."""
    f.read(2)  # SOI
    for _ in range(MAX_BLOCKS):
        if f.read(1) != b"\xff":
            break
        code = f.read(1)
        for _ in range(64):  # fill bytes before a marker
            if code != b"\xff":
                break
            code = f.read(1)
        if not code or code[0] in STANDALONE:
            if not code:
                break
            continue
        length = f.read(2)
        if len(length) < 2:
            break
        if code[0] in SOF_MARKERS:
            sof = f.read(5)
            if len(sof) < 5:
                break
            height, width = struct.unpack(">HH", sof[1:5])
            pixels_problem(width, height)
            return
        f.seek(struct.unpack(">H", length)[0] - 2, io.SEEK_CUR)
    # no frame header: no decoder draws it


def check_webp(f: BinaryIO) -> None:
    head = f.read(30)
    chunk = head[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
    elif chunk == b"VP8L" and head[20:21] == b"\x2f":
        bits = int.from_bytes(head[21:25], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        width, height = (struct.unpack("<H", head[i:i + 2])[0] & 0x3FFF for i in (26, 28))
    else:
        return
    pixels_problem(width, height)


def check_bmp(f: BinaryIO) -> None:
    head = f.read(26)
    if len(head) < 26:
        return
    width, height = struct.unpack("<ii", head[18:26])
    pixels_problem(abs(width), abs(height))


SVG_START = re.compile(rb"<svg\b([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
LENGTH = re.compile(r"^\s*([0-9.]+(?:e[+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex|)\s*$", re.IGNORECASE)
CSS_PIXELS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
              "in": 96.0, "em": 16.0, "ex": 8.0}


def svg_length(value: str | None) -> float | None:
    """A width or height in CSS pixels; None for percentages, 'auto' and nonsense."""
    m = LENGTH.match(value or "")
    try:
        return float(m.group(1)) * CSS_PIXELS[m.group(2).lower()] if m else None
    except (ValueError, OverflowError):
        return None


def check_svg(data: bytes, shapes: bool = True) -> None:
    if len(data) > MAX_SVG_BYTES:
        raise ImageProblem(f"the SVG is larger than {MAX_SVG_BYTES // 2**20} MB")
    if b"<!ENTITY" in data.upper():
        raise ImageProblem("the SVG declares XML entities, which can repeat text without end")
    start = SVG_START.search(data)
    if not start:
        return
    attrs = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
             for m in ATTRIBUTE.finditer(start.group(1).decode("utf-8", "replace"))}
    width, height = svg_length(attrs.get("width")), svg_length(attrs.get("height"))
    box = (attrs.get("viewbox") or "").replace(",", " ").split()
    view = [svg_length(v) for v in box[2:4]] if len(box) == 4 else []
    if len(view) == 2 and all(view):  # a missing side follows the viewBox's shape (a viewBox
        if width is None and height is not None:  # alone sets no size: the page's width does)
            width = height * view[0] / view[1]
        elif height is None and width is not None:
            height = width * view[1] / view[0]
    if width is not None and height is not None:
        pixels_problem(round(width), round(height), "SVG")
    if shapes:
        count_svg_elements(data)


def count_svg_elements(data: bytes) -> None:
    """Shapes the SVG draws once every <use> is expanded (each <use> repeats its target)."""
    try:
        root = etree.fromstring(data)
    except (etree.ParseError, ValueError):
        return  # the engine shows a broken picture: no cost
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    sizes: dict[int, int] = {}
    open_elements: set[int] = set()

    def size(el: etree.Element, depth: int = 0) -> int:
        key = id(el)
        if key in sizes:
            return sizes[key]
        if key in open_elements:
            raise ImageProblem("the SVG has a <use> that contains itself")
        if depth > MAX_SVG_DEPTH:
            raise ImageProblem(f"the SVG is nested more than {MAX_SVG_DEPTH} levels deep")
        open_elements.add(key)
        total = 1 + sum(size(child, depth + 1) for child in el)
        if el.tag.rsplit("}", 1)[-1] == "use":
            href = el.get("href") or el.get("{http://www.w3.org/1999/xlink}href") or ""
            target = by_id.get(href[1:]) if href.startswith("#") else None
            total += size(target, depth + 1) if target is not None else 0
        open_elements.discard(key)
        if total > MAX_SVG_ELEMENTS:
            raise ImageProblem(f"the SVG draws more than {MAX_SVG_ELEMENTS:,} shapes once its "
                               "<use> elements are expanded")
        sizes[key] = total
        return total

    try:
        size(root)
    except RecursionError:
        raise ImageProblem(f"the SVG is nested more than {MAX_SVG_DEPTH} levels deep") from None


def is_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<") and b"<svg" in head.lower()


def check_stream(f: BinaryIO, size: int, shapes: bool = True) -> None:
    """Raise ImageProblem if the picture in f (of size bytes) is too large or unknown."""
    if size > MAX_IMAGE_BYTES:
        raise ImageProblem(f"the file is {size / 2**20:.1f} MB; {LIMITS}")
    head = f.read(4096)
    f.seek(0)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        check_png(f)
    elif head.startswith((b"GIF87a", b"GIF89a")):
        check_gif(f)
    elif head.startswith(b"\xff\xd8"):
        check_jpeg(f)
    elif head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        check_webp(f)
    elif head.startswith(b"BM"):
        check_bmp(f)
    elif is_svg(head):
        check_svg(f.read(MAX_SVG_BYTES + 1), shapes)
    elif head.startswith(b"\0\0\1\0") or head[4:12] in (b"ftypavif", b"ftypavis", b"ftypheic"):
        raise ImageProblem("edukit cannot measure ICO or AVIF pictures (use PNG, JPEG, GIF, "
                           "WebP or SVG)")
    # anything else is no picture the engine can decode, so it costs nothing to show


def image_problem(path: Path, shapes: bool = True) -> str | None:
    """Why the image file at path must not be shown, or None if it may be.

    Reads the header only; an SVG (at most MAX_SVG_BYTES) is read whole and, unless
    shapes=False (quick enough for the UI thread: about 1 ms), parsed to count its shapes."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return "it is not a regular file"
            check_stream(f, info.st_size, shapes)
    except ImageProblem as exc:
        return str(exc)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    except (struct.error, ValueError, OverflowError):
        return "its header is damaged"
    return None


DATA_URL = re.compile(r"^data:[\w.+/-]*((?:;[\w=.+-]*)*),", re.IGNORECASE)


def data_url_problem(url: str) -> str | None:
    """Why an image given inline as a data: URL must not be shown, or None."""
    url = url.strip()
    m = DATA_URL.match(url)
    if not m:
        return "its inline data is damaged"
    try:
        if ";base64" in m.group(1).lower():
            data = base64.b64decode(unquote(url[m.end():]))
        else:
            data = unquote_to_bytes(url[m.end():])
    except (binascii.Error, ValueError):
        return "its inline data is damaged"
    try:
        check_stream(io.BytesIO(data), len(data))
    except ImageProblem as exc:
        return str(exc)
    except (struct.error, ValueError, OverflowError):
        return "its header is damaged"
    return None


IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
IMG_ATTR = re.compile(r"""\s([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def local_image(folder: Path, src: str) -> Path | None:
    """The file a relative src names inside folder, or None (remote, data:, outside, missing)."""
    if not src or ":" in src.split("/")[0] or src.startswith(("/", "\\", "#")):
        return None
    rel = unquote(urlsplit(src).path)
    try:
        root = folder.resolve()
        target = (root / rel).resolve()
    except (OSError, ValueError, RuntimeError):
        return None
    return target if target.is_relative_to(root) and target.is_file() else None


def src_problem(src: str, folder: Path | None) -> str | None:
    if src.strip().lower().startswith("data:"):
        return data_url_problem(src)
    target = local_image(folder, src) if folder is not None else None
    return image_problem(target) if target is not None else None


def bound_images(html: str, folder: Path | None, seen: dict[str, str | None] | None = None) -> str:
    """Replace each <img> whose picture is too large to decode with a labelled placeholder.
    The HTML is the sanitiser's output (attributes quoted and escaped); `seen` remembers each
    src's answer across calls."""
    if "<img" not in html:
        return html
    seen = {} if seen is None else seen

    def check(m: re.Match) -> str:
        attrs = {a.group(1).lower(): a.group(2) if a.group(2) is not None else a.group(3)
                 for a in IMG_ATTR.finditer(m.group(0))}
        src = unescape(attrs.get("src", ""))
        if src not in seen:
            seen[src] = src_problem(src, folder)
        problem = seen[src]
        if problem is None:
            return m.group(0)
        alt = attrs.get("alt") or "image"  # already escaped in the sanitised HTML
        return (f'<span class="remote-image">[Image not shown: {alt} — '
                f"{escape(problem, quote=False)}]</span>")

    return IMG_TAG.sub(check, html)

