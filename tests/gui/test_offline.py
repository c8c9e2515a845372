"""Offline by construction: edukit's pages make no request to the network, whatever the content.

A loopback HTTP server counts requests. The positive control shows an ordinary, unlocked page
does reach it, so a silent server cannot pass the test by accident.
"""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import shiboken6
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.session import Session
from edukit.gui.webview import module_url


@pytest.fixture
def server():
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css" if self.path.endswith(".css") else "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()


def hostile_module(base: str) -> str:
    return f"""---
title: Reaches out
---
# Reaches out

![markdown image]({base}/md-image.png)

<img src="{base}/html-image.png" alt="raw">

<link rel="stylesheet" href="{base}/linked.css">

<style>@import url("{base}/imported.css"); body {{ background: url("{base}/bg.png"); }}
@font-face {{ font-family: x; src: url("{base}/font.woff"); }}</style>

<iframe src="{base}/frame.html"></iframe>

<object data="{base}/object.bin"></object>

<video poster="{base}/poster.png" src="{base}/video.mp4"></video>

<div style="background-image: url('{base}/inline-style.png')">styled</div>

[a web link]({base}/link.html)
"""


def test_unlocked_page_reaches_the_loopback_server_positive_control(qtbot, server):
    base, hits = server
    profile = QWebEngineProfile()
    page = QWebEnginePage(profile)
    with qtbot.waitSignal(page.loadFinished, timeout=20000):
        page.setHtml(f'<img src="{base}/control.png">', QUrl(base + "/"))
    qtbot.waitUntil(lambda: "/control.png" in hits, timeout=5000)
    shiboken6.delete(page)
    shiboken6.delete(profile)


def test_edukit_pages_make_no_request_to_the_network(qtbot, server, tmp_path, locked_page):
    base, hits = server
    (tmp_path / "reaches-out.md").write_text(hostile_module(base))
    session = Session(Library.default(extra=[tmp_path]), School())
    page, profile = locked_page(session)
    for view in ("lesson", "guide", "handout", "slides"):
        session.open("reaches-out")
        with qtbot.waitSignal(page.loadFinished, timeout=20000):
            page.load(module_url("reaches-out", view))
    qtbot.wait(1500)  # time for any late subresource request to arrive
    assert hits == []
    assert all(url.startswith("edukit://") for url in profile.edukit_handler.served)


def test_interceptor_blocks_a_direct_load_of_a_web_address(qtbot, server, locked_page):
    base, hits = server
    session = Session(Library.default(), School())
    page, profile = locked_page(session)
    with qtbot.waitSignal(page.loadFinished, timeout=20000):
        page.setHtml(f'<img src="{base}/direct.png">', QUrl("edukit://app/module/x/lesson.html"))
    qtbot.wait(1000)
    assert hits == []
    assert any(url.startswith(base) for url in profile.edukit_interceptor.blocked)
