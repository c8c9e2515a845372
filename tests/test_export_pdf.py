"""`edukit export` makes real PDFs headlessly, through the same locked-down pages as the app."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from user_files import ExportedOnce

from edukit.core.paths import content_dir

KINDS = ("handout", "worksheets", "guide", "notes", "slides", "nup")


# The PDFs exported so far in this file (many tests read the same export: the sample lesson's
# handout, with no school details, is read by seven); each still gets a file of its own, read
# by a PdfReader of its own, the export's checks, and the files it left in the user folders.
EXPORTED = ExportedOnce()


def exported(out: Path, *args: str, after: tuple[str, ...] = (), timeout: int = 120) -> str:
    """`edukit *args -o out *after`, or a copy of the same export made before; its stderr."""
    def export() -> str:
        run = subprocess.run([sys.executable, "-m", "edukit", *args, "-o", str(out), *after],
                             capture_output=True, text=True, timeout=timeout, check=False)
        assert run.returncode == 0, run.stderr
        return run.stderr
    return EXPORTED(out, (args, after), export)


def export(tmp_path, fixture_content, kind: str, *extra: str):
    out = tmp_path / f"{kind}.pdf"
    stderr = exported(out, "--content", str(fixture_content), "export", "sample-lesson", "--as",
                      kind, after=extra)
    assert "Traceback" not in stderr
    reader = PdfReader(out)
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_exports_a_pdf_with_title_and_page_numbers(tmp_path, fixture_content, kind):
    reader, text = export(tmp_path, fixture_content, kind)
    assert 1 <= len(reader.pages) <= 12
    assert "Sample lesson" in text
    assert f"Page 1 of {len(reader.pages)}" in text


@pytest.mark.parametrize("kind", ["handout", "worksheets", "slides", "nup"])
def test_teacher_notes_never_print_on_pupil_pages(tmp_path, fixture_content, kind):
    _, text = export(tmp_path, fixture_content, kind)
    assert "NOTES-SECRET" not in text and "SAFEGUARDING-SECRET" not in text


@pytest.mark.parametrize("kind", ["guide", "notes"])
def test_teacher_notes_print_in_guide_and_notes_pages(tmp_path, fixture_content, kind):
    _, text = export(tmp_path, fixture_content, kind)
    assert "NOTES-SECRET" in text and "SAFEGUARDING-SECRET" in text


def test_handout_carries_routes_box_school_contacts_and_urls(tmp_path, fixture_content, user_dirs):
    (user_dirs["config"] / "school.json").write_text(
        '{"schema_version": 1, "name": "Hill Primary", "dsl_name": "Ms Rivera"}')
    _, text = export(tmp_path, fixture_content, "handout")
    assert "Where to get help" in text and "Childline" in text and "0800 1111" in text
    assert "Ms Rivera" in text and "Hill Primary" in text
    assert "childline.org.uk" in text


def test_letter_paper_is_letter_sized(tmp_path, fixture_content):
    reader, _ = export(tmp_path, fixture_content, "handout", "--paper", "letter")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_web_links_print_with_their_url(tmp_path):
    lesson = tmp_path / "link-lesson.md"
    lesson.write_text("---\ntitle: Link lesson\n---\n# Link lesson\n\n::: activity\n"
                      "Visit [Childline](https://www.childline.org.uk/) today.\n:::\n")
    out = tmp_path / "link.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", str(lesson), "--as", "handout",
                          "-o", str(out)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    assert "Visit Childline (https://www.childline.org.uk/) today." in text


def test_handout_reads_in_order_take_home_text_first_and_help_last(tmp_path, fixture_content):
    _, text = export(tmp_path, fixture_content, "handout")
    order = [text.index(marker) for marker in
             ("HANDOUT-ONLY", "PEOPLE WHO CAN HELP AT SCHOOL", "Where to get help")]
    assert order == sorted(order)


def test_classwork_prints_for_the_class_not_on_the_take_home_sheet(tmp_path, fixture_content):
    """Activities and worksheets are done in class: they print as the worksheets kind, with
    Name/Class/Date lines, and stay off the sheet that goes home."""
    _, home = export(tmp_path, fixture_content, "handout")
    _, classwork = export(tmp_path, fixture_content, "worksheets")
    for marker in ("Draw a hand of trusted adults", "Who is a trusted adult?"):
        assert marker not in home and marker in classwork
    assert "HANDOUT-ONLY" not in classwork and "NOTES-SECRET" not in classwork
    assert "Where to get help" not in classwork


def test_notes_that_run_onto_a_second_page_say_which_slide_they_continue(tmp_path):
    long_notes = "\n\n".join(f"Note paragraph {n}: say this to the class, slowly and clearly, "
                             "and wait for questions before moving on." for n in range(60))
    lesson = tmp_path / "long-notes.md"
    lesson.write_text("---\ntitle: Long notes\n---\n# Long notes\n\n## First\n\nShort.\n\n"
                      "::: notes\nBrief note.\n:::\n\n## Second\n\nText.\n\n"
                      f"::: notes\n{long_notes}\n:::\n\n## Third\n\nEnd.\n\n"
                      "::: notes\nLast note.\n:::\n")
    out = tmp_path / "notes.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", str(lesson), "--as", "notes",
                          "-o", str(out)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    pages = [page.extract_text() for page in PdfReader(out).pages]
    # Slides: the title, First, Second (long notes), Third; each starts a page.
    starts = [n for n, text in enumerate(pages) for s in range(1, 5) if f"Slide {s} of 4\n" in text]
    assert starts[:3] == [0, 1, 2] and len(starts) == 4
    continued = [n for n, text in enumerate(pages) if "notes (continued)" in text]
    assert continued == list(range(3, starts[3])) and len(continued) >= 2  # its overflow pages
    assert all("Slide 3 of 4 notes (continued)" in pages[n] for n in continued)
    assert "Note paragraph 59" in pages[starts[3] - 1]  # all the notes printed, then slide 4
    assert "Last note." in pages[starts[3]] and starts[3] == len(pages) - 1


def text_size(reader: PdfReader, marker: str) -> float:
    """The printed size (pt) of the first text run containing marker."""
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):
        if marker in text:
            sizes.append(abs(size * tm[3] * cm[3]))
    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    assert sizes, f"{marker} not printed"
    return sizes[0]


@pytest.mark.parametrize("kind,marker,size", [("notes", "NOTES-SECRET", 11),
                                              ("handout", "HANDOUT-ONLY", 12),  # ages 8-11
                                              ("guide", "NOTES-SECRET", 11)])
def test_large_print_makes_the_reading_text_larger(tmp_path, fixture_content, kind, marker, size):
    normal, _ = export(tmp_path, fixture_content, kind)
    normal_size = text_size(normal, marker)
    large, _ = export(tmp_path, fixture_content, kind, "--large-print", "--overwrite")
    assert normal_size == pytest.approx(size, abs=0.5)
    assert text_size(large, marker) == pytest.approx(18, abs=0.5)


def text_sizes(reader: PdfReader) -> list[tuple[float, str]]:
    """Every printed text run's size (pt) and text, headers and footers included."""
    runs: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((abs(size * tm[3] * cm[3]), text.strip()))
    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return runs


