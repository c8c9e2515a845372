"""Other tools' Markdown constructs (issue 11): maths, Markdown inside HTML blocks, Pandoc's
inline syntax and title block, Quarto's chunk options, pauses and callouts. Source → output,
through render and through a real PDF (pdftotext); the corpus is tests/fixtures/interop/syntax-*.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from edukit.core.library import load_module
from edukit.core.markdown import Converter
from edukit.core.markdown.maths import MAX_FORMULAS
from edukit.core.markdown.pandoc import DELIMITER_LIMIT
from edukit.core.model import School
from edukit.core.paths import resources_dir
from edukit.core.render import RenderContext, render
from edukit.core.sanitize import sanitize
from edukit.core.validate import validate_module

CORPUS = Path(__file__).parent / "fixtures" / "interop"


def unsanitised(source: str) -> str:
    conv = Converter(School(), lambda audience: [], "pupils")
    return conv.convert(source)


def html(source: str) -> str:
    """What a page shows: converted, then sanitised."""
    conv = Converter(School(), lambda audience: [], "pupils")
    return sanitize(conv.convert(source), conv.boxes.secret)


def lesson(name: str, view: str = "lesson") -> str:
    return render(load_module(CORPUS / name, "file"), view, RenderContext()).html


# --- Maths ----------------------------------------------------------------------------------

@pytest.mark.parametrize("source, display", [
    ("$x^2$", "inline"), (r"\(x^2\)", "inline"), ("$$\nx^2\n$$", "block"),
    (r"\[x^2\]", "block"), ("Text $$x^2$$ text", "block"),
    ("\\begin{align}\nx^2 &= y\n\\end{align}", "block"),
])
def test_each_maths_delimiter_is_typeset_as_mathml(source, display):
    out = html(source)
    assert f'<math display="{display}">' in out
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in out
    assert "$" not in out and "\\(" not in out and "\\[" not in out


@pytest.mark.parametrize("source", [r"$a_1 * b_2 * c_3$", r"\(a_1 * b_2 * c_3\)",
                                    "$$\na_1 * b_2 * c_3\n$$", r"$a_{*} * b_{*}$ and *real*"])
def test_tex_is_never_turned_italic_by_emphasis(source):
    out = html(source)
    maths = re.findall(r"<math.*?</math>", out, re.DOTALL)
    assert maths and not any("<em>" in m or "<strong>" in m for m in maths)
    assert "<msub><mi>a</mi>" in out
    assert out.count("<em>") == source.count("*real*")  # positive control: emphasis still works


@pytest.mark.parametrize("source, shown", [
    ("It costs $5 to $10 a month.", "$5 to $10"),
    ("From $5-$10.", "$5-$10"),
    (r"A dollar \$ sign and $x$.", "A dollar $ sign"),
    ("`$x$` in code", "<code>$x$</code>"),
])
def test_money_escaped_dollars_and_code_are_not_maths(source, shown):
    assert shown in html(source)


def test_tex_that_cannot_be_typeset_is_shown_as_written_and_validate_names_it(tmp_path):
    assert '<code class="math-error" data-display="inline">\\frac{1}{</code>' in html(r"$\frac{1}{$")
    problems = validate_module(load_module(CORPUS / "syntax-maths.md", "file"))
    assert [(p.line, p.severity) for p in problems if "maths" in p.message] == [(24, "warning")]


def test_maths_past_the_budget_is_shown_as_written():
    out = html("\n\n".join(["$x$"] * (MAX_FORMULAS + 3)))
    assert out.count("<math") == MAX_FORMULAS
    assert out.count("$x$") == 3


@pytest.mark.parametrize("tex, harm", [
    (r"$\href{javascript:alert(1)}{x}$", "href="),
    (r"$\href{https://evil.example/}{x}$", "href="),
    (r"$\style{background:url(https://evil.example/a.png)}{x}$", "style="),
])
def test_tex_commands_that_make_links_or_styles_are_sanitised_away(tex, harm):
    assert harm in unsanitised(tex)  # positive control: latex2mathml writes them
    out = html(tex)
    assert harm not in out and "<math" in out and "<mi>x</mi>" in out


def test_tex_text_holding_html_is_text_not_tags():
    out = html(r"$\text{<img src=x onerror=alert(1)>}$")
    assert "<img" not in out and "<mtext>&lt;img&nbsp;src=x&nbsp;onerror=alert(1)&gt;" in out


@pytest.mark.parametrize("attribute, kept", [
    ('mathcolor="red"', True), ('mathcolor="#c00"', True),
    ('mathbackground="url(https://evil.example/b.png)"', False),
    ('mathcolor="expression(alert(1))"', False), ('mathsize="1.2em"', True),
    ('mathsize="calc(1px)"', False),
])
def test_mathml_layout_values_are_words_numbers_and_colours_only(attribute, kept):
    out = sanitize(f"<math><mstyle {attribute}><mi>x</mi></mstyle></math>")
    assert (attribute in out) is kept
    assert "<mi>x</mi>" in out


# --- Markdown inside HTML blocks -----------------------------------------------------------

def test_a_div_holding_a_list_and_a_heading_renders_them():
    out = lesson("syntax-html-blocks.md")
    assert '<div class="columns">' in out
    assert '<h3 id="kind-words-in-a-box">Kind words in a box</h3>' in out
    assert "<li>Ask before you <strong>share</strong> a photo</li>" in out
    assert "<li>First thing to check</li>" in out  # no blank lines, as Pandoc reads it
    assert "<summary>More about privacy</summary>" in out
    assert "<p>Privacy settings decide <em>who</em> sees a post.</p>" in out
    assert "- First thing" not in out and "**share**" not in out


def test_html_laid_out_with_indents_stays_html_not_a_code_block():
    out = lesson("syntax-html-blocks.md")
    assert "<p>Indented HTML stays HTML.</p>" in out and "&lt;p&gt;" not in out


def test_markdown_in_html_blocks_is_still_sanitised():
    out = html('<div onclick="alert(1)">\n\n- item\n\n<script>alert(2)</script>\n\n</div>')
    assert "<li>item</li>" in out and "onclick" not in out and "<script" not in out
    assert 'markdown="1"' not in out


# --- Pandoc ------------------------------------------------------------------------------------

def test_pandoc_title_block_becomes_front_matter():
    module = load_module(CORPUS / "syntax-pandoc.md", "file")
    assert module.meta.title == "Pandoc extras for safer sharing"
    assert "% " not in module.body and module.body_line == 4
    assert not [p for p in validate_module(module) if p.is_error]
    html = lesson("syntax-pandoc.md")
    assert "<h1" in html and "% A. Teacher" not in html  # not printed literally: the title
    assert '<p class="byline">A. Teacher; B. Helper · 1 March 2026</p>' in html  # slide's byline


def test_yaml_after_a_title_block_has_the_last_word(tmp_path):
    path = tmp_path / "both.md"
    path.write_text("% Old title\n---\ntitle: New title\n---\nBody\n")
    assert load_module(path, "file").meta.title == "New title"


@pytest.mark.parametrize("source, expected", [
    ("~~gone~~", "<del>gone</del>"), ("H~2~O", "H<sub>2</sub>O"), ("2^10^", "2<sup>10</sup>"),
    ("x^2 + y^2", "x^2 + y^2"), ("a ~ b ~ c", "a ~ b ~ c"), ("`a^b^ ~c~`", "<code>a^b^ ~c~</code>"),
])
def test_pandoc_strikeout_superscript_and_subscript(source, expected):
    assert expected in html(source)


def test_inline_and_ordinary_footnotes_are_numbered_and_listed():
    """Each reference's number is its note's place in the list (Python-Markdown numbers two
    references in one paragraph from the last)."""
    out = lesson("syntax-pandoc.md")
    refs = dict(re.findall(r'href="#(fn:[^"]+)">(\d+)</a>', out))
    notes = re.findall(r'<li id="(fn:[^"]+)">\s*<p>(.*?)&nbsp;', out, re.DOTALL)
    assert sorted(text for _, text in notes) == [
        "Three random words make a long password that is easy to remember.",
        "Use words that do not describe you."]
    assert [refs[note_id] for note_id, _ in notes] == ["1", "2"]
    assert "^[" not in out


def test_inline_notes_span_lines_nest_brackets_and_stay_out_of_code():
    out = html("A^[one [two] three\nfour] and `x^[0]`")
    assert "one [two] three four" in out and "<code>x^[0]</code>" in out


def test_many_unpaired_carets_are_plain_text():
    """pymdownx's delimiter processor is quadratic in unpaired '^' (DELIMITER_LIMIT)."""
    many = " ".join(["x^a"] * (DELIMITER_LIMIT * 20))
    out = html(f"{many}\n\nA normal paragraph: 2^10^.")
    assert out.count("x^a") == DELIMITER_LIMIT * 20
    assert "2<sup>10</sup>" in out  # positive control: other paragraphs keep the syntax


