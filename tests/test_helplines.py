"""Helplines cannot be forged: the help box comes only from a route directory, route files
edukit did not ship are named every time, and contacts in lesson text are checked."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nh3
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from edukit.core.helplines import Directory, phone_numbers, unknown_contacts
from edukit.core.library import Library
from edukit.core.packs import check_pack
from edukit.core.paths import AppDirs, content_dir
from edukit.core.render import RenderContext, render
from edukit.core.routes import bundled_routes
from edukit.core.sanitize import ATTRIBUTES, TAGS, sanitize
from edukit.core.validate import validate_module

PHONE_IN_BOX = re.compile(r'class="route-phone">Phone: <span class="route-number">([^<]+)<')

REPO = Path(__file__).parent.parent
UK = content_dir() / "routes" / "uk.yaml"
FAKE = "0800 000 0000"
CHILDLINE = "0800 1111"


def edukit(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "edukit", *args], cwd=REPO, check=False,
                            capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def directory_phones(audience: str) -> set[str]:
    routes = bundled_routes("uk").for_audience(audience)
    return {r.phone for r in routes if r.phone}


def lesson(folder: Path, name: str, body: str, front: str = "") -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"---\ntitle: {name.title()}\naudience: pupils\n{front}---\n# {name.title()}"
                    f"\n\n{body}\n", encoding="utf-8")
    return path


def forged_routes_folder(tmp_path: Path) -> Path:
    """A --content folder whose routes/uk.yaml gives Childline a criminal's number."""
    folder = tmp_path / "colleague"
    (folder / "routes").mkdir(parents=True)
    (folder / "routes" / "uk.yaml").write_text(
        UK.read_text(encoding="utf-8").replace(f'"{CHILDLINE}"', f'"{FAKE}"'), encoding="utf-8")
    lesson(folder, "plain", "Talk to a trusted adult.")
    return folder


# --- phone-like text: what counts, and what never does ---------------------------------------

@pytest.mark.parametrize("text, found", [
    (f"Phone: {FAKE}", FAKE),
    ("ring 01632 960123 now", "01632 960123"),
    ("+44 (0)20 7946 0000 any time", "+44 (0)20 7946 0000"),
    ("+44 20 7946 0000", "+44 20 7946 0000"),
    ("+1 202 555 0143", "+1 202 555 0143"),
    ("+353 1 234 5678", "+353 1 234 5678"),
    ("Call 1-800-THE-LOST today", "1-800-THE-LOST"),
    ("call (800) 555-0199", "(800) 555-0199"),
    ("call 111 for advice", "111"),
    ("Text SHOUT to 85258", "85258"),
    ("[ring us](tel:08001234567)", "08001234567"),
    ("116 000 for missing children", "116 000"),
])
def test_phone_like_text_is_found(text, found):
    assert found in phone_numbers(text)


@pytest.mark.parametrize("text", [
    "ages 8-11 and 11-14", "In 2024 there were 1,665 reports", "s.15A of the Sexual Offences Act 2003",
    "Timing: 10 minutes", "on 27/11/2026", "reviewed 2026-11-27", "Section 101 of the act",
    "Room 101", "from 09:30 to 10:45", "the 1978 Act", "0.5 seconds", "version 1.2.3",
    "ISBN 978-0-00-000000-0", "ages 0-18", "13 to 17-year-olds", "about 45,000 images",
])
def test_dates_years_ages_counts_and_sections_are_not_phone_numbers(text):
    assert phone_numbers(text) == []


def test_directory_contacts_pass_and_others_do_not():
    directory = Directory(bundled_routes("uk"))
    fine = ("Call Childline on 0800 1111 or 999.", "Samaritans: 116 123, jo@samaritans.org",
            "See https://www.childline.org.uk/get-support/ for more",
            "Official guidance: https://www.gov.uk/government/publications/kcsie")
    for text in fine:
        assert unknown_contacts(text, directory) == [], text
    forged = {"Email evil@example.com": "evil@example.com",
              "[Childline](https://childline-help.example/)": "https://childline-help.example/",
              "report at https://evil.example/r": "https://evil.example/r",
              "[call](tel:+44-800-000-0000)": "+44-800-000-0000"}
    for text, contact in forged.items():
        assert [c.text for c in unknown_contacts(text, directory)] == [contact], text


# --- validate: lesson text --------------------------------------------------------------------

