"""Print pages: handouts, guides, notes pages, slides and n-up slide handouts as HTML for paper.

Headers and footers (module title, school, page X of Y, review date) are CSS @page margin
boxes, so Chromium's PDF printer draws them on every page.
"""
from __future__ import annotations

import re

from .escape import css_string, html_text
from .logo import logo_html
from .model import Module, School, Slide
from .options import (  # noqa: F401  (also named here: tests and callers import them from here)
    KIND_LABELS,
    KINDS,
    PAPER,
    PER_PAGE,
    STAFF_KINDS,
    PrintOptions,
    options_from_query,
    print_query,
)
from .pages import page_html
from .paths import resources_dir
from .rendered import RenderContext, Rendered
from .table_size import SIZE, fits_whole

PUPIL_READS = ("handout", "worksheets")  # paper children read themselves
PAPER_MM = {"a4": (210, 297), "letter": (215.9, 279.4)}


def page_margins(options: PrintOptions) -> tuple[int, int, int, int]:
    """Page margins in mm (left, top, right, bottom), where the running header and footer are
    drawn. A take-home sheet or leaflet is one double-sided sheet and a lesson plan one page, so
    they give the text a little more of the page; large print keeps the wider margins its 18pt
    header and footer need."""
    if options.kind in ("handout", "parents", "plan") and not options.large_print:
        return (11, 13, 11, 14)
    if options.kind == "plan":  # room above for a long title's two lines at 18pt, one below
        return (11, 16, 11, 14)
    return (14, 16, 14, 18)


def text_width_mm(options: PrintOptions) -> float:
    """The width the page's text is set in, between the left and right margins."""
    width, height = PAPER_MM.get(options.paper, PAPER_MM["a4"])
    left, _, right, _ = page_margins(options)
    return (height if options.landscape else width) - left - right


def whole_word_tables(html: str, module: Module, options: PrintOptions, font: str,
                      spacing: str) -> str:
    """Mark `whole` each table that surely fits this paper with every word whole, so none is
    broken (edukit.core.markdown.tables); a slide's tables stay as on the projector."""
    if options.kind in ("notes", "slides", "nup"):
        return html
    width, body_pt = text_width_mm(options), float(body_size(module, options).removesuffix("pt"))

    def mark(m: re.Match) -> str:
        size = (int(m.group(1)), int(m.group(2)), float(m.group(3)))
        whole = fits_whole(size, width, body_pt, font, spacing, options.large_print)
        return m.group(0) + "whole " if whole else m.group(0)
    return SIZE.sub(mark, html)


def is_staff_material(module: Module, kind: str) -> bool:
    """Guides and notes pages, and anything of a staff module. Families read a review date on
    a take-home sheet or a slide as an expiry date, so only staff paper carries it."""
    return kind in STAFF_KINDS or module.meta.audience == "staff"


def body_size(module: Module, options: PrintOptions) -> str:
    """The reading size on paper: 11pt; 12pt on what children of 8-11 read themselves;
    18pt in large print (the size large-print guidance starts at)."""
    if options.large_print:
        return "18pt"
    young = module.meta.ages == "8-11" and options.kind in PUPIL_READS
    return "12pt" if young else "11pt"


def page_rules(module: Module, school: School, options: PrintOptions) -> str:
    """@page size, margins and the running header and footer."""
    size = PAPER.get(options.paper, "A4") + (" landscape" if options.landscape else "")
    due = (module.meta.review_due_on()
           if is_staff_material(module, options.kind) and options.kind != "certificate" else None)
    review = f"Review due {due.isoformat()}" if due else ""
    small, smaller = ("18pt", "18pt") if options.large_print else ("9pt", "8pt")
    left, top, right, bottom = page_margins(options)
    return f"""
@page {{ size: {size}; margin: {top}mm {right}mm {bottom}mm {left}mm;
  @top-left {{ content: {css_string(module.meta.title)}; font: {small} sans-serif; color: #444; }}
  @top-right {{ content: {css_string(school.name or "")}; font: {small} sans-serif; color: #444; }}
  @bottom-left {{ content: {css_string(review)}; font: {smaller} sans-serif; color: #555; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font: {small} sans-serif; }}
}}
html {{ font-size: {body_size(module, options)}; }}
{large_print_rules(options)}"""


