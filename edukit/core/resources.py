"""Resources a safeguarding lead prints around lessons (issue 15): letters home, a decision
flowchart, an incident record form, a staff knowledge check. Each is a module whose front
matter says `kind:`; it prints through the same pipeline as a lesson, on one page, with the
school's details: its name, the DSL, the date and, on a letter, a line to sign.

The handout of a resource is the copy handed out (a quiz without its answers); the guide is
the DSL's or trainer's copy (with them).
"""
from __future__ import annotations

import datetime as dt
import re
from html import unescape

from .adaptations import find_adaptations
from .curriculum import LABELS as FRAMEWORK_LABELS
from .escape import html_text, markdown_line
from .markdown import Converter
from .markdown.blocks import scan_divs
from .markdown.teacher import SAFEGUARDING, blocks_text
from .model import Module, School
from .render import (
    RenderContext,
    Rendered,
    body_lines,
    clean,
    images_checked,
    render_resource,
)
from .resource_parts import BLANK, letterhead, long_date, signature


def lesson_letter_markdown(module: Module) -> str:
    """Advance notice of a lesson, for families, from the lesson's own summary and objectives."""
    m = module.meta
    ages = f" (ages {m.ages})" if m.ages else ""
    stop = "" if m.title.endswith(("?", "!", ".")) else "."
    out = (f"# Coming soon: an online-safety lesson\n\nDear parent or carer,\n\n"
           f"Soon your child's class{ages} will have a lesson called "
           f"**{markdown_line(m.title)}**{stop} It is part of our PSHE and RSHE lessons on staying "
           "safe online. The date of the lesson: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\n\n")
    if m.summary:
        out += f"## What the lesson is about\n\n{markdown_line(m.summary)}\n\n"
    if m.objectives:
        out += "## In this lesson your child will learn to\n\n" + "".join(
            f"- {markdown_line(o[:1].lower() + o[1:])}\n" for o in m.objectives) + "\n"
    return out + LETTER_CLOSE


LETTER_CLOSE = """\
## How you can help

- After the lesson, ask your child what they learned, and listen.
- Tell them that if something goes wrong online it is not their fault, and they can always
  come to you or to an adult they trust at school.

If you have a question about the lesson, or would like to see what it covers, please
contact {{ school.dsl_name }} at {{ school.dsl_contact }}.
"""


def render_lesson_letter(module: Module, ctx: RenderContext,
                         today: dt.date | None = None) -> Rendered:
    """`export LESSON --as letter`: one page home before the lesson, signed by the DSL. A
    resource prints as itself (a letter already is one)."""
    if module.meta.is_resource:
        return render_resource(module, "handout", ctx, today)
    conv = ctx.converter(module)
    html = clean(conv, conv.convert(lesson_letter_markdown(module))) + signature(ctx.school)
    head = letterhead(ctx.school, today or dt.date.today())
    body = (f'<article class="resource kind-letter"><p class="resource-kind">Letter</p>'
            f"{head}{html}</article>")
    return Rendered(module.id, module.meta.title, "letter", body, tuple(conv.sections()))


# --- staff training evidence: the attendance register and certificates --------------------
REGISTER_ROWS = 16  # what fits on one page of Letter, the shorter paper
MAX_NAMES = 500  # certificates in one print: a whole staff, with room to spare
MAX_NAME = 120  # characters of one name


def training_facts(module: Module) -> str:
    """The session's module, and lines for its date and trainer (written in by hand)."""
    m = module.meta
    length = f" ({m.duration} minutes)" if m.duration else ""
    return ('<dl class="training-facts">'
            f"<dt>Training module</dt><dd>{html_text(m.title)}{length}</dd>"
            f"<dt>Date of the session</dt><dd>{BLANK}</dd>"
            f"<dt>Trainer</dt><dd>{BLANK}</dd></dl>")


