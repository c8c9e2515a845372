"""Untrusted text is escaped for where it lands (issue 10, class 1): the print page's CSS and
<style>, HTML text and attributes, Markdown, school details, the terminal and JSON.

The worst case first: a lesson title that ends the print page's CSS string and <style> element
could redraw the printed "Where to get help" box with a forged number."""
from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from edukit.core.escape import (
    css_string,
    html_attr,
    html_text,
    js_string,
    json_text,
    markdown_line,
    terminal_text,
)
from edukit.core.library import Library
from edukit.core.model import Meta, Module, School
from edukit.core.printing import PrintOptions, print_page
from edukit.core.render import RenderContext, render, school_contacts

REPO = Path(__file__).parent.parent
FORGED = "0900 666 0666"
INJECTED = ".route-contacts::before"
# Ends the @page string and the <style> element, hides the real numbers and prints a forged one
# (as two CSS strings, so the title's own text never holds the number).
BREAKOUT = ("Staying safe </style><style>.route-phone{display:none}"
            f"{INJECTED}{{content:'Phone: 0900 666 ' '0666 '}}</style><style>")
HOSTILE = [
    BREAKOUT,
    'x"; } </style><style>.route-phone{display:none}',
    '";} @page { @top-left { content: "forged" } } .routes{display:none} /*',
    "line one\nline two } .routes { display: none",
    "back\\slash\\\" and a quote\"",
    "nul\x00 byte",
    "\x1b]8;;http://evil\x07click\x1b]8;;\x07 and \x1b[2J",
    "carriage\rreturn",
    "\u202eevil",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">link</a>',
    "</STYLE ><script>alert(1)</script>",
    "<!-- comment --> <![CDATA[ x ]]>",
]


def naive_css_string(text: str) -> str:
    """The function print pages used before: backslash and quote only."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


# --- reading what a page really holds ------------------------------------------------------

class PageParts(HTMLParser):
    """The tags of a page in order, and the text of its <style> elements, as a browser sees
    them (<style> content is raw text that only `</style` ends)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.styles: list[str] = []
        self.in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "style":
            self.in_style = True
            self.styles.append("")

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.styles[-1] += data


CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)", re.DOTALL)


def css_unescape(body: str) -> str:
    """What a CSS parser reads from a string token's body (NUL reads as U+FFFD)."""
    def one(m: re.Match) -> str:
        if m.group(1):
            code = int(m.group(1), 16)
            return "\ufffd" if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF \
                else chr(code)
        return m.group(2)
    return CSS_ESCAPE.sub(one, body)


def first_css_string(css: str) -> tuple[str, str]:
    """The first double-quoted CSS string in css (its raw body) and what follows it."""
    m = re.match(r'"((?:[^"\\\n]|\\.)*)"', css, re.DOTALL)
    assert m, f"not a CSS string: {css[:60]!r}"
    return m.group(1), css[m.end():]


def lesson(title: str = "A lesson", body: str = "## Talk\n\nTell a trusted adult.\n",
           **meta) -> Module:
    return Module(Meta(id="hostile", title=title, audience="pupils", **meta),
                  Path("/nonexistent/hostile/module.md"), "file", body=body)


def routes_context(school: School | None = None) -> RenderContext:
    return RenderContext(school=school or School(), routes=Library.default().routes("uk"))


def expected_phones(audience: str = "pupils") -> list[str]:
    return [r.phone for r in Library.default().routes("uk").for_audience(audience) if r.phone]


PHONE = re.compile(r'<span class="route-phone">Phone: <span class="route-number">([^<]*)</span>')


# --- CSS strings and @page content ----------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE + ["", "plain title", "café — naïve ✓", "\ud800"])
def test_a_css_string_is_one_string_token_that_reads_back_as_the_text(text):
    out = css_string(text)
    body, rest = first_css_string(out)
    assert rest == ""  # nothing after the closing quote: the string could not be ended early
    assert not re.search(r'[<>&"\n\r\f\x00]', body)
    expected = "".join("\ufffd" if ch == "\x00" or 0xD800 <= ord(ch) <= 0xDFFF else ch
                       for ch in text)
    assert css_unescape(body) == expected


