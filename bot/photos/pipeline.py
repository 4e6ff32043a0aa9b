"""Photos from LINE: recorded on arrival, fetched after the webhook answers, cleaned, stored, shown."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.line import messages as m
from bot.line import outbox
from bot.core import access, signed_urls
from bot.staff import duty
from bot.photos.images import PhotoRejected, clean_photo
from bot.core.texts import say
from models import Case, Draft, Photo

log = logging.getLogger(__name__)

MAX_FETCH_ATTEMPTS = 8
CLAIM = timedelta(minutes=2)
VISIBLE = ("pending", "stored")


def receive(session: Session, user_id: str, message_id: str, now: datetime, image_set: dict | None = None,
            case_id: int | None = None, direction: str = "from_reporter") -> Photo:
    """Record a photo that just arrived, so it is fetched from LINE soon (LINE keeps it only briefly)."""
    photo = session.scalars(select(Photo).where(Photo.line_message_id == message_id)).first()
    if photo is None:
        image_set = image_set or {}
        photo = Photo(line_user_id=user_id, line_message_id=message_id, case_id=case_id, direction=direction,
                      image_set_id=image_set.get("id"), image_set_index=image_set.get("index"), status="pending",
                      attempts=0, next_attempt_at=now, received_at=now)
        session.add(photo)
        session.flush()
    session.info.setdefault("photos_to_fetch", []).append(photo.id)
    return photo


def fetch_due(services, ids=None) -> int:
    """Download, clean and store every photo that is due (or the given ones); returns how many were stored."""
    if not services.gateway.configured:
        return 0
    stored = 0
    for photo_id in (ids if ids is not None else _due_ids(services)):
        stored += _fetch_one(services, photo_id)
    return stored


def _due_ids(services) -> list[int]:
    now = services.now()
    with services.db.session() as session:
        return list(session.scalars(select(Photo.id).where(
            Photo.status == "pending", Photo.next_attempt_at <= now,
            or_(Photo.claimed_until.is_(None), Photo.claimed_until < now)).order_by(Photo.id).limit(50)))


def _claim(services, photo_id: int) -> Photo | None:
    now = services.now()
    with services.db.session() as session:
        claimed = session.execute(update(Photo).where(
            Photo.id == photo_id, Photo.status == "pending", Photo.next_attempt_at <= now,
            or_(Photo.claimed_until.is_(None), Photo.claimed_until < now)).values(claimed_until=now + CLAIM)).rowcount
        session.commit()
        return session.get(Photo, photo_id, populate_existing=True) if claimed else None


def _fetch_one(services, photo_id: int) -> int:
    photo = _claim(services, photo_id)
    if photo is None:
        return 0
    result, data = services.gateway.content(photo.line_message_id)
    with services.db.session() as session:
        photo = session.get(Photo, photo_id)
        photo.claimed_until = None
        if result.ok:
            done = _store(services, session, photo, data)
        elif result.outcome == "retry" and photo.attempts + 1 < MAX_FETCH_ATTEMPTS:
            photo.attempts += 1
            photo.next_attempt_at = services.now() + timedelta(seconds=2 ** photo.attempts)
            log.info("photo %s not ready (%s); retry %s", photo.id, result.status, photo.attempts)
            done = 0
        else:
            _give_up(services, session, photo, "gone" if result.status in (404, 410) else "failed")
            done = 0
        session.commit()
    services.send_outbox(outbox.queued_ids(session))  # the officers' images, the sender's notice: now
    return done


def _store(services, session: Session, photo: Photo, data: bytes) -> int:
    from hashlib import sha256

    source = sha256(data).hexdigest()
    twin = session.scalars(select(Photo).where(Photo.source_sha256 == source, Photo.status == "stored",
                                               Photo.file_name.is_not(None))).first()
    try:
        if twin is not None:  # the same photo sent again: keep one file
            names = (twin.file_name, twin.preview_name, twin.content_type, twin.width, twin.height)
        else:
            clean = clean_photo(data)
            names = (*services.media.save(clean), clean.content_type, clean.width, clean.height)
    except PhotoRejected as refusal:
        photo.problem = refusal.reason
        _give_up(services, session, photo, "rejected", str(refusal))
        return 0
    photo.file_name, photo.preview_name, photo.content_type, photo.width, photo.height = names
    photo.source_sha256, photo.status, photo.stored_at = source, "stored", services.now()
    _announce(services, session, photo)
    return 1


def _give_up(services, session: Session, photo: Photo, status: str, reason: str | None = None) -> None:
    """The photo cannot be had: tell whoever sent it, and take it out of their draft."""
    photo.status = status
    log.warning("photo %s (%s) %s: %s", photo.id, photo.line_message_id, status, reason or photo.problem or "")
    body = reason or say("photo_lost", status=status)
    outbox.enqueue_push(session, photo.line_user_id, [m.text(body)], services.now(), "photo_problem", photo.case_id)
    forget_in_draft(session, photo.line_user_id, photo.line_message_id)


def forget_in_draft(session: Session, user_id: str, message_id: str) -> None:
    draft = session.scalars(select(Draft).where(Draft.line_user_id == user_id)).first()
    if draft is not None and draft.answers.get("photos"):
        kept = [p for p in draft.answers["photos"] if p["message_id"] != message_id]
        draft.answers = {**draft.answers, "photos": kept}


def _announce(services, session: Session, photo: Photo) -> None:
    """A photo that reached a filed case after its alert goes to the officers (or the principal)."""
    if photo.case_id is None or photo.announced or not services.settings.shows_photos:
        return

    case = session.get(Case, photo.case_id)
    photo.announced = True
    if photo.direction == "to_reporter":
        images = image_messages(services.settings, [photo], services.now(), access.reporter_holder(case))
        outbox.enqueue_push(session, case.reporter_line_user_id,
                            [m.text(say("reporter_photo_from_centre", case=case)), *images], services.now(),
                            "relay_photo_to_reporter", case.id)
        return
    header = m.text(say("officer_photo_added", case=case))
    owner = case.owner if case.owner and case.owner.active and case.owner.line_user_id else None
    targets = [owner] if owner else duty.alert_recipients(session, case, services.now())
    for officer in targets:
        images = image_messages(services.settings, [photo], services.now(), access.officer_holder(officer))
        outbox.enqueue_push(session, officer.line_user_id, [header, *images], services.now(), "photo", case.id)


PHOTO_PURPOSES = ("photo", "relay_photo_to_reporter")  # pushes that only bring a photo (see _announce)


def image_messages(settings, photos: list[Photo], now: datetime, holder: str, limit: int = 4) -> list[dict]:
    """LINE image messages with signed, expiring links for `holder` (only with an https PUBLIC_BASE_URL).

    The links name whom they were issued to (core.access), so they stop working once that person
    loses access, even though LINE fetches them lazily.
    """
    if not settings.shows_photos:
        return []
    stamp, ttl = int(now.timestamp()), settings.media_url_ttl_days * 86400
    secret, base = settings.secret_key.encode("utf-8"), settings.public_base_url

    def link(photo: Photo, variant: str) -> str:
        return signed_urls.signed_url(base, secret, media_path(photo, variant), stamp, ttl, holder)

    return [{"type": "image", "originalContentUrl": link(p, "full"), "previewImageUrl": link(p, "preview")}
            for p in photos if p.status == "stored"][:limit]


def media_path(photo: Photo, variant: str) -> str:
    """The path a photo is served at; the signature covers it, so it works only for that photo."""
    extension = (photo.file_name or ".jpg").rsplit(".", 1)[-1]
    return f"{media_folder(photo)}{variant}.{extension}"


def media_folder(photo: Photo) -> str:
    """The start every link to this photo's files shares (and no other photo's)."""
    return f"/media/photos/{photo.id}/"


def case_photos(session: Session, case_id: int) -> list[Photo]:
    """A case's photos that still exist (unsent, refused and purged ones are left out)."""
    return list(session.scalars(select(Photo).where(Photo.case_id == case_id, Photo.status.in_(VISIBLE))
                                .order_by(Photo.id)))


