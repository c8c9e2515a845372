"""Only lesson content is served, and only what a lesson may reference (issue 10, class 3).

One rule (edukit.core.serving) decides what a lesson's references may reach; the app's edukit:
scheme handler and HTML export both ask it. Every hostile variant is tried against the rule,
through the handler's lookup and through the real `edukit export --format html`; the positive
controls show that the same harness sees a file that IS served or embedded.
"""
from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pictures import png

from edukit.core.markdown.media import classify_url
from edukit.core.pages import inline_images
from edukit.core.paths import resources_dir
from edukit.core.sanitize import is_local_path, sanitize
from edukit.core.serving import (
    MAX_FILE_BYTES,
    inside_path,
    module_file,
    own_folder,
    read_module_file,
    read_resource,
)

REPO = Path(__file__).parent.parent
SECRET = b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"




PIC = png(b"inside")


def carries(html: str, data: bytes) -> bool:
    """Whether an exported page holds these bytes, as text or as a base64 data: URI."""
    return (data.decode("latin-1") in html or base64.b64encode(data).decode() in html)


@pytest.fixture
def lesson(tmp_path) -> Path:
    """A folder module with pictures and things that are not; secrets beside and inside."""
    (tmp_path / "id_rsa").write_bytes(SECRET)
    folder = tmp_path / "root" / "lesson"
    (folder / "images").mkdir(parents=True)
    (folder / ".ssh").mkdir()
    (folder / "module.md").write_text("---\ntitle: Lesson\n---\n# Lesson\n")
    (folder / "images" / "pic.png").write_bytes(PIC)
    (folder / "IMG.PNG").write_bytes(PIC)
    (folder / "photo.JPeG").write_bytes(PIC)
    (folder / "odd name é #1.png").write_bytes(PIC)
    (folder / ".ssh" / "id_rsa").write_bytes(SECRET)
    (folder / ".ssh" / "key.png").write_bytes(SECRET)
    (folder / ".env.png").write_bytes(SECRET)
    (folder / ".env").write_bytes(SECRET)
    (folder / "notes.txt").write_bytes(SECRET)
    (folder / "page.html").write_bytes(SECRET)
    (folder / "a.png.html").write_bytes(SECRET)
    (folder / "worksheet.pdf").write_bytes(SECRET)
    (folder / "key").write_bytes(SECRET)
    with open(folder / "big.png", "wb") as f:  # sparse: over the limit without using the disk
        f.write(PIC)
        f.truncate(MAX_FILE_BYTES + 1)
    (folder / "out.png").symlink_to(tmp_path / "id_rsa")
    (folder / "outdir").symlink_to(tmp_path)
    (folder / "inside.png").symlink_to(folder / "images" / "pic.png")
    (folder / "hidden-link.png").symlink_to(folder / ".ssh" / "key.png")
    (folder / "text-link.png").symlink_to(folder / "notes.txt")
    (folder / "loop.png").symlink_to(folder / "loop.png")
    os.mkfifo(folder / "pipe.png")
    return folder


ALLOWED = ["images/pic.png", "./images/pic.png", "IMG.PNG", "photo.JPeG", "odd name é #1.png",
           "inside.png", "images/./pic.png"]


@pytest.mark.parametrize("rel", ALLOWED)
def test_pictures_in_the_modules_own_folder_are_served_positive_control(lesson, rel):
    assert read_module_file(lesson, rel)[0] == PIC
    assert read_module_file(lesson, rel)[1] in ("image/png", "image/jpeg")


