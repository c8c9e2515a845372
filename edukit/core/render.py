"""Module → HTML for each view: lesson, guide, handout and slides. Plain functions, no Qt."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .curriculum import LABELS
from .escape import html_attr, html_text, markdown_line
from .help_box import wants_help_box
from .images import bound_images
from .markdown.blocks import code_lines, outermost, scan_divs
from .markdown.budget import CUT_NOTE, within_budget
from .markdown.slides import find_cuts, heading, split_slides
from .markdown.teacher import (
    ADAPTATIONS,
    HANDOUT_PARTS,
    MARP_FIT,
    NOTES,
    PRINT_ONLY,
    SAFEGUARDING,
    TEACHER_ONLY,
    blocks_text,
    deck_notes_to_blocks,
    marp_comments_to_notes,
    whole_blocks,
    without_blocks,
)
from .model import AUDIENCES, Meta, Module, School, Section, Slide, school_value
from .options import ANSWER_KEY, RESOURCE_LABELS
from .rendered import VIEWS, RenderContext, Rendered
from .resource_parts import (
    ANSWERS,
    FLOWCHART_SLIDE_TITLE,
    flowchart_html,
    flowchart_slide_html,
    letterhead,
    signature,
)
from .sanitize import sanitize
from .slide_fit import fit_slides, slides_section_html

if TYPE_CHECKING:
    from .markdown.converter import Converter

BEFORE_TEACHING = Section("before-you-teach", "Before you teach: safeguarding", 2)
ADAPTING = Section("adapting-the-lesson", "Adapting the lesson: SEND, EAL and stretch", 2)
HIDDEN_ON_SLIDES = TEACHER_ONLY | PRINT_ONLY | {"solution"}
HANDOUT_ORDER = {"handout": 0, "key-messages": 1, "activity": 2, "worksheet": 2}
# The take-home sheet is what a family reads at home, one double-sided sheet: the lesson's own
# take-home text and key messages, then the school's contacts beside the help box. Classroom
# activities and worksheets are done in class: they print as their own kind ("worksheets").
TAKE_HOME = frozenset({"handout", "key-messages"})
CLASSWORK = frozenset({"activity", "worksheet"})
ROUTES = frozenset({"routes"})
# printed in place of the help box when a lesson from outside edukit turns it off
BOX_TURNED_OFF = ('<p class="box-turned-off">This lesson file turned off the help box on '
                  "this handout (handout_routes: false).</p>")


def clean(conv: Converter, html: str) -> str:
    """Content HTML sanitised, then edukit's help boxes put in (content cannot forge them)."""
    return conv.fill_routes(sanitize(html, conv.boxes.secret))


RULE_LINE = re.compile(r"^[^\S\n]*---[^\S\n]*$", re.MULTILINE)  # what slides.rule_lines looks for


def body_lines(module: Module) -> list[str]:
    """The body as every view reads it: each convention's presenter notes made `::: notes`
    blocks (Marp comments, reveal.js `Note:`, Slidev's trailing comments), Marp's `<!-- fit -->`
    dropped from headings, and a title slide in front when the body does not open with one."""
    body = marp_comments_to_notes(module.body) if module.meta.marp else module.body
    lines = within_budget(MARP_FIT.sub("", body).split("\n"))  # bounded before any other pass
    # Only a `---` line can make a deck of rules: without one, no need to find the slides.
    by_rules = False
    text = "\n".join(lines)
    if "---" in text and RULE_LINE.search(text):
        cuts = find_cuts(lines, module.meta.marp)
        by_rules = cuts.by_rules
        if by_rules and not module.meta.marp:
            lines = deck_notes_to_blocks(lines, cuts.starts, code_lines(lines))
    return title_slide(module, lines, by_rules) + lines