def count_visible(session: Session, case_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Photo).where(Photo.case_id == case_id,
                                                                       Photo.status.in_(VISIBLE)))


def on_unsent(session: Session, message_id: str, media, now: datetime) -> bool:
    """The sender took the photo back in LINE: stop showing it anywhere and delete the file.

    Messages still waiting to go out lose the photo too, so nobody receives a link that no longer opens.
    """
    photo = session.scalars(select(Photo).where(Photo.line_message_id == message_id)).first()
    if photo is None:
        return False
    forget_in_draft(session, photo.line_user_id, message_id)
    drop_file(session, photo, media)
    photo.status = "unsent"
    outbox.withdraw_images(session, media_folder(photo), now, image_only=PHOTO_PURPOSES)
    return True


def drop_file(session: Session, photo: Photo, media) -> None:
    """Forget a photo's files, deleting them from disk unless another photo record shares them."""
    names = (photo.file_name, photo.preview_name)
    photo.file_name = photo.preview_name = None
    if names[0] is None:
        return
    session.flush()
    shared = session.scalar(select(func.count()).select_from(Photo).where(Photo.file_name == names[0]))
    if not shared:
        for name in names:
            media.delete(name)


def purge_closed(session: Session, media, closed_before: datetime) -> int:
    """Delete the files of photos of cases closed before the date; the records that they existed stay."""
    rows = list(session.scalars(select(Photo).join(Case, Photo.case_id == Case.id).where(
        Case.state == "closed", Case.closed_at < closed_before, Photo.file_name.is_not(None))))
    for photo in rows:
        drop_file(session, photo, media)
        photo.status = "purged"
    return len(rows)


def discard_unfiled(session: Session, user_id: str, media) -> None:
    """Photos of a draft that was cancelled or expired are deleted with it."""
    for photo in session.scalars(select(Photo).where(Photo.line_user_id == user_id, Photo.case_id.is_(None))):
        drop_file(session, photo, media)
        session.delete(photo)
