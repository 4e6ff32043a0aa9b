"""gunicorn's settings for this service, read from the same settings as everything else.

gunicorn reads ./gunicorn.conf.py by itself when started from the project folder:
    .venv/bin/gunicorn 'app:create_app()'
(deploy/ccpc-web.service does exactly that). Figures and reasons: README, "Running in production".
"""
from config.settings import from_env

_settings = from_env()

bind = f"{_settings.host}:{_settings.port}"
workers = _settings.web_workers
# Threads, not more processes: a request mostly waits for the database, and threads share one pool.
worker_class = "gthread"
threads = _settings.web_threads
# The slowest request is a fiscal-year summary PDF; WEB_TIMEOUT_SECONDS leaves it room.
timeout = _settings.web_timeout_seconds
graceful_timeout = 30
keepalive = 5  # the reverse proxy keeps connections open to us
# Trust X-Forwarded-* only from the reverse proxy on this machine.
forwarded_allow_ips = "127.0.0.1,::1"
accesslog = "-"
# No query strings in the access log: signed links carry their token there.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"


def on_starting(server):
    """Before any worker starts: clear metrics files left by processes that are gone."""
    from handlers import metrics

    metrics.forget_dead_processes()


def post_worker_init(worker):
    """With SCHEDULER_ENABLED (the default), every web process offers to run the event worker and
    the jobs; the worker lock lets exactly one of them do it. The production units set it to false
    and run `flask --app app scheduler run` beside gunicorn instead."""
    import logging

    # The service's own log lines (never case content) go to gunicorn's stderr, the journal.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    services = worker.wsgi.extensions["ccpc"]
    if services.settings.scheduler_enabled:
        from handlers import worker as background

        background.start(services)


def child_exit(server, worker):
    """A worker process ended: its live gauges no longer count."""
    from handlers import metrics

    metrics.process_ended(worker.pid)