def render_register(module: Module, ctx: RenderContext, today: dt.date | None = None) -> Rendered:
    """An attendance register for a staff training session: name, role, signature."""
    rows = "".join(f"<tr><td>{n}</td><td></td><td></td><td></td></tr>"
                   for n in range(1, REGISTER_ROWS + 1))
    body = (f'<article class="resource kind-register"><p class="resource-kind">Attendance '
            f"register</p>{letterhead(ctx.school, today or dt.date.today())}"
            f"<h1>Safeguarding training: attendance</h1>{training_facts(module)}"
            '<table class="register"><thead><tr><th>No.</th><th>Name</th><th>Role</th>'
            f"<th>Signature</th></tr></thead><tbody>{rows}</tbody></table>"
            '<p class="register-note">Keep this register with the school\'s record of staff '
            "safeguarding training. edukit does not store it.</p></article>")
    return Rendered(module.id, module.meta.title, "register", body)


def certificate(module: Module, school: School, name: str, day: dt.date) -> str:
    who = html_text(name) if name else BLANK
    where = html_text(school.name) if school.name else BLANK
    return ('<section class="certificate">'
            '<h1 class="certificate-kind">Certificate of completion</h1>'  # a heading to find
            '<p class="certificate-line">This is to certify that</p>'
            f'<p class="certificate-name">{who}</p>'
            '<p class="certificate-line">completed the staff safeguarding training</p>'
            f'<p class="certificate-module">{html_text(module.meta.title)}</p>'
            f'<p class="certificate-line">at {where} on {BLANK}</p>'
            '<div class="certificate-signs">'
            f'<p><span class="sign-line"></span>Trainer</p>'
            f'<p><span class="sign-line"></span>{html_text(school.dsl_name) or ""} '
            "Designated Safeguarding Lead</p></div>"
            f'<p class="certificate-date">Printed {long_date(day)}</p></section>')


