"""The application factory. `flask --app app run` serves `app = create_app()`."""

import logging
from pathlib import Path

from flask import Flask, render_template, request, send_from_directory
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import event

from config import config_from_env
from config.settings import BASE_DIR, INSTANCE_DIR
from extensions import csrf, db, limiter, login_manager, mail, migrate

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


def create_app(config=None, **overrides):
    """Build the app from a config class (default: the one S26_ENV names) plus any overrides."""
    config_class = config or config_from_env()
    config_class.validate()
    INSTANCE_DIR.mkdir(exist_ok=True)
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), static_folder=str(BASE_DIR / "static"))
    app.config.from_object(config_class)
    app.config.update(overrides)

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
    limiter.init_app(app)
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
    from approvals.admin.routes import bp as admin_bp
    from approvals.api.routes import bp as api_bp
    from approvals.auth.routes import bp as auth_bp
    from approvals.decisions.routes import bp as decisions_bp
    from approvals.main.routes import bp as main_bp
    from approvals.reports.routes import bp as reports_bp
    from approvals.requests.routes import bp as requests_bp

    for blueprint in (main_bp, auth_bp, requests_bp, decisions_bp, reports_bp, admin_bp, api_bp):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, never cookies


def _register_template_helpers(app):
    from approvals import template_helpers

    template_helpers.init_app(app)


def _register_error_pages(app):
    from approvals.commands import WorkflowError
    from approvals.responses import problem, refusal_page

    titles = {
        400: "Bad request",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        429: "Too many requests",
    }

    def page(status, template):
        def handler(_error):
            if request.path.startswith("/api/"):  # the API always answers in problem JSON
                return problem(status, titles.get(status, "Internal server error"))
            return render_template(template), status

        return handler

    for status, template in (
        (400, "errors/400.html"),
        (403, "errors/403.html"),
        (404, "errors/404.html"),
        (405, "errors/404.html"),
        (429, "errors/429.html"),
        (500, "errors/500.html"),
    ):
        app.register_error_handler(status, page(status, template))
    app.register_error_handler(WorkflowError, refusal_page)  # the API blueprint answers these in problem JSON


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
