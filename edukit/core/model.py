"""The plain data edukit works with: modules, their metadata, sections, slides, routes, problems."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .options import MODULE_KINDS, RESOURCE_KINDS  # noqa: F401  (named here as ever)

AUDIENCES = ("pupils", "staff", "parents")
AGE_BANDS = ("8-11", "11-14", "14-16")


class EdukitWarning(UserWarning):
    """A warning edukit raises about its own state; tests treat these as errors."""


class ContentError(Exception):
    """Content that cannot be rendered at all (too large, not text)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, reported as `path:line: severity: message`."""

    path: str
    line: int
    severity: str  # "error" | "warning"
    message: str
    # A warning about helplines (an unknown number, a route file not bundled): the app shows it
    # with the errors, as a child could be sent to the wrong place.
    helpline: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True)
class Source:
    """A source a lesson cites: its title and web address."""

    title: str
    url: str


@dataclass(frozen=True)
class Meta:
    """Front matter, typed. Absent optional values are None or empty tuples."""

    id: str
    title: str
    summary: str = ""
    audience: str | None = None
    ages: str | None = None
    key_stage: str | None = None
    duration: int | None = None  # minutes; with a range ("50-60"), the longest
    duration_min: int | None = None  # the shortest, when the duration is a range
    topics: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    reviewed: dt.date | None = None
    review_months: int = 12
    region: str = "uk"
    handout_routes: bool | None = None  # None: printed when the lesson is about safety
    marp: bool = False
    # curriculum framework -> strand names, e.g. (("connected_world", ("Online bullying",)),)
    curriculum: tuple[tuple[str, tuple[str, ...]], ...] = ()
    slide_size: str | None = None  # Marp's `size` ("16:9", "4:3"): slides keep that shape
    subtitle: str = ""  # the title slide's lines (Pandoc, Quarto): subtitle, author, date
    author: str = ""
    date: str = ""
    title_from: str = "front matter"  # or "heading" / "file name" (a file with no title)
    foreign: bool = False  # no front matter, or another tool's keys in it (Marp, Quarto, ...)
    kind: str = "lesson"  # one of MODULE_KINDS

    @property
    def is_resource(self) -> bool:
        return self.kind != "lesson"

    def duration_text(self) -> str:
        """"50-60" for a range, "50" for exact minutes, "" for none."""
        if not self.duration:
            return ""
        if self.duration_min and self.duration_min < self.duration:
            return f"{self.duration_min}-{self.duration}"
        return str(self.duration)

    def review_due_on(self) -> dt.date | None:
        if self.reviewed is None:
            return None
        month = self.reviewed.month - 1 + self.review_months
        year, month = self.reviewed.year + month // 12, month % 12 + 1
        day = min(self.reviewed.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
        if year > dt.MAXYEAR:  # e.g. reviewed: 9999-12-31
            return dt.date.max
        return dt.date(year, month, day)

    def review_status(self, today: dt.date | None = None) -> str:
        """'ok', 'review due' or 'not reviewed'."""
        due = self.review_due_on()
        if due is None:
            return "not reviewed"
        return "review due" if (today or dt.date.today()) >= due else "ok"


@dataclass(frozen=True)
class Module:
    """A lesson module found on disk: its metadata and where its text lives."""

    meta: Meta
    path: Path  # the Markdown file
    origin: str  # "bundled" | "user" | "extra" | "file"
    body: str = field(repr=False, default="")
    body_line: int = 1  # line number of the body's first line in the file
    problems: tuple[Problem, ...] = ()
    shadows: Path | None = None  # the bundled module this one hides, if any
    loaded: bool = True  # False: the file could not be read, or was refused (too big)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def strict(self) -> bool:
        """Bundled content must carry the full front matter."""
        return self.origin == "bundled"


@dataclass(frozen=True)
class Section:
    """A heading in a rendered page, for the contents pane."""

    id: str
    title: str
    level: int


@dataclass(frozen=True)
class Slide:
    """One slide: what the audience sees and what only the presenter sees."""

    index: int
    title: str
    html: str
    notes_html: str = ""
    safeguarding_html: str = ""
    classes: str = ""  # "fit-small": set in smaller type to fit (edukit.core.slide_fit)
    part: int = 0  # 0: the slide as written; n: its n-th continuation (edukit.core.slide_fit)


@dataclass(frozen=True)
class Route:
    """One reporting route from content/routes/<region>.yaml."""

    id: str
    name: str
    audiences: tuple[str, ...]
    what: str
    organisation: str = ""
    what_8_11: str = ""  # the same, in words for ages 8-11 (their boxes use it when given)
    who: str = ""
    phone: str = ""
    text: str = ""
    url: str = ""
    email: str = ""
    hours: str = ""
    ages: str = ""
    anonymity: str = ""
    anonymity_8_11: str = ""  # the same, in words for ages 8-11
    bands: tuple[str, ...] = ()  # pupil age bands whose boxes show it (empty: every band)
    emergency: bool = False
    source: str = ""
    verified: dt.date | None = None


@dataclass(frozen=True)
class School:
    """School details that fill `{{ school.* }}` placeholders and handout contacts."""

    name: str = ""
    dsl_name: str = ""
    dsl_contact: str = ""
    deputy_dsl_name: str = ""
    online_safety_lead: str = ""
    region: str = ""  # whose helplines print: "" = each lesson's own (edukit.core.region)
    phone: str = ""  # the school office: on parents' paper beside the DSL
    lado: str = ""  # Local Authority Designated Officer (allegations about staff): staff paper
    social_care: str = ""  # children's social care / MASH, daytime: staff paper
    social_care_out_of_hours: str = ""  # the emergency duty team: staff paper
    logo: str = ""  # path of a PNG or JPEG, top of printed handouts and guides (core.logo)


SCHOOL_FALLBACKS = {
    "name": "your school",
    "dsl_name": "your Designated Safeguarding Lead",
    "dsl_contact": "the school office",
    "deputy_dsl_name": "the Deputy Designated Safeguarding Lead",
    "online_safety_lead": "your school's online safety lead",
    "phone": "the school office",
    "lado": "the Local Authority Designated Officer (LADO)",
    "social_care": "your local children's social care (MASH) team",
    "social_care_out_of_hours": "the out-of-hours children's social care team",
}


def school_value(school: School, key: str) -> str:
    """The school's value for a placeholder key, or its plain-English fallback."""
    return getattr(school, key, "") or SCHOOL_FALLBACKS[key]