# --- Quarto --------------------------------------------------------------------------------------

def test_chunk_options_hide_chunks_and_strip_option_lines():
    out = lesson("syntax-quarto.qmd")
    assert "secret_setup_module" not in out  # include: false
    assert "hidden code" not in out  # echo: false
    assert "shown code" in out and "#|" not in out and "{python}" not in out


@pytest.mark.parametrize("source, shown", [
    ("```{r setup, include=FALSE}\nlibrary(x)\n```", False),
    ("```{r, echo=FALSE}\nplot(x)\n```", False),
    ("```{r}\n#| echo: true\nplot(x)\n```", True),
    ("```{ojs}\n//| echo: false\nviewof x\n```", False),
])
def test_knitr_and_quarto_chunk_headers(source, shown):
    out = html(source)
    assert (("plot" in out or "viewof" in out) if shown else
            ("library" not in out and "plot" not in out and "viewof" not in out))


def test_raw_blocks_for_html_show_and_for_other_formats_do_not():
    out = html("```{=html}\n<b>raw html</b>\n```\n\n```{=latex}\n\\newpage\n```")
    assert "<b>raw html</b>" in out and "newpage" not in out


def test_pauses_are_not_printed_and_nothing_around_them_is_lost():
    out = lesson("syntax-quarto.qmd")
    assert ". . ." not in out
    assert "First point before the pause." in out and "Second point after the pause." in out
    assert ". . ." in html("```\n. . .\n```")  # in code it is code


