"""The library as an offline website (DESIGN.md §12), checked on the files: which pages exist,
that a pupil site carries no teacher text, that pages are the app's own, and that nothing in
them can run content script or reach the network. tests/test_site_browser.py runs it in Chromium.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from edukit import __version__
from edukit.core.leaflet import render_leaflet
from edukit.core.library import Library, Root
from edukit.core.markdown.teacher import TEACHER_ONLY, blocks_text, without_blocks
from edukit.core.model import School
from edukit.core.pages import page_html
from edukit.core.paths import content_dir
from edukit.core.printing import PrintOptions, print_page
from edukit.core.render import RenderContext, body_lines, render
from edukit.core.site import SiteError, SiteOptions, publish_site
from edukit.core.site.files import MARKER
from edukit.core.site.lesson import SITE_CSP

REPO = Path(__file__).parent.parent
SCHOOL = School(name="Hillside Primary", dsl_name="Ms Rahman", dsl_contact="01234 567890")
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


def bundled_library() -> Library:
    library = Library([Root(content_dir(), "bundled")])
    library.refresh()
    return library


def publish(library: Library, out: Path, **options) -> Path:
    return publish_site(library, library.modules, out, SiteOptions(**options), SCHOOL)


@pytest.fixture(scope="module")
def library() -> Library:
    return bundled_library()


@pytest.fixture(scope="module")
def pupil_site(library, tmp_path_factory) -> Path:
    return publish(library, tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="module")
def staff_site(library, tmp_path_factory) -> Path:
    return publish(library, tmp_path_factory.mktemp("site") / "site", with_guides=True)


def words(text: str) -> str:
    return SPACE.sub(" ", unescape(TAG.sub(" ", text))).strip()


def file_texts(site: Path) -> dict[Path, str]:
    """Each file of the site as the words a reader (or a script) could get out of it."""
    out = {}
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix in (".png", ".jpg", ".gif", ".webp", ".woff2"):
            continue
        raw = path.read_text(encoding="utf-8")
        if path.name == "search-index.js":
            data = json.loads(raw.removeprefix("window.EDUKIT_INDEX = ").rstrip().rstrip(";"))
            raw = json.dumps(data, ensure_ascii=False)
            raw = " ".join(str(v) for lesson in data["lessons"] for v in lesson.values())
        out[path] = words(raw)
    return out


def teacher_sentences(library: Library) -> dict[str, list[str]]:
    """Per bundled lesson, the sentences of its notes and safeguarding blocks that no lesson's
    pupil parts also say (a block may quote a line pupils see, here or in another lesson)."""
    pupil, blocks = [], {}
    for module in library.modules:
        if module.meta.is_resource:  # letters and forms have no teacher blocks
            continue
        ctx = RenderContext(SCHOOL, library.routes(module.meta.region))
        convert = ctx.converter(module).convert
        lines = body_lines(module)
        pupil.append(words(convert("\n".join(without_blocks(lines, TEACHER_ONLY)))))
        # The help box is put in after conversion: its words are pupils' words too.
        pupil.append(words(render(module, "handout", ctx).html))
        pupil.append(words(render_leaflet(module, ctx).html))  # written for families too
        blocks[module.id] = [words(convert(text)) for _, text in blocks_text(lines, TEACHER_ONLY)]
    said = " ".join(pupil)
    return {module_id: [s.strip() for block in texts
                        for s in re.split(r"(?<=[.!?:])\s+", block)
                        if len(s.strip()) >= 25 and s.strip() not in said]
            for module_id, texts in blocks.items()}


def test_every_lesson_has_its_pupil_pages_and_the_site_its_own(pupil_site, library):
    for module in library.modules:
        folder = pupil_site / "lessons" / module.id
        leaflet = ["parents.html"] if module.meta.audience == "pupils" else []
        assert sorted(p.name for p in folder.iterdir()) == sorted([
            "handout.html", "lesson.html", "slides.html", *leaflet])
    for name in ("index.html", "help.html", "about.html", MARKER, "assets/site/search-index.js",
                 "assets/site/index.js", "assets/site/slides.js", "assets/css/print.css"):
        assert (pupil_site / name).is_file(), name


def test_a_pupil_site_carries_no_text_of_any_notes_or_safeguarding_block(
        pupil_site, staff_site, library):
    secrets = teacher_sentences(library)
    assert all(secrets.values()), "every bundled lesson has teacher-only sentences to look for"
    pupil_files = file_texts(pupil_site)
    for module_id, sentences in secrets.items():
        for sentence in sentences:
            leaked = [p.relative_to(pupil_site) for p, text in pupil_files.items()
                      if sentence in text]
            assert not leaked, f"{module_id}: {sentence!r} is in {leaked}"
    # Positive control: the same search finds every sentence in the staff site's guides.
    staff_text = " ".join(file_texts(staff_site).values())
    missing = [s for sentences in secrets.values() for s in sentences if s not in staff_text]
    assert not missing


def test_a_pupil_site_carries_no_quiz_answer_key(pupil_site, staff_site):
    """Positive control: the staff site's trainer copies carry the key."""
    assert not [p for p, text in file_texts(pupil_site).items() if "Answer key" in text]
    assert any("Answer key" in text for text in file_texts(staff_site).values())


