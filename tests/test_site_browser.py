"""The published site in a real browser: Debian's chromium driven by its chromedriver (Selenium,
no browser or driver downloads), from file:// and over `python -m http.server` on 127.0.0.1.

Proves what a teacher relies on: the index filters and searches, lessons open, the slides
answer the app's keys, a handout printed by the browser matches edukit's own PDF, and no
request leaves the machine (a loopback canary hears nothing from a hostile lesson, and does hear
an ordinary page, the positive control).
"""
from __future__ import annotations

import base64
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
from test_site import hostile_lesson

from edukit.core.library import Library, Root
from edukit.core.model import School
from edukit.core.paths import content_dir
from edukit.core.site import SiteOptions, publish_site
from edukit.core.site.lesson import SITE_CSP

REPO = Path(__file__).parent.parent
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
CHROME_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,800")
VISIBLE_SLIDES = ("return Array.from(document.querySelectorAll('section.slide'))"
                  ".filter(s => getComputedStyle(s).display !== 'none').map(s => s.id)")


@pytest.fixture(scope="module")
def canary():
    """A loopback HTTP server that records every request it gets."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()
    thread.join(5)


def breakout_lesson(folder: Path, base: str) -> None:
    """A lesson whose title tries to leave the print page's <style> and run inline script."""
    module = folder / "modules" / "breakout"
    module.mkdir(parents=True)
    script = "document.documentElement.dataset.pwned = 'yes'"
    (module / "module.md").write_text(f"""---
title: "</style><script>{script}</script><img src={base}/title.png>"
audience: pupils
---
# Breakout

Text. <svg><script>{script}</script></svg>
""")


