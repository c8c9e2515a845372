"""Property tests on the renderer: any text renders or raises ContentError; the output never
holds a script, an event attribute or a resource URL outside edukit:/data:image; rendering is
deterministic. Example counts are modest so the suite stays fast."""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edukit.core.model import ContentError, Meta, Module
from edukit.core.render import VIEWS, RenderContext, render

PIECES = [
    "# ", "## ", "---", "\n", "\n\n", "- ", "  - ", "    ", "> ", "1. ", "*", "**", "_", "`", "```",
    "~~~", "[", "]", "(", ")", "![", "](", "<", ">", "&", "&#", ";", "{", "}", "{{ school.name }}",
    "::: notes", "::: safeguarding", ":::: activity", ":::", "::: {.routes for=pupils}", "|", "|-|",
    "[^1]", "[^1]: ", "{: #x .y }", "<!--", "-->", "<script>", "</script>", "<img src=",
    "javascript:", "data:text/html,", "vbscript:", "http://evil.example/x.png", "onerror=",
    " onclick=\"a()\"", "<iframe src=x>", "<svg onload=a()>", "<a href=", "<style>", "url(",
    "@import", "<div markdown=\"1\">", "</div>", "\t", "\\", "\"", "'", "\ufeff", "\x00", "é",
    "\u202e", "\ufdd0", "\r\n", "words and more words", ": ", "term\n: def\n",
]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60).map("".join)

SCRIPT = re.compile(r"<\s*/?\s*(?:\w+:)?script", re.IGNORECASE)
TAG = re.compile(r"<[A-Za-z][^>]*>")
EVENT = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
SRC = re.compile(r"""\s(?:src|srcset|poster|data|action|background)\s*=\s*["']?\s*([^"'\s>]*)""",
                 re.IGNORECASE)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def module(body: str) -> Module:
    return Module(Meta(id="prop", title="Property"), Path("/nonexistent/prop/module.md"), "file",
                  body=body.replace("\r\n", "\n"))


def render_or_refuse(body: str, view: str) -> str | None:
    try:
        return render(module(body), view, RenderContext()).html
    except ContentError:
        return None


def assert_safe(html: str) -> None:
    tags = TAG.findall(html)
    assert not SCRIPT.search(html)
    assert not any(EVENT.search(tag) for tag in tags), html
    for tag in tags:
        for url in SRC.findall(tag):
            assert not url.startswith("//"), tag
            assert not SCHEME.match(url) or url.lower().startswith(("edukit:", "data:image/")), tag


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)


@FAST
@given(TEXT, st.sampled_from(VIEWS))
def test_any_text_renders_safely_or_raises_content_error(body, view):
    html = render_or_refuse(body, view)
    if html is not None:
        assert_safe(html)


@FAST
@given(TEXT)
def test_rendering_is_deterministic(body):
    for view in VIEWS:
        assert render_or_refuse(body, view) == render_or_refuse(body, view)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.text(max_size=300))
def test_arbitrary_unicode_renders_safely(body):
    html = render_or_refuse(body, "lesson")
    if html is not None:
        assert_safe(html)


def test_the_safety_check_catches_unsafe_html_positive_control():
    for unsafe in ('<script>x</script>', '<p onclick="x">', '<img src="http://e.example/a.png">',
                   '<img src="//e.example/a.png">', "<img src=javascript:x>"):
        try:
            assert_safe(unsafe)
        except AssertionError:
            continue
        raise AssertionError(f"assert_safe let {unsafe!r} through")


# --- untrusted front matter and school details on the printed page (issue 10, class 1) -------

HOSTILE_PIECES = ["</style>", "<style>", "\"", "'", ";", "}", "{", "\\", "\n", "\r", "\x00",
                  "<", ">", "&", "*", "[", "](", "{{ school.name }}", "<img src=x onerror=a()>",
                  "\x1b]8;;http://evil\x07", "\x1b[2J", "\u202e", "/*", "*/", "@page",
                  ".route-phone{display:none}", "::before{content:'0900'}", "<!--", "</title>"]
FIELD = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=6)),
                 max_size=12).map("".join)
SCHOOL_KEYS = ("name", "dsl_name", "dsl_contact", "deputy_dsl_name", "online_safety_lead")
PRINT_BODY = ("## Help\n\n{{ school.name }}, {{ school.dsl_name }} ({{ school.dsl_contact }}), "
              "{{ school.deputy_dsl_name }}, {{ school.online_safety_lead }}.\n")
PHONES = re.compile(r'<span class="route-phone">Phone: <span class="route-number">([^<]*)</span>')


def page_tags(html: str) -> list[str]:
    """Tag names in order, as a browser's tokenizer splits them (<style> is raw text)."""
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.names: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.names.append(tag)

    parser = Tags()
    parser.feed(html)
    return parser.names


def printed(title: str, summary: str, school, kind: str) -> str:
    from edukit.core.library import Library
    from edukit.core.printing import PrintOptions, print_page

    meta = Meta(id="prop", title=title, summary=summary, audience="pupils",
                objectives=(summary,), vocabulary=(title,))
    module = Module(meta, Path("/nonexistent/prop/module.md"), "file", body=PRINT_BODY)
    ctx = RenderContext(school=school, routes=Library.default().routes("uk"))
    return print_page(module, ctx, PrintOptions(kind=kind))


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(FIELD, FIELD, st.fixed_dictionaries({k: FIELD for k in SCHOOL_KEYS}),
       st.sampled_from(["handout", "guide"]))
def test_front_matter_and_school_details_never_change_the_printed_help_box(
        title, summary, details, kind):
    from edukit.core.library import Library
    from edukit.core.model import School

    school = School(**details)
    html = printed(title, summary, school, kind)
    calm = printed("Title", "Summary", School(**{k: "x" for k in SCHOOL_KEYS}), kind)
    assert page_tags(html) == page_tags(calm)  # no element from the text: no `<` got through
    style = html.split("<style>")[-1].split("</style>")[0]
    assert "<" not in style
    if kind == "handout":
        routes = Library.default().routes("uk").for_audience("pupils")
        assert PHONES.findall(html) == [r.phone for r in routes if r.phone]


def test_the_help_box_check_catches_a_title_that_breaks_out_positive_control(monkeypatch):
    from edukit.core import printing
    from edukit.core.model import School

    monkeypatch.setattr(printing, "css_string",  # the old escaping: backslash and quote only
                        lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    school = School(**{k: "x" for k in SCHOOL_KEYS})
    html = printed("x </style><style>.route-phone{display:none}", "s", school, "handout")
    assert page_tags(html) != page_tags(printed("Title", "Summary", school, "handout"))