def large_print_rules(options: PrintOptions) -> str:
    if not options.large_print:
        return ""
    return LARGE_PRINT + (LARGE_PRINT_PLAN if options.kind == "plan" else "")


# In large print no help box fits on one page: it runs on, one column, a route never split
# (rather than leave the rest of a page empty, then break anyway). No text is smaller than the
# body: labels, fine print, link addresses and the page furniture are 18pt too.
LARGE_PRINT = """@media print {
  .help-side, .routes, .routes:has(.route:nth-child(8)) { break-inside: auto; page-break-inside: auto; font-size: 1em; }
  .route-list { column-count: auto; }  /* one column, and no multicol box to break before */
  .notes-page:first-child .slide-notes { font-size: 1rem; }  /* 18pt here too */
  .block::before, .route-details, a.external::after, .slide-number, .notes-continued,
  .print-title, small, sub, sup, code, pre, .vocabulary, .guide-label, dt, dd,
  figcaption, th, td { font-size: max(1rem, 1em); }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
}
"""

# A lesson plan in large print runs on to a second or third page, and no page holds only a
# leftover such as the stretch task alone, with no text set smaller. Its differentiation notes
# take the full width under their labels (fewer lines; with narrower side margins, 13 of 19
# bundled plans fit two A4 pages, 5 before). The differentiation and safeguarding notes move
# whole to the next page rather than split; in OpenDyslexic, where they are longer than a page,
# only their last rows keep together: the key words, the stretch task and the safeguarding notes.
# A list keeps no column box here (.kind-plan ul): a heading would not keep with it.
LARGE_PRINT_PLAN = """@media print {
  .kind-plan ul { columns: auto; }  /* no column box: a heading keeps with its list */
  .plan-adaptations { display: block; }
  .plan-adaptations .plan-row { display: block; }
  .plan-adaptations dt { float: left; margin-right: 3mm; }
  .plan-adaptations dd { margin: 0 0 1mm; }
  .plan-adaptations dd::after { content: ""; display: block; clear: both; }
  .plan-send li, .plan-row:not(:first-child), .plan-safeguarding { break-inside: avoid; page-break-inside: avoid; }
  .plan-row:last-child, .plan-adaptations + h2 { break-before: avoid; page-break-before: avoid; }
  body:not(.font-dyslexic) .plan-tail { break-inside: avoid; page-break-inside: avoid; }
}
"""


def slide_frame(html: str, classes: str = "") -> str:
    return (f'<div class="slide-frame"><section class="slide current{" " + classes if classes else ""}">'
            f'{html}</section></div>')


# --- printed slides look like projected ones --------------------------------------------
# The projector's slides.css sizes everything in rem, with the root font a fixed share of the
# slide's width. On paper the root font is the page's, so its rules (and base.css rules with
# rem that slides inherit) are restated inside each .slide-frame with rem and the slide unit
# taken from the frame's width (cqw): the same slide, only smaller or larger.
SLIDE_SCOPE = ".slide-frame .slide"
REM = re.compile(r"(?<![\w.-])(\d*\.?\d+)rem\b")
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
PAGE_ONLY = re.compile(r"^(html|body|:root)\b|\.page\b|\.view-")


def css_rules(css: str) -> list[tuple[list[str], str]]:
    """Top-level style rules as (selectors, declarations); at-rules (@media …) are left out."""
    rules, depth, start, selector = [], 0, 0, ""
    css = COMMENT.sub("", css)
    for n, char in enumerate(css):
        if char == "{":
            if depth == 0:
                selector, start = css[start:n].strip(), n + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                if not selector.startswith("@"):
                    rules.append((selector_list(selector), css[start:n].strip()))
                start = n + 1
    return rules


