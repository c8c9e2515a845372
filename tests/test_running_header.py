"""Every printed page carries its running header: the lesson's title (top left) and the school's
name (top right), so a loose page from a pile is still known. Pages after the first have neither
in their text, so only the header can put them there."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pypdf import PdfReader

TITLE, SCHOOL = "Quokka Safety Lesson", "Wallaby Primary School"
PARAGRAPH = "Tell a trusted adult at home or at school if something online worries you. " * 6
LESSON = (f"---\ntitle: {TITLE}\naudience: pupils\nages: '11-14'\n---\n# {TITLE}\n\n"
          + "".join(f"## Part {n}\n\n{PARAGRAPH}\n\n" for n in range(1, 13)))


@pytest.mark.parametrize("kind", ["handout", "guide"])
def test_every_page_has_the_title_and_school_in_its_header(tmp_path, user_dirs, kind):
    (user_dirs["config"] / "school.json").write_text(
        json.dumps({"schema_version": 2, "name": SCHOOL}), encoding="utf-8")
    lesson = tmp_path / "quokka.md"
    lesson.write_text(LESSON, encoding="utf-8")
    out = tmp_path / f"{kind}.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", str(lesson), "--as", kind,
                          "-o", str(out)], capture_output=True, text=True, timeout=180,
                         check=False)
    assert run.returncode == 0, run.stderr
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(out).pages]
    assert len(pages) >= 2  # the later pages are the ones only a running header can name
    assert all(body.count(TITLE) == 1 for body in pages[1:])  # not in the body: header only
    for number, text in enumerate(pages, 1):
        assert TITLE in text, f"page {number} has no title in its header"
        assert SCHOOL in text, f"page {number} has no school in its header"