def test_the_index_and_about_page_say_which_kind_of_site_it_is(pupil_site, staff_site):
    assert 'data-site-kind="pupils"' in (pupil_site / "index.html").read_text()
    assert "no teacher notes" in (pupil_site / "about.html").read_text()
    assert 'data-site-kind="staff"' in (staff_site / "index.html").read_text()
    guide = staff_site / "lessons/sextortion/guide.html"
    assert 'class="before-teaching"' in guide.read_text()
    assert (guide.parent / "notes.html").is_file()


def test_lesson_pages_are_the_pages_the_app_renders(pupil_site, library):
    """The same sanitised HTML in the same <main>, and the app's print layout for the handout."""
    module = library.get("sextortion")
    ctx = RenderContext(SCHOOL, library.routes("uk"))
    main = re.compile(r"<main\b.*</main>", re.DOTALL)

    def same_page(html: str) -> str:  # the site places pictures itself (see files.place_images)
        return re.sub(r'(<img\b[^>]*?\bsrc=)"[^"]*"', r'\1""', main.search(html).group(0))
    for view in ("lesson", "slides"):
        app = page_html(render(module, view, ctx), css_base="x/")
        site = (pupil_site / f"lessons/sextortion/{view}.html").read_text()
        assert same_page(site) == same_page(app)
    app = print_page(module, ctx, PrintOptions(kind="handout"), css_base="../../assets/css/")
    site = (pupil_site / "lessons/sextortion/handout.html").read_text()
    assert same_page(site) == same_page(app)
    assert re.search(r"<style>.*@page.*</style>", site, re.DOTALL)  # header, footer, paper


def test_school_details_and_the_verified_helplines_appear_as_in_the_app(pupil_site):
    help_page = words((pupil_site / "help.html").read_text())
    assert "At Hillside Primary" in help_page and "Ms Rahman" in help_page
    assert "Where to get help" in help_page and "0800 1111" in help_page  # Childline
    handout = words((pupil_site / "lessons/sextortion/handout.html").read_text())
    assert "0800 1111" in handout and "Ms Rahman" in handout
    assert "Hillside Primary" in words((pupil_site / "index.html").read_text())


def test_each_pupil_lesson_has_its_leaflet_for_parents_as_the_app_prints_it(pupil_site, library):
    sextortion = library.get("sextortion")
    leaflet = (pupil_site / "lessons/sextortion/parents.html").read_text()
    app = print_page(sextortion, RenderContext(SCHOOL, library.routes("uk")),
                     PrintOptions(kind="parents"))
    assert words(leaflet).count("0808 800 5000") == words(app).count("0808 800 5000") == 1
    assert "For parents and carers" in words(leaflet) and "How to talk about it" in words(leaflet)
    assert 'href="parents.html"' in (pupil_site / "lessons/sextortion/lesson.html").read_text()
    assert not (pupil_site / "lessons/parents-if-something-happens/parents.html").exists()


