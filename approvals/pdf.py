"""A4 PDFs drawn with fpdf2 from structured content: the authority letter and the periodic return.

fpdf2 is pure Python (already used for the FOI response letters), so no system library is needed on any
machine. The PDF core fonts cover Latin-1 only: typographic punctuation becomes its plain equivalent and
any other character outside Latin-1 a "?".
"""

from fpdf import FPDF
from fpdf.fonts import FontFace

_PLAIN = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-"})


def latin1(text):
    return str(text).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class MarkedPdf(FPDF):
    """A page with the protective marking centred in its header and footer, the footer also naming the document
    and the page."""

    def __init__(self, marking, footer_text, title, author):
        super().__init__(format="A4")
        self.marking, self.footer_text = latin1(marking), latin1(footer_text)
        self.set_title(latin1(title))
        self.set_author(latin1(author))
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(True, margin=22)
        self.add_page()

    def header(self):
        self.set_y(8)
        self.set_font("Helvetica", "B", 10)
        self.cell(0, 6, self.marking, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_y(22)

    def footer(self):
        self.set_y(-16)
        self.set_font("Helvetica", size=8)
        self.cell(
            0, 4, f"{self.footer_text} - page {self.page_no()} of {{nb}}", align="C", new_x="LMARGIN", new_y="NEXT"
        )
        self.set_font("Helvetica", "B", 10)
        self.cell(0, 6, self.marking, align="C")

    def title_block(self, text):
        self.set_font("Helvetica", "B", 16)
        self.multi_cell(0, 8, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def heading(self, text):
        self.ln(3)
        self.set_font("Helvetica", "B", 13)
        self.multi_cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def para(self, text, bold=False):
        self.set_font("Helvetica", "B" if bold else "", 10.5)
        self.multi_cell(0, 5.5, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def items(self, texts, numbered=False):
        self.set_font("Helvetica", size=10.5)
        for index, text in enumerate(texts, start=1):
            marker = f"{index}." if numbered else "-"
            self.cell(8, 5.5, marker)
            self.multi_cell(0, 5.5, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")
            self.ln(1)

    def key_values(self, rows):
        """Label and value pairs, as a two-column table without headings."""
        self.set_font("Helvetica", size=10)
        with self.table(
            col_widths=(35, 65),
            first_row_as_headings=False,
            text_align="LEFT",
            borders_layout="HORIZONTAL_LINES",
            line_height=5.5,
            padding=1.5,
        ) as table:
            for label, value in rows:
                row = table.row()
                row.cell(latin1(label), style=FontFace(emphasis="BOLD"))
                row.cell(latin1(value if value not in (None, "") else "Not given"))
        self.ln(2)

    def grid(self, headings, rows, col_widths=None):
        """A table with a heading row (repeated on each page it runs onto)."""
        self.set_font("Helvetica", size=9)
        with self.table(
            col_widths=col_widths,
            headings_style=FontFace(emphasis="BOLD"),
            text_align="LEFT",
            borders_layout="HORIZONTAL_LINES",
            line_height=5,
            padding=1.2,
        ) as table:
            heading = table.row()
            for text in headings:
                heading.cell(latin1(text))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(latin1(value))
        self.ln(2)

    def bytes(self):
        return bytes(self.output())
