"""Bounded cost for every input (issue 10, class 4): YAML alias bombs, picture bombs, [TOC],
heading and setext floods, '&' runs, long search queries and validation's own measuring.

No test times anything: each asserts the bounded WORK (what was refused and why, how many
headings survive, how many bytes were read) and a positive control shows ordinary input is
untouched. benchmarks/hostile.py measures time and memory through the real CLI.
"""
from __future__ import annotations

import base64
import io
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import yaml

from edukit.core import images, yaml_safe
from edukit.core.images import bound_images, check_stream, data_url_problem, image_problem
from edukit.core.library import Library, load_module
from edukit.core.markdown import Converter
from edukit.core.markdown.budget import cut_index, within_budget
from edukit.core.markdown.guard import (
    HEADING_LIMIT,
    TOC_LIMIT,
    neutralise,
    split_entity_runs,
)
from edukit.core.model import School
from edukit.core.pages import inline_images
from edukit.core.paths import content_dir
from edukit.core.render import VIEWS, RenderContext, render
from edukit.core.routes import RouteError, load_routes
from edukit.core.sanitize import sanitize
from edukit.core.search.query import MAX_QUERY_WORDS, match_expression
from edukit.core.validate import MAX_REPEATS, slide_measure_problem, validate_module

REPO = Path(__file__).parent.parent


# --- builders ------------------------------------------------------------------------------

