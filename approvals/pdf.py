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
        self.lines(0, 5.5, latin1(text))
        self.set_x(self.l_margin)
        self.ln(1.5)

    def items(self, texts, numbered=False):
        self.set_font("Helvetica", size=10.5)
        for index, text in enumerate(texts, start=1):
            marker = f"{index}." if numbered else "-"
            self.cell(8, 5.5, marker)
            self.lines(0, 5.5, latin1(text))
            self.set_x(self.l_margin)
            self.ln(1)

    def wrap(self, text, width):
        """`text`'s lines at the current (core) font, none wider than `width`: broken at spaces, a word longer than
        a line by characters, and at each newline, as multi_cell breaks them."""
        widths, scale = self.current_font.cw, self.font_size / 1000
        space = widths[" "] * scale
        lines = []
        for paragraph in text.split("\n"):
            line, used = [], 0.0
            for word in paragraph.split(" "):
                size = sum(widths[c] for c in word) * scale
                if line and used + space + size > width:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                while size > width:  # a word wider than a line: as much of it as fits, then the rest
                    cut, taken = 0, 0.0
                    while cut < len(word) - 1 and taken + widths[word[cut]] * scale <= width:
                        taken += widths[word[cut]] * scale
                        cut += 1
                    lines.append(word[: max(cut, 1)])
                    word = word[max(cut, 1) :]
                    size = sum(widths[c] for c in word) * scale
                used = size if not line else used + space + size
                line.append(word)
            lines.append(" ".join(line))
        return lines

    def lines(self, w, h, text):
        """multi_cell(w, h, text, align="L", new_x="LEFT", new_y="NEXT") for a core font, with the lines broken by
        `wrap` and drawn a cell each: fpdf2's multi_cell measures every character on its own, and was most of
        drawing an authority letter (issue 28). A page break between lines keeps the text's left edge."""
        x = self.x
        width = w or self.w - self.r_margin - x
        for line in self.wrap(text, width - 2 * self.c_margin):
            self.set_x(x)
            self.cell(width, h, line, align="L", new_x="LEFT", new_y="NEXT")

    def key_values(self, rows):
        """Label and value pairs, as a two-column table without headings: a 35/65 split of the page's width, the
        labels bold, a rule between rows, and a row never split across pages.

        Drawn here rather than with fpdf2's `table()`, which wraps every cell's text twice (once to size the row,
        once to draw it) and was two thirds of an approval's authority letter (issue 28). Each text is wrapped once;
        only a row that may not fit on the page is sized first."""
        pad, line = 1.5, 5.5
        margin, self.c_margin = self.c_margin, 0  # the padding stands in for the cell margin, as in fpdf2's tables
        label_w = self.epw * 35 / 100
        value_w = self.epw - label_w
        for number, (label, value) in enumerate(rows):
            label = latin1(label)
            value = latin1(value if value not in (None, "") else "Not given")
            if self._row_may_not_fit(((label, label_w, "B"), (value, value_w, "")), pad, line):
                self.add_page()
            top = self.y
            if number and self.page_break_trigger > top:  # a rule between rows, as the table drew them
                self.line(self.l_margin, top, self.l_margin + self.epw, top)
            bottom = top
            for text, x, width, style in (
                (label, self.l_margin, label_w, "B"),
                (value, self.l_margin + label_w, value_w, ""),
            ):
                self.set_font("Helvetica", style, 10)
                self.set_xy(x + pad, top + pad)
                self.lines(width - 2 * pad, line, text)
                bottom = max(bottom, self.y)
            self.set_xy(self.l_margin, bottom + pad)
        self.c_margin = margin
        self.set_font("Helvetica", size=10)
        self.ln(2)

    def _row_may_not_fit(self, cells, pad, line):
        """Whether a row of `cells` ((text, width, style), ...) may run past the page's end. Judged first from the
        text's width alone (generous: a wrapped line may waste up to a third of its width); only a row near the end
        of the page is wrapped to count its lines exactly."""
        room = self.page_break_trigger - self.y - 2 * pad
        if self.y <= self.t_margin + 0.01:
            return False  # already at the top of a page: a new page would not help
        estimate = 0
        for text, width, style in cells:
            self.set_font("Helvetica", style, 10)
            usable = width - 2 * pad
            estimate = max(estimate, int(self.get_string_width(text) / (usable * 2 / 3)) + 1 + text.count("\n"))
        if estimate * line <= room:
            return False
        exact = 0
        for text, width, style in cells:
            self.set_font("Helvetica", style, 10)
            exact = max(exact, len(self.wrap(text, width - 2 * pad)))
        return exact * line > room

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
