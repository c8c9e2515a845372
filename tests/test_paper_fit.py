"""Paper a school hands out unchanged, measured from the PDFs edukit makes for every bundled
lesson at A4 and Letter: one double-sided sheet home, a 1-2 page leaflet for parents, phone
numbers never split, a QR code that scans to each helpline address, and a teacher guide and
notes pages that read cleanly (title on page 1, no stranded heading, no lone last line).

Each kind is exported once per paper for all the lessons it needs (module-scoped fixtures).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from edukit.core.library import Library
from edukit.core.printing import PrintOptions, page_margins

PAPERS = ("a4", "letter")
MM = 72 / 25.4
SCHOOL = ('{"schema_version": 2, "name": "Hill Primary School", "dsl_name": "Ms Rivera", '
          '"phone": "01632 960 123", "lado": "01632 960 456", "social_care": "01632 960 789", '
          '"social_care_out_of_hours": "01632 960 999"}')


def bundled(*audiences: str) -> list[str]:
    return sorted(m.id for m in Library.default().modules
                  if m.origin == "bundled" and not m.meta.is_resource and (m.meta.audience or "pupils") in audiences)


PUPIL_LESSONS = bundled("pupils")
BOX_TITLE = re.compile(r"^\s*Where to get help\s*$", re.MULTILINE)  # the box, not a mention
TAKE_HOME_LESSONS = bundled("pupils", "parents")  # a parents' lesson's handout goes home too


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """export(kind, paper, ids) -> {id: PDF path}, each made once for this module's tests."""
    made: dict[tuple[str, str], dict[str, Path]] = {}
    base = tmp_path_factory.mktemp("paper")
    (base / "config").mkdir()
    (base / "config" / "school.json").write_text(SCHOOL)
    env = {"EDUKIT_CONFIG_DIR": str(base / "config"), "EDUKIT_DATA_DIR": str(base / "data"),
           "EDUKIT_CACHE_DIR": str(base / "cache"), "QT_QPA_PLATFORM": "offscreen"}

    def export(kind: str, paper: str, ids: list[str]) -> dict[str, Path]:
        if (kind, paper) not in made:
            out = base / f"{kind}-{paper}"
            run = subprocess.run([sys.executable, "-m", "edukit", "export", *ids, "--as", kind,
                                  "--paper", paper, "-o", str(out)], capture_output=True,
                                 text=True, timeout=900, check=False, env={**os.environ, **env})
            assert run.returncode == 0, run.stderr
            made[kind, paper] = {i: out / f"{i}-{kind}.pdf" for i in ids}
        return made[kind, paper]
    return export


def page_fills(pdf: Path, kind: str) -> list[float]:
    """How far down each page's text area its text reaches (0-1), from pdftotext -bbox; the
    running header and footer (in the margins) are left out."""
    _, top, _, bottom = (v * MM for v in page_margins(PrintOptions(kind=kind)))
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    fills = []
    for height, body in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>',
                                   out, re.DOTALL):
        low = float(height) - bottom
        ends = [float(y) for y in re.findall(r'yMax="([\d.]+)"', body) if top < float(y) < low]
        fills.append((max(ends) - top) / (low - top) if ends else 0.0)
    return fills


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


# --- 1. the take-home sheet: one double-sided sheet ---------------------------------------

@pytest.mark.parametrize("paper", PAPERS)
def test_every_take_home_sheet_is_one_double_sided_sheet(exported, paper):
    """Two pages at most, no page but the last under a third full, and the school's contacts
    on the same page as the help box."""
    problems = []
    for lesson, pdf in exported("handout", paper, TAKE_HOME_LESSONS).items():
        fills = page_fills(pdf, "handout")
        if len(fills) > 2:
            problems.append(f"{lesson}: {len(fills)} pages")
        problems += [f"{lesson}: page {n} only {fill:.0%} full"
                     for n, fill in enumerate(fills[:-1], 1) if fill < 1 / 3]
        together = [t for t in page_texts(pdf) if BOX_TITLE.search(t)]
        if not together or "PEOPLE WHO CAN HELP AT SCHOOL" not in together[0]:
            problems.append(f"{lesson}: the school's contacts are not beside the help box")
    assert not problems, problems


