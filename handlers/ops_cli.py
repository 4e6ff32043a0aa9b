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


def register(app: Flask) -> None:
    for command in (backup_command, restore_command):
        app.cli.add_command(command)
