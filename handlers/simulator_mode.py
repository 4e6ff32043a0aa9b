"""Simulator mode: the bot, a local stand-in for LINE and a page to chat as demo people, in one process.

`python app.py` starts it when no LINE credentials are set, or with `--simulator`. It never
talks to LINE and never sees a real channel's users: it generates its own channel secret and
token, points the bot at the fake platform, and keeps its own database and photo folder.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import replace

from flask import Flask

from bot import demo
from bot.line import rich_menu
from bot.staff import menus
from bot.fake_line import FakeLinePlatform, http_deliverer
from bot.staff import push_budget
from bot.fake_line.simulator import Persona, Simulator
from config.settings import INSTANCE_DIR, Settings
from handlers import simulator_page

log = logging.getLogger("ccpc.simulator")

# The bot sends photos as LINE image messages only with an https PUBLIC_BASE_URL, and LINE (so the
# fake too) refuses http image links. Here "LINE" is the page on this machine, so the bot is given
# an https address that can never resolve (.invalid is reserved), and the simulator turns such
# links back into this app's own /media/... paths when the page draws them. handlers/media.py then
# checks their signature and expiry exactly as it does for LINE's fetches.
SIMULATED_PUBLIC_BASE = "https://line-simulator.invalid"
ROLE_TITLES = {"officer": "เจ้าหน้าที่ศูนย์", "supervisor": "หัวหน้าศูนย์ (รับเรื่องที่ล่าช้า)"}


def simulator_settings(settings: Settings) -> Settings:
    """The settings with everything that could reach a real channel or its data replaced."""
    return replace(settings,
                   districts=settings.districts or demo.FALLBACK_DISTRICTS,
                   centre_hotlines=settings.centre_hotlines or (demo.HOTLINE,),
                   line_channel_secret=secrets.token_hex(16),
                   line_channel_access_token=secrets.token_urlsafe(32),
                   line_api_base_url="",
                   database_url=f"sqlite:///{INSTANCE_DIR / 'simulator.sqlite3'}",
                   media_dir=str(INSTANCE_DIR / "simulator-media"),
                   public_base_url=SIMULATED_PUBLIC_BASE,
                   secret_key=secrets.token_hex(32),
                   push_coalesce_seconds=0)  # a demo shows every push at once (batching: README "push budget")


def personas(districts: tuple[str, ...]) -> list[Persona]:
    """Who one can be in the page: the demo principals, officers, supervisor and the staff group."""
    out = []
    for person in demo.people(districts):
        title = (f"ผู้อำนวยการ{person.school} อ.{person.district}" if person.role == "principal"
                 else ROLE_TITLES[person.role])
        out.append(Persona(person.key, person.name, person.role, title, person.user_id, person.user_id))
    first_officer = next(p for p in out if p.role == "officer")
    out.append(Persona("group", demo.GROUP_NAME, "group", f"พิมพ์ในกลุ่มในนาม {first_officer.name}",
                       first_officer.user_id, demo.GROUP_ID))
    return out


def build(create_app, settings: Settings) -> tuple[Flask, Simulator]:
    """Start the fake LINE, build the app against it, seed the demo data, install the menu and mount the page.

    The caller plugs the webhook in (`simulator.platform.deliver`) once the app is served.
    """
    platform = FakeLinePlatform(settings.line_channel_secret, settings.line_channel_access_token)
    platform.start()
    settings = replace(settings, line_api_base_url=platform.base_url)
    if settings.simulator_push_quota:  # a small quota shows the warnings, the reserve and a used-up month
        platform.set_push_quota(settings.simulator_push_quota)
        settings = replace(settings, quota_check_minutes=1)
    app = create_app(settings)
    services = app.extensions["ccpc"]
    with services.db.session() as session:
        demo.seed(session, settings.districts, services.now())
        session.commit()
    push_budget.check(services)
    _install_rich_menu(services.gateway)
    menus.sync(services)  # the demo officers see the officers' menu
    simulator = Simulator(platform, personas(settings.districts), settings.public_base_url)
    simulator_page.install(app, simulator)
    return app, simulator


def _install_rich_menu(gateway) -> None:
    """Put the bot's rich menu into the fake LINE the way `flask richmenu install` does, so the page shows it.

    The simulator is still useful without it, so a failure is logged and the page shows no menu.
    """
    try:
        installed = rich_menu.install(gateway)
    except Exception as error:  # e.g. the picture cannot be drawn: the chats must still work
        installed = rich_menu.Installed(error=f"{type(error).__name__}: {error}")
    for warning in installed.warnings:
        log.warning("rich menu: %s", warning)
    if not installed.ok:
        log.warning("The simulator shows no menu under the chat: installing the rich menu failed (%s)",
                    installed.error)


class _QuietPolling(logging.Filter):
    """The page asks for news every second; one log line each would bury everything else."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "/simulator/api/state" not in record.getMessage()


def run(create_app, settings: Settings, scheduler: bool = True) -> None:
    """Serve the bot with the simulator until interrupted, and print the page's address."""
    if settings.line_configured:
        log.warning("LINE credentials are set but not used: simulator mode never talks to LINE")
    else:
        log.warning("LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN are not set, so this cannot reach LINE: "
                    "it runs against a local stand-in for LINE instead. Set both (see README.md) for the real channel.")
    _quiet_logs()
    settings = simulator_settings(settings)
    app, simulator = build(create_app, settings)
    loopback = "127.0.0.1" if settings.host in ("", "0.0.0.0", "localhost") else settings.host
    simulator.platform.deliver = http_deliverer(f"http://{loopback}:{settings.port}/callback")
    from handlers import worker

    # Events are always handled here; escalations and reminders appear in the page as they fall due.
    worker.start(app.extensions["ccpc"], jobs=scheduler and settings.scheduler_enabled)
    print(f"\nLINE simulator: open http://{loopback}:{settings.port}/simulator in a browser\n"
          f"(demo data in {settings.database_url.split('///', 1)[-1]}; Ctrl+C stops)\n", flush=True)
    try:
        app.run(host=settings.host, port=settings.port, threaded=True, use_reloader=False)
    finally:
        simulator.platform.stop()


def _quiet_logs() -> None:
    """Keep the terminal readable for someone trying the bot: no line per poll, job run or migration step."""
    logging.getLogger("werkzeug").addFilter(_QuietPolling())
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
