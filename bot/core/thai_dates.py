"""Thai dates: Buddhist Era formatting, and parsing of the dates and times principals type."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.texts import say

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543
FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_AGE = timedelta(days=365)

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", _THAI_DIGITS)
_FROM_THAI = str.maketrans(_THAI_DIGITS, "0123456789")


# ---------------------------------------------------------------- formatting

def to_thai_digits(s: str) -> str:
    """Replace the ASCII digits 0-9 in s with the Thai digits ๐-๙."""
    return s.translate(_TO_THAI)


def to_arabic_digits(s: str) -> str:
    """Replace the Thai digits ๐-๙ in s with the ASCII digits 0-9."""
    return s.translate(_FROM_THAI)


def _local(d: date | datetime) -> date | datetime:
    """Aware datetimes move to Bangkok time; dates and naive datetimes are kept."""
    if isinstance(d, datetime) and d.tzinfo is not None:
        return d.astimezone(BANGKOK)
    return d


def be_year(d: date | datetime) -> int:
    """Return the Buddhist Era year of d (aware datetimes are read in Bangkok time)."""
    return _local(d).year + BE_OFFSET


def format_date(d: date | datetime, style: str = "full", thai_digits: bool = False) -> str:
    """Format d as "22 พฤศจิกายน 2569" (full) or "22 พ.ย. 69" (short)."""
    d = _local(d)
    if style == "full":
        text = f"{d.day} {THAI_MONTHS[d.month - 1]} {be_year(d)}"
    elif style == "short":
        text = f"{d.day} {THAI_MONTHS_SHORT[d.month - 1]} {be_year(d) % 100:02d}"
    else:
        raise ValueError(f"unknown style: {style!r}")
    return to_thai_digits(text) if thai_digits else text


def format_datetime(dt: datetime, style: str = "full", thai_digits: bool = False) -> str:
    """Format dt as "22 พฤศจิกายน 2569 เวลา 14.30 น." (full) or "22 พ.ย. 69 14.30 น." (short)."""
    dt = _local(dt)
    sep = " เวลา " if style == "full" else " "
    text = format_date(dt, style) + sep + f"{dt.hour}.{dt.minute:02d} น."
    return to_thai_digits(text) if thai_digits else text


# ------------------------------------------------------------------- parsing

class DateParseError(ValueError):
    """A typed date/time that cannot be accepted; str() is a polite Thai message for the user."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason  # "unreadable", "future", "invalid_date", "too_old" or "which_year"


class YearQuestion(DateParseError):
    """A two-digit year that makes sense in either era: str() asks "หมายถึง … ใช่ไหม", `meant` is the likely one."""

    def __init__(self, meant: datetime, day_only: bool = False):
        super().__init__(say("date_which_year", meant=meant, day_only=day_only), "which_year")
        self.meant = meant


class _Guessed(date):
    """A day whose two-digit year was read in the less usual era (C.E.): the person is asked to confirm."""


_LAST_NIGHT = "last night"  # sentinel day: its date depends on the hour given
_NOW_WORDS = re.compile(r"ตอนนี้|เมื่อกี้|เมื่อกี๊|เมื่อสักครู่|เมื่อครู่|เมื่อตะกี้|just now|now")
_AGO = re.compile(r"(?:เมื่อ)?\s*(\d{1,3})\s*(ชั่วโมง|ชม\.?|นาที)\s*(?:ที่แล้ว|ก่อน|มาแล้ว)")
_NUMBER_WORDS = (("สิบสอง", 12), ("สิบเอ็ด", 11), ("สิบ", 10), ("หนึ่ง", 1), ("สอง", 2), ("สาม", 3), ("สี่", 4),
                 ("ห้า", 5), ("หก", 6), ("เจ็ด", 7), ("แปด", 8), ("เก้า", 9))
_DAY_PARTS = (  # (words, days back, part of the day): the part decides what "N โมง" means
    (r"เมื่อวาน(?:นี้)?\s*(?:ตอน)?\s*เย็น", 1, "evening"), (r"เมื่อวาน(?:นี้)?\s*(?:ตอน)?\s*เช้า", 1, "morning"),
    (r"เมื่อเช้า(?:นี้)?|เช้านี้|ตอนเช้า", 0, "morning"), (r"เย็นนี้|ตอนเย็น|เมื่อเย็น(?:นี้)?", 0, "evening"),
)
_WEEKDAYS = {"จันทร์": 0, "อังคาร": 1, "พุธ": 2, "พฤหัสบดี": 3, "พฤหัส": 3, "ศุกร์": 4, "เสาร์": 5, "อาทิตย์": 6}
_WEEKDAY = re.compile(r"วัน(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\s*(ที่แล้ว|ก่อน)?")
_FILLER = re.compile(r"(?:[\s,\-@]|วันที่|เมื่อ|เวลา|ตอน|ประมาณ|นาฬิกา|น\.?|ครับ|ค่ะ|คะ|นะ|at|on)*")
_DAYS_AGO = {"เมื่อวานซืน": 2, "วานซืน": 2, "เมื่อวานนี้": 1, "เมื่อวาน": 1,
             "yesterday": 1, "วันนี้": 0, "today": 0}