@pytest.mark.parametrize("title", HOSTILE)
@pytest.mark.parametrize("kind", ["handout", "nup"])
def test_a_hostile_title_or_school_name_stays_inside_the_print_pages_style(title, kind):
    school = School(name=title, dsl_name=title)
    page = print_page(lesson(title), routes_context(school), PrintOptions(kind=kind))
    calm = print_page(lesson("Calm"), routes_context(School(name="S", dsl_name="D")),
                      PrintOptions(kind=kind))
    parts, calm_parts = PageParts(page), PageParts(calm)
    assert parts.tags == calm_parts.tags  # no element added or lost: nothing broke out
    rules = parts.styles[-1]
    assert "<" not in rules
    top_left = rules.split("@top-left { content: ", 1)[1]
    body, rest = first_css_string(top_left)
    assert rest.startswith("; font: 9pt")
    assert css_unescape(body) == title.replace("\x00", "\ufffd")
    if kind == "handout":
        assert PHONE.findall(page) == expected_phones()


def test_positive_control_the_old_css_string_lets_a_title_break_out_of_the_style(monkeypatch):
    """The harness sees the harm: with the old escaping the same title adds elements to the
    page and its CSS hides the real numbers and prints a forged one."""
    from edukit.core import printing

    monkeypatch.setattr(printing, "css_string", naive_css_string)
    page = print_page(lesson(BREAKOUT), routes_context(), PrintOptions())
    calm = print_page(lesson("Calm"), routes_context(), PrintOptions())
    assert PageParts(page).tags != PageParts(calm).tags
    assert any(".route-phone{display:none}" in css for css in PageParts(page).styles)
    assert any(INJECTED in css for css in PageParts(page).styles)


# --- HTML text and attributes; Markdown headings; school details ----------------------------

@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_and_attributes_hold_no_markup(text):
    assert PageParts(f"<p>{html_text(text)}</p>").tags == ["p"]
    assert PageParts(f'<p title="{html_attr(text)}">x</p>').tags == ["p"]
    assert PageParts(f"<p title='{html_attr(text)}'>x</p>").tags == ["p"]


@pytest.mark.parametrize("title", HOSTILE + ["*x* _y_ `c` [l](http://evil) {{ school.name }} ##"])
@pytest.mark.parametrize("view", ["lesson", "handout", "guide"])
def test_a_title_shows_as_written_in_the_heading_and_never_hides_the_help_box(title, view):
    html = render(lesson(title), view, routes_context()).html
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL).group(1)
    assert "<" not in heading
    shown = " ".join(title.replace("\x00", "").split())
    assert " ".join(PageParts(f"<p>{heading}</p>").tags) == "p"
    assert unescaped(heading).replace("\ufffd", "") == shown
    if view == "handout":
        assert PHONE.findall(html) == expected_phones()  # an unclosed <style> once ate it


def unescaped(html: str) -> str:
    import html as html_lib

    return " ".join(html_lib.unescape(html).split())


def test_markdown_line_keeps_a_title_to_one_line():
    assert markdown_line("one\ntwo\r\n\n- three") == "one two - three"


SCHOOL_TRAPS = ["*x*", "<b>bold</b>", "[link](http://evil)", "`code`", "&amp;", "{{ school.name }}",
                "<img src=x onerror=alert(1)>", "__under__", "![i](http://evil/x.png)"]


