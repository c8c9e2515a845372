"""Rendering views: what each audience sees, slides for Marp/Carpentries/Quarto, and sanitising."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from edukit.core.library import load_module
from edukit.core.markdown import Converter
from edukit.core.model import Module, Route, School
from edukit.core.render import VIEWS, RenderContext, render
from edukit.core.routes import RouteDirectory

SECRETS = ("NOTES-SECRET", "SAFEGUARDING-SECRET", "HANDOUT-ONLY")
ROUTES = RouteDirectory("test", "Test region", (
    Route("kids-line", "Kids Line", ("pupils",), "Talk to someone.", phone="0800 000"),
    Route("parent-help", "Parent Help", ("parents",), "Advice for parents."),
))
SCHOOL = School(name="Oak Primary", dsl_name="Ms Patel", dsl_contact="room 4")


@pytest.fixture
def sample(fixture_content: Path) -> Module:
    return load_module(fixture_content / "modules" / "sample-lesson" / "module.md", "extra")


@pytest.fixture
def ctx() -> RenderContext:
    return RenderContext(school=SCHOOL, routes=ROUTES)


def write_module(tmp_path: Path, name: str, text: str) -> Module:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_module(path, "file")


# The sample lesson in every view

def test_sample_lesson_source_contains_the_markers(sample: Module):
    # Positive control for the absence checks below.
    for marker in SECRETS:
        assert marker in sample.body


def test_lesson_view_has_no_notes_safeguarding_or_handout(sample: Module, ctx: RenderContext):
    html = render(sample, "lesson", ctx).html
    for marker in SECRETS:
        assert marker not in html
    assert "Who can I tell?" in html


def test_slides_audience_html_has_no_teacher_or_handout_text(sample: Module, ctx: RenderContext):
    rendered = render(sample, "slides", ctx)
    for marker in SECRETS:
        assert marker not in rendered.html
        assert not any(marker in s.html for s in rendered.slides)


def test_slide_notes_and_safeguarding_are_on_their_own_slides(sample: Module, ctx: RenderContext):
    slides = render(sample, "slides", ctx).slides
    assert [s.title for s in slides] == ["Sample lesson", "Ground rules", "Who can I tell?"]
    assert "SAFEGUARDING-SECRET" in slides[0].safeguarding_html
    assert "NOTES-SECRET" in slides[1].notes_html
    assert "NOTES-SECRET" not in slides[0].notes_html + slides[2].notes_html
    assert slides[1].safeguarding_html == slides[2].safeguarding_html == ""


def test_guide_has_everything_with_safeguarding_before_the_lesson(sample: Module, ctx: RenderContext):
    html = render(sample, "guide", ctx).html
    for marker in SECRETS:
        assert marker in html
    title = html.index('<h1 id="sample-lesson"')  # page 1 names the lesson, then safeguarding
    assert title < html.index("SAFEGUARDING-SECRET") < html.index('<h2 id="ground-rules"')


def test_guide_shows_safeguarding_once(sample: Module, ctx: RenderContext):
    assert render(sample, "guide", ctx).html.count("SAFEGUARDING-SECRET") == 1


def test_handout_has_handout_routes_and_school_contacts_only(sample: Module, ctx: RenderContext):
    html = render(sample, "handout", ctx).html
    assert "HANDOUT-ONLY" in html
    assert "Where to get help" in html and "Kids Line" in html
    assert "Parent Help" not in html  # routes for pupils, the module's audience
    assert "Ms Patel" in html and "room 4" in html and "school-contacts" in html
    assert "NOTES-SECRET" not in html and "SAFEGUARDING-SECRET" not in html


DSL = "Ms Patel, the Designated Safeguarding Lead (room 4), or to Mr Khan, the Deputy Designated"


@pytest.mark.parametrize("audience, says", [
    ("pupils", f"At Oak Primary, you can talk to any trusted adult, or to {DSL}"),
    ("parents", f"At Oak Primary, if you are worried about your child, talk to {DSL}"),
    ("staff", f"At Oak Primary, report any concern about a child straight away to {DSL}"),
])
def test_handout_school_contacts_speak_to_the_handouts_readers(tmp_path: Path, audience, says):
    module = write_module(tmp_path, "m.md", f"---\ntitle: M\naudience: {audience}\n---\n# M\n\n"
                          "::: key-messages\nTalk often.\n:::\n")
    school = School(name="Oak Primary", dsl_name="Ms Patel", dsl_contact="room 4", deputy_dsl_name="Mr Khan")
    text = " ".join(re.sub(r"<[^>]+>", "", render(module, "handout", RenderContext(school=school)).html).split())
    assert says in text
    plain = " ".join(re.sub(r"<[^>]+>", "", render(module, "handout", RenderContext()).html).split())
    assert "your Designated Safeguarding Lead." in plain and "Oak" not in plain  # no details set


def test_handout_adds_routes_box_when_module_has_none(tmp_path: Path, ctx: RenderContext):
    module = write_module(tmp_path, "plain.md", "---\ntitle: Plain\naudience: parents\n---\n"
                          "# Plain\n\n::: key-messages\nTalk often.\n:::\n")
    html = render(module, "handout", ctx).html
    assert "Talk often." in html and "Parent Help" in html


def test_handout_routes_false_leaves_routes_out(tmp_path: Path, ctx: RenderContext):
    module = write_module(tmp_path, "plain.md", "---\ntitle: Plain\nhandout_routes: false\n---\n"
                          "# Plain\n\n::: key-messages\nTalk often.\n:::\n")
    assert "Where to get help" not in render(module, "handout", ctx).html


def test_lesson_fills_placeholders_from_school(sample: Module, ctx: RenderContext):
    html = render(sample, "lesson", ctx).html
    assert "Talk to <span class=\"school-dsl-name\">Ms Patel</span>" in html
    assert "{{" not in html


def test_lesson_sections_list_the_headings(sample: Module, ctx: RenderContext):
    sections = render(sample, "lesson", ctx).sections
    assert [(s.title, s.level) for s in sections] == [
        ("Sample lesson", 1), ("Ground rules", 2), ("Who can I tell?", 2)]


def test_unknown_view_is_refused(sample: Module, ctx: RenderContext):
    with pytest.raises(ValueError, match="unknown view"):
        render(sample, "poster", ctx)


# Other authoring tools' formats

MARP_DECK = """---
marp: true
theme: default
paginate: true
title: Marp deck
---

