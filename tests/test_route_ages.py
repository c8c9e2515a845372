"""A pupil's "Where to get help" box lists only services for their age band (issue 14): the
age limits come from the route file's `ages`, worded as the reference sheet words them, and
every output (the app's views, handouts, slides, the website, the PowerPoint deck) takes them
from the one place, RouteDirectory.for_audience."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pptx import Presentation

from edukit.core.library import Library
from edukit.core.model import AGE_BANDS, School
from edukit.core.pptx_export import pptx_bytes
from edukit.core.render import RenderContext, render
from edukit.core.routes import RouteError, age_limits, load_routes, serves_band
from edukit.core.site import SiteOptions, publish_site

SAMARITANS, MIX = "116 123", "themix.org.uk"
CHILDLINE = "0800 1111"
ADULT_ROUTES = (SAMARITANS, MIX)  # written for older people: kept out of the 8-11 box
SHEET_AGES = {"Under 19": (0, 18), "Up to 18": (0, 18), "Under 18": (0, 17), "Over 13": (14, 99),
              "Under 25": (0, 24), "Images taken under 18": None, "": None, "Anyone": None}


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.default()


@pytest.fixture(scope="module")
def lessons(library) -> dict[str, object]:
    """One bundled pupil lesson per age band."""
    found = {}
    for m in library.all:
        if m.origin == "bundled" and m.meta.audience == "pupils":
            found.setdefault(m.meta.ages, m)
    assert set(found) == set(AGE_BANDS)
    return found


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("text,limits", SHEET_AGES.items())
def test_the_reference_sheets_age_wordings_are_read_as_limits(text, limits):
    assert age_limits(text) == limits


def test_every_age_a_route_file_states_is_understood(library):
    """A route whose `ages` the filter cannot read would be shown to every band: each one that
    names an age must parse (Take It Down's is about when the picture was taken)."""
    for route in library.routes("uk").routes:
        if re.search(r"\d", route.ages) and "images" not in route.ages.lower():
            assert age_limits(route.ages), route.id


@pytest.mark.parametrize("band", AGE_BANDS)
def test_each_bands_box_has_the_services_for_its_age(library, band):
    routes = library.routes("uk").for_audience("pupils", band)
    names = {r.id for r in routes}
    assert {"childline", "ceop", "report-remove", "police-emergency"} <= names  # for every child
    adult = {"samaritans", "the-mix"} & names
    if band == "8-11":
        assert adult == set(), adult
        assert all("Not anonymous" not in r.anonymity for r in routes)  # the plain wording
    else:  # the control: the same check finds them where they belong
        assert adult == {"samaritans", "the-mix"}


def test_a_route_for_over_13s_is_left_out_below_its_age_only(tmp_path):
    path = tmp_path / "uk.yaml"
    path.write_text("region: uk\nroutes:\n"
                    "  - {id: teen, name: Teen line, for: [pupils], ages: Over 13, url: https://t.example}\n"
                    "  - {id: all, name: All line, for: [pupils], url: https://a.example}\n"
                    "  - {id: kept, name: Kept line, for: [pupils], bands: ['14-16'], url: https://k.example}\n")
    directory = load_routes(path)
    ids = {band: [r.id for r in directory.for_audience("pupils", band)] for band in AGE_BANDS}
    assert ids == {"8-11": ["all"], "11-14": ["teen", "all"], "14-16": ["teen", "all", "kept"]}
    assert [r.id for r in directory.for_audience("pupils")] == ["teen", "all", "kept"]  # no band
    assert [r.id for r in directory.for_audience("parents", "8-11")] == []


def test_a_route_file_with_an_unknown_band_is_refused_with_its_path(tmp_path):
    path = tmp_path / "uk.yaml"
    path.write_text("region: uk\nroutes:\n  - {id: x, name: X, for: [pupils], bands: ['5-7']}\n")
    with pytest.raises(RouteError, match="uk.yaml.*bands"):
        load_routes(path)


def test_serves_band_without_a_known_band_keeps_every_route(library):
    for route in library.routes("uk").routes:
        assert serves_band(route, None) and serves_band(route, "16-18")


@pytest.mark.parametrize("view", ["lesson", "handout", "slides", "guide"])
def test_every_view_of_an_8_to_11_lesson_leaves_the_adult_services_out(library, lessons, view):
    ctx = RenderContext(routes=library.routes("uk"))
    young = words(render(lessons["8-11"], view, ctx).html)
    older = words(render(lessons["11-14"], view, ctx).html)
    if CHILDLINE not in young:
        pytest.skip(f"the {view} view has no help box")
    assert not [a for a in ADULT_ROUTES if a in young]
    assert all(a in older for a in ADULT_ROUTES)  # the control


def deck_text(module, library) -> str:
    deck = Presentation(io.BytesIO(pptx_bytes(module, RenderContext(routes=library.routes("uk")))))
    return "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                     if shape.has_text_frame)


def test_the_powerpoint_deck_takes_the_age_filter(library, lessons):
    young, older = deck_text(lessons["8-11"], library), deck_text(lessons["14-16"], library)
    assert CHILDLINE in young and not [a for a in ADULT_ROUTES if a in young]
    assert all(a in older for a in ADULT_ROUTES)


def test_the_website_takes_the_age_filter(library, lessons, tmp_path: Path):
    out = tmp_path / "site"
    publish_site(library, [lessons["8-11"], lessons["11-14"]], out, SiteOptions(), School())
    pages = {p.parent.name: p.read_text(encoding="utf-8") for p in out.glob("lessons/*/handout.html")}
    young = next(t for slug, t in pages.items() if slug.startswith(lessons["8-11"].id))
    older = next(t for slug, t in pages.items() if slug.startswith(lessons["11-14"].id))
    assert CHILDLINE in young and not [a for a in ADULT_ROUTES if a in words(young)]
    assert all(a in words(older) for a in ADULT_ROUTES)
