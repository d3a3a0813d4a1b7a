"""The staff web UI: a Flask app over the engine facade `Alur`."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask


def create_app(test_config: Mapping | None = None) -> Flask:
    """Build the app: configuration, one init_app per subsystem, then the blueprints."""
    from webui import api, caching, config, errors, facade, i18n, security, templating
    from webui.views import (
        admin,
        analytics,
        assets,
        auth,
        compare,
        health,
        inbox,
        incidents,
        instances,
        mine,
        notifications,
        processes,
        profile,
        sop_table,
        start,
        studio,
        tasks,
    )

    app = Flask(__name__)
    config.load(app, test_config)
    facade.init_app(app)
    security.init_app(app)
    caching.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    profile.init_app(app)
    errors.init_app(app)
    templating.init_app(app)

    # Blueprints, one per screen family: a new one is a name in the import above and a line here.
    app.register_blueprint(auth.bp)
    app.register_blueprint(inbox.bp)
    app.register_blueprint(tasks.bp)
    app.register_blueprint(start.bp)
    app.register_blueprint(mine.bp)
    app.register_blueprint(instances.bp)
    app.register_blueprint(incidents.bp)
    app.register_blueprint(processes.bp)
    app.register_blueprint(studio.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(sop_table.bp)
    app.register_blueprint(analytics.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(profile.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(i18n.bp)
    app.register_blueprint(assets.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(health.bp)
    app.extensions["csrf"].exempt(api.bp)  # bearer tokens, no cookies: no CSRF
    return app
