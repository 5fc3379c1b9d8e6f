"""Outputs of the service: periodic returns to the PCC and the national picture (issue 18)."""
