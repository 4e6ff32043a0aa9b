"""The webhook service: `create_app()` for WSGI servers, `python app.py` to run it with its worker."""
from __future__ import annotations

import argparse
import logging

from flask import Flask

from bot.services import Services
from config.settings import Settings, from_env

log = logging.getLogger("ccpc")


def create_app(settings: Settings | None = None, clock=None, migrate: bool = True) -> Flask:
    """Build the Flask app; tests pass their own settings and clock."""
    settings = settings or from_env()
    # No /static route: the simulator serves its own files, and only in simulator mode.
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024  # LINE's webhook bodies are far smaller
    services = Services.build(settings, clock)
    if migrate:
        services.db.upgrade()
    app.extensions["ccpc"] = services

    from handlers import cli, console, demo_cli, documents, media, metrics, ops_cli, request_log, rich_menu_cli, webhook

    request_log.install()  # no signed link, token or code in the request log
    app.register_blueprint(webhook.bp)
    app.register_blueprint(media.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(metrics.bp)
    console.install(app)  # /console: the officers' web console
    cli.register(app)
    demo_cli.register(app)
    ops_cli.register(app)
    rich_menu_cli.register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    """Run the web service, the event worker and the scheduler in this one process (fine for one office)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-scheduler", action="store_true",
                        help="do not handle events or run periodic jobs in this process "
                             "(another process runs `flask --app app scheduler run`)")
    parser.add_argument("--simulator", action="store_true",
                        help="chat with the bot in a browser as demo people; never talks to LINE")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    configured = from_env()
    if args.simulator or not configured.line_configured:  # without LINE credentials there is only the simulator
        from handlers import simulator_mode

        return simulator_mode.run(create_app, configured, scheduler=not args.no_scheduler)
    app = create_app()
    services = app.extensions["ccpc"]
    settings = services.settings
    if settings.scheduler_enabled and not args.no_scheduler:
        from handlers import worker

        worker.start(services)  # handles the events the webhook stores, and runs the periodic jobs
    log.info("webhook: http://%s:%s/callback  health: http://%s:%s/healthz",
             settings.host, settings.port, settings.host, settings.port)
    app.run(host=settings.host, port=settings.port, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