def test_the_about_page_names_version_route_directory_and_build_time(pupil_site):
    about = words((pupil_site / "about.html").read_text())
    assert f"edukit version {__version__}" in about
    assert "route directory uk.yaml" in about and "bundled with edukit" in about
    assert re.search(r"Published \d{4}-\d\d-\d\d \d\d:\d\d UTC", about)
    assert re.search(r"Childline \d{4}-\d\d-\d\d", about)  # each route with its verified date


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def test_every_page_runs_only_the_sites_own_script_files_under_its_csp(pupil_site, staff_site):
    for site in (pupil_site, staff_site):
        for page in site.rglob("*.html"):
            html = page.read_text()
            assert html.count(f'content="{SITE_CSP}"') == 1, page
            for attrs, inline in SCRIPT_TAG.findall(html):
                assert not inline.strip(), f"{page}: inline script"
                src = re.search(r'src="([^"]+)"', attrs).group(1)
                assert (page.parent / src).resolve().parent == (site / "assets/site").resolve()
            assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE), page
            assert "javascript:" not in html.lower()
    assert "script-src 'self'" in SITE_CSP and "unsafe-eval" not in SITE_CSP
    assert "default-src 'none'" in SITE_CSP
    for js in (pupil_site / "assets/site").glob("*.js"):
        assert not re.search(r"\beval\(|new Function|innerHTML|document\.write", js.read_text())


class Elements(HTMLParser):
    """The elements a browser would make from a page, with their attributes (style and script
    text are raw text to it, as to a browser)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {k.lower(): v or "" for k, v in attrs}))

    @classmethod
    def of(cls, html: str) -> list[tuple[str, dict[str, str]]]:
        parser = cls()
        parser.feed(html)
        return parser.found


def hostile_lesson(folder: Path, base: str = "http://127.0.0.1:9") -> Path:
    """A lesson whose text and front matter try to run script and load from the network, with
    images: a real one, an SVG, a web page posing as a PNG, one outside the folder."""
    module = folder / "modules" / "hostile"
    (module / "images").mkdir(parents=True)
    (module / "images" / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (module / "images" / "fake.png").write_bytes(b"<html><script>alert(1)</script>")
    (module / "images" / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (module / "images" / "evil.js").write_text("alert(1)")
    (module / "notes.txt").write_text("private")
    (folder / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (module / "images" / "link.png").symlink_to(folder / "outside.png")
    (module / ".private").mkdir()
    (module / ".private" / "key.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (module / "module.md").write_text(f"""---
title: "</title><script>alert('title')</script>"
summary: "<img src=x onerror=alert(1)> \\u2028 </script>"
audience: pupils
ages: "8-11"
topics: ["\\"><script>alert(2)</script>"]
---
# Hostile

<script>alert('body')</script>
<img src="x" onerror="alert(3)">
<a href="javascript:alert(4)">click</a>
<img src="{base}/remote.png" alt="remote">
<link rel="stylesheet" href="{base}/linked.css">
<style>@import url("{base}/imported.css"); body {{ background: url("{base}/bg.png"); }}</style>
<iframe src="{base}/frame.html"></iframe>
<script src="{base}/remote.js"></script>
<div style="background-image: url('{base}/inline.png')">styled</div>
<svg><image href="{base}/svg.png"/></svg>

![real](images/ok.png) ![fake](images/fake.png) ![vector](images/pic.svg)
![up](../outside.png) ![script](images/evil.js) ![link](images/link.png)
![hidden](.private/key.png) ![back](images\\ok.png)
""")
    return folder


def test_hostile_content_is_escaped_and_only_real_images_are_copied(tmp_path):
    library = Library([Root(hostile_lesson(tmp_path / "content"), "extra")])
    library.refresh()
    site = publish(library, tmp_path / "site")
    lesson = site / "lessons" / "hostile"
    copied = sorted(str(p.relative_to(lesson)) for p in lesson.rglob("*") if p.is_file())
    assert copied == ["handout.html", "images/ok.png", "lesson.html", "parents.html",
                      "slides.html"]
    page = (lesson / "lesson.html").read_text()
    assert page.count('src="images/ok.png"') == 1  # images\\ok.png: not in the app either
    assert "data:image/svg+xml;base64," in page
    for path in site.rglob("*.html"):
        elements = Elements.of(path.read_text())
        scripts = [a.get("src", "") for tag, a in elements if tag == "script"]
        assert all(src.startswith(("../../assets/site/", "assets/site/")) for src in scripts), path
        assert not [tag for tag, _ in elements if tag in ("iframe", "object", "embed", "base")]
        assert not [(tag, a) for tag, a in elements for name in a if name.startswith("on")]
        loads = [v for tag, a in elements for k, v in a.items() if k != "href" or tag != "a"]
        assert not [v for v in loads if "127.0.0.1:9" in v or v.lower().startswith("javascript:")]
    index = (site / "index.html").read_text()
    assert "&lt;/title&gt;&lt;script&gt;" in index and "<img src=x" not in index
    js = (site / "assets/site/search-index.js").read_text()
    assert "<" not in js and "\u2028" not in js


def test_a_single_file_lesson_brings_no_picture_from_the_folder_it_sits_in(tmp_path):
    """Its folder is the teacher's Downloads or Documents: the app shows nothing from it."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    (tmp_path / "content" / "loose.md").write_text("---\ntitle: Loose\n---\n# Loose\n\n"
                                                   "![a photo](photo.png)\n")
    library = Library([Root(tmp_path / "content", "extra")])
    library.refresh()
    site = publish(library, tmp_path / "site")
    assert sorted(p.name for p in (site / "lessons" / "loose").iterdir()) == [
        "handout.html", "lesson.html", "parents.html", "slides.html"]
    assert 'src="photo.png"' not in (site / "lessons/loose/lesson.html").read_text()


