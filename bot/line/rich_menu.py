"""The menu bar under the chat (LINE's rich menu): the principals' and the officers' menus, their pictures.

Each button sends a word as if the person typed it, so a menu needs no code of its own in the
conversation: เหตุด่วน files an urgent report after three answers, แจ้งเหตุ starts a report, สถานะ lists the principal's cases, เมนู explains; officers
get เรื่องค้าง, กองทุน, เข้าระบบเว็บ and วิธีใช้ (linked to each officer by bot/staff/menus.py).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import pairwise

from PIL import Image, ImageDraw

from bot.core.fonts import font_path
from bot.line.gateway import SendResult
from bot.line.shaped_text import TextStyle, draw_centred, text_width

NAME_PREFIX = "ccpc-"  # menus whose name starts so are ours: install replaces them
NAME = "ccpc-main-menu"
OFFICER_NAME = "ccpc-officer-menu"
CHAT_BAR_TEXT = "เมนูแจ้งเหตุ"  # the bar that opens and closes the menu, at most 14 characters
WIDTH, HEIGHT = 2500, 843  # LINE's compact rich menu
CONTENT_TYPE = "image/png"
MAX_IMAGE_BYTES = 1_000_000  # LINE's limit for a rich menu picture ("1 MB", read strictly)
LABEL_MAX, SUBTITLE_MAX = 170, 74  # font sizes in px, shrunk until every panel's words fit
MARGIN = 70  # px kept clear on each side of a panel's words
WHITE = (255, 255, 255)
SET_DEFAULT_ATTEMPTS = 3  # setting the default again is harmless, so a lost answer is asked again


@dataclass(frozen=True)
class Panel:
    """One button of the menu: its big word, the line under it, what a tap sends, its colour."""

    label: str
    subtitle: str
    text: str
    colour: tuple[int, int, int]
    icon: str  # "!", "list" or "?"


@dataclass(frozen=True)
class Menu:
    """One rich menu: its name in LINE (ours start with NAME_PREFIX), its chat bar, its panels."""

    name: str
    chat_bar: str  # at most 14 characters
    panels: tuple[Panel, ...]


PANELS = (
    Panel("เหตุด่วน", "อันตรายถึงชีวิต แจ้งทันที", "เหตุด่วน", (127, 0, 0), "!"),
    Panel("แจ้งเหตุ", "รายงานเหตุที่เกิดกับนักเรียน", "แจ้งเหตุ", (196, 40, 40), "+"),
    Panel("สถานะ", "ดูเรื่องที่รายงานไว้", "สถานะ", (21, 101, 192), "list"),
    Panel("เมนู/วิธีใช้", "วิธีใช้และสายด่วน", "เมนู", (27, 120, 62), "?"),
)
PRINCIPALS = Menu(NAME, CHAT_BAR_TEXT, PANELS)
OFFICERS = Menu(OFFICER_NAME, "เมนูงานศูนย์", (
    Panel("เรื่องค้าง", "เรื่องใหม่และเรื่องที่ยังไม่ปิด", "เรื่องค้าง", (196, 40, 40), "list"),
    Panel("กองทุน", "คำขอที่รอดำเนินการ", "กองทุน", (21, 101, 192), "฿"),
    Panel("เข้าระบบเว็บ", "หน้าเว็บสำหรับเจ้าหน้าที่", "เข้าระบบเว็บ", (94, 53, 177), "@"),
    Panel("วิธีใช้", "คำสั่งทั้งหมด", "เมนูเจ้าหน้าที่", (27, 120, 62), "?"),
))


@dataclass(frozen=True)
class Installed:
    """What installing did: the new default menu, our older menus removed, or why it stopped.

    `uncertain`: it stopped where LINE may already show the new menu (`rich_menu_id`), so it was kept.
    """

    rich_menu_id: str | None = None
    officer_menu_id: str | None = None
    removed: tuple[str, ...] = ()
    error: str = ""
    warnings: tuple[str, ...] = ()
    uncertain: bool = False

    @property
    def ok(self) -> bool:
        return not self.error


def install(gateway) -> Installed:
    """Create the menu in LINE, upload its picture, make it everyone's default, then drop our older ones.

    A menu that fails half-way is deleted again, so the menu people had stays as it was; but a
    menu LINE may already show to everyone (setting the default timed out) is never deleted.
    """
    image = render()
    if len(image) > MAX_IMAGE_BYTES:
        return Installed(error=f"the picture is {len(image):,} bytes, over LINE's limit of {MAX_IMAGE_BYTES:,}")
    result, menu_id = gateway.create_rich_menu(definition())
    if not result.ok or not menu_id:
        return Installed(error=_failure("create the menu", result))
    result = gateway.upload_rich_menu_image(menu_id, image, CONTENT_TYPE)
    if not result.ok:
        return _undo(gateway, menu_id, _failure("upload its picture", result))
    result = _make_default(gateway, menu_id)
    if not result.ok:
        if result.outcome == "refused":  # LINE said no: the menu people had is still the default
            return _undo(gateway, menu_id, _failure("make it the default menu", result))
        return Installed(menu_id, error=_failure("make it the default menu", result), uncertain=True)
    officers, problem = _create(gateway, OFFICERS)
    removed, warnings = _remove_older(gateway, {menu_id, officers})
    return Installed(menu_id, officers, removed, warnings=warnings + ((problem,) if problem else ()))


def _create(gateway, menu: Menu) -> tuple[str | None, str]:
    """Create a menu that is nobody's default (the officers'); (its id, or None and why not)."""
    result, menu_id = gateway.create_rich_menu(definition(menu))
    if not result.ok or not menu_id:
        return None, _failure(f"create {menu.name}", result)
    result = gateway.upload_rich_menu_image(menu_id, render(menu), CONTENT_TYPE)
    if not result.ok:
        gateway.delete_rich_menu(menu_id)
        return None, _failure(f"upload the picture of {menu.name}", result)
    return menu_id, ""


def _make_default(gateway, menu_id: str, attempts: int = SET_DEFAULT_ATTEMPTS):
    """Set the default, asking again after a lost answer; ok also when LINE shows it was applied.

    Setting the same default twice is harmless, so an answer lost to a timeout or a 5xx is
    retried; if every try is lost, LINE is asked which menu is the default now. "refused" means
    LINE answered that the menu is not the default (a 4xx, or another menu is the default).
    """
    for _ in range(attempts):
        result = gateway.set_default_rich_menu(menu_id)
        if result.outcome != "retry":
            return result
    asked, current = gateway.default_rich_menu_id()
    if not asked.ok:
        return result  # still unknown: the caller must not delete the menu
    if current == menu_id:
        return asked
    return SendResult("refused", result.status, result.detail or "another menu is the default")


def _undo(gateway, menu_id: str, error: str) -> Installed:
    """Delete the unfinished menu again, so that nothing changed for the people who use the bot."""
    undone = gateway.delete_rich_menu(menu_id)
    leftover = () if undone.ok else (f"the unfinished menu {menu_id} could not be deleted",)
    return Installed(error=error, warnings=leftover)


def _remove_older(gateway, keep: set) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Delete every menu we made before (by its name), keeping `keep`; returns (removed, warnings)."""
    result, menus = gateway.rich_menus()
    if not result.ok:
        return (), (_failure("list the older menus to remove them", result),)
    removed, warnings = [], []
    for menu in menus:
        menu_id = menu.get("richMenuId")
        if menu_id in keep or not str(menu.get("name", "")).startswith(NAME_PREFIX):
            continue
        deleted = gateway.delete_rich_menu(menu_id)
        if deleted.ok:
            removed.append(menu_id)
        else:
            warnings.append(_failure(f"delete the older menu {menu_id}", deleted))
    return tuple(removed), tuple(warnings)


