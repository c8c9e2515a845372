"""The reporting-route directory: content/routes/<region>.yaml, one verified list per region."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .model import AUDIENCES, Route
from .yaml_safe import read_yaml_file
YOUNGEST = "8-11"  # the pupil age band whose boxes use a route's `what_8_11` wording


@dataclass(frozen=True)
class RouteDirectory:
    region: str
    name: str
    routes: tuple[Route, ...]

    def for_audience(self, audience: str | None, ages: str | None = None) -> list[Route]:
        """The routes an audience's "Where to get help" box lists; for pupils aged 8-11, in the
        plainer words a route gives for them."""
        audience = audience if audience in AUDIENCES else "pupils"
        chosen = [r for r in self.routes if audience in r.audiences]
        if audience == "pupils" and ages == YOUNGEST:
            chosen = [replace(r, what=r.what_8_11) if r.what_8_11 else r for r in chosen]
        return chosen


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
        emergency=bool(item.get("emergency", False)),
        source=str(item.get("source", "")),
        verified=verified,
    )


def load_routes(path: Path) -> RouteDirectory:
    try:
        data = read_yaml_file(path)
    except (OSError, ValueError, yaml.YAMLError) as exc:  # ValueError: e.g. verified: 2026-13-45
        raise RouteError(path, f"cannot read route directory: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("routes"), list):
        raise RouteError(path, "a route directory needs 'region' and a list of 'routes'")
    routes = tuple(route_from(item, str(path)) for item in data["routes"])
    return RouteDirectory(str(data.get("region", path.stem)), str(data.get("name", "")), routes)


def find_routes(region: str, route_dirs: list[Path]) -> RouteDirectory | None:
    """The first route directory for the region in the given folders, later folders first."""
    for folder in reversed(route_dirs):
        path = folder / f"{region}.yaml"
        if path.is_file():
            return load_routes(path)
    return None
