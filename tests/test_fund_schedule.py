"""The student aid fund's payout schedule: defaults from the manual, validation of office edits."""
from __future__ import annotations

import copy
import json

import pytest

from config.categories import BY_KEY
from config.fund import DEFAULT_PATH, FundScheduleError, item_by_key, items_for_category, load_schedule

MANUAL_AMOUNTS = {
    "disaster_home_100": 5000, "disaster_home_75": 4000, "disaster_home_50": 3000, "disaster_home_25": 2000,
    "accident_death": 5000, "accident_disability": 4000,
    "other_sexual_abuse": 3000, "other_maltreatment": 3000, "other_serious_illness": 3000,
    "other_abandoned": 2000,
}


@pytest.fixture
def raw() -> dict:
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def write(tmp_path, data) -> str:
    path = tmp_path / "fund_schedule.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_default_schedule_matches_the_manual():
    items = load_schedule()
    assert {item.key: item.amount_baht for item in items} == MANUAL_AMOUNTS
    labels = {item.key: item.label for item in items}
    assert "ร้อยละ 100" in labels["disaster_home_100"] and "ทั้งหลัง" in labels["disaster_home_100"]
    assert "ห้องครัว หลังคาบ้าน ฝาผนัง" in labels["disaster_home_75"]
    assert "เสียชีวิต" in labels["accident_death"]
    assert "ทุพพลภาพ" in labels["accident_disability"]  # the manual's "ทูพพลภาพ" is a typo
    assert "ทอดทิ้ง" in labels["other_abandoned"]
    groups = {item.group: item.group_label for item in items}
    assert groups == {"disaster": "ประเภทภัยพิบัติ", "accident": "ประเภทอุบัติเหตุ",
                      "other_hardship": "ประสบภัยด้านอื่น ๆ"}


def test_every_item_names_known_categories():
    for item in load_schedule():
        assert item.categories and set(item.categories) <= set(BY_KEY)


def test_items_for_category():
    assert [i.key for i in items_for_category("accident")] == ["accident_death", "accident_disability"]
    assert [i.key for i in items_for_category("sexual_abuse")] == ["other_sexual_abuse"]
    assert "other_abandoned" in [i.key for i in items_for_category("violence")]
    assert items_for_category("drugs") == []
    assert {i.key for i in items_for_category("other")} >= {"disaster_home_100", "other_abandoned"}
    with pytest.raises(ValueError):
        items_for_category("flood")


def test_items_for_category_uses_given_items(tmp_path, raw):
    raw["items"] = [i for i in raw["items"] if i["key"] == "accident_death"]
    items = load_schedule(write(tmp_path, raw))
    assert [i.key for i in items_for_category("accident", items)] == ["accident_death"]
    assert item_by_key("accident_death", items).amount_baht == 5000
    with pytest.raises(KeyError):
        item_by_key("accident_disability", items)


def test_an_office_can_change_amounts(tmp_path, raw):
    raw["items"][0]["amount_baht"] = 6000
    assert load_schedule(write(tmp_path, raw))[0].amount_baht == 6000


def _break(raw: dict, how: str) -> dict:
    bad = copy.deepcopy(raw)
    first = bad["items"][0]
    if how == "negative amount":
        first["amount_baht"] = -5
    elif how == "text amount":
        first["amount_baht"] = "5,000"
    elif how == "boolean amount":
        first["amount_baht"] = True
    elif how == "fraction amount":
        first["amount_baht"] = 2500.5
    elif how == "duplicate key":
        bad["items"][1]["key"] = first["key"]
    elif how == "unknown category":
        first["categories"] = ["flood"]
    elif how == "no categories":
        first["categories"] = []
    elif how == "unknown group":
        first["group"] = "weather"
    elif how == "empty label":
        first["label"] = "  "
    elif how == "bad key":
        first["key"] = "Home 100%"
    elif how == "no items":
        bad["items"] = []
    elif how == "no groups":
        del bad["groups"]
    return bad


@pytest.mark.parametrize("how, words", [
    ("negative amount", "amount_baht"), ("text amount", "amount_baht"), ("boolean amount", "amount_baht"),
    ("fraction amount", "amount_baht"), ("duplicate key", "twice"), ("unknown category", "flood"),
    ("no categories", "categories"), ("unknown group", "weather"), ("empty label", "label"),
    ("bad key", "key"), ("no items", "items"), ("no groups", "groups"),
])
def test_bad_schedules_are_refused_with_a_clear_message(tmp_path, raw, how, words):
    path = write(tmp_path, _break(raw, how))
    with pytest.raises(FundScheduleError) as excinfo:
        load_schedule(path)
    message = str(excinfo.value)
    assert path in message and words in message


def test_item_errors_name_the_item(tmp_path, raw):
    raw["items"][4]["amount_baht"] = 0
    with pytest.raises(FundScheduleError, match=r"items\[4\] \(accident_death\)"):
        load_schedule(write(tmp_path, raw))


def test_broken_json_says_where(tmp_path):
    path = write(tmp_path, '{\n  "groups": {"a": "ก"},\n  "items": [\n    {"key": "x",}\n  ]\n}')
    with pytest.raises(FundScheduleError, match="line 4"):
        load_schedule(path)


def test_missing_file_and_wrong_shape(tmp_path):
    with pytest.raises(FundScheduleError, match="cannot read"):
        load_schedule(tmp_path / "nope.json")
    with pytest.raises(FundScheduleError, match="top level"):
        load_schedule(write(tmp_path, "[]"))