def alias_bomb(levels: int = 9, key: str = "topics") -> str:
    """Nine lists of nine aliases: 9**9 (387 million) strings once expanded, 500 bytes written."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + f"\n{key}: *a{levels - 1}\n"


MERGE_BOMB = ("a0: &a0 {k0: 1, k1: 2, k2: 3, k3: 4, k4: 5, k5: 6, k6: 7, k7: 8}\n"
              + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n"
                        for i in range(1, 9))
              + "sources: *a8\n")
SELF_ALIAS = "loop: &loop [1, *loop]\n"
DEEP = "x: " + "[" * 60 + "]" * 60 + "\n"


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (min(width, 4096) + 1) * min(height, 4), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def gif(width: int, height: int, frame_w: int, frame_h: int) -> bytes:
    return (b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
            + b"!\xf9\x04\x00\x00\x00\x00\x00"  # graphic control extension
            + b"," + struct.pack("<HHHHB", 0, 0, frame_w, frame_h, 0) + b"\x02\x02\x44\x01\x00;")


def jpeg(width: int, height: int, exif_bytes: int = 60_000) -> bytes:
    """A JPEG whose frame header comes after a large EXIF segment, as cameras write them."""
    app1 = b"\xff\xe1" + struct.pack(">H", exif_bytes + 2) + b"\0" * exif_bytes
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app1 + sof + b"\xff\xd9"


def webp_vp8x(width: int, height: int) -> bytes:
    return (b"RIFF" + struct.pack("<I", 22) + b"WEBPVP8X" + struct.pack("<I", 10) + b"\0" * 4
            + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little"))


def webp_vp8l(width: int, height: int) -> bytes:
    bits = (width - 1) | (height - 1) << 14
    return (b"RIFF" + struct.pack("<I", 22) + b"WEBPVP8L" + struct.pack("<I", 10) + b"\x2f"
            + bits.to_bytes(4, "little") + b"\0" * 5)


def webp_vp8(width: int, height: int) -> bytes:
    return (b"RIFF" + struct.pack("<I", 22) + b"WEBPVP8 " + struct.pack("<I", 10)
            + b"\0\0\0\x9d\x01\x2a" + struct.pack("<HH", width, height) + b"\0" * 4)


def bmp(width: int, height: int) -> bytes:
    return b"BM" + b"\0" * 16 + struct.pack("<ii", width, height) + b"\0" * 28


def svg(attrs: str, inner: str = "<rect/>") -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" {attrs}>{inner}</svg>'.encode()


def svg_use_bomb(levels: int = 7) -> bytes:
    groups = ['<g id="a0"><rect width="1" height="1"/></g>'] + [
        f'<g id="a{i}">' + f'<use href="#a{i - 1}"/>' * 10 + "</g>" for i in range(1, levels)]
    return svg('width="100" height="100"', "<defs>" + "".join(groups) + f'</defs><use href="#a{levels - 1}"/>')


BOMBS = {
    "PNG 60000x60000": png(60_000, 60_000),
    "GIF screen 60000x60000": gif(60_000, 60_000, 1, 1),
    "GIF frame larger than its screen": gif(10, 10, 60_000, 60_000),
    "JPEG 65000x65000 after EXIF": jpeg(65_000, 65_000),
    "WebP VP8X 100000x100000": webp_vp8x(100_000, 100_000),
    "WebP lossless 16384x16384": webp_vp8l(16_384, 16_384),
    "WebP lossy 16000x16000": webp_vp8(16_000, 16_000),
    "BMP 50000x-50000": bmp(50_000, -50_000),
    "SVG 60000x60000": svg('width="60000" height="60000"'),
    "SVG 200 m wide": svg('width="20000cm" height="100cm"'),
    "SVG height from viewBox": svg('width="50000" viewBox="0 0 1 1"'),
    "SVG <use> bomb": svg_use_bomb(),
    "SVG <use> of itself": svg('width="10" height="10"', '<g id="a"><use href="#a"/></g>'),
    "SVG xlink:href loop": svg('xmlns:xlink="http://www.w3.org/1999/xlink" width="9" height="9"',
                               '<g id="a"><g><use xlink:href="#a"/></g></g>'),
    "SVG entities": b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]>' + svg('width="9" height="9"', "&a;"),
    "SVG nested 10,000 deep": svg('width="9" height="9"', "<g>" * 10_000 + "</g>" * 10_000),
}
ORDINARY = {
    "PNG 400x300": png(400, 300),
    "GIF 100x100": gif(100, 100, 100, 100),
    "JPEG 4000x3000 photo": jpeg(4000, 3000),
    "WebP 640x480": webp_vp8x(640, 480),
    "WebP lossless 64x64": webp_vp8l(64, 64),
    "BMP 32x32": bmp(32, 32),
    "SVG 10cm": svg('width="10cm" height="5cm" viewBox="0 0 100000 50000"'),
    "SVG viewBox only": svg('viewBox="0 0 100000 100000"'),  # sized by the page, not the box
    "SVG with 200 uses": svg('width="50" height="50"', '<circle id="c" r="1"/>' + '<use href="#c"/>' * 200),
}


def lesson(folder: Path, body: str, front: str = "title: Test\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "module.md"
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path


def edukit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edukit", *args], cwd=REPO, check=False,
                          capture_output=True, text=True, timeout=300)


# --- YAML ----------------------------------------------------------------------------------

@pytest.mark.parametrize("front, line", [
    (alias_bomb(), 6),  # a4, the first list past the limit, is on YAML line 5, file line 6
    (alias_bomb(9, "title"), 6),
    (MERGE_BOMB, 6),
    (SELF_ALIAS, 2),
    (DEEP, 2),
], ids=["list aliases", "title is a bomb", "merge keys", "alias of itself", "60 levels deep"])
def test_front_matter_yaml_bomb_is_refused_with_its_line(tmp_path, front, line):
    path = lesson(tmp_path / "bomb", "# Bomb\n\nText.\n", front)
    module = load_module(path, "extra")
    refused = [p for p in module.problems if "front matter refused" in p.message]
    assert len(refused) == 1, module.problems
    assert refused[0].line == line
    assert module.meta.title == "bomb"  # the lesson still loads, named after its folder


def test_positive_control_a_plain_safe_loader_accepts_the_bomb():
    """Without the bound the bomb loads at once: the cost comes later, when it is walked."""
    data = yaml.load(alias_bomb(), Loader=yaml_safe.SafeLoader)
    assert data["topics"][0][0][0] is data["topics"][1][0][0]  # shared, not yet expanded
    with pytest.raises(yaml_safe.YamlTooLarge, match="expand to more than 20,000"):
        yaml_safe.safe_load(alias_bomb())


def test_ordinary_yaml_with_aliases_still_loads():
    text = "base: &b {a: 1, b: [x, y]}\none: *b\ntwo: {<<: *b, c: 3}\n"
    assert yaml_safe.safe_load(text) == yaml.safe_load(text)


def test_bundled_route_file_loads_the_same_as_before():
    path = content_dir() / "routes" / "uk.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    directory = load_routes(path)
    assert [r.phone for r in directory.routes] == [str(r.get("phone", "")) for r in data["routes"]]


@pytest.mark.parametrize("prefix", [alias_bomb(9, "lol"), SELF_ALIAS, "# " + "x" * 300_000 + "\n"],
                         ids=["alias bomb", "alias of itself", "300 KB"])
def test_route_file_bomb_is_refused_and_the_bundled_routes_stay(tmp_path, prefix):
    extra = tmp_path / "c"
    (extra / "routes").mkdir(parents=True)
    bundled = (content_dir() / "routes" / "uk.yaml").read_text(encoding="utf-8")
    (extra / "routes" / "uk.yaml").write_text(prefix + bundled, encoding="utf-8")
    with pytest.raises(RouteError, match="expand|contains itself|larger than"):
        load_routes(extra / "routes" / "uk.yaml")
    library = Library.default(extra=[extra])
    assert library.routes("uk") == load_routes(content_dir() / "routes" / "uk.yaml")
    assert any("uk.yaml" in p.path and "cannot read route directory" in p.message
               for p in library.problems)


def test_yaml_file_read_is_bounded(tmp_path, monkeypatch):
    """A huge file is refused after reading MAX_BYTES + 1 bytes, not read whole."""
    big = tmp_path / "topics.yaml"
    big.write_bytes(b"topics: [" + b"a, " * 200_000 + b"]\n")
    monkeypatch.setattr(yaml_safe, "MAX_BYTES", 1000)
    with pytest.raises(yaml_safe.YamlTooLarge, match="larger than"):
        yaml_safe.read_yaml_file(big)


def test_validate_cli_names_the_front_matter_bomb(tmp_path):
    path = lesson(tmp_path / "bomb", "# Bomb\n\nText.\n", "title: Bomb\n" + alias_bomb())
    result = edukit("validate", str(path))
    assert result.returncode == 1
    assert f"{path}:7: error: front matter refused: these values expand to more than 20,000" \
        in result.stdout
    assert "Traceback" not in result.stderr


# --- pictures ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(BOMBS))
def test_picture_bomb_is_refused_by_its_header(name):
    data = BOMBS[name]
    with pytest.raises(images.ImageProblem) as refused:
        check_stream(io.BytesIO(data), len(data))
    assert any(word in str(refused.value) for word in ("pixels", "shapes", "itself", "entities",
                                                       "levels deep"))


@pytest.mark.parametrize("name", list(ORDINARY))
def test_ordinary_picture_passes(name, tmp_path):
    path = tmp_path / "pic"
    path.write_bytes(ORDINARY[name])
    assert image_problem(path) is None


@pytest.mark.parametrize("name", ["PNG 60000x60000", "JPEG 65000x65000 after EXIF",
                                  "SVG <use> bomb", "WebP VP8X 100000x100000"])
def test_a_picture_bomb_asked_for_by_address_is_never_served(name, tmp_path):
    """A page may ask the app for a file by its address, not only through the lesson's
    Markdown: what the scheme handler and HTML export read is checked by its header too."""
    from edukit.core.serving import read_module_file

    lesson = tmp_path / "lesson"
    lesson.mkdir()
    suffix = {"P": ".png", "J": ".jpg", "S": ".svg", "W": ".webp"}[name[0]]
    (lesson / f"bomb{suffix}").write_bytes(BOMBS[name])
    (lesson / "fine.png").write_bytes(ORDINARY["PNG 400x300"])
    assert read_module_file(lesson, f"bomb{suffix}") is None
    assert read_module_file(lesson, "fine.png")[0] == ORDINARY["PNG 400x300"]  # control


class CountingReader(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


@pytest.mark.parametrize("data", [png(60_000, 60_000) + b"\0" * 9_000_000,
                                  jpeg(65_000, 65_000, 60_000) + b"\0" * 9_000_000,
                                  gif(60_000, 60_000, 1, 1) + b"\0" * 9_000_000],
                         ids=["PNG", "JPEG", "GIF"])
def test_only_the_header_is_read(data):
    reader = CountingReader(data)
    with pytest.raises(images.ImageProblem):
        check_stream(reader, len(data))
    assert reader.bytes_read < 5000  # the 4 KB sniff and a few header fields


def test_too_many_bytes_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "big.png"
    path.write_bytes(png(10, 10) + b"\0" * 2000)
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 1000)
    assert "MB" in image_problem(path)


def test_fifo_is_not_waited_for(tmp_path):
    fifo = tmp_path / "pic.png"
    import os
    os.mkfifo(fifo)
    assert image_problem(fifo) == "it is not a regular file"


@pytest.mark.parametrize("view", VIEWS)
def test_bomb_renders_as_a_labelled_placeholder_in_every_view(tmp_path, view):
    folder = tmp_path / "pics"
    folder.mkdir()
    (folder / "bomb.png").write_bytes(BOMBS["PNG 60000x60000"])
    (folder / "bomb.svg").write_bytes(BOMBS["SVG <use> bomb"])
    (folder / "ok.png").write_bytes(ORDINARY["PNG 400x300"])
    body = ("# Pictures\n\n![A bomb](bomb.png)\n\n<img alt=\"Raw\" src=\"bomb.svg\">\n\n"
            "![Fine](ok.png)\n\n::: handout\n![A bomb](bomb.png) ![Fine](ok.png)\n:::\n")
    module = load_module(lesson(folder, body), "extra")
    html = render(module, view, RenderContext()).html
    assert 'src="bomb.png"' not in html and 'src="bomb.svg"' not in html
    assert "[Image not shown: A bomb — the image declares 60,000 × 60,000 pixels" in html
    assert '<img alt="Fine" src="ok.png">' in html or '<img src="ok.png" alt="Fine">' in html


def test_slides_keep_placeholders_per_slide(tmp_path):
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "bomb.gif").write_bytes(BOMBS["GIF frame larger than its screen"])
    module = load_module(lesson(folder, "## One\n\n![Big](bomb.gif)\n\n## Two\n\nText\n"), "extra")
    one = next(s for s in render(module, "slides", RenderContext()).slides if s.title == "One")
    assert "GIF frame declares 60,000 × 60,000" in one.html
    assert "<img" not in one.html


def test_inline_data_url_bomb_is_a_placeholder():
    url = "data:image/png;base64," + base64.b64encode(BOMBS["PNG 60000x60000"]).decode()
    html = sanitize(f'<p><img alt="Inline" src="{url}"></p>')
    assert "<img" in html  # the sanitiser lets data: pictures through...
    placed = bound_images(html, None)
    assert "<img" not in placed and "Image not shown: Inline" in placed  # ...this does not
    fine = "data:image/png;base64," + base64.b64encode(ORDINARY["PNG 400x300"]).decode()
    assert data_url_problem(fine) is None
    assert "60,000" in data_url_problem("data:image/svg+xml," + BOMBS["SVG 60000x60000"].decode()
                                        .replace('"', "%22"))


def test_ordinary_html_is_returned_unchanged():
    html = '<p>No pictures</p>'
    assert bound_images(html, None) is html


def test_html_export_never_embeds_a_bomb(tmp_path):
    folder = tmp_path / "pics"
    folder.mkdir()
    (folder / "bomb.png").write_bytes(BOMBS["PNG 60000x60000"])
    (folder / "ok.png").write_bytes(ORDINARY["PNG 400x300"])
    html = inline_images('<img src="bomb.png"><img src="ok.png">', folder)
    assert html.count("data:image/png;base64,") == 1
    assert '<img src="">' in html


def test_export_and_validate_through_the_cli(tmp_path):
    folder = tmp_path / "pics"
    folder.mkdir()
    (folder / "bomb.jpg").write_bytes(BOMBS["JPEG 65000x65000 after EXIF"])
    path = lesson(folder, "# Pics\n\n" + "![Huge](bomb.jpg)\n\n" * 50)
    result = edukit("validate", str(path))
    assert "image 'bomb.jpg' is not shown: the image declares 65,000 × 65,000 pixels" in result.stdout
    assert "30 more lines like line 6: image 'bomb.jpg' is not shown" in result.stdout
    out = tmp_path / "out.html"
    result = edukit("export", "--as", "handout", "--format", "html", "-o", str(out), str(path))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "[Image not shown: Huge — the image declares 65,000 × 65,000 pixels" in page
    assert "data:image/jpeg" not in page


def test_validate_warns_about_a_picture_bomb(tmp_path):
    folder = tmp_path / "pics"
    folder.mkdir()
    (folder / "bomb.svg").write_bytes(BOMBS["SVG <use> bomb"])
    (folder / "ok.png").write_bytes(ORDINARY["PNG 400x300"])
    module = load_module(lesson(folder, "# P\n\n![b](bomb.svg)\n\n![o](ok.png)\n"), "extra")
    messages = [p.message for p in validate_module(module, reading_level=False)]
    assert messages == [("image 'bomb.svg' is not shown: the SVG draws more than 50,000 shapes "
                        "once its <use> elements are expanded")]


# --- Markdown floods -----------------------------------------------------------------------

def convert(text: str) -> str:
    return Converter(School(), lambda _audience: [], "pupils").convert(text)


def test_toc_with_thousands_of_headings_is_bounded():
    text = "[TOC]\n\n" + "## Same\n" * 3000
    html = convert(text)
    assert html.count("<h2") == HEADING_LIMIT
    assert html.count("## Same") == 3000 - HEADING_LIMIT  # the rest shown as text
    assert html.count("<li>") == HEADING_LIMIT  # the table of contents lists only those


def test_toc_markers_beyond_the_limit_are_text():
    html = convert("# A\n\n## B\n\n" + "[TOC]\n\n" * 50)
    assert html.count('class="toc"') == TOC_LIMIT
    assert html.count("&#91;TOC&#93;") == 50 - TOC_LIMIT


@pytest.mark.parametrize("unit, tag", [("para\n===\n", "<h1"), ("para\n---\n", "<h2"),
                                       ("para\n***\n", "<hr"), ("para\n- - -\n", "<hr")],
                         ids=["setext ===", "setext ---", "rule ***", "rule - - -"])
def test_setext_and_rule_floods_are_split_into_small_blocks(unit, tag):
    text = unit * 3000
    split = neutralise(text)
    assert "\n\n" in split  # each underline or rule now ends its own block
    html = convert(text)
    expected = 3000 if tag == "<hr" else HEADING_LIMIT
    assert html.count(tag) == expected


def test_a_few_setext_headings_are_left_alone():
    text = "Title\n=====\n\nSub\n---\n\ntext\n\n***\n"
    assert neutralise(text) is text


def test_bundled_lessons_are_not_neutralised():
    """Positive control: every bundled lesson's text comes back as the same object."""
    library = Library.default()
    for module in library.modules:
        if module.origin == "bundled":
            assert neutralise(module.body) is module.body, module.id


