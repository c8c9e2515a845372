"""The bundled lessons: complete, valid, age-appropriate, and every contact detail verified."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from edukit.core.library import Library
from edukit.core.markdown.blocks import scan_divs
from edukit.core.markdown.slides import split_slides
from edukit.core.readability import GRADE_LIMITS, reading_grade
from edukit.core.render import RenderContext, render
from edukit.core.validate import validate_module

REPO = Path(__file__).parent.parent
SHEET = REPO / "docs" / "reference" / "reporting-routes.md"  # copy of the verified sheet
SHARED_SHEET = REPO.parent / "shared" / "reference" / "reporting-routes.md"
URL = re.compile(r"https?://[^\s)>\]\"']+")
PHONE = re.compile(r"(?<![\d-])\+?\d[\d ]{5,}\d(?![\d-])")  # as the before-stop hook reads them
COVERAGE = {("pupils", "8-11"): 4, ("pupils", "11-14"): 4, ("pupils", "14-16"): 3,
            ("staff", None): 2, ("parents", None): 2}


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.default()


@pytest.fixture(scope="module")
def bundled(library) -> list:
    """The bundled lessons (letters, forms and other resources have tests of their own)."""
    return [m for m in library.all if m.origin == "bundled" and not m.meta.is_resource]


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_library_covers_every_audience_and_age_band(bundled):
    assert len(bundled) >= 15
    for (audience, ages), wanted in COVERAGE.items():
        found = [m for m in bundled if m.meta.audience == audience and (ages is None or m.meta.ages == ages)]
        assert len(found) >= wanted, (audience, ages, [m.id for m in found])


def test_every_bundled_module_validates_without_errors_or_warnings(bundled, library):
    problems = [str(p) for m in bundled for p in validate_module(m, library)]
    assert problems == []


def test_reviewed_dates_are_within_their_review_period(bundled):
    today = dt.date.today()
    for m in bundled:
        assert m.meta.reviewed is not None and m.meta.reviewed <= today, m.id
        assert m.meta.review_status(today) == "ok", f"{m.id}: review due {m.meta.review_due_on()}"


def test_pupil_reading_grades_are_within_their_age_band(bundled):
    for m in bundled:
        if m.meta.audience == "pupils":
            grade = reading_grade(m)
            assert grade is not None and grade <= GRADE_LIMITS[m.meta.ages], (m.id, grade)


def test_contacts_in_lessons_come_from_the_route_directory_or_the_sources(bundled, library):
    routes = library.routes("uk").routes
    known_numbers = {digits(r.phone) for r in routes if r.phone}
    known_urls = {r.url for r in routes if r.url}
    for m in bundled:
        allowed_urls = known_urls | {s.url for s in m.meta.sources}
        for url in URL.findall(m.body):
            assert url.rstrip(".,;") in allowed_urls, f"{m.id}: {url}"
        for line in m.body.split("\n"):
            for number in PHONE.findall(line):
                assert digits(number) in known_numbers, \
                    f"{m.id}: phone-like number {number!r} in: {line.strip()}"


def test_every_route_contact_is_on_the_verified_reference_sheet(library):
    sheet = SHEET.read_text(encoding="utf-8")
    flat = re.sub(r"\s+", "", sheet)
    for route in library.routes("uk").routes:
        assert route.verified is not None and route.source, route.id
        assert route.source in sheet, f"{route.id}: source {route.source}"
        if route.phone:
            assert digits(route.phone) in digits(flat) and route.phone.replace(" ", "") in flat, route.id
        for contact in (route.url, route.email):
            if contact:
                assert contact.removeprefix("https://").removeprefix("www.") in sheet, f"{route.id}: {contact}"


def test_vendored_reference_sheet_is_the_shared_one():
    """docs/reference holds a copy so the suite runs anywhere; it must not drift from shared/."""
    if SHARED_SHEET.is_file():
        assert SHEET.read_text(encoding="utf-8") == SHARED_SHEET.read_text(encoding="utf-8")
    assert "VERIFIED" in SHEET.read_text(encoding="utf-8")


def test_each_module_has_the_parts_of_a_lesson_pack(bundled):
    for m in bundled:
        lines = m.body.split("\n")
        divs = scan_divs(lines)
        names = [d.name for d in divs]
        first_section = next(i for i, line in enumerate(lines) if line.startswith("## "))
        guard = [d for d in divs if d.name == "safeguarding"]
        assert guard and guard[0].start < first_section, f"{m.id}: safeguarding block before teaching"
        activities = [d for d in divs if d.name == "activity" and d.attr("minutes").isdigit()]
        assert len(activities) >= 2, f"{m.id}: two timed activities"
        assert sum(int(d.attr("minutes")) for d in activities) <= m.meta.duration, m.id
        for part in ("worksheet", "key-messages", "handout", "routes"):
            assert part in names, f"{m.id}: no {part} block"
        assert m.meta.objectives and m.meta.vocabulary and m.meta.sources, m.id


def test_every_slide_has_teacher_notes(bundled):
    for m in bundled:
        for slide in split_slides(m.body):
            if slide.text.lstrip().startswith("## "):
                assert "::: notes" in slide.text or ":::: notes" in slide.text, f"{m.id}: {slide.title}"


def test_pupil_lessons_say_it_is_never_their_fault_and_telling_is_safe(bundled, library):
    for m in bundled:
        if m.meta.audience != "pupils":
            continue
        text = render(m, "lesson", RenderContext(routes=library.routes("uk"))).html
        text = " ".join(re.sub(r"<[^>]+>", " ", text).lower().split())
        assert re.search(r"(never|not) (your|their) fault", text), m.id
        assert "trouble" in text, f"{m.id}: says telling will not get them into trouble"
        assert any(g in text for g in ("ground rules", "our rules")), f"{m.id}: ground rules"


# What a handout names, its box must carry; and nothing the reference sheet marks UNVERIFIED.

BOXED_ROUTES = {"Childline": "childline", "CEOP Safety Centre": "ceop", "Report Remove": "report-remove",
                "NSPCC Helpline": "nspcc-helpline", "Stop It Now": "stop-it-now", "Samaritans": "samaritans",
                "Take It Down": "take-it-down", "101": "police-non-emergency"}
UNVERIFIED_CLAIMS = [
    re.compile(r"nspcc helpline[^.]*\b(open|hours|24)\b"),  # NSPCC Helpline hours: UNVERIFIED
    re.compile(r"\b(id|identity) documents? (is|are)? ?(needed|required)|needs? (id|identity) documents?"),
    re.compile(r"the mix[^.]*\d{3}"),  # The Mix phone number: UNVERIFIED
    re.compile(r"only if (a|someone's) life is in danger"),  # the sheet: MAY be passed on if a life is in danger
]


def handout_text(m) -> str:
    lines = m.body.split("\n")
    blocks = [d for d in scan_divs(lines) if d.name == "handout" and d.end is not None]
    return " ".join(" ".join(lines[d.start:d.end]) for d in blocks)


def routes_named_but_not_boxed(text: str, boxed_ids: set[str]) -> list[str]:
    return [name for name, rid in BOXED_ROUTES.items() if name in text and rid not in boxed_ids]


def unverified_claims(text: str) -> list[str]:
    """Patterns found in sentences that state something; "do not say whether ..." states nothing."""
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.lower().split()))
    stated = " ".join(s for s in sentences if "whether" not in s)
    return [p.pattern for p in UNVERIFIED_CLAIMS if p.search(stated)]


def test_every_service_a_take_home_sheet_names_is_in_its_where_to_get_help_box(bundled, library):
    """A child or parent reads the sheet at home with no one to ask where "Childline" is."""
    directory = library.routes("uk")
    assert routes_named_but_not_boxed("Your child can talk to Childline.", {"ceop"}) == ["Childline"]
    for m in (m for m in bundled if m.meta.audience in ("pupils", "parents")):
        boxed = {r.id for r in directory.for_audience(m.meta.audience)}
        assert routes_named_but_not_boxed(handout_text(m), boxed) == [], m.id


def test_no_lesson_or_route_states_what_the_reference_sheet_marks_unverified(bundled, library):
    assert unverified_claims("They may pass information on only if a life is in danger.")
    assert unverified_claims("The NSPCC Helpline is open 24 hours.")
    assert unverified_claims("13 to 17-year-olds need ID documents.")
    assert unverified_claims("They may pass information on if someone's life is in danger.") == []
    assert unverified_claims("Do not say whether 13 to 17-year-olds need ID documents.") == []
    for m in bundled:
        assert unverified_claims(m.body) == [], m.id
    for route in library.routes("uk").routes:
        said = f"{route.what} {route.what_8_11} {route.who} {route.hours} {route.anonymity}"
        assert unverified_claims(said) == [], route.id


def test_ceop_box_keeps_to_its_remit_of_online_sexual_abuse_and_grooming(library):
    ceop = next(r for r in library.routes("uk").routes if r.id == "ceop")
    assert "sexual" in ceop.what and "meet" in ceop.what
    for what in (ceop.what, ceop.what_8_11):
        assert "meet" in what and "not for bullying" in what.lower()
        assert "unsafe" not in what  # wider than the service: bullying makes people feel unsafe too


YOUNG_UNSUITABLE = re.compile(r"\b(nudes?|sexual|sexually)\b", re.IGNORECASE)


def help_box_text(module, library) -> str:
    html = render(module, "handout", RenderContext(routes=library.routes("uk"))).html
    box = re.search(r'<ul class="route-list">(.*?)</ul>', html, re.DOTALL)
    assert box, f"{module.id}: the handout has no help box"
    return re.sub(r"<[^>]+>", " ", box.group(1))


def test_help_boxes_for_ages_8_to_11_use_their_plainer_words(bundled, library):
    """The same services, in words an 8-year-old's take-home sheet can carry; older pupils get the
    full description (the control: the check finds those words where they belong)."""
    for m in (m for m in bundled if m.meta.audience == "pupils"):
        box = help_box_text(m, library)
        assert "CEOP Safety Centre" in box and "Report Remove" in box, m.id
        found = YOUNG_UNSUITABLE.findall(box)
        if m.meta.ages == "8-11":
            assert found == [], f"{m.id}: {found}"
            assert "no clothes on" in box and "pictures of your body" in box, m.id
        else:
            assert found, m.id


# Corrections the safeguarding review asked for (issue 14): each check is shown to fire on a
# crafted bad text first, so a later edit that brings the fault back fails here.

TEACHER_ONLY = {"notes", "instructor", "safeguarding", "adaptations"}
PROMPTS = {"activity", "worksheet", "scenario", "discuss"}  # questions and stories, not teaching


def without_divs(lines: list[str], names: set[str]) -> list[str]:
    """The lines outside any div with one of these names (fences of those divs removed too)."""
    hidden: set[int] = set()
    for d in scan_divs(lines):
        if d.name in names:
            hidden.update(range(d.start, (d.end if d.end is not None else len(lines) - 1) + 1))
    return [line for i, line in enumerate(lines) if i not in hidden]


def pupil_places(body: str, skip: set[str] = frozenset()) -> list[str]:
    """What pupils read, place by place: each slide without its notes, handout and parents'
    leaflet text, then each handout on its own (a take-home sheet is read without the slide
    beside it)."""
    places = []
    for slide in split_slides(body):
        lines = slide.text.split("\n")
        places.append(" ".join(without_divs(lines, TEACHER_ONLY | {"handout", "parents"} | set(skip))))
        for d in scan_divs(lines):
            if d.name == "handout" and d.end is not None:
                inner = without_divs(lines[d.start + 1:d.end], TEACHER_ONLY | set(skip))
                places.append(" ".join(inner))
    return [" ".join(p.split()) for p in places]


SAME_DAY = re.compile(r"\bsame\s+day\b", re.IGNORECASE)


def test_disclosures_go_to_the_dsl_straight_away_never_the_same_day(bundled):
    """Images and sextortion cannot wait for the end of the day; no lesson may say they can."""
    assert SAME_DAY.search("report it to the DSL the\nsame day")
    for m in bundled:
        assert not SAME_DAY.search(m.body), f"{m.id}: says 'same day'"
        guide = re.sub(r"<[^>]+>", " ", render(m, "guide", RenderContext()).html)
        assert not SAME_DAY.search(guide), f"{m.id}: the guide's first page says 'same day'"


LAW_STATED = re.compile(r"against the law|\billegal\b|breaking the law", re.IGNORECASE)
HELPED_NOT_PUNISHED = re.compile(r"helped, not punished", re.IGNORECASE)


def law_without_reassurance(body: str) -> list[str]:
    """Places where pupils read the law on images without hearing, there, that a pressured or
    tricked young person is helped, not punished, and that schools treat it as safeguarding."""
    return [p[:80] for p in pupil_places(body, PROMPTS) if LAW_STATED.search(p)
            and not (HELPED_NOT_PUNISHED.search(p) and "safeguarding" in p.lower())]


def test_every_place_that_states_the_law_says_a_young_person_will_be_helped(bundled):
    bad = "## The law\n\n- Sharing a nude of anyone under 18 is against the law.\n"
    assert law_without_reassurance(bad)
    good = bad + ("- If you were pressured or tricked, or your picture was shared, you will be "
                  "helped, not punished. Schools treat it as safeguarding.\n")
    assert law_without_reassurance(good) == []
    for m in (m for m in bundled if m.meta.audience == "pupils"):
        assert law_without_reassurance(m.body) == [], m.id


EVIDENCE = re.compile(r"keep (the |any |all )?(messages|evidence|chat)|don.t delete|do not delete",
                      re.IGNORECASE)
NO_SCREENSHOT = re.compile(r"don.t screenshot, save or send any (nude picture|picture of someone "
                           r"with no clothes on), even (as proof|to show someone)\. tell an adult",
                           re.IGNORECASE)


def evidence_without_warning(body: str) -> list[str]:
    """Places that tell pupils to keep evidence but not, there, never to keep the picture."""
    return [p[:80] for p in pupil_places(body, {"objectives"}) if EVIDENCE.search(p) and not NO_SCREENSHOT.search(p)]


def test_every_evidence_line_says_never_screenshot_save_or_send_the_picture(bundled):
    bad = "## What to do\n\n- Block them. Keep the messages.\n"
    assert evidence_without_warning(bad)
    good = bad + "- Don't screenshot, save or send any nude picture, even as proof. Tell an adult.\n"
    assert evidence_without_warning(good) == []
    for m in (m for m in bundled if m.meta.audience == "pupils"):
        assert evidence_without_warning(m.body) == [], m.id


PAY_THREAT = re.compile(r"\bunless\b[^.]*\bpa(y|ys|id)\b", re.IGNORECASE)
MORE_IMAGES = re.compile(r"more\s+(nude\s+)?(images|pictures|photos|videos)", re.IGNORECASE)


def money_only_definitions(body: str) -> list[str]:
    """Sentences that describe sextortion as a demand for money only (stories excluded)."""
    lines = without_divs(body.split("\n"), PROMPTS)
    sentences = re.split(r"(?<=[.!?])\s+|\n-\s", "\n".join(lines))
    return [s[:80] for s in sentences if PAY_THREAT.search(s) and not MORE_IMAGES.search(s)]


def test_sextortion_is_defined_as_a_demand_for_money_or_more_images(bundled):
    assert money_only_definitions("- Someone threatens to share nude images of you unless you pay")
    assert money_only_definitions("Threats to share a picture unless you pay or send more images.") == []
    for m in bundled:
        assert money_only_definitions(m.body) == [], m.id


def test_trusted_adult_hand_stays_in_school_and_home_is_not_asked_who_is_on_it(library):
    m = library.get("who-can-i-tell")
    sheet = " ".join(handout_text(m).lower().split())
    assert "stays at school" in sheet
    assert "who is on" not in sheet and "ask your child who" not in sheet
    assert "take their hand home" not in m.body


def test_secrets_rule_is_any_secret_an_adult_asks_you_to_keep_from_your_grown_ups(library):
    m = library.get("online-friends-and-secrets")
    text = " ".join(m.body.lower().split())
    assert "any secret an adult asks you to keep from your grown-ups" in text
    assert "never too late to tell" in text
    assert "never too late to tell" in " ".join(handout_text(m).lower().split())


THREATS = ("grooming", "image-sharing", "live-streaming", "sextortion", "ai-images")
BANDS = ("8-11", "11-14", "14-16")
TOPIC_WORDS = {"grooming": r"groom|pretend", "image-sharing": r"picture|photo|image|nude",
               "live-streaming": r"live stream|video call|on camera|webcam",
               "sextortion": r"sextortion|threat", "ai-images": r"fake|\bai\b|made up|changed"}


def coverage_gaps(modules) -> list[tuple[str, str]]:
    """(topic, band) pairs with no pupil lesson that is tagged with the topic and talks about it."""
    def covers(m, topic, band):
        return (m.meta.audience == "pupils" and m.meta.ages == band and topic in m.meta.topics
                and re.search(TOPIC_WORDS[topic], m.body, re.IGNORECASE))
    return [(t, b) for t in THREATS for b in BANDS if not any(covers(m, t, b) for m in modules)]


def test_every_threat_is_taught_in_every_pupil_age_band(bundled):
    """The seed's threats x the three pupil bands: no gap (issue 14's coverage table)."""
    assert ("sextortion", "8-11") in coverage_gaps([])
    assert len(bundled) >= 19
    assert coverage_gaps(bundled) == []


KCSIE_EDITION = re.compile(r"KCSIE\s+20\d\d|Keeping Children Safe in Education\s+20\d\d", re.IGNORECASE)


def test_lessons_cite_the_current_kcsie_not_an_edition_the_sheet_cannot_confirm(bundled):
    """Whether a 2026 edition has replaced KCSIE 2025 is UNVERIFIED: lessons say "the current KCSIE"."""
    assert KCSIE_EDITION.search("their role under KCSIE 2025")
    for m in bundled:
        assert not KCSIE_EDITION.search(m.body), m.id


def test_staff_disclosures_lesson_names_the_4_cs_and_the_dsl_role(library):
    text = " ".join(library.get("staff-responding-to-disclosures-and-image-incidents").body.split())
    for c in ("Content", "Contact", "Conduct", "Commerce"):
        assert f"**{c}**" in text, c
    assert "lead responsibility" in text and "cannot be delegated" in text
    assert "the current KCSIE" in text


def test_sextortion_lessons_for_adults_flag_self_harm_risk(library):
    for mid in ("sextortion", "sextortion-ks3", "parents-if-something-happens"):
        m = library.get(mid)
        assert m is not None and "self-harm" in m.body, mid


def test_report_remove_is_in_the_staff_box_and_take_it_down_in_the_parents_box(library):
    directory = library.routes("uk")
    assert "report-remove" in {r.id for r in directory.for_audience("staff")}
    assert "take-it-down" in {r.id for r in directory.for_audience("parents")}
    assert "take-it-down" not in {r.id for r in directory.for_audience("pupils", "8-11")}


IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
SVG_UNSAFE = re.compile(r"<script|<image|<foreignObject|\bon\w+\s*=|href\s*=|url\(\s*['\"]?(?!#)|@import",
                        re.IGNORECASE)


def picture_problems(module_dir: Path, body: str) -> list[str]:
    """Pictures must be our own SVG drawings, described for pupils who cannot see them."""
    problems = []
    for alt, src in IMAGE.findall(body):
        path = module_dir / src
        if not src.endswith(".svg") or not path.is_file():
            problems.append(f"{src}: not an SVG file in the lesson's folder")
            continue
        svg = path.read_text(encoding="utf-8")
        if len(alt.split()) < 8:
            problems.append(f"{src}: alt text too short to say what the picture teaches")
        if "<title" not in svg or SVG_UNSAFE.search(svg):
            problems.append(f"{src}: needs a <title> and nothing that runs or fetches")
        if any(PHONE.findall(line) for line in svg.split("\n")):  # coordinates read as numbers
            problems.append(f"{src}: a phone-like run of numbers (separate coordinates by commas)")
    return problems


def test_lesson_pictures_are_safe_svg_drawings_with_alt_text(bundled, tmp_path):
    (tmp_path / "x.svg").write_text('<svg><title>t</title><image href="photo.jpg"/></svg>')
    assert picture_problems(tmp_path, "![A photo](x.svg)") and picture_problems(tmp_path, "![](y.png)")
    (tmp_path / "v.svg").write_text('<svg viewBox="0 0 640 230"><title>t</title></svg>')
    alt = "A drawing of four steps in a row, joined by arrows"
    assert picture_problems(tmp_path, f"![{alt}](v.svg)")
    for m in bundled:
        assert picture_problems(m.path.parent, m.body) == [], m.id
        assert IMAGE.findall(m.body), f"{m.id}: every lesson has at least one picture (issue 14)"
    credits = (REPO / "resources" / "illustrations" / "README.md").read_text(encoding="utf-8")
    for m in bundled:
        for _, src in IMAGE.findall(m.body):
            assert f"{m.id}/{src}" in credits, f"{m.id}/{src}: no licence and attribution entry"


IMAGE_TOPICS = {"image-sharing", "sextortion", "ai-images", "live-streaming"}


def test_take_home_sheets_about_images_name_report_remove(bundled):
    """A child reading the sheet at home needs the one route that takes their picture down."""
    for m in bundled:
        if m.meta.audience == "pupils" and IMAGE_TOPICS & set(m.meta.topics):
            assert "Report Remove" in handout_text(m), m.id


def promises_report_remove_for_fakes(text: str) -> list[str]:
    """Whether Report Remove covers a fake image is not in the sources: never promise it."""
    sentences = re.split(r"(?<=[.!?])\s+|\n-\s|\n\n", text)
    return [s[:80] for s in sentences if "Report Remove" in s and re.search(r"\bfake|\bai-made", s, re.IGNORECASE)
            and not re.search(r"whether|\breal\b", s, re.IGNORECASE)]


def test_no_lesson_promises_report_remove_takes_down_fake_images(bundled):
    assert promises_report_remove_for_fakes("If a fake of you is online, Report Remove can take it down.")
    assert promises_report_remove_for_fakes("If a real nude of you is online, Report Remove can help.") == []
    for m in bundled:
        assert promises_report_remove_for_fakes(m.body) == [], m.id
