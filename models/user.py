import hashlib
import secrets

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db
from models.reference_data import ALL_FORCES_ROLES, EITHER_SCOPE_ROLES, FORCE_SCOPED_ROLES, ROLES_REQUIRING_2FA
from models.types import utcnow


class User(UserMixin, db.Model):
    """A person who signs in. Force-scoped roles act only for `force`."""

    __tablename__ = "user_account"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    name = db.Column(db.String(120), nullable=False, default="")
    password_hash = db.Column(db.String(255), nullable=False)
    force_id = db.Column(db.Integer, db.ForeignKey("force.id"), nullable=True, index=True)
    active = db.Column(db.Boolean, nullable=False, default=True)
    no_email = db.Column(db.Boolean, nullable=False, default=False)
    # Rotated when the credentials change (password, two-factor reset, sign out everywhere): a sign-in that is
    # part-way through its second factor carries a copy and stops there. Signed-in sessions are user_session rows.
    session_token = db.Column(db.String(64), nullable=False, default=lambda: secrets.token_hex(32))
    failed_sign_ins = db.Column(db.Integer, nullable=False, default=0)
    locked_until = db.Column(db.DateTime, nullable=True)
    totp_secret = db.Column(db.String(64), nullable=True)
    totp_confirmed = db.Column(db.Boolean, nullable=False, default=False)
    recovery_codes = db.Column(db.Text, nullable=True)  # newline-separated SHA-256 hashes
    # The 30-second time step of the last code accepted: a code (or an earlier one) cannot be used twice.
    totp_last_step = db.Column(db.BigInteger, nullable=True)
    last_sign_in_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    force = db.relationship("Force", lazy="joined")
    role_rows = db.relationship("UserRole", cascade="all, delete-orphan", lazy="selectin", back_populates="user")

    @property
    def roles(self):
        return {row.role for row in self.role_rows}

    def has_role(self, *roles):
        return bool(self.roles.intersection(roles))

    def set_roles(self, roles):
        wanted = set(roles)
        self.role_rows = [row for row in self.role_rows if row.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))

    # An invited account has no password until the person chooses one; no password hashes to this.
    UNUSABLE_PASSWORD = "!"
    # The key of the server-side session this user was loaded for (approvals.accounts.load_session_user).
    session_key = None
    session_row_id = None

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        # Flask-Login keeps this in the signed cookie: the key of a user_session row, never the user id alone.
        return self.session_key

    @property
    def has_usable_password(self):
        return bool(self.password_hash) and self.password_hash != self.UNUSABLE_PASSWORD

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)  # scrypt, werkzeug's default
        self.rotate_credentials()

    def check_password(self, password):
        return self.has_usable_password and check_password_hash(self.password_hash, password)

    def rotate_credentials(self):
        self.session_token = secrets.token_hex(32)

    def is_locked(self, now=None):
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    def can_authenticate(self, now=None):
        """Whether any credential of this user (session, API token) may be used now."""
        return self.active and not self.is_locked(now)

    @property
    def needs_two_factor(self):
        return self.has_role(*ROLES_REQUIRING_2FA)

    def acts_for_force(self, role, force_id):
        """Whether this user holds `role` for requests of force `force_id`."""
        if role not in self.roles:
            return False
        if role in FORCE_SCOPED_ROLES:
            return self.force_id == force_id
        if role in EITHER_SCOPE_ROLES:
            # An FOI officer with a force answers for that force; one without is national.
            return self.force_id is None or self.force_id == force_id
        return role in ALL_FORCES_ROLES

    def __repr__(self):
        return f"<User {self.id}>"


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    role = db.Column(db.String(20), primary_key=True)
    user = db.relationship("User", back_populates="role_rows")


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_token"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True)
    name = db.Column(db.String(80), nullable=False, default="")
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_used_at = db.Column(db.DateTime, nullable=True)
    revoked_at = db.Column(db.DateTime, nullable=True)

    user = db.relationship("User")

    @classmethod
    def issue(cls, user, name=""):
        """Create a token for `user`; returns (row, token). The token is not kept anywhere."""
        token = "s26_" + secrets.token_urlsafe(32)
        row = cls(user=user, name=name, token_hash=hash_token(token))
        return row, token