def drawing_labels(module_id: str) -> set[str]:
    """The words drawn inside a bundled lesson's SVG pictures."""
    from html import unescape
    folder = content_dir() / "modules" / module_id / "images"
    return {unescape(t).strip() for svg in folder.rglob("*.svg")
            for t in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg.read_text(encoding="utf-8"))}


def export_bundled(tmp_path, module_id: str, kind: str, *extra: str) -> PdfReader:
    tmp_path.mkdir(exist_ok=True)
    out = tmp_path / f"{module_id}-{kind}.pdf"
    exported(out, "export", module_id, "--as", kind, after=extra)
    return PdfReader(out)


@pytest.mark.parametrize("module_id,kind", [("sextortion", "handout"), ("sextortion", "guide"),
                                            ("online-friends-and-secrets", "handout"),
                                            ("parents-if-something-happens", "handout")])
def test_in_large_print_every_text_is_at_least_18pt(tmp_path, module_id, kind):
    """Headers, footers, box labels, the help box's fine print and link addresses too. The
    labels inside a lesson's drawings are exempt: a picture is scaled to the page as a whole,
    like the projected slide above a notes page (its alt text says what it shows)."""
    normal = text_sizes(export_bundled(tmp_path / "n", module_id, kind))
    assert any(size < 10 for size, _ in normal)  # the harness sees the small page furniture
    drawn = drawing_labels(module_id)
    small = [(round(size, 1), text) for size, text in
             text_sizes(export_bundled(tmp_path / "l", module_id, kind, "--large-print"))
             if size < 17.9 and text not in drawn]
    assert not small, small[:10]


