"""Hostile lesson HTML in the real locked view: nothing executes, navigates or loads.

The positive control loads the same raw HTML in an ordinary page with JavaScript on, where the
script does run, so a page that merely failed to load cannot pass.
"""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.session import Session
from edukit.gui.webview import module_url

HOSTILE = """
<script>document.title = 'pwned-script';</script>
<img src="x.png" onerror="document.title = 'pwned-onerror'">
<svg onload="document.title = 'pwned-svg'"><script>document.title = 'pwned-svg-script'</script></svg>
<iframe srcdoc="<script>parent.document.title='pwned-iframe'</script>"></iframe>
<meta http-equiv="refresh" content="0;url=edukit://app/module/hostile/guide.html">
<base href="edukit://app/module/other/">
<object data="x.swf"></object><embed src="x.swf">
<form action="edukit://app/module/hostile/lesson.html"><input name="pw"></form>
<a id="js-link" href="javascript:document.title='pwned-link'">link</a>
<p id="marker">still here</p>
"""
DANGEROUS = "script, iframe, object, embed, form, meta, base, svg, input, [onerror], [onload]"


def test_raw_hostile_html_does_run_in_an_unlocked_page_positive_control(qtbot, js):
    profile = QWebEngineProfile()
    page = QWebEnginePage(profile)
    with qtbot.waitSignal(page.loadFinished, timeout=20000):
        page.setHtml(HOSTILE.replace("<meta http-equiv", "<x-meta"), QUrl("about:blank"))
    qtbot.waitUntil(lambda: page.title().startswith("pwned"), timeout=5000)
    shiboken6.delete(page)
    shiboken6.delete(profile)


def test_hostile_lesson_runs_nothing_and_stays_on_its_page(qtbot, js, tmp_path, locked_page):
    (tmp_path / "hostile.md").write_text(f"---\ntitle: Hostile\n---\n# Hostile\n\n{HOSTILE}\n")
    session = Session(Library.default(extra=[tmp_path]), School())
    session.open("hostile")
    page, profile = locked_page(session)
    for view in ("lesson", "guide", "slides"):
        with qtbot.waitSignal(page.loadFinished, timeout=20000):
            page.load(module_url("hostile", view))
        qtbot.wait(700)  # time for a refresh, an onerror or a late script to act
        assert page.url() == module_url("hostile", view)  # no meta refresh, no base redirect
        assert not page.title().startswith("pwned")
        assert js(page, f"document.body.querySelectorAll('{DANGEROUS}').length") == 0
        assert js(page, "document.getElementById('marker').textContent") == "still here"
        assert js(page, "document.getElementById('js-link').hasAttribute('href')") is False
    assert all(url.startswith("edukit://app/") for url in profile.edukit_handler.served)
    assert not any(url.startswith(("http", "javascript", "file"))
                   for url in profile.edukit_interceptor.blocked)
