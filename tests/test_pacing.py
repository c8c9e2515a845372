"""Pacing: each slide's notes start with its minutes, in any of the forms lessons use; the
presenter's timer follows them and `validate` warns when they are missing or miss the duration."""
from __future__ import annotations

import pytest

from edukit.core.library import Library
from edukit.core.model import Slide
from edukit.core.pacing import module_plans, plan, plan_problems, slide_plans, stated_minutes
from edukit.core.render import RenderContext, render
from edukit.core.validate import validate_module
from edukit.gui.presentation.timing import pace
from edukit.gui.presentation.timing import plan as console_plan


@pytest.mark.parametrize("notes, minutes", [
    ("Timing: 3 minutes. Welcome the class.", 3),
    ("**Timing: 3 minutes.** Welcome the class.", 3),
    ("**3 minutes.** Agree the ground rules.", 3),
    ("10 minutes. Groups for 6 minutes, feedback for 4 minutes.", 10),
    ("1 minute to read. Ethan is fictional.", 1),
    ("Timing: 10 minutes (6 to sort, 4 to discuss).", 10),
    ("timing:2 mins - a quick recap", 2),
    ("<p><strong>3 minutes.</strong> Agree the ground rules.</p>", 3),
    ("<p>Timing: 1 minute.</p><p>Point out the question box.</p>", 1),
    ("\n\n*5 minutes.* Pairs.", 5),
])
def test_each_accepted_form_at_the_start_of_the_notes_gives_the_slides_minutes(notes, minutes):
    assert stated_minutes(notes) == minutes


@pytest.mark.parametrize("notes", [
    "Groups for 6 minutes, feedback for 4 minutes.",  # minutes mid-notes are not the plan
    "Say hello. Timing: 3 minutes.",
    "Title slide (1 minute). Introduce the topic.",
    "3 pupils read aloud.",
    "",
])
def test_minutes_that_do_not_start_the_notes_are_not_a_plan(notes):
    assert stated_minutes(notes) is None


def test_the_plan_shares_what_the_duration_leaves_among_slides_that_state_nothing():
    assert plan([5, None, None], 25) == [5.0, 10.0, 10.0]
    assert plan([5, None], None) == [5.0, 0.0]
    assert plan([30, 30], 50) == [30.0, 30.0]
    assert plan([None, 30, 25], 60) == [0.0, 30.0, 25.0]  # a planned title slide is not padded


BODY = """# Title

::: notes
Set up the room.
:::

## One

::: notes
**3 minutes.** Talk.
:::

## Two

::: notes
Discuss in pairs for 4 minutes.
:::

## Three

::: notes
Timing: 2 minutes.
:::
"""


def test_validate_names_each_slide_without_minutes_at_its_line_and_a_total_that_misses():
    plans = slide_plans(BODY)
    assert [p.minutes for p in plans] == [None, 3, None, 2]
    problems = plan_problems(plans, 10)
    hint = "start them with 'Timing: N minutes.'"
    assert problems == [(12, f"slide 'Two' has no minutes in its notes ({hint})")]
    fixed = slide_plans(BODY.replace("Discuss in pairs", "4 minutes. Discuss in pairs"))
    assert plan_problems(fixed, 9) == []  # the title slide may state none: it counts as 0
    assert plan_problems(fixed, 10) == [(0, "slide minutes add up to 9, not the duration of 10")]
    assert plan_problems(slide_plans(BODY.replace("3 minutes", "30 minutes")), 10)[-1][1] \
        == "slide minutes add up to 32, not the duration of 10"
    assert len(plan_problems(slide_plans("## A\n\ntext\n\n## B\n"), 10)) == 1  # one line, not one each
    assert plan_problems(plans, None) == []  # no duration: nothing to add up to


def test_edukit_validate_reports_the_plan_with_file_and_line(tmp_path):
    path = tmp_path / "paced.md"
    path.write_text("---\ntitle: Paced\nduration: 10\n---\n" + BODY, encoding="utf-8")
    module = Library.default(extra=[tmp_path]).resolve(str(path))
    found = [str(p) for p in validate_module(module, reading_level=False) if "minutes" in p.message]
    line = path.read_text().split("\n").index("## Two") + 1
    assert any(f"{path}:{line}: warning: slide 'Two' has no minutes" in x for x in found), found


def bundled():
    library = Library.default()
    return [m for m in library.modules if m.origin == "bundled" and not m.meta.is_resource]


@pytest.mark.parametrize("module", bundled(), ids=lambda m: m.id)
def test_every_bundled_lesson_has_a_plan_that_adds_up_to_its_duration(module):
    plans = module_plans(module)
    assert all(p.minutes is not None for p in plans[1:]), [p.title for p in plans if p.minutes is None]
    low = module.meta.duration_min or module.meta.duration
    assert low <= sum(p.minutes or 0 for p in plans) <= module.meta.duration
    assert plan_problems(plans, module.meta.duration, module.meta.duration_min) == []


@pytest.mark.parametrize("module_id", ["sextortion", "who-can-i-tell", "dsl-guide-to-online-risk",
                                       "healthy-online-relationships"])
def test_the_presenters_timer_reads_each_lessons_form_and_is_on_time_at_the_start(module_id):
    library = Library.default()
    module = library.get(module_id)
    slides = render(module, "slides", RenderContext(routes=library.routes(module.meta.region))).slides
    minutes = console_plan(slides, module.meta.duration)
    assert minutes == [float(p.minutes or 0) for p in module_plans(module)]  # no even split
    assert sum(minutes) == sum(p.minutes or 0 for p in module_plans(module))  # the planned time
    assert pace(5, minutes, 0).state == "on-time"  # not "Ahead by 30 min" five seconds in
    assert pace(sum(minutes[:3]) * 60, minutes, 3).state == "on-time"


def test_the_console_plan_still_shares_the_rest_when_slides_state_nothing():
    slides = [Slide(0, "a", "", notes_html="<p><strong>5 minutes.</strong></p>"), Slide(1, "b", "")]
    assert console_plan(slides, 25) == [5.0, 20.0]
