"""YAML front matter → Meta, with every problem carrying its file and line."""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Collection
from dataclasses import replace
from typing import Any

from . import yaml_cache
from .curriculum import FRAMEWORKS, canonical
from .model import AGE_BANDS, AUDIENCES, MODULE_KINDS, Meta, Problem, Source
from .text import BIDI_CONTROLS


@functools.cache
def front_matter_loader() -> type:
    """The safe loader, except that an impossible date stays text (reported at its own key).
    Made on first use: PyYAML loads only when a text was not parsed on an earlier run."""
    from .yaml_safe import SafeLoader

    class FrontMatterLoader(SafeLoader):
        pass

    def construct_timestamp(loader, node) -> object:
        try:
            return loader.construct_yaml_timestamp(node)
        except ValueError:  # e.g. 2026-13-45: matches YAML's date pattern but is no date
            return loader.construct_scalar(node)

    FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return FrontMatterLoader

MAX_FRONT_MATTER = 64 * 1024  # characters of YAML (the largest bundled: about 2,000)
MAX_TITLE = 150  # the longest bundled title is 49 characters
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
AGES = re.compile(r"^\d{1,2}-\d{1,2}\+?$")
MINUTES_RANGE = re.compile(
    r"^(\d{1,3})(?:\s*(?:-|\u2013|to)\s*(\d{1,3}))?(?:\s*min(?:ute)?s?)?$", re.IGNORECASE)
MAX_MINUTES = 600
KEY_STAGES = ("KS1", "KS2", "KS3", "KS4", "KS5")
KNOWN_KEYS = {
    "id", "title", "summary", "audience", "ages", "key_stage", "duration", "topics",
    "objectives", "vocabulary", "sources", "reviewed", "review_months", "region",
    "handout_routes", "teaching", "exercises", "curriculum", "kind",
}
# Keys other tools put in front matter (Marp, Pandoc/Quarto, Carpentries): ignored silently.
FOREIGN_KEYS = {
    "marp", "theme", "paginate", "class", "size", "header", "footer", "backgroundColor",
    "backgroundImage", "color", "math", "style", "headingDivider", "author", "date", "subtitle",
    "format", "lang", "keywords", "description", "questions", "keypoints", "output", "layout",
}
BUNDLED_REQUIRED = ("summary", "audience", "duration", "topics", "objectives", "sources", "reviewed",
                    "curriculum")
# Keys that say a file was written for another tool (edukit's own files carry none of them).
TOOL_KEYS = (FOREIGN_KEYS | {"teaching", "exercises"}) - {"title"}
# A letter, form or flowchart is read, not taught: no duration, topics or objectives.
RESOURCE_REQUIRED = ("summary", "audience", "sources", "reviewed")