def test_in_large_print_notes_pages_print_the_notes_at_18pt(tmp_path):
    """The slide above the notes is the projected slide, scaled to the page: it is exempt."""
    reader = export_bundled(tmp_path, "sextortion", "notes", "--large-print")
    slide_text = {t for _, t in text_sizes(export_bundled(tmp_path / "s", "sextortion", "slides"))}
    small = [(round(s, 1), t) for s, t in text_sizes(reader) if s < 17.9 and t not in slide_text]
    assert not small, small[:10]


def test_ks2_handouts_print_their_body_at_12pt_and_older_ones_at_11pt(tmp_path):
    young = text_sizes(export_bundled(tmp_path, "who-can-i-tell", "handout"))
    older = text_sizes(export_bundled(tmp_path, "sextortion", "handout"))
    def body(runs):  # the size most text is printed at
        sizes = [round(s) for s, _ in runs]
        return max(set(sizes), key=sizes.count)
    assert (body(young), body(older)) == (12, 11)


def test_worksheets_print_name_class_and_date_lines(tmp_path, fixture_content):
    _, text = export(tmp_path, fixture_content, "worksheets")
    assert "Name:" in text and "Class:" in text and "Date:" in text
    _, slides = export(tmp_path, fixture_content, "slides")
    assert "Name:" not in slides


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("per_page", [2, 3, 4, 6])
def test_slide_handouts_put_the_promised_number_of_slides_on_each_page(tmp_path, paper, per_page):
    lesson = tmp_path / "five-slides.md"
    lesson.write_text("---\ntitle: Five slides\n---\n# Five slides\n\n"
                      + "".join(f"## Slide {n}\n\nSLIDE-{n} text.\n\n" for n in range(2, 6)))
    out = tmp_path / "nup.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", str(lesson), "--as", "nup",
                          "--per-page", str(per_page), "--paper", paper, "-o", str(out)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    pages = [page.extract_text() for page in PdfReader(out).pages]
    expected = [list(range(start + 1, min(start + per_page, 5) + 1)) for start in range(0, 5, per_page)]
    printed = [[n for n in range(2, 6) if f"SLIDE-{n}" in text] for text in pages]
    assert printed == [[n for n in group if n > 1] for group in expected]


def test_notes_pages_never_leave_a_continued_page_with_nothing_on_it(tmp_path):
    """Seen with this lesson on Letter in large print: the last paragraph's bottom margin
    alone ran onto a page that said only 'Slide 13 of 16 notes (continued)'."""
    out = tmp_path / "notes.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", "parents-if-something-happens",
                          "--as", "notes", "--paper", "letter", "--large-print", "-o", str(out)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    for number, page in enumerate(PdfReader(out).pages, 1):
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if "(continued)" not in line and "Page " not in line
                and "Review due" not in line and "What to do if something happens" not in line]
        assert body, f"page {number} has nothing but its header and footer"


