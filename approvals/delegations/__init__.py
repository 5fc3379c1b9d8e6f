"""Delegated authority pages (issue 17)."""