@pytest.mark.parametrize("trap", SCHOOL_TRAPS)
def test_school_details_are_text_never_markdown_or_html(trap):
    school = School(name=trap, dsl_name=trap, dsl_contact=trap, deputy_dsl_name=trap,
                    online_safety_lead=trap)
    body = ("## Help\n\nAt {{ school.name }} talk to {{ school.dsl_name }} "
            "({{ school.dsl_contact }}), {{ school.deputy_dsl_name }} or "
            "{{ school.online_safety_lead }}.\n")
    html = render(lesson(body=body), "handout", routes_context(school)).html
    spans = re.findall(r'<span class="school-[a-z-]+">(.*?)</span>', html)
    assert len(spans) == 5
    assert all(unescaped(s) == trap for s in spans)
    contacts = school_contacts(school, "pupils")
    assert PageParts(contacts).tags == ["div", "p", "strong"]
    assert unescaped(contacts).count(trap) == 4  # name, DSL, contact, deputy


# --- terminal text ----------------------------------------------------------------------------

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def unsafe_for_terminal(text: str) -> list[str]:
    return [ch for ch in text if (unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp")
                                  and ch != "\t") or ch in BIDI]


@pytest.mark.parametrize("text", HOSTILE + ["".join(map(chr, range(0x100))), BIDI + "\u2028"])
def test_terminal_text_shows_every_control_character_visibly(text):
    out = terminal_text(text)
    assert unsafe_for_terminal(out) == []
    assert terminal_text(out) == out  # already safe text is left alone


def test_terminal_text_names_what_it_replaced():
    assert terminal_text("a\x1b[2Jb\rc\u202ed\x9be\x00\n") == "a\\x1b[2Jb\\rc\\u202ed\\x9be\\x00\\n"
    assert unsafe_for_terminal("\x1b\r\u202e\x9b") != []  # positive control for the check


# --- JSON and JavaScript strings -------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE + ["\u2028\u2029 </script>"])
def test_json_and_script_strings_are_ascii_and_read_back_exactly(text):
    for out in (json_text({"title": text}), js_string(text)):
        assert out.isascii() and unsafe_for_terminal(out.replace("\n", "")) == []
    assert json.loads(json_text({"title": text})) == {"title": text}
    assert json.loads(js_string(text)) == text


# --- the real command line --------------------------------------------------------------------

def edukit(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    run_env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [*(env or {}).get("prepend", []), str(REPO)])}
    return subprocess.run([sys.executable, "-m", "edukit", *args], cwd=REPO, check=False,
                          capture_output=True, text=True, timeout=300, env=run_env)


def write_lesson(folder: Path, name: str, title: str, summary: str = "A summary.") -> Path:
    path = folder / name
    path.write_text("---\n" + f"title: {json.dumps(title)}\nsummary: {json.dumps(summary)}\n"
                    "audience: pupils\nmystery_key: 1\n---\n\n## Talk about trusted adults\n\n"
                    "Tell a trusted adult.\n", encoding="utf-8")
    return path


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def help_box_phones(text: str) -> list[str]:
    box = text[text.index("Where to get help"):]
    return re.findall(r"Phone: ([0-9 ]+?)(?: ·|\n|$)", box)


@pytest.fixture
def breakout_lesson(tmp_path) -> Path:
    return write_lesson(tmp_path, "staying-safe.md", BREAKOUT)


def test_a_title_that_breaks_out_of_the_print_css_cannot_change_the_printed_helplines(
        tmp_path, breakout_lesson):
    out = tmp_path / "handout.pdf"
    run = edukit("export", str(breakout_lesson), "--as", "handout", "-o", str(out))
    assert run.returncode == 0, run.stderr
    text = pdf_text(out)
    assert help_box_phones(text) == expected_phones()
    assert "Phone: 999" in text and "Phone: 0800 1111" in text
    assert f"Phone: {FORGED}" not in text


