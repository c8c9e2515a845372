"""Resources a safeguarding lead prints besides lessons (issue 15): a `kind:` in front matter,
validated, listed, printed on one page with the school's details, exported like a lesson."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from edukit.core.flowchart import (
    FITS,
    FLOWCHART_FILE,
    Graph,
    Node,
    graph_problems,
    load_graph,
    paths_to_outcomes,
    placed,
    reachable,
    render_svg,
)
from edukit.core.library import Library
from edukit.core.model import RESOURCE_KINDS, School
from edukit.core.render import RenderContext, render
from edukit.core.validate import validate_module

REPO = Path(__file__).parent.parent
FLOWCHART = REPO / "content/modules/dsl-image-incident-flowchart" / FLOWCHART_FILE
ONE_PAGE = ("dsl-image-incident-flowchart", "dsl-incident-record-form",
            "letter-sextortion-alert", "letter-after-an-incident")
LETTERS = ("letter-sextortion-alert", "letter-after-an-incident")


def edukit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edukit", *args], cwd=REPO, check=False,
                          capture_output=True, text=True, timeout=300)


def write_module(folder: Path, front: str, body: str = "# A title\n\nSome text.\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "module.md").write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
    return folder / "module.md"


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.default()


@pytest.fixture(scope="module")
def resources(library) -> list:
    return [m for m in library.all if m.origin == "bundled" and m.meta.is_resource]


# --- 1. the kind in front matter ------------------------------------------------------------

def test_an_unknown_kind_is_an_error_naming_the_file_and_its_line(tmp_path):
    write_module(tmp_path / "m" / "odd", "title: Odd\naudience: staff\nkind: poster")
    run = edukit("--content", str(tmp_path / "m"), "validate", "odd")
    assert run.returncode == 1
    assert re.search(r"odd/module\.md:4: error: unknown kind 'poster' \(use lesson, letter, "
                     r"flowchart, form, quiz, plan\)", run.stdout + run.stderr), run.stdout


@pytest.mark.parametrize("kind", RESOURCE_KINDS)
def test_each_resource_kind_validates_and_prints_with_the_schools_details(tmp_path, kind):
    path = write_module(tmp_path / kind, f"title: A {kind}\naudience: staff\nkind: {kind}")
    (tmp_path / kind / FLOWCHART_FILE).write_text(  # a flowchart draws its chart; others ignore it
        "start: a\nnodes:\n  a: {type: start, text: Start, next: b}\n"
        "  b: {type: outcome, text: Done}\n")
    module = Library(roots=[(tmp_path, "extra")]).resolve(str(path))
    assert module.meta.kind == kind
    assert [p for p in validate_module(module) if p.is_error] == []
    school = School(name="Hill <Primary>", dsl_name="Ms Rivera")
    html = render(module, "handout", RenderContext(school=school)).html
    assert "Hill &lt;Primary&gt;" in html and "Ms Rivera" in html and "Some text." in html
    assert f'class="resource kind-{kind}"' in html
    assert ('class="signature"' in html) == (kind == "letter")
    assert ("<svg" in html) == (kind == "flowchart")


@pytest.mark.parametrize("body, headings", [
    ("# Dear parents\n\nSome text.\n", ["Dear parents"]),  # its own heading, printed once
    ("# A letter\n\nSome text.\n", ["A letter"]),  # the title itself, once
    ("Some text.\n\n## Why\n", ["A letter"]),  # no heading of its own: the title heads it
])
def test_a_resource_prints_one_main_heading(tmp_path, body, headings):
    path = write_module(tmp_path / "l", "title: A letter\naudience: parents\nkind: letter", body)
    module = Library(roots=[(tmp_path, "extra")]).resolve(str(path))
    html = render(module, "handout", RenderContext()).html
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == headings


def test_a_module_without_a_kind_is_a_lesson(library):
    assert library.resolve("sextortion").meta.kind == "lesson"


def test_list_json_shows_the_kind_and_list_filters_by_it():
    rows = json.loads(edukit("list", "--json").stdout)
    kinds = {r["id"]: r["kind"] for r in rows}
    assert kinds["sextortion"] == "lesson"
    assert kinds["dsl-image-incident-flowchart"] == "flowchart"
    assert kinds["dsl-incident-record-form"] == "form"
    forms = json.loads(edukit("list", "--json", "--kind", "form").stdout)
    assert forms and {r["kind"] for r in forms} == {"form"}


def test_bundled_resources_validate_without_errors_or_warnings(resources, library):
    assert {m.meta.kind for m in resources} >= {"flowchart", "form"}
    assert [str(p) for m in resources for p in validate_module(m, library)] == []


# --- 2. the DSL's flowchart ------------------------------------------------------------------

def test_every_box_of_the_incident_flowchart_is_reachable_and_every_path_ends_at_an_outcome():
    graph = load_graph(FLOWCHART)
    assert graph_problems(graph) == []
    assert reachable(graph) == set(graph.nodes)
    paths = paths_to_outcomes(graph)
    assert len(paths) >= 4
    assert all(graph.nodes[p[-1]].type == "outcome" for p in paths)


def test_the_flowchart_says_never_view_tell_the_dsl_police_parents_and_social_care():
    text = " ".join(n.text for n in load_graph(FLOWCHART).nodes.values())
    for words in ("Never view", "tell the DSL", "999", "101", "police", "parents or carers",
                  "children's social care", "Report Remove"):
        assert words in text, words
    # only the numbers the reference sheet lists for the police
    assert set(re.findall(r"\d{3,}", text)) <= {"999", "101"}


def chart(**nodes: Node) -> Graph:
    return Graph("a", dict(nodes))


@pytest.mark.parametrize("graph, problem", [
    (chart(a=Node("a", "action", "x", ())), "dead end"),
    (chart(a=Node("a", "action", "x", (("next", "z"),))), "not a node"),
    (chart(a=Node("a", "question", "x", (("yes", "b"),)), b=Node("b", "outcome", "y", ())),
     "needs both a yes and a no"),
    (chart(a=Node("a", "action", "x", (("next", "b"),)), b=Node("b", "outcome", "y", ()),
           c=Node("c", "outcome", "lost", ())), "cannot be reached"),
    (chart(a=Node("a", "action", "x", (("next", "b"),)),
           b=Node("b", "question", "y", (("yes", "a"), ("no", "c"))),
           c=Node("c", "outcome", "z", ())), "loops back"),
])
def test_a_broken_flowchart_is_caught(graph, problem):
    """Positive controls for the reachability test above: each fault is reported."""
    assert any(problem in p for p in graph_problems(graph)), graph_problems(graph)


def test_a_broken_flowchart_file_is_a_validation_error(tmp_path):
    folder = tmp_path / "m" / "chart"
    write_module(folder, "title: Chart\naudience: staff\nkind: flowchart")
    (folder / FLOWCHART_FILE).write_text("start: a\nnodes:\n  a: {type: action, text: x}\n")
    run = edukit("--content", str(tmp_path / "m"), "validate", "chart")
    assert run.returncode == 1
    assert "flowchart.yaml:1: error: flowchart: 'a' is a dead end" in run.stdout + run.stderr


def test_flowchart_text_is_escaped_in_the_svg():
    graph = chart(a=Node("a", "start", "<script>x</script> & <b>", (("next", "b"),)),
                  b=Node("b", "outcome", "done", ()))
    svg = render_svg(graph)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; &lt;b&gt;" in svg
    assert svg.count("<rect") == 2 and svg.count("<polyline") == 1


def test_the_incident_form_leaves_lines_to_write_on_and_stores_no_names(library):
    module = library.resolve("dsl-incident-record-form")
    html = render(module, "handout", RenderContext()).html
    for words in ("Who reported it", "What was reported", "decide, and why", "told",
                  "Completed by"):
        assert words in html, words
    assert re.search(r'class="[^"]*\bworksheet\b', html)  # printed with ruled lines (print.css, resources.css)


def school_settings(user_dirs) -> None:
    (user_dirs["config"] / "school.json").write_text(
        '{"schema_version": 1, "name": "Hill Primary", "dsl_name": "Ms Rivera"}')


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_flowchart_the_form_and_the_letters_each_print_on_one_page(tmp_path, paper,
                                                                       user_dirs):
    school_settings(user_dirs)
    run = edukit("export", *ONE_PAGE, "--paper", paper, "-o", str(tmp_path))
    assert run.returncode == 0, run.stderr
    lesson = edukit("export", "nudes-consent-and-the-law", "--as", "letter", "--paper", paper,
                    "-o", str(tmp_path / "lesson-letter.pdf"))
    assert lesson.returncode == 0, lesson.stderr
    files = {m: tmp_path / f"{m}-handout.pdf" for m in ONE_PAGE}
    files["nudes-consent-and-the-law"] = tmp_path / "lesson-letter.pdf"
    for module_id, path in files.items():
        reader = PdfReader(path)
        assert len(reader.pages) == 1, (module_id, paper, len(reader.pages))
        text = " ".join(reader.pages[0].extract_text().split())
        assert "Hill Primary" in text and "Ms Rivera" in text and "Page 1 of 1" in text
        assert re.search(r"\b\d{1,2} [A-Z][a-z]+ 20\d\d\b", text), module_id  # dated
        if module_id in (*LETTERS, "nudes-consent-and-the-law"):
            assert "Yours faithfully" in text and "Designated Safeguarding Lead, Hill" in text


# --- 3. letters home ----------------------------------------------------------------------

def letter_prose(module) -> str:
    """The letter's text as sentences (wrapped lines joined), as a parent reads it."""
    out = []
    for part in re.split(r"\n\s*\n|\n(?=- )", module.body):
        part = " ".join(re.sub(r"\{\{[^}]*\}\}", "the school", part).split())
        part = re.sub(r"^#+ |^- |[*_\\]", "", part).strip()
        if part:
            out.append(part if part.endswith((".", "?", "!", ":")) else part + ".")
    return "\n".join(out)


