"""Command-line tools for the office's administrator: `flask --app app <group> <command>`."""
from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from bot.staff import menus
from bot.staff import officers as officer_admin
from bot.staff import groups as line_groups
from bot.fund import aid as fund
from bot.line import outbox
from bot.paperwork import case_documents as paperwork
from bot.casework import references
from bot.paperwork import reports
from bot.core.private_files import write_private
from bot.photos import pipeline as photo_store
from models import AuditLog, FundRequest, LineGroup

db_cli = AppGroup("db", help="Database schema.")
officers_cli = AppGroup("officers", help="The centre's hotline officers and supervisors.")
outbox_cli = AppGroup("outbox", help="Messages to LINE that are waiting or failed.")
scheduler_cli = AppGroup("scheduler", help="The event worker and the periodic jobs (run in exactly one process).")
groups_cli = AppGroup("groups", help="The centre's LINE group(s) that get anonymous new-case notices.")
photos_cli = AppGroup("photos", help="Incident photos on disk.")
cases_cli = AppGroup("cases", help="Protection cases and their documents.")
reports_cli = AppGroup("reports", help="The centre's summary of its work.")
fund_cli = AppGroup("fund", help="The student aid fund.")


def _services():
    return current_app.extensions["ccpc"]


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply all database migrations."""
    _services().db.upgrade()
    click.echo("database is up to date")


@officers_cli.command("add")
@click.option("--name", required=True)
@click.option("--phone", required=True)
@click.option("--line-user-id", required=True, help="U followed by 32 hex characters")
@click.option("--role", type=click.Choice(["officer", "supervisor"]), default="officer", show_default=True)
def officers_add(name: str, phone: str, line_user_id: str, role: str) -> None:
    """Register an officer whose LINE user id you know."""
    services = _services()
    with services.db.session() as session:
        try:
            officer = officer_admin.add(session, name, phone, line_user_id, role, services.now())
        except officer_admin.OfficerError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
        click.echo(f"added officer #{officer.id} {officer.name} ({officer.role}); alerts go to their LINE now")
    menus.sync(services)


@officers_cli.command("invite")
@click.option("--name", required=True)
@click.option("--phone", required=True)
@click.option("--role", type=click.Choice(["officer", "supervisor"]), default="officer", show_default=True)
def officers_invite(name: str, phone: str, role: str) -> None:
    """Create an officer and print the one-time code they send to the bot in LINE."""
    services = _services()
    with services.db.session() as session:
        try:
            officer, code = officer_admin.invite(session, name, phone, role, services.now())
        except officer_admin.OfficerError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
    click.echo(f"officer #{officer.id} {officer.name} invited. Ask them to add the Official Account and send:")
    click.echo(f"    {code}")
    click.echo(f"The code works once and expires in {officer_admin.INVITE_DAYS} days.")


@officers_cli.command("list")
def officers_list() -> None:
    """Show every officer and whether they receive alerts."""
    with _services().db.session() as session:
        rows = officer_admin.all_officers(session)
    if not rows:
        click.echo("no officers yet: add one with `officers add` or `officers invite`")
    for o in rows:
        link = o.line_user_id or "(waiting for invite code)"
        state = "active" if o.active else "deactivated"
        click.echo(f"#{o.id}\t{o.name}\t{o.phone}\t{o.role}\t{state}\t{link}")


@officers_cli.command("deactivate")
@click.argument("officer")
def officers_deactivate(officer: str) -> None:
    """Stop alerts to an officer (by #id, LINE user id or exact name)."""
    services = _services()
    with services.db.session() as session:
        try:
            row = officer_admin.deactivate(session, officer.lstrip("#"), services.now())
        except officer_admin.OfficerError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
        click.echo(f"officer #{row.id} {row.name} deactivated: no more alerts")
    menus.sync(services)


@outbox_cli.command("failed")
def outbox_failed() -> None:
    """List messages LINE refused or that kept failing (exit code 1 if there are any)."""
    rows = outbox.failed_rows(_services().db)
    for row in rows:
        click.echo(f"#{row.id}\t{row.purpose}\tto {row.to}\tcase {row.case_id or '-'}\t"
                   f"attempts {row.attempts}\t{row.created_at.isoformat()}\t{row.last_error}")
    click.echo(f"{len(rows)} failed message(s)")
    if rows:
        raise SystemExit(1)


@outbox_cli.command("retry")
@click.argument("row_id", type=int)
def outbox_retry(row_id: int) -> None:
    """Queue a failed message again."""
    services = _services()
    if not outbox.requeue(services.db, row_id, services.now()):
        raise click.ClickException(f"no failed message #{row_id}")
    click.echo(f"message #{row_id} queued again")


@outbox_cli.command("send")
def outbox_send() -> None:
    """Send every message that is due now, once."""
    click.echo(f"{_services().send_outbox()} message(s) delivered")


@scheduler_cli.command("run")
@click.option("--events-only", is_flag=True, help="handle events only, never the periodic jobs")
def scheduler_run(events_only: bool) -> None:
    """Handle webhook events and run the periodic jobs in this process until stopped (beside gunicorn).

    The jobs run in one process of the installation (a database lock): started twice, the second
    waits and takes over when the first stops. On PostgreSQL every such process also handles
    events, and EVENT_WORKERS starts that many in all (this one and EVENT_WORKERS - 1 children).
    SIGTERM (systemd's stop) ends it, and its children, cleanly.
    """
    import logging
    import signal
    import threading

    from bot.core.locks import shared_by_chat
    from handlers import worker
    from handlers.event_processes import EventProcesses

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not one line per job run
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    services = _services()
    extra = max(services.settings.event_workers, 1) - 1 if not events_only else 0
    if extra and not shared_by_chat(services.db.url):
        logging.getLogger(__name__).warning("EVENT_WORKERS=%d ignored: SQLite has one event worker",
                                            services.settings.event_workers)
        extra = 0
    children = EventProcesses(extra).start()
    running = worker.start(services, jobs=not events_only)
    click.echo("worker process up (it runs the jobs while it holds the worker lock); Ctrl+C to stop")
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    running.stop()
    children.stop()


@groups_cli.command("invite")
@click.option("--name", default="", help="a name to recognise the group by")
def groups_invite(name: str) -> None:
    """Print a one-time code; send it in the group (with the bot in it) to register the group."""
    services = _services()
    with services.db.session() as session:
        code = line_groups.invite(session, name, services.now())
        session.commit()
    click.echo(f"Send this code in the LINE group (the Official Account must be a member):\n    {code}")
    click.echo("The code works once and expires in 7 days.")


@groups_cli.command("add")
@click.argument("group_id")
@click.option("--name", default="")
def groups_add(group_id: str, name: str) -> None:
    """Register a group by its id (C followed by 32 hex characters; see the service log on join)."""
    services = _services()
    with services.db.session() as session:
        try:
            line_groups.register(session, group_id, name, services.now())
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
    click.echo(f"group {group_id} registered for new-case notices")


@groups_cli.command("list")
def groups_list() -> None:
    """Show registered groups."""
    with _services().db.session() as session:
        rows = line_groups.all_groups(session)
    for g in rows:
        click.echo(f"{g.group_id}\t{g.name or '-'}\t{'active' if g.active else 'stopped'}")
    click.echo(f"{len(rows)} group(s)")


@groups_cli.command("remove")
@click.argument("group_id")
def groups_remove(group_id: str) -> None:
    """Stop notices to a group."""
    services = _services()
    with services.db.session() as session:
        group = session.get(LineGroup, group_id)
        if group is None:
            raise click.ClickException(f"no registered group {group_id}")
        group.active = False
        session.commit()
    click.echo(f"group {group_id}: notices stopped")


@photos_cli.command("purge")
@click.option("--closed-before", "closed_before", required=True, metavar="YYYY-MM-DD",
              help="delete the photo files of cases closed before this day (Christian or Buddhist-Era year)")
def photos_purge(closed_before: str) -> None:
    """Delete photo files of closed cases; the record that each photo existed is kept."""
    from datetime import date, datetime, time

    from bot.core.thai_dates import BANGKOK

    try:
        day = date.fromisoformat(closed_before)
    except ValueError as error:
        raise click.ClickException("write the date as YYYY-MM-DD, e.g. 2026-10-01 or 2569-10-01") from error
    if day.year > 2400:
        day = day.replace(year=day.year - 543)
    services = _services()
    with services.db.session() as session:
        count = photo_store.purge_closed(session, services.media, datetime.combine(day, time(), BANGKOK))
        session.commit()
    click.echo(f"deleted the files of {count} photo(s) of cases closed before {day.isoformat()}")


@photos_cli.command("fetch")
def photos_fetch() -> None:
    """Fetch every photo that is waiting to be downloaded from LINE, once."""
    services = _services()
    click.echo(f"{photo_store.fetch_due(services)} photo(s) stored")
    services.send_outbox()


FORMAT = click.option("--format", "kind", type=click.Choice(["pdf", "docx"]), default=None,
                      help="pdf (default) or docx, an editable Word copy; a -o name ending in .docx means docx")


def _kind(kind: str | None, output: str | None) -> str:
    """The file format asked for: --format, else the output file's suffix, else PDF."""
    return kind or ("docx" if output and output.lower().endswith(".docx") else "pdf")


@cases_cli.command("memo")
@click.argument("reference")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="file to write (default memo-NNNN-BBBB.pdf)")
@FORMAT
def cases_memo(reference: str, output: str | None, kind: str | None) -> None:
    """Write a case's preliminary report as an official memo (บันทึกข้อความ), PDF or Word."""
    services = _services()
    kind = _kind(kind, output)
    with services.db.session() as session:
        case = references.find(session, reference, services.now())
        if case is None:
            raise click.ClickException(f"no case {reference}")
        make = paperwork.memo_pdf if kind == "pdf" else paperwork.memo_docx
        data = make(session, case, services.settings, services.now())
        session.add(AuditLog(at=services.now(), actor="cli", action="memo_printed", case_id=case.id))
        session.commit()
        path = output or f"memo-{case.number:04d}-{case.year_be}.{kind}"
    write_private(path, data)
    click.echo(f"wrote {path} ({len(data):,} bytes)")