@pytest.fixture(scope="module")
def www(tmp_path_factory, canary) -> Path:
    """A folder holding the site (bundled lessons + hostile ones that name the canary) and an
    ordinary control page that names it too."""
    base, _ = canary
    root = tmp_path_factory.mktemp("www")
    extra = hostile_lesson(root / "content", base)
    breakout_lesson(extra, base)
    library = Library([Root(content_dir(), "bundled"), Root(extra, "extra")])
    library.refresh()
    publish_site(library, library.modules, root / "site", SiteOptions(), School())
    control = root / "control"
    control.mkdir()
    (control / "control.html").write_text(f'<!DOCTYPE html><img src="{base}/control.png">')
    (control / "csp-on.html").write_text(
        f'<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="{SITE_CSP}">'
        "<script>document.title = 'ran'</script>")
    (control / "csp-off.html").write_text("<!DOCTYPE html><script>document.title = 'ran'</script>")
    shutil.rmtree(root / "content")  # the site must not need the lesson sources
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def http_root(www):
    """`python -m http.server` on 127.0.0.1 serving the folder; stopped at the end."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(www)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


@pytest.fixture(params=["file", "http"])
def root(request, www) -> str:
    """The site's address: from the disk, then from a web server."""
    if request.param == "file":
        return www.as_uri()
    return request.getfixturevalue("http_root")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through its chromedriver, both named by path: Selenium Manager is
    never asked for a browser or a driver (and is told to stay offline)."""
    os.environ["SE_OFFLINE"] = "true"
    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), \
        "install Debian's chromium and chromium-driver (see .ci/run)"
    profile = tempfile.mkdtemp(prefix="edukit-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver, condition, timeout: float = 10):
    return WebDriverWait(driver, timeout).until(lambda d: condition(d))


def visible_cards(driver) -> list[str]:
    cards = driver.find_elements(By.CSS_SELECTOR, ".lesson-card")
    return [c.get_attribute("data-id") for c in cards if c.is_displayed()]


def site_errors(driver) -> list[str]:
    """Console messages about blocked or failed loads (our own files must all load)."""
    return [e["message"] for e in driver.get_log("browser")
            if "Content Security Policy" in e["message"] or "ERR_" in e["message"]]


def test_index_filters_and_searches_then_opens_a_lesson(browser, root, www):
    browser.get(f"{root}/site/index.html")
    count = browser.find_element(By.ID, "result-count")
    total = len(visible_cards(browser))
    published = len(list((www / "site" / "lessons").iterdir()))  # bundled and hostile lessons
    assert total == published and count.text == f"{published} lessons"
    Select(browser.find_element(By.ID, "filter-audience")).select_by_value("parents")
    parents = visible_cards(browser)
    assert parents and len(parents) < total
    assert all(p.startswith(("parents-", "letter-")) for p in parents)  # lessons, letters home
    assert count.text == f"{len(parents)} lessons"
    Select(browser.find_element(By.ID, "filter-audience")).select_by_value("")
    Select(browser.find_element(By.ID, "filter-ages")).select_by_value("14-16")
    Select(browser.find_element(By.ID, "filter-topic")).select_by_value("sextortion")
    assert "sextortion" in visible_cards(browser) and len(visible_cards(browser)) < total
    Select(browser.find_element(By.ID, "filter-ages")).select_by_value("")
    Select(browser.find_element(By.ID, "filter-topic")).select_by_value("")
    search = browser.find_element(By.ID, "search")
    search.send_keys("sextortion")
    assert set(visible_cards(browser)[:2]) == {"sextortion", "sextortion-ks3"}  # 14-16, 11-14
    first = browser.find_element(By.CSS_SELECTOR, '.lesson-card[data-id="sextortion"] .match')
    assert "sextortion" in first.text.lower()
    search.clear()
    search.send_keys("report remove")  # every word must be found, in any order
    assert visible_cards(browser) and len(visible_cards(browser)) < total
    search.send_keys(" zzqqxx")
    assert visible_cards(browser) == [] and count.text == "0 lessons"
    search.clear()
    search.send_keys("sextortion")
    browser.find_element(By.CSS_SELECTOR, '.lesson-card[data-id="sextortion"] h2 a').click()
    wait_for(browser, lambda d: d.current_url.endswith("/lessons/sextortion/lesson.html"))
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Sextortion")
    assert browser.find_elements(By.CSS_SELECTOR, ".site-bar a[href='slides.html']")
    assert site_errors(browser) == []


def key(browser, *keys: str) -> None:
    body = browser.find_element(By.TAG_NAME, "body")
    for k in keys:
        body.send_keys(k)


def test_slides_answer_the_apps_keys(browser, root):
    browser.get(f"{root}/site/lessons/sextortion/slides.html")
    total = len(browser.find_elements(By.CSS_SELECTOR, "section.slide"))
    assert total > 5 and browser.execute_script(VISIBLE_SLIDES) == ["slide-1"]
    steps = [((Keys.ARROW_RIGHT,), 2), ((Keys.SPACE,), 3), ((Keys.PAGE_DOWN,), 4),
             ((Keys.ARROW_DOWN,), 5), (("n",), 6), ((Keys.PAGE_UP,), 5), ((Keys.ARROW_LEFT,), 4),
             ((Keys.ARROW_UP,), 3), (("p",), 2), ((Keys.END,), total), ((Keys.HOME,), 1),
             (("3", Keys.ENTER), 3), (("1", "0", Keys.ENTER), 10), ((Keys.ARROW_LEFT,), 9)]
    for keys, number in steps:
        key(browser, *keys)
        assert browser.execute_script(VISIBLE_SLIDES) == [f"slide-{number}"], keys
        assert browser.current_url.endswith(f"#slide-{number}")
    assert f"Slide 9 of {total}" in browser.find_element(By.ID, "slide-counter").text
    blank = "var b = document.querySelector('.blank-screen'); " \
            "return b.hidden ? '' : getComputedStyle(b).backgroundColor"
    key(browser, "b")
    assert browser.execute_script(blank) == "rgb(0, 0, 0)"
    key(browser, Keys.ARROW_RIGHT)  # moving on while blanked keeps the screen blank, as the app
    assert browser.execute_script(blank) == "rgb(0, 0, 0)"
    key(browser, "w")
    assert browser.execute_script(blank) == "rgb(255, 255, 255)"
    key(browser, ",")
    assert browser.execute_script(blank) == ""
    key(browser, ".")
    assert browser.execute_script(blank) == "rgb(0, 0, 0)"
    key(browser, "B")
    assert browser.execute_script(blank) == ""
    browser.find_element(By.CSS_SELECTOR, "[data-fullscreen]").click()
    wait_for(browser, lambda d: d.execute_script("return !!document.fullscreenElement"))
    assert not browser.find_element(By.CSS_SELECTOR, ".site-bar").is_displayed()
    key(browser, Keys.ARROW_RIGHT)
    assert browser.execute_script(VISIBLE_SLIDES) == ["slide-11"]
    browser.execute_script("return document.exitFullscreen()")
    browser.get(f"{root}/site/lessons/sextortion/slides.html#slide-4")  # a slide by address
    assert browser.execute_script(VISIBLE_SLIDES) == ["slide-4"]
    assert site_errors(browser) == []


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join((p.extract_text() or "").split())
                                       for p in reader.pages)


HANDOUT_LESSONS = ("sextortion", "who-can-i-tell", "parents-if-something-happens")


@pytest.fixture(scope="module")
def app_handouts(tmp_path_factory) -> Path:
    """edukit's own `export --as handout` PDFs of those lessons (same empty school details)."""
    out = tmp_path_factory.mktemp("pdf")
    result = subprocess.run([sys.executable, "-m", "edukit", "export", *HANDOUT_LESSONS, "--as",
                             "handout", "-o", str(out)], cwd=REPO, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("lesson", HANDOUT_LESSONS)
def test_a_handout_printed_by_the_browser_matches_edukits_own_pdf(browser, root, app_handouts,
                                                                  lesson):
    browser.get(f"{root}/site/lessons/{lesson}/handout.html")
    printed = browser.execute_cdp_cmd("Page.printToPDF", {
        "preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False})
    site_pages, site_text = pdf_text(base64.b64decode(printed["data"]))
    app_pages, app_text = pdf_text((app_handouts / f"{lesson}-handout.pdf").read_bytes())
    print(f"{lesson}: browser {site_pages} pages, app {app_pages} pages")
    assert abs(site_pages - app_pages) <= 1, (site_pages, app_pages)
    title = browser.title
    for words in (title, "Where to get help", "Designated Safeguarding Lead",
                  f"Page 1 of {site_pages}", "Childline" if lesson != "parents-if-"
                  "something-happens" else "CEOP"):
        assert words in app_text and words in site_text, words
    # Families read a review date as an expiry date: neither prints one on a handout.
    assert "Review due" not in app_text and "Review due" not in site_text
    assert "All lessons" not in site_text and "Print…" not in site_text
    app_words, site_words = set(app_text.split()), set(site_text.split())
    assert len(app_words & site_words) >= 0.95 * len(app_words)


def test_the_canary_hears_an_ordinary_page_positive_control(browser, root, canary):
    _, hits = canary
    hits.clear()
    browser.get(f"{root}/control/control.html")
    wait_for(browser, lambda d: "/control.png" in hits)


def test_no_request_leaves_the_machine_from_any_page_of_the_site(browser, root, canary, www):
    _, hits = canary
    hits.clear()
    pages = ["index.html", "help.html", "about.html"] + [
        str(p.relative_to(www / "site")) for p in (www / "site/lessons").rglob("*.html")
        if p.parent.name in ("hostile", "breakout", "sextortion")]
    for page in pages:
        browser.get(f"{root}/site/{page}")
        assert browser.execute_script("return document.documentElement.dataset.pwned") is None
        if page.endswith("slides.html"):
            key(browser, Keys.ARROW_RIGHT, Keys.END)
    time.sleep(1.0)  # time for any late request to arrive (none may)
    assert hits == []
    assert (www / "site/lessons/hostile/images/ok.png").is_file()


def test_the_csp_stops_inline_script_positive_control(browser, root):
    """The site's CSP is what keeps a script that got into a page from running: the same page
    without it runs the script."""
    browser.get(f"{root}/control/csp-off.html")
    assert browser.title == "ran"
    browser.get(f"{root}/control/csp-on.html")
    assert browser.title != "ran"
    browser.get_log("browser")  # the refusal is expected here; later tests start clean
