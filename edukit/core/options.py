"""The output vocabulary and the one options object for printed output, in one place: which
kinds of paper and file there are, the paper sizes, slides per page, and how print options travel
in an `edukit:` print page's query. The command line, the print preview, the PDF maker, the
render worker, the website and PowerPoint export all take them from here. (The page margins
depend on the kind: edukit.core.printing.page_margins, used by the print CSS and the PDF layout.)
"""
from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass

# What a module is: a lesson (the default) or one of the papers a safeguarding lead prints
# around lessons (issue 15). Each resource prints as one page with the school's details.
# (Here, not in core/model.py, so the command line reads its options without the model.)
RESOURCE_KINDS = ("letter", "flowchart", "form", "quiz", "plan")
MODULE_KINDS = ("lesson", *RESOURCE_KINDS)

KIND_LABELS = {  # the print kinds, as the print preview and a PDF's Subject name them
    "handout": "Handout",
    "worksheets": "Activities and worksheets for the class",
    "guide": "Teacher guide",
    "notes": "Notes pages (slide and notes)",
    "slides": "Slides, one per page",
    "nup": "Slide handout with lines for notes",
    "parents": "Leaflet for parents and carers",
    "letter": "Letter home before the lesson",
    "plan": "Lesson plan (one page)",
    "register": "Attendance register (staff training)",
    "certificate": "Certificates of completion (staff training)",
}
KINDS = tuple(KIND_LABELS)
# A resource module (front matter `kind:`) prints as itself: named by its kind, at its top and
# in the print preview; a quiz's trainer copy adds ANSWER_KEY.
RESOURCE_LABELS = {"letter": "Letter", "flowchart": "Flowchart", "form": "Form",
                   "quiz": "Knowledge check", "plan": "Lesson plan"}
ANSWER_KEY = " (answer key)"
# read by the teacher, never handed to a family (a certificate prints no review date)
STAFF_KINDS = ("guide", "notes", "plan", "register", "certificate")
TRAINING_KINDS = ("register", "certificate")  # made from staff modules only
HTML_KINDS = ("handout", "guide", "slides", "parents", "worksheets",  # what `--format html` writes
              "letter", "plan", "register", "certificate")
EXPORT_KINDS = (*KINDS, "pptx")  # what `edukit export --as` offers: the print kinds and a deck
FORMATS = ("pdf", "html", "site")  # what `edukit export --format` writes
PER_PAGE = (2, 3, 4, 6)  # slides per page of an n-up handout
PAPER = {"a4": "A4", "letter": "Letter"}  # paper names: as typed, as a person (and CSS) reads


def print_kinds(module_kind: str, audience: str) -> dict[str, str]:
    """The print kinds that apply to a module, with the names a person reads: a resource
    prints as itself (a quiz also as its answer key); a lesson every way the CLI allows, so
    register and certificates for staff training only, leaflet and letter home never for it."""
    if module_kind in RESOURCE_LABELS:
        name = RESOURCE_LABELS[module_kind]
        return {"handout": name, **({"guide": name + ANSWER_KEY} if module_kind == "quiz" else {})}
    left_out = ("parents", "letter") if audience == "staff" else TRAINING_KINDS
    return {kind: label for kind, label in KIND_LABELS.items() if kind not in left_out}


def export_kinds(module_kind: str, audience: str) -> dict[str, str]:
    """What `edukit export --as` offers a module: the kinds its print dialog offers
    (print_kinds, the one rule), and a PowerPoint deck wherever slides apply."""
    kinds = print_kinds(module_kind, audience)
    return {**kinds, "pptx": "PowerPoint deck"} if "slides" in kinds else kinds


AUDIENCE_NOUNS = {"pupils": "a pupil lesson", "staff": "a staff module",
                  "parents": "a module for parents"}


def module_noun(module_kind: str, audience: str | None) -> str:
    """What a module is, as a refusal names it: 'a flowchart', 'a staff module'."""
    if module_kind in RESOURCE_LABELS:
        name = RESOURCE_LABELS[module_kind].lower()
        return ("an " if name[0] in "aeiou" else "a ") + name
    return AUDIENCE_NOUNS.get(audience or "", "a lesson")


def kinds_offered_text(module_kind: str, audience: str) -> str:
    """'--as handout (Flowchart)', '--as handout, guide, ...': the kinds a module offers, each with the name it prints
    under where that is not the kind's usual name."""
    kinds = export_kinds(module_kind, audience)
    return "--as " + ", ".join(kind if KIND_LABELS.get(kind, label) == label
                               else f"{kind} ({label})" for kind, label in kinds.items())


@dataclass(frozen=True)
class PrintOptions:
    """How to lay out a module on paper."""

    kind: str = "handout"  # one of KINDS
    paper: str = "a4"  # a key of PAPER
    per_page: int = 3  # one of PER_PAGE (n-up only)
    large_print: bool = False
    names: tuple[str, ...] = ()  # certificates: one per name (typed by a person: untrusted)

    @property
    def landscape(self) -> bool:
        return self.kind == "slides"

    def query(self) -> str:
        """The options as the query of an `edukit:` print page (read back by from_query)."""
        query = (f"kind={self.kind}&paper={self.paper}&per_page={self.per_page}"
                 f"&large={int(self.large_print)}")
        if self.names:  # base64url of the names: nothing in them can change the query
            query += "&names=" + base64.urlsafe_b64encode("\n".join(self.names).encode()).decode()
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> PrintOptions:
        """Options from a print page's query; what is missing or garbled takes its default."""
        per_page = query.get("per_page", "3")
        return cls(kind=query.get("kind", "handout"), paper=query.get("paper", "a4"),
                   per_page=int(per_page) if per_page.isdigit() else 3,
                   large_print=query.get("large") == "1",
                   names=names_from_query(query.get("names", "")))


def names_from_query(value: str) -> tuple[str, ...]:
    """The certificate names carried in a print query; garbled text gives none."""
    try:
        text = base64.urlsafe_b64decode(value.encode()).decode("utf-8")
    except (ValueError, UnicodeError):
        return ()
    return tuple(name for name in text.split("\n") if name)


def print_query(options: PrintOptions) -> str:
    return options.query()


def options_from_query(query: Mapping[str, str]) -> PrintOptions:
    return PrintOptions.from_query(query)

