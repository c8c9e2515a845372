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