def test_a_fake_number_in_lesson_text_is_a_warning_at_its_line(tmp_path):
    path = lesson(tmp_path, "fake", f"Worried?\n\nPhone {FAKE} any time.",
                  front="summary: Or call 0800 999 1234.\n")
    module = Library.default().resolve(str(path))
    lines = {str(p) for p in validate_module(module, Library.default(), reading_level=False)}
    assert (f"{path}:10: warning: phone number {FAKE} is not in the route directory (uk.yaml)"
            in lines)
    assert f"{path}:4: warning: phone number 0800 999 1234 is not in the route directory " \
           "(uk.yaml)" in lines


def test_the_bundled_library_has_no_helpline_warnings_and_a_planted_number_is_caught():
    library = Library.default()
    bundled = [m for m in library.all if m.origin == "bundled"]
    assert len(bundled) >= 10
    found = [p for m in bundled for p in validate_module(m, library, reading_level=False)
             if p.helpline]
    assert found == []
    # positive control: the same check on a bundled lesson with one number planted in it
    from dataclasses import replace
    planted = replace(bundled[0], body=bundled[0].body + f"\n\nCall {FAKE}.\n", origin="user")
    assert [p for p in validate_module(planted, library, reading_level=False) if p.helpline]


def test_turning_off_the_help_box_is_a_warning_for_lessons_from_outside(tmp_path):
    path = lesson(tmp_path, "nobox", "No box here.", front="handout_routes: false\n")
    library = Library.default()
    module = library.resolve(str(path))
    warned = [str(p) for p in validate_module(module, library, reading_level=False) if p.helpline]
    assert warned == [(f"{path}:4: warning: this lesson turns off the help box on its handout "
                      "(handout_routes: false); families will not see where to get help")]
    kept = lesson(tmp_path, "ownbox", "::: {.routes for=pupils}\n:::", front="handout_routes: false\n")
    assert not [p for p in validate_module(library.resolve(str(kept)), library) if p.helpline]


# --- the help box: only edukit draws it -------------------------------------------------------

HOSTILE_BODY = f"""::: handout
<div class="routes" data-block="routes"><p class="routes-title">Where to get help</p>
<ul class="route-list"><li class="route emergency"><strong class="route-name">Childline</strong>
<span class="route-contacts"><span class="route-phone">Phone: {FAKE}</span></span></li></ul></div>

<p class="routes-title">Where to get help</p>

<span class="ROUTE-phone edukit-box school-contacts keep-me">Phone: {FAKE}</span>

Plain words {{: .route-phone }}

<div data-edukit-box="0123abcd-0"><p data-edukit-fill="0123abcd-0"></p></div>
:::

::: {{.notes .routes}}
teacher words
:::

## Where to get help

<details markdown="1">

::: {{.routes .route-list for=pupils}}
:::

</details>
"""


def classes_in(html: str) -> list[str]:
    return [c for value in re.findall(r'class="([^"]*)"', html) for c in value.split()]


def test_content_cannot_draw_a_help_box_in_any_view(tmp_path):
    path = lesson(tmp_path, "hostile", HOSTILE_BODY)
    library = Library.default()
    module = library.resolve(str(path))
    ctx = RenderContext(routes=library.routes("uk"))
    for view in ("lesson", "guide", "handout", "slides"):
        html = render(module, view, ctx).html
        assert html.count('class="routes-title"') == 1, view  # edukit's box, once
        assert view in ("lesson", "slides") or "keep-me" in classes_in(html), view
        boxes = re.findall(r'<div class="block routes".*?</ul>', html, re.DOTALL)
        assert len(boxes) == 1, view
        phones = set(PHONE_IN_BOX.findall(html))
        assert phones == directory_phones("pupils"), view
        assert 'data-edukit' not in html, view


def test_the_handout_box_stands_outside_any_block_or_details_of_the_lessons(tmp_path):
    path = lesson(tmp_path, "hostile", HOSTILE_BODY)
    library = Library.default()
    html = render(library.resolve(str(path)), "handout", RenderContext(routes=library.routes("uk"))).html
    box = html.index('<div class="block routes"')
    assert "<details" not in html[box:] and html.rfind("</details>") < box


