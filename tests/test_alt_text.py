"""Alt text: a picture in a pupils' lesson without words for a screen reader is an error."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from edukit.core.library import Library, Root
from edukit.core.markdown import Converter
from edukit.core.model import Problem, School
from edukit.core.validate import validate_module

MISSING = "has no alt text"


def problems(tmp_path: Path, body: str, audience: str = "pupils") -> list[Problem]:
    folder = tmp_path / "lesson"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "module.md").write_text(
        f"---\ntitle: Lesson\naudience: {audience}\n---\n# Lesson\n\n{body}\n", encoding="utf-8")
    library = Library([Root(tmp_path, "extra")])
    library.refresh()
    return [p for p in validate_module(library.all[0], reading_level=False)
            if MISSING in p.message]


NO_ALT = {
    "markdown, empty": "![](images/x.png)",
    "markdown, only spaces": "![   ](images/x.png)",
    "markdown, title but no alt": '![](images/x.png "A hand")',
    "markdown, other class": "![](images/x.png){.wide}",
    "html, no alt attribute": '<img src="images/x.png">',
    "html, empty alt": '<img src="images/x.png" alt="">',
    "html, alt of spaces, self-closed": "<IMG SRC='images/x.png' ALT='  ' />",
    "html, decorative word in the alt not the class": '<img src="images/x.png" alt="" title="decorative">',
    "marp background, layout words only": "![bg left:40% contain](images/x.png)",
    "marp background, bare": "![bg](images/x.png)",
    "second picture on a line": "![Hand](images/x.png) and ![](images/x.png)",
}

WITH_ALT = {
    "markdown": "![A hand raised to ask for help](images/x.png)",
    "markdown, decorative": "![](images/x.png){.decorative}",
    "markdown, decorative among classes": "![](images/x.png){: .wide .decorative}",
    "html": '<img src="images/x.png" alt="A hand">',
    "html, decorative": '<img src="images/x.png" alt="" class="border decorative">',
    "marp background, described": "![bg left:40% A park at night](images/x.png)",
    "marp background, decorative": "![bg](images/x.png){.decorative}",
    "in a code block": "```\n![](images/x.png)\n```",
    "in inline code": "Write `<img src=\"x.png\">` or ``![](x.png)`` to show a picture",
}


@pytest.mark.parametrize("body", NO_ALT.values(), ids=NO_ALT.keys())
def test_picture_without_alt_is_an_error_in_a_pupils_lesson(tmp_path: Path, body: str):
    found = problems(tmp_path, body)
    assert len(found) == 1, found
    assert found[0].severity == "error"
    assert found[0].line == 7
    assert "images/x.png" in found[0].message and "{.decorative}" in found[0].message


@pytest.mark.parametrize("audience", ["staff", "parents", "null"])
def test_picture_without_alt_is_a_warning_for_staff_parents_or_no_audience(
        tmp_path: Path, audience: str):
    # No audience: a deck from another tool, untouched, validates without errors.
    found = problems(tmp_path, "![](images/x.png)", audience)
    assert [p.severity for p in found] == ["warning"]


@pytest.mark.parametrize("body", WITH_ALT.values(), ids=WITH_ALT.keys())
def test_described_or_decorative_picture_is_clean(tmp_path: Path, body: str):
    assert problems(tmp_path, body) == []


def test_a_bundled_lesson_with_its_alt_text_removed_fails(tmp_path: Path):
    # Positive control for the bundled library's clean run: the same lesson, its picture's
    # description deleted, is an error (so "0 errors" means every picture is described).
    source = Path(__file__).parent.parent / "content" / "modules" / "live-streaming-and-video-chat"
    text = (source / "module.md").read_text(encoding="utf-8")
    stripped = re.sub(r"!\[Three steps in a row[^\]]*\]", "![]", text)
    assert stripped != text and "audience: pupils" in text
    folder = tmp_path / "copy"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "stop-leave-tell.svg").write_bytes(
        (source / "images" / "stop-leave-tell.svg").read_bytes())
    for name, body in (("clean", text), ("stripped", stripped)):
        (folder / "module.md").write_text(body, encoding="utf-8")
        library = Library([Root(tmp_path, "extra")])
        library.refresh()
        found = [p for p in validate_module(library.all[0], reading_level=False)
                 if MISSING in p.message]
        assert [p.severity for p in found] == ([] if name == "clean" else ["error"])


@pytest.mark.parametrize("source", ["![bg](images/x.png){.decorative}",
                                    "![A sky](images/x.png){.decorative}",
                                    "![](images/x.png){.decorative}"])
def test_a_decorative_picture_is_drawn_with_an_empty_alt(source):
    # Screen readers skip an img with alt="": a decorative picture says nothing, not
    # "Background picture" or words left in its brackets. Control: unmarked, the words stay.
    conv = Converter(School(), lambda _audience: [], "pupils")
    assert 'alt=""' in conv.convert(source)
    assert 'alt="A sky"' in conv.convert("![A sky](images/x.png)")