def title_slide(module: Module, lines: list[str], by_rules: bool) -> list[str]:
    """Pandoc's and Quarto's title slide from the front matter (title, subtitle, author, date),
    unless the body opens with that title as a `#` heading. Decks split by rules (Marp, Slidev,
    reveal.js) get one only when they have no `#` heading at all, as their own tools show none.
    A resource (letter, form...) whose text has a `#` heading prints that one only."""
    meta = module.meta
    code = code_lines(lines)
    first = next((h for i, line in enumerate(lines) if i not in code and (h := heading(line))), None)
    if meta.title_from == "heading" or (first and first[0] == 1 and same_title(first[1], meta.title)):
        return []
    if meta.is_resource and first and first[0] == 1:
        return []  # a letter or form opens with its own heading; its title heads the page
    if by_rules and any(line.startswith("# ") for i, line in enumerate(lines) if i not in code):
        return []
    out = [f"# {markdown_line(meta.title)}", ""]
    if meta.subtitle:
        out += [f'<p class="subtitle">{html_text(meta.subtitle)}</p>', ""]
    byline = " · ".join(x for x in (meta.author, meta.date) if x)
    if byline:
        out += [f'<p class="byline">{html_text(byline)}</p>', ""]
    return out


def same_title(heading_text: str, title: str) -> bool:
    def words(text: str) -> str:
        return " ".join(re.sub(r"[*_`\\]", "", text).split()).casefold()
    return words(heading_text) == words(title)


def render(module: Module, view: str, ctx: RenderContext) -> Rendered:
    renderers = {"lesson": render_lesson, "guide": render_guide,
                 "handout": render_handout, "worksheets": render_worksheets,
                 "slides": render_slides}
    if view not in renderers:
        raise ValueError(f"unknown view '{view}' (use {', '.join(VIEWS)})")
    if module.meta.is_resource and view != "slides":  # read, printed or on a site: as on paper
        return images_checked(render_resource(module, view, ctx), module)
    return images_checked(renderers[view](module, ctx), module)


def render_resource(module: Module, view: str, ctx: RenderContext,
                    today: dt.date | None = None) -> Rendered:
    """A letter, form, flowchart or quiz (edukit.core.resources) as printed: letterhead, its text, then what its kind adds (the chart, the
    signature line). Only the "guide" view (the trainer's copy) shows a quiz's answers: the
    reading view, the handout and a published site never do."""
    kind = module.meta.kind
    hidden = TEACHER_ONLY | (ANSWERS if view != "guide" else frozenset())
    conv = ctx.converter(module)
    lines = without_blocks(body_lines(module), hidden)
    html = clean(conv, conv.convert("\n".join(lines)))
    if kind == "flowchart":
        html += flowchart_html(module)
    if kind == "letter":
        html += signature(ctx.school)
    if view == "guide":
        html += sources_list(module)
    head = letterhead(ctx.school, today or dt.date.today())
    label = RESOURCE_LABELS.get(kind, kind) + (ANSWER_KEY if view == "guide" and kind == "quiz"
                                               else "")
    body = (f'<article class="resource kind-{kind}"><p class="resource-kind">'
            f"{html_text(label)}</p>{head}{html}</article>")
    return Rendered(module.id, module.meta.title, view, body, tuple(conv.sections()))


def images_checked(rendered: Rendered, module: Module) -> Rendered:
    """Every picture too large to decode becomes a labelled placeholder, in every view and so
    in every print and export (each file's header is read once)."""
    seen: dict[str, str | None] = {}
    slides = tuple(replace(s, html=bound_images(s.html, module.folder, seen),
                           notes_html=bound_images(s.notes_html, module.folder, seen),
                           safeguarding_html=bound_images(s.safeguarding_html, module.folder, seen))
                   for s in rendered.slides)
    return replace(rendered, html=bound_images(rendered.html, module.folder, seen), slides=slides)


def render_lesson(module: Module, ctx: RenderContext) -> Rendered:
    """What pupils may see: everything but teacher-only and print-only blocks, with a short
    header under the title (ages, duration)."""
    conv = ctx.converter(module)
    lines = without_blocks(body_lines(module), TEACHER_ONLY | PRINT_ONLY)
    html = under_title(clean(conv, conv.convert("\n".join(lines))), lesson_facts(module.meta))
    return Rendered(module.id, module.meta.title, "lesson", html, tuple(conv.sections()))


FOR_AUDIENCE = {"staff": "For staff", "parents": "For parents and carers"}