def test_the_sanitiser_drops_reserved_classes_and_without_it_they_would_survive():
    hostile = ('<div class="routes" data-block="routes"><p class="routes-title x">T</p>'
               '<span class="Route-Phone emergency edukit-x school-contacts y">n</span></div>')
    clean = sanitize(hostile)
    assert set(classes_in(clean)) == {"x", "y"} and "data-block" not in clean
    # positive control: the same allow-list without the class filter keeps the forged box
    raw = nh3.clean(hostile, tags=TAGS, attributes=ATTRIBUTES, generic_attribute_prefixes={"data-"})
    assert "routes-title" in raw and 'data-block="routes"' in raw


# --- route files from outside edukit: named every time ----------------------------------------

def test_a_content_folders_route_file_is_named_by_validate_list_and_export_every_time(tmp_path):
    folder = forged_routes_folder(tmp_path)
    route_file = folder / "routes" / "uk.yaml"
    runs = [edukit("--content", str(folder), "validate", str(folder / "plain.md")),
            edukit("--content", str(folder), "list"),
            edukit("--content", str(folder), "list"),  # again: every time, not once
            edukit("--content", str(folder), "export", "plain", "--format", "html",
                   "-o", str(tmp_path / "out.html"))]
    for run in runs:
        said = run.stdout + run.stderr
        assert f"{route_file}:1: warning: route file {route_file} (in a --content folder) is not " \
               "bundled with edukit" in said, said
        assert f"changes Childline phone from {CHILDLINE} to {FAKE}" in said
    # negative control: without the folder nothing is said about route files
    plain = edukit("list")
    assert "route file" not in plain.stderr


def test_route_changes_name_added_removed_and_moved_routes(tmp_path):
    data = yaml.safe_load(UK.read_text(encoding="utf-8"))
    data["routes"] = [r for r in data["routes"] if r["id"] != "samaritans"]
    data["routes"].append({"id": "fake", "name": "Fake Line", "for": ["pupils"],
                           "phone": FAKE, "url": "https://fake.example"})
    ceop = next(r for r in data["routes"] if r["id"] == "ceop")
    ceop["for"] = ["staff"]
    (tmp_path / "routes").mkdir()
    (tmp_path / "routes" / "uk.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    library = Library.default(extra=[tmp_path])
    [warning] = library.route_warnings()
    assert f"adds Fake Line (phone {FAKE}, url https://fake.example)" in warning.message
    assert "removes Samaritans (phone 116 123, email jo@samaritans.org)" in warning.message
    assert "takes CEOP Safety Centre off the pupils' box" in warning.message
    assert warning.helpline and warning.severity == "warning"


def test_a_packs_route_file_is_named_in_the_check_and_after_install(tmp_path, user_dirs):
    pack = tmp_path / "colleague.zip"
    with zipfile.ZipFile(pack, "w") as zf:
        zf.writestr("routes/uk.yaml", UK.read_text(encoding="utf-8").replace(
            f'"{CHILDLINE}"', f'"{FAKE}"'))
        zf.writestr("modules/extra/module.md", f"---\ntitle: Extra\n---\n# Extra\n\nCall {FAKE}.\n")
    plan = check_pack(pack, AppDirs.default(), set())
    said = [str(p) for p in plan.warnings]
    assert any(s.startswith("colleague.zip:routes/uk.yaml:1: warning: route file "
                            "colleague.zip:routes/uk.yaml (in an unsigned pack)") and
               f"changes Childline phone from {CHILDLINE} to {FAKE}" in s for s in said), said
    assert f"colleague.zip:modules/extra/module.md:6: warning: phone number {FAKE} is not in the " \
           "route directory (uk.yaml)" in said
    installed = edukit("import-pack", str(pack))
    assert installed.returncode == 0, installed.stderr
    # An unsigned pack may add lessons, never helplines (test_signed_packs.py: a trusted one may)
    assert "refused route file 'routes/uk.yaml'" in installed.stdout
    assert not (user_dirs["data"] / "routes" / "uk.yaml").exists()
    assert "changes Childline phone" not in edukit("list").stderr


# --- the printed box, through the real export ------------------------------------------------

def test_the_printed_help_box_carries_exactly_the_directorys_numbers(tmp_path):
    lesson(tmp_path, "hostile", HOSTILE_BODY)
    out_html, out_pdf = tmp_path / "h.html", tmp_path / "h.pdf"
    for out, fmt in ((out_html, "html"), (out_pdf, "pdf")):
        run = edukit("--content", str(tmp_path), "export", "hostile", "--format", fmt, "-o", str(out))
        assert run.returncode == 0, run.stderr
    html = out_html.read_text(encoding="utf-8")
    assert html.count('class="routes-title"') == 1
    assert set(PHONE_IN_BOX.findall(html)) == directory_phones("pupils")
    text = "\n".join(page.extract_text() for page in PdfReader(out_pdf).pages)
    box = text[text.rindex("Where to get help"):]  # the box comes last on the handout
    printed = {" ".join(n.split()) for n in re.findall(r"Phone:\s*([\d ]+\d)", box)}
    assert printed == directory_phones("pupils")
    assert FAKE not in box


# --- any mix of hostile pieces ------------------------------------------------------------------

HOSTILE_PIECES = [
    "\n\n", "::: {.routes for=pupils}\n", ":::\n", "::: handout\n", "::: notes\n",
    '<div class="routes" data-block="routes" markdown="1">', "</div>", '<p class="routes-title">',
    '<span class="route-phone">Phone: 0800 000 0000</span>', "{: .route-list }", "<details>",
    '<div data-edukit-box="x-0">', '<p data-edukit-fill="x-0"></p>', "::: {.notes .routes}\n",
    "Where to get help", "`", "```\n", "- ", "# ", "## ", "Call 0800 000 0000.",
]
RESERVED = re.compile(r'class="[^"]*\b(?:routes?|route-[\w-]+|routes-[\w-]+|emergency|'
                      r'school-contacts)\b')


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(HOSTILE_PIECES), max_size=30).map("".join),
       st.sampled_from(["lesson", "handout", "guide", "slides"]))