def test_the_fill_measure_sees_a_half_empty_page(exported, tmp_path):
    """Positive control for page_fills: a page that ends early measures as under a third full."""
    lesson = tmp_path / "short.md"
    lines = "\n\n".join(f"Line {n}." for n in range(9))  # a quarter page: the box goes over
    lesson.write_text(f"---\ntitle: Short\n---\n# Short\n\n::: handout\n{lines}\n:::\n")
    out = tmp_path / "short.pdf"
    subprocess.run([sys.executable, "-m", "edukit", "export", str(lesson), "--as", "handout",
                    "-o", str(out)], check=True, capture_output=True, timeout=120)
    fills = page_fills(out, "handout")
    assert len(fills) == 2 and fills[0] < 1 / 3 and fills[1] > 0.5, fills


# --- 4. the parents' leaflet: one or two pages --------------------------------------------

@pytest.mark.parametrize("paper", PAPERS)
def test_every_parent_leaflet_is_one_or_two_pages(exported, paper):
    lessons = bundled("pupils", "parents")
    counts = {lesson: len(PdfReader(pdf).pages)
              for lesson, pdf in exported("parents", paper, lessons).items()}
    assert {k: v for k, v in counts.items() if not 1 <= v <= 2} == {}


# --- 2. phone numbers and helpline addresses ----------------------------------------------

def phone_numbers(library: Library) -> set[str]:
    numbers = {"01632 960 123", "01632 960 456", "01632 960 789", "01632 960 999"}
    for region in {m.meta.region for m in library.modules}:
        for route in library.routes(region).routes:
            numbers |= {n for n in (route.phone, route.text) if n and " " in n}
    return numbers


def split_numbers(numbers: set[str], text: str) -> list[str]:
    """The numbers printed with a line end between their digit groups."""
    return sorted(number for number in numbers
                  for m in re.finditer(r"\s+".join(map(re.escape, number.split())), text)
                  if "\n" in m.group(0))


@pytest.mark.parametrize("paper", PAPERS)
def test_no_phone_number_is_split_across_lines(exported, paper):
    """Every number with a space in it (the school's, the LADO's, the helplines') is printed
    whole on one line wherever it appears: its digits never run over a line end."""
    numbers = phone_numbers(Library.default())
    split = []
    for kind, ids in (("handout", TAKE_HOME_LESSONS), ("parents", PUPIL_LESSONS),
                      ("guide", ["sextortion", "who-can-i-tell"])):
        for lesson, pdf in exported(kind, paper, ids).items():
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout
            split += [f"{lesson} {kind}: {n}" for n in split_numbers(numbers, text)]
    assert not split, split


def test_the_split_number_check_catches_a_split_number():
    """Positive control for split_numbers."""
    numbers = {"0800 1111", "01632 960 123"}
    assert split_numbers(numbers, "call 0800\n1111 or 01632 960\n123") == sorted(numbers)
    assert split_numbers(numbers, "call 0800 1111\nor 01632 960 123") == []