def selector_list(text: str) -> list[str]:
    """Split a selector list at its top-level commas (not those inside :has(…) or :is(…))."""
    parts, depth, start = [], 0, 0
    for n, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(text[start:n].strip())
            start = n + 1
    return [*parts, text[start:].strip()]


def slide_sized(declarations: str, rem: str) -> str:
    """Lengths the screen gives in rem or in the slide unit, in the printed frame's units."""
    declarations = declarations.replace("var(--u)", "1cqw")
    return REM.sub(lambda m: f"calc({m.group(1)} * {rem})", declarations)


def scoped(selectors: list[str]) -> list[str]:
    """A selector as it applies inside a printed slide; page-level ones are dropped."""
    return [s if s.startswith(SLIDE_SCOPE) else
            f".slide-frame {s}" if s.startswith(".slide") else f"{SLIDE_SCOPE} {s}"
            for s in selectors if not PAGE_ONLY.search(s)]


def paper_slide_css(base_css: str, slides_css: str) -> str:
    """slides.css (and base.css's rem rules) restated for slides printed in a .slide-frame."""
    root = dict(decl.split(":", 1) for sel, body in css_rules(slides_css) if sel == ["html"]
                for decl in (d.strip() for d in body.split(";")) if ":" in decl)
    rem = slide_sized(root.get("font-size", "calc(2.45 * var(--u))").strip(), "1rem")
    out = [f"{SLIDE_SCOPE} {{ font-size: {rem}; line-height: {root.get('line-height', '1.38').strip()}; }}"]
    for css, only_rem in ((base_css, True), (slides_css, False)):
        for selectors, body in css_rules(css):
            kept = scoped(selectors)
            if kept and (not only_rem or REM.search(body)):
                out.append(f"{', '.join(kept)} {{ {slide_sized(body, rem)} }}")
    return "\n".join(out)


def slide_css() -> str:
    css = resources_dir() / "css"
    return paper_slide_css((css / "base.css").read_text(encoding="utf-8"),
                           (css / "slides.css").read_text(encoding="utf-8"))


def notes_pages(slides: Rendered) -> str:
    """One slide and its notes per page; a slide continued on more slides (edukit.core.slide_fit)
    prints all its parts on one page and its notes once, not again under each part. Each page
    is a one-column table whose header says "Slide N notes (continued)": Chromium repeats a
    table header on every printed page the table runs onto, and on the first page the header
    sits above the page's top edge (the table is pulled up by the header's height), so only
    continuation pages show it."""
    total = len(slides.slides)
    return "\n".join(notes_page(group, total) for group in slide_groups(slides.slides))


def slide_groups(slides: tuple[Slide, ...]) -> list[list[Slide]]:
    """The slides as written: each with the continuation slides it was cut into."""
    groups: list[list[Slide]] = []
    for s in slides:
        if s.part and groups:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups


def notes_page(group: list[Slide], total: int) -> str:
    """The page of one slide as written: its parts as shown, then its notes (the first part's:
    the continuations' repeat them for the presenter console)."""
    first, last = group[0].index + 1, group[-1].index + 1
    label = f"Slide {first} of {total}" if first == last else f"Slides {first}–{last} of {total}"
    written = group[0]
    notes = written.safeguarding_html and (
        f'<div class="block safeguarding">{written.safeguarding_html}</div>')
    notes += written.notes_html or '<p class="no-notes">No notes for this slide.</p>'
    frames = "".join(slide_frame(s.html, s.classes) for s in group)
    parts = f" parts-{min(len(group), 3)}" if len(group) > 1 else ""
    return (f'<section class="print-page notes-page{parts}"><table class="notes-sheet">'
            f'<thead><tr><th><p class="notes-continued">{label} notes '
            f'(continued)</p></th></tr></thead><tbody>'
            f'<tr><td><p class="slide-number">{label}</p>'
            f'<div class="notes-slides">{frames}</div></td></tr>'
            f'<tr><td><div class="slide-notes">{notes}</div></td></tr></tbody></table></section>')