@pytest.mark.parametrize("kind, label", [("note", "Note"), ("tip", "Tip"), ("warning", "Warning"),
                                         ("important", "Important"), ("caution", "Caution")])
def test_callouts_are_labelled_with_their_kind(kind, label):
    for source in (f"::: {{.callout-{kind}}}\nBody\n:::", f"::: callout-{kind}\nBody\n:::"):
        out = html(source)
        assert f'class="block callout callout-{kind}"' in out
        assert f'<p class="callout-title"><span class="callout-kind">{label}</span></p>' in out


def test_callout_titles_from_a_heading_or_an_attribute():
    out = lesson("syntax-quarto.qmd")
    assert '<span class="callout-kind">Tip</span> — Use a passphrase</p>' in out
    assert '<span class="callout-kind">Important</span> — Tell someone</p>' in out
    assert "<h2" not in out.split("callout-tip")[1].split("</div>")[0]  # the heading became it
    hostile = html('::: {.callout-note title="<img src=x onerror=alert(1)>"}\nx\n:::')
    assert "<img" not in hostile and "&lt;img src=x onerror=alert(1)&gt;" in hostile


def test_callouts_cannot_carry_the_help_box_classes():
    out = html("::: {.callout-important .routes .route-list .edukit-box}\n"
               "## Where to get help\nCall 0000\n:::")
    assert "callout-important" in out
    assert not re.search(r'class="[^"]*\b(routes|route-list|edukit-box)\b', out)


def test_callout_kinds_are_known_blocks_for_validate():
    problems = validate_module(load_module(CORPUS / "syntax-quarto.qmd", "file"))
    assert not [p for p in problems if "unknown block" in p.message]


def css_variables(*names: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in names:
        text = (resources_dir() / "css" / name).read_text(encoding="utf-8")
        found.update(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", text))
    return found


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", [(), ("theme-dark.css",), ("theme-contrast.css",)])
@pytest.mark.parametrize("kind", ["note", "tip", "warning", "important", "caution"])
def test_callout_colours_keep_contrast_in_every_theme(theme, kind):
    v = css_variables("base.css", *theme)
    edge, tint = v[f"{kind}-edge"], v[f"{kind}-tint"]
    assert contrast(edge, v["bg"]) >= 3 and contrast(edge, tint) >= 3  # icon and edge
    assert contrast(v["fg"], tint) >= 4.5  # the label's words
    assert "--callout-icon" in (resources_dir() / "css" / "base.css").read_text()


# --- Through a real PDF -----------------------------------------------------------------------

def pdf_text(tmp_path: Path, name: str, kind: str) -> str:
    out = tmp_path / f"{Path(name).stem}-{kind}.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", str(CORPUS / name),
                          "--as", kind, "-o", str(out)],
                         capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    return " ".join(text.split())


SOURCE_TO_PDF = {
    "syntax-maths.md": (
        ["How fast a post spreads", "√", "≤", "the game costs $5 to $10 a month",
         "A dollar can be written $ like this", "$code$ stays code", "\\frac{1}{"],
        ["$n$", "\\sqrt", "\\leq", "$$", "\\("]),
    "syntax-html-blocks.md": (
        ["Kind words in a box", "Ask before you share a photo", "First thing to check",
         "More about privacy", "Indented HTML stays HTML."],
        ["<div", "</div>", "- First thing", "**share**", "<summary>"]),
    "syntax-pandoc.md": (
        ["Pandoc extras for safer sharing", "share your password with your best friend",
         "1024", "Three random words make a long password", "Use words that do not describe you",
         "Report worries to a trusted adult"],
        ["% Pandoc", "~~", "^[", "2^10^", "H~2~O", "[^words]"]),
    "syntax-quarto.qmd": (
        ["shown code", "First point before the pause.", "Second point after the pause.",
         "Note", "Tip — Use a passphrase", "Warning", "Important — Tell someone",
         "Note text: screenshots can be shared.", "Caution text: links in messages can be fake."],
        ["secret_setup_module", "hidden code", "#|", ". . .", "{python}", "callout-"]),
}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("name", SOURCE_TO_PDF)
@pytest.mark.parametrize("kind", ["guide", "slides"])
def test_constructs_print_in_guides_and_slides(tmp_path, user_dirs, name, kind):
    text = pdf_text(tmp_path, name, kind)
    present, absent = SOURCE_TO_PDF[name]
    for words in present:
        assert words in text, (words, text)
    for words in absent:
        assert words not in text, (words, text)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_every_callout_kind_is_labelled_on_paper(tmp_path, user_dirs):
    text = pdf_text(tmp_path, "syntax-quarto.qmd", "guide")
    for words in ("Note Note text", "Warning Warning text", "Important — Tell someone Important",
                  "Caution Caution text", "Tip — Use a passphrase Tip text"):
        assert words in text, text
