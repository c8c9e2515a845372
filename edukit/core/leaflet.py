"""The leaflet for parents and carers, made from a pupil lesson.

A pupil handout carries classroom activities and worksheets; a parent needs to know what
their child learned, how to talk about it, what to do if something happens and where to get
help. The lesson's `::: parents` block (docs/authoring.md) says the middle two in the author's
words; without one the leaflet says them in general words that hold for every lesson.
"""
from __future__ import annotations

from .escape import markdown_line
from .help_box import wants_help_box
from .markdown.teacher import TEACHER_ONLY, blocks_text, without_blocks
from .model import Module
from .render import (
    BOX_TURNED_OFF,
    RenderContext,
    Rendered,
    body_lines,
    clean,
    render,
    routes_box,
    school_contacts,
)

PARENTS = frozenset({"parents"})
NO_LEAFLET = ("A leaflet for parents and carers is made from a pupil lesson; this module is for "
              "staff. Print its handout or teacher guide instead.")
KEY_MESSAGES = frozenset({"key-messages"})

GENERAL_TALK = """\
### How to talk about it

- Ask what they learned and what they thought of it, then listen more than you talk.
- Stay calm and curious: children tell more when they do not expect to be told off or to
  lose their phone.
- Tell them they can always come to you, and that if something goes wrong online it is not
  their fault.
"""

GENERAL_IF = """\
### What to do if something happens

- Stay calm, listen, and thank your child for telling you.
- Do not look at, save, copy or forward any nude or sexual image of a child, even as
  evidence; keep the messages, usernames and links instead.
- Tell the school: the Designated Safeguarding Lead can help and knows what to do next.
- If a child is in danger right now, call 999.
"""


def learned(module: Module, lines: list[str]) -> str:
    """What the child learned: the lesson's objectives and its key messages."""
    out = "## What your child learned\n\n"
    if module.meta.objectives:
        out += "In this lesson your child learned to:\n\n" + "".join(
            f"- {markdown_line(o[:1].lower() + o[1:])}\n" for o in module.meta.objectives) + "\n"
    messages = [text for _, text in blocks_text(lines, KEY_MESSAGES)]
    if messages:
        out += "The messages we want them to remember:\n\n" + "\n\n".join(messages) + "\n"
    return out


def for_parents(lines: list[str]) -> str:
    """The author's own words for parents, or the general ones."""
    own = "\n\n".join(text for _, text in blocks_text(lines, PARENTS))
    if not own.strip():
        return GENERAL_TALK + "\n" + GENERAL_IF
    return own


def render_leaflet(module: Module, ctx: RenderContext) -> Rendered:
    """A pupil lesson's leaflet for parents and carers; a parents' module is its own leaflet
    (its take-home handout). A staff module has none."""
    audience = module.meta.audience or "pupils"
    if audience == "parents":
        return render(module, "handout", ctx)
    if audience != "pupils":  # the print preview shows this page; the CLI refuses first
        return Rendered(module.id, module.meta.title, "parents", f"<p>{NO_LEAFLET}</p>")
    conv = ctx.converter(module)
    lines = without_blocks(body_lines(module), TEACHER_ONLY)
    text = (f"# {markdown_line(module.meta.title)}\n\n"
            "**For parents and carers**\n\n"
            + learned(module, lines) + "\n" + for_parents(lines) + "\n")
    # The school's contacts and the help box are edukit's own, put in after cleaning (their
    # classes are reserved: a lesson cannot draw or hide them).
    help_side = school_contacts(ctx.school, "parents")  # kept beside the box on paper
    if wants_help_box(module):
        help_side += routes_box(conv, "parents")
    elif module.meta.handout_routes is False and module.origin != "bundled":
        help_side += BOX_TURNED_OFF
    html = clean(conv, conv.convert(text)) + f'<div class="help-side">{help_side}</div>'
    return Rendered(module.id, module.meta.title, "parents", html, tuple(conv.sections()))