def lesson_facts(meta: Meta) -> str:
    """Who the lesson is for and how long it takes, in one short line ("" if neither is known)."""
    facts = [f"Ages {meta.ages}" if meta.ages else FOR_AUDIENCE.get(meta.audience or "", ""),
             f"{meta.duration_text()} minutes" if meta.duration else ""]
    text = " · ".join(html_text(fact) for fact in facts if fact)
    return f'<p class="lesson-facts">{text}</p>' if text else ""


def under_title(html: str, header: str) -> str:
    """The header right after the lesson's title (the first <h1>), or first if there is none."""
    end = html.find("</h1>")
    return html[: end + 5] + header + html[end + 5:] if end >= 0 else header + html


def render_guide(module: Module, ctx: RenderContext) -> Rendered:
    """The teacher guide: safeguarding first, then the whole lesson with its notes."""
    conv = ctx.converter(module)
    lines = body_lines(module)
    divs = scan_divs(lines)
    safeguarding = whole_blocks(lines, SAFEGUARDING, divs)
    adaptations = whole_blocks(lines, ADAPTATIONS, divs)
    rest = without_blocks(lines, SAFEGUARDING | ADAPTATIONS, divs)
    title, rest = title_first(rest)
    parts = [conv.convert(title)] if title else []
    first = list(conv.sections()) if title else []  # the lesson's title heads page 1
    parts.append(guide_header(module, ctx.school))
    for section, text, css in ((BEFORE_TEACHING, safeguarding, "before-teaching"),
                               (ADAPTING, adaptations, "adapting")):
        if text:  # read before teaching: first, after the lesson's facts
            parts.append(guide_section(section, css, conv.convert(text)))
            first.append(section)
    parts.append(conv.convert("\n".join(rest)))
    sections = (*first, *conv.sections())
    parts.append(sources_list(module))
    return Rendered(module.id, module.meta.title, "guide", clean(conv, "\n".join(parts)), sections)


def guide_section(section: Section, css: str, html: str) -> str:
    return (f'<section class="{css}"><h2 class="guide-heading" id="{section.id}">'
            f"{section.title}</h2>{html}</section>")


def render_handout(module: Module, ctx: RenderContext) -> Rendered:
    """The take-home sheet: the take-home text, key messages, then the school's contacts and
    the help box together (on paper they keep together, so the contacts sit beside the box).
    The help box always stands on its own at the end, outside any block or raw HTML of the
    lesson's (a lesson cannot fold it away inside <details> or another box)."""
    conv = ctx.converter(module)
    lines = without_blocks(body_lines(module), TEACHER_ONLY)
    routes = handout_routes(conv, module, lines)
    lines = without_blocks(lines, ROUTES)
    divs = scan_divs(lines)
    picked = "\n\n".join(text for _, text in handout_blocks(lines, divs, TAKE_HOME))
    if not picked:  # a lesson written without take-home blocks: its classwork, else all of it
        picked = "\n\n".join(text for _, text in handout_blocks(lines, divs, CLASSWORK))
    if picked and CUT_NOTE in lines:  # the handout too says where the lesson stopped
        picked += "\n\n" + CUT_NOTE
    title = f"# {markdown_line(module.meta.title)}\n\n"  # the summary is for teachers
    text = title + picked if picked else "\n".join(lines)
    html = clean(conv, conv.convert(text))
    sections = tuple(conv.sections())
    contacts = school_contacts(ctx.school, module.meta.audience)  # edukit's, after sanitising
    return Rendered(module.id, module.meta.title, "handout",
                    html + f'<div class="help-side">{contacts}{routes}</div>', sections)


def render_worksheets(module: Module, ctx: RenderContext) -> Rendered:
    """The lesson's classroom activities and worksheets (with Name/Class/Date and answer
    lines), printed for the class; no teacher notes, no take-home text."""
    conv = ctx.converter(module)
    lines = without_blocks(body_lines(module), TEACHER_ONLY | ROUTES)
    picked = "\n\n".join(text for _, text in handout_blocks(lines, scan_divs(lines), CLASSWORK))
    if picked and CUT_NOTE in lines:  # the class's copy too says where the lesson stopped
        picked += "\n\n" + CUT_NOTE
    # a lesson written without activity or worksheet blocks prints whole, as its handout does
    text = f"# {markdown_line(module.meta.title)}\n\n{picked}" if picked else "\n".join(lines)
    html = clean(conv, conv.convert(text))
    return Rendered(module.id, module.meta.title, "worksheets", html, tuple(conv.sections()))


