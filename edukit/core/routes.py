"""The reporting-route directory: content/routes/<region>.yaml, one verified list per region."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import yaml_cache
from .model import AGE_BANDS, AUDIENCES, Route
from .paths import content_dir
from .yaml_cache import read_yaml_file

YOUNGEST = "8-11"  # the pupil age band whose boxes use a route's `what_8_11` wording


CONTACT_FIELDS = ("phone", "text", "url", "email")  # what a handout sends a reader to

# A route's `ages`, worded as the reference sheet words them, read as the youngest and oldest age
# it serves: "Under 19" is up to 18, "Over 13" from 14. Other wording ("Images taken under 18")
# is not about the reader's age and sets no limit.
AGE_WORDS = (
    (re.compile(r"under (\d{1,2})", re.IGNORECASE), lambda n: (0, n - 1)),
    (re.compile(r"up to (\d{1,2})", re.IGNORECASE), lambda n: (0, n)),
    (re.compile(r"over (\d{1,2})", re.IGNORECASE), lambda n: (n + 1, 99)),
)


def age_limits(ages: str) -> tuple[int, int] | None:
    """The youngest and oldest age a route's `ages` text allows, or None if it states none."""
    for pattern, limits in AGE_WORDS:
        found = pattern.fullmatch(ages.strip())
        if found:
            return limits(int(found.group(1)))
    return None


def band_limits(band: str) -> tuple[int, int]:
    low, high = band.rstrip("+").split("-")
    return int(low), int(high)


def serves_band(route: Route, band: str | None) -> bool:
    """Whether a pupil box for this age band shows the route: its stated ages reach into the
    band, and it has not been kept to older bands (`bands`, for services written for older
    people, such as one for under-25s, that a box for 8-year-olds leaves out)."""
    if band not in AGE_BANDS:
        return True  # no band (or one edukit does not know): every pupil route
    if route.bands and band not in route.bands:
        return False
    limits = age_limits(route.ages)
    if limits is None:
        return True
    low, high = band_limits(band)
    return limits[0] <= high and limits[1] >= low


def in_young_words(route: Route) -> Route:
    """The route as a box for ages 8-11 shows it: its plainer words where it gives them."""
    return replace(route, what=route.what_8_11 or route.what,
                   anonymity=route.anonymity_8_11 or route.anonymity)


@dataclass(frozen=True)
class RouteDirectory:
    """A region's reporting routes, from one route file."""

    region: str
    name: str
    routes: tuple[Route, ...]
    path: str = ""
    origin: str = "bundled"  # or the content root it came from: "user", "extra", a pack...

    def contacts(self) -> list[str]:
        """Every phone number, text number, URL and email address in the directory."""
        return [value for r in self.routes for value in route_contacts(r).values()]

    def for_audience(self, audience: str | None, ages: str | None = None) -> list[Route]:
        """The routes an audience's "Where to get help" box lists: for pupils, only those that
        serve the lesson's age band, and for ages 8-11 in the plainer words a route gives."""
        audience = audience if audience in AUDIENCES else "pupils"
        chosen = [r for r in self.routes if audience in r.audiences]
        if audience != "pupils":
            return chosen
        chosen = [r for r in chosen if serves_band(r, ages)]
        return [in_young_words(r) for r in chosen] if ages == YOUNGEST else chosen


class RouteError(ValueError):
    """A route file that cannot be used."""

    def __init__(self, path: Path | str, message: str):
        super().__init__(f"{path}: {message}")
        self.path, self.message = str(path), message


def route_from(item: dict, where: str) -> Route:
    if not isinstance(item, dict) or not item.get("id") or not item.get("name"):
        raise RouteError(where, "each route needs an 'id' and a 'name'")
    verified = item.get("verified")
    if verified is not None and not isinstance(verified, dt.date):
        raise RouteError(where, f"route '{item['id']}' verified must be a date")
    audiences = item.get("for") or []
    bands = item.get("bands") or []
    if not isinstance(bands, list) or any(str(b) not in AGE_BANDS for b in bands):
        raise RouteError(where, f"route '{item['id']}' bands must be a list of "
                                f"{', '.join(AGE_BANDS)}")
    return Route(
        id=str(item["id"]),
        name=str(item["name"]),
        audiences=tuple(str(a) for a in audiences),
        what=str(item.get("what", "")).strip(),
        what_8_11=str(item.get("what_8_11", "")).strip(),
        organisation=str(item.get("organisation", "")),
        who=str(item.get("who", "")).strip(),
        phone=str(item.get("phone", "")),
        text=str(item.get("text", "")),
        url=str(item.get("url", "")),
        email=str(item.get("email", "")),
        hours=str(item.get("hours", "")),
        ages=str(item.get("ages", "")),
        anonymity=str(item.get("anonymity", "")).strip(),
        anonymity_8_11=str(item.get("anonymity_8_11", "")).strip(),
        bands=tuple(str(b) for b in bands),
        emergency=bool(item.get("emergency", False)),
        source=str(item.get("source", "")),
        verified=verified,
    )


