"""The parts of a printed resource that need nothing from rendering (edukit.core.render puts
them round a letter, form or flowchart; edukit.core.resources round the pages it makes): the
school's details on top, the signature line, the flowchart drawn from its YAML."""
from __future__ import annotations

import datetime as dt

from .escape import html_text
from .flowchart import (
    FITS,
    FLOWCHART_FILE,
    FlowchartError,
    graph_problems,
    load_graph,
    render_svg,
    row_bands,
)
from .model import Module, School

# Unset school details print as a line to write on (a letter saying "your school" at its top
# reads as a template that was never filled in).
BLANK = '<span class="write-in" aria-label="write here"></span>'

ANSWERS = frozenset({"solution"})  # a quiz's answer key: in the guide only


def long_date(day: dt.date) -> str:
    """30 November 2026: how a UK letter is dated."""
    return f"{day.day} {day:%B %Y}"


def letterhead(school: School, day: dt.date) -> str:
    """The school's name and the DSL on top, the date on the right: filled in by edukit."""
    dsl = html_text(school.dsl_name) or BLANK
    contact = f" ({html_text(school.dsl_contact)})" if school.dsl_contact else ""
    return ('<header class="resource-head">'
            f'<p class="resource-school">{html_text(school.name) or BLANK}</p>'
            f'<p class="resource-dsl">Designated Safeguarding Lead: {dsl}{contact}</p>'
            f'<p class="resource-date">{long_date(day)}</p></header>')


def signature(school: School) -> str:
    """Where the DSL signs a letter by hand."""
    return ('<footer class="signature"><p>Yours faithfully,</p>'
            '<p class="sign-line" aria-label="Signature"></p>'
            f'<p>{html_text(school.dsl_name) or BLANK}<br>Designated Safeguarding Lead'
            f'{", " + html_text(school.name) if school.name else ""}</p>'
            "</footer>")


def flowchart_html(module: Module) -> str:
    """The module's flowchart.yaml drawn as SVG, or one plain line saying what is wrong."""
    graph, problem = checked_graph(module)
    if graph is None:
        return problem
    drawings = "".join(render_svg(graph, fit) for fit in FITS)  # fonts.css shows one
    return f'<figure class="flowchart-figure">{drawings}</figure>'


FLOWCHART_SLIDE_TITLE = "The flowchart"


def flowchart_slide_html(module: Module) -> str:
    """The chart for its slide: a heading, then one drawing per row of boxes, so the slide can
    be continued between rows at a size read from the back of a training room (the whole chart
    on one slide would be type a few pixels high)."""
    graph, problem = checked_graph(module)
    # Each row drawn for each reading font (fonts.css shows one): a row's bands side by side
    # in the slide's blocks, so a slide continued between two rows is cut in both drawings.
    body = problem if graph is None else "".join(
        band for row in zip(*(row_bands(graph, fit) for fit in FITS), strict=True) for band in row)
    return f'<h2 id="the-flowchart">{FLOWCHART_SLIDE_TITLE}</h2>{body}'


def checked_graph(module: Module):
    """(the module's chart, "") or (None, one plain line saying what is wrong with it)."""
    try:
        graph = load_graph(module.folder / FLOWCHART_FILE)
    except FlowchartError as exc:
        return None, f'<p class="flowchart-problem">{html_text(str(exc))}</p>'
    problems = graph_problems(graph)
    if problems:
        return None, f'<p class="flowchart-problem">{html_text(problems[0])}</p>'
    return graph, ""
