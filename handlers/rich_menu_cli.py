"""`flask --app app richmenu install|preview`: the menu bar under the chat in LINE."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from bot.line import rich_menu

richmenu_cli = AppGroup("richmenu", help="The menu under the chat (LINE rich menu): แจ้งเหตุ, สถานะ, เมนู.")


@richmenu_cli.command("install")
def richmenu_install() -> None:
    """Create the menu in LINE, make it everyone's default and remove the ones installed before."""
    services = current_app.extensions["ccpc"]
    if not services.settings.line_channel_access_token:
        raise click.ClickException("LINE_CHANNEL_ACCESS_TOKEN is not set: there is no LINE channel to install to")
    installed = rich_menu.install(services.gateway)
    for warning in installed.warnings:
        click.echo(f"warning: {warning}", err=True)
    if installed.uncertain:
        raise click.ClickException(f"{installed.error}. LINE may already show the new menu {installed.rich_menu_id} "
                                   "to everyone, so it was kept; run the command again, which also removes "
                                   "whichever of our older menus is not in use")
    if not installed.ok:
        raise click.ClickException(f"{installed.error}. Nothing was changed: the menu people see is as before; "
                                   "run the command again")
    click.echo(f"rich menu {installed.rich_menu_id} is now the default menu for everyone")
    if installed.removed:
        click.echo(f"removed {len(installed.removed)} older menu(s): {', '.join(installed.removed)}")


@richmenu_cli.command("preview")
@click.option("-o", "--output", default="rich-menu.png", show_default=True, type=click.Path(dir_okay=False))
def richmenu_preview(output: str) -> None:
    """Write the menu's picture to a PNG file (LINE is not contacted)."""
    image = rich_menu.render()
    Path(output).write_bytes(image)
    labels = ", ".join(f"{p.label} → {p.text}" for p in rich_menu.PANELS)
    click.echo(f"wrote {output} ({rich_menu.WIDTH}x{rich_menu.HEIGHT}, {len(image):,} bytes): {labels}")


def register(app: Flask) -> None:
    """Attach the rich menu commands to the app's CLI."""
    app.cli.add_command(richmenu_cli)
