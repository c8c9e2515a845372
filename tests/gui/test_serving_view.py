"""Through the real locked QWebEngine view: a lesson's page gets only pictures from its own
folder (never a file beside a single-file lesson, a dotfile, a non-picture, an .html page, a
link out or a huge file), and a link in a lesson cannot take the view to another page: the
teacher's guide, another lesson, a file. Positive controls: a permitted picture does load, and a
link within the page does move the view."""
from __future__ import annotations

import os

import pytest
from pictures import png
from PySide6.QtCore import QUrl

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.serving import MAX_FILE_BYTES
from edukit.gui.session import Session
from edukit.gui.webview import module_url

SECRET = b"-----BEGIN OPENSSH PRIVATE KEY-----\n"




@pytest.fixture
def root(tmp_path):
    """A content root with a folder module (pictures, hostile files) and a single-file lesson
    beside a photo."""
    folder = tmp_path / "root" / "pics"
    (folder / "images").mkdir(parents=True)
    (folder / ".ssh").mkdir()
    (folder / "module.md").write_text(
        "---\ntitle: Pics\n---\n# Pics\n\n![ok](images/pic.png)\n\n[guide](guide.html) "
        "[print](print.html?kind=guide) [file](images/pic.png) [notes](notes.txt) "
        '<a href="#marker" id="jump">jump</a>\n\n' + "filler\n\n" * 200
        + '<p id="marker">marker</p>\n')
    picture = png()
    for name in ("images/pic.png", "IMG.PNG", ".ssh/key.png", ".env.png", "a.png.html",
                 "page.html", "notes.txt"):
        (folder / name).write_bytes(picture)
    with open(folder / "big.png", "wb") as f:
        f.write(picture)
        f.truncate(MAX_FILE_BYTES + 1)
    (tmp_path / "outside.png").write_bytes(picture)
    (folder / "out.png").symlink_to(tmp_path / "outside.png")
    os.mkfifo(folder / "pipe.png")
    (tmp_path / "root" / "single.md").write_text("---\ntitle: Single\n---\n# Single\n\n"
                                                 "![photo](photo.png)\n")
    (tmp_path / "root" / "photo.png").write_bytes(picture)
    (tmp_path / "root" / "id_rsa").write_bytes(SECRET)
    (tmp_path / "root" / "pics2" / "images").mkdir(parents=True)
    (tmp_path / "root" / "pics2" / "module.md").write_text("---\ntitle: Two\n---\n# Two\n")
    (tmp_path / "root" / "pics2" / "images" / "pic.png").write_bytes(picture)
    return tmp_path / "root"


def widths(js, page, ids):
    return {i: js(page, f"document.getElementById('{i}').naturalWidth") for i in ids}


SERVED = {"ok": "images/pic.png", "upper": "IMG.PNG"}
REFUSED = {
    "dotfolder": ".ssh/key.png", "dotfile": ".env.png", "html": "a.png.html",
    "page": "page.html", "text": "notes.txt", "big": "big.png", "link-out": "out.png",
    "pipe": "pipe.png", "beside": "../photo.png", "encoded-beside": "%2e%2e/photo.png",
    "other-module": "../single/photo.png", "absolute": "edukit://app/module/single/photo.png",
    "via-resources": "edukit://app/resources/../module/single/photo.png",
    "another-lessons-picture": "../pics2/images/pic.png",
    "another-lessons-picture-absolute": "edukit://app/module/pics2/images/pic.png",
}


def test_the_scheme_handler_serves_only_the_lessons_own_pictures(qtbot, js, root, locked_page):
    session = Session(Library.default(extra=[root]), School())
    page, profile = locked_page(session)
    imgs = "".join(f'<img id="{i}" src="{src}">' for i, src in {**SERVED, **REFUSED}.items())
    with qtbot.waitSignal(page.loadFinished, timeout=20000):
        page.setHtml(imgs, QUrl("edukit://app/module/pics/lesson.html"))
    qtbot.waitUntil(lambda: all(widths(js, page, SERVED).values()), timeout=5000)
    assert widths(js, page, REFUSED) == dict.fromkeys(REFUSED, 0)
    asked = " ".join(profile.edukit_handler.served)
    for name in ("a.png.html", ".env.png", "big.png", "pipe.png", "out.png"):
        assert f"/module/pics/{name}" in asked  # the handler was asked, and said no
    blocked = profile.edukit_interceptor.blocked
    assert "edukit://app/module/pics2/images/pic.png" in blocked  # asked by pics' page: no
    assert profile.edukit_handler.lookup(QUrl("edukit://app/module/pics2/images/pic.png"))[0]


def test_a_single_file_lesson_gets_no_file_beside_it(qtbot, js, root, locked_page):
    session = Session(Library.default(extra=[root]), School())
    page, profile = locked_page(session)
    with qtbot.waitSignal(page.loadFinished, timeout=20000):
        page.load(module_url("pics", "lesson"))
    qtbot.waitUntil(lambda: js(page, "document.images[0].naturalWidth") == 1, timeout=5000)
    with qtbot.waitSignal(page.loadFinished, timeout=20000):  # positive control above
        page.load(module_url("single", "lesson"))
    qtbot.waitUntil(lambda: js(page, "document.images[0].complete") is True, timeout=5000)
    assert js(page, "document.images[0].naturalWidth") == 0
    assert "edukit://app/module/single/photo.png" in profile.edukit_handler.served


def test_an_opened_files_neighbours_are_not_served(qtbot, js, root, locked_page):
    session = Session(Library.default(), School())
    module = session.open(str(root / "single.md"))
    page, profile = locked_page(session)
    with qtbot.waitSignal(page.loadFinished, timeout=20000):
        page.load(module_url(module.id, "lesson"))
    qtbot.waitUntil(lambda: js(page, "document.images[0].complete") is True, timeout=5000)
    assert js(page, "document.images[0].naturalWidth") == 0
    assert profile.edukit_handler.lookup(QUrl(f"edukit://app/module/{module.id}/id_rsa"))[0] is None


def test_a_link_in_a_lesson_moves_only_within_its_page(qtbot, js, root, locked_page):
    session = Session(Library.default(extra=[root]), School())
    page, _ = locked_page(session)
    lesson = module_url("pics", "lesson")
    with qtbot.waitSignal(page.loadFinished, timeout=20000):
        page.load(lesson)
    clicked = []
    page.internalLinkClicked.connect(lambda url: clicked.append(url.toString()))
    js(page, "document.getElementById('jump').click(); 1")
    qtbot.waitUntil(lambda: page.url().fragment() == "marker", timeout=5000)  # positive control
    for href in ("guide.html", "print.html?kind=guide", "images/pic.png", "notes.txt"):
        assert js(page, f"document.querySelector('a[href=\"{href}\"]') !== null")
        js(page, f"document.querySelector('a[href=\"{href}\"]').click(); 1")
        qtbot.waitUntil(lambda h=href: any(u.endswith(h) for u in clicked), timeout=5000)
        qtbot.wait(300)
        assert page.url().toString().split("#")[0] == lesson.toString(), href
        assert "Pics" in js(page, "document.body.textContent")