def handout_routes(conv: Converter, module: Module, lines: list[str]) -> str:
    """A box for each of the lesson's own routes blocks (their intro text inside it), or the
    default box unless the front matter says `handout_routes: false`."""
    audience = module.meta.audience or "pupils"
    found = outermost(scan_divs(lines), ROUTES)
    if not found and module.meta.handout_routes is False:
        return "" if module.origin == "bundled" else BOX_TURNED_OFF
    if not found and not wants_help_box(module):
        return ""  # not about safety (validate says so every time)
    if not found:
        return routes_box(conv, audience)
    return "".join(
        routes_box(conv, d.attr("for") if d.attr("for") in AUDIENCES else audience,
                   "\n".join(lines[d.start + 1:d.end if d.end is not None else len(lines)]))
        for d in found)


def routes_box(conv: Converter, audience: str, intro: str = "") -> str:
    """edukit's box, from a block edukit writes, with the lesson's intro text rendered apart:
    broken HTML in the intro (an unclosed <div>) cannot swallow the box."""
    box = clean(conv, conv.convert(f"::: {{.routes for={audience}}}\n:::\n"))
    if intro.strip():
        end = box.rindex("</div>")
        box = box[:end] + clean(conv, conv.convert(intro)) + box[end:]
    return box


def handout_blocks(lines: list[str], divs,
                   names: frozenset[str] = HANDOUT_PARTS - ROUTES) -> list[tuple[str, str]]:
    """The blocks with these names as (name, Markdown), in reading order for a printed sheet:
    the take-home text, key messages, activities and worksheets (the routes box comes last)."""
    top = outermost(divs, names)
    top.sort(key=lambda d: HANDOUT_ORDER[d.name])  # stable: document order within a kind
    return [(d.name, whole_blocks(lines, frozenset({d.name}), [d])) for d in top]


def slide_sources(module: Module) -> list:
    """The module's slides as Markdown, split by its own convention."""
    return split_slides("\n".join(body_lines(module)), module.meta.marp)


def render_slides(module: Module, ctx: RenderContext) -> Rendered:
    """One <section class="slide"> per slide; notes and safeguarding kept apart for the presenter."""
    conv = ctx.converter(module)
    slides = []
    for n, source in enumerate(slide_sources(module)):
        lines = source.text.split("\n")
        divs = scan_divs(lines)
        visible = clean(conv, conv.convert("\n".join(without_blocks(lines, HIDDEN_ON_SLIDES, divs))))
        notes = "\n\n".join(text for _, text in blocks_text(lines, NOTES, divs))
        guard = "\n\n".join(text for _, text in blocks_text(lines, SAFEGUARDING, divs))
        slides.append(Slide(
            index=n,
            title=source.title,
            html=visible,
            notes_html=clean(conv, conv.convert(notes)) if notes else "",
            safeguarding_html=clean(conv, conv.convert(guard)) if guard else "",
        ))
    if module.meta.kind == "flowchart":  # a DSL presents the chart itself at a training
        slides.append(Slide(index=len(slides), title=FLOWCHART_SLIDE_TITLE,
                            html=flowchart_slide_html(module)))
    shown = fit_slides(tuple(slides), ctx.fit)[0] if ctx.fit else tuple(slides)
    return Rendered(module.id, module.meta.title, "slides", slides_section_html(shown), slides=shown)


def title_first(lines: list[str]) -> tuple[str, list[str]]:
    """The lesson's `# title` line and the other lines: the guide prints the title above its
    facts box, so page 1 says which lesson it is."""
    for n, line in enumerate(lines):
        if line.startswith("# "):
            return line, lines[:n] + lines[n + 1:]
        if line.strip() and not line.startswith("<!--"):
            break
    return "", lines


def url_breaks(url: str) -> str:
    """An address as escaped HTML that may wrap after / ? & = + (a <wbr> there), so a printed
    address breaks between its parts, never inside a word."""
    out = html_text(url)
    for mark in ("/", "?", "&amp;", "=", "+"):
        out = out.replace(mark, mark + "<wbr>")
    return out.replace("/<wbr>/<wbr>", "//")  # not inside "https://"