@pytest.mark.parametrize("paper", PAPERS)
def test_each_helpline_address_on_a_handout_has_a_qr_code_that_scans_to_it(exported, paper):
    """The printed sheet, rendered as a scanner would see it, holds one QR code per helpline
    address in its box, and each decodes to that exact address (from the route directory)."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    library = Library.default()
    for lesson in ("who-can-i-tell", "sextortion", "parents-if-something-happens"):
        module = library.get(lesson)
        audience = module.meta.audience or "pupils"
        wanted = {r.url for r in library.routes(module.meta.region).for_audience(
            audience, module.meta.ages) if r.url}
        pdf = exported("handout", paper, TAKE_HOME_LESSONS)[lesson]
        found = set()
        for n in range(1, len(PdfReader(pdf).pages) + 1):
            png = pdf.with_name(f"{lesson}-{n}")
            subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", str(n), "-l", str(n),
                            "-singlefile", str(pdf), str(png)], check=True)
            found |= {r.text for r in zxingcpp.read_barcodes(Image.open(f"{png}.png"))}
        assert wanted and found == wanted, (lesson, wanted ^ found)


@pytest.mark.parametrize("paper", PAPERS)
def test_helpline_addresses_wrap_only_after_a_slash(exported, paper):
    """The long Report Remove address wraps over lines only between its parts."""
    url = "childline.org.uk/info-advice/bullying-abuse-safety/online-mobile-safety/report-remove-down"
    checked = 0
    for pdf in exported("handout", paper, TAKE_HOME_LESSONS).values():
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        for printed in re.findall(r"childline\.org\.uk/info-advice[\w/\-\n]*?report-\s*remove-\s*down",
                                  text):
            checked += 1
            assert printed.replace("\n", "") == url, printed
            assert all(line.endswith("/") for line in printed.split("\n")[:-1]), printed
    assert checked


# --- 3. the teacher guide and notes pages -------------------------------------------------

def guide_headings(lesson: str) -> list[str]:
    from edukit.core.render import RenderContext, render

    html = render(Library.default().get(lesson), "guide", RenderContext()).html
    return [re.sub(r"<[^>]+>", "", h).strip()
            for h in re.findall(r"<h[234][^>]*>(.*?)</h[234]>", html, re.DOTALL)]


@pytest.mark.parametrize("paper", PAPERS)
def test_the_teacher_guide_reads_cleanly_on_paper(exported, paper):
    """Page 1 names the lesson; no page ends with a heading (it keeps with its box); the last
    page holds more than a line or two; no source address breaks inside a word."""
    library = Library.default()
    lessons = sorted(m.id for m in library.modules
                     if m.origin == "bundled" and not m.meta.is_resource)
    problems = []
    for lesson, pdf in exported("guide", paper, lessons).items():
        module = library.get(lesson)
        pages = page_texts(pdf)
        body = [[line.strip() for line in page.splitlines() if line.strip()][1:-1]
                for page in pages]  # the running header and footer are left out
        if module.meta.title not in " ".join(" ".join(body[0]).split()):  # a title may wrap
            problems.append(f"{lesson}: page 1 has no title")
        headings = set(guide_headings(lesson))
        problems += [f"{lesson}: page {n} ends with the heading '{lines[-1]}'"
                     for n, lines in enumerate(body[:-1], 1) if lines and lines[-1] in headings]
        if len(body[-1]) < 3:
            problems.append(f"{lesson}: the last page holds {len(body[-1])} line(s)")
        laid_out = "\n".join(pages)  # -layout keeps a hyphen at a line end (plain mode drops it)
        for source in module.meta.sources:
            problems += url_break_problems(lesson, source.url, laid_out)
    assert not problems, problems


def url_break_problems(lesson: str, url: str, text: str) -> list[str]:
    """Where the printed address runs over a line end other than after / ? & = + - . _"""
    pattern = r"(?:\n\s*)?".join(re.escape(c) for c in url)
    found = re.search(pattern, text)
    if not found:
        return [f"{lesson}: {url} is not printed whole"]
    printed = re.sub(r"\n\s*", "\n", found.group(0))
    return [f"{lesson}: {url} breaks after '{printed[:n]}'"
            for n, c in enumerate(printed) if c == "\n" and printed[n - 1] not in "/?&=+-._"]


def test_the_url_break_check_catches_a_break_inside_a_word():
    """Positive control: a break inside 'sextortion' is caught; one after a slash is not."""
    url = "https://example.org/news/sextortion-alert"
    assert url_break_problems("x", url, "https://example.org/news/sextor\ntion-alert")
    assert not url_break_problems("x", url, "https://example.org/news/\nsextortion-alert")


@pytest.mark.parametrize("paper", PAPERS)
def test_slide_one_notes_stay_on_their_page(exported, paper):
    """Slide 1 carries the lesson's safeguarding notes: they never run on to a second page."""
    lessons = sorted(m.id for m in Library.default().modules
                     if m.origin == "bundled" and not m.meta.is_resource)
    spilled = []
    for lesson, pdf in exported("notes", paper, lessons).items():
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        if re.search(r"Slide 1 of \d+ notes \(continued\)", text):
            spilled.append(lesson)
    assert not spilled