def test_entity_runs_are_split_for_the_sanitiser_without_changing_the_page():
    html = "<p>" + "fish &amp; chips &lt;3 " * 3000 + "</p><pre><code>" + "&amp;" * 2000 + "</code></pre>"
    split = split_entity_runs(html)
    assert split.count("<!---->") >= 3000 * 2 // 500
    assert sanitize(split) == sanitize(html)
    ordinary = "<p>fish &amp; chips</p>"
    assert split_entity_runs(ordinary) is ordinary


# --- search and validation -----------------------------------------------------------------

@pytest.mark.parametrize("query", ["word " * 200_000, "x" * 1_000_000, "a b c d e f g h i j k l m n",
                                   "\u0301" * 100_000 + "e"], ids=["many words", "one long word",
                                                                  "14 words", "combining marks"])
def test_search_query_is_bounded(query):
    expression = match_expression(query)
    assert expression.count('"') <= 2 * MAX_QUERY_WORDS
    assert len(expression) <= 2 * 200 + 8 * MAX_QUERY_WORDS


def test_short_query_keeps_prefix_matching():
    assert match_expression("online groo") == '"online" AND "groo"*'


def test_a_message_repeated_on_thousands_of_lines_is_summed_up(tmp_path):
    module = load_module(lesson(tmp_path / "m", "# M\n\n" + "[x](missing.md)\n" * 5000), "extra")
    problems = [p for p in validate_module(module, reading_level=False)
                if "too long to lay out" not in p.message]  # 5,000 lines: tested below
    assert len(problems) == MAX_REPEATS + 1
    assert problems[-1].message == (f"{5000 - MAX_REPEATS:,} more lines like line 6: linked file "
                                    "not found: 'missing.md'")


