"""Every problem in a module at once, as `path:line: error|warning: message`."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .adaptations import adaptation_problems
from .alt_text import lacking_alt, missing_alt_message
from .assessment import assessment_problems
from .flowchart import FLOWCHART_FILE, FlowchartError, graph_problems, load_graph
from .help_box import wants_help_box
from .helplines import Contact, Directory, unknown_contacts
from .images import image_problem
from .library import Library, read_bounded
from .markdown.blocks import KNOWN_DIVS, code_lines, scan_divs
from .markdown.budget import cut_index
from .markdown.guard import ATX_HEADING, HEADING_LIMIT, TOC_LIMIT, TOC_MARKER
from .markdown.maths import MAX_FORMULAS, untypeset
from .markdown.media import classify_url
from .markdown.placeholders import PLACEHOLDER, placeholder_key
from .markdown.slides import split_slides
from .markdown.teacher import TEACHER_ONLY, without_blocks
from .model import AUDIENCES, Module, Problem, School
from .options import PrintOptions
from .pacing import module_plans, plan_problems
from .readability import GRADE_LIMITS, reading_grade
from .region import region_for
from .routes import RouteDirectory, bundled_routes
from .serving import why_not_shown
from .table_check import BODY_KINDS, BOX_CLASS, problems_of, tables_in

# Neither pattern may scan past the next '[' or '<': a 1 MB line of them would be quadratic.
MD_TARGET = re.compile(r"(!?)\[[^\[\]]*\]\(\s*<?([^)\s>]+)")
HTML_TARGET = re.compile(r"""<(\w+)[^<>]*?\s(src|href)\s*=\s*["']([^"'<]*)["']""", re.IGNORECASE)
# Slides are laid out in the browser engine to measure them only for lessons up to these sizes
# (the largest bundled lesson: 24 KB, 477 lines, about 30 slides).
MAX_MEASURED_BYTES = 100 * 1024
MAX_MEASURED_LINES = 2000
MAX_MEASURED_SLIDES = 300
MAX_REPEATS = 20  # the same message on more lines is summed up in one more line
MAX_TARGETS = 300  # different links and images looked for on disk (the most bundled: ~20)
MAX_HELPLINE_WARNINGS = 20


class Checker:
    """Collects problems for one module, turning body line indexes into file lines."""

    def __init__(self, module: Module):
        self.module = module
        self.path = str(module.path)
        self.problems: list[Problem] = list(module.problems)
        self.images: dict[Path, str | None] = {}  # each picture's header is read once
        self.said: list[tuple[str, str]] = []  # (severity, message) of every add, even unshown
        self.repeats: dict[str, list[int]] = {}  # message → lines it was on

    def image_problem(self, target: Path) -> str | None:
        if target not in self.images:
            self.images[target] = image_problem(target)
        return self.images[target]

    def add(self, index: int, severity: str, message: str) -> None:
        """Record a problem; past MAX_REPEATS lines with one message, only count them (a
        hostile lesson can repeat one mistake 100,000 times: the report must stay readable)."""
        self.said.append((severity, message))
        lines = self.repeats.setdefault(message, [])
        lines.append(self.module.body_line + index)
        if len(lines) <= MAX_REPEATS:
            self.problems.append(Problem(self.path, lines[-1], severity, message))

    def summed_up(self) -> list[Problem]:
        """One line for each message shown only MAX_REPEATS times."""
        return [Problem(self.path, lines[MAX_REPEATS], "warning",
                        f"{len(lines) - MAX_REPEATS:,} more lines like line {lines[0]}: "
                        f"{message[:120]}")
                for message, lines in self.repeats.items() if len(lines) > MAX_REPEATS]

    def helpline(self, line: int, message: str) -> None:
        """A helpline warning at a file line (the app shows these beside the errors)."""
        self.problems.append(Problem(self.path, line, "warning", message, helpline=True))


def validate_module(module: Module, library: Library | None = None,
                    reading_level: bool = True, school: School | None = None) -> list[Problem]:
    """All problems in one module: front matter, blocks, placeholders, paths, reading level
    (a warning only; skipped with reading_level=False, as textstat costs ~75 MB and ~0.8 s).
    Helplines are checked against the route directory that prints for `school`
    (edukit.core.region; no school: each lesson's own region)."""
    if library is None:
        return check_module(module, bundled_routes(module.meta.region), reading_level)
    region = region_for(library, module, school or School())
    return check_module(module, library.routes(region), reading_level, region)


def check_module(module: Module, routes: RouteDirectory | None, reading_level: bool = True,
                 region: str = "") -> list[Problem]:
    """validate_module's checks with the route directory already chosen, touching no Library:
    the app runs it on a pool thread while the UI thread may refresh the library. `region`:
    the region whose directory was asked for, named in an error if there is none."""
    c = Checker(module)
    lines = module.body.split("\n")
    code = code_lines(lines)
    check_blocks(c, lines, code)
    check_placeholders(c, lines, code)
    check_targets(c, lines, code)
    check_alt_text(c, lines, code)
    check_counts(c, lines, code)
    check_maths(c, lines, code)
    if region and routes is None:
        c.add(0, "error", f"no route directory for region '{region}'")
    check_pacing(c)
    check_assessment(c)
    check_adaptations(c)
    check_helplines(c, lines, code, routes)
    check_help_box_kept(c)
    c.problems += table_width_problems(module, PrintOptions(kind="guide"))
    c.problems += flowchart_problems(module)
    if reading_level:
        check_reading_level(c)
    return sorted(set(c.problems + c.summed_up()), key=lambda p: (p.path, p.line, p.message))


def table_box(table: str) -> str:
    """The classes edukit.core.markdown.tables gives the table's box (its size)."""
    import markdown
    from markdown.extensions.tables import TableExtension

    from .markdown.tables import TableFitExtension

    found = BOX_CLASS.search(markdown.markdown(table, extensions=[TableExtension(),
                                                                  TableFitExtension()]))
    return found.group(1) if found else ""


def table_width_problems(module: Module, options: PrintOptions, font: str = "default",
                         spacing: str = "normal") -> list[Problem]:
    """A warning for each table of the lesson too wide to print whole on this paper (validation
    asks about A4 portrait, the narrowest; export about the paper and type it prints on). Each
    table is laid out with Python-Markdown to read its size; `export` reads it from the page it
    prints instead (table_check.page_table_problems)."""
    if options.kind not in BODY_KINDS:
        return []
    lines = module.body.split("\n")
    return problems_of(module, options, font, spacing,
                       [(i, table_box(table)) for i, table in tables_in(lines, code_lines(lines))])


def flowchart_problems(module: Module) -> list[Problem]:
    """A flowchart module's chart (flowchart.yaml beside it): readable, every box reachable,
    every path ending at an outcome (edukit.core.flowchart)."""
    if module.meta.kind != "flowchart":
        return []
    where = module.folder / FLOWCHART_FILE
    try:
        problems = graph_problems(load_graph(where))
    except FlowchartError as exc:
        return [Problem(str(where), 1, "error", str(exc).removeprefix(f"{where}: "))]
    return [Problem(str(where), 1, "error", f"flowchart: {p}") for p in problems]


def check_helplines(c: Checker, lines: list[str], code: set[int],
                    routes: RouteDirectory | None) -> None:
    """Phone numbers, emails and helpline links in the text that the route directory does not
    list (the rule is in edukit/core/helplines.py and docs/authoring.md)."""
    directory = Directory(routes)
    name = Path(routes.path).name if routes and routes.path else "none"
    found: list[tuple[int, str]] = []
    meta = c.module.meta
    in_front = [contact for text in (meta.title, meta.summary, *meta.objectives)
                for contact in unknown_contacts(text, directory)]
    front = front_matter_lines(c.module) if in_front else []
    found += [(where_in(front, contact.text), not_listed(contact, name)) for contact in in_front]
    for i, line in enumerate(lines):
        if i not in code:
            found += [(c.module.body_line + i, not_listed(contact, name))
                      for contact in unknown_contacts(line, directory)]
    for line, message in found[:MAX_HELPLINE_WARNINGS]:
        c.helpline(line, message)
    if len(found) > MAX_HELPLINE_WARNINGS:  # a page of them says enough; thousands would not
        more = found[MAX_HELPLINE_WARNINGS:]
        c.helpline(more[0][0], f"and {len(more)} more contacts not in the route directory "
                               f"({name})")


def not_listed(contact: Contact, directory_name: str) -> str:
    text = contact.text if len(contact.text) <= 80 else contact.text[:77] + "..."
    return f"{contact.kind} {text} is not in the route directory ({directory_name})"


def front_matter_lines(module: Module) -> list[str]:
    """The file's front matter lines, to find where a value is (empty if unreadable). Read as
    the library reads modules: bounded, and never from a pipe or a device (they would block)."""
    try:
        data, _ = read_bounded(module.path)
    except OSError:
        return []
    return data.decode("utf-8", "replace").split("\n")[:max(module.body_line - 1, 0)]


def where_in(front: list[str], text: str) -> int:
    """The file line of the first front matter line holding text (line 2 if none does)."""
    for n, line in enumerate(front, start=1):
        if text in line:
            return n
    return 2


def check_help_box_kept(c: Checker) -> None:
    """A lesson from outside edukit that turns the handout's help box off says so, every time."""
    if c.module.origin == "bundled" or not c.module.loaded or wants_help_box(c.module):
        return
    shown = without_blocks(c.module.body.split("\n"), TEACHER_ONLY)
    if any(d.name == "routes" for d in scan_divs(shown)):
        return
    if c.module.meta.handout_routes is False:
        line = where_in(front_matter_lines(c.module), "handout_routes")
        c.helpline(line, "this lesson turns off the help box on its handout "
                         "(handout_routes: false); families will not see where to get help")
    else:
        c.helpline(1, "no help box on this handout: the lesson does not say it is about safety "
                      "(add 'handout_routes: true' or 'topics:' to the front matter to print it)")


def check_blocks(c: Checker, lines: list[str], code: set[int]) -> None:
    strays: list[int] = []
    for d in scan_divs(lines, code, strays):
        if d.name not in KNOWN_DIVS:
            c.add(d.start, "warning", f"unknown block '::: {d.name}' (shown as a plain box)")
        if d.end is None:
            c.add(d.start, "error", f"block '::: {d.name}' is never closed with ':::'")
        if d.name == "routes" and d.attr("for") and d.attr("for") not in AUDIENCES:
            c.add(d.start, "error", f"routes for '{d.attr('for')}' must be one of {', '.join(AUDIENCES)}")
    for i in strays:
        c.add(i, "warning", "':::' closes no open block")
    opener = first_unclosed(lines, code)
    if opener >= 0:
        c.add(opener, "warning", "code block is never closed")


def first_unclosed(lines: list[str], code: set[int]) -> int:
    """Index of the opening fence of an unclosed code block, or -1."""
    opener, fence = -1, ""
    for i in sorted(code):
        stripped = lines[i].strip()
        if not fence:
            opener, fence = i, stripped[:3]
        elif stripped.startswith(fence[0] * 3) and set(stripped) == {fence[0]}:
            fence = ""
    return opener if fence else -1


def check_counts(c: Checker, lines: list[str], code: set[int]) -> None:
    """Headings and '[TOC]' markers beyond what the renderer shows as such (markdown/guard.py)."""
    headings = [i for i, line in enumerate(lines) if i not in code and ATX_HEADING.match(line)]
    if len(headings) > HEADING_LIMIT:
        c.add(headings[HEADING_LIMIT], "warning", f"{len(headings):,} headings: after the first "
              f"{HEADING_LIMIT} they are shown as plain text")
    cut = cut_index(lines)
    if cut is not None:
        c.add(cut, "warning", "the lesson is too long to lay out: from about here on it is not "
              "shown or printed (split it into shorter lessons)")
    tocs = [i for i, line in enumerate(lines) if i not in code and TOC_MARKER.match(line)]
    if len(tocs) > TOC_LIMIT:
        c.add(tocs[TOC_LIMIT], "warning", f"{len(tocs):,} '[TOC]' markers: after the first "
              f"{TOC_LIMIT} they are shown as text")


def check_maths(c: Checker, lines: list[str], code: set[int]) -> None:
    for i, tex in untypeset(lines, code):
        if not tex:
            c.add(i, "warning", f"more than {MAX_FORMULAS:,} formulas: from here on maths is "
                                "shown as written")
            continue
        shown = " ".join(tex.split())
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        c.add(i, "warning", f"maths '{shown}' cannot be typeset; it is shown as written")


def check_placeholders(c: Checker, lines: list[str], code: set[int]) -> None:
    for i, line in enumerate(lines):
        if i in code or "{{" not in line:
            continue
        for m in PLACEHOLDER.finditer(line):
            if placeholder_key(m.group(1)) is None:
                c.add(i, "error", f"unknown placeholder '{{{{ {m.group(1)} }}}}'")


def check_targets(c: Checker, lines: list[str], code: set[int]) -> None:
    """Each link and image; a target used again gets the same answer without a second look
    at the disk (a lesson may name one picture thousands of times)."""
    seen: dict[tuple[bool, str], list[tuple[str, str]]] = {}
    for i, line in enumerate(lines):
        if i in code or ("](" not in line and "=" not in line):
            continue
        targets = [(bool(m.group(1)), m.group(2)) for m in MD_TARGET.finditer(line)]
        targets += [(attr.lower() == "src", url) for _, attr, url in HTML_TARGET.findall(line)]
        for key in targets:
            if key in seen:
                for severity, message in seen[key]:
                    c.add(i, severity, message)
                continue
            if len(seen) == MAX_TARGETS:
                c.add(i, "warning", f"more than {MAX_TARGETS:,} different links and images: "
                                    "the rest are not checked")
            if len(seen) >= MAX_TARGETS:
                seen[key] = []
                continue
            before = len(c.said)
            check_target(c, i, *key)
            seen[key] = c.said[before:]


def check_alt_text(c: Checker, lines: list[str], code: set[int]) -> None:
    """Pictures without alt text: an error in a lesson for pupils (a blind pupil misses what the
    picture teaches), a warning in one for staff or parents, or one that does not say (a deck
    from another tool, untouched, still validates: test_interop_decks)."""
    severity = "error" if c.module.meta.audience == "pupils" else "warning"
    for i, line in enumerate(lines):
        if i in code or ("![" not in line and "<" not in line):
            continue
        for target in lacking_alt(line):
            c.add(i, severity, missing_alt_message(target))


def check_target(c: Checker, index: int, is_image: bool, url: str) -> None:
    what = "image" if is_image else "link"
    kind = classify_url(url)
    if kind == "outside":
        c.add(index, "error", f"{what} '{url}' leaves the module folder")
    elif kind == "bad":
        c.add(index, "error", f"{what} '{url}' uses a scheme edukit does not allow")
    elif kind == "remote" and is_image:
        c.add(index, "warning", f"remote image '{url}' is never loaded (edukit works offline)")
    elif kind == "local":
        check_local_file(c, index, what, url)


def check_local_file(c: Checker, index: int, what: str, url: str) -> None:
    rel = unquote(urlsplit(url).path)
    if not rel:
        return
    try:
        folder = c.module.folder.resolve()
        target = (folder / rel).resolve()
        target.is_file()
    except (OSError, ValueError, RuntimeError) as exc:  # name too long, NUL, symlink loop
        c.add(index, "error", f"{what} '{url[:80]}' is not a usable file name ({getattr(exc, 'strerror', None) or exc})")
        return
    if not target.is_relative_to(folder):
        c.add(index, "error", f"{what} '{url}' leaves the module folder (through a link)")
    elif what == "image" and not target.is_file():
        c.add(index, "error", f"image file not found: '{url}'")
    elif what == "image" and (why := why_not_shown(c.module.path, rel)):
        c.add(index, "warning", f"image '{url}' {why}")
    elif what == "image" and (problem := c.image_problem(target)):
        c.add(index, "warning", f"image '{url}' is not shown: {problem}")
    elif what == "link" and not target.exists() and Path(rel).suffix != "":
        c.add(index, "warning", f"linked file not found: '{url}'")


def check_assessment(c: Checker) -> None:
    """Bundled pupil lessons carry a baseline and an end-point check (core/assessment.py)."""
    if c.module.origin == "bundled" and c.module.meta.audience == "pupils":
        for index, message in assessment_problems(c.module):
            c.add(index, "warning", message)


def check_adaptations(c: Checker) -> None:
    """Pupil lessons carry notes for SEND and EAL learners and a stretch task
    (core/adaptations.py): the guide and the lesson plan print them."""
    for index, message in adaptation_problems(c.module):
        c.add(index, "warning", message)


def check_pacing(c: Checker) -> None:
    """Warn where the slides' minutes (see core/pacing.py) leave the presenter's timer guessing."""
    for index, message in plan_problems(module_plans(c.module), c.module.meta.duration,
                                        c.module.meta.duration_min):
        c.add(index, "warning", message)


def slide_measure_problem(module: Module) -> Problem | None:
    """A note instead of laying out a very long lesson's slides in the browser engine to
    measure them (seconds of work for a hostile lesson)."""
    size = len(module.body.encode("utf-8", "replace"))
    lines = module.body.count("\n") + 1
    if size > MAX_MEASURED_BYTES:
        why = f"the lesson is {size // 1024:,} KB (measured up to {MAX_MEASURED_BYTES // 1024} KB)"
    elif lines > MAX_MEASURED_LINES:
        why = f"the lesson has {lines:,} lines (measured up to {MAX_MEASURED_LINES:,})"
    elif (count := len(split_slides(module.body))) > MAX_MEASURED_SLIDES:
        why = f"the lesson has {count:,} slides (measured up to {MAX_MEASURED_SLIDES})"
    else:
        return None
    return Problem(str(module.path), module.body_line, "warning", f"slides not measured for fit: {why}")


def check_reading_level(c: Checker) -> None:
    meta = c.module.meta
    limit = GRADE_LIMITS.get(meta.ages or "")
    if meta.audience != "pupils" or limit is None:
        return
    grade = reading_grade(c.module)
    if grade is not None and grade > limit:
        c.problems.append(Problem(c.path, 1, "warning",
                                  f"reading grade {grade} is above {limit} for ages {meta.ages}"))