@pytest.mark.parametrize("module_id", LETTERS)
def test_letters_home_are_at_reading_grade_8_or_below(library, module_id):
    import textstat

    grade = textstat.flesch_kincaid_grade(letter_prose(library.resolve(module_id)))
    assert grade <= 8, grade


def test_the_sextortion_letter_states_only_the_ncas_facts_from_the_reference_sheet(library):
    text = " ".join(library.resolve("letter-sextortion-alert").body.split())
    for words in ("April 2024", "National Crime Agency", "never your fault", "Do not pay",
                  "Block", "Do not delete", "101", "999", "CEOP Safety Centre", "Report Remove",
                  "Take It Down", "boys aged 14 to 18", "less than an hour"):
        assert words in text, words
    assert set(re.findall(r"\d+", text)) <= {"2024", "14", "18", "101", "999"}


def test_the_letter_after_an_incident_names_no_child_and_blames_no_one(library):
    text = " ".join(library.resolve("letter-after-an-incident").body.split())
    assert "not share any details about the children" in text
    assert "not their fault" in text and "not be in trouble" in text
    assert "Do not look at, save, copy or forward" in text
    assert "Year \\_" in text  # the year group is written in by hand, never stored


def test_a_lesson_letter_is_made_from_its_summary_and_objectives(library, user_dirs):
    from edukit.core.resources import render_lesson_letter

    lesson = library.resolve("who-can-i-tell")
    html = render_lesson_letter(lesson, RenderContext(school=School(name="Hill <Primary>"))).html
    assert lesson.meta.summary.split(".")[0] in html
    for objective in lesson.meta.objectives:
        assert objective[1:40] in html
    assert "Hill &lt;Primary&gt;" in html and 'class="signature"' in html
    assert "<strong>Who can I tell?</strong> It is" in html


