"""Signing a test client in to the web console, and posting its forms with their CSRF token.

`sign_in(client, line_user)` does what an officer does: opens /console/sign-in, reads the code on the
page and sends "เข้าระบบ <code>" from that officer's (fake) LINE, then lets the page check. Use it
where the sign-in itself matters. `sign_in_directly(client, services, line_user)` is the documented
shortcut for tests about the pages: it opens a session row for the officer the way a confirmed code
would (bot/staff/console_access.open_session) and puts its token in the client's session cookie.
"""
from __future__ import annotations

import re

from sqlalchemy import select

from bot.staff import console_access
from models import Officer

CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
CODE = re.compile(r'<strong id="code">(\d{6})</strong>')


def officer_row(services, line_user) -> Officer:
    with services.db.session() as session:
        return session.scalars(select(Officer).where(Officer.line_user_id == line_user.user_id)).one()


def sign_in_directly(client, services, line_user) -> None:
    """The shortcut: a session for this officer, as if they had sent their code from LINE."""
    with services.db.session() as session:
        officer = session.scalars(select(Officer).where(Officer.line_user_id == line_user.user_id)).one()
        token = console_access.open_session(session, services.secret, officer, "127.0.0.1", services.now())
        session.commit()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = token, True


def shown_code(client) -> str:
    """Open the sign-in page and read the code it shows."""
    page = client.get("/console/sign-in").get_data(as_text=True)
    return CODE.search(page).group(1)


def sign_in(client, line_user) -> str:
    """The real way: the code from the page, sent from the officer's LINE; returns where the browser went."""
    code = shown_code(client)
    line_user.says(f"เข้าระบบ {code}")
    status = client.get("/console/sign-in/status.json").get_json()
    assert status["signed_in"], status
    return status["next"]


def csrf_token(client, page: str = "/console/cases") -> str:
    """The CSRF token the console's pages carry (in <meta name="csrf-token">)."""
    return CSRF.search(client.get(page).get_data(as_text=True)).group(1)


def post(client, path: str, data: dict | None = None, page: str = "/console/cases", **kwargs):
    """Submit a console form the way the browser does, CSRF token included; waits until what it sent
    to LINE (the principal's notice, the officers' alerts) has been sent."""
    response = client.post(path, data={"csrf_token": csrf_token(client, page), **(data or {})}, **kwargs)
    assert client.application.extensions["ccpc"].sends.wait_idle(30), "the pushes were never sent"
    return response