_NOT_A_YEAR = r"(?!\d|[.:]\d|\s*(?:นาฬิกา|โมง|ทุ่ม|น\.|น(?![\u0e00-\u0e7f])))"
_MINUTES = r"(?:\s*[.:]\s*(?P<mm>\d{2})|\s*(?P<half>ครึ่ง)|\s*(?P<nm>\d{1,2})\s*นาที)?"


def _month_spellings():
    """Yield (spelling without dots, regex, month number) for every accepted month name."""
    for number, (full, short) in enumerate(zip(THAI_MONTHS, THAI_MONTHS_SHORT), 1):
        spoken = re.sub(r"(คม|ยน|พันธ์)$", "", full)  # "พฤศจิกา", "กุมภา", ...
        yield full, full, number
        yield spoken, spoken, number
        yield short.replace(".", ""), r"\.?".join(short.strip(".").split(".")) + r"\.?", number


_MONTH_SPELLINGS = sorted(_month_spellings(), key=lambda t: -len(t[0]))  # longest first
_MONTH_NUMBER = {name: number for name, _, number in _MONTH_SPELLINGS}
_MONTH_RE = "|".join(rx for _, rx, _ in _MONTH_SPELLINGS)

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)t?")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")
_NUMERIC_NO_YEAR = re.compile(r"(?<![\d.:])(\d{1,2})/(\d{1,2})(?![\d/])")
_NAMED = re.compile(rf"(?<!\d)(\d{{1,2}})\s*({_MONTH_RE})\s*(?:(?:พ\.?ศ\.?|ค\.?ศ\.?)?\s*(\d{{4}}|\d{{2}}){_NOT_A_YEAR})?")
_RELATIVE = re.compile("|".join(sorted(_DAYS_AGO, key=len, reverse=True)) + r"|เมื่อคืน(?:นี้)?|last night")


def _shift(offset: int, low: int, high: int):
    """Hour rule: n in [low, high] becomes n + offset, anything else is no valid hour."""
    return lambda n: n + offset if low <= n <= high else None


def _plain_moong(n: int) -> int | None:
    """"N โมง" alone: 1-5 is afternoon (the Thai 6-hour clock), 6-23 is taken as written."""
    return n + 12 if 1 <= n <= 5 else (n if 6 <= n <= 23 else None)


_N = r"(?<![\d.:])(?P<h>\d{1,2})"
_TIME_RULES = [(re.compile(rx + _MINUTES), rule) for rx, rule in [
    (r"เที่ยงคืน", lambda n: 0),
    (r"เที่ยง(?:วัน|ตรง)?", lambda n: 12),
    (r"บ่าย\s*โมง", lambda n: 13),
    (r"บ่าย\s*(?P<h>\d{1,2})(?:\s*โมง)?", _shift(12, 1, 5)),
    (r"ตี\s*(?P<h>\d{1,2})", _shift(0, 1, 5)),
    (_N + r"\s*ทุ่ม", _shift(18, 1, 5)),
    (_N + r"\s*โมง\s*เช้า", _shift(0, 1, 11)),
    (_N + r"\s*โมง\s*เย็น", _shift(12, 1, 6)),
    (_N + r"\s*โมง", _plain_moong),
]] + [
    (re.compile(_N + r"[:.](?P<mm>\d{2})(?::(?P<sec>\d{2}))?(?!\d)"), _shift(0, 0, 23)),
    (re.compile(_N + r"\s*นาฬิกา(?:\s*(?P<nm>\d{1,2})\s*นาที)?"), _shift(0, 0, 23)),
]


def _example(now: datetime) -> str:
    """A valid example for error messages: now, written as d/m/BE h.mm."""
    return f"{now.day}/{now.month}/{be_year(now)} {now.hour}.{now.minute:02d}"


def _cut(s: str, m: re.Match) -> str:
    """Remove the matched part of s, leaving a space so neighbours stay apart."""
    return s[:m.start()] + " " + s[m.end():]


def _ce_year(text: str) -> int:
    """A typed four-digit year as a Christian year: 2400 and later are Buddhist Era."""
    year = int(text)
    return year - BE_OFFSET if year >= 2400 else year


