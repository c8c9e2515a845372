"""A lesson's place in the curriculum (RSHE subjects and Education for a Connected World strands)
and a realistic time range ("duration: 50-60") in its front matter (issue 14): read with a
clear problem at the right line, checked against the frameworks' own names, counted by the
pacing check and shown in `edukit list`, the teacher guide and the website's library."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from edukit.core.curriculum import FRAMEWORKS
from edukit.core.library import Library, load_module
from edukit.core.pacing import SlidePlan, plan_problems
from edukit.core.render import RenderContext, render
from edukit.core.site.index import lesson_card

REPO = Path(__file__).parent.parent


def module_with(tmp_path: Path, front: str, name: str = "lesson.md", origin: str = "file"):
    path = tmp_path / name
    path.write_text(f"---\ntitle: T\n{front}\n---\n\n# T\n\nBody\n", encoding="utf-8")
    return load_module(path, origin)


def said(module) -> list[str]:
    return [f"{p.line}: {p.severity}: {p.message}" for p in module.problems]


@pytest.mark.parametrize("value,low,high", [
    ("50", None, 50), ("50-60", 50, 60), ('"50-60"', 50, 60), ("50 - 60", 50, 60),
    ("50\u201360", 50, 60), ("50 to 60 minutes", 50, 60), ("45-45", None, 45),
])
def test_duration_takes_minutes_or_a_range(tmp_path, value, low, high):
    module = module_with(tmp_path, f"duration: {value}")
    assert (module.meta.duration_min, module.meta.duration) == (low, high), said(module)
    assert said(module) == []


@pytest.mark.parametrize("value,words", [
    ("60-50", "from the shorter to the longer"), ("0-10", "between 1 and 600"),
    ("50-700", "between 1 and 600"), ("about an hour", "like 50, or a range"),
    ("[50, 60]", "whole number"), ("5o-60", "like 50, or a range"),
])
def test_a_duration_that_is_no_time_is_one_problem_at_its_line(tmp_path, value, words):
    module = module_with(tmp_path, f"audience: pupils\nduration: {value}")
    problems = said(module)
    assert len(problems) == 1 and problems[0].startswith("4: error:") and words in problems[0]
    assert module.meta.duration is None  # the lesson still opens


def test_curriculum_names_are_checked_and_spelled_as_the_frameworks_spell_them(tmp_path):
    module = module_with(tmp_path, "curriculum:\n  rshe: [health education]\n"
                         "  connected_world: [online BULLYING, 'Health, well-being and lifestyle']")
    assert dict(module.meta.curriculum) == {
        "rshe": ("Health Education",),
        "connected_world": ("Online bullying", "Health, well-being and lifestyle")}
    assert said(module) == []


@pytest.mark.parametrize("front,words", [
    ("curriculum:\n  connected_world: [Online bulling]", "3: error: unknown connected_world name"),
    ("curriculum:\n  rshe: [Citizenship]", "3: error: unknown rshe name 'Citizenship'"),
    ("curriculum:\n  pshe_assoc: [Core theme 1]", "3: warning: unknown curriculum framework"),
    ("curriculum: [Online bullying]", "3: error: 'curriculum' must be a mapping"),
    ("curriculum:\n  rshe: {a: 1}", "3: error: curriculum 'rshe' must be a list"),
])
def test_a_wrong_curriculum_entry_is_named_at_its_line(tmp_path, front, words):
    problems = said(module_with(tmp_path, front))
    assert any(p.startswith(words) for p in problems), problems


def test_a_primary_lesson_cannot_claim_secondary_rse(tmp_path):
    front = ("audience: pupils\nages: '8-11'\ncurriculum:\n  rshe: [Relationships and Sex Education]"
             "\n  connected_world: [Online relationships]")
    folder = tmp_path / "x"
    folder.mkdir()
    problems = said(module_with(folder, front, "module.md", origin="bundled"))
    assert any("not taught at ages 8-11" in p for p in problems), problems
    fixed = front.replace("Relationships and Sex Education", "Relationships Education")
    assert not any("not taught" in p for p in said(module_with(folder, fixed, "module.md", "bundled")))


def plans(*minutes: int) -> list[SlidePlan]:
    return [SlidePlan("Title", 1, None)] + [SlidePlan(f"S{i}", i + 2, m) for i, m in enumerate(minutes)]


def test_the_pacing_check_accepts_a_plan_anywhere_in_the_range():
    assert plan_problems(plans(20, 25), 50, 45) == []  # 45
    assert plan_problems(plans(30, 22), 55, 45) == []  # 52
    assert plan_problems(plans(30, 25), 55, 45) == []  # 55
    short = plan_problems(plans(20, 20), 55, 45)
    assert short == [(0, "slide minutes add up to 40, outside the duration range of 45-55")]
    long = plan_problems(plans(30, 30), 55, 45)
    assert long == [(0, "slide minutes add up to 60, outside the duration range of 45-55")]
    # the control: an exact duration still needs the exact sum
    exact = "slide minutes add up to 52, not the duration of 55"
    assert plan_problems(plans(30, 22), 55) == [(0, exact)]


@pytest.fixture(scope="module")
def bundled() -> list:
    return [m for m in Library.default().all if m.origin == "bundled" and not m.meta.is_resource]


def test_every_bundled_lesson_gives_a_time_range_and_its_curriculum(bundled):
    assert len(bundled) >= 19
    for m in bundled:
        assert m.meta.duration_min and m.meta.duration_min < m.meta.duration, m.id
        frameworks = dict(m.meta.curriculum)
        assert frameworks.get("connected_world"), m.id
        if m.meta.audience == "pupils":
            phase = "Relationships Education" if m.meta.ages == "8-11" else \
                "Relationships and Sex Education"
            assert phase in frameworks["rshe"], m.id
    strands = {s for m in bundled for s in dict(m.meta.curriculum)["connected_world"]}
    assert len(strands) >= 6  # the library reaches most strands, not one
    assert strands <= set(FRAMEWORKS["connected_world"])


def test_edukit_list_json_carries_the_range_and_the_curriculum():
    result = subprocess.run([sys.executable, "-m", "edukit", "list", "--json"], cwd=REPO,
                            capture_output=True, text=True, timeout=300, check=True)
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    row = rows["who-can-i-tell"]
    assert row["duration_range"] == [45, 55] and row["duration"] == 55
    assert row["curriculum"]["rshe"] == ["Relationships Education", "Health Education"]
    assert "Online relationships" in row["curriculum"]["connected_world"]
    assert all(r["curriculum"].get("connected_world") for r in rows.values()
               if r["origin"] == "bundled" and r["kind"] == "lesson")
    table = subprocess.run([sys.executable, "-m", "edukit", "list"], cwd=REPO,
                           capture_output=True, text=True, timeout=300, check=True).stdout
    assert "45-55 min" in table and "50-60 min" in table


def test_the_guide_and_the_website_show_the_range_and_the_strands(bundled):
    m = next(m for m in bundled if m.id == "who-can-i-tell")
    guide = render(m, "guide", RenderContext()).html
    assert "<dd>45-55 minutes</dd>" in guide
    assert "Education for a Connected World" in guide and "Online relationships" in guide
    assert "Relationships Education; Health Education" in guide

    class Entry:  # what the site's lesson card reads
        module, slug, pages = m, "who-can-i-tell", ()

        @staticmethod
        def href(page: str = "") -> str:
            return "lessons/who-can-i-tell/index.html"
    assert "45-55 minutes" in lesson_card(Entry())


def test_the_apps_library_list_shows_the_range(bundled):
    from edukit.gui.library_pane import badges  # the list's badges are plain text, no window

    m = next(m for m in bundled if m.id == "who-can-i-tell")
    assert badges(m)[0] == "45-55 min"
