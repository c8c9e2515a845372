"""Contacts in lesson text that a reader could take for a helpline: phone numbers, email
addresses and helpline-looking links. Each one must be in the active route directory, or
validation warns (a lesson could otherwise send a child to a number nobody checked).

The rule (docs/authoring.md, "Helplines"):
- phone-like: UK numbers (0xxxx xxxxxx, +44 …, 0800 1111, 116 123), emergency and short codes
  (999, 112, 111, 101, 105, 119, 911) after a word like "call", "ring" or "phone",
  international numbers (+1 …, +353 …), North American ones (1-800-THE-LOST, 800-555-0199),
  text short codes ("text SHOUT to 85258"), and every `tel:` / `sms:` link;
- every email address (and `mailto:` link);
- an http(s) link whose host is not a directory host, when its host or its line names a
  helpline word (help, report, childline, police…) or the host contains a directory
  organisation's site name (childline, ceop, iwf…).
Dates, years, ages ("8-11"), counts ("1,665"), times and section numbers never match: a number
needs a leading 0, a +, a phone word before a short code, or the North American shape.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .routes import RouteDirectory

_NOT_BEFORE = r"(?<![\w+/.,:-])"
_NOT_AFTER = r"(?![\w/]|[-.,:]\d)"
# UK: 0 and 5 to 10 more digits in groups; +44 with an optional (0)
_UK = (_NOT_BEFORE + r"(?:\+44[ -]?(?:\(0\)[ -]?)?|\(?0)\d{1,4}\)?(?:[ -]?\d{2,4}){1,3}"
       + _NOT_AFTER)
# international: + and a country code, then groups
_INTERNATIONAL = r"(?<![\w+])\+(?!44)\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}" + _NOT_AFTER
# North American, digits or letters: 1-800-THE-LOST, (800) 555-0199, 800.555.0199
_NORTH_AMERICAN = (_NOT_BEFORE + r"(?:1[ .-]?)?\(?[2-9]\d{2}\)?[ .-]?[A-Z0-9]{3}[ .-][A-Z0-9]{4}"
                   r"\b(?<=[A-Z0-9])")
# 116 xxx harmonised numbers (six digits)
_HARMONISED = _NOT_BEFORE + r"116[ ]?\d{3}" + _NOT_AFTER
# tel:, sms: and callto: links: whatever they dial
_LINK = r"(?i:\b(?:tel|sms|callto):)(?P<link>[+\d()\s.-]{3,}\d|[+\dA-Za-z-]+)"
# short codes only after a phone word: "call 111", not "Room 101"
_SHORT = (r"(?i:\b(?:call|calling|ring|dial|phone|telephone|tel|contact|helpline|hotline|number|"
          r"text)\b)[^.\n\d]{0,30}?(?<![\d,.])\b(?P<short>999|112|111|101|105|119|911)\b(?![\d,])")
# text short codes: "text SHOUT to 85258"
_TEXT = r"(?i:\btext(?:ing)?\s+(?:[a-z]+\s+(?:to|on)\s+)?)(?P<text>\d{5,6})\b(?![,.]\d)"
NUMBER = re.compile(f"{_UK}|{_INTERNATIONAL}|{_NORTH_AMERICAN}|{_HARMONISED}")
PHONE_LINK, SHORT_CODE, TEXT_CODE = re.compile(_LINK), re.compile(_SHORT), re.compile(_TEXT)
PHONE_WORDS = ("call", "ring", "dial", "phone", "tel", "contact", "helpline", "hotline", "number",
               "text")
MIN_DIGITS, MAX_DIGITS = 6, 15
EMAIL = re.compile(r"(?i)(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+")
URL = re.compile(r"(?i)\bhttps?://[^\s<>()\"'\]]+")
HELP_WORDS = re.compile(r"(?i)help|hotline|report|childline|ceop|samaritan|nspcc|police|crisis|"
                        r"counsel|support|abuse|emergency|advice|talk|listen|chat|safe")


@dataclass(frozen=True)
class Contact:
    kind: str  # "phone number" | "email address" | "helpline link"
    text: str  # as written


def normal_number(text: str) -> str:
    """Digits and capital letters only, with +44 (0) written as 0: how numbers are compared."""
    value = text.strip().upper()
    if value.startswith("+44"):
        value = "0" + re.sub(r"^\+44\W*(?:\(0\))?", "", value)
    return re.sub(r"[^0-9A-Z]", "", value)


def host_of(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def site_name(host: str) -> str:
    """The name part of a host: 'childline' for childline.org.uk, 'ceop' for ceop.police.uk."""
    parts = [p for p in host.split(".") if p not in ("www", "org", "co", "uk", "com", "gov",
                                                    "net", "police", "nhs", "ac")]
    return parts[0] if parts else host


class Directory:
    """What the active route directory allows: its numbers, emails, hosts and site names."""

    def __init__(self, routes: RouteDirectory | None):
        route_list = routes.routes if routes else ()
        self.numbers = {normal_number(v) for r in route_list for v in (r.phone, r.text) if v}
        self.emails = {r.email.lower() for r in route_list if r.email}
        self.hosts = {host_of(r.url) for r in route_list if r.url}
        self.sites = {site_name(h) for h in self.hosts if len(site_name(h)) >= 3}

    def allows(self, contact: Contact) -> bool:
        if contact.kind == "phone number":
            return normal_number(contact.text) in self.numbers
        if contact.kind == "email address":
            return contact.text.lower() in self.emails
        return host_of(contact.text) in self.hosts

    def looks_like_helpline(self, url: str, line: str) -> bool:
        host = host_of(url)
        if not host or host in self.hosts:
            return False
        return bool(HELP_WORDS.search(host) or HELP_WORDS.search(line)
                    or any(site in host for site in self.sites))


def phone_numbers(line: str) -> list[str]:
    """Every phone-like number in a line of text, as written. Each pattern runs only on lines
    that hold what it needs (digits, a phone word, a link scheme): substring tests are ~50x
    cheaper than a regex pass, which keeps a 1 MB lesson's check near 0.2 s."""
    found: list[tuple[int, str]] = []
    lower = line.lower()
    if sum(line.count(d) for d in "0123456789") >= 3:
        found += [(m.start(), m.group(0)) for m in NUMBER.finditer(line)
                  if MIN_DIGITS <= len(normal_number(m.group(0))) <= MAX_DIGITS]
        if any(word in lower for word in PHONE_WORDS):
            found += [(m.start(1), m.group(1)) for m in SHORT_CODE.finditer(line)]
        if "text" in lower:
            found += [(m.start(1), m.group(1)) for m in TEXT_CODE.finditer(line)]
    if ":" in line and ("tel:" in lower or "sms:" in lower or "callto:" in lower):
        found += [(m.start(1), m.group(1).strip()) for m in PHONE_LINK.finditer(line)]
    return [text for _, text in sorted(dict(found).items())]


def contacts_in(line: str, directory: Directory) -> list[Contact]:
    """The helpline-looking contacts in one line of lesson text."""
    found = [Contact("phone number", n) for n in phone_numbers(line)]
    if "@" in line:
        found += [Contact("email address", e) for e in EMAIL.findall(line)]
    if "://" in line:
        found += [Contact("helpline link", u.rstrip(".,;:!?")) for u in URL.findall(line)
                  if directory.looks_like_helpline(u, line)]
    return found


def unknown_contacts(line: str, directory: Directory) -> list[Contact]:
    """The contacts in a line that the route directory does not list."""
    return [c for c in contacts_in(line, directory) if not directory.allows(c)]
