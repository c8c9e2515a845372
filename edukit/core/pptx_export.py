"""An editable PowerPoint deck of a lesson's slides, for teachers who adapt lessons in PowerPoint
or Google Slides.

Built from the same rendered slides the projector shows (render_slides): placeholders filled,
teacher-only blocks already taken out of each slide's HTML, remote images already replaced by
their label. So a pupil-facing slide body can only carry what the projector shows; the notes and
the safeguarding text go to PowerPoint's notes pane, which only the presenter sees. The "Where to
get help" box is drawn from the route directory as slides of its own, never retyped.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree
from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from .help_box import wants_help_box
from .markdown.media import classify_url
from .markdown.routes_block import ROUTES_TITLE
from .model import Module, Route, Slide
from .render import RenderContext, render
from .serving import module_file, own_folder

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)  # 16:9, as projected
MARGIN = Inches(0.6)
BODY_TOP = Inches(1.6)
HELP_SLIDE_NAME = "edukit help box"  # marks the slides drawn from the route directory
ROUTES_PER_SLIDE = 4  # a route is name, what, contacts: four stay readable at the back
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SPACE = re.compile(r"\s+")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff")

# layouts of python-pptx's default template
TITLE_LAYOUT, CONTENT_LAYOUT, TITLE_ONLY_LAYOUT = 0, 1, 5


@dataclass
class Para:
    """One paragraph of a slide body: runs of (text, bold), its list level and list kind."""

    runs: list[tuple[str, bool]]
    level: int = 0
    bullet: str = ""  # "" plain paragraph | "ul" bullet | "ol" numbered

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


@dataclass
class SlideContent:
    title: str = ""
    paras: list[Para] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    images: list[Path] = field(default_factory=list)
    has_routes: bool = False


def clean(text: str) -> str:
    return SPACE.sub(" ", text)


def inline_runs(element) -> list[tuple[str, bool]]:
    """The element's text as runs, bold where <strong>/<b> says so (nested lists left out)."""
    runs: list[tuple[str, bool]] = []

    def walk(el, bold: bool) -> None:
        if el.text:
            runs.append((clean(el.text), bold))
        for child in el:
            if not isinstance(child.tag, str) or child.tag in ("ul", "ol", "table"):
                pass
            elif child.tag == "br":
                runs.append((" ", bold))
            else:
                walk(child, bold or child.tag in ("strong", "b"))
            if child.tail:
                runs.append((clean(child.tail), bold))

    walk(element, False)
    if runs:  # trim the paragraph's outer spaces
        runs[0] = (runs[0][0].lstrip(), runs[0][1])
        runs[-1] = (runs[-1][0].rstrip(), runs[-1][1])
    return [(t, b) for t, b in runs if t]


def list_paras(lst, level: int, out: list[Para]) -> None:
    for item in lst.iterchildren("li"):
        runs = inline_runs(item)
        if runs:
            out.append(Para(runs, level, lst.tag))
        for sub in item.iterchildren("ul", "ol"):
            list_paras(sub, level + 1, out)


def table_rows(table) -> list[list[str]]:
    return [[clean(cell.text_content()).strip() for cell in row.iterchildren("th", "td")]
            for row in table.iter("tr")]


def module_image(src: str, module_path: Path) -> Path | None:
    """A picture the app shows (core.serving's rule: a file in a folder module's own folder,
    never beside a single-file lesson), of a kind PowerPoint reads; anything else is left out."""
    if classify_url(src) != "local":
        return None
    path = module_file(own_folder(module_path), unquote(urlsplit(src).path))
    return path if path and path.suffix.lower() in IMAGE_TYPES else None


