from extensions import db


class Force(db.Model):
    """A territorial police force of England and Wales and its local policing body."""

    __tablename__ = "force"

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(40), nullable=False, unique=True)
    name = db.Column(db.String(120), nullable=False)
    policing_body = db.Column(db.String(160), nullable=False)

    def __repr__(self):
        return f"<Force {self.slug}>"