def _typed_date(year: str, month: int, day: int, now: datetime) -> date:
    """A day with a typed year. Two digits are B.E. ("69" is 2569) unless that era is long past and the
    C.E. reading is recent ("2/12/26" typed in 2569): then the C.E. day, marked to be confirmed."""
    if len(year) != 2:
        return _make_date(_ce_year(year), month, day, now)
    be = _make_date(int(year) + 2500 - BE_OFFSET, month, day, now)
    try:
        ce = date(2000 + int(year), month, day)
    except ValueError:
        return be
    today = now.date()
    if ce <= today and today - ce <= MAX_AGE:  # both eras are past: ask about the recent one
        return _Guessed(ce.year, ce.month, ce.day)
    return be


def _make_date(year: int, month: int, day: int, now: datetime) -> date:
    """Build a date or explain politely why that day does not exist."""
    example = _example(now)
    if not 1 <= month <= 12:
        raise DateParseError(say("date_no_such_month", month=month, example=example), "invalid_date")
    if not 1 <= year <= 9998:
        raise DateParseError(say("date_no_such_year", year=year, example=example), "invalid_date")
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    if not 1 <= day <= last:
        raise DateParseError(say("date_no_such_day", day=day, month=THAI_MONTHS[month - 1], year=year + BE_OFFSET,
                                 last=last, example=example), "invalid_date")
    return date(year, month, day)


def _recent_date(month: int, day: int, now: datetime) -> date:
    """A date typed without a year: this year, or last year if that day has not come yet."""
    year = now.year - 1 if (month, day) > (now.month, now.day) else now.year
    return _make_date(year, month, day, now)


def _named_date(m: re.Match, now: datetime) -> date:
    """"22 พ.ย. 69", "22 พฤศจิกายน 2569", "22 พย" (no year: the most recent such day)."""
    month = _MONTH_NUMBER[m[2].replace(".", "")]
    if m[3]:
        return _typed_date(m[3], month, int(m[1]), now)
    return _recent_date(month, int(m[1]), now)


def _relative_date(word: str, now: datetime) -> date | str:
    """"วันนี้", "เมื่อวาน", ... to a date; "เมื่อคืน" stays a sentinel until the hour is known."""
    if word in _DAYS_AGO:
        return now.date() - timedelta(days=_DAYS_AGO[word])
    return _LAST_NIGHT


_DATE_RULES = [
    (_ISO, lambda m, now: _make_date(int(m[1]), int(m[2]), int(m[3]), now)),
    (_NUMERIC, lambda m, now: _typed_date(m[4], int(m[3]), int(m[1]), now)),
    (_NAMED, lambda m, now: _named_date(m, now)),
    (_NUMERIC_NO_YEAR, lambda m, now: _recent_date(int(m[2]), int(m[1]), now)),
    (_RELATIVE, lambda m, now: _relative_date(m[0], now)),
    (_WEEKDAY, lambda m, now: _weekday(m, now)),
]


def _weekday(m: re.Match, now: datetime) -> date:
    """"วันจันทร์": the latest Monday up to today; "วันจันทร์ที่แล้ว": the latest one before today."""
    back = (now.weekday() - _WEEKDAYS[m[1]]) % 7
    if back == 0 and m[2]:
        back = 7
    return now.date() - timedelta(days=back)


def _spelled(s: str) -> str:
    """Hours written in words ("บ่ายสาม", "ห้าโมงเย็น", "สามทุ่มครึ่ง") as digits."""
    for word, number in _NUMBER_WORDS:
        s = s.replace(word, f" {number} ")
    return re.sub(r"\s+", " ", s).strip()


def _day_part(s: str, now: datetime) -> tuple[date | None, str | None, str]:
    """"เมื่อวานเย็น", "เมื่อเช้า", "เช้านี้": the day and the part of the day, and s without them."""
    for words, back, part in _DAY_PARTS:
        m = re.search(words, s)
        if m:
            return now.date() - timedelta(days=back), part, _cut(s, m)
    return None, None, s


def _in_part(clock: time, part: str | None) -> time:
    """"เมื่อวานเย็น 5 โมง" is 17.00; "เมื่อเช้า 8 โมง" stays 8.00."""
    if part == "evening" and clock.hour < 12:
        return clock.replace(hour=clock.hour + 12)
    if part == "morning" and 13 <= clock.hour <= 17:
        return clock.replace(hour=clock.hour - 12)
    return clock


def _extract_date(s: str, now: datetime) -> tuple[date | str | None, str]:
    """Find the first date in s; return it (or None) and s without it."""
    for pattern, build in _DATE_RULES:
        m = pattern.search(s)
        if m:
            return build(m, now), _cut(s, m)
    return None, s


def _extract_time(s: str) -> tuple[time | None, str]:
    """Find the first time of day in s; return it (or None) and s without it."""
    for pattern, to_hour in _TIME_RULES:
        m = pattern.search(s)
        if m:
            return _make_time(m, to_hour), _cut(s, m)
    return None, s