<!-- _class: lead -->
# Staying safe online

<!-- Welcome the class. MARP-NOTE-1 -->

---

## Who can you tell?

- A parent
- A teacher

## Not a new slide

<!-- Ask for examples. MARP-NOTE-2 -->

---

## Getting help

Call Childline.
"""


def test_marp_deck_splits_at_rules_and_keeps_comments_as_notes(tmp_path: Path):
    module = write_module(tmp_path, "deck.md", MARP_DECK)
    assert module.problems == ()
    slides = render(module, "slides", RenderContext()).slides
    assert [s.title for s in slides] == ["Staying safe online", "Who can you tell?", "Getting help"]
    assert "MARP-NOTE-1" in slides[0].notes_html
    assert "MARP-NOTE-2" in slides[1].notes_html
    assert slides[2].notes_html == ""
    assert not any("MARP-NOTE" in s.html or "lead" in s.html for s in slides)


def test_marp_notes_stay_out_of_the_lesson_view(tmp_path: Path):
    module = write_module(tmp_path, "deck.md", MARP_DECK)
    assert "MARP-NOTE" not in render(module, "lesson", RenderContext()).html


CARPENTRIES_EPISODE = """---
title: "Spotting grooming"
teaching: 10
exercises: 5
questions:
  - "How do groomers build trust?"
---

## Warning signs