def test_a_staff_module_has_no_letter_home(tmp_path):
    run = edukit("export", "staff-responding-to-disclosures-and-image-incidents", "--as",
                 "letter", "-o", str(tmp_path / "x.pdf"))
    assert run.returncode == 1 and "staff module" in run.stderr
    assert not (tmp_path / "x.pdf").exists()


# --- 4. staff training evidence ------------------------------------------------------------
QUIZZES = ("quiz-responding-to-disclosures", "quiz-dsl-online-risk")
STAFF = "staff-responding-to-disclosures-and-image-incidents"


@pytest.mark.parametrize("module_id", QUIZZES)
def test_each_staff_module_has_a_ten_question_knowledge_check(library, module_id):
    module = library.resolve(module_id)
    assert module.meta.kind == "quiz" and module.meta.audience == "staff"
    assert len(re.findall(r"^\d+\. ", module.body, re.MULTILINE)) == 10
    key = re.search(r"::: solution\n(.*?)\n:::", module.body, re.DOTALL).group(1)
    assert len(re.findall(r"\b(?:10|[1-9]) \([^)]", key)) == 10  # an answer for each question
    assert len(re.findall(r"^ +- ", module.body, re.MULTILINE)) == 30  # three choices each


@pytest.mark.parametrize("module_id", QUIZZES)
def test_the_answer_key_is_in_the_trainers_copy_and_never_in_the_attendee_copy(library,
                                                                               module_id):
    module = library.resolve(module_id)
    attendee = render(module, "handout", RenderContext()).html
    trainer = render(module, "guide", RenderContext()).html
    # positive control: the key's words are there to find, in the trainer's copy
    assert "Answer key" in trainer and re.search(r"\b1 \(", trainer)
    assert "Answer key" not in attendee and not re.search(r"\b1 \(", attendee)
    assert "answer key" not in attendee.lower()
    reading = render(module, "lesson", RenderContext()).html  # the app's reading view, a site
    assert "Answer key" not in reading and not re.search(r"\b1 \(", reading)


