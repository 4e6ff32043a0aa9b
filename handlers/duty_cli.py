"""The duty roster and LINE's push budget from the command line: `flask --app app roster …`, `… pushes …`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from bot.staff import duty
from bot.staff.officers import OfficerError

roster_cli = AppGroup("roster", help="Who is on duty (เวร): the weekly roster.")


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


COMMANDS = (roster_cli,)