def test_any_mix_of_hostile_pieces_leaves_only_edukits_boxes(body, view):
    from edukit.core.model import ContentError, Meta, Module

    module = Module(Meta(id="mix", title="Mix", audience="pupils"),
                    Path("/nonexistent/mix/module.md"), "file", body=body)
    try:
        html = render(module, view, RenderContext(routes=bundled_routes("uk"))).html
    except ContentError:
        return
    boxes = re.findall(r'<div class="block routes" data-block="routes" data-for="\w+">\n?'
                       r'<p class="routes-title">.*?</ul>', html, re.DOTALL)
    assert html.count("school-contacts") == (view == "handout")  # edukit's own, once
    outside = re.sub(r'<div class="block school-contacts">.*?</div>', "", html, flags=re.DOTALL)
    for box in boxes:
        outside = outside.replace(box, "")
    tags = re.findall(r"<[a-z][^>]*>", outside)  # tags only: code may show the words as text
    assert not any(RESERVED.search(tag) for tag in tags), outside
    assert not any("data-edukit" in tag for tag in re.findall(r"<[a-z][^>]*>", html))
    assert html.count('class="routes-title"') == len(boxes)
    for box in boxes:
        assert set(PHONE_IN_BOX.findall(box)) == \
            directory_phones("pupils")
    if view == "handout":
        assert len(boxes) >= 1


def test_a_lesson_full_of_numbers_lists_twenty_and_counts_the_rest(tmp_path):
    body = "\n\n".join(f"Call 0800 000 {n:04d}." for n in range(30))
    path = lesson(tmp_path, "many", body)
    library = Library.default()
    found = [p for p in validate_module(library.resolve(str(path)), library, reading_level=False)
             if p.helpline]
    assert len(found) == 21
    assert found[-1].message == "and 10 more contacts not in the route directory (uk.yaml)"


def test_a_handout_whose_box_a_lesson_from_outside_turned_off_says_so_on_the_page(tmp_path):
    library = Library.default()
    ctx = RenderContext(routes=library.routes("uk"))
    path = lesson(tmp_path, "nobox", "No box here.", front="handout_routes: false\n")
    html = render(library.resolve(str(path)), "handout", ctx).html
    assert 'class="routes-title"' not in html
    assert "This lesson file turned off the help box on this handout" in html
    bundled = next(m for m in library.all if m.origin == "bundled")
    from dataclasses import replace
    quiet = replace(bundled, meta=replace(bundled.meta, handout_routes=False),
                    body=bundled.body.replace("::: {.routes", "::: {.other"))
    assert "turned off" not in render(quiet, "handout", ctx).html  # bundled: reviewed, silent
