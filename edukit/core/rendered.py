"""What rendering takes and gives: the context (school, helplines, slide fit) and a rendered view.

Apart from edukit.core.render so the app can show a kept render (edukit.core.render_cache)
without loading the renderer, Python-Markdown or the sanitiser before its first paint."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Module, School, Section, Slide

if TYPE_CHECKING:
    from .markdown.converter import Converter
    from .routes import RouteDirectory
    from .slide_fit import SlideFit

VIEWS = ("lesson", "guide", "handout", "worksheets", "slides")


@dataclass(frozen=True)
class RenderContext:
    """What rendering needs beyond the module: the school's details and the routes."""

    school: School = field(default_factory=School)
    routes: RouteDirectory | None = None
    routes_source: str = ""  # "Helplines: Anytown Council, pack 2026.3" (edukit.core.provenance)
    fit: SlideFit | None = None  # slides cut or shrunk to fit the screen (edukit.core.slide_fit)

    def converter(self, module: Module) -> Converter:
        # Python-Markdown and its extensions load on the first render, not with this module:
        # the app's first paint comes from a cached render (edukit.core.render_cache).
        from .markdown.converter import Converter

        def lookup(audience: str):
            return self.routes.for_audience(audience, module.meta.ages) if self.routes else []
        return Converter(self.school, lookup, module.meta.audience or "pupils",
                         self.routes_source)


@dataclass(frozen=True)
class Rendered:
    """A rendered view: a sanitised HTML fragment plus what the panes need."""

    module_id: str
    title: str
    view: str
    html: str
    sections: tuple[Section, ...] = ()
    slides: tuple[Slide, ...] = ()