def test_many_different_targets_are_not_all_looked_up(tmp_path):
    body = "# M\n\n" + "".join(f"![p](pic{i}.png)\n" for i in range(2000))
    module = load_module(lesson(tmp_path / "m", body), "extra")
    messages = [p.message for p in validate_module(module, reading_level=False)]
    assert "more than 300 different links and images: the rest are not checked" in messages


def test_slides_of_a_huge_lesson_are_not_laid_out(tmp_path):
    big = load_module(lesson(tmp_path / "big", "# B\n\n" + "word " * 60_000), "extra")
    assert "slides not measured for fit: the lesson is" in slide_measure_problem(big).message
    many = load_module(lesson(tmp_path / "many", "---\n\nx\n\n" * 400), "extra")
    assert "400 slides" in slide_measure_problem(many).message
    long = load_module(lesson(tmp_path / "long", "# L\n\n" + "x\n" * 3000), "extra")
    assert "3,003 lines" in slide_measure_problem(long).message
    small = load_module(lesson(tmp_path / "small", "# S\n\ntext\n"), "extra")
    assert slide_measure_problem(small) is None
    assert not [m.id for m in Library.default().modules if slide_measure_problem(m)]


def test_reading_grade_measures_a_bounded_sample(tmp_path, monkeypatch):
    textstat = pytest.importorskip("textstat")
    from edukit.core import readability

    measured: list[int] = []
    monkeypatch.setattr(textstat, "flesch_kincaid_grade", lambda text: measured.append(len(text)) or 1)
    front = "title: T\naudience: pupils\nages: 8-11\n"
    module = load_module(lesson(tmp_path / "m", "# T\n\n" + "A short line of words.\n" * 9000,
                                front), "extra")
    readability.reading_grade(module)
    assert measured and measured[0] <= readability.MAX_MEASURED


