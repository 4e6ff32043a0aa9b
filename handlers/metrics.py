"""GET /metrics: Prometheus-format figures for the people who keep the service running.

Two kinds of figure. Counts of what happened (webhooks and their latency, LINE API errors) are
counted by each process (bot/core/metrics.py; added up across gunicorn's processes through
PROMETHEUS_MULTIPROC_DIR). The state of the work (events waiting, outbox, open and overdue cases)
is read from the database at scrape time: the database is the one truth every process shares,
so any web process answers the same, and nothing has to be kept in step. A scrape costs a few
indexed COUNTs; /healthz stays the cheap check for load balancers.

Protected: with METRICS_TOKEN set, only `Authorization: Bearer <token>`; without it, only
requests from this machine that did not come through the reverse proxy.
"""
from __future__ import annotations

import hmac
import os
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, Response, current_app, request
from sqlalchemy import func, or_, select

from models import Case, Outbox
from bot.line import budget, inbox

bp = Blueprint("metrics", __name__)
LOOPBACK = {"127.0.0.1", "::1"}
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


@bp.get("/metrics")
def scrape() -> Response:
    services = current_app.extensions["ccpc"]
    if not _allowed(services.settings.metrics_token):
        return Response("forbidden\n", 403, mimetype="text/plain")
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

    counted = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(counted)
    else:
        from prometheus_client import REGISTRY as counted  # noqa: N811 - this process's own counts
    state = CollectorRegistry()
    state.register(DatabaseCollector(services))
    return Response(generate_latest(counted) + generate_latest(state), 200, mimetype=CONTENT_TYPE_LATEST)


def _allowed(token: str) -> bool:
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return request.remote_addr in LOOPBACK and not any(h in request.headers for h in PROXY_HEADERS)


class DatabaseCollector:
    """Reads the state of the work from the database each time Prometheus asks."""

    def __init__(self, services):
        self.services = services

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        now, settings = self.services.now(), self.services.settings
        backlog = inbox.backlog(self.services.db, now)
        yield GaugeMetricFamily("ccpc_events_waiting", "Stored webhook events not yet handled",
                                value=backlog["events_waiting"])
        yield GaugeMetricFamily("ccpc_oldest_event_age_seconds", "Age of the oldest unhandled event",
                                value=backlog["oldest_event_seconds"])
        with self.services.db.session() as session:
            outbox = dict(session.execute(select(Outbox.status, func.count()).where(
                Outbox.status.in_(("pending", "failed"))).group_by(Outbox.status)).all())
            oldest = session.scalar(select(func.min(Outbox.created_at)).where(Outbox.status == "pending"))
            open_cases = session.scalar(select(func.count()).where(Case.state != "closed"))
            overdue = session.scalar(select(func.count()).where(_overdue(now, settings)))
            quota = budget.health(session, now)["push_quota"]  # the stored reading: LINE is not asked
        family = GaugeMetricFamily("ccpc_outbox_messages", "Messages to LINE waiting or failed", labels=["status"])
        for status in ("pending", "failed"):
            family.add_metric([status], outbox.get(status, 0))
        yield family
        yield GaugeMetricFamily("ccpc_outbox_oldest_pending_age_seconds", "Age of the oldest message waiting",
                                value=(now - oldest).total_seconds() if oldest else 0)
        yield GaugeMetricFamily("ccpc_cases_open", "Cases not closed", value=open_cases)
        yield GaugeMetricFamily("ccpc_cases_overdue", "Open cases past their deadline (as in เรื่องค้าง)",
                                value=overdue)
        yield GaugeMetricFamily("ccpc_pushes_held", "Pushes waiting for LINE's monthly quota (or the reserve)",
                                value=quota["held"] if quota else 0)
        if quota and quota["quota"] is not None:
            yield GaugeMetricFamily("ccpc_push_quota_remaining", "Pushes left in this month's quota, as last read",
                                    value=quota["remaining"])


def _overdue(now, settings):
    """casework.case_view.is_overdue, as SQL."""
    untaken = (Case.state == "new") & (Case.filed_at < now - timedelta(minutes=settings.take_deadline_minutes))
    quiet = (Case.state.not_in(("new", "closed"))
             & (func.coalesce(Case.last_update_at, Case.taken_at, Case.filed_at)
                < now - timedelta(days=settings.reminder_days)))
    return or_(untaken, quiet)


def forget_dead_processes() -> None:
    """Remove the metrics files of processes that no longer run (gunicorn's start)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return
    Path(directory).mkdir(parents=True, exist_ok=True, mode=0o700)
    for path in Path(directory).glob("*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            path.unlink(missing_ok=True)


def process_ended(pid: int) -> None:
    """Tell prometheus_client a gunicorn worker ended."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
