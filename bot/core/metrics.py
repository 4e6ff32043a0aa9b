"""The service's own counters for operators (Prometheus), shared by every process of the installation.

Counters live in prometheus_client. Under gunicorn several processes count, so when
PROMETHEUS_MULTIPROC_DIR is set (the production units set it) each process writes its counts to a
file there and /metrics adds them up; without it (`python app.py`) they stay in memory. The
library reads that variable when it is first imported, so the import waits for the first count,
after the settings (and .env) have been loaded.
"""
from __future__ import annotations

import threading

# Webhook answers, in seconds: LINE gives up after a few seconds, so the buckets stay short.
WEBHOOK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


_made: dict = {}
_making = threading.Lock()  # the first requests arrive together on gunicorn's threads


def _metrics() -> dict:
    with _making:
        if not _made:
            _made.update(_make())
        return _made


def _make() -> dict:
    from prometheus_client import Counter, Histogram

    return {
        "webhooks": Counter("ccpc_webhook_requests", "Webhook requests answered, by HTTP status", ["status"]),
        "webhook_seconds": Histogram("ccpc_webhook_seconds", "Time to answer a webhook request",
                                     buckets=WEBHOOK_BUCKETS),
        "events": Counter("ccpc_webhook_events_stored", "Webhook events stored for the event worker"),
        "line_errors": Counter("ccpc_line_api_errors", "Failed calls to the LINE API, by HTTP status "
                                                       "(none: timeout or lost connection)", ["status"]),
    }


def webhook_answered(status: int, seconds: float, events_stored: int) -> None:
    """Count one answered webhook request."""
    metrics = _metrics()
    metrics["webhooks"].labels(status=str(status)).inc()
    metrics["webhook_seconds"].observe(seconds)
    if events_stored:
        metrics["events"].inc(events_stored)


def line_error(status: int | None) -> None:
    """Count one failed LINE API call."""
    _metrics()["line_errors"].labels(status=str(status) if status else "none").inc()