def guide_contacts(school: School) -> str:
    """Who a teacher reports to, on the guide's first page: the DSL, the deputy and the local
    contacts (LADO, children's social care) the school has set."""
    dsl = html_text(school_value(school, "dsl_name"))
    if school.dsl_contact:
        dsl += f" ({html_text(school.dsl_contact)})"
    if school.deputy_dsl_name:
        dsl += f"; deputy: {html_text(school.deputy_dsl_name)}"
    # straight away, never "the same day": images and sextortion cannot wait (issue 14)
    lines = [f"Report any concern straight away to {dsl}.", *staff_contact_lines(school)]
    return ('<div class="block school-contacts guide-contacts">'
            + "".join(f"<p>{line}</p>" for line in lines) + "</div>")


def guide_header(module: Module, school: School) -> str:
    m = module.meta
    facts = [("Audience", m.audience and m.audience.capitalize()), ("Ages", m.ages),
             ("Key stage", m.key_stage), ("Duration", m.duration and f"{m.duration_text()} minutes"),
             ("Review due", m.review_due_on() and m.review_due_on().isoformat())]
    facts += [(LABELS[framework], "; ".join(names)) for framework, names in m.curriculum]
    rows = "".join(f"<dt>{k}</dt><dd>{html_text(str(v))}</dd>" for k, v in facts if v)
    out = f'<header class="guide-header"><p class="guide-label">Teacher guide</p><dl>{rows}</dl>'
    out += guide_contacts(school)
    if m.objectives:
        out += "<h3>Learning objectives</h3><ul>" + "".join(
            f"<li>{html_text(o)}</li>" for o in m.objectives) + "</ul>"
    if m.vocabulary:
        words = html_text(", ".join(m.vocabulary))
        out += f'<p class="vocabulary"><strong>Key words:</strong> {words}</p>'
    return out + "</header>"


def sources_list(module: Module) -> str:
    if not module.meta.sources:
        return ""
    items = "".join(f'<li>{html_text(s.title)} — '
                    f'<a href="{html_attr(s.url)}">{url_breaks(s.url)}</a></li>'
                    for s in module.meta.sources)
    return f'<section class="sources"><h2>Sources</h2><ul>{items}</ul></section>'


def phone_text(number: str) -> str:
    """A phone number that never breaks across lines on paper."""
    return f'<span class="phone">{html_text(number)}</span>'


def staff_contact_lines(school: School) -> list[str]:
    """The local contacts staff need beyond the DSL, as far as the school has set them."""
    lines = []
    if school.lado:
        lines.append("An allegation about an adult working with children: the Local Authority "
                     f"Designated Officer (LADO), {phone_text(school.lado)}.")
    if school.social_care:
        lines.append(f"Children's social care (MASH): {phone_text(school.social_care)}.")
    if school.social_care_out_of_hours:
        lines.append("Out of hours (evenings, weekends, holidays): "
                     f"{phone_text(school.social_care_out_of_hours)}.")
    return lines


def school_contacts(school: School, audience: str | None = "pupils") -> str:
    """Who to talk to at school, in words for the handout's readers; reads naturally when no
    details are set."""
    where = f"At {html_text(school.name)}" if school.name else "At school"
    where = f"<strong>{where}</strong>"
    dsl = (f"{html_text(school.dsl_name)}, the Designated Safeguarding Lead" if school.dsl_name
           else "your Designated Safeguarding Lead")
    if school.dsl_contact:
        dsl += f" ({html_text(school.dsl_contact)})"
    if school.deputy_dsl_name:
        dsl += f", or to {html_text(school.deputy_dsl_name)}, the Deputy Designated Safeguarding Lead"
    opening = {"staff": "report any concern about a child straight away to",
               "parents": "if you are worried about your child, talk to"}
    text = f"{where}, {opening.get(audience or '', 'you can talk to any trusted adult, or to')} {dsl}"
    if audience == "parents" and school.phone:
        text += f". The school's phone number is {phone_text(school.phone)}"
    more = "".join(f"<p>{line}</p>" for line in staff_contact_lines(school)) if audience == "staff" else ""
    return f'<div class="block school-contacts"><p>{text}.</p>{more}</div>'
