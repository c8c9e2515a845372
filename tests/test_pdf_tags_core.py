"""core/pdf_tags/ on small PDFs made here: tags only where both prints agree exactly, and an
untagged PDF (with the reason) wherever they do not."""
from __future__ import annotations

import io

import pikepdf
import pytest
from pdf_structure import elements

from edukit.core.pdf_tags import Element, tagged_or_untagged

PAGE = [Element("body", -1), Element("h1", 0), Element("p", 0), Element("strong", 2)]
HEADING, PARAGRAPH, BOLD = "0.0039 0 0.0078 rg", "0.0039 0 0.0118 rg", "0.0039 0 0.0157 rg"
FOOTER = "0.0078 0 0.0039 rg"  # the running header and footer's colour


def pdf(content: str, picture: bool = False) -> bytes:
    """One page drawing `content` with a Helvetica font /F1 (and a 1x1 picture /Im1)."""
    doc = pikepdf.new()
    doc.add_blank_page()
    page = doc.pages[0]
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                              BaseFont=pikepdf.Name.Helvetica)
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    if picture:
        image = pikepdf.Stream(doc, b"\xff\x00\x00", Type=pikepdf.Name.XObject,
                               Subtype=pikepdf.Name.Image, Width=1, Height=1,
                               ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8)
        page.Resources.XObject = pikepdf.Dictionary(Im1=image)
    page.Contents = doc.make_stream(content.encode())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def page_text(heading: str, paragraph: str, bold: str, footer: str = FOOTER) -> str:
    return (f"0 0 0 rg BT /F1 20 Tf 72 700 Td {heading} (Title) Tj ET "
            f"BT /F1 12 Tf 72 650 Td {paragraph} (Some ) Tj {bold} (bold) Tj "
            f"{paragraph} ( text) Tj ET 0.8 0.8 0.8 rg 72 600 200 1 re f "
            f"BT /F1 8 Tf 72 30 Td {footer} (Page 1 of 1) Tj ET")


PRINTED = page_text("0 0 0 rg", "0 0 0 rg", "0 0 0 rg", "0.3 0.3 0.3 rg")
CODED = page_text(HEADING, PARAGRAPH, BOLD)


def test_text_is_tagged_by_the_element_its_colour_names():
    tagged, why = tagged_or_untagged(pdf(PRINTED), pdf(CODED), PAGE)
    assert why == ""
    doc = pikepdf.open(io.BytesIO(tagged))
    assert bool(doc.Root.MarkInfo.Marked)
    assert [kind for kind, _ in elements(doc)] == ["Document", "H1", "P"]
    ops = [(str(op), [str(x) for x in operands][:1])
           for operands, op in pikepdf.parse_content_stream(doc.pages[0])]
    marks = [operands[0] for op, operands in ops if op in ("BDC", "BMC")]
    # the bold word stays inside its paragraph's sequence; the rule and the footer are artifacts
    assert marks == ["/H1", "/P", "/Artifact", "/Artifact"]


def test_the_printed_pdf_is_drawn_exactly_as_before():
    tagged, _ = tagged_or_untagged(pdf(PRINTED), pdf(CODED), PAGE)

    def drawn(data: bytes) -> list[tuple[str, str]]:
        doc = pikepdf.open(io.BytesIO(data))
        return [(str(op), str(list(operands)))
                for operands, op in pikepdf.parse_content_stream(doc.pages[0])
                if str(op) not in ("BDC", "BMC", "EMC")]
    assert drawn(tagged) == drawn(pdf(PRINTED))


def test_text_in_no_elements_colour_leaves_the_pdf_untagged():
    printed = pdf(PRINTED)
    for coded in (page_text(HEADING, PARAGRAPH, "0.5 0 0 rg"),  # not a code
                  page_text(HEADING, PARAGRAPH, "0.0039 0.9 0.9 rg"),  # past the last element
                  page_text(HEADING, PARAGRAPH, BOLD, "0 0 0 rg")):  # footer not coded
        out, why = tagged_or_untagged(printed, pdf(coded), PAGE)
        assert out == printed and "colour no element has" in why


def test_prints_that_draw_differently_leave_the_pdf_untagged():
    printed = pdf(PRINTED)
    moved = pdf(CODED.replace("72 650 Td", "72 640 Td"))
    more = pdf(CODED + f" BT /F1 8 Tf 72 20 Td {FOOTER} (extra) Tj ET")
    for coded in (moved, more):
        out, why = tagged_or_untagged(printed, coded, PAGE)
        assert out == printed and "draw differently" in why


PICTURE = "q 100 0 0 50 72 400 cm /Im1 Do Q "


def test_a_picture_only_the_first_print_draws_is_a_figure_with_its_alt_text():
    page = [*PAGE, Element("img", 0, "A child talking to a teacher", (1, 1))]
    printed = pdf(PRINTED.replace("0.8 0.8 0.8 rg", PICTURE + "0.8 0.8 0.8 rg"), picture=True)
    tagged, why = tagged_or_untagged(printed, pdf(CODED, picture=True), page)
    assert why == ""
    doc = pikepdf.open(io.BytesIO(tagged))
    figures = [str(e.Alt) for kind, e in elements(doc) if kind == "Figure"]
    assert figures == ["A child talking to a teacher"]


def test_a_decorative_picture_is_an_artifact_and_a_picture_with_no_img_untags():
    printed = pdf(PRINTED.replace("0.8 0.8 0.8 rg", PICTURE + "0.8 0.8 0.8 rg"), picture=True)
    decorative = [*PAGE, Element("img", 0, "", (1, 1))]
    tagged, why = tagged_or_untagged(printed, pdf(CODED, picture=True), decorative)
    assert why == "" and "Figure" not in [k for k, _ in elements(pikepdf.open(
        io.BytesIO(tagged)))]
    out, why = tagged_or_untagged(printed, pdf(CODED, picture=True), PAGE)
    assert out == printed and "pictures" in why


@pytest.mark.parametrize("first, second", [
    ("q P Q BT a ET BT b ET", "BT a ET BT b ET"),  # a picture first
    ("BT a ET q P Q BT b ET", "BT a ET BT b ET"),  # between text
    ("BT a ET BT b ET q P Q", "BT a ET BT b ET"),  # last
    ("BT a ET q P Q BT b ET q R Q BT c ET", "BT a ET BT b ET BT c ET"),  # two pictures
    ("q P Q q P Q BT a ET", "q P Q BT a ET"),  # the same picture twice, one kept: a repeat
    ("BT a ET q P Q BT a ET", "BT a ET BT a ET"),  # between two equal texts
])
def test_pictures_are_found_in_the_middle_only_as_over_the_whole_page(first, second):
    """Only what lies between the prints' common start and end is compared (the compare grows
    with the square of its input): the pictures found are the ones a compare of the whole
    page finds."""
    from difflib import SequenceMatcher

    from edukit.core.pdf_tags.prints import picture_runs, whole_run

    names = first.split()
    a_keys, b_keys = [(n, b"") for n in names], [(n, b"") for n in second.split()]
    index = list(range(len(names)))
    whole = [whole_run(names, index, a_keys, i1, i2, 0) for tag, i1, i2, _, _
             in SequenceMatcher(None, a_keys, b_keys, autojunk=False).get_opcodes()
             if tag == "delete"]
    found = picture_runs(names, index, a_keys, b_keys, 0)
    assert found == whole and found
    kept = [key for n, key in enumerate(a_keys) if not any(i1 <= n < i2 for i1, i2 in found)]
    assert kept == b_keys