def split_front_matter(text: str, path: str) -> tuple[str | None, str, int, list[Problem]]:
    """Split text into (yaml text or None, body, body's first line number, problems)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1, []
    for n, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:n]), "\n".join(lines[n + 1:]), n + 2, []
    problem = Problem(path, 1, "error", "front matter opened with '---' on line 1 is never closed")
    return None, "\n".join(lines[1:]), 2, [problem]


def load_yaml(source: str, path: str, first_line: int) -> tuple[Any, dict[str, int], list[Problem]]:
    """Parse YAML safely; return (data, line of each top-level key, problems). A text parsed
    cleanly on an earlier run of the app is not parsed again (edukit.core.yaml_cache)."""
    if len(source) > MAX_FRONT_MATTER:
        return None, {}, [Problem(path, first_line, "error", f"front matter is {len(source):,} "
                                  f"characters; it is limited to {MAX_FRONT_MATTER:,}")]
    problems: list[Problem] = []

    def parse() -> tuple[list, bool]:
        data, key_lines, found = parse_yaml(source, path)
        problems.extend(found)
        return [data, key_lines], not found
    data, key_lines = yaml_cache.cached("front", source, parse)
    lines = {key: first_line + line for key, line in key_lines.items()}
    return data, lines, [replace(p, line=first_line + p.line) for p in problems]


def parse_yaml(source: str, path: str) -> tuple[Any, dict[str, int], list[Problem]]:
    """load_yaml's parse: lines counted from 0 (the text's first line)."""
    import yaml

    from .yaml_safe import YamlTooLarge, load_node

    loader = front_matter_loader()(source)
    try:
        node, data = load_node(loader)
    except YamlTooLarge as exc:
        return None, {}, [Problem(path, exc.line or 0, "error",
                                  f"front matter refused: {exc.problem}")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, {}, [Problem(path, mark.line if mark else 0, "error",
                                  f"invalid YAML: {exc.problem or exc}")]
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        return None, {}, [Problem(path, 0, "error", f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    key_lines: dict[str, int] = {}
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key, line = str(key_node.value), key_node.start_mark.line
            if key in key_lines:
                problems.append(Problem(path, line, "error", f"duplicate key '{key}'"))
            key_lines[key] = line
    return data, key_lines, problems


class MetaReader:
    """Reads and checks one front-matter mapping, collecting problems as it goes."""

    def __init__(self, data: dict, key_lines: dict[str, int], path: str, first_line: int):
        self.data, self.key_lines, self.path, self.first_line = data, key_lines, path, first_line
        self.problems: list[Problem] = []

    def report(self, key: str | None, message: str, severity: str = "error") -> None:
        line = self.key_lines.get(key, 1) if key else 1  # missing keys: the opening '---'
        self.problems.append(Problem(self.path, line, severity, message))

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return self.visible(key, str(value).strip())
        self.report(key, f"'{key}' must be text, not {type_name(value)}")
        return None

    def visible(self, key: str, value: str) -> str:
        """The text without text-direction controls (YAML's "\\u202e" escapes make them too)."""
        if not BIDI_CONTROLS.search(value):
            return value
        self.report(key, f"invisible text-direction controls removed from '{key}' (they make "
                         "text show differently from what it says)", "warning")
        return BIDI_CONTROLS.sub("", value)

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(key, f"'{key}' must be a whole number, not {type_name(value)}")
            return None
        if not low <= value <= high:
            self.report(key, f"'{key}' must be between {low} and {high}, not {value}")
            return None
        return value

    def minutes(self, key: str) -> tuple[int | None, int | None]:
        """(shortest, longest) minutes: `duration: 50` gives (None, 50), `duration: 50-60`
        (a realistic range rather than an exact sum) gives (50, 60)."""
        value = self.data.get(key)
        if not isinstance(value, str):
            return None, self.integer(key, 1, MAX_MINUTES)
        found = MINUTES_RANGE.match(value.strip())
        if not found:
            self.report(key, f"'{key}' must be minutes, like 50, or a range, like 50-60, "
                             f"not '{value}'")
            return None, None
        low, high = int(found.group(1)), int(found.group(2) or found.group(1))
        if not 1 <= low <= high <= MAX_MINUTES:
            self.report(key, f"'{key}' range {low}-{high} must go from the shorter to the longer "
                             f"time, between 1 and {MAX_MINUTES} minutes")
            return None, None
        return (low if low < high else None), high

    def curriculum(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The lesson's place in the curriculum frameworks edukit knows (core.curriculum)."""
        value = self.data.get("curriculum")
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.report("curriculum", "'curriculum' must be a mapping like "
                                      "'connected_world: [Online bullying]'")
            return ()
        found = []
        for framework, names in value.items():
            framework = str(framework)
            if framework not in FRAMEWORKS:
                self.report("curriculum", f"unknown curriculum framework '{framework}' (use "
                                          f"{', '.join(FRAMEWORKS)})", "warning")
                continue
            names = [names] if isinstance(names, str) else names
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                self.report("curriculum", f"curriculum '{framework}' must be a list of names")
                continue
            known = []
            for name in names:
                spelled = canonical(framework, name)
                if spelled is None:
                    self.report("curriculum", f"unknown {framework} name '{name}' (use "
                                              f"{'; '.join(FRAMEWORKS[framework])})")
                elif spelled not in known:
                    known.append(spelled)
            found.append((framework, tuple(known)))
        return tuple(found)

    def flag(self, key: str, default: bool | None) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.report(key, f"'{key}' must be true or false")
            return default
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            self.report(key, f"'{key}' must be a list of text items")
            return ()
        return tuple(self.visible(key, str(v).strip()) for v in value)

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        if isinstance(value, dt.datetime):
            return value.date()
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.report(key, f"'{key}' must be a date like 2026-09-01, not '{value}'")
            return None

    def sources(self) -> tuple[Source, ...]:
        value = self.data.get("sources")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.report("sources", "'sources' must be a list of {title, url}")
            return ()
        found = []
        for item in value:
            if not (isinstance(item, dict) and isinstance(item.get("url"), str)):
                self.report("sources", "each source needs a 'title' and a 'url'")
                continue
            url = item["url"].strip()
            if not url.startswith(("https://", "http://")):
                self.report("sources", f"source url must start with https:// : '{url}'")
            found.append(Source(str(item.get("title") or url).strip(), url))
        return tuple(found)


def authors(value: Any) -> str:
    """Pandoc's and Quarto's `author`: a name, a list of names, or of {name: ...} mappings."""
    items = value if isinstance(value, list) else [value]
    names = [str(a.get("name", "")) if isinstance(a, dict) else str(a) for a in items
             if isinstance(a, (str, int, float, dict)) and not isinstance(a, bool)]
    return BIDI_CONTROLS.sub("", ", ".join(n.strip() for n in names if n.strip()))[:MAX_TITLE]


def date_text(value: Any) -> str:
    """Pandoc's and Quarto's `date` as shown on the title slide: a date or any text
    ("today", "Spring term")."""
    if isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool):
        return BIDI_CONTROLS.sub("", str(value).strip())[:MAX_TITLE]
    return ""


def type_name(value: object) -> str:
    names = {dict: "a mapping", list: "a list", bool: "true/false", str: "text", bytes: "binary data"}
    return names.get(type(value), type(value).__name__)


def read_meta(
    data: Any,
    key_lines: dict[str, int],
    path: str,
    first_line: int,
    default_id: str,
    strict: bool = False,
    topics: Collection[str] | None = None,
    readable: bool = True,
) -> tuple[Meta, list[Problem]]:
    """Check a parsed front-matter value and build Meta; problems never stop it.

    readable=False means the front matter itself was broken (already reported), so keys
    missing from it are not reported again.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        bad = Problem(path, first_line, "error",
                      f"front matter must be 'key: value' lines, not {type_name(data)}")
        return Meta(id=default_id, title=default_id), [bad]
    r = MetaReader(data, key_lines, path, first_line)
    for key in data:
        if str(key) not in KNOWN_KEYS | FOREIGN_KEYS:
            r.report(str(key), f"unknown front matter key '{key}'", "warning")

    module_id = r.text("id") or default_id
    if "id" in data and not SLUG.match(module_id):
        r.report("id", f"id '{module_id}' must be lower-case letters, digits and dashes "
                       f"(using '{default_id}')")
        module_id = default_id  # an id names files on export: '../x' or 'a/b' must never reach one
    reported = len(r.problems)
    title = r.text("title")
    if not title and readable and strict and len(r.problems) == reported:  # reported once
        r.report("title" if "title" in data else None, "missing required key 'title'")
    if title and len(title) > MAX_TITLE:
        r.report("title", f"title is {len(title):,} characters; the library, the window and "
                          f"printed headers show about the first 60 (keep it under {MAX_TITLE})",
                 "warning")
    audience = r.text("audience")
    if audience is not None and audience not in AUDIENCES:
        r.report("audience", f"unknown audience '{audience}' (use {', '.join(AUDIENCES)})")
        audience = None
    ages = r.text("ages")
    if ages is not None and not (ages in AGE_BANDS if strict else AGES.match(ages)):
        r.report("ages", f"ages '{ages}' must be one of {', '.join(AGE_BANDS)}")
    key_stage = r.text("key_stage")
    if key_stage is not None and key_stage not in KEY_STAGES:
        r.report("key_stage", f"key_stage '{key_stage}' must be one of {', '.join(KEY_STAGES)}")
    duration_min, duration = r.minutes("duration")
    if duration is None and ("teaching" in data or "exercises" in data):
        duration = (r.integer("teaching", 0, 600) or 0) + (r.integer("exercises", 0, 600) or 0)
    region = r.text("region") or "uk"
    if not SLUG.match(region):  # it names a file, routes/<region>.yaml: no '../', no '/'
        r.report("region", f"region '{region}' must be lower-case letters, digits and dashes "
                           "(using 'uk')")
        region = "uk"
    kind = r.text("kind") or "lesson"
    if kind not in MODULE_KINDS:
        r.report("kind", f"unknown kind '{kind}' (use {', '.join(MODULE_KINDS)})")
        kind = "lesson"
    module_topics = r.text_list("topics")
    if topics is not None:
        for topic in module_topics:
            if topic not in topics:
                r.report("topics", f"unknown topic '{topic}' (see content/topics.yaml)")
    meta = Meta(
        id=module_id,
        title=title or default_id,
        summary=r.text("summary") or "",
        audience=audience,
        ages=ages,
        key_stage=key_stage,
        duration=duration,
        duration_min=duration_min,
        topics=module_topics,
        objectives=r.text_list("objectives"),
        vocabulary=r.text_list("vocabulary"),
        sources=r.sources(),
        reviewed=r.date("reviewed"),
        review_months=r.integer("review_months", 1, 120) or 12,
        region=region,
        handout_routes=r.flag("handout_routes", None),
        marp=data.get("marp") is True,
        curriculum=r.curriculum(),
        slide_size=str(data["size"]).strip() if data.get("size") is not None else None,
        subtitle=r.text("subtitle") or "",
        author=authors(data.get("author")),
        date=date_text(data.get("date")),
        foreign=not data or any(str(k) in TOOL_KEYS for k in data),
        kind=kind,
    )
    if strict and readable:
        for key in RESOURCE_REQUIRED if meta.is_resource else BUNDLED_REQUIRED:
            if key not in data and not (key == "duration" and meta.duration):
                r.report(None, f"missing required key '{key}' (bundled modules need it)")
        if audience == "pupils" and not ages:
            r.report(None, "missing required key 'ages' (pupil modules need an age band)")
        frameworks = dict(meta.curriculum)
        if "curriculum" in data and not frameworks.get("connected_world"):
            r.report("curriculum", "curriculum needs its Education for a Connected World strands "
                                   "(connected_world)")
        if "curriculum" in data and audience == "pupils" and not frameworks.get("rshe"):
            r.report("curriculum", "a pupil lesson's curriculum needs its RSHE subject (rshe)")
        phase = {"8-11": "Relationships and Sex Education"}.get(ages or "",
                                                              "Relationships Education")
        if audience == "pupils" and phase in frameworks.get("rshe", ()):
            r.report("curriculum", f"'{phase}' is not taught at ages {ages} (primary schools "
                                   "teach Relationships Education, secondary schools "
                                   "Relationships and Sex Education)")
    return meta, r.problems