def _failure(step: str, result) -> str:
    answer = f"LINE answered {result.status}" if result.status else "LINE could not be reached"
    return f"could not {step}: {answer}" + (f" ({result.detail})" if result.detail else "")


def panel_bounds(menu: Menu = PRINCIPALS) -> list[dict]:
    """Each panel's tappable area in image pixels; together they cover the whole picture."""
    edges = [round(i * WIDTH / len(menu.panels)) for i in range(len(menu.panels) + 1)]
    return [{"x": left, "y": 0, "width": right - left, "height": HEIGHT} for left, right in pairwise(edges)]


def definition(menu: Menu = PRINCIPALS) -> dict:
    """The rich menu as LINE's JSON (a RichMenuRequest), shown open when the chat opens."""
    areas = [{"bounds": bounds, "action": {"type": "message", "label": panel.label, "text": panel.text}}
             for panel, bounds in zip(menu.panels, panel_bounds(menu))]
    return {"size": {"width": WIDTH, "height": HEIGHT}, "selected": True, "name": menu.name,
            "chatBarText": menu.chat_bar, "areas": areas}


def render(menu: Menu = PRINCIPALS) -> bytes:
    """The menu's picture as PNG bytes: coloured panels with an icon, a big word and a hint."""
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    room = WIDTH / len(menu.panels) - 2 * MARGIN
    label = _fitting("Bold", LABEL_MAX, [p.label for p in menu.panels], room)
    subtitle = _fitting("Regular", SUBTITLE_MAX, [p.subtitle for p in menu.panels], room)
    for panel, bounds in zip(menu.panels, panel_bounds(menu)):
        _draw_panel(image, panel, bounds, label, subtitle)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _fitting(style: str, largest: int, texts: list[str], room: float) -> TextStyle:
    """The largest size up to `largest` at which every text fits a panel's width."""
    size = largest
    while size > 20 and max(text_width(t, TextStyle(font_path(style), size)) for t in texts) > room:
        size -= 2
    return TextStyle(font_path(style), size)


def _draw_panel(image: Image.Image, panel: Panel, bounds: dict, label: TextStyle, subtitle: TextStyle) -> None:
    draw = ImageDraw.Draw(image)
    left, right = bounds["x"], bounds["x"] + bounds["width"]
    draw.rectangle((left, 0, right - 1, HEIGHT - 1), fill=panel.colour)
    if left:  # a thin light line between panels, so they read as separate buttons
        draw.rectangle((left - 3, 40, left + 2, HEIGHT - 41), fill=_lighter(panel.colour))
    centre = (left + right) / 2
    _draw_icon(image, panel, centre, 225, 118)
    draw_centred(image, centre, 575, panel.label, label, WHITE)
    draw_centred(image, centre, 735, panel.subtitle, subtitle, _lighter(panel.colour, 0.8))


def _draw_icon(image: Image.Image, panel: Panel, cx: float, cy: float, radius: int) -> None:
    """A white disc with the panel's sign in its colour: ! to report, a list for status, ? for help."""
    draw = ImageDraw.Draw(image)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=WHITE)
    if panel.icon != "list":
        draw_centred(image, cx, cy + 62, panel.icon, TextStyle(font_path("Bold"), 180), panel.colour)
        return
    for row in (-1, 0, 1):
        y = cy + row * 42
        draw.ellipse((cx - 62, y - 11, cx - 40, y + 11), fill=panel.colour)
        draw.rounded_rectangle((cx - 22, y - 10, cx + 64, y + 10), radius=10, fill=panel.colour)


def _lighter(colour: tuple[int, int, int], amount: float = 0.35) -> tuple[int, int, int]:
    return tuple(round(c + (255 - c) * amount) for c in colour)
