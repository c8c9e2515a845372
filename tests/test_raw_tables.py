"""Tables a school types as HTML are fitted like Markdown tables (edukit.core.markdown.raw_tables):
each phone number in a `.phone` span that never breaks, the table in a `.table-fit` box whose
size validation reads. The raw HTML may be loose or hostile: it is read as a browser reads it,
left as typed when it is not one table, and the sanitiser still cleans the page afterwards.
(Printed and read back from PDFs: tests/test_tables_fit.py.)"""
from __future__ import annotations

import re

import markdown
import pytest

from edukit.core.markdown.raw_tables import parse_table
from edukit.core.markdown.tables import TableFitExtension
from edukit.core.sanitize import sanitize


def rendered(text: str) -> str:
    return sanitize(markdown.markdown(text, extensions=["tables", TableFitExtension()]))


def phones(html: str) -> list[str]:
    return re.findall(r'<span class="phone">([^<]*)</span>', html)


@pytest.mark.parametrize("table, numbers", [
    ("<table><tr><th>Who</th><th>Call</th></tr><tr><td>Childline</td><td>0800 1111</td></tr>"
     + "</table>", ["0800 1111"]),
    ("<TABLE><TR><TD>NSPCC on 0808 800 5000<TD><b>116 123</b></TABLE>",  # cells left open
     ["0808 800 5000", "116 123"]),
    ("<table>\n<tr><td>0800 1111</td></tr>\n\n<tr><td>x</td></tr>\n</table>", ["0800 1111"]),
    ('<div class="box">\n<table><tr><td>+44 (0)20 7946 0958</td></tr></table>\n</div>',
     ["+44 (0)20 7946 0958"]),
])
def test_a_table_typed_as_html_keeps_each_phone_number_whole(table, numbers):
    html = rendered(f"# Contacts\n\n{table}\n")
    assert phones(html) == numbers
    assert html.count('class="table-fit cols-') == 1


def test_the_cells_of_a_loose_table_are_read_as_a_browser_reads_them():
    table = parse_table("<table><tr><th>A<th>B<tr><td>1<td>2<td>3</table>")
    rows = [[cell.text for cell in row] for row in table.iter("tr")]
    assert rows == [["A", "B"], ["1", "2", "3"]]


@pytest.mark.parametrize("text", ["<table><tr><td>a</td></tr></table><p>after</p>",
                                  "before <table></table>", "<div>no table</div>"])
def test_text_that_is_not_one_table_is_left_as_typed(text):
    assert parse_table(text) is None


def test_a_hostile_table_is_still_cleaned():
    html = rendered('<table onclick="x()"><tr><td><script>alert(1)</script>0800 1111'
                    '<img src="https://evil.example/x.png" onerror="y()"></td></tr></table>\n')
    assert phones(html) == ["0800 1111"]
    for harm in ("onclick", "<script", "alert", "onerror", "evil.example"):
        assert harm not in html, harm


def test_a_markdown_table_gets_the_same_spans():
    html = rendered("| Who | Call |\n|---|---|\n| Childline | 0800 1111 |\n")
    assert phones(html) == ["0800 1111"]


def test_stray_end_tags_are_ignored_and_close_nothing():
    table = parse_table("<table><tr><td>a" + "</i></b>" * 500 + "<td>b</tr></table>")
    assert [[cell.text for cell in row] for row in table.iter("tr")] == [["a", "b"]]


def test_an_end_tag_closes_what_its_element_left_open():
    table = parse_table("<table><tr><td><b><i>0800 1111</b> after</td><td>x</td></tr></table>")
    bold = table.find(".//b")
    assert bold.find("i").text == "0800 1111" and bold.tail == " after"


@pytest.mark.parametrize("depth, fitted", [(90, True), (200, False), (5000, False)])
def test_a_table_nested_too_deep_is_left_as_typed(depth, fitted):
    table = "<table><tr><td>" + "<span>" * depth + "0800 1111" + "</span>" * depth + "</td></tr></table>"
    assert (parse_table(table) is not None) is fitted
