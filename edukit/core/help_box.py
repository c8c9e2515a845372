"""Which handouts carry the pupils' "Where to get help" box.

Every lesson written for edukit does (bundled, packs, the user's own), unless its front matter
says `handout_routes: false`. A file written for another tool (no front matter, or Marp,
Quarto, Pandoc or Carpentries keys in it) carries it when it is about safety or asks for it:
`handout_routes: true`, an audience or topics, or words about safety, abuse or reporting in its
title, summary or text. One that is none of these (a git tutorial for adults) prints without
it, and `validate` says so every time, so a safeguarding lesson never loses its box silently.
A lesson's own `::: routes` block always draws one.
"""
from __future__ import annotations

import re

from .model import Module

# Words that make a lesson "about safety" (whole words, any case). Erring towards the box: a
# lesson that mentions any of them prints it.
SAFETY_WORDS = re.compile(
    r"\b(safe(ty|guarding)|e-?safety|abused?|abusive|bull(y|ies|ied|ying)|cyberbull\w*|"
    r"groom(s|ed|er|ers|ing)?|sextortion|nudes?|semi-nudes?|exploit(ation|ed)|harass(ment|ed)?|"
    r"self-harm|suicid\w*|helplines?|childline|ceop|nspcc|trusted adults?|strangers?|"
    r"online risks?|deepfakes?|consent|predators?|blackmail\w*|sexting|worr(y|ied|ies))\b",
    re.IGNORECASE)


def help_box_reason(module: Module) -> str | None:
    """Why this lesson's handout carries the help box, or None when it does not."""
    meta = module.meta
    if module.origin == "bundled":
        return "a bundled lesson"
    if meta.handout_routes is not None:
        return "handout_routes: true" if meta.handout_routes else None
    if not meta.foreign:
        return "a lesson written for edukit"
    if meta.audience or meta.topics:
        return "its audience or topics"
    for text in (meta.title, meta.summary, module.body):
        if m := SAFETY_WORDS.search(text):
            return f"it mentions '{m.group(0)}'"
    return None


def wants_help_box(module: Module) -> bool:
    return help_box_reason(module) is not None