def help_box_pages(pages: list[str], routes) -> tuple[set[int], set[int]]:
    """Pages (their text) with the box's title and first route; pages with any of its routes."""
    start = {n for n, t in enumerate(pages) if "Where to get help" in t and routes[0].name in t}
    anywhere = {n for n, t in enumerate(pages) for r in routes if r.name in t and n >= min(start, default=0)}
    return start, anywhere


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_bundled_handouts_help_box_prints_whole_on_one_page(tmp_path, paper):
    """Staff and parents get nine routes: their box must still fit one page, never leave a
    page with only its title (Chromium breaks a box taller than the page anyway). The modules
    are laid out on several pages at once: each file is still its own lesson's handout."""
    from edukit.core.library import Library

    run = subprocess.run([sys.executable, "-m", "edukit", "export", "--all", "--as", "handout",
                          "--paper", paper, "-o", str(tmp_path)],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    library = Library.default()
    for module in library.modules:
        if module.meta.is_resource:  # one-page letters and forms (tests/test_resources.py)
            continue
        routes = library.routes("uk").for_audience(module.meta.audience, module.meta.ages)
        pages = [page.extract_text() for page in PdfReader(tmp_path / f"{module.id}-handout.pdf").pages]
        first_page = " ".join(pages[0].split())
        assert " ".join(module.meta.title.split()) in first_page, module.id
        start, anywhere = help_box_pages(pages, routes)
        assert len(start) == 1 and anywhere == start, (module.id, paper, start, anywhere)


def test_in_large_print_a_long_help_box_runs_on_with_its_title_on_its_first_route(tmp_path):
    from edukit.core.library import Library

    out = tmp_path / "h.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", "parents-if-something-happens",
                          "--as", "handout", "--large-print", "--paper", "letter", "-o", str(out)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    library = Library.default()
    routes = library.routes("uk").for_audience("parents")
    pages = [page.extract_text() for page in PdfReader(out).pages]
    start, anywhere = help_box_pages(pages, routes)
    text = "\n".join(pages)
    assert len(start) == 1 and len(anywhere) > 1  # too tall for one page: it runs on
    assert max(anywhere) - min(anywhere) == len(anywhere) - 1  # on consecutive pages
    assert all(r.name in text for r in routes)


@pytest.mark.parametrize("kind,shows", [("handout", False), ("slides", False), ("nup", False),
                                        ("guide", True), ("notes", True)])
def test_review_dates_print_on_staff_paper_only(tmp_path, fixture_content, kind, shows):
    """Families read "Review due" on a take-home sheet or slide as an expiry date."""
    reader, _ = export(tmp_path, fixture_content, kind)
    footers = [page.extract_text() for page in reader.pages]
    assert all(("Review due 2027-11-01" in text) == shows for text in footers), footers


def test_a_staff_modules_handout_keeps_its_review_date(tmp_path):
    out = tmp_path / "staff.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", "dsl-guide-to-online-risk",
                          "-o", str(out)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert "Review due" in PdfReader(out).pages[0].extract_text()


@pytest.mark.parametrize("kind,subject", [("handout", "Handout, for pupils"),
                                          ("guide", "Teacher guide, for pupils")])
def test_pdfs_say_their_title_school_and_kind(tmp_path, fixture_content, user_dirs, kind, subject):
    (user_dirs["config"] / "school.json").write_text(
        '{"schema_version": 1, "name": "Hill Primary", "dsl_name": "Ms Rivera"}')
    reader, _ = export(tmp_path, fixture_content, kind)
    info = reader.metadata
    assert (info.title, info.author, info.subject) == ("Sample lesson", "Hill Primary", subject)


def test_a_pdf_without_school_details_names_no_author(tmp_path, fixture_content):
    reader, _ = export(tmp_path, fixture_content, "handout")
    assert reader.metadata.title == "Sample lesson" and reader.metadata.author is None
