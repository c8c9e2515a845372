"""The reading font and line spacing in a real browser (Debian's chromium, as the site's own
browser tests): a single exported HTML file draws its text in the bundled face it carries, the
offline site in the face from its shared fonts/ folder, each with the chosen line spacing.
Positive controls: the export as it was before (its @font-face pointing at ../fonts/, which is
not beside the file) and the old CSP without font-src both leave the face unloaded."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_site_browser import browser, site_errors, wait_for  # noqa: F401 (fixture)

from edukit.core.export import ExportOptions, export_html
from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.options import PrintOptions
from edukit.core.pages import EXPORT_CSP
from edukit.core.site import SiteOptions, publish_site

# What the page's fonts did: each bundled face's status, once every load has settled.
FACES = """const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => done([...document.fonts].filter(f => f.status !== 'unloaded')
  .map(f => f.family.replace(/"/g, '') + ':' + f.status)));"""
TEXT = """const p = document.querySelector('.page p'), s = getComputedStyle(p);
return [s.fontFamily, parseFloat(s.lineHeight) / parseFloat(s.fontSize)];"""


def faces(driver, url: str) -> set[str]:
    driver.get(url)
    driver.set_script_timeout(20)
    return set(driver.execute_async_script(FACES))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The sample lesson's handout as one HTML file, in the legible face, widest spacing."""
    library = Library.default(extra=[Path(__file__).parent / "fixtures" / "content"])
    options = ExportOptions(PrintOptions(kind="handout"), format="html", font="legible",
                            spacing="widest")
    html = export_html(library, School(), library.get("sample-lesson"), options)
    out = tmp_path_factory.mktemp("export") / "handout.html"
    out.write_bytes(html)
    return out


def test_an_exported_file_draws_its_text_in_the_face_it_carries(browser, exported):  # noqa: F811
    assert faces(browser, exported.as_uri()) == {"Atkinson Hyperlegible:loaded"}
    family, line = browser.execute_script(TEXT)
    assert family.startswith('"Atkinson Hyperlegible"') and line == pytest.approx(2.0, abs=0.02)
    assert site_errors(browser) == []


def test_positive_control_an_export_pointing_at_fonts_beside_it_loads_no_face(
        browser, exported, tmp_path):  # noqa: F811
    html = exported.read_text(encoding="utf-8")
    before = re.sub(r'url\("data:font/woff2;base64,[^"]+"\)',
                    'url("../fonts/atkinson-hyperlegible-latin-400-normal.woff2")', html)
    (tmp_path / "before.html").write_text(before, encoding="utf-8")
    assert faces(browser, (tmp_path / "before.html").as_uri()) == {"Atkinson Hyperlegible:error"}


def test_positive_control_a_csp_without_font_src_blocks_the_carried_face(
        browser, exported, tmp_path):  # noqa: F811
    html = exported.read_text(encoding="utf-8")
    old_csp = EXPORT_CSP.replace(" font-src data:;", "")
    assert old_csp != EXPORT_CSP and html.count(EXPORT_CSP) == 1
    (tmp_path / "old-csp.html").write_text(html.replace(EXPORT_CSP, old_csp), encoding="utf-8")
    assert faces(browser, (tmp_path / "old-csp.html").as_uri()) == {"Atkinson Hyperlegible:error"}
    assert any("Content Security Policy" in e for e in site_errors(browser))


@pytest.fixture(scope="module")
def typed_site(tmp_path_factory) -> Path:
    library = Library.default()
    out = tmp_path_factory.mktemp("site") / "site"
    publish_site(library, [library.get("who-can-i-tell")], out,
                 SiteOptions(font="dyslexic", spacing="wcag"), School())
    return out


@pytest.mark.parametrize("page", ["lessons/who-can-i-tell/lesson.html",
                                  "lessons/who-can-i-tell/handout.html", "help.html"])
def test_the_sites_pages_draw_in_the_face_from_its_fonts_folder(browser, typed_site,  # noqa: F811
                                                                page):
    assert "OpenDyslexic:loaded" in faces(browser, (typed_site / page).as_uri())
    family, line = browser.execute_script(TEXT)
    assert family.startswith("OpenDyslexic") and line == pytest.approx(1.5, abs=0.02)
    letter = browser.execute_script("const s = getComputedStyle(document.querySelector('.page p'));"
                                    "return parseFloat(s.letterSpacing) / parseFloat(s.fontSize)")
    assert letter == pytest.approx(0.12, abs=0.01)
    assert site_errors(browser) == []


def test_a_reader_of_the_site_chooses_their_own_font_and_spacing_and_it_stays(
        browser, typed_site):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    lesson = (typed_site / "lessons/who-can-i-tell/lesson.html").as_uri()
    browser.get(lesson)
    browser.execute_script("localStorage.clear()")
    browser.get(lesson)
    assert browser.execute_script(TEXT)[1] == pytest.approx(1.5, abs=0.02)  # as published
    font = Select(browser.find_element(By.CSS_SELECTOR, "[data-type-control=font]"))
    spacing = Select(browser.find_element(By.CSS_SELECTOR, "[data-type-control=spacing]"))
    assert (font.first_selected_option.get_attribute("value"),
            spacing.first_selected_option.get_attribute("value")) == ("dyslexic", "wcag")
    font.select_by_value("legible")
    spacing.select_by_value("widest")
    family, line = browser.execute_script(TEXT)
    assert family.startswith('"Atkinson Hyperlegible"') and line == pytest.approx(2.0, abs=0.02)
    # Kept for the next page of the site, and the face comes from its fonts folder.
    assert "Atkinson Hyperlegible:loaded" in faces(browser, (typed_site / "help.html").as_uri())
    assert browser.execute_script(TEXT)[1] == pytest.approx(2.0, abs=0.02)
    # The slides (not fitted to the screen on the site) stay as designed: no choices there.
    browser.get((typed_site / "lessons/who-can-i-tell/slides.html").as_uri())
    assert browser.find_elements(By.CSS_SELECTOR, "[data-type-control]") == []
    classes = browser.find_element(By.TAG_NAME, "body").get_attribute("class").split()
    assert {"font-legible", "spacing-normal"} <= set(classes)
    browser.execute_script("localStorage.clear()")
    assert site_errors(browser) == []
