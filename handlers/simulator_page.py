"""/simulator: the LINE simulator's page and its JSON API, registered only in simulator mode."""
from __future__ import annotations

from importlib.resources import files

from flask import (Blueprint, Flask, Response, abort, current_app, jsonify, render_template, request, send_file,
                   send_from_directory, url_for)

from bot import demo
from bot.fake_line.simulator import Simulator, SimulatorError
from config.settings import PROJECT_ROOT

bp = Blueprint("simulator", __name__, url_prefix="/simulator")
ASSETS = PROJECT_ROOT / "static" / "simulator"
FONT_STYLES = ("Regular", "Bold")
MAX_UPLOAD = 25 * 1024 * 1024  # a few phone photos at once; the app's own limit is for LINE's webhooks


def install(app: Flask, simulator: Simulator) -> None:
    """Serve the simulator page from this app (simulator mode only: never next to a real channel)."""
    app.extensions["line_simulator"] = simulator
    # The simulated public address is https, but this page is served over http on this machine:
    # a Secure cookie would never come back, so the console could not be tried here.
    app.config.update(SESSION_COOKIE_SECURE=False, WTF_CSRF_SSL_STRICT=False)
    app.register_blueprint(bp)


def _sim() -> Simulator:
    return current_app.extensions["line_simulator"]


def _json() -> dict:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@bp.before_request
def _check_request():
    request.max_content_length = MAX_UPLOAD
    key = (request.view_args or {}).get("key", request.args.get("persona", ""))
    if key and key not in _sim().personas:
        return jsonify(error="ไม่พบผู้ใช้นี้ในเครื่องจำลอง"), 404
    return None


@bp.errorhandler(SimulatorError)
def _refused(error: SimulatorError):
    return jsonify(error=str(error)), 400


@bp.get("")
def page() -> str:
    """The simulator page: the chat list and one chat."""
    return render_template("simulator.html", bot_name=current_app.extensions["ccpc"].settings.centre_name)


@bp.get("/assets/<path:name>")
def asset(name: str) -> Response:
    """The page's script and style."""
    return send_from_directory(ASSETS, name, max_age=0)


@bp.get("/fonts/Sarabun-<style>.ttf")
def font(style: str) -> Response:
    """Sarabun from the fontpkg-sarabun package, so Thai looks the same on every machine."""
    if style not in FONT_STYLES:
        abort(404)
    return send_file(str(files("fontpkg_sarabun").joinpath("files", f"Sarabun-{style}.ttf")), max_age=86400)


@bp.get("/api/state")
def state():
    """Every persona's unread count; the open chat's new entries and rich menu; LINE's refusals so far."""
    sim, key = _sim(), request.args.get("persona", "")
    after = request.args.get("after", 0, type=int)
    entries = sim.view(key, after, request.host_url) if key else []
    rejections = [{"status": r.status, "path": r.path, "message": r.message, "problems": r.problems,
                   "at": r.at.isoformat()} for r in sim.platform.rejections]
    menu = sim.rich_menu(key, request.host_url) if key else None
    if menu:
        menu["image"] = url_for("simulator.rich_menu_image", rich_menu_id=menu["richMenuId"])
    return jsonify(personas=sim.summary(), entries=entries, last=sim.chats.last_seq(),
                   cleared=sim.chats.cleared_upto(), rejections=rejections, richMenu=menu)


@bp.post("/api/chats/<key>/text")
def send_text(key: str):
    """The persona types and sends a text."""
    return jsonify(status=_sim().says(key, str(_json().get("text", ""))))


@bp.post("/api/chats/<key>/sticker")
def send_sticker(key: str):
    """The persona sends a sticker."""
    body = _json()
    status = _sim().sends_sticker(key, str(body.get("packageId", "446")),
                                  str(body.get("stickerId", "1988")))
    return jsonify(status=status)


@bp.post("/api/chats/<key>/location")
def send_location(key: str):
    """The persona shares a location."""
    body = _json()
    try:
        latitude, longitude = float(body.get("latitude")), float(body.get("longitude"))
    except (TypeError, ValueError) as error:
        raise SimulatorError("พิกัดไม่ถูกต้อง") from error
    title = str(body.get("title") or "ตำแหน่งที่ตั้ง")[:100]
    status = _sim().sends_location(key, title, latitude, longitude,
                                   str(body.get("address") or "")[:100])
    return jsonify(status=status)


@bp.post("/api/chats/<key>/photos")
def send_photos(key: str):
    """The persona sends photos picked from disk (several at once make one image set)."""
    photos = [(f.read(), f.mimetype) for f in request.files.getlist("photos")]
    return jsonify(ids=_sim().sends_photos(key, photos))


@bp.post("/api/chats/<key>/tap")
def tap(key: str):
    """The persona taps a button of message `seq` or an area of rich menu `menu`: its text, postback or
    picked date goes to the bot; a link comes back."""
    body = _json()
    menu, picked = body.get("menu"), body.get("picked") or None
    try:
        index = int(body.get("index"))
        seq = 0 if menu else int(body.get("seq"))
    except (TypeError, ValueError) as error:
        raise SimulatorError("ไม่พบปุ่มนี้") from error
    if menu:
        result = _sim().taps_menu(key, str(menu), index, picked)
    else:
        result = _sim().taps(key, seq, index, picked)
    return jsonify(uri=result) if isinstance(result, str) else jsonify(status=result)


@bp.get("/api/rich-menus/<rich_menu_id>/image")
def rich_menu_image(rich_menu_id: str) -> Response:
    """A rich menu's picture as uploaded to the fake LINE (never changes: LINE allows one upload)."""
    menu = next((m for m in _sim().platform.rich_menus if m.rich_menu_id == rich_menu_id), None)
    if menu is None or menu.image is None:
        abort(404)
    return Response(menu.image, mimetype=menu.content_type, headers={"Cache-Control": "private, max-age=86400"})


@bp.get("/api/content/<message_id>")
def content(message_id: str) -> Response:
    """A photo a persona sent, for their own chat to show."""
    found = _sim().platform.content(message_id)
    if found is None:
        abort(404)
    return Response(found.data, mimetype=found.content_type, headers={"Cache-Control": "private, max-age=3600"})


@bp.post("/api/reset")
def reset():
    """Remove the demo data (cases, chats) and seed it afresh."""
    services = current_app.extensions["ccpc"]
    with services.db.session() as session:
        removed = demo.reset(session, services.media)
        demo.seed(session, services.settings.districts, services.now())
        session.commit()
    _sim().clear()
    return jsonify(removed_cases=removed)
