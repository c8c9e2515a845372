"""Which route directory a lesson's helplines come from. One rule, used by the app, PDF and HTML
export, PowerPoint, the website and validate alike (docs/authoring.md, "Which helplines print"):

1. the region the school chose in Settings > School details, if a route directory for it is
   installed (bundled, or in a pack): the children reading the handout live there;
2. else the lesson's own front-matter `region` (which is `uk` when it names none).

A school that chose no region ("") gets each lesson's own, as before the setting existed.
"""
from __future__ import annotations

from .library import Library
from .model import Module, School
from .render import RenderContext


def region_for(library: Library, module: Module, school: School) -> str:
    """The region whose helplines this lesson prints for this school (the rule above)."""
    if school.region and library.routes(school.region) is not None:
        return school.region
    return module.meta.region


def render_context(library: Library, module: Module, school: School) -> RenderContext:
    """What rendering a lesson needs beyond its text: the school and the routes that apply."""
    region = region_for(library, module, school)
    routes = library.routes(region)
    return RenderContext(school, routes, library.routes_source(routes, region))


def regions_in_use(library: Library, modules: list[Module], school: School) -> list[str]:
    """The regions these lessons print helplines from, each once, sorted."""
    return sorted({region_for(library, m, school) for m in modules})
