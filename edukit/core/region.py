"""Which route directory a lesson's helplines come from. One rule, used by the app, PDF and HTML
export, PowerPoint, the website and validate alike (docs/authoring.md, "Which helplines print"):

1. the region the school chose in Settings > School details, if a route directory for it is
   installed (bundled, or in a pack): the children reading the handout live there;
2. else the lesson's own front-matter `region` (which is `uk` when it names none).

A school that chose no region ("") gets each lesson's own, as before the setting existed.
A region chosen but not installed (its pack removed, school.json edited) is never silent: the
app shows school_region_problem() in its status bar and Settings, export and validate print it.
"""
from __future__ import annotations

from .library import Library
from .model import Module, School
from .rendered import RenderContext


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


def school_region_problem(library: Library, school: School) -> str:
    """One plain sentence when the school's region has no route directory installed (rule 1
    cannot apply), naming what prints instead; "" when there is nothing to say."""
    if not school.region or library.routes(school.region) is not None:
        return ""
    region = school.region if len(school.region) <= 40 else school.region[:39] + "\u2026"
    return (f"The school's helpline region '{region}' (Settings > School details) is not "
            "installed: each lesson prints the helplines of its own region (usually UK).")