def read_blocks(parent, content: SlideContent, module_path: Path) -> None:
    for el in parent.iterchildren():
        if not isinstance(el.tag, str):
            continue
        classes = (el.get("class") or "").split()
        if el.tag in HEADINGS and not content.title:
            content.title = clean(el.text_content()).strip()
        elif el.tag in HEADINGS:
            content.paras.append(Para([(clean(el.text_content()).strip(), True)]))
        elif el.tag in ("ul", "ol"):
            list_paras(el, 0, content.paras)
        elif el.tag == "table":
            content.tables.append(table_rows(el))
        elif el.tag == "img":
            read_image(el, content, module_path)
        elif el.tag == "div" and "routes" in classes:
            content.has_routes = True  # drawn from the route directory on its own slides
        elif el.tag in ("div", "section", "figure", "blockquote"):
            read_blocks(el, content, module_path)
        else:
            for img in el.iter("img"):
                read_image(img, content, module_path)
            runs = inline_runs(el)
            if runs:
                content.paras.append(Para(runs))


def read_image(img, content: SlideContent, module_path: Path) -> None:
    path = module_image(img.get("src", ""), module_path)
    if path:
        content.images.append(path)


def slide_content(html: str, module_path: Path) -> SlideContent:
    content = SlideContent()
    if html.strip():
        read_blocks(lxml.html.fragment_fromstring(html, create_parent="div"), content,
                    module_path)
    return content


def plain_lines(html: str) -> list[str]:
    """HTML (notes, safeguarding) as plain lines for the notes pane; list items indented."""
    content = slide_content(html, Path("none.md"))
    lines = [content.title] if content.title else []
    for p in content.paras:
        prefix = "  " * p.level + ("• " if p.bullet else "")
        lines.append(prefix + p.text)
    for table in content.tables:
        lines += [" | ".join(row) for row in table]
    return lines


def notes_text(slide: Slide) -> str:
    parts = []
    if slide.safeguarding_html:
        parts.append("SAFEGUARDING (read before teaching)\n"
                     + "\n".join(plain_lines(slide.safeguarding_html)))
    if slide.notes_html:
        parts.append("\n".join(plain_lines(slide.notes_html)))
    return "\n\n".join(parts)


# --- writing the deck ------------------------------------------------------------------------

def set_bullet(paragraph, bullet: str) -> None:
    """No bullet for a plain paragraph; numbers for an ordered list; the layout's bullet else."""
    ppr = paragraph._p.get_or_add_pPr()
    for tag in ("a:buNone", "a:buAutoNum", "a:buChar"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    if bullet == "":
        ppr.set("indent", "0")
        ppr.set("marL", "0")
        etree.SubElement(ppr, qn("a:buNone"))
    elif bullet == "ol":
        etree.SubElement(ppr, qn("a:buAutoNum"), type="arabicPeriod")


def body_size(paras: list[Para]) -> Pt:
    chars = sum(len(p.text) for p in paras)
    lines = len(paras) + chars // 70
    return Pt(28 if lines <= 5 else 24 if lines <= 8 else 20 if lines <= 11 else 16)


def fill_body(frame, paras: list[Para]) -> None:
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # PowerPoint shrinks text that overflows
    size = body_size(paras)
    for n, para in enumerate(paras):
        p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        p.level = min(para.level, 8)
        set_bullet(p, para.bullet)
        for text, bold in para.runs:
            run = p.add_run()
            run.text = text
            run.font.bold = bold or None
            run.font.size = size


def add_table(slide, rows: list[list[str]], top: Emu, height: Emu) -> None:
    columns = max(len(r) for r in rows)
    shape = slide.shapes.add_table(len(rows), columns, MARGIN, top,
                                   SLIDE_WIDTH - 2 * MARGIN, height)
    for r, row in enumerate(rows):
        for c in range(columns):
            cell = shape.table.cell(r, c)
            cell.text = row[c] if c < len(row) else ""
            for p in cell.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(16)


def add_picture(slide, path: Path, left: Emu, top: Emu, width: Emu, height: Emu) -> None:
    """The picture scaled to fit the box, keeping its shape."""
    picture = slide.shapes.add_picture(str(path), left, top)
    scale = min(width / picture.width, height / picture.height, 1.0)
    picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)


