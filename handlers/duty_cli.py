"""The duty roster and LINE's push budget from the command line: `flask --app app roster …`, `… pushes …`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from bot.line import budget, console_delivery
from bot.staff import duty, push_budget
from bot.staff.officers import OfficerError
from models import Case

roster_cli = AppGroup("roster", help="Who is on duty (เวร): the weekly roster.")
pushes_cli = AppGroup("pushes", help="LINE's monthly push quota, what each case cost, what waits.")


def _services():
    return current_app.extensions["ccpc"]


@roster_cli.command("show")
def roster_show() -> None:
    """The weekly roster and who is on duty now."""
    services = _services()
    with services.db.session() as session:
        for officer, slot in duty.roster(session):
            click.echo(f"{duty.DAYS[slot.weekday]}\t{slot.starts}-{slot.ends}\t#{officer.id} {officer.name}")
        now_on = duty.on_duty(session, services.now())
    click.echo("on duty now: " + (duty.names(now_on) or "nobody (alerts go to every officer)"))


@roster_cli.command("add")
@click.argument("officer")
@click.argument("days")
@click.argument("hours")
def roster_add(officer: str, days: str, hours: str) -> None:
    """Put OFFICER (#id, LINE user id or exact name) on duty on DAYS (mon-fri, sat,sun, all) during HOURS (08:30-16:30)."""
    services = _services()
    with services.db.session() as session:
        try:
            person, shift = duty.set_shift(session, officer, days, hours)
        except OfficerError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
        click.echo(f"#{person.id} {person.name} on duty {','.join(duty.DAYS[d] for d in shift.days)} "
                   f"{shift.starts}-{shift.ends}")


@roster_cli.command("clear")
@click.argument("officer", required=False)
def roster_clear(officer: str | None) -> None:
    """Remove every shift of the roster (or only OFFICER's)."""
    services = _services()
    with services.db.session() as session:
        try:
            count = duty.clear(session, officer)
        except OfficerError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
    click.echo(f"{count} shift(s) removed")


@roster_cli.command("remove")
@click.argument("officer")
@click.argument("days")
@click.argument("hours", required=False)
def roster_remove(officer: str, days: str, hours: str | None) -> None:
    """Take OFFICER off the roster on DAYS (only the shift of HOURS, if given), e.g. `roster remove "#1" fri`."""
    services = _services()
    with services.db.session() as session:
        try:
            person, count = duty.remove(session, officer, days, hours)
        except OfficerError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
    click.echo(f"#{person.id} {person.name}: {count} shift(s) removed")


@roster_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False), default="config/duty_roster.json")
def roster_load(path: str) -> None:
    """Replace the roster with a JSON file's (default config/duty_roster.json)."""
    services = _services()
    with services.db.session() as session:
        try:
            count = duty.load(session, Path(path).read_text(encoding="utf-8"))
        except OfficerError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
    click.echo(f"roster loaded: {count} shift(s)")


@pushes_cli.command("quota")
def pushes_quota() -> None:
    """Read the quota and this month's pushes from LINE now (the periodic job does the same), and warn if due."""
    services = _services()
    row = push_budget.check(services)
    if row is None:
        raise click.ClickException("LINE's quota could not be read (no credentials, or LINE did not answer)")
    limit = "unlimited" if row.quota is None else f"{row.consumed} of {row.quota}"
    click.echo(f"{row.month}: {limit} pushes used" + (" — used up: pushes are held" if row.exhausted_at else ""))


@pushes_cli.command("held")
def pushes_held() -> None:
    """List the pushes waiting for the budget (alerts that could not go among them)."""
    with _services().db.session() as session:
        rows = budget.held_rows(session, limit=1000)
        for row in rows:
            case = session.get(Case, row.case_id) if row.case_id else None
            click.echo(f"#{row.id}	{row.purpose}	{case.reference if case else '-'}	to {row.to}	"
                       f"{row.held}	since {row.created_at.isoformat()}")
    click.echo(f"{len(rows)} held")


@pushes_cli.command("report")
@click.option("--month", help="only pushes queued in this month (YYYY-MM, Bangkok time)")
def pushes_report(month: str | None) -> None:
    """Pushes LINE counted, per case and kind (alert, relay, state, escalation, reminder, …), costliest first."""
    since = until = None
    if month:
        since, until = _month_bounds(month)
    with _services().db.session() as session:
        costs = budget.cost_per_case(session, since, until)
        by_console = console_delivery.delivered_count(session, since, until)
        lines = []
        for case_id, kinds in costs.items():
            case = session.get(Case, case_id) if case_id else None
            lines.append((sum(kinds.values()), case.reference if case else "(no case)", kinds))
    for total, reference, kinds in sorted(lines, key=lambda line: (-line[0], line[1])):
        click.echo(f"{reference}\t{total}\t" + "\t".join(f"{kind} {n}" for kind, n in sorted(kinds.items())))
    cases = [line for line in lines if line[1] != "(no case)"]
    total = sum(line[0] for line in lines)
    click.echo(f"total {total} push(es); {len(cases)} case(s)"
               + (f", {sum(line[0] for line in cases) / len(cases):.1f} per case" if cases else ""))
    click.echo(f"shown in the web console instead of a push: {by_console} message(s) (no push counted)")


def _month_bounds(month: str):
    from datetime import datetime

    from bot.core.thai_dates import BANGKOK

    try:
        start = datetime.strptime(month, "%Y-%m").replace(tzinfo=BANGKOK)
    except ValueError as error:
        raise click.ClickException("--month looks like 2026-11") from error
    end = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start, end


COMMANDS = (roster_cli, pushes_cli)
