"""The pupil view (the lesson as read on screen and on the website) opens with a short header
under its title: the ages and the duration. Front-matter text is escaped where it lands; the
positive control shows the check finds live markup when the text is put in unescaped."""
from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser

import pytest

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.render import RenderContext, lesson_facts, render

HOSTILE_AGES = [
    "<script>alert(1)</script>",
    '8-11"><img src=x onerror=alert(1)>',
    "<b onmouseover=alert(1)>8-11</b>",
    "8-11 &lt;script&gt;",  # an entity stays text, not a tag
]


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def live_markup(html: str) -> list[str]:
    """Elements other than the header's own <p>, and any event attribute: markup that runs."""
    parser = Tags()
    parser.feed(html)
    return [tag for tag, attrs in parser.tags
            if tag != "p" or any(name.startswith("on") for name, _ in attrs)]


def lesson_html(module_id: str, **meta) -> str:
    module = Library.default().get(module_id)
    module = replace(module, meta=replace(module.meta, **meta))
    return render(module, "lesson", RenderContext(school=School())).html


def test_the_pupil_view_opens_with_ages_and_duration_under_the_title():
    html = lesson_html("who-can-i-tell")
    title_end = html.index("</h1>")
    header = html.index('<p class="lesson-facts">')
    assert header == title_end + len("</h1>")
    meta = Library.default().get("who-can-i-tell").meta
    assert f'<p class="lesson-facts">Ages 8-11 · {meta.duration_text()} minutes</p>' in html


@pytest.mark.parametrize("audience, expected", [("staff", "For staff · 30 minutes"),
                                                ("parents", "For parents and carers · 30 minutes")])
def test_lessons_for_adults_say_who_they_are_for(audience, expected):
    html = lesson_html("who-can-i-tell", audience=audience, ages=None, duration=30)
    assert f'<p class="lesson-facts">{expected}</p>' in html


def test_a_duration_range_reads_as_written():
    html = lesson_html("who-can-i-tell", duration_min=45, duration=55)
    assert '<p class="lesson-facts">Ages 8-11 · 45-55 minutes</p>' in html


def test_a_lesson_with_neither_has_no_empty_header():
    html = lesson_html("who-can-i-tell", ages=None, audience=None, duration=None)
    assert "lesson-facts" not in html


@pytest.mark.parametrize("ages", HOSTILE_AGES)
def test_the_header_escapes_front_matter_text(ages):
    meta = replace(Library.default().modules[0].meta, ages=ages, duration=20)
    header = lesson_facts(meta)
    assert live_markup(header) == []
    assert "&lt;" in header or "<" not in ages


@pytest.mark.parametrize("ages", HOSTILE_AGES[:3])
def test_positive_control_unescaped_text_would_be_caught(ages):
    unescaped = f'<p class="lesson-facts">Ages {ages} · 20 minutes</p>'
    assert live_markup(unescaped) != []