def content_slide(prs, content: SlideContent) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[CONTENT_LAYOUT])
    slide.shapes.title.text = content.title
    body = slide.placeholders[1]
    area_width, area_height = SLIDE_WIDTH - 2 * MARGIN, SLIDE_HEIGHT - BODY_TOP - MARGIN
    text_height = area_height if content.paras else 0
    if content.tables:
        text_height = area_height * 0.4 if content.paras else 0
    text_width = area_width * (0.55 if content.images else 1)
    if content.paras:
        body.left, body.top, body.width, body.height = MARGIN, BODY_TOP, int(text_width), int(text_height)
        fill_body(body.text_frame, content.paras)
    else:
        body._element.getparent().remove(body._element)  # no empty "Click to add text"
    top = BODY_TOP + int(text_height)
    for rows in content.tables:
        height = int((area_height - text_height) / len(content.tables))
        add_table(slide, rows, top, height)
        top += height
    if content.images:
        left = MARGIN + (int(text_width) + Inches(0.3) if content.paras else 0)
        width = SLIDE_WIDTH - MARGIN - left
        each = int(area_height / len(content.images))
        for n, path in enumerate(content.images):
            add_picture(slide, path, left, BODY_TOP + n * each, width, each)
    return slide


def title_slide(prs, content: SlideContent, subtitle: str):
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    slide.shapes.title.text = content.title
    sub = slide.placeholders[1]
    text = " ".join(p.text for p in content.paras) or subtitle
    if text:
        sub.text = text
    else:
        sub._element.getparent().remove(sub._element)
    return slide


def route_paras(route: Route) -> list[Para]:
    contacts = [f"{label}: {value}" for label, value in
                (("Phone", route.phone), ("Text", route.text), ("Email", route.email)) if value]
    if route.url:
        contacts.append(route.url.removeprefix("https://").removeprefix("www.").rstrip("/"))
    paras = [Para([(route.name, True), (" " + route.what, False)], 0, "ul")]
    if contacts:
        paras.append(Para([("  ·  ".join(contacts), True)], 1, "ul"))
    details = " · ".join(d for d in (route.hours, route.ages) if d)
    if details:
        paras.append(Para([(details, False)], 1, "ul"))
    return paras


def help_slides(prs, routes: list[Route]) -> list:
    """The "Where to get help" box as slides, every route as the directory gives it."""
    slides = []
    pages = [routes[n:n + ROUTES_PER_SLIDE] for n in range(0, len(routes), ROUTES_PER_SLIDE)]
    for n, page in enumerate(pages):
        title = ROUTES_TITLE + (f" ({n + 1} of {len(pages)})" if len(pages) > 1 else "")
        paras = [p for route in page for p in route_paras(route)]
        slide = content_slide(prs, SlideContent(title=title, paras=paras))
        slide._element.cSld.set("name", HELP_SLIDE_NAME)
        for p in slide.placeholders[1].text_frame.paragraphs:
            for run in p.runs:
                run.font.size = Pt(18)
        slides.append(slide)
    return slides


def property_text(value: str) -> str:
    """A file property as Office stores it: XML characters only, at most 255 of them."""
    return CONTROL.sub("", value or "")[:255]


def deck(module: Module, ctx: RenderContext) -> Presentation:
    """The lesson as a Presentation: one PowerPoint slide per lesson slide, the help box as
    slides of its own where the lesson has it (at the end when it has none)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    props = prs.core_properties
    props.title, props.author = property_text(module.meta.title), property_text(ctx.school.name)
    props.subject = property_text(module.meta.summary)
    audience = module.meta.audience or "pupils"
    routes = ctx.routes.for_audience(audience, module.meta.ages) if ctx.routes else []
    helped = False
    for n, slide in enumerate(render(module, "slides", ctx).slides):
        content = slide_content(slide.html, module.path)
        content.title = content.title or slide.title
        if n == 0 and not content.tables and not content.images:
            made = title_slide(prs, content, ctx.school.name)
        else:
            made = content_slide(prs, content)
        notes = notes_text(slide)
        if notes:
            made.notes_slide.notes_text_frame.text = notes
        if content.has_routes and routes:
            help_slides(prs, routes)
            helped = True
    if routes and not helped and wants_help_box(module):
        help_slides(prs, routes)
    return prs


def pptx_bytes(module: Module, ctx: RenderContext) -> bytes:
    out = io.BytesIO()
    deck(module, ctx).save(out)
    return out.getvalue()
