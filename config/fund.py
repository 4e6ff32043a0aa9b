"""The student aid fund's payout schedule (config/fund_schedule.json), loaded and checked."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from config.categories import BY_KEY as CATEGORY_KEYS

DEFAULT_PATH = Path(__file__).with_name("fund_schedule.json")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class FundScheduleError(ValueError):
    """The schedule file is missing, is not JSON, or breaks a rule; str() says where."""


@dataclass(frozen=True)
class FundItem:
    """One payout rule: what happened to the student, and how much the fund pays."""

    key: str  # stable; cases refer to it
    group: str  # e.g. "accident"
    group_label: str  # e.g. "ประเภทอุบัติเหตุ"
    label: str  # e.g. "ประสบอุบัติเหตุจนเสียชีวิต"
    amount_baht: int
    categories: tuple[str, ...]  # case categories for which the item may apply


def _fail(path: Path, where: str, problem: str) -> FundScheduleError:
    """An error naming the file and the place in it."""
    return FundScheduleError(f"{path}: {where}: {problem}")


def _read(path: Path) -> dict:
    """Parse the file as a JSON object."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FundScheduleError(f"{path}: cannot read the fund schedule ({exc.strerror or exc})") from exc
    except json.JSONDecodeError as exc:
        raise _fail(path, f"line {exc.lineno} column {exc.colno}", f"not valid JSON ({exc.msg})") from exc
    if not isinstance(raw, dict):
        raise _fail(path, "top level", "must be an object with \"groups\" and \"items\"")
    return raw


def _groups(raw: dict, path: Path) -> dict[str, str]:
    """The group key -> Thai label mapping."""
    groups = raw.get("groups")
    if not isinstance(groups, dict) or not groups:
        raise _fail(path, "groups", "must be a non-empty object of key: Thai label")
    for key, label in groups.items():
        if not _KEY.match(key) or not isinstance(label, str) or not label.strip():
            raise _fail(path, f"groups.{key}", "needs a lower_case key and a non-empty label")
    return groups


def _text(entry: dict, name: str, path: Path, where: str) -> str:
    """A required non-empty string field."""
    value = entry.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, where, f"\"{name}\" must be a non-empty string")
    return value.strip()


def _categories(entry: dict, path: Path, where: str) -> tuple[str, ...]:
    """The item's case categories, each one a known key."""
    value = entry.get("categories")
    if not isinstance(value, list) or not value:
        raise _fail(path, where, "\"categories\" must be a non-empty list of category keys")
    unknown = [c for c in value if c not in CATEGORY_KEYS]
    if unknown:
        known = ", ".join(CATEGORY_KEYS)
        raise _fail(path, where, f"unknown categories {unknown} (known: {known})")
    return tuple(dict.fromkeys(value))


def _item(entry: object, index: int, groups: dict[str, str], path: Path) -> FundItem:
    """Check one entry of "items" and build its FundItem."""
    where = f"items[{index}]"
    if not isinstance(entry, dict):
        raise _fail(path, where, "must be an object")
    key = _text(entry, "key", path, where)
    where = f"items[{index}] ({key})"
    if not _KEY.match(key):
        raise _fail(path, where, "\"key\" must be lower_case letters, digits and _")
    group = _text(entry, "group", path, where)
    if group not in groups:
        raise _fail(path, where, f"group \"{group}\" is not one of {list(groups)}")
    amount = entry.get("amount_baht")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _fail(path, where, "\"amount_baht\" must be a whole number of baht above 0")
    return FundItem(key, group, groups[group].strip(), _text(entry, "label", path, where),
                    amount, _categories(entry, path, where))


def load_schedule(path: str | Path | None = None) -> list[FundItem]:
    """Load and validate the payout schedule (default: config/fund_schedule.json)."""
    path = Path(path) if path else DEFAULT_PATH
    raw = _read(path)
    groups = _groups(raw, path)
    entries = raw.get("items")
    if not isinstance(entries, list) or not entries:
        raise _fail(path, "items", "must be a non-empty list")
    items = [_item(entry, i, groups, path) for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for item in items:
        if item.key in seen:
            raise _fail(path, f"items ({item.key})", "the same key is used twice")
        seen.add(item.key)
    return items


def items_for_category(key: str, items: list[FundItem] | None = None) -> list[FundItem]:
    """The schedule items that may apply to a case of category key, in schedule order."""
    if key not in CATEGORY_KEYS:
        raise ValueError(f"unknown category: {key!r}")
    items = load_schedule() if items is None else items
    return [item for item in items if key in item.categories]


def item_by_key(key: str, items: list[FundItem] | None = None) -> FundItem:
    """The schedule item with this key; KeyError if the schedule has none."""
    items = load_schedule() if items is None else items
    for item in items:
        if item.key == key:
            return item
    raise KeyError(key)