def test_positive_control_without_the_check_the_bomb_would_reach_the_page(tmp_path, monkeypatch):
    from edukit.core import render as render_module

    folder = tmp_path / "pics"
    folder.mkdir()
    (folder / "bomb.png").write_bytes(BOMBS["PNG 60000x60000"])
    module = load_module(lesson(folder, "# P\n\n![A bomb](bomb.png)\n"), "extra")
    monkeypatch.setattr(render_module, "images_checked", lambda rendered, _module: rendered)
    assert 'src="bomb.png"' in render(module, "lesson", RenderContext()).html


def test_search_indexes_a_bounded_number_of_words_per_section(tmp_path):
    """snippet() is quadratic in the matches in one cell: a 1 MB section of one word froze it."""
    from edukit.core.search import MEMORY, SearchIndex
    from edukit.core.search.lesson_text import MAX_INDEXED_WORDS, indexed, module_sections

    path = lesson(tmp_path / "c" / "words", "# Words\n\n" + "word " * 200_000)
    library = Library.default(extra=[tmp_path / "c"])
    index = SearchIndex(MEMORY)
    index.refresh(library.modules)
    stored = index.connection().execute(
        "SELECT body FROM sections WHERE module_id = 'words'").fetchall()
    assert max(len(body.split()) for body, in stored) <= MAX_INDEXED_WORDS + 5
    hits = index.search("word")
    assert "words" in [h.module_id for h in hits] and path.exists()
    for module in library.modules:  # positive control: no bundled section is cut
        if module.origin == "bundled":
            for section in module_sections(module):
                assert indexed(section.text) == section.text
                assert indexed(section.guide) == section.guide


