"""The school's helpline region (Settings > School details) decides which route directory prints:
the one rule in edukit.core.region, the same for export (HTML, PDF, PowerPoint), the website,
validate and the app. A school whose region is installed must never get UK helplines."""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from regions import ISLAND_ROUTES

from edukit.core.library import Library, Root
from edukit.core.model import School
from edukit.core.paths import content_dir
from edukit.core.region import region_for, regions_in_use, render_context
from edukit.core.validate import validate_module

FIXTURES = Path(__file__).parent / "fixtures"
UK_ONLY = "Childline"  # in the UK directory's pupils box, not in the island's


@pytest.fixture
def island_content(tmp_path: Path) -> Path:
    """The fixture lesson (front matter says nothing of its region: uk) beside an installed
    route directory for the island."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", root)
    (root / "routes").mkdir()
    (root / "routes" / "island.yaml").write_text(ISLAND_ROUTES, encoding="utf-8")
    return root


def library_with(root: Path) -> Library:
    library = Library([Root(content_dir(), "bundled"), Root(root, "extra")])
    library.refresh()
    return library


def set_school(user_dirs, **fields: str) -> None:
    (user_dirs["config"] / "school.json").write_text(
        json.dumps({"schema_version": 2, "name": "Hill Primary", **fields}), encoding="utf-8")


def export(root: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "edukit", "--content", str(root), "export",
                          "sample-lesson", "--as", "handout", "-o", str(out), *extra],
                         capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr
    return run


def test_the_school_region_wins_when_installed_else_the_lesson_region(island_content):
    library = library_with(island_content)
    lesson = library.get("sample-lesson")
    assert lesson.meta.region == "uk"
    assert region_for(library, lesson, School()) == "uk"  # no choice: the lesson's own
    assert region_for(library, lesson, School(region="island")) == "island"
    assert region_for(library, lesson, School(region="uk")) == "uk"
    # a region the school chose but that is not installed: the lesson's own, not no helplines
    assert region_for(library, lesson, School(region="atlantis")) == "uk"
    assert regions_in_use(library, [lesson], School(region="island")) == ["island"]
    ctx = render_context(library, lesson, School(region="island"))
    assert ctx.routes is not None and ctx.routes.region == "island"


def test_a_lesson_with_its_own_region_keeps_it_unless_the_school_chose(island_content):
    text = (island_content / "modules/sample-lesson/module.md").read_text(encoding="utf-8")
    (island_content / "modules/sample-lesson/module.md").write_text(
        text.replace("---\n", "---\nregion: island\n", 1), encoding="utf-8")
    library = library_with(island_content)
    lesson = library.get("sample-lesson")
    assert region_for(library, lesson, School()) == "island"
    assert region_for(library, lesson, School(region="uk")) == "uk"


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_a_school_set_to_an_installed_region_prints_its_helplines(island_content, tmp_path,
                                                                  user_dirs, fmt):
    set_school(user_dirs, region="island")
    out = tmp_path / f"handout.{fmt}"
    run = export(island_content, out, "--format", fmt)
    text = printed_text(out)
    assert "Island Children's Line" in text and "0800 555 0199" in text
    assert UK_ONLY not in text
    assert "island.yaml" in run.stderr  # a route file edukit did not ship: said, as always


@pytest.mark.parametrize("school", [{}, {"region": ""}, {"region": "uk"}])
def test_control_without_the_island_chosen_the_handout_prints_uk(island_content, tmp_path,
                                                                 user_dirs, school):
    set_school(user_dirs, **school)
    out = tmp_path / "handout.html"
    export(island_content, out, "--format", "html")
    text = printed_text(out)
    assert UK_ONLY in text and "0800 1111" in text
    assert "Island Children's Line" not in text


def test_validate_checks_numbers_against_the_schools_region(island_content):
    lesson_md = island_content / "modules/sample-lesson/module.md"
    lesson_md.write_text(lesson_md.read_text(encoding="utf-8")
                         + "\nRing the island line on 0800 555 0199.\n", encoding="utf-8")
    library = library_with(island_content)
    lesson = library.get("sample-lesson")
    unlisted = [p for p in validate_module(lesson, library, reading_level=False) if p.helpline]
    assert any("0800 555 0199" in p.message for p in unlisted)  # not a UK number
    island = validate_module(lesson, library, reading_level=False, school=School(region="island"))
    assert not any("0800 555 0199" in p.message for p in island if p.helpline)


def printed_text(path: Path) -> str:
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("region, shown, hidden", [("island", "Island Children", UK_ONLY),
                                                   ("", UK_ONLY, "Island Children")])
def test_powerpoint_and_the_website_follow_the_same_rule(island_content, tmp_path, region, shown,
                                                         hidden):
    from edukit.core.export import export_pptx
    from edukit.core.site import SiteOptions, publish_site

    library, school = library_with(island_content), School(region=region)
    with zipfile.ZipFile(io.BytesIO(export_pptx(library, school, library.get("sample-lesson")))) as z:
        deck = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    site = publish_site(library, [library.get("sample-lesson")], tmp_path / "site", SiteOptions(),
                        school)
    pages = " ".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    for text in (deck, pages):
        assert shown in text and hidden not in text


def test_the_app_renders_with_the_schools_region(island_content, qapp):
    from edukit.gui.page_server import PageServer

    library = library_with(island_content)
    lesson = library.get("sample-lesson")
    pages = PageServer(library, School())
    assert UK_ONLY in pages.rendered(lesson, "handout").html
    assert pages.set_school(School(region="island"))  # Settings > School details, saved
    handout = pages.rendered(lesson, "handout").html
    assert "Island Children" in handout and UK_ONLY not in handout


@pytest.mark.parametrize("region, shown", [("atlantis", "atlantis"),
                                           ("atl\x1b[2Jantis", "atl\\x1b[2Jantis")])
def test_export_and_validate_say_in_one_line_when_the_schools_region_is_not_installed(
        island_content, tmp_path, user_dirs, region, shown):
    set_school(user_dirs, region=region)
    out = tmp_path / "handout.html"
    run = export(island_content, out, "--format", "html")
    said = [line for line in run.stderr.splitlines() if "not installed" in line]
    assert len(said) == 1 and shown in said[0] and "\x1b" not in run.stderr
    assert said[0].startswith("edukit: warning: The school's helpline region")
    text = printed_text(out)
    assert UK_ONLY in text and "0800 1111" in text  # the lesson's own region: never no helplines
    check = subprocess.run([sys.executable, "-m", "edukit", "--content", str(island_content),
                            "validate", "sample-lesson"], capture_output=True, text=True,
                           timeout=300, check=False)
    assert [line for line in check.stderr.splitlines() if "not installed" in line] == said
    assert "Traceback" not in check.stderr


def test_control_an_installed_school_region_is_not_reported(island_content, tmp_path, user_dirs):
    set_school(user_dirs, region="island")
    run = export(island_content, tmp_path / "handout.html", "--format", "html")
    assert "not installed" not in run.stderr


def test_the_problem_is_one_bounded_sentence(island_content):
    from edukit.core.region import school_region_problem

    library = library_with(island_content)
    assert school_region_problem(library, School()) == ""
    assert school_region_problem(library, School(region="island")) == ""
    long = school_region_problem(library, School(region="x" * 5000))
    assert "not installed" in long and len(long) < 200 and "\n" not in long


@pytest.mark.parametrize("region", ["../modules/sample-lesson/evil", "x" * 5000, "island/",
                                    "/tmp/island", "Island", "isl\x00and"])
def test_a_school_region_that_is_no_file_name_reaches_no_file(island_content, region):
    """Positive control: the same file is found by its proper name."""
    from edukit.core.region import school_region_problem

    (island_content / "modules/sample-lesson/evil.yaml").write_text(ISLAND_ROUTES, encoding="utf-8")
    library = library_with(island_content)
    lesson = library.get("sample-lesson")
    assert region_for(library, lesson, School(region=region)) == "uk"
    assert "not installed" in school_region_problem(library, School(region=region))
    assert library.routes("island") is not None  # the control
