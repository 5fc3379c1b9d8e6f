"""Protective marking under the Government Security Classifications.

Minimal version written for the authority letter (issue 18); the protective-marking work (issue 25) owns this
module and replaces it. Keep `marking_of(request)`: the letter's header and footer call it.
"""

OFFICIAL = "OFFICIAL"
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"


def marking_of(request):
    """The marking a request's material carries: OFFICIAL-SENSITIVE for a sensitive request, else OFFICIAL."""
    return OFFICIAL_SENSITIVE if request.sensitive else OFFICIAL
