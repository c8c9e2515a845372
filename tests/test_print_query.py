"""The print page's query (edukit:…/print?…) carries the print options there and back."""
from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from edukit.core.printing import PER_PAGE, PrintOptions, options_from_query, print_query


@pytest.mark.parametrize("options", [
    PrintOptions(),
    PrintOptions(kind="guide", paper="letter"),
    PrintOptions(kind="nup", per_page=6, large_print=True),
    *(PrintOptions(kind="nup", per_page=n) for n in PER_PAGE),
    PrintOptions(kind="slides", paper="letter", large_print=True),
])
def test_options_survive_the_query(options):
    assert options_from_query(dict(parse_qsl(print_query(options)))) == options


@pytest.mark.parametrize("query", [{}, {"per_page": "two"}, {"per_page": "-3"}, {"large": "yes"}])
def test_a_missing_or_garbled_query_gives_the_default_handout(query):
    assert options_from_query(query) == PrintOptions()
