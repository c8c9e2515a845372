"""School-detail placeholders read as plain English with the details set and without them
(issue 14): no "our Designated Safeguarding Lead is your Designated Safeguarding Lead", no
"the your school", and a fallback that starts a sentence starts with a capital letter."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from edukit.core.library import Library, load_module
from edukit.core.model import School
from edukit.core.render import RenderContext, render

FULL = School(name="Oak Academy", dsl_name="Ms Patel", dsl_contact="room 4",
              deputy_dsl_name="Mr Jones", online_safety_lead="Mrs Khan", phone="01632 960000",
              lado="Mr Brown (LADO)", social_care="Anytown MASH",
              social_care_out_of_hours="Anytown emergency duty team")
ROLE = r"(?:Deputy )?Designated Safeguarding Lead|DSL"
I = re.IGNORECASE
AWKWARD = [
    re.compile(rf"\b(?:{ROLE})\W+(?:is|are)\W+(?:our|your|the)\W+(?:{ROLE})\b", I),  # X is X
    re.compile(rf"\b(?:{ROLE}|Deputies)\W+\((?:the |your )(?:{ROLE})\)", I),  # X (X)
    re.compile(r"\b(?:the|a|our|your) (?:your|the) (?:school|Designated|Deputy)\b"),  # the your
    re.compile(r"(?:^|[.!?]\s)(?:your|the) (?:school|Designated|Deputy)\b"),  # no capital letter
]


def paragraphs(html: str) -> list[str]:
    """Each paragraph, list item and heading as plain text."""
    blocks = re.findall(r"<(p|li|h[1-6]|td)\b[^>]*>(.*?)</\1>", html, re.DOTALL)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", inner)).split()) for _, inner in blocks]


def awkward(html: str) -> list[str]:
    return [text[:90] for text in paragraphs(html) if any(p.search(text) for p in AWKWARD)]


@pytest.fixture(scope="module")
def bundled() -> list:
    return [m for m in Library.default().all if m.origin == "bundled"]


def write_module(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_module(path, "file")


def rendered(module, school: School, view: str) -> str:
    return render(module, view, RenderContext(school=school)).html


def test_the_check_finds_the_old_wording(tmp_path):
    """The control: the sentences the review found, rendered without school details."""
    old = ('Say: "At {{ school.name }}, our Designated Safeguarding Lead is {{ school.dsl_name }}."'
           "\n\n- {{ school.dsl_name }} is our Designated Safeguarding Lead\n"
           "- Deputies ({{ school.deputy_dsl_name }}) are trained\n\n"
           "Follow the {{ school.name }} child protection policy.\n")
    module = write_module(tmp_path, "old.md", "---\ntitle: Old\n---\n\n# Old\n\n" + old)
    found = awkward(rendered(module, School(), "lesson"))
    assert len(found) == 4, found
    assert awkward(rendered(module, FULL, "lesson")) == []


def test_a_fallback_that_starts_a_sentence_has_a_capital_letter(tmp_path):
    module = write_module(tmp_path, "cap.md", "---\ntitle: Cap\n---\n\n# Cap\n\n"
                          "{{ school.dsl_name }} can help. Ask {{ school.dsl_name }}. "
                          "Go to {{ school.name }}! {{ school.name }} is open.\n")
    text = " ".join(paragraphs(rendered(module, School(), "lesson")))
    assert "Your Designated Safeguarding Lead can help. Ask your Designated" in text
    assert "Go to your school! Your school is open." in text
    named = " ".join(paragraphs(rendered(module, School(name="oak school"), "lesson")))
    assert "Go to oak school! oak school is open." in named  # a school's own name is as typed


@pytest.mark.parametrize("view", ["guide", "handout", "lesson"])
def test_bundled_lessons_read_naturally_with_and_without_school_details(bundled, view):
    for module in bundled:
        for school in (School(), FULL):
            assert awkward(rendered(module, school, view)) == [], (module.id, school.name)
