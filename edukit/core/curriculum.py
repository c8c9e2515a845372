"""The curriculum frameworks a lesson's front matter can place it in (`curriculum:`), with the
names their own documents use, so `edukit validate` catches a misspelt strand and the library
can list lessons by strand.

The names are those of /work/shared/reference/lesson-packs.md: the RSHE subjects of the
statutory guidance for England (Relationships Education at primary, Relationships and Sex
Education at secondary, Health Education at both) and the eight strands of UKCIS's Education
for a Connected World.
"""
from __future__ import annotations

FRAMEWORKS = {
    "rshe": ("Relationships Education", "Relationships and Sex Education", "Health Education"),
    "connected_world": (
        "Self-image and identity", "Online relationships", "Online reputation", "Online bullying",
        "Managing online information", "Health, well-being and lifestyle", "Privacy and security",
        "Copyright and ownership",
    ),
}
LABELS = {"rshe": "RSHE", "connected_world": "Education for a Connected World"}


def fold(name: str) -> str:
    """A name compared loosely: case, spaces, hyphens and commas do not matter."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def canonical(framework: str, name: str) -> str | None:
    """The framework's own spelling of a strand name, or None if it has no such strand."""
    return FOLDED[framework].get(fold(name))



def by_folded_name(names: tuple[str, ...]) -> dict[str, str]:
    """A framework's names by their folded form, the first spelling kept."""
    found: dict[str, str] = {}
    for known in names:
        found.setdefault(fold(known), known)
    return found


# Folded once, not for every strand of every lesson the library reads at start-up.
FOLDED = {framework: by_folded_name(names) for framework, names in FRAMEWORKS.items()}