@reports_cli.command("monthly")
@click.argument("period")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="file to write (default summary-PERIOD.pdf)")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="also write a CSV (UTF-8 with BOM)")
@FORMAT
def reports_monthly(period: str, output: str | None, csv_path: str | None, kind: str | None) -> None:
    """The summary for a month (2569-11) or a fiscal year (2570 = Oct 2569 – Sep 2570), as PDF or Word, and CSV."""
    from bot.paperwork.documents.summary import render_summary_csv, render_summary_docx, render_summary_pdf

    services = _services()
    try:
        span = reports.parse_period(period)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    with services.db.session() as session:
        data = reports.summarise(session, span, services.settings, services.now())
    kind = _kind(kind, output)
    path = output or f"summary-{span.key}.{kind}"
    write_private(path, (render_summary_pdf if kind == "pdf" else render_summary_docx)(data))
    click.echo(f"wrote {path}: {span.label}, {sum(n for _, n in data.by_category)} case(s)")
    if csv_path:
        write_private(csv_path, render_summary_csv(data))
        click.echo(f"wrote {csv_path}")


@fund_cli.command("list")
def fund_list() -> None:
    """Fund requests still in progress."""
    with _services().db.session() as session:
        rows = fund.pending(session)
        for r in rows:
            late = "\tlate" if r.late else ""
            click.echo(f"#{r.id}\t{r.case.reference}\t{r.student_grade}\t{r.item_key}\t{r.amount_baht}\t{r.status}{late}")
    click.echo(f"{len(rows)} request(s) in progress")


@fund_cli.command("form")
@click.argument("request_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="file to write (default fund-request-N.pdf)")
@FORMAT
def fund_form(request_id: int, output: str | None, kind: str | None) -> None:
    """Write a fund request as the form for the committee, PDF or Word."""
    kind = _kind(kind, output)
    with _services().db.session() as session:
        row = session.get(FundRequest, request_id)
        if row is None:
            raise click.ClickException(f"no fund request #{request_id}")
        data = (paperwork.fund_pdf if kind == "pdf" else paperwork.fund_docx)(row, _services().settings)
    path = output or f"fund-request-{request_id}.{kind}"
    write_private(path, data)
    click.echo(f"wrote {path}")


def register(app: Flask) -> None:
    from handlers import duty_cli

    for group in duty_cli.COMMANDS:
        app.cli.add_command(group)
    for group in (db_cli, officers_cli, outbox_cli, scheduler_cli, groups_cli, photos_cli, cases_cli, reports_cli,
                  fund_cli):
        app.cli.add_command(group)