Someone online who asks you to keep secrets.

:::: challenge
## Which is a warning sign?

1. Asking to move to a private app
2. Liking your post

::: solution
The first one. SOLUTION-TEXT
:::
::::

::: instructor
Pause here. INSTRUCTOR-TEXT
:::

## Summary

Tell a trusted adult.
"""


def test_carpentries_episode_duration_is_teaching_plus_exercises(tmp_path: Path):
    module = write_module(tmp_path, "episode.md", CARPENTRIES_EPISODE)
    assert module.meta.duration == 15
    assert module.problems == ()


def test_carpentries_solution_is_hidden_on_slides(tmp_path: Path):
    module = write_module(tmp_path, "episode.md", CARPENTRIES_EPISODE)
    slides = render(module, "slides", RenderContext()).slides
    assert [s.title for s in slides] == ["Spotting grooming", "Warning signs", "Summary"]
    assert "Which is a warning sign?" in slides[1].html
    assert not any("SOLUTION-TEXT" in s.html for s in slides)
    assert "INSTRUCTOR-TEXT" in slides[1].notes_html


def test_carpentries_instructor_block_is_in_guide_only(tmp_path: Path):
    module = write_module(tmp_path, "episode.md", CARPENTRIES_EPISODE)
    views = {v: render(module, v, RenderContext()).html for v in ("lesson", "guide", "handout")}
    assert "INSTRUCTOR-TEXT" in views["guide"]
    assert "INSTRUCTOR-TEXT" not in views["lesson"] + views["handout"]
    assert "SOLUTION-TEXT" in views["lesson"] and "SOLUTION-TEXT" in views["guide"]


QUARTO_DECK = """---
title: "Quarto deck"
format: revealjs
author: Someone
---

## First slide

Hello.

::: notes
QUARTO-NOTE
:::

## Second slide

Bye.

## Third slide

- one
  - two
"""


def test_quarto_deck_splits_at_level_two_headings(tmp_path: Path):
    module = write_module(tmp_path, "quarto.md", QUARTO_DECK)
    assert module.problems == ()
    slides = render(module, "slides", RenderContext()).slides
    assert [s.title for s in slides] == ["Quarto deck", "First slide", "Second slide", "Third slide"]
    assert "QUARTO-NOTE" in slides[1].notes_html
    assert "QUARTO-NOTE" not in slides[1].html
    assert "<li>one<ul>" in slides[3].html.replace("\n", "")


# Sanitiser

HOSTILE = """---
title: Hostile
---
# Hostile

## One

<script>alert('SCRIPT-RAN')</script>

<iframe src="https://evil.example/frame"></iframe>

<img src="x.png" onerror="alert('ONERROR-RAN')">

<a href="javascript:alert('JS-HREF')">click</a>

<img src="http://evil.example/track.png">

::: notes
<script>alert('NOTE-SCRIPT')</script>
:::

::: safeguarding
<img src="http://evil.example/guard.png" onerror="alert('GUARD')">
:::