def test_positive_control_with_the_old_css_string_the_pdf_prints_the_forged_number(
        tmp_path, breakout_lesson):
    """The same export with print pages built by the old css_string (patched in through a
    sitecustomize, so the render worker process gets it too) prints the forged number."""
    patch = tmp_path / "naive"
    patch.mkdir()
    (patch / "sitecustomize.py").write_text(
        "import edukit.core.printing as p\n\n" + inspect.getsource(naive_css_string)
        + "\np.css_string = naive_css_string\n")
    out = tmp_path / "forged.pdf"
    run = edukit("export", str(breakout_lesson), "--as", "handout", "-o", str(out),
                 env={"prepend": [str(patch)]})
    assert run.returncode == 0, run.stderr
    text = pdf_text(out)
    assert f"Phone: {FORGED}" in text
    assert help_box_phones(text) != expected_phones()


TERMINAL_TITLE = "Hi \x1b]8;;http://evil\x07click\x1b]8;;\x07 \x1b[2J\rgone \x9b31m red\x1b[0m"


@pytest.fixture
def terminal_lessons(tmp_path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    write_lesson(folder, "hostile.md", TERMINAL_TITLE, summary="s \x1b[31m \u202e red")
    return folder


def assert_terminal_safe(run: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in run.stderr
    assert unsafe_for_terminal(run.stdout.replace("\n", "")) == []
    assert unsafe_for_terminal(run.stderr.replace("\n", "")) == []


def test_list_validate_and_search_show_control_characters_visibly(terminal_lessons):
    listed = edukit("--content", str(terminal_lessons), "list")
    assert_terminal_safe(listed)
    assert "Hi \\x1b]8;;http://evil\\x07click" in listed.stdout
    assert "\\x1b[2J\\rgone \\x9b31m" in listed.stdout
    row = next(line for line in listed.stdout.splitlines() if line.startswith("hostile"))
    header = listed.stdout.splitlines()[0]
    assert row.index("pupils") == header.index("audience")  # columns still line up
    for run in (edukit("--content", str(terminal_lessons), "validate",
                       str(terminal_lessons / "hostile.md")),
                edukit("--content", str(terminal_lessons), "search", "trusted adults")):
        assert_terminal_safe(run)


def test_json_output_is_ascii_and_reads_back_as_the_exact_title(terminal_lessons):
    """Positive control for the terminal tests: the title really carries the escapes."""
    run = edukit("--content", str(terminal_lessons), "list", "--json")
    assert run.returncode == 0, run.stderr
    assert run.stdout.isascii() and unsafe_for_terminal(run.stdout.replace("\n", "")) == []
    titles = {row["id"]: row["title"] for row in json.loads(run.stdout)}
    assert titles["hostile"] == TERMINAL_TITLE
    found = edukit("--content", str(terminal_lessons), "search", "trusted adults", "--json")
    assert found.stdout.isascii()
    assert TERMINAL_TITLE in {hit["title"] for hit in json.loads(found.stdout)}


def test_file_names_with_escape_sequences_are_shown_visibly(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    lesson_path = write_lesson(folder, "evil\x1b[2J\u202e.md", "Fine title")
    checked = edukit("validate", str(lesson_path))
    assert_terminal_safe(checked)
    assert "evil\\x1b[2J\\u202e.md:" in checked.stdout
    exported = edukit("export", str(lesson_path), "--format", "html", "-o",
                      str(tmp_path / "out\x1b]0;pwned\x07.html"))
    assert exported.returncode == 0, exported.stderr
    assert_terminal_safe(exported)
    assert "out\\x1b]0;pwned\\x07.html" in exported.stdout


def test_an_exported_html_page_holds_the_hostile_title_as_text(tmp_path, breakout_lesson):
    out = tmp_path / "handout.html"
    run = edukit("export", str(breakout_lesson), "--as", "handout", "--format", "html",
                 "-o", str(out))
    assert run.returncode == 0, run.stderr
    page = out.read_text(encoding="utf-8")
    parts = PageParts(page)
    assert parts.tags.count("style") == 1 and "script" not in parts.tags
    assert not any(INJECTED in css for css in parts.styles)
    assert PHONE.findall(page) == expected_phones()