# --- what Chromium lays out (markdown/budget.py) --------------------------------------------

MB_BODY = 1024 * 1024 - 2000
OVER_BUDGET = {
    "one long paragraph": ("word " * 20 + "\n") * 9_000,
    "many boxes": "::: activity\nx\n:::\n\n" * 2_000,
    "many pictures": "![p](p.png)\n\n" * 4_000,
    "tall table": "|a|b|\n|---|---|\n" + "|x|y|\n" * 9_000,
    "wide table": "|a|b|\n|---|---|\n|" + "x|" * 200_000 + "\n",
    "huge table cell": "|a|b|\n|---|---|\n|" + "word " * 200_000 + "|y|\n",
    "one unbroken line": "x" * MB_BODY,
    "many slides": "---\n" * 9_000,
    "deep lists, repeated": "".join("  " * i + "- x\n" for i in range(16)) * 600,
    "code never closed": "```\n" + "code line\n" * 9_000,
}
CUT = "edukit stopped showing this lesson here"


@pytest.mark.parametrize("body", OVER_BUDGET.values(), ids=OVER_BUDGET.keys())
def test_a_lesson_too_big_to_lay_out_is_cut_with_a_note_and_a_warning(tmp_path, body):
    module = load_module(lesson(tmp_path / "m", "# Big\n\n" + body), "extra")
    for view in VIEWS:
        html = render(module, view, RenderContext()).html
        assert CUT in html  # the reader sees where the lesson stops
        assert len(html) < 400_000  # a bounded page, whatever the lesson held
    warned = [p for p in validate_module(module, reading_level=False)
              if "too long to lay out" in p.message]
    assert len(warned) == 1 and warned[0].line > 3 and warned[0].path.endswith("module.md")


def test_the_largest_bundled_lessons_are_not_cut_positive_control():
    library = Library.default()
    for module in library.modules:
        lines = module.body.split("\n")
        assert cut_index(lines) is None, module.id
        assert CUT not in render(module, "guide", RenderContext()).html


def test_a_cut_inside_code_closes_the_code_so_the_note_shows():
    lines = within_budget(["```", *["code line"] * 9_000])
    assert lines[-4] == "```" and lines[-2].startswith("**edukit stopped")


def test_a_long_paragraph_is_laid_out_as_several():
    module_text = ("word " * 20 + "\n") * 1_000  # 100 KB in one paragraph: 10 s to print
    lines = within_budget(module_text.split("\n"))
    assert lines.count("") > 10  # ~40 lines each (and the budget's cut after 75 KB)
    assert lines[:5] == module_text.split("\n")[:5]
    short = ["# A", "", "text"]
    assert within_budget(short) is short  # ordinary text untouched