def clean_names(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """One name per line of text a person typed: blank lines dropped, each trimmed and cut to
    MAX_NAME characters; control characters removed (names are untrusted text)."""
    out = []
    for name in names[:MAX_NAMES]:
        name = "".join(ch for ch in name if ch.isprintable()).strip()[:MAX_NAME]
        if name:
            out.append(name)
    return tuple(out)


def render_certificates(module: Module, ctx: RenderContext, names: tuple[str, ...],
                        today: dt.date | None = None) -> Rendered:
    """A certificate of completion per attendee, one page each (one with a blank name line
    when no names are given). Names are escaped: they are whatever was typed."""
    day = today or dt.date.today()
    pages = [certificate(module, ctx.school, name, day) for name in clean_names(names) or ("",)]
    return Rendered(module.id, module.meta.title, "certificate",
                    f'<article class="certificates">{"".join(pages)}</article>')


# --- the one-page lesson plan (`export LESSON --as plan`) ------------------------------------
RESOURCES_LINE = ("Slides, presenter notes, handout, worksheets, teacher guide, leaflet, letter "
                  "home (from edukit)")
CURRICULUM = "PSHE / RSHE: online relationships and being safe online"
LEAD = re.compile(r"^\s*[-*]\s+\*\*(.+?)\*\*")  # a safeguarding point's bold lead phrase


def safeguarding_points(module: Module) -> list[str]:
    """The lesson's safeguarding notes, as their bold lead phrases ("Expect disclosures")."""
    lines = body_lines(module)
    text = "\n".join(t for _, t in blocks_text(lines, SAFEGUARDING, scan_divs(lines)))
    return [m.group(1).rstrip(".:") for line in text.split("\n") if (m := LEAD.match(line))]


def timings(module: Module) -> list[tuple[str, int]]:
    """(slide title, minutes) from the pacing plan; slides given no minutes are left out."""
    from .pacing import module_plans  # pacing imports render: loaded when a plan is asked for

    return [(p.title, p.minutes) for p in module_plans(module) if p.minutes]


def lesson_plan_html(module: Module, ctx: RenderContext, labels: dict[str, str]) -> str:
    m = module.meta
    lesson = " · ".join(x for x in (m.ages and f"Ages {m.ages}", m.key_stage,
                                    m.duration and f"{m.duration_text()} minutes") if x)
    facts = [("Lesson", lesson), ("Curriculum links", curriculum_links(module, labels))]
    out = '<dl class="training-facts">' + "".join(
        f"<dt>{k}</dt><dd>{html_text(str(v))}</dd>" for k, v in facts if v) + "</dl>"
    out += section("Learning objectives", m.objectives)
    rows = "".join(f"<li><span>{html_text(title)}</span><span>{n} min</span></li>"
                   for title, n in timings(module))
    if rows:
        out += f'<h2>Timings (the pacing plan)</h2><ol class="plan-timings">{rows}</ol>'

    out += section("Resources", [
        RESOURCES_LINE,
        *([f"Key words: {', '.join(m.vocabulary)}"] if m.vocabulary else [])])
    tail = differentiation_html(module, ctx)
    points = [markdown_plain(ctx, module, p) for p in safeguarding_points(module)]
    if points:
        tail += ("<h2>Safeguarding notes (in full in the teacher guide)</h2>"
                 f'<p class="plan-safeguarding">{html_text(". ".join(points))}.</p>')
    # one block, so a plan that runs on (large print) moves it whole (core/printing.py)
    return out + f'<section class="plan-tail">{tail}</section>'


def differentiation_html(module: Module, ctx: RenderContext) -> str:
    """The plan's differentiation row from the lesson's adaptations (edukit.core.adaptations):
    the SEND notes, the EAL key words with their pictures (meanings in the guide) and the
    stretch task; lines to write on when the lesson has none."""
    found = find_adaptations(body_lines(module))
    if found is None:
        return ('<h2>Differentiation</h2><dl class="plan-differentiation">'
                f"<dt>Support (SEND, EAL)</dt><dd>{BLANK}</dd><dt>Stretch</dt><dd>{BLANK}</dd></dl>")
    conv = ctx.converter(module)
    send = "".join(f"<li><b>{html_text(label)}:</b> {inline_html(conv, text)}</li>"
                   for label, text in found.send)
    words = "".join(f"<li>{inline_html(conv, w.picture)}<span>{inline_html(conv, w.word)}</span></li>"
                    for w in found.words)
    rows = [("SEND", f'<ul class="plan-send">{send}</ul>' if send else BLANK),
            ("EAL key words", f'<ul class="plan-words">{words}</ul>' if words else BLANK),
            ("Stretch", inline_html(conv, found.stretch) if found.stretch else BLANK)]
    return ('<h2>Differentiation (adaptations in full in the teacher guide)</h2>'
            '<dl class="plan-adaptations">'
            + "".join(f'<div class="plan-row"><dt>{k}</dt><dd>{v}</dd></div>' for k, v in rows)
            + "</dl>")


def inline_html(conv: Converter, text: str) -> str:
    """A short piece of lesson Markdown as sanitised HTML without its paragraph: the plan
    sets it inside its own list item."""
    html = clean(conv, conv.convert(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def curriculum_links(module: Module, labels: dict[str, str]) -> str:
    """The lesson's place in RSHE and Education for a Connected World (its `curriculum:`), or
    PSHE/RSHE and its topics when it gives none."""
    if module.meta.curriculum:
        return "; ".join(f"{FRAMEWORK_LABELS.get(k, k)}: {', '.join(v)}"
                         for k, v in module.meta.curriculum)
    return "; ".join([CURRICULUM, *(labels.get(t, t) for t in module.meta.topics)])


def markdown_plain(ctx: RenderContext, module: Module, text: str) -> str:
    """A short piece of lesson Markdown ({{ school.dsl_name }} and all) as plain text."""
    html = ctx.converter(module).convert(text)
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def section(title: str, items) -> str:
    if not items:
        return ""
    return (f"<h2>{html_text(title)}</h2><ul>"
            + "".join(f"<li>{html_text(i)}</li>" for i in items) + "</ul>")


def render_lesson_plan(module: Module, ctx: RenderContext, labels: dict[str, str] | None = None,
                       today: dt.date | None = None) -> Rendered:
    """A lesson on one page for the teacher's planning file: objectives, timings, resources,
    differentiation (from the lesson's adaptations), safeguarding notes and curriculum links."""
    if module.meta.is_resource:
        return render_resource(module, "handout", ctx, today)
    head = letterhead(ctx.school, today or dt.date.today())
    body = (f'<article class="resource kind-plan"><p class="resource-kind">Lesson plan</p>{head}'
            f"<h1>{html_text(module.meta.title)}</h1>"
            f"{lesson_plan_html(module, ctx, labels or {})}</article>")
    # the key words' pictures are the lesson's files: each checked, as in every view
    return images_checked(Rendered(module.id, module.meta.title, "plan", body), module)
