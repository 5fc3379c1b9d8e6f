"""The PDFs' own line breaking (approvals.pdf): it stands in for fpdf2's multi_cell, so it must keep every word, in
order, and never draw a line wider than its cell, as multi_cell does."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from approvals.pdf import MarkedPdf

TEXT = (
    "Authority is given under section 26 of the Police Act 1996 for North Yorkshire Police to provide the assistance "
    "described below.\nA second paragraph, after a newline, with a-very-long-address@an-overseas-police-service.example"
)


@pytest.fixture
def pdf():
    page = MarkedPdf("OFFICIAL", "footer", "title", "author")
    page.set_font("Helvetica", size=10.5)
    return page


@pytest.mark.parametrize("width", [12, 30, 60, 170])
def test_wrapped_lines_keep_every_word_in_order_and_fit_their_width(pdf, width):
    lines = pdf.wrap(TEXT, width)
    assert all(pdf.get_string_width(line) <= width + 1e-6 for line in lines)
    assert "".join("".join(lines).split()) == "".join(TEXT.split())
    assert len(lines) >= TEXT.count("\n") + 1


def test_a_word_wider_than_the_line_is_broken_and_a_newline_starts_a_line(pdf):
    lines = pdf.wrap("short\nabcdefghijklmnopqrstuvwxyz", pdf.get_string_width("abcdefgh"))
    assert lines[0] == "short"
    assert "".join(lines[1:]) == "abcdefghijklmnopqrstuvwxyz" and len(lines) >= 4


def test_the_same_lines_as_multi_cell(pdf):
    width = 80
    ours = pdf.wrap(TEXT, width - 2 * pdf.c_margin)
    theirs = pdf.multi_cell(width, 5.5, TEXT, align="L", dry_run=True, output="LINES")
    assert ours == [line.rstrip() for line in theirs]


def test_key_values_rows_are_never_split_across_pages(pdf):
    rows = [(f"Label {i}", " ".join(["word"] * (i % 40 + 1)) + f" END{i}") for i in range(120)]
    pdf.key_values(rows)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf.bytes())).pages]
    assert len(pages) > 1
    for i in range(120):
        holding = [n for n, text in enumerate(pages) if f"Label {i} " in text]
        assert len(holding) == 1 and f"END{i} " in pages[holding[0]] + " "