::: handout
<iframe src="https://evil.example/handout"></iframe>
:::
"""
FORBIDDEN = ("<script", "<iframe", "onerror", "javascript:", "http://evil.example", "alert(")


def all_views_html(module: Module) -> str:
    parts = []
    for view in VIEWS:
        rendered = render(module, view, RenderContext())
        parts.append(rendered.html)
        parts += [s.html + s.notes_html + s.safeguarding_html for s in rendered.slides]
    return "\n".join(parts)


def test_hostile_strings_are_in_the_source(tmp_path: Path):
    module = write_module(tmp_path, "hostile.md", HOSTILE)
    for bad in FORBIDDEN:
        assert bad in module.body


def test_markdown_alone_would_keep_hostile_html(tmp_path: Path):
    # Positive control: without the sanitiser the dangerous markup gets through.
    module = write_module(tmp_path, "hostile.md", HOSTILE)
    raw = Converter(School(), lambda audience: [], "pupils").convert(module.body)
    assert "<script>" in raw and "<iframe" in raw and "onerror=" in raw and "javascript:" in raw


def test_hostile_html_never_survives_into_any_view(tmp_path: Path):
    module = write_module(tmp_path, "hostile.md", HOSTILE)
    html = all_views_html(module)
    for bad in FORBIDDEN:
        assert bad not in html, bad


def test_sanitiser_keeps_safe_local_image(tmp_path: Path):
    module = write_module(tmp_path, "hostile.md", HOSTILE)
    assert '<img src="x.png">' in render(module, "lesson", RenderContext()).html


def test_guide_contents_start_with_the_title_then_the_safeguarding_section(fixture_content):
    from edukit.core.library import Library
    from edukit.core.render import RenderContext, render

    module = Library.default(extra=[fixture_content]).get("sample-lesson")
    guide = render(module, "guide", RenderContext())
    assert [s.id for s in guide.sections[:3]] == ["sample-lesson", "before-you-teach",
                                                  "ground-rules"]  # the title, then safeguarding
    assert 'id="before-you-teach"' in guide.html


FULL_SCHOOL = School(name="Oak Primary", dsl_name="Ms Patel", deputy_dsl_name="Mr Khan",
                     phone="01632 960123", lado="01632 960456", social_care="01632 960789",
                     social_care_out_of_hours="01632 960000")
STAFF_ONLY = ("01632 960456", "01632 960789", "01632 960000", "LADO")


def handout_text(tmp_path: Path, audience: str, school: School = FULL_SCHOOL) -> str:
    module = write_module(tmp_path, f"{audience}.md", f"---\ntitle: M\naudience: {audience}\n"
                          "---\n# M\n\n::: key-messages\nTalk often.\n:::\n")
    html = render(module, "handout", RenderContext(school=school)).html
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_parents_get_the_school_phone_and_the_dsl_and_no_staff_contacts(tmp_path: Path):
    text = handout_text(tmp_path, "parents")
    assert "talk to Ms Patel" in text and "The school's phone number is 01632 960123" in text
    assert not any(s in text for s in STAFF_ONLY)


def test_pupils_get_neither_the_school_phone_nor_staff_contacts(tmp_path: Path):
    text = handout_text(tmp_path, "pupils")
    assert "Ms Patel" in text
    assert not any(s in text for s in (*STAFF_ONLY, "01632 960123"))


def test_staff_paper_gets_the_lado_and_childrens_social_care(tmp_path: Path):
    text = handout_text(tmp_path, "staff")
    assert "Designated Officer (LADO), 01632 960456" in text
    assert "social care (MASH): 01632 960789" in text and "Out of hours" in text
    module = write_module(tmp_path, "lesson.md", "---\ntitle: L\naudience: pupils\n---\n# L\n")
    guide = " ".join(re.sub(r"<[^>]+>", "", render(
        module, "guide", RenderContext(school=FULL_SCHOOL)).html).split())
    assert "Report any concern straight away to Ms Patel; deputy: Mr Khan." in guide
    assert all(s in guide for s in STAFF_ONLY)
    unset = handout_text(tmp_path, "staff", School(name="Oak Primary"))
    assert "LADO" not in unset and "Out of hours" not in unset  # no empty lines when unset


def test_school_phone_numbers_are_marked_never_to_break(tmp_path: Path):
    module = write_module(tmp_path, "p.md", "---\ntitle: M\naudience: staff\n---\n# M\n")
    html = render(module, "handout", RenderContext(school=FULL_SCHOOL)).html
    for number in ("01632 960456", "01632 960789", "01632 960000"):
        assert f'<span class="phone">{number}</span>' in html
    css = (Path(__file__).parent.parent / "resources" / "css" / "base.css").read_text()
    assert re.search(r"\.phone\b[^{]*\{[^}]*white-space: nowrap", css)
