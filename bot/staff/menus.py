"""Officers see the officers' rich menu: linked when they are linked to LINE, unlinked when deactivated.

The database is the truth (`Officer.menu_linked`); `sync` makes LINE match it, so it can run after
every change and periodically, and a call LINE missed is made again the next time.
"""
from __future__ import annotations

import logging

from sqlalchemy import select

from bot.line import rich_menu
from models import Officer

log = logging.getLogger(__name__)


def _officer_menu_id(gateway) -> str | None:
    result, menus = gateway.rich_menus()
    if not result.ok:
        return None
    ours = [m for m in menus if m.get("name") == rich_menu.OFFICER_NAME]
    return ours[-1]["richMenuId"] if ours else None


def _due(session) -> tuple[list[Officer], list[Officer]]:
    linked = Officer.line_user_id.is_not(None)
    to_link = select(Officer).where(linked, Officer.active.is_(True), Officer.menu_linked.is_(False))
    to_unlink = select(Officer).where(linked, Officer.active.is_(False), Officer.menu_linked.is_(True))
    return list(session.scalars(to_link)), list(session.scalars(to_unlink))


def sync(services) -> int:
    """Link the officers' menu to active officers and unlink it from deactivated ones; returns the changes."""
    with services.db.session() as session:
        to_link, to_unlink = _due(session)
        if not to_link and not to_unlink:
            return 0
        menu_id = _officer_menu_id(services.gateway) if to_link else None
        changed = 0
        for officer in to_unlink:
            if services.gateway.unlink_rich_menu(officer.line_user_id).ok:
                officer.menu_linked, changed = False, changed + 1
        for officer in to_link if menu_id else []:
            if services.gateway.link_rich_menu(officer.line_user_id, menu_id).ok:
                officer.menu_linked, changed = True, changed + 1
        session.commit()
    if to_link and not menu_id:
        log.warning("the officers' rich menu is not installed: run `flask richmenu install`")
    return changed