REFUSED = {
    "dot-dot": "../id_rsa",
    "dot-dot inside a path": "images/../../id_rsa",
    "percent-encoded dot-dot (decoded once)": "%2e%2e/id_rsa",
    "absolute": "/etc/passwd",
    "absolute to the secret": "{tmp}/id_rsa",
    "backslashes": "..\\id_rsa",
    "windows drive": "C:\\Windows\\win.ini",
    "windows drive slash": "C:/Windows/win.ini",
    "unc": "\\\\server\\share\\x.png",
    "file url": "file:///etc/passwd",
    "NUL": "images/pic.png\x00.txt",
    "NUL before the extension": "pic\x00.png",
    "newline": "images/pic.png\n",
    "empty": "",
    "empty part": "images//pic.png",
    "dotfolder": ".ssh/id_rsa",
    "dotfolder picture": ".ssh/key.png",
    "dotfile picture": ".env.png",
    "dotfile": ".env",
    "the folder itself": ".",
    "git": ".git/config",
    "not a picture": "notes.txt",
    "no extension": "key",
    "an html page": "page.html",
    "a picture name ending in html": "a.png.html",
    "pdf": "worksheet.pdf",
    "the lesson text": "module.md",
    "over the size limit": "big.png",
    "link to a file outside": "out.png",
    "link to a folder outside": "outdir/id_rsa",
    "link inside to a dotfile": "hidden-link.png",
    "link inside to a non-picture": "text-link.png",
    "link loop": "loop.png",
    "a pipe named like a picture": "pipe.png",
    "name too long": "a" * 5000 + ".png",
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_nothing_else_is_served(lesson, case):
    rel = REFUSED[case].format(tmp=str(lesson.parent.parent).lstrip("/"))
    assert read_module_file(lesson, rel) is None  # returns at once: a pipe does not block
    assert module_file(lesson, rel) is None or case == "over the size limit"


def test_a_single_file_lessons_folder_is_not_its_own(tmp_path):
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    (downloads / "lesson.md").write_text("---\ntitle: L\n---\n![p](photo.png)\n")
    (downloads / "photo.png").write_bytes(PIC)
    assert own_folder(downloads / "lesson.md") is None
    assert read_module_file(own_folder(downloads / "lesson.md"), "photo.png") is None
    assert read_module_file(downloads, "photo.png")[0] == PIC  # the picture itself is fine
    assert own_folder(downloads / "x" / "module.md") == downloads / "x"


def test_resources_are_only_stylesheets_and_fonts():
    assert read_resource("css/base.css", resources_dir())[1] == "text/css"  # positive control
    for rel in ("../pyproject.toml", "%2e%2e/README.md", "css/../../README.md", "css",
                "css/.hidden.css", "../content/modules/who-can-i-tell/module.md"):
        assert read_resource(rel, resources_dir()) is None, rel


@pytest.mark.parametrize("rel,clean", [
    ("a.png", "a.png"), ("./a/./b.png", "a/b.png"), ("a b/c.png", "a b/c.png"),
    ("../a", None), ("a/..", None), ("/a", None), ("a\\b", None), ("c:x", None), (".a", None),
    ("a/.b/c", None), ("a//b", None), ("a\x00b", None), ("a\rb", None), ("\x1b[31m", None),
    ("...", None), ("", None), (".", None),
])
def test_inside_path(rel, clean):
    assert inside_path(rel) == clean


# Content: no edukit: URL and no escaping path survives rendering.

@pytest.mark.parametrize("value", [
    "edukit://app/module/other/guide.html", "EDUKIT://app/resources/css/base.css",
    "edukit:///module/x/print.html", "%2e%2e/other/guide.html", "%2E%2E/%2e%2e/resources/x",
    ".ssh/id_rsa", "images/%2e%2e/%2e%2e/x.png", ".%2e/x.png", "a%00.png", "..%5cx.png",
])
def test_the_sanitiser_drops_references_that_leave_the_lesson(value):
    html = sanitize(f'<a href="{value}">l</a><img src="{value}" alt="i">')
    assert "href" not in html and "src" not in html, html
    assert not is_local_path(value)


def test_the_sanitiser_keeps_the_lessons_own_references_positive_control():
    html = sanitize('<a href="#s">a</a><a href="notes.md#x">b</a><img src="images/a%20b.png">')
    assert html.count("href=") == 2 and 'src="images/a%20b.png"' in html


@pytest.mark.parametrize("url,kind", [
    ("%2e%2e/a.png", "outside"), (".ssh/id_rsa", "outside"), (".env", "outside"),
    ("images/.hidden.png", "outside"), ("edukit://app/module/x/guide.html", "bad"),
    ("./images/a.png", "local"), ("IMG.PNG", "local"),
])
def test_classify_url_uses_the_same_rule(url, kind):
    assert classify_url(url) == kind


def test_an_image_that_is_not_a_picture_is_a_placeholder(tmp_path):
    from edukit.core.library import Library
    from edukit.core.render import RenderContext, render

    (tmp_path / "m.md").write_text("---\ntitle: M\n---\n![key](notes.txt) ![ok](pic.png)\n")
    html = render(Library.default(extra=[tmp_path]).get("m"), "lesson", RenderContext()).html
    assert 'src="pic.png"' in html and 'src="notes.txt"' not in html
    assert "[Image not shown: key — not a picture]" in html


# HTML export embeds only what the app would show.

def test_inline_images_embeds_only_permitted_pictures(lesson):
    refs = list(ALLOWED) + [r for r in REFUSED.values() if "{tmp}" not in r and "\x00" not in r]
    html = "".join(f'<img src="{r}">' for r in refs)
    out = inline_images(html, lesson)
    assert out.count("data:image/") == len(ALLOWED)  # positive control: these are embedded
    assert not carries(out, SECRET)
    assert inline_images('<img src="images/pic.png">', None) == '<img src="">'  # a single file


def edukit(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edukit", *args], cwd=cwd, check=False,
                          capture_output=True, text=True, timeout=300)


HOSTILE_LESSON = """---
title: A lesson from a colleague
---
# A lesson from a colleague

![key](id_rsa) ![key2](.ssh/id_rsa) ![photo](photo.png) ![env](.env)

<img src="id_rsa" alt="raw"><img src="%2e%2e/Downloads/id_rsa"><img src="photo.png">
<img src="edukit://app/module/who-can-i-tell/photo.png">
"""


def test_html_export_of_a_single_file_lesson_carries_nothing_beside_it(tmp_path):
    downloads = tmp_path / "Downloads"
    (downloads / ".ssh").mkdir(parents=True)
    for where in (downloads / "id_rsa", downloads / ".ssh" / "id_rsa", downloads / ".env"):
        where.write_bytes(SECRET)
    (downloads / "photo.png").write_bytes(png(b"private photo"))
    (downloads / "lesson.md").write_text(HOSTILE_LESSON)
    assert (downloads / "id_rsa").read_bytes() == SECRET  # it is there, and readable
    out = tmp_path / "out.html"
    result = edukit("export", str(downloads / "lesson.md"), "--as", "handout",
                    "--format", "html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "A lesson from a colleague" in html
    assert not carries(html, SECRET)
    assert not carries(html, png(b"private photo"))
    body = html.split("</style>", 1)[1]  # the page's own CSS may draw icons (callouts)
    assert "data:image" not in body and "edukit:" not in body


def test_html_export_of_a_folder_module_embeds_its_own_picture_positive_control(tmp_path):
    """The same check sees an embedded file: here a permitted picture whose bytes are the
    'secret' is embedded whole."""
    folder = tmp_path / "root" / "shared-lesson"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "pic.png").write_bytes(png(SECRET))
    (folder / "id_rsa").write_bytes(SECRET)
    (folder / "module.md").write_text(HOSTILE_LESSON.replace("![key](id_rsa)",
                                                             "![pic](images/pic.png)"))
    out = tmp_path / "out.html"
    result = edukit("export", str(folder), "--as", "handout", "--format", "html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert carries(html, png(SECRET))  # the permitted picture, whole
    assert html.count("data:image/png;base64,") == 1  # and nothing else


def test_validate_says_which_references_would_not_be_shown(tmp_path):
    downloads = tmp_path / "Downloads"
    (downloads / ".ssh").mkdir(parents=True)
    (downloads / ".ssh" / "id_rsa").write_bytes(SECRET)
    (downloads / "id_rsa").write_bytes(SECRET)
    (downloads / "photo.png").write_bytes(PIC)
    (downloads / "lesson.md").write_text(HOSTILE_LESSON)
    folder = tmp_path / "root" / "lesson"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_bytes(SECRET)
    (folder / "pic.png").write_bytes(PIC)
    (folder / "module.md").write_text("---\ntitle: L\n---\n![n](notes.txt) ![p](pic.png)\n")
    result = edukit("validate", str(downloads / "lesson.md"), str(folder))
    out = result.stdout + result.stderr
    assert "image 'photo.png' is beside a single-file lesson" in out
    assert "image '.ssh/id_rsa' leaves the module folder" in out
    assert "image 'edukit://app/module/who-can-i-tell/photo.png' uses a scheme" in out
    assert "image 'notes.txt' is not a picture edukit shows" in out
    assert "'pic.png'" not in out  # positive control: a picture in its own folder is fine


def test_pdf_export_draws_only_the_lessons_own_pictures(tmp_path):
    """Through the real Qt path (edukit: scheme handler, printToPdf): a photo beside a
    single-file lesson is not in its PDF; the same photo in a module folder is (control).
    The photo's odd size (37x23) finds it among the PDF's image objects."""
    photo = png(b"private", 37, 23)
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    (downloads / "photo.png").write_bytes(photo)
    (downloads / "lesson.md").write_text("---\ntitle: D\n---\n# D\n\n![p](photo.png)\n")
    folder = tmp_path / "root" / "m"
    folder.mkdir(parents=True)
    (folder / "photo.png").write_bytes(photo)
    (folder / "module.md").write_text("---\ntitle: M\n---\n# M\n\n![p](photo.png)\n")
    drawn = {}
    for name, ref in (("single", downloads / "lesson.md"), ("folder", folder)):
        result = edukit("export", str(ref), "-o", str(tmp_path / f"{name}.pdf"))
        assert result.returncode == 0, result.stderr
        drawn[name] = b"/Width 37" in (tmp_path / f"{name}.pdf").read_bytes()
    assert drawn == {"single": False, "folder": True}


@pytest.mark.parametrize("page,wanted,ok", [
    ("/module/a/lesson.html", "/module/a/images/pic.png", True),
    ("/module/a/print.html", "/resources/css/print.css", True),
    ("/module/a/lesson.html", "/resources/fonts/x.woff2", True),
    ("/module/a/lesson.html", "/module/b/images/pic.png", False),
    ("/module/a/lesson.html", "/module/b/guide.html", False),
    ("/module/a/lesson.html", "/module/ab/pic.png", False),
    ("/module/a/lesson.html", "/module/a", False),
    ("/module/a/lesson.html", "/resources/icons/x.png", False),
    ("/module/a/lesson.html", "/resources/css", False),
    ("/module/a/lesson.html", "/settings/school.json", False),
    ("/other/page.html", "/module/a/pic.png", False),
])
def test_a_lessons_page_loads_only_its_own_modules_files(page, wanted, ok):
    from edukit.core.serving import page_may_load

    assert page_may_load(page, wanted) is ok
