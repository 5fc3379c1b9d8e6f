"""The application factory. `flask --app app run` serves `app = create_app()`."""

import logging
from pathlib import Path

from flask import Flask, g, render_template, request, send_from_directory
from flask.json.provider import DefaultJSONProvider
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from config import config_from_env
from config.settings import BASE_DIR, INSTANCE_DIR
from extensions import babel, csrf, db, discard_session, limiter, login_manager, mail, migrate

GOVUK_ASSETS = BASE_DIR / "static" / "govuk" / "assets"


class PrintStrictUndefined(ChainableUndefined):
    """Fails loudly when a missing variable would be printed, yet stays falsy and empty in tests.

    Jinja's StrictUndefined also fails on `{% if x %}`, which GOV.UK Frontend's own macros use for
    every optional parameter; this keeps the strictness that catches typos in what we print.
    """

    __slots__ = ()

    def __str__(self):
        return self._fail_with_undefined_error()

    __html__ = __str__


class BoundedJSONProvider(DefaultJSONProvider):
    """JSON nested past Python's recursion limit is invalid JSON (a 4xx), not a RecursionError (a 500)."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error


def create_app(config=None, **overrides):
    """Build the app from a config class (default: the one S26_ENV names) plus any overrides."""
    config_class = config or config_from_env()
    config_class.validate()
    INSTANCE_DIR.mkdir(exist_ok=True)
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), static_folder=str(BASE_DIR / "static"))
    app.config.from_object(config_class)
    app.config.update(overrides)
    app.json = BoundedJSONProvider(app)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(BASE_DIR / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.undefined = PrintStrictUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    mail.init_app(app)
    csrf.init_app(app)
    _configure_language(app)
    _configure_limiter_storage(app)
    limiter.init_app(app)
    _trust_proxies(app)
    # Registered after db.init_app, so it runs before Flask-SQLAlchemy's own teardown (which then has nothing to do).
    app.teardown_appcontext(lambda _error: discard_session())
    with app.app_context():
        _tune_sqlite(db.engine)

    _register_blueprints(app)
    _register_template_helpers(app)
    _register_error_pages(app)
    _register_cli(app)
    _configure_logging(app)

    # GOV.UK Frontend's stylesheet asks for its fonts and images under /assets.
    @app.route("/assets/<path:filename>")
    def govuk_assets(filename):
        """GOV.UK Frontend fonts and images."""
        return send_from_directory(GOVUK_ASSETS, filename, max_age=31536000)

    from approvals.security import public

    public(app.view_functions["govuk_assets"])
    public(app.view_functions["static"])
    return app


def _configure_language(app):
    """Welsh and English from the catalogues in translations/ (approvals.language chooses which)."""
    from approvals import language

    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(BASE_DIR / "translations"))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", language.DEFAULT)
    babel.init_app(app, locale_selector=language.select_locale)
    app.after_request(language.remember)
    app.jinja_env.filters["country_in_language"] = language.country_in_language
    app.jinja_env.filters["translate"] = language.translate
    app.jinja_env.globals.update(
        lang_current=language.current,
        lang_switch_url=language.switch_url,
        lang_names=language.NAMES,
        lang_switch_hint=language.SWITCH_HINT,
        languages=language.LANGUAGES,
    )


def _configure_limiter_storage(app):
    """A shared store must not hang a sign-in when it is slow: fail fast, and the limiter falls back to memory."""
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        options = {"socket_timeout": 1, "socket_connect_timeout": 1}
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {**options, **app.config.get("RATELIMIT_STORAGE_OPTIONS", {})}


def _trust_proxies(app):
    """Behind N load balancers every peer is a balancer: take the client's address and scheme from the
    X-Forwarded-For / -Proto entries those N added (and no more, or a client could forge its own)."""
    hops = int(app.config.get("S26_TRUSTED_PROXIES", 0))
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _tune_sqlite(engine):
    """WAL lets readers run beside the writer; busy_timeout makes writers wait instead of failing at once."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _register_blueprints(app):
    from approvals.security import AuthorisationReferenceConverter, BoundedIntConverter, SecretTokenConverter

    app.url_map.converters["secret"] = SecretTokenConverter
    app.url_map.converters["authorisation"] = AuthorisationReferenceConverter
    app.url_map.converters["int"] = BoundedIntConverter
    import approvals.api.call_in  # noqa: F401 - adds "needs section 26 approval" to the API blueprint
    import approvals.api.casefile  # noqa: F401 - adds the case file's routes to the API blueprint
    import approvals.api.delegations  # noqa: F401 - adds delegated authority's routes to the API blueprint
    import approvals.api.disclosure  # noqa: F401 - adds the FOI cases' routes to the API blueprint
    import approvals.api.general_authorisations  # noqa: F401 - general authorisations and call-in (issue 23)
    import approvals.api.osja  # noqa: F401 - adds the OSJA assessment's routes to the API blueprint
    import approvals.api.outputs  # noqa: F401 - adds the returns and national reports to the API blueprint
    import approvals.api.people  # noqa: F401 - adds the named people's routes to the API blueprint
    import approvals.api.rates  # noqa: F401 - adds the salary lines from the rate card to the API blueprint
    import approvals.api.records  # noqa: F401 - adds the authority letter and corrections to the API blueprint
    import approvals.api.routes  # noqa: F401 - the requests' own routes, the description and its page
    from approvals.admin.routes import bp as admin_bp
    from approvals.api.contract import bp as api_bp
    from approvals.assessment.routes import bp as assessment_bp
    from approvals.auth.routes import bp as auth_bp
    from approvals.authorisations.routes import bp as authorisations_bp
    from approvals.casefile.routes import bp as casefile_bp
    from approvals.decisions.routes import bp as decisions_bp
    from approvals.delegations.routes import bp as delegations_bp
    from approvals.disclosure_views.routes import bp as disclosure_bp
    from approvals.main.routes import bp as main_bp
    from approvals.outputs.routes import bp as outputs_bp
    from approvals.reports.routes import bp as reports_bp
    from approvals.requests.routes import bp as requests_bp

    blueprints = (main_bp, auth_bp, requests_bp, decisions_bp, reports_bp, admin_bp, api_bp, casefile_bp, outputs_bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.register_blueprint(disclosure_bp)
    app.register_blueprint(delegations_bp)
    app.register_blueprint(authorisations_bp)
    app.register_blueprint(assessment_bp)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, never cookies


def _register_template_helpers(app):
    from approvals import template_helpers

    template_helpers.init_app(app)


TOO_LARGE = "The selected file must be smaller than {mb} MB"


def _register_error_pages(app):
    from werkzeug.exceptions import MethodNotAllowed

    from approvals.commands import WorkflowError
    from approvals.responses import problem, refusal_page

    titles = {
        400: "Bad request",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        413: "Content too large",
        429: "Too many requests",
    }

    def page(status, template):
        def handler(error):
            # Whatever failed may have left the transaction broken: roll back before anything else, so the error
            # page never fails in its turn (PendingRollbackError).
            db.session.rollback()
            if status == 500:
                # Render as if signed out: the page must not need the database, which may be what failed.
                g._login_user = login_manager.anonymous_user()
            if request.path.startswith("/api/"):  # the API always answers in problem JSON
                detail = TOO_LARGE.format(mb=app.config["S26_MAX_DOCUMENT_MB"]) if status == 413 else None
                response = problem(status, titles.get(status, "Internal server error"), detail)
            else:
                response = app.make_response((render_template(template), status))
            if isinstance(error, MethodNotAllowed) and error.valid_methods:
                response.headers["Allow"] = ", ".join(error.valid_methods)  # HTTP requires it on every 405
            return response

        return handler

    def database_unavailable(error):
        # The database restarting or failing over mid-request: the transaction is lost whole (nothing
        # half-written) and the pool drops the dead connection, so say "try again" rather than 500.
        discard_session()
        # The page must not need the database either: the header would load the user, its roles and force.
        g._login_user = login_manager.anonymous_user()
        cause = type(getattr(error, "orig", error)).__name__
        app.logger.warning("database unavailable path=%s: %s", request.path, cause)
        if request.path.startswith("/api/"):
            response = problem(503, "Service unavailable", "The database is unavailable: try again shortly")
        else:
            response = app.make_response((render_template("errors/500.html"), 503))
        response.headers["Retry-After"] = "5"
        return response

    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(InterfaceError, database_unavailable)

    for status, template in (
        (400, "errors/400.html"),
        (403, "errors/403.html"),
        (404, "errors/404.html"),
        (405, "errors/405.html"),
        (413, "errors/413.html"),
        (429, "errors/429.html"),
        (500, "errors/500.html"),
    ):
        app.register_error_handler(status, page(status, template))
    app.register_error_handler(WorkflowError, refusal_page)  # the API blueprint answers these in problem JSON

    @app.before_request
    def _refuse_large_bodies():
        """A body over MAX_CONTENT_LENGTH is refused on its declared length, before a byte of it is read."""
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if limit and request.content_length is not None and request.content_length > limit:
            from flask import abort

            abort(413)


def _register_cli(app):
    from approvals import cli

    cli.init_app(app)


def _configure_logging(app):
    if not app.logger.handlers or app.config.get("TESTING"):
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    Path(app.instance_path).mkdir(exist_ok=True)


_default_app = None


def __getattr__(name):
    """`app` is built on first use, so `flask --app app` and gunicorn `app:app` work and importing
    create_app (as the tests do) builds nothing."""
    global _default_app
    if name == "app":
        if _default_app is None:
            _default_app = create_app()
        return _default_app
    raise AttributeError(name)
