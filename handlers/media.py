"""GET /media/photos/<id>/<variant>.<ext>: a photo for LINE to fetch, only with a valid, unexpired signature."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, request, send_file

from bot.photos.pipeline import media_path
from handlers.link_access import link_holder, require_access
from models import Photo

log = logging.getLogger(__name__)
bp = Blueprint("media", __name__)


@bp.get("/media/photos/<int:photo_id>/<variant>.<extension>")
def photo(photo_id: int, variant: str, extension: str):
    services = current_app.extensions["ccpc"]
    holder = link_holder(services)
    with services.db.session() as session:
        row = session.get(Photo, photo_id)
        if row is None or variant not in ("full", "preview") or request.path != media_path(row, variant):
            abort(404)
        require_access(services, session, holder, row.case_id)
    if row.status != "stored":
        abort(410)  # unsent by its sender, refused, or purged under the retention rules
    path = services.media.path(row.file_name if variant == "full" else row.preview_name)
    if path is None:
        log.error("photo %s is recorded as stored but its file is missing", photo_id)
        abort(404)
    response = send_file(path, mimetype=row.content_type or "image/jpeg", max_age=0, conditional=True)
    response.headers["Cache-Control"] = "private, no-store"
    return response
