"""`{{ school.name }}`-style placeholders filled from the school details, with fallbacks."""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor

from ..escape import markdown_literal
from ..model import School, school_value
from .placeholder_names import PLACEHOLDER, placeholder_key  # noqa: F401  (validate imports it here)

SENTENCE_END = re.compile(r"(?:^|[.!?:]\s*[\"'“‘(*_]*|^[\"'“‘(*_]+)\s*$")
PLACEHOLDER_PATTERN = r"\{\{\s*([\w.]+)\s*\}\}"


def starts_sentence(before: str) -> bool:
    """Whether a placeholder after this text begins a sentence, so a fallback ("your school")
    needs a capital letter: nothing before it in the paragraph, or a full stop, question mark,
    exclamation mark or colon (and perhaps an opening quote or emphasis)."""
    return bool(SENTENCE_END.search(before))


class PlaceholderProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, school: School):
        super().__init__(pattern, md)
        self.school = school

    def handleMatch(self, m: re.Match, data: str):
        key = placeholder_key(m.group(1))
        if key is None:
            return None, None, None  # left as written; validation reports it
        el = etree.Element("span", {"class": "school-" + key.replace("_", "-")})
        value = school_value(self.school, key)
        if not getattr(self.school, key, "") and starts_sentence(data[:m.start(0)]):
            value = value[:1].upper() + value[1:]  # "Your Designated Safeguarding Lead can help."
        el.text = markdown_literal(value)  # details are text, not Markdown
        return el, m.start(0), m.end(0)


class PlaceholderExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"school": [School(), "School details used to fill placeholders"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        processor = PlaceholderProcessor(PLACEHOLDER_PATTERN, md, self.getConfig("school"))
        md.inlinePatterns.register(processor, "school_placeholder", 175)


def makeExtension(**kwargs) -> PlaceholderExtension:
    return PlaceholderExtension(**kwargs)
