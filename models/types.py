"""Small column helpers shared by the models."""

from datetime import UTC, datetime


def utcnow():
    """Timezone-aware now; stored as naive UTC so SQLite and PostgreSQL agree."""
    return datetime.now(UTC).replace(tzinfo=None)