def load_routes(path: Path) -> RouteDirectory:
    try:
        data = read_yaml_file(path)
    except (OSError, ValueError, yaml_cache.YAMLError) as exc:  # ValueError: e.g. verified: 2026-13-45
        raise RouteError(path, f"cannot read route directory: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("routes"), list):
        raise RouteError(path, "a route directory needs 'region' and a list of 'routes'")
    routes = tuple(route_from(item, str(path)) for item in data["routes"])
    return RouteDirectory(str(data.get("region", path.stem)), str(data.get("name", "")), routes,
                          str(path))


def bundled_routes(region: str) -> RouteDirectory | None:
    """The route directory shipped with edukit for a region (None if none, or unusable)."""
    path = content_dir() / "routes" / f"{region}.yaml"
    try:
        return load_routes(path) if path.is_file() else None
    except RouteError:
        return None


def route_contacts(route: Route) -> dict[str, str]:
    return {f: getattr(route, f) for f in CONTACT_FIELDS if getattr(route, f)}


def contacts_text(route: Route) -> str:
    found = route_contacts(route)
    return ", ".join(f"{f} {v}" for f, v in found.items()) or "no contact details"


def route_changes(bundled: RouteDirectory | None, other: RouteDirectory) -> list[str]:
    """How a route directory's contacts differ from the bundled one's, in plain words: routes
    added and removed, numbers, URLs and emails changed, audiences whose box gains or loses one."""
    old = {r.id: r for r in bundled.routes} if bundled else {}
    new = {r.id: r for r in other.routes}
    changes = [f"adds {r.name} ({contacts_text(r)})" for i, r in new.items() if i not in old]
    changes += [f"removes {r.name} ({contacts_text(r)})" for i, r in old.items() if i not in new]
    for rid in [i for i in new if i in old]:
        before, after = old[rid], new[rid]
        for f in CONTACT_FIELDS:
            if getattr(before, f) != getattr(after, f):
                changes.append(f"changes {before.name} {f} from {getattr(before, f) or 'none'} "
                               f"to {getattr(after, f) or 'none'}")
        for audience in sorted(set(before.audiences) - set(after.audiences)):
            changes.append(f"takes {before.name} off the {audience}' box")
        for audience in sorted(set(after.audiences) - set(before.audiences)):
            changes.append(f"puts {after.name} in the {audience}' box")
    return changes


MAX_CHANGES_SAID = 20  # a route file of thousands of routes gets one readable line
ORIGIN_WORDS = {"user": "in your edukit data folder", "extra": "in a --content folder",
                "file": "beside a lesson", "pack": "in an unsigned pack"}


def not_bundled_warning(directory: RouteDirectory) -> str:
    """What a warning about a route file from outside edukit says: where it is from, whose
    helplines it replaces and every contact that differs from the bundled directory."""
    region = Path(directory.path).stem if directory.path else directory.region
    bundled = bundled_routes(region)
    where = ORIGIN_WORDS.get(directory.origin, "not bundled")
    verb = "replaces edukit's" if bundled else "sets the"
    changes = route_changes(bundled, directory)
    detail = "; ".join(changes[:MAX_CHANGES_SAID]) or "its contacts are the same as the bundled ones"
    if len(changes) > MAX_CHANGES_SAID:
        detail += f"; and {len(changes) - MAX_CHANGES_SAID} more changes"
    return f"route file {directory.path} ({where}) is not bundled with edukit and {verb} " \
           f"helplines for region '{region}' on every handout: {detail}"


REGION_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")  # routes/<region>.yaml: no '/', no '..'


def find_routes(region: str, route_dirs: list[Path]) -> RouteDirectory | None:
    """The first route directory for the region in the given folders, later folders first.
    A region that is no file name (a school.json edited to '../x', or too long for the disk)
    has none: it could otherwise reach a file outside the folders, trusted as theirs."""
    if not REGION_NAME.match(region):
        return None
    for folder in reversed(route_dirs):
        path = folder / f"{region}.yaml"
        if path.is_file():
            return load_routes(path)
    return None
