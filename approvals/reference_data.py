"""Moved to models/reference_data.py (the models read it, and models import nothing from approvals/).
Kept only so branches in flight that import it from here still work; remove once they have landed."""

from models.reference_data import *  # noqa: F403
