"""A screen reader reads the DSL's flowchart in the order a sighted reader follows it: each
question, then "Yes" and the box yes leads to, then "No" and the box no leads to. It reads an
inline SVG (the lesson view, the website) and a tagged PDF (`edukit export ... --format pdf`)
in document order, so the drawing's boxes and answers are written in that order. Checked in
the SVG and, through poppler (pdfinfo -struct-text), in the exported PDF; the positive control
is the same PDF with the answers moved first (the order before: every "Yes" and "No" was read
before the first box)."""
from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
from pdf_structure import elements, letters, tag_problems

from edukit.core.flowchart import FLOWCHART_FILE, Graph, Node, load_graph, render_svg

REPO = Path(__file__).parent.parent
MODULE = "dsl-image-incident-flowchart"
CHART = load_graph(REPO / "content/modules" / MODULE / FLOWCHART_FILE)
# The bundled chart as a sighted reader follows it down the page; "refer" is where both the
# third and the fourth question's yes lead, so it is read after each of them.
READ_IN_ORDER = ["reported", "staff",
                 "danger", "Yes", "call-999", "No",
                 "adult", "Yes", "police", "No",
                 "harm", "Yes", "refer", "No",
                 "parents", "Yes", "refer", "No", "tell-parents", "in-school"]


def expected(chart: Graph, order: list[str]) -> list[str]:
    return [step if step in ("Yes", "No") else chart.nodes[step].text for step in order]


def svg_text_in_order(svg: str) -> list[str]:
    """Each <text> element's words in document order (a box's lines are its <tspan>s)."""
    found = re.findall(r"<text\b[^>]*>(.*?)</text>", svg)
    return [html.unescape(" ".join(re.findall(r">([^<]+)<", f">{text}<"))) for text in found]


def same_words(found: list[str], wanted: list[str]) -> bool:
    return [letters(t) for t in found] == [letters(t) for t in wanted]


def test_the_chart_is_drawn_question_answer_next_step():
    assert same_words(svg_text_in_order(render_svg(CHART)), expected(CHART, READ_IN_ORDER))


def test_an_answer_leading_to_another_question_is_followed_by_that_question():
    # yes leads on to a second question: its answers come before the first question's "No"
    chart = Graph("q1", {
        "q1": Node("q1", "question", "First?", (("yes", "q2"), ("no", "o3"))),
        "q2": Node("q2", "question", "Second?", (("yes", "o1"), ("no", "o2"))),
        "o1": Node("o1", "outcome", "One", ()), "o2": Node("o2", "outcome", "Two", ()),
        "o3": Node("o3", "outcome", "Three", ())})
    assert svg_text_in_order(render_svg(chart)) == [
        "First?", "Yes", "Second?", "Yes", "One", "No", "Two", "No", "Three"]


def test_an_outcome_two_answers_lead_to_is_drawn_beside_each():
    svg = render_svg(CHART)
    assert svg.count("<rect") == len(CHART.nodes) + 1  # "refer" twice
    assert svg.count("<polyline") == sum(len(n.exits) for n in CHART.nodes.values())


def test_a_shared_step_that_goes_on_is_drawn_once():
    # an action two answers lead to has a way on: drawn (and read) once, its arrows meet
    chart = Graph("q", {
        "q": Node("q", "question", "Ask?", (("yes", "a"), ("no", "b"))),
        "b": Node("b", "action", "Before", (("next", "a"),)),
        "a": Node("a", "action", "Shared", (("next", "o"),)),
        "o": Node("o", "outcome", "End", ())})
    svg = render_svg(chart)
    assert svg.count("<rect") == 4
    assert svg_text_in_order(svg) == ["Ask?", "Yes", "Shared", "End", "No", "Before"]


# --- the exported, tagged PDF -----------------------------------------------------------------

def export_pdf(tmp_path: Path) -> Path:
    out = tmp_path / f"{MODULE}.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", MODULE, "--format", "pdf",
                          "-o", str(out)], cwd=REPO, capture_output=True, text=True,
                         timeout=180, check=False)
    assert run.returncode == 0, run.stderr
    return out


def paragraphs(path: Path) -> list[str]:
    """The text of each P in the structure tree, in reading order, as poppler reads it."""
    tree = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True,
                          text=True, check=True).stdout
    found: list[str] = []
    for line in tree.splitlines():
        if re.fullmatch(r"\s*P \(block\)", line):
            found.append("")
        elif (text := re.fullmatch(r'\s*"(.*)"\s*', line)) and found:
            found[-1] += text.group(1)
    return found


def chart_paragraphs(path: Path) -> list[str]:
    """The paragraphs of the chart: its boxes' text and its answers."""
    words = {letters(n.text) for n in CHART.nodes.values()} | {"Yes", "No"}
    return [p for p in paragraphs(path) if letters(p) in words]


def test_the_tagged_pdf_reads_question_answer_next_step(tmp_path):
    path = export_pdf(tmp_path)
    assert tag_problems(path) == []
    assert same_words(chart_paragraphs(path), expected(CHART, READ_IN_ORDER))


def test_answers_read_before_the_boxes_fail_the_check(tmp_path):
    """Positive control: the chart's answers moved to the front of its tags (as the drawing
    had them before) is caught by the same check."""
    path = export_pdf(tmp_path)
    pdf = pikepdf.open(path, allow_overwriting_input=True)
    chart = next(e for k, e in elements(pdf) if k == "Div" and isinstance(e.K, pikepdf.Array)
                 and len(e.K) == len(READ_IN_ORDER))  # the <svg>: a P for each box and answer
    kids = list(chart.K)
    answers = [n for n, step in enumerate(READ_IN_ORDER) if step in ("Yes", "No")]
    chart.K = pikepdf.Array([kids[n] for n in answers] +
                            [kid for n, kid in enumerate(kids) if n not in answers])
    pdf.save(path)
    assert tag_problems(path) == []  # sound tags, only in the wrong order
    found = chart_paragraphs(path)
    assert sorted(map(letters, found)) == sorted(map(letters, expected(CHART, READ_IN_ORDER)))
    assert not same_words(found, expected(CHART, READ_IN_ORDER))
