"""Nothing outside a module's folder and resources/ is ever served by the edukit: scheme,
whatever the URL: '..', absolute paths, file: URLs, Windows drive paths, symlinks out, odd names.
Positive controls show that files which are inside are served."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from edukit.core.library import Library
from edukit.core.markdown.media import classify_url
from edukit.core.model import School
from edukit.core.render import RenderContext, render
from edukit.core.serving import module_file
from edukit.gui.session import Session
from edukit.gui.webview import Later, SchemeHandler

SECRET = b"teacher's private notes"


@pytest.fixture
def handler(tmp_path) -> tuple[SchemeHandler, Path]:
    (tmp_path / "secret.txt").write_bytes(SECRET)
    lesson = tmp_path / "root" / "lesson"
    (lesson / "images").mkdir(parents=True)
    (lesson / "module.md").write_text("---\ntitle: Lesson\n---\n# Lesson\n")
    (lesson / "images" / "pic.png").write_bytes(b"PNG inside")
    (lesson / "odd name é #1.png").write_bytes(b"PNG odd")
    (lesson / "out.png").symlink_to(tmp_path / "secret.txt")
    (lesson / "outdir").symlink_to(tmp_path)
    (lesson / "inside.png").symlink_to(lesson / "images" / "pic.png")
    (lesson / "loop.png").symlink_to(lesson / "loop.png")
    session = Session(Library.default(extra=[tmp_path / "root"]), School())
    return SchemeHandler(session.pages.page, session.pages.folder), tmp_path


def served(handler: SchemeHandler, url: str) -> bytes | None:
    data = handler.lookup(QUrl(url))[0]
    return data.now() if isinstance(data, Later) else data  # a user lesson renders in the worker


def test_files_inside_the_module_and_resources_are_served_positive_control(handler):
    h, _ = handler
    assert served(h, "edukit://app/module/lesson/images/pic.png") == b"PNG inside"
    assert served(h, "edukit://app/module/lesson/inside.png") == b"PNG inside"  # link inside
    assert served(h, "edukit://app/module/lesson/odd%20name%20%C3%A9%20%231.png") == b"PNG odd"
    assert served(h, "edukit://app/resources/css/base.css").startswith(b"/*")
    assert b"<h1" in served(h, "edukit://app/module/lesson/lesson.html")


ESCAPES = {
    "dot-dot": "edukit://app/module/lesson/../../secret.txt",
    "encoded dot-dot": "edukit://app/module/lesson/%2e%2e/%2e%2e/secret.txt",
    "encoded slashes": "edukit://app/module/lesson/..%2F..%2Fsecret.txt",
    "backslashes": "edukit://app/module/lesson/..%5C..%5Csecret.txt",
    "absolute": "edukit://app/module/lesson//{tmp}/secret.txt",
    "encoded absolute": "edukit://app/module/lesson/%2F{tmp}%2Fsecret.txt",
    "file url": "edukit://app/module/lesson/file:///{tmp}/secret.txt",
    "file url encoded": "edukit://app/module/lesson/file%3A%2F%2F%2F{tmp}%2Fsecret.txt",
    "windows drive": "edukit://app/module/lesson/C:%5CWindows%5Cwin.ini",
    "windows drive slash": "edukit://app/module/lesson/C:/Windows/win.ini",
    "unc path": "edukit://app/module/lesson/%5C%5Cserver%5Cshare%5Cx.png",
    "symlink to a file outside": "edukit://app/module/lesson/out.png",
    "symlink to a folder outside": "edukit://app/module/lesson/outdir/secret.txt",
    "symlink loop": "edukit://app/module/lesson/loop.png",
    "NUL in name": "edukit://app/module/lesson/pic%00.png",
    "name too long": "edukit://app/module/lesson/" + "a" * 5000 + ".png",
    "resources dot-dot": "edukit://app/resources/../../../../{tmp}/secret.txt",
    "resources encoded dot-dot": "edukit://app/resources/%2e%2e/pyproject.toml",
    "another host": "edukit://evil/module/lesson/images/pic.png",
    "unknown module": "edukit://app/module/nope/images/pic.png",
    "module folder itself": "edukit://app/module/lesson/",
    "the module text": "edukit://app/module/lesson/..",
}


@pytest.mark.parametrize("case", ESCAPES, ids=list(ESCAPES))
def test_nothing_outside_the_module_folder_is_served(handler, case):
    h, tmp = handler
    url = ESCAPES[case].format(tmp=str(tmp).lstrip("/"))
    data = served(h, url)
    assert data is None or SECRET not in data
    assert data is None


@pytest.mark.parametrize("rel", ["../secret.txt", "/etc/passwd", "C:\\x", "file:///etc/passwd",
                                 "a/../../secret.txt", "", "out.png", "outdir/secret.txt"])
def test_module_file_refuses_paths_that_leave_the_folder(handler, rel):
    _, tmp = handler
    assert module_file(tmp / "root" / "lesson", rel) is None


def test_rendered_pages_drop_paths_that_leave_the_module(tmp_path):
    (tmp_path / "m.md").write_text(
        "---\ntitle: M\n---\n![a](../secret.png) ![b](/etc/passwd) ![c](file:///etc/passwd)"
        " ![d](C:\\Windows\\x.png) ![e](images/ok.png)\n\n"
        "[l1](../x.md) [l2](file:///etc/passwd) [l3](C:/x) [l4](ok.md)\n")
    module = Library.default(extra=[tmp_path]).get("m")
    html = render(module, "lesson", RenderContext()).html
    assert 'src="images/ok.png"' in html and 'href="ok.md"' in html  # positive control
    for bad in ("../secret.png", "/etc/passwd", "file:", "C:\\", "../x.md", "C:/x"):
        assert f'"{bad}' not in html
    assert html.count("outside the module") == 4


@pytest.mark.parametrize("url,kind", [
    ("../a.png", "outside"), ("a/../../b.png", "outside"), ("/abs.png", "outside"),
    ("\\\\server\\x.png", "outside"), ("C:\\x.png", "outside"), ("c:/x.png", "outside"),
    ("%2e%2e/a.png", "outside"), ("file:///etc/passwd", "bad"), ("javascript:alert(1)", "bad"),
    ("images/a b.png", "local"), ("https://example.com/a.png", "remote"),
])
def test_classify_url(url, kind):
    assert classify_url(url) == kind
