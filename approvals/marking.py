"""Protective marking (issue 25 section 4): the Government Security Classification every request and document
carries, and what each output does with it.

The service is accredited for OFFICIAL information only, which includes its OFFICIAL-SENSITIVE handling caveat.
A request is OFFICIAL unless its lead marks it OFFICIAL-SENSITIVE; a sensitive request (security bodies,
counter-terrorism) is never less than OFFICIAL-SENSITIVE. A document declared SECRET or TOP SECRET is refused:
it must never be held here. Pages show the marking in a banner at the top and bottom, exports and generated PDFs
carry it, and emails about an OFFICIAL-SENSITIVE request carry no detail of it, only a link to the case.
"""

OFFICIAL = "OFFICIAL"
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
MARKINGS = (OFFICIAL, OFFICIAL_SENSITIVE)  # lowest first
CHOICES = (
    (OFFICIAL, "OFFICIAL"),
    (OFFICIAL_SENSITIVE, "OFFICIAL-SENSITIVE"),
)
# Classifications above OFFICIAL: the service is not accredited for them, so nothing so marked may be stored.
NOT_ACCREDITED = ("SECRET", "TOP SECRET", "TOP-SECRET")

NOT_ACCREDITED_MESSAGE = (
    "This service is not accredited for SECRET or TOP SECRET material: do not upload it here. "
    "Ask your force's information security officer how to send it"
)
CHOOSE_MESSAGE = "Select the protective marking: OFFICIAL or OFFICIAL-SENSITIVE"
SENSITIVE_FLOOR_MESSAGE = "A sensitive request is marked OFFICIAL-SENSITIVE"

# What stands in an email for a detail of an OFFICIAL-SENSITIVE request: the reader follows the link to the case.
# The email values that describe a request's substance (the reference, force, gate and dates are not detail).
WITHHELD_IN_EMAIL = "Not shown in email (OFFICIAL-SENSITIVE): sign in to read it"
EMAIL_PLACEHOLDERS = {
    "title": "OFFICIAL-SENSITIVE",
    "country": "destination not shown",
    "questions": WITHHELD_IN_EMAIL,
    "question": WITHHELD_IN_EMAIL,
    "answer": WITHHELD_IN_EMAIL,
    "reasons": WITHHELD_IN_EMAIL,
    "note": WITHHELD_IN_EMAIL,
}
EMAIL_DETAIL_KEYS = tuple(EMAIL_PLACEHOLDERS)


def normalise(value):
    """'official-sensitive ' -> 'OFFICIAL-SENSITIVE'; anything that is not text -> None."""
    if not isinstance(value, str):
        return None
    return " ".join(value.replace("_", "-").split()).upper()


def is_not_accredited(value):
    text = normalise(value)
    return text is not None and text.replace(" ", "-") in {m.replace(" ", "-") for m in NOT_ACCREDITED}


def error(value, sensitive=False, required=True):
    """Why `value` cannot be a marking here (None when it can). SECRET and above get their own message."""
    if value is None or value == "":
        return CHOOSE_MESSAGE if required else None
    if is_not_accredited(value):
        return NOT_ACCREDITED_MESSAGE
    if value not in MARKINGS:
        return CHOOSE_MESSAGE
    if sensitive and value == OFFICIAL:
        return SENSITIVE_FLOOR_MESSAGE
    return None


def default_for(sensitive):
    return OFFICIAL_SENSITIVE if sensitive else OFFICIAL


def higher(a, b):
    return a if MARKINGS.index(a) >= MARKINGS.index(b) else b


def marking_of(request):
    """The marking a request's pages, exports, letters and emails carry: the one it was given, and never less than
    OFFICIAL-SENSITIVE for a sensitive request (whatever was stored before it was flagged)."""
    stored = normalise(getattr(request, "marking", None))
    stored = stored if stored in MARKINGS else OFFICIAL
    return higher(stored, default_for(bool(getattr(request, "sensitive", False))))


def document_marking(document):
    """A document's own marking, never below its request's."""
    stored = normalise(getattr(document, "marking", None))
    stored = stored if stored in MARKINGS else OFFICIAL
    request = getattr(document, "request", None)
    return higher(stored, marking_of(request)) if request is not None else stored


def highest(markings):
    """The marking of something that gathers several items (an export, a return): the highest among them."""
    result = OFFICIAL
    for value in markings:
        result = higher(result, value if value in MARKINGS else OFFICIAL)
    return result


def with_default(values, existing=None):
    """A request's answers with its marking filled in: a new or newly sensitive request with no marking given
    is OFFICIAL-SENSITIVE if sensitive, else OFFICIAL; a marking given is normalised."""
    values = dict(values)
    if "marking" in values and values["marking"] not in (None, ""):
        values["marking"] = normalise(values["marking"])
        return values
    values.pop("marking", None)
    if existing is None:
        values["marking"] = default_for(bool(values.get("sensitive")))
    elif values.get("sensitive") and normalise(getattr(existing, "marking", None)) != OFFICIAL_SENSITIVE:
        values["marking"] = OFFICIAL_SENSITIVE
    return values


def email_context(request, context):
    """The values an email about `request` may carry: for an OFFICIAL-SENSITIVE request every detail of its
    substance is replaced by a pointer to the case (the link stays)."""
    if marking_of(request) != OFFICIAL_SENSITIVE:
        return context
    hidden = {key: EMAIL_PLACEHOLDERS[key] for key, value in context.items() if key in EMAIL_PLACEHOLDERS and value}
    return {**context, **hidden}


def csv_rows(marking):
    """The marking line at the top and bottom of a CSV export (GSC: a marking leads and ends every document)."""
    return [f"Protective marking: {marking}"]


def pdf_class():
    """An fpdf2 document class that prints `marking` centred in the header and footer of every page. Anything
    generating a PDF (the FOI response letter, the authority letter, the return) sets `pdf.marking` and uses it."""
    from fpdf import FPDF

    class MarkedPDF(FPDF):
        marking = OFFICIAL

        def _marking_line(self, y):
            self.set_y(y)
            style = self.font_style
            family, size = self.font_family or "Helvetica", self.font_size_pt or 11
            self.set_font("Helvetica", "B", 10)
            self.cell(0, 6, self.marking, align="C")
            self.set_font(family, style, size)

        def header(self):
            self._marking_line(8)
            self.set_y(self.t_margin)

        def footer(self):
            self._marking_line(-14)

    return MarkedPDF


def mark_xlsx(data, marking):
    """A workbook with `marking` in every sheet's printed header and footer and in its properties (the
    classification Office shows and search tools read)."""
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for part in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader, sheet.oddFooter, sheet.evenFooter):
            part.center.text = marking
            part.center.font = "Arial,Bold"
    workbook.properties.category = marking
    workbook.properties.keywords = f"Protective marking: {marking}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def of_return(result):
    """A periodic return's marking: OFFICIAL-SENSITIVE when it counts or lists anything OFFICIAL-SENSITIVE."""
    items = [item.get("marking", OFFICIAL_SENSITIVE if item.get("sensitive") else OFFICIAL) for item in result.open]
    if getattr(result, "sensitive_received", 0):
        items.append(OFFICIAL_SENSITIVE)
    return highest(items)