def test_the_printed_attendee_copy_has_no_key_and_fits_one_page(tmp_path):
    run = edukit("export", *QUIZZES, "--paper", "letter", "-o", str(tmp_path))
    assert run.returncode == 0, run.stderr
    for module_id in QUIZZES:
        reader = PdfReader(tmp_path / f"{module_id}-handout.pdf")
        text = reader.pages[0].extract_text()
        assert len(reader.pages) == 1 and "Circle the best answer" in text
        assert "Answer key" not in text and "ANSWER KEY" not in text


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_attendance_register_is_one_page_with_name_role_and_signature(tmp_path, paper):
    out = tmp_path / "register.pdf"
    run = edukit("export", STAFF, "--as", "register", "--paper", paper, "-o", str(out))
    assert run.returncode == 0, run.stderr
    reader = PdfReader(out)
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1, len(reader.pages)
    for words in ("Name", "Role", "Signature", "Date of the session", "Trainer",
                  "Responding to disclosures and image incidents"):
        assert words in text, words


NAMES = ["Ms A. Rivera", "Mr <b>Bold</b> & Co", "<img src=x onerror=alert(1)>",
         "Dr Ōkubo-Łukasz", "</p><h1>Not a heading</h1>"]


def test_certificates_come_out_one_page_per_name_with_names_as_typed(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("\n".join([NAMES[0], "", *NAMES[1:], "   "]) + "\n", encoding="utf-8")
    out = tmp_path / "certificates.pdf"
    run = edukit("export", STAFF, "--as", "certificate", "--names", str(names), "-o", str(out))
    assert run.returncode == 0, run.stderr
    reader = PdfReader(out)
    assert len(reader.pages) == len(NAMES)  # blank lines are not people
    for page, name in zip(reader.pages, NAMES):
        text = page.extract_text()
        assert name in text, (name, text)  # shown as typed: escaped, never markup
        assert "Certificate of completion" in text and "Review due" not in text


def test_certificate_names_are_escaped_at_the_root(library):
    """The page HTML carries each name as text; positive control: the raw name is markup."""
    from edukit.core.resources import render_certificates

    html = render_certificates(library.resolve(STAFF), RenderContext(), tuple(NAMES)).html
    assert html.count('class="certificate"') == len(NAMES)
    for raw in NAMES[1:3] + NAMES[4:]:
        assert raw not in html  # the harm: the raw name would be live HTML
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "Mr &lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html


def test_names_survive_the_print_query_whatever_they_contain():
    from edukit.core.printing import PrintOptions, options_from_query, print_query

    options = PrintOptions(kind="certificate", names=("a&kind=guide", "b=c", "é\u202e"))
    query = dict(pair.split("=", 1) for pair in print_query(options).split("&"))
    assert options_from_query(query) == options
    assert options_from_query({"kind": "certificate", "names": "%%%"}).names == ()


def test_names_and_training_kinds_are_refused_where_they_mean_nothing(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("Ann\n")
    run = edukit("export", STAFF, "--as", "handout", "--names", str(names), "-o",
                 str(tmp_path / "a.pdf"))
    assert run.returncode != 0 and "--names is only for --as certificate" in run.stderr
    run = edukit("export", "sextortion", "--as", "register", "-o", str(tmp_path / "b.pdf"))
    assert run.returncode == 1 and "does not apply to 'sextortion' (a pupil lesson)" in run.stderr
    names.write_bytes(b"\xff\xfe\x00bad")
    run = edukit("export", STAFF, "--as", "certificate", "--names", str(names), "-o",
                 str(tmp_path / "c.pdf"))
    assert run.returncode == 1 and "not UTF-8" in run.stderr and "Traceback" not in run.stderr
    assert not any(tmp_path.glob("*.pdf"))


# --- 5. the one-page lesson plan -----------------------------------------------------------

def test_a_lesson_plan_has_objectives_timings_resources_differentiation_and_safeguarding(
        library):
    from edukit.core.pacing import module_plans
    from edukit.core.resources import render_lesson_plan

    lesson = library.resolve("sextortion")
    html = render_lesson_plan(lesson, RenderContext(school=School(dsl_name="Ms Rivera")),
                              library.topic_labels).html
    for objective in lesson.meta.objectives:
        assert objective[:40].replace("'", "&#x27;") in html
    timed = [p for p in module_plans(lesson) if p.minutes]
    assert len(timed) >= 5 and all(f"{p.minutes} min" in html for p in timed)
    for words in ("Resources", "Differentiation", "SEND", "Quiet exit", "EAL key words", "Stretch",
                  "Safeguarding notes", "Tell Ms Rivera before the lesson", "Expect disclosures",
                  "Curriculum links", "RSHE: Relationships and Sex Education",
                  "Education for a Connected World: Online relationships",
                  f"{lesson.meta.duration_text()} minutes"):
        assert words in html, words


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_bundled_lesson_plan_prints_on_one_page(tmp_path, paper, library):
    run = edukit("export", "--all", "--as", "plan", "--paper", paper, "-o", str(tmp_path))
    assert run.returncode == 0, run.stderr
    lessons = [m for m in library.modules if not m.meta.is_resource]
    readers = {m.id: PdfReader(tmp_path / f"{m.id}-plan.pdf") for m in lessons}
    pages = {module_id: len(reader.pages) for module_id, reader in readers.items()}
    assert len(pages) >= 19 and set(pages.values()) == {1}, pages
    for m in lessons:  # pupil lessons fit with their adaptations (test_adaptations)
        if m.meta.audience == "pupils":
            words = " ".join(readers[m.id].pages[0].extract_text().split())
            assert "Quiet exit" in words and "EAL key words" in words, m.id


def test_the_flowchart_is_drawn_on_its_slides_row_by_row_with_its_text_escaped(library, tmp_path):
    # A DSL presents the chart: one drawing per row of boxes (the slide fitter continues the
    # slide between rows), each a window on the same chart, the text escaped as on paper.
    module = library.resolve("dsl-image-incident-flowchart")
    slides = render(module, "slides", RenderContext()).slides
    chart = slides[-1]
    graph = load_graph(FLOWCHART)
    rows = len(set(placed(graph)[0].values()))
    assert chart.html.startswith("<h2")
    assert chart.notes_html == "" and slides[0].html.count("<svg") == 0  # the intro stays apart
    for fit in FITS:  # drawn for each reading font (fonts.css shows the one its text fits)
        assert chart.html.count(f'class="flowchart-band fits-{fit}"') == rows
        boxes = [v.split() for v in re.findall(
            rf'<svg class="flowchart-band fits-{fit}"[^>]* viewBox="([^"]+)"', chart.html)]
        tops, heights = [float(b[1]) for b in boxes], [float(b[3]) for b in boxes]
        assert all(abs(t + h - n) < 0.01 for t, h, n in zip(tops, heights, tops[1:]))  # rows join
    ids = re.findall(r'<marker id="([^"]+)"', chart.html)
    assert len(ids) == len(set(ids)) == rows * len(FITS)  # ids unique on the slides page
    hostile = chart_module(tmp_path, "start: a\nnodes:\n  a: {type: start, text: '<script>x</script>', "
                                     "next: b}\n  b: {type: outcome, text: done}\n")
    html = render(hostile, "slides", RenderContext()).slides[-1].html
    assert "<script>" not in html and "&lt;script&gt;" in html
    broken = chart_module(tmp_path, "start: a\nnodes:\n  a: {type: action, text: x}\n")
    html = render(broken, "slides", RenderContext()).slides[-1].html
    assert "flowchart-problem" in html and "dead end" in html and "<svg" not in html


def chart_module(tmp_path: Path, chart_yaml: str):
    folder = tmp_path / f"m{len(list(tmp_path.iterdir()))}" / "chart"
    write_module(folder, "title: Chart\naudience: staff\nkind: flowchart")
    (folder / FLOWCHART_FILE).write_text(chart_yaml)
    return Library.default(extra=[folder.parent]).resolve("chart")
