"""The school's logo: checked when chosen and again when printed; a bad file is never printed."""
from __future__ import annotations

from pathlib import Path

import pytest

from edukit.core.library import load_module
from edukit.core.logo import MAX_LOGO_BYTES, logo_html, logo_problem
from edukit.core.model import School
from edukit.core.printing import PrintOptions, print_page
from edukit.core.render import RenderContext

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 40


@pytest.mark.parametrize("name,data", [("crest.png", PNG), ("crest.jpg", JPEG)])
def test_a_png_or_jpeg_is_a_logo(tmp_path: Path, name, data):
    (tmp_path / name).write_bytes(data)
    assert logo_problem(str(tmp_path / name)) is None
    assert logo_html(str(tmp_path / name)).startswith('<img class="school-logo"')


@pytest.mark.parametrize("name,data,says", [
    ("big.png", PNG + b"\0" * MAX_LOGO_BYTES, "too large for a logo"),
    ("fake.png", b"<svg onload=alert(1)>", "not a PNG or JPEG"),
    ("notes.txt", b"hello", "not a PNG or JPEG"),
    ("gone.png", None, "cannot read it"),
    ("folder", "dir", "not a file"),
])
def test_files_that_cannot_be_a_logo_say_why_and_never_print(tmp_path: Path, name, data, says):
    path = tmp_path / name
    if data == "dir":
        path.mkdir()
    elif data is not None:
        path.write_bytes(data)
    problem = logo_problem(str(path))
    assert problem and says in problem and str(path) in problem
    assert logo_html(str(path)) == ""


@pytest.mark.parametrize("kind,shown", [("handout", True), ("guide", True), ("slides", False),
                                        ("notes", False)])
def test_the_logo_tops_handouts_and_guides(tmp_path: Path, fixture_content, kind, shown):
    (tmp_path / "crest.png").write_bytes(PNG)
    module = load_module(fixture_content / "modules" / "sample-lesson" / "module.md", "extra")
    ctx = RenderContext(school=School(name="Oak", logo=str(tmp_path / "crest.png")))
    html = print_page(module, ctx, PrintOptions(kind=kind))
    assert ('<main class="page"><img class="school-logo"' in html) == shown
    no_logo = print_page(module, RenderContext(school=School(logo=str(tmp_path / "gone.png"))),
                         PrintOptions(kind=kind))
    assert "school-logo\"" not in no_logo.split("</head>")[1]
