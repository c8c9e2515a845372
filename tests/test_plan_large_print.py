"""A lesson plan in large print runs on over pages, and no page holds only a leftover: the
third page of who-can-i-tell's plan used to hold the stretch task alone (online-friends-and-
secrets' a tenth of a page). Its differentiation notes now use the full width and the end of
the plan keeps together (core/printing.py LARGE_PRINT_PLAN), with its text no smaller. Read
back with poppler (`pdftotext -bbox`): how far down each page its text reaches. The positive
control prints the same plans without those rules: the leftovers are back, and the check says
so. (The plan on one page in normal print: tests/test_plan_one_page.py.)"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from edukit.core.options import PrintOptions
from edukit.core.printing import PAPER_MM, page_margins

REPO = Path(__file__).parent.parent
MM = 72 / 25.4
LEAST = 0.2  # of a page's height: less than that on a page is a leftover
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)
WORD_BOTTOM = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">')
# The CLI with the large-print plan rules and margins taken away (the control: as before)
WITHOUT_RULES = """import sys
import edukit.core.printing as printing
printing.LARGE_PRINT_PLAN = ""
usual = printing.page_margins
printing.page_margins = lambda o: (14, 16, 14, 18) if o.large_print else usual(o)
from edukit.cli import main
sys.exit(main())
"""


def page_fill(pdf: Path, paper: str) -> list[float]:
    """For each page, how far down its text area the text reaches (0 to 1; headers and
    footers, drawn in the margins, left out)."""
    _, top, _, bottom = (v * MM for v in page_margins(PrintOptions(kind="plan",
                                                                   large_print=True)))
    height = PAPER_MM[paper][1] * MM - top - bottom
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    fills = []
    for _, page_height, body in PAGE.findall(out):
        bottoms = [float(y1) for y0, y1 in WORD_BOTTOM.findall(body)
                   if top < float(y0) < float(page_height) - bottom]
        fills.append((max(bottoms, default=top) - top) / height)
    return fills


def plans(tmp_path: Path, user_dirs: dict[str, Path], paper: str, font: str = "default",
          rules: bool = True) -> dict[str, list[float]]:
    """Every bundled lesson's large-print plan: each page's fill."""
    (user_dirs["config"] / "preferences.json").write_text(json.dumps(
        {"schema_version": 2, "reading_font": font}), encoding="utf-8")
    out = tmp_path / f"plans-{paper}-{font}-{rules}"
    command = [sys.executable, "-m", "edukit"] if rules else [sys.executable, "-c", WITHOUT_RULES]
    run = subprocess.run([*command, "export", "--all", "--as", "plan", "--large-print",
                          "--paper", paper, "-o", str(out)], cwd=REPO, capture_output=True,
                         text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr
    return {path.name.removesuffix("-plan.pdf"): page_fill(path, paper)
            for path in sorted(out.glob("*-plan.pdf"))}


def leftovers(found: dict[str, list[float]]) -> dict[str, list[float]]:
    return {plan: [round(f, 2) for f in fills] for plan, fills in found.items()
            if len(fills) > 1 and min(fills) < LEAST}


@pytest.mark.parametrize("paper, font", [("a4", "default"), ("letter", "default"),
                                         ("a4", "dyslexic")])
def test_no_large_print_plan_has_a_page_holding_only_a_leftover(tmp_path, user_dirs, paper,
                                                                font):
    found = plans(tmp_path, user_dirs, paper, font)
    assert len(found) >= 19
    assert leftovers(found) == {}
    assert all(len(fills) <= 4 for fills in found.values()), found


def test_who_can_i_tell_prints_its_plan_on_two_pages_in_large_print(tmp_path, user_dirs):
    out = tmp_path / "plan.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", "who-can-i-tell", "--as",
                          "plan", "--large-print", "-o", str(out)], cwd=REPO,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(out).pages]
    assert len(pages) == 2
    assert "Quiet exit" in pages[1] and "Design a calm poster" in pages[1]
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):
        if "Design a calm poster" in text:
            sizes.append(abs(size * tm[3] * cm[3]))
    PdfReader(out).pages[1].extract_text(visitor_text=visit)
    assert sizes and min(sizes) == pytest.approx(18, abs=0.3)  # large print, not shrunk


def test_control_without_the_rules_the_leftovers_are_caught(tmp_path, user_dirs):
    found = leftovers(plans(tmp_path, user_dirs, "a4", rules=False))
    assert "who-can-i-tell" in found and len(found) >= 3, found
