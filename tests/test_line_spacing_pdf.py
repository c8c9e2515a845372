"""Settings > Line spacing reaches paper: `edukit export` (the app's own print path, offscreen)
lays handouts, guides and slides out with the chosen spacing, read back from the PDF's text
positions (pdftotext -bbox) and page counts."""
from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">')
PAGE = re.compile(r'<page width="([\d.]+)"')


def exported(tmp_path, user_dirs, fixture_content, spacing: str | None, kind: str) -> Path:
    prefs = {"schema_version": 2} | ({"line_spacing": spacing} if spacing else {})
    (user_dirs["config"] / "preferences.json").write_text(json.dumps(prefs), encoding="utf-8")
    out = tmp_path / f"{kind}-{spacing}.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "--content", str(fixture_content),
                          "export", "sample-lesson", "--as", kind, "-o", str(out)],
                         capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr
    return out


def line_pitch(pdf: Path) -> float:
    """The usual distance between one line of body text and the next, over the text's height:
    1.38 for a handout's lines as designed, 2.0 at the widest spacing."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    ratios = []
    pages = PAGE.split(bbox)[1:]
    for width, page in zip(pages[::2], pages[1::2]):
        lines: dict[tuple[float, float], float] = {}  # (top, height) → leftmost word
        for left, top, bottom in WORD.findall(page):
            key = (round(float(top), 1), round(float(bottom) - float(top), 1))
            lines[key] = min(lines.get(key, 1e9), float(left))
        body = statistics.mode(height for _, height in lines)  # the body text's size
        for column in (0, 1):  # the help box sets its routes in two columns
            tops = sorted(top for (top, height), left in lines.items()
                          if height == body and int(2 * left // float(width)) == column)
            ratios += [(b - a) / body for a, b in pairwise(tops)
                       if 0 < b - a < 3 * body]
    return statistics.median(ratios)


@pytest.mark.parametrize("kind", ["handout", "guide"])
def test_printed_lines_are_as_far_apart_as_the_reader_chose(tmp_path, user_dirs, fixture_content,
                                                            kind):
    usual = exported(tmp_path, user_dirs, fixture_content, None, kind)  # control
    widest = exported(tmp_path, user_dirs, fixture_content, "widest", kind)
    pitch = {"usual": line_pitch(usual), "widest": line_pitch(widest)}
    pages = {"usual": len(PdfReader(usual).pages), "widest": len(PdfReader(widest).pages)}
    print(f"{kind}: line pitch / text height {pitch}, pages {pages}")
    # The text box of a line (pdftotext's height) is about 1.15 of the font size, so a
    # line-height of 2.0 shows as 2.0 / 1.15 ≈ 1.7; the designed 1.38 / 1.55 as 1.2-1.35.
    assert pitch["widest"] > pitch["usual"] * 1.25
    assert pages["widest"] > pages["usual"]


def test_printed_slides_are_measured_again_in_the_wider_spacing(tmp_path, user_dirs,
                                                                 fixture_content):
    usual = exported(tmp_path, user_dirs, fixture_content, "normal", "slides")
    widest = exported(tmp_path, user_dirs, fixture_content, "widest", "slides")
    pitch = {"usual": line_pitch(usual), "widest": line_pitch(widest)}
    pages = {"usual": len(PdfReader(usual).pages), "widest": len(PdfReader(widest).pages)}
    print(f"slides: line pitch / text height {pitch}, pages {pages}")
    assert pitch["widest"] > pitch["usual"] * 1.1  # less than 2.0 / 1.38: headings stay tight
    assert pages["widest"] >= pages["usual"]