def test_no_remote_address_is_loaded_by_any_page(tmp_path):
    """src, srcset, CSS url() and @import never name the network; only links (<a href>) may."""
    library = Library([Root(hostile_lesson(tmp_path / "content"), "extra"),
                       Root(content_dir(), "bundled")])
    library.refresh()
    site = publish(library, tmp_path / "site")
    loads = re.compile(r'(?:src|srcset|data|poster|action)\s*=\s*"?\s*(?:https?:)?//|url\(\s*["\']?'
                       r'\s*(?:https?:)?//|@import\s+["\']?(?:https?:)?//', re.IGNORECASE)
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            assert not loads.search(path.read_text()), path
            assert not re.search(r'<link\b[^>]*href="(?:https?:)?//', path.read_text()), path


def test_publishing_replaces_only_an_earlier_site_and_only_when_asked(tmp_path, library):
    out = tmp_path / "site"
    publish(library, out, with_guides=True)
    assert list(out.glob("lessons/*/guide.html"))
    with pytest.raises(SiteError, match="--overwrite"):
        publish(library, out)
    publish(library, out, overwrite=True)  # a pupil site over a staff site keeps no guide
    assert not list(out.glob("lessons/*/guide.html")) and not list(out.glob("lessons/*/notes.*"))
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "report.docx").write_text("a teacher's own file")
    with pytest.raises(SiteError, match="other files"):
        publish(library, mine, overwrite=True)
    assert [p.name for p in mine.iterdir()] == ["report.docx"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers


def edukit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edukit", *args], cwd=REPO, check=False,
                          capture_output=True, text=True, timeout=300)


def test_the_command_line_publishes_with_site_and_with_export_format_site(tmp_path):
    short = edukit("site", "-o", str(tmp_path / "a"))
    assert short.returncode == 0, short.stderr
    assert "15 lessons" in short.stdout or "lessons" in short.stdout
    long = edukit("export", "--all", "--format", "site", "-o", str(tmp_path / "b"))
    assert long.returncode == 0, long.stderr
    names = {str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*")}
    assert names == {str(p.relative_to(tmp_path / "b")) for p in (tmp_path / "b").rglob("*")}
    again = edukit("site", "-o", str(tmp_path / "a"))
    assert again.returncode == 1 and again.stderr.count("\n") == 1
    assert "--overwrite" in again.stderr and "Traceback" not in again.stderr
    wrong = edukit("export", "--all", "--with-guides", "--format", "html",
                   "-o", str(tmp_path / "c"))
    assert wrong.returncode != 0 and "--with-guides" in wrong.stderr
