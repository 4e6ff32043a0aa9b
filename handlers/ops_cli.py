"""Operators' commands: `flask --app app backup DIR`, `restore DIR`, `retention`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from bot import backup as backups


def _services():
    return current_app.extensions["ccpc"]


@click.command("backup")
@with_appcontext
@click.argument("directory", type=click.Path(file_okay=False))
def backup_command(directory: str) -> None:
    """Write a consistent backup of the database and the photos into a new folder inside DIRECTORY."""
    services = _services()
    try:
        folder = backups.backup(services.db, services.settings.media_dir, Path(directory), services.now())
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backup written to {folder}")


@click.command("restore")
@with_appcontext
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--force", is_flag=True, help="replace the data this installation already holds")
def restore_command(directory: str, force: bool) -> None:
    """Bring a backup folder (written by `backup`) back into this installation, which must be empty."""
    services = _services()
    try:
        result = backups.restore(services.db, services.settings.media_dir, Path(directory), force)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    restored = result["restored"]
    click.echo(f"restored the backup of {result['created_at']}: {restored['cases']} case(s), "
               f"{restored['photos']} photo record(s), {result['photo_files']} photo file(s)")


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="only list what is past retention")
@with_appcontext
def retention_command(dry_run: bool) -> None:
    """Delete what is past RETENTION_DAYS, OUTBOX_RETENTION_DAYS and AUDIT_RETENTION_DAYS (the daily job, now)."""
    from bot import retention

    services = _services()
    if dry_run:
        with services.db.session() as session:
            plan = retention.due(session, services.now(), services.settings)
    else:
        plan = retention.purge(services.db, services.media, services.now(), services.settings)
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{verb} {len(plan.references)} closed case(s){': ' if plan.references else ''}"
               f"{', '.join(plan.references)}")
    click.echo(f"  with {plan.thread_entries} thread entries, {plan.photos} photos, {plan.fund_requests} fund "
               f"requests, {plan.case_messages} messages and {plan.case_audit_rows} audit rows")
    click.echo(f"{verb} {plan.delivered_messages} delivered message(s) and {plan.audit_rows} old audit row(s)")


def register(app: Flask) -> None:
    for command in (backup_command, restore_command, retention_command):
        app.cli.add_command(command)
