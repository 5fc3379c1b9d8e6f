"""The OSJA assessment and the named people on the web (issue 24)."""
