from extensions import db
from models.types import utcnow


class CountryNote(db.Model):
    """Admin-maintained human-rights context for a destination, shown beside every assessment."""

    __tablename__ = "country_note"

    id = db.Column(db.Integer, primary_key=True)
    country_code = db.Column(db.String(2), nullable=False, index=True)
    note = db.Column(db.Text, nullable=False)
    source = db.Column(db.String(300), nullable=False, default="")
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class PageContent(db.Model):
    """Editable public text, such as the statement of principles on the transparency page."""

    __tablename__ = "page_content"

    key = db.Column(db.String(40), primary_key=True)
    body = db.Column(db.Text, nullable=False)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
