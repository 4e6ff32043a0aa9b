"""`flask --app app demo seed|reset`: the invented schools, principals, officers and group of the demo."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from bot import demo

demo_cli = AppGroup("demo", help="Demo data for trying the bot (invented people and numbers only).")


def _services():
    return current_app.extensions["ccpc"]


@demo_cli.command("seed")
@click.option("--force", is_flag=True, help="seed even though this database serves a real LINE channel")
def demo_seed(force: bool) -> None:
    """Add the demo officers, principals and staff group (what is there already stays)."""
    services = _services()
    if services.settings.line_configured and not force:
        raise click.ClickException("LINE credentials are set: demo officers would receive this channel's real "
                                   "alerts. Use the simulator (python app.py --simulator) or pass --force.")
    with services.db.session() as session:
        added = demo.seed(session, services.settings.districts, services.now())
        session.commit()
    click.echo(f"demo data ready ({added} row(s) added):")
    for person in demo.people(services.settings.districts):
        where = f"\t{person.school}, อ.{person.district}" if person.school else ""
        click.echo(f"  {person.role}\t{person.name}\t{person.phone}\t{person.user_id}{where}")
    click.echo(f"  group\t{demo.GROUP_NAME}\t{demo.GROUP_ID}")


@demo_cli.command("reset")
def demo_reset() -> None:
    """Remove every demo row (and the demo cases, threads and photos); real data stays."""
    services = _services()
    with services.db.session() as session:
        removed = demo.reset(session, services.media)
        session.commit()
    click.echo(f"demo data removed ({removed} demo case(s)); real officers, principals and cases are untouched")


def register(app: Flask) -> None:
    """Attach the demo commands to the app's CLI."""
    app.cli.add_command(demo_cli)
