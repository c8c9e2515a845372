"""Assessment for learning (issue 14): each bundled pupil lesson starts with a baseline activity
and ends with an end-point check that comes back to it, both marked by the convention in
docs/authoring.md, both timed in the slide plan, and `edukit validate` says when one is missing
or out of place."""
from __future__ import annotations

from pathlib import Path

import pytest

from edukit.core.assessment import assessment_problems, assessment_slides
from edukit.core.library import Library, load_module
from edukit.core.markdown.blocks import scan_divs
from edukit.core.markdown.slides import split_slides
from edukit.core.pacing import module_plans
from edukit.core.render import RenderContext, render
from edukit.core.validate import validate_module

SLIDES = ["## Rules\n\nBe kind.", "## Story\n\n::: scenario\nA story.\n:::", "## Talk\n\nTalk.",
          "## Key messages\n\nTell.", "## Help\n\nHelp."]
BASELINE = "## Warm-up\n\n::: {.activity .baseline}\nTrue or false?\n:::"
END = "## Exit slip\n\n::: {.activity .end-point}\nLook back at the warm-up.\n:::"


def lesson(tmp_path: Path, slides: list[str], audience: str = "pupils"):
    folder = tmp_path / "lesson"
    folder.mkdir(exist_ok=True)
    path = folder / "module.md"
    path.write_text(f"---\ntitle: L\naudience: {audience}\nages: '11-14'\n---\n\n# L\n\n"
                    + "\n\n".join(slides) + "\n", encoding="utf-8")
    return load_module(path, "bundled")


def said(module) -> list[str]:
    return [p.message for p in validate_module(module, reading_level=False)
            if "baseline" in p.message or "end-point" in p.message]


def test_a_lesson_with_both_in_place_has_no_warning(tmp_path):
    module = lesson(tmp_path, [SLIDES[0], BASELINE, *SLIDES[1:4], END, SLIDES[4]])
    assert said(module) == []


@pytest.mark.parametrize("slides,words", [
    ([SLIDES[0], *SLIDES[1:4], END], "no baseline activity near the start"),
    ([SLIDES[0], BASELINE, *SLIDES[1:4]], "no end-point activity near the end"),
    ([*SLIDES, BASELINE, END], "baseline activity should come in the first half"),
    ([BASELINE, END, *SLIDES], "end-point check should come after the baseline"),
    ([BASELINE, BASELINE, *SLIDES, END], "more than one baseline"),
])
def test_a_missing_or_misplaced_check_is_a_warning(tmp_path, slides, words):
    assert any(words in m for m in said(lesson(tmp_path, slides))), said(lesson(tmp_path, slides))


def test_only_bundled_pupil_lessons_are_asked_for_them(tmp_path):
    assert said(lesson(tmp_path, SLIDES, audience="staff")) == []
    own = tmp_path / "own.md"
    own.write_text("---\ntitle: Own\naudience: pupils\n---\n\n" + "\n\n".join(SLIDES))
    assert said(load_module(own, "file")) == []


@pytest.fixture(scope="module")
def pupil_lessons() -> list:
    return [m for m in Library.default().all
            if m.origin == "bundled" and m.meta.audience == "pupils"]


def test_every_bundled_pupil_lesson_has_a_timed_baseline_and_end_point(pupil_lessons):
    assert len(pupil_lessons) >= 15
    for m in pupil_lessons:
        assert assessment_problems(m) == [], m.id
        found = assessment_slides(m.body)
        plans = module_plans(m)
        for kind in ("baseline", "end-point"):
            (index, _), = found[kind]
            assert plans[index].minutes, f"{m.id}: the {kind} slide has no time in the plan"


def test_each_end_point_comes_back_to_the_baseline(pupil_lessons):
    """The same question again, or a look back at it: that is what shows progress."""
    for m in pupil_lessons:
        index, _ = assessment_slides(m.body)["end-point"][0]
        slide = split_slides(m.body)[index].text
        lines = slide.split("\n")
        div = next(d for d in scan_divs(lines) if "end-point" in d.classes)
        text = " ".join(lines[div.start:div.end]).lower()
        assert "warm-up" in text or "at the start" in text, m.id


def test_the_marked_activities_keep_their_class_on_screen(pupil_lessons):
    html = render(pupil_lessons[0], "lesson", RenderContext()).html
    assert "baseline" in html and "end-point" in html