def slide_pages(slides: Rendered) -> str:
    return "\n".join(f'<section class="print-page slide-page">{slide_frame(s.html, s.classes)}</section>'
                     for s in slides.slides)


NOTE_LINES = {2: 6, 3: 6, 4: 10, 6: 3}  # ruled lines under (or beside) each slide: what fits


def nup_pages(slides: Rendered, per_page: int) -> str:
    pages, items = [], list(slides.slides)
    lines = "<span></span>" * NOTE_LINES.get(per_page, 6)
    for start in range(0, len(items), per_page):
        cells = "".join(
            f'<div class="nup-cell">{slide_frame(s.html, s.classes)}'
            f'<div class="note-lines" aria-label="Notes">{lines}</div></div>'
            for s in items[start:start + per_page])
        pages.append(f'<section class="print-page nup-page per-{per_page}">{cells}</section>')
    return "\n".join(pages)


def topic_labels() -> dict[str, str]:
    from .library import load_topic_labels
    from .paths import content_dir

    return load_topic_labels(content_dir() / "topics.yaml")


def print_body(module: Module, ctx: RenderContext, options: PrintOptions) -> Rendered:
    # The renderer (Python-Markdown, the sanitiser, the QR encoder) loads only when a page is
    # rendered: page_margins and the options are all a PDF maker needs otherwise.
    from .leaflet import render_leaflet
    from .render import render
    from .resources import (
        render_certificates,
        render_lesson_letter,
        render_lesson_plan,
        render_register,
    )

    if options.kind in ("handout", "guide", "worksheets"):
        return render(module, options.kind, ctx)
    if options.kind == "parents":
        return render_leaflet(module, ctx)
    if options.kind == "letter":
        return render_lesson_letter(module, ctx)
    if options.kind == "plan":
        return render_lesson_plan(module, ctx, topic_labels())
    if options.kind == "register":
        return render_register(module, ctx)
    if options.kind == "certificate":
        return render_certificates(module, ctx, options.names)
    slides = render(module, "slides", ctx)
    body = {"notes": lambda: notes_pages(slides), "slides": lambda: slide_pages(slides),
            "nup": lambda: nup_pages(slides, options.per_page)}[options.kind]()
    title = f'<h1 class="print-title">{html_text(module.meta.title)}</h1>'
    header = title if options.kind == "nup" else ""
    return Rendered(module.id, module.meta.title, options.kind, header + body)


def print_page(module: Module, ctx: RenderContext, options: PrintOptions,
               css_base: str | None = None, font: str = "default",
               spacing: str = "normal") -> str:
    """A complete HTML page laid out for paper, in the reader's font and line spacing."""
    if options.kind not in KINDS:
        raise ValueError(f"unknown print kind '{options.kind}' (use {', '.join(KINDS)})")
    rendered = print_body(module, ctx, options)
    html = page_html(rendered, css_base=css_base, print_kind=options.kind, font=font,
                     spacing=spacing,
                     extra_class=f"print paper-{options.paper}")
    if options.kind in ("handout", "guide", "parents", "worksheets", "letter", "plan", "register",
                        "certificate"):
        html = html.replace('<main class="page">', '<main class="page">'
                            + logo_html(ctx.school.logo), 1)
    html = whole_word_tables(html, module, options, font, spacing)
    rules = page_rules(module, ctx.school, options)
    if options.kind in ("notes", "slides", "nup"):
        rules += slide_css()
    return html.replace("</head>", f"<style>{rules}</style></head>", 1)
