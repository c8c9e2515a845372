"""The reporting-route directory: content/routes/<region>.yaml, one verified list per region."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import AUDIENCES, Route

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class RouteDirectory:
    region: str
    name: str
    routes: tuple[Route, ...]

    def for_audience(self, audience: str | None) -> list[Route]:
        audience = audience if audience in AUDIENCES else "pupils"
        return [r for r in self.routes if audience in r.audiences]


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
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
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