def _make_time(m: re.Match, to_hour) -> time:
    """Turn a time match into a time, or explain that no such time exists."""
    g = m.groupdict()
    hour = to_hour(int(g["h"]) if g.get("h") else 0)
    minute = 30 if g.get("half") else int(g.get("mm") or g.get("nm") or 0)
    second = int(g.get("sec") or 0)
    if hour is None or minute > 59 or second > 59:
        raise DateParseError(say("date_no_such_time", typed=m[0].strip()), "invalid_date")
    return time(hour, minute, second)


def _resolve_day(day: date | str | None, clock: time, now: datetime) -> date:
    """No day means today; "เมื่อคืน" before 6 a.m. means early this morning, else yesterday."""
    if day is None:
        return now.date()
    if day == _LAST_NIGHT:
        return now.date() - timedelta(days=0 if clock.hour < 6 else 1)
    return day


def _check_range(dt: datetime, now: datetime) -> None:
    """Refuse times in the future (beyond a small tolerance) and more than a year ago."""
    if dt > now + FUTURE_TOLERANCE:
        raise DateParseError(say("date_future", at=dt, now=now, example=_example(now)), "future")
    if dt < now - MAX_AGE:
        raise DateParseError(say("date_too_old", at=dt, example=_example(now)), "too_old")


def _missing_time(text: str, day: date | str, now: datetime) -> DateParseError:
    """The error for a day typed without a time of day."""
    return DateParseError(say("date_missing_time", last_night=day == _LAST_NIGHT, typed=text,
                              example=f"{now.hour}.{now.minute:02d}"), "unreadable")


def parse_datetime(text: str, now: datetime) -> datetime:
    """Parse a date and time typed in Thai or English into an aware Asia/Bangkok datetime."""
    if now.tzinfo is None:
        raise ValueError("now must be a timezone-aware datetime")
    now = now.astimezone(BANGKOK)
    s = re.sub(r"\s+", " ", (text or "").translate(_FROM_THAI).replace("\u200b", "")).strip().lower()
    if _NOW_WORDS.fullmatch(s):
        return now.replace(second=0, microsecond=0)
    ago = _AGO.fullmatch(s)
    if ago:
        unit = "minutes" if ago[2] == "นาที" else "hours"
        return (now - timedelta(**{unit: int(ago[1])})).replace(second=0, microsecond=0)
    part_day, part, s = _day_part(_spelled(s), now)
    day, rest = _extract_date(s, now)
    day = day if day is not None else part_day
    clock, rest = _extract_time(rest)
    if (day is None and clock is None) or not _FILLER.fullmatch(rest):
        leftover = " ".join(rest.split()) or " ".join((text or "").split())
        raise DateParseError(say("date_unreadable", part=leftover[:60], example=example_time(now)), "unreadable")
    if clock is None:
        raise _missing_time(" ".join((text or "").split()), day, now)
    clock = _in_part(clock, part)
    result = datetime.combine(_resolve_day(day, clock, now), clock, tzinfo=BANGKOK)
    _check_range(result, now)
    if isinstance(day, _Guessed):
        raise YearQuestion(result)
    return result


def says_nothing(text: str) -> bool:
    """Nothing but spaces and polite words ("ค่ะ", "นะครับ"): no date or time in it."""
    return bool(_FILLER.fullmatch((text or "").replace("\u200b", "").strip().lower()))


def example_time(now: datetime) -> str:
    """An example for the question that is valid whenever it is asked: a half hour already past."""
    earlier = now.astimezone(BANGKOK) - timedelta(minutes=30)
    earlier = earlier.replace(minute=0 if earlier.minute < 30 else 30)
    day = "วันนี้" if earlier.date() == now.astimezone(BANGKOK).date() else "เมื่อวาน"
    return f"{day} {earlier.hour}.{earlier.minute:02d}"


def parse_date(text: str, now: datetime, ask_year: bool = False) -> date:
    """A day as typed ("วันนี้", "เมื่อวาน", "20/11/2569"); the time of day does not matter here.

    A two-digit year that fits either era is read as the recent one, or (ask_year) raised as a YearQuestion."""
    if re.sub(r"\s", "", (text or "").lower()) in ("วันนี้", "today"):
        return now.astimezone(BANGKOK).date()
    if says_nothing(text):  # "ค่ะ" alone names no day (and is not today)
        raise DateParseError(say("date_unreadable", part="", example=example_time(now)), "unreadable")
    try:
        return parse_datetime(f"{text} 00.01", now).astimezone(BANGKOK).date()
    except YearQuestion as question:
        if ask_year:
            raise YearQuestion(question.meant, day_only=True) from None
        return question.meant.date()
