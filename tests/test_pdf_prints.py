"""The finished PDF kept for a reprint (core/pdf_prints.py) is matched to a print by every byte
but the two dates Chromium writes into its document information at the start of the file, and
written out with the new print's dates and a new /ID; anything that is not exactly so (a date
elsewhere, twice, of another length, no /ID, a PDF too big) is not kept or not used. The module
needs no pikepdf: a reprint written from it loads none."""
from __future__ import annotations

import subprocess
import sys

import pytest

from edukit.core import pdf_prints
from edukit.core.pdf_prints import (
    KeptPdf,
    dates_of,
    keep_finished,
    print_digest,
    reprinted,
    with_dates,
)
from edukit.core.render_cache import RenderCache

ONE, TWO = b"D:20261201020322+00'00'", b"D:20261201031544+00'00'"
ID = b"/ID [<" + b"e9" * 16 + b"><" + b"e9" * 16 + b">]"


def first_print(created: bytes = ONE, modified: bytes = ONE, body: bytes = b"BT (Childline) Tj ET"
                ) -> bytes:
    """A print as Chromium writes it: its document information first, no /ID."""
    return (b"%PDF-1.4\n%\xd3\xeb\xe9\xe1\n1 0 obj\n<</Creator (Chromium)\n"
            b"/Producer (Skia/PDF m140)\n/CreationDate (" + created + b")\n/ModDate ("
            + modified + b")>>\nendobj\n2 0 obj\n<</Length 20>> stream\n" + body
            + b"\nendstream\nendobj\ntrailer\n<</Size 3 /Info 1 0 R>>\n%%EOF\n")


def finished(dates: tuple[bytes, bytes] = (ONE, ONE)) -> bytes:
    """A finished PDF as pikepdf writes it: the dates kept, the /ID in its trailer."""
    return (b"%PDF-1.4\n1 0 obj\n<< /Lang (en-GB) >>\nendobj\n2 0 obj\n<< /CreationDate ("
            + dates[0] + b") /ModDate (" + dates[1] + b") /Title (Who can I tell?) >>\nendobj\n"
            + b"% structure tree\n" * 100 + b"trailer << /Info 2 0 R /Root 1 0 R " + ID
            + b" >>\nstartxref\n9\n%%EOF\n")


def test_two_prints_a_minute_apart_have_one_digest_and_a_byte_elsewhere_another():
    assert print_digest(first_print()) == print_digest(first_print(TWO, TWO)) is not None
    assert print_digest(first_print(ONE, TWO)) == print_digest(first_print())
    for other in (first_print(body=b"BT (Childlime) Tj ET"),
                  first_print().replace(b"m140", b"m141"), first_print() + b" "):
        assert print_digest(other) not in (None, print_digest(first_print()))


@pytest.mark.parametrize("moved", ["after the first object", "past the first KB", "twice",
                                   "no ModDate", "not a date"])
def test_dates_anywhere_but_the_info_object_at_the_start_are_not_taken(moved):
    """Only the document information object at the start has its dates blanked: a print whose
    dates are elsewhere (or doubtful) is never matched."""
    pdf = {
        "after the first object": b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n" + first_print()[9:],
        "past the first KB": b"%PDF-1.4\n%" + b"x" * 1024 + b"\n" + first_print()[9:],
        "twice": first_print().replace(b"/Creator", b"/CreationDate (" + ONE + b")\n/Creator"),
        "no ModDate": first_print().replace(b"/ModDate", b"/NotDate"),
        "not a date": first_print(created=b"D:2026120102032Z"),
    }[moved]
    assert dates_of(pdf) is None and print_digest(pdf) is None


def test_the_kept_pdf_gets_the_new_dates_and_a_new_id():
    new = with_dates(finished(), (ONE, ONE), (TWO, ONE))
    assert b"/CreationDate (" + TWO + b")" in new and b"/ModDate (" + ONE + b")" in new
    fresh = new[new.index(b"/ID [<") + 6:][:32]
    assert ID not in new and new.count(fresh) == 2  # two alike, as qpdf writes them anew
    assert new.replace(TWO, ONE).replace(fresh, b"e9" * 16) == finished()  # nothing else


@pytest.mark.parametrize("doubt", ["another length", "not the kept dates", "a date twice",
                                   "no /ID", "the /ID not at the end"])
def test_a_kept_pdf_whose_dates_or_id_cannot_be_put_right_is_not_used(doubt):
    pdf, old, new = finished(), (ONE, ONE), (TWO, TWO)
    if doubt == "another length":
        new = (b"D:20261201031544Z", TWO)
    elif doubt == "not the kept dates":
        old = (TWO, ONE)
    elif doubt == "a date twice":
        pdf = pdf.replace(b"% structure tree", b"/ModDate (" + ONE + b")", 1)
    elif doubt == "no /ID":
        pdf = pdf.replace(ID, b"")
    else:
        pdf = pdf.replace(b"% structure tree\n", b"", 1).replace(b"% structure tree", ID, 1)
        pdf = pdf.replace(b"/Root 1 0 R " + ID, b"/Root 1 0 R")
    assert with_dates(pdf, old, new) is None


def test_a_reprint_is_written_only_for_the_same_print_and_finishing(tmp_path):
    cache = RenderCache(tmp_path)
    keep_finished(cache, "k" * 64, first_print(), "finish", finished())
    kept = pdf_prints.kept_pdf(cache, "k" * 64)
    assert kept is not None and kept.dates == (ONE, ONE)
    again = reprinted(kept, first_print(TWO, TWO), "finish")
    assert again is not None and again.count(TWO) == 2 and ONE not in again
    assert reprinted(kept, first_print(TWO, TWO), "other headings") is None
    assert reprinted(kept, first_print(TWO, TWO, b"BT (Childlime) Tj ET"), "finish") is None


def test_what_a_reprint_could_not_use_is_not_kept(tmp_path, monkeypatch):
    cache = RenderCache(tmp_path)
    keep_finished(cache, "a" * 64, first_print(), "f", finished().replace(ID, b""))
    keep_finished(cache, "b" * 64, first_print().replace(b"/ModDate", b"/NotDate"), "f",
                  finished())
    monkeypatch.setattr(pdf_prints, "MAX_KEPT_PDF_BYTES", len(finished()) - 1)
    keep_finished(cache, "c" * 64, first_print(), "f", finished())
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(pdf_prints, "MAX_KEPT_PDF_BYTES", len(finished()))  # the control
    keep_finished(cache, "c" * 64, first_print(), "f", finished())
    assert isinstance(pdf_prints.kept_pdf(cache, "c" * 64), KeptPdf)


def test_the_module_loads_no_pikepdf():
    code = ("import sys, edukit.core.pdf_prints, edukit.core.render_cache\n"
            "print('pikepdf' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
